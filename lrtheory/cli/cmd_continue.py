"""`lrtheory continue EXPR --vars x --lr-range A B --from-period p [--param NAME=LO:HI]` —
branches of periodic orbits followed in the learning rate (with the bifurcations on them
and the branches born at period doublings), or, with --param, the bifurcations of period p
continued in a parameter of the objective as curves h*(NAME) with their
codimension-two points."""
from __future__ import annotations

import argparse
import re

from ..errors import InputError
from .cmd_bifurcations import METHODS, print_bifurcations
from .common import note_file, print_json, print_table, progress
from .options import (MAX_PERIOD, MAX_SAMPLES, MAX_STARTS, add_box, add_count, add_dps,
                      add_expression, add_json_flag, add_lr_range, add_vars, exact_number,
                      output_file, parse_pair)

ORDER = 22
_PARAM = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([^:]+):([^:]+)\s*$")


def parse_param_range(text) -> tuple:
    """``NAME=LO:HI`` -> (name, LO, HI) with exact LO ≠ HI (the curves start at LO)."""
    m = _PARAM.match(str(text))
    if not m:
        raise InputError(f"--param must be NAME=LO:HI, e.g. a=1:2, got {text!r}")
    name, lo, hi = m.groups()
    lo, hi = exact_number(lo, "--param LO"), exact_number(hi, "--param HI")
    if lo == hi:
        raise InputError(f"--param {name}: LO and HI must differ, got {text!r}")
    return name, lo, hi


def _param_type(text):
    try:
        parse_param_range(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return str(text).strip()


def register(sub):
    p = sub.add_parser(
        "continue", help="branches of GD orbits continued in the learning rate; "
                         "bifurcation curves in a parameter (--param)",
        description="Follow the branches of periodic orbits of period p of GD in the "
                    "learning rate by pseudo-arclength continuation (stable and unstable, "
                    "through folds), seeded from orbit searches at --seeds learning "
                    "rates of [A, B]; detect and certify period doublings, folds and "
                    "Neimark-Sacker points on them and follow the doubled branch at each "
                    "period doubling up to --max-period. With --param NAME=LO:HI the "
                    "bifurcations of period p found at NAME = LO (by --method) are "
                    "continued in NAME towards HI as curves h*(NAME), each point "
                    "certified at its exact parameter value, with the codimension-two "
                    "points where they occur.")
    add_expression(p)
    add_vars(p)
    add_lr_range(p)
    add_count(p, "--from-period", "period p of the branches (or bifurcations) started",
              default=None, lo=1, hi=MAX_PERIOD, metavar="p", required=True)
    add_count(p, "--max-period", "largest period followed after period doublings "
              "(default: 2p)", default=None, lo=1, hi=MAX_PERIOD, metavar="P")
    p.add_argument("--param", default=None, metavar="NAME=LO:HI",
                   type=_param_type,
                   help="continue the bifurcations in the parameter NAME of EXPR from LO "
                        "towards HI")
    p.add_argument("--method", default="auto", choices=METHODS, metavar="METHOD",
                   help="how the bifurcations at NAME = LO are found (--param): " +
                        ", ".join(METHODS))
    add_dps(p, 30, help="decimal digits of the continuation (bifurcations are located "
                        "and certified at 50)")
    add_box(p, help="LO,HI: orbits are sought in [LO,HI]^n and followed while they meet it")
    add_count(p, "--seeds", "learning rates in [A, B] where orbits are sought", default=5,
              lo=2, hi=MAX_SAMPLES)
    add_count(p, "--starts", "starts of each orbit search at period 1 (doubling per period)",
              default=100, lo=1, hi=MAX_STARTS)
    p.add_argument("--plot", metavar="FILE", default=None, type=output_file,
                   help="write the figure to FILE (format from the suffix: .png, .pdf, "
                        ".svg)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    lo, hi = parse_pair(args.box, "box")
    box = (float(lo), float(hi))
    if args.param:
        return _curves(args, box)
    from ..bifurcation.continuation import continue_branches
    from ..objectives import Objective
    obj = Objective(args.expr, args.vars)
    top = args.max_period or min(2 * args.from_period, MAX_PERIOD)
    if top < args.from_period:
        raise InputError(f"--max-period {top} is below --from-period {args.from_period}")
    res = continue_branches(obj, tuple(args.lr_range), top, box, seeds=args.seeds,
                            starts=args.starts, dps=args.dps, from_period=args.from_period)
    if args.plot:
        from ..plotting import plot_branches
        _plot(lambda ax: plot_branches(res.branches, ax=ax), args.plot)
    if args.json:
        print_json(res, args)
    else:
        rows = [[b.period, f"{b.lr_span[0]:.10g}", f"{b.lr_span[1]:.10g}", len(b.lr),
                 len(b.bifurcations), b.origin] for b in res.branches]
        print_table(["period", "h from", "h to", "points", "bifurcations", "origin"], rows, args=args)
        print_bifurcations(res.bifurcations, note_file(args))
        print(f"complete: {res.complete}", file=note_file(args))
    return 0


def _curves(args, box) -> int:
    from ..bifurcation.curves import bifurcation_curves, with_parameter
    name, lo, hi = parse_param_range(args.param)
    obj = with_parameter(args.expr, args.vars, name)
    res = bifurcation_curves(obj, (lo, hi), tuple(args.lr_range), args.from_period,
                             method=args.method, box=box, dps=args.dps)
    if args.plot:
        from ..plotting import plot_parameter_curves
        _plot(lambda ax: plot_parameter_curves(res.curves, ax=ax), args.plot)
    if args.json:
        print_json(res, args)
    else:
        _print_curves(res, name, note_file(args))
    return 0


def _plot(draw, path) -> None:
    """Draw with ``draw(ax)`` into a new figure and write it to ``path``."""
    from ..plotting import new_figure, save_figure
    fig, ax = new_figure(6.4, 4.2)
    draw(ax)
    save_figure(fig, path, dpi=150)
    progress(f"figure written to {path}")


def _print_curves(res, name: str, notes=None) -> None:
    """The curves (stdout) and their codimension-two points and start (``notes``)."""
    import mpmath
    rows = []
    for c in res.curves:
        vs, hs = [float(v) for v in c.values], [float(h) for h in c.lr]
        rows.append([c.kind, c.period, f"{vs[0]:.6g}", f"{vs[-1]:.6g}",
                     f"{hs[0]:.10g}", f"{hs[-1]:.10g}", f"{sum(c.certified)}/{len(vs)}",
                     c.end])
    print_table(["kind", "period", f"{name} from", f"{name} to", "h from", "h to",
                 "certified", "end"], rows)
    points = [[p.kind, mpmath.nstr(p.value, 15), mpmath.nstr(p.lr, 15),
               ", ".join(mpmath.nstr(x, 10) for x in p.point)]
              for c in res.curves for p in c.codim2]
    if points:
        print_table(["codimension two", name, "h", "point"], points, notes)
    n = len(res.start.bifurcations)
    print(f"start at {name} = {res.param_range[0]}: {n} bifurcation{'s' * (n != 1)} of "
          f"period <= {res.period}, complete: {res.start.complete.status} "
          f"({res.start.complete.method})", file=notes)
