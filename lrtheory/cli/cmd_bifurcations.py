"""`lrtheory bifurcations EXPR --vars x --lr-range A B` — period doublings and folds of
GD's periodic orbits as the learning rate varies."""
from __future__ import annotations

from .common import print_json, print_table
from .options import (MAX_PERIOD, MAX_SAMPLES, add_box, add_count, add_dps, add_expression,
                      add_json_flag, add_lr_range, add_vars, parse_pair)

ORDER = 21


def register(sub):
    p = sub.add_parser(
        "bifurcations", help="period-doubling and fold points of GD orbits in the learning rate",
        description="Find the learning rates in [A, B] where a periodic orbit of GD of "
                    "period <= P has a multiplier -1 (period doubling) or +1 (fold), by "
                    "Newton on the extended system at D digits; short periods are certified "
                    "by a Krawczyk test in (x, h); closed forms are reported only when they "
                    "agree to full precision.")
    add_expression(p)
    add_vars(p)
    add_lr_range(p)
    add_count(p, "--max-period", "largest period P of the orbits followed", default=2, lo=1,
              hi=MAX_PERIOD, metavar="P")
    add_dps(p, 50)
    add_box(p, help="LO,HI: orbits are sought in the box [LO,HI]^n")
    add_count(p, "--samples", "learning rates sampled in [A, B]", default=40, lo=2,
              hi=MAX_SAMPLES)
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..dynamics.bifurcations import find_bifurcations
    from ..objectives import Objective
    obj = Objective(args.expr, args.vars)
    lo, hi = parse_pair(args.box, "box")
    res = find_bifurcations(obj, tuple(args.lr_range), args.max_period, dps=args.dps,
                            box=(float(lo), float(hi)), samples=args.samples)
    if args.json:
        print_json(res.to_json())
        return 0
    rows = []
    for b in res.bifurcations:
        d = b.decimal()
        rows.append([b.kind, b.period, d["lr"][:32], ", ".join(c[:16] for c in d["point"]),
                     "yes" if b.certified else "no", b.closed_form or "-"])
    print_table(["type", "period", "lr", "point", "certified", "closed form"], rows)
    print(f"complete: {res.complete} (learning rates sampled at {res.samples} points: a "
          "bifurcation is found only when an orbit near it is found at a sample)")
    return 0
