"""`lrtheory sharpness EXPR --vars x,y --at x=2,y=1/2 [--json]` — Hessian eigenvalues at a
point: exact (radicals) at rational points, else high precision (BLOG-10, WCZT-1, WCZT-4)."""
from __future__ import annotations

from ..errors import InputError
from ..factorization import hessian_spectrum_at
from ..objectives import Objective
from ..parsing import parse_number
from .common import print_json, print_table

ORDER = 30


def register(sub):
    p = sub.add_parser(
        "sharpness", help="exact Hessian eigenvalues (sharpness) at a point",
        description="Eigenvalues of the Hessian of EXPR at a point, descending. Exact "
                    "(sympy radicals) when the Hessian there is rational and its "
                    "characteristic polynomial splits in radicals; otherwise 50 digits, "
                    "checked at 80 (\"exact\": false).")
    p.add_argument("expr", metavar="EXPR", help="objective, e.g. '(1 - x*y)**2/2'")
    p.add_argument("--vars", required=True, help="variables, e.g. x,y")
    p.add_argument("--at", required=True, metavar="POINT",
                   help="point, e.g. x=2,y=1/2 (exact rationals; decimals are exact too)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def parse_point(text: str) -> dict:
    """``"x=2,y=1/2"`` → {"x": 2, "y": 1/2} (exact numbers)."""
    point = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"malformed point {text!r}: use name=value pairs, e.g. x=2,y=1/2")
        if name.strip() in point:
            raise InputError(f"variable {name.strip()!r} given twice in --at")
        point[name.strip()] = parse_number(value, f"value of {name.strip()}")
    return point


def run(args) -> int:
    obj = Objective(args.expr, args.vars)
    res = hessian_spectrum_at(obj, parse_point(args.at))
    if args.json:
        print_json(res)
        return 0
    print(f"point: {', '.join(f'{k} = {v}' for k, v in res['point'].items())}")
    print(f"exact: {str(res['exact']).lower()}")
    print_table(["eigenvalue", "numeric"], zip(res["eigenvalues"], res["numeric"]))
    print(f"sharpness: {res['sharpness']}")
    return 0
