"""`lrtheory sharpness EXPR --vars x,y --at x=2,y=1/2 [--json]` — Hessian eigenvalues at a
point: exact (radicals) at rational points, else high precision (BLOG-10, WCZT-1, WCZT-4)."""
from __future__ import annotations

from .common import note_file, print_json, print_table
from .options import add_expression, add_json_flag, add_vars, named_point
from .options import parse_named_point as parse_point  # noqa: F401 (re-exported)

ORDER = 30


def register(sub):
    p = sub.add_parser(
        "sharpness", help="exact Hessian eigenvalues (sharpness) at a point",
        description="Eigenvalues of the Hessian of EXPR at a point, descending. Exact "
                    "(sympy radicals) when the Hessian there is rational and its "
                    "characteristic polynomial splits in radicals; otherwise 50 digits, "
                    "checked at 80 (\"exact\": false).")
    add_expression(p)
    add_vars(p)
    p.add_argument("--at", required=True, metavar="POINT", type=named_point,
                   help="point, e.g. x=2,y=-1/2 (exact rationals; decimals are exact too)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..factorization import hessian_spectrum_at
    from ..objectives import Objective
    obj = Objective(args.expr, args.vars)
    res = hessian_spectrum_at(obj, parse_point(args.at))
    if args.json:
        print_json(res, args)
        return 0
    notes = note_file(args)  # stderr with --format csv: stdout is the CSV table
    print(f"point: {', '.join(f'{k} = {v}' for k, v in res.point.items())}", file=notes)
    print(f"exact: {str(res.exact).lower()}", file=notes)
    print_table(["eigenvalue", "numeric"], zip(res.eigenvalues, res.numeric), args=args)
    print(f"sharpness: {res.sharpness}", file=notes)
    return 0
