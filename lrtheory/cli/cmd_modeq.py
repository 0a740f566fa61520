"""`lrtheory modeq EXPR --vars x,y --order N` — modified equations of GD to order N.

JSON output (``--json`` or ``--format json``) is ``ModifiedEquation.to_json()``
(:class:`lrtheory.modeq.ModifiedEquation`): ``objective``, ``variables``, ``order``,
``fields`` (per order, one expression per coordinate, as text), ``gradient`` (bool per order), ``potentials`` (null, or
per order an expression or null) and ``coordinate_free`` (with ``--form tensor``).
Potentials are computed with ``--potential``; a non-gradient order gets ``null`` and its
curl is printed on stderr; a potential not found within the integration budget is a
computation failure (exit 1).  ``--json-exact`` prints the exact form (expression trees)
that ``ModifiedEquation.from_json`` reads back exactly.
"""
from __future__ import annotations

from .common import print_json, progress
from .options import MAX_ORDER, add_count, add_expression, add_json_options, add_vars

ORDER = 20


def register(sub):
    p = sub.add_parser(
        "modeq", help="modified equations of GD to any order",
        description="Backward error analysis of GD x -> x - h grad f(x): the fields F_0 .. F_N "
                    "of the modified equation dx/dt = F_0 + h F_1 + ... + h^N F_N, whether "
                    "each is a gradient, and potentials f_n with F_n = -grad f_n.")
    add_expression(p)
    add_vars(p)
    add_count(p, "--order", "truncation order N", default=2, lo=0, hi=MAX_ORDER)
    p.add_argument("--form", choices=("explicit", "tensor"), default="explicit",
                   help="explicit components, or the coordinate-free form in g = grad f, "
                        "H = Hessian, T = third derivative, D4, ... (1-D: f_x, f_xx, ...)")
    p.add_argument("--format", choices=("text", "latex", "json"), default="text",
                   help="plain text, LaTeX lines, or JSON (= --json)")
    add_json_options(p)
    p.add_argument("--potential", action="store_true",
                   help="also compute the potentials f_n (null where F_n is not a gradient)")
    add_count(p, "--budget", "seconds allowed for the fields (polynomial objectives) and "
              "for a potential that needs general integration; past it the command exits 1 "
              "naming the order reached",
              default=30, lo=1, hi=3600, metavar="SECONDS")
    p.set_defaults(func=run)
    return p


def _report_curls(me) -> None:
    """The curl of every order without a potential, on stderr."""
    from ..modeq import NotGradientError
    for n in range(me.order + 1):
        if me.potentials is not None and me.potentials[n] is None:
            progress(f"lrtheory: {NotGradientError(n, me.curl(n), me.variables)}")


def _field_strings(me) -> list[list[str]]:
    if me.coordinate_free is None:
        return [list(me.field_text(n)) for n in range(me.order + 1)]
    return [[str(F)] for F in me.coordinate_free.fields]


def run(args) -> int:
    from ..modeq import modified_equation
    from ..objectives import Objective
    me = modified_equation(Objective(args.expr, args.vars), args.order,
                           potentials=args.potential, coordinate_free=args.form == "tensor",
                           budget=getattr(args, "budget", None))
    _report_curls(me)
    if args.format == "json" or args.json:
        print_json(me, args)
    elif args.format == "latex":
        print("\n".join(me.latex_lines()))
    else:
        fields = _field_strings(me)
        for n in range(me.order + 1):
            kind = "gradient" if me.gradient[n] else "NOT a gradient"
            print(f"F_{n} = ({', '.join(fields[n])})   [{kind}]")
            if me.potentials is not None and me.potentials[n] is not None:
                print(f"f_{n} = {me.potentials[n]}")
    return 0
