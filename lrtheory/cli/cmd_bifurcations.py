"""`lrtheory bifurcations EXPR --vars x --lr-range A B` — period doublings and folds of
GD's periodic orbits as the learning rate varies."""
from __future__ import annotations

from ..dynamics.bifurcations import find_bifurcations
from ..errors import InputError
from ..objectives import Objective
from .cmd_orbits import parse_pair
from .common import print_json, print_table

ORDER = 21


def register(sub):
    p = sub.add_parser(
        "bifurcations", help="period-doubling and fold points of GD orbits in the learning rate",
        description="Find the learning rates in [A, B] where a periodic orbit of GD of "
                    "period <= P has a multiplier -1 (period doubling) or +1 (fold), by "
                    "Newton on the extended system at D digits; short periods are certified "
                    "by a Krawczyk test in (x, h); closed forms are reported only when they "
                    "agree to full precision.")
    p.add_argument("expr")
    p.add_argument("--vars", required=True)
    p.add_argument("--lr-range", nargs=2, required=True, metavar=("A", "B"))
    p.add_argument("--max-period", type=int, default=2)
    p.add_argument("--dps", type=int, default=50)
    p.add_argument("--box", default="-3,3", help="LO,HI where orbits are sought")
    p.add_argument("--samples", type=int, default=40, help="learning rates sampled")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    if not 1 <= args.max_period <= 16:
        raise InputError(f"--max-period must be between 1 and 16, got {args.max_period}")
    if args.dps < 15 or args.dps > 500:
        raise InputError(f"--dps must be between 15 and 500, got {args.dps}")
    if args.samples < 2:
        raise InputError("--samples must be at least 2")
    obj = Objective(args.expr, args.vars)
    lo, hi = parse_pair(args.box, "box")
    found = find_bifurcations(obj, tuple(args.lr_range), args.max_period, dps=args.dps,
                              box=(float(lo), float(hi)), samples=args.samples)
    if args.json:
        print_json({"bifurcations": [b.to_json() for b in found]})
        return 0
    rows = [[b.type, b.period, b.to_json()["lr"][:32], ", ".join(c[:16] for c in b.to_json()["point"]),
             "yes" if b.certified else "no", b.closed_form or "-"] for b in found]
    print_table(["type", "period", "lr", "point", "certified", "closed form"], rows)
    return 0
