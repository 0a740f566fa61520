"""`lrtheory orbits EXPR --vars x,y --lr H --period P` — find (and certify) the periodic
orbits of GD on f = EXPR of every minimal period ≤ P in a box."""
from __future__ import annotations

import mpmath

from ..dynamics.orbits import mp_number, search_periodic_orbits
from ..errors import InputError
from ..objectives import Objective
from ..parsing import parse_number
from .common import print_json, print_table

ORDER = 20


def decimal_string(value, digits: int) -> str:
    """An exact number as a decimal string with ``digits`` significant digits."""
    with mpmath.workdps(digits + 5):
        return mpmath.nstr(mp_number(value), digits)


def parse_pair(text: str, label: str) -> tuple:
    """``"LO,HI"`` → two exact numbers."""
    parts = [s for s in str(text).split(",")]
    if len(parts) != 2:
        raise InputError(f"{label} must be two numbers LO,HI, got {text!r}")
    return tuple(parse_number(s, label) for s in parts)


def register(sub):
    p = sub.add_parser(
        "orbits", help="periodic orbits of GD: Newton at high precision, Krawczyk certificates",
        description="Find the periodic orbits of GD x -> x - H grad f(x) of every minimal "
                    "period <= P whose points lie in the box [LO,HI]^n, with their "
                    "multipliers and stability; --certify proves each with a Krawczyk test "
                    "in ball arithmetic. Write negative bounds as --box=-2.5,2.5.")
    p.add_argument("expr", help="the objective, e.g. '(1 - x*y)**2/2'")
    p.add_argument("--vars", required=True, help="variables, e.g. x,y")
    p.add_argument("--lr", required=True, help="learning rate H (exact: 1.9 means 19/10)")
    p.add_argument("--period", type=int, required=True, help="largest minimal period P")
    p.add_argument("--box", default="-3,3", help="LO,HI (default -3,3)")
    p.add_argument("--starts", type=int, default=1000, help="random starts (plus a grid)")
    p.add_argument("--dps", type=int, default=50, help="decimal digits (default 50)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--certify", action="store_true", help="Krawczyk certificates")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.period < 1 or args.period > 12:
        raise InputError(f"--period must be between 1 and 12, got {args.period}")
    if args.dps < 15 or args.dps > 1000:
        raise InputError(f"--dps must be between 15 and 1000, got {args.dps}")
    if args.starts < 1:
        raise InputError("--starts must be positive")
    obj = Objective(args.expr, args.vars)
    lo, hi = parse_pair(args.box, "box")
    res = search_periodic_orbits(obj, args.lr, args.period, (float(lo), float(hi)),
                                 starts=args.starts, dps=args.dps, seed=args.seed,
                                 certify=args.certify)
    if args.json:
        print_json({"lr": decimal_string(parse_number(args.lr, "learning rate"), args.dps),
                    "orbits": [o.to_json() for o in res.orbits],
                    "non_isolated": {str(p): len(v) for p, v in res.non_isolated.items()}})
        return 0
    rows = []
    for o in res.orbits:
        d = o.to_json(10)
        rows.append([o.period, " ".join("(" + ",".join(pt) + ")" for pt in d["points"][:2])
                     + (" ..." if o.period > 2 else ""),
                     " ".join(m[0] if float(m[1]) == 0 else f"{m[0]}{float(m[1]):+.3g}i"
                              for m in d["multipliers"]),
                     {True: "attracting", False: "repelling", None: "undecided"}[o.stable],
                     "yes" if o.certified else "no"])
    print_table(["period", "points", "multipliers", "stability", "certified"], rows)
    if res.non_isolated:
        counts = ", ".join(f"{len(v)} (period-{p} search)" for p, v in res.non_isolated.items())
        print(f"non-isolated periodic points reached: {counts}; they form a curve or family "
              "(e.g. of minimizers) and are not certifiable by Krawczyk")
    return 0
