"""`lrtheory orbits EXPR --vars x,y --lr H --period P` — find (and certify) the periodic
orbits of GD on f = EXPR of every minimal period ≤ P in a box."""
from __future__ import annotations

from .common import (ProgressLines, decimal_string, note_file, print_json,  # noqa: F401
                     print_table)
from .options import (MAX_PERIOD, MAX_STARTS, add_box, add_count, add_dps, add_expression,
                      add_json_flag, add_lr, add_progress, add_seed, add_vars, parse_pair)

ORDER = 20


def register(sub):
    p = sub.add_parser(
        "orbits", help="periodic orbits of GD: Newton at high precision, Krawczyk certificates",
        description="Find the periodic orbits of GD x -> x - H grad f(x) of every minimal "
                    "period <= P whose points lie in the box [LO,HI]^n, with their "
                    "multipliers and stability; --certify proves each with a Krawczyk test "
                    "in ball arithmetic.")
    add_expression(p)
    add_vars(p)
    add_lr(p)
    add_count(p, "--max-period", "largest minimal period P",
              default=None, lo=1, hi=MAX_PERIOD, metavar="P", dest="period",
              aliases=("--period",), required=True)
    add_box(p)
    add_count(p, "--starts", "uniform starts at period 1 (doubled for each further period; "
              "further rounds while the coverage says orbits may be missing)",
              default=2000, lo=1, hi=MAX_STARTS)
    add_count(p, "--prove", "prove the list complete in the box for periods up to this "
              "one (ball branch-and-bound with Krawczyk, implies --certify; for f = a*s^2 "
              "the band |s| < 1/10 about the minimizers is excluded when its expansion is "
              "certified; 0: estimate the coverage only)",
              default=0, lo=0, hi=4, metavar="P")
    add_dps(p, 50)
    add_seed(p)
    p.add_argument("--certify", action="store_true",
                   help="prove each orbit with a Krawczyk test in ball arithmetic")
    add_json_flag(p)
    add_progress(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..dynamics.orbits import search_periodic_orbits
    from ..objectives import Objective
    obj = Objective(args.expr, args.vars)
    lo, hi = parse_pair(args.box, "box")
    box = (float(lo), float(hi))
    progress = ProgressLines(args.progress or None)
    with progress.stage(f"orbits: periods 1-{args.period} in [{args.box}]^{obj.dim}, "
                        f"{args.starts} starts at period 1"
                        + (", certified" if args.certify or args.prove else "")):
        band = _minimizer_band(obj, args.lr, box) if args.prove else None
        res = search_periodic_orbits(obj, args.lr, args.period, box, starts=args.starts,
                                     dps=args.dps, seed=args.seed, prove=args.prove,
                                     certify=args.certify or args.prove > 0,
                                     excluded=band.region(obj) if band is not None else None)
    for c in res.coverage:
        progress(f"orbits: period {c.period}: {c.found} found from {c.starts} starts "
                 f"({c.complete})")
    if args.json:
        print_json(res, args)
        return 0
    print_table(["period", "points", "multipliers", "stability", "certified"],
                [_orbit_row(o) for o in res.orbits], args=args)
    notes = note_file(args)  # stderr with --format csv: stdout is the CSV of the orbits
    print_table(["period", "starts", "found", "estimate", "95% upper", "complete", "note"],
                [_coverage_row(c) for c in res.coverage], file=notes, args=args)
    if band is not None:
        print(f"minimizer band |{band.curve}| < {band.delta}: " + (
            f"excluded (s(G(x)) = s(x)*phi(x) with |phi| > 1 proved on the band, "
            f"{band.boxes} boxes)" if band.proved else f"not excluded ({band.reason})"),
              file=notes)
    if res.non_isolated:
        counts = ", ".join(f"{len(s.points)} (period-{s.period} search)"
                           for s in res.non_isolated)
        print(f"non-isolated periodic points reached: {counts}; they form a curve or family "
              "(e.g. of minimizers) and are not certifiable by Krawczyk", file=notes)
    return 0


def _minimizer_band(obj, lr, box):
    """The certified band about the minimizer set of f = a*s^2, or None for other f."""
    from ..dynamics.completeness import minimizer_band, square_root_polynomial
    return minimizer_band(obj, lr, box) if square_root_polynomial(obj) is not None else None


def _coverage_row(c) -> list:
    """Period, starts, found, estimate, upper bound, status and the note (why not proved)."""
    upper = "-" if c.interval is None else (
        "unbounded" if c.interval[1] == float("inf") else f"{c.interval[1]:g}")
    note = c.note + (f"; {c.symmetric} added by symmetry" if c.symmetric else "")
    return [c.period, c.starts, c.found, f"{c.estimate:.1f}", upper, c.complete, note]


def _orbit_row(o) -> list:
    """Period, the first two points, multipliers (10 digits), stability, certified."""
    import mpmath

    from ..numbers import nstr

    def num(z):
        z = mpmath.mpc(z)
        re = mpmath.nstr(z.real, 10)
        return re if z.imag == 0 else f"{re}{float(z.imag):+.3g}i"
    points = " ".join("(" + ",".join(nstr(c, 10) for c in pt) + ")"
                      for pt in o.points[:2]) + (" ..." if o.period > 2 else "")
    return [o.period, points, " ".join(num(m) for m in o.multipliers), o.stability,
            "yes" if o.certified else "no"]
