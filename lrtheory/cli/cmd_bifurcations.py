"""`lrtheory bifurcations EXPR --vars x --lr-range A B` — period doublings, folds and
Neimark–Sacker points of GD's periodic orbits as the learning rate varies, with whether the
list is proved complete."""
from __future__ import annotations

from .common import ProgressLines, note_file, print_json, print_table
from .options import (MAX_PERIOD, MAX_SAMPLES, MAX_STARTS, add_box, add_count, add_dps,
                      add_expression, add_json_flag, add_lr_range, add_progress, add_vars,
                      parse_pair)

ORDER = 21
METHODS = ("auto", "exact", "boxes", "continuation", "sample")
#: Largest box budget per (period, kind) of the branch and bound.
MAX_BOXES = 10**7


def register(sub):
    p = sub.add_parser(
        "bifurcations", help="period-doubling, fold and Neimark-Sacker points of GD orbits "
                             "in the learning rate, proved complete where possible",
        description="Find the learning rates in [A, B] where a periodic orbit of GD of "
                    "period <= P has a multiplier -1 (period doubling), +1 (fold) or a "
                    "complex pair on the unit circle (Neimark-Sacker, dimension >= 2). "
                    "--method exact (1-D polynomial objectives) and boxes (branch and "
                    "bound over boxes of (x, h)) prove the list complete or name what "
                    "they could not exclude; continuation follows branches of orbits "
                    "from orbit searches and period doublings; sample scans a grid of "
                    "learning rates. Every result says whether it is complete: proved "
                    "(with the method) or not proved (with why).")
    add_expression(p)
    add_vars(p)
    add_lr_range(p)
    add_count(p, "--max-period", "largest period P of the orbits followed", default=2, lo=1,
              hi=MAX_PERIOD, metavar="P")
    p.add_argument("--method", default="auto", choices=METHODS, metavar="METHOD",
                   help="auto (exact for a 1-D polynomial objective, else boxes when "
                        "feasible, else continuation), exact, boxes, continuation or "
                        "sample")
    add_dps(p, 50, help="decimal digits of the reported bifurcations")
    add_box(p, help="LO,HI: orbits with a point in [LO,HI]^n (boxes, continuation, sample; "
                    "exact covers all x)")
    add_count(p, "--samples", "learning rates sampled in [A, B] (--method sample)",
              default=40, lo=2, hi=MAX_SAMPLES)
    add_count(p, "--seeds", "learning rates in [A, B] where branches are seeded "
              "(--method continuation)", default=5, lo=2, hi=MAX_SAMPLES)
    add_count(p, "--starts", "starts of each orbit search (sample: 200, continuation: 100 "
              "at period 1)", default=None, lo=1, hi=MAX_STARTS)
    add_count(p, "--max-boxes", "box budget per period and kind (--method boxes)",
              default=200_000, lo=1, hi=MAX_BOXES)
    add_count(p, "--budget", "seconds allowed to the exact method; when they are spent it "
              "stops and the list is not proved, naming where it stopped", default=None,
              lo=1, hi=86400, metavar="SECONDS")
    add_progress(p)
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..bifurcation.exact import exact_bifurcations
    from ..bifurcation.search import choose_method, search_bifurcations
    from ..objectives import Objective
    obj = Objective(args.expr, args.vars)
    lo, hi = parse_pair(args.box, "box")
    method = choose_method(obj, args.max_period) if args.method == "auto" else args.method
    if method == "exact":
        res = exact_bifurcations(obj, tuple(args.lr_range), args.max_period,
                                 dps=args.dps + 10, budget=args.budget,
                                 progress=ProgressLines(args.progress or None))
    else:
        with ProgressLines(args.progress or None).stage(
                f"bifurcations: {method} search, periods 1-{args.max_period}"):
            res = search_bifurcations(obj, tuple(args.lr_range), args.max_period,
                                      args.method, box=(float(lo), float(hi)), dps=args.dps,
                                      samples=args.samples, starts=args.starts,
                                      seeds=args.seeds, max_boxes=args.max_boxes)
    if args.json:
        print_json(res, args)
        return 0
    print_bifurcations(res.bifurcations)
    print(f"complete: {res.complete}", file=note_file(args))
    return 0


def print_bifurcations(bifurcations, file=None) -> None:
    """The table of bifurcations: kind, period, h, a point of the orbit, certified, closed
    form."""
    rows = []
    for b in bifurcations:
        d = b.decimal()
        rows.append([b.kind, b.period, d["lr"][:32], ", ".join(c[:16] for c in d["point"]),
                     "yes" if b.certified else "no", b.closed_form or "-"])
    print_table(["kind", "period", "lr", "point", "certified", "closed form"], rows, file)
