"""`lrtheory modeq EXPR --vars x,y --order N` — modified equations of GD to order N.

JSON output: ``{"vars", "order", "form", "fields": [[component strings] per order],
"gradient": [bool per order], "potentials": [string or null per order]}``; the strings are
plain sympy syntax that ``parse_expr`` reads back.  Potentials are computed with
``--potential``; a non-gradient order then gets ``null`` and its curl is printed on stderr.
"""
from __future__ import annotations

import sympy as sp

from ..errors import ComputationError
from ..modeq import NotGradientError, modified_equation, one_dimensional_form, tensor_field
from ..modeq.latex import field_latex, potential_latex, tensor_field_latex
from ..objectives import Objective
from .common import print_json, progress

ORDER = 20


def register(sub):
    p = sub.add_parser(
        "modeq", help="modified equations of GD to any order",
        description="Backward error analysis of GD x -> x - h grad f(x): the fields F_0 .. F_N "
                    "of the modified equation dx/dt = F_0 + h F_1 + ... + h^N F_N, whether "
                    "each is a gradient, and potentials f_n with F_n = -grad f_n.")
    p.add_argument("expr", metavar="EXPR", help="the objective, e.g. '(1 - x*y)**2/2'")
    p.add_argument("--vars", required=True, help="comma-separated variables, e.g. x,y")
    p.add_argument("--order", type=int, default=2, help="truncation order N (default 2)")
    p.add_argument("--form", choices=("explicit", "tensor"), default="explicit",
                   help="explicit components, or the coordinate-free form in g = grad f, "
                        "H = Hessian, T = third derivative, D4, ... (1-D: f_x, f_xx, ...)")
    p.add_argument("--format", choices=("text", "latex", "json"), default="text")
    p.add_argument("--potential", action="store_true",
                   help="also compute the potentials f_n (null where F_n is not a gradient)")
    p.set_defaults(func=run)
    return p


def _potentials(me, wanted: bool) -> list:
    out = []
    for n in range(me.order + 1):
        if not wanted:
            out.append(None)
            continue
        try:
            out.append(me.potential(n))
        except NotGradientError as exc:
            progress(f"lrtheory: {exc}")
            out.append(None)
        except ComputationError as exc:
            progress(f"lrtheory: F_{n} is a gradient but {exc}")
            out.append(None)
    return out


def _field_strings(me, form: str) -> list[list[str]]:
    if form == "explicit":
        return [[str(c) for c in F] for F in me.fields]
    if len(me.vars) == 1:
        return [[str(e)] for e in one_dimensional_form(me.order, str(me.vars[0]))]
    return [[str(tensor_field(n))] for n in range(me.order + 1)]


def _latex_lines(me, form: str, potentials) -> list[str]:
    lines = []
    one_d = one_dimensional_form(me.order, str(me.vars[0])) if len(me.vars) == 1 else None
    for n in range(me.order + 1):
        if form == "explicit":
            lines.append(field_latex(n, me.fields[n]))
        elif one_d:
            lines.append(f"F_{{{n}}} = {sp.latex(one_d[n])}")
        else:
            lines.append(f"F_{{{n}}} = {tensor_field_latex(n)}")
        if potentials[n] is not None:
            lines.append(potential_latex(n, potentials[n]))
    return lines


def run(args) -> int:
    me = modified_equation(Objective(args.expr, args.vars), args.order)
    gradient = [me.is_gradient(n) for n in range(me.order + 1)]
    potentials = _potentials(me, args.potential)
    fields = _field_strings(me, args.form)
    if args.format == "json":
        print_json({"vars": [str(v) for v in me.vars], "order": me.order, "form": args.form,
                    "fields": fields, "gradient": gradient,
                    "potentials": [None if p is None else str(p) for p in potentials]})
    elif args.format == "latex":
        print("\n".join(_latex_lines(me, args.form, potentials)))
    else:
        for n in range(me.order + 1):
            kind = "gradient" if gradient[n] else "NOT a gradient"
            print(f"F_{n} = ({', '.join(fields[n])})   [{kind}]")
            if potentials[n] is not None:
                print(f"f_{n} = {potentials[n]}")
    return 0
