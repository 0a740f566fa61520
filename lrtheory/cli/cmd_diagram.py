"""`lrtheory diagram EXPR --vars x --lr-range A B` — the orbit diagram of GD over the
learning rate, the state continued from the previous learning rate, with its windows of
one behaviour and (--mark P) the bifurcation points of `lrtheory bifurcations`."""
from __future__ import annotations

from ..errors import InputError
from .cmd_sweep import (MAX_SAMPLES, add_output, add_parallel, lr_values, report_stats,
                        run_options, write_plot)
from .common import note_file, print_json, print_table, progress, records
from .options import (MAX_PERIOD, MAX_STEPS, add_box, add_count, add_expression,
                      add_json_flag, add_lr_range, add_steps, add_vars, parse_pair, point)

ORDER = 24


def register(sub):
    p = sub.add_parser(
        "diagram", help="orbit diagram of GD over the learning rate (continued state)",
        description="Iterate GD at each of N learning rates in [A, B] and keep the last "
                    "--keep iterates after --transient steps; the state at each learning "
                    "rate starts where the previous one ended (--no-continue: from X0 "
                    "every time). Prints the intervals of h with one long-run behaviour "
                    "(converged, period p, aperiodic, divergent); --mark P also finds the "
                    "period doublings and folds of orbits of period <= P and marks them.")
    add_expression(p)
    add_vars(p)
    add_lr_range(p)
    add_count(p, "--lr-samples", "learning rates A + i(B - A)/(N - 1) sampled", default=200,
              lo=2, hi=MAX_SAMPLES)
    p.add_argument("--x0", action="append", default=[], metavar="X0", type=point,
                   help="start (comma-separated coordinates; repeatable) (default: 0.5 in "
                        "every coordinate)")
    add_steps(p, 1000, "GD steps discarded at each learning rate", flag="--transient", lo=0)
    add_count(p, "--keep", "iterates kept (and classified) at each learning rate",
              default=64, lo=2, hi=MAX_STEPS)
    add_count(p, "--max-period", "largest period detected", default=MAX_PERIOD, lo=1,
              hi=MAX_PERIOD, metavar="P")
    p.add_argument("--no-continue", dest="continued", action="store_false",
                   help="start every learning rate afresh from X0")
    add_count(p, "--mark", "mark the bifurcations of orbits of period <= P "
              "(0: none)", default=0, lo=0, hi=MAX_PERIOD, metavar="P")
    add_box(p, default="-3,3", help="LO,HI: the box searched for bifurcations (--mark)")
    p.add_argument("--variable", default=None, metavar="NAME",
                   help="the coordinate drawn (default: the first variable)")
    add_parallel(p, "starts")
    add_output(p)
    add_json_flag(p, "print JSON: 'windows', one record per interval of one behaviour "
                  "(h_from, h_to, behaviour), and with --mark 'bifurcations' (type, "
                  "period, lr, certified); with --format csv the bifurcations go to stderr",
                  exact=False)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..sweeps import diagram, windows
    names = [n.strip() for n in args.vars.split(",")]
    x0 = [[float(_number(c)) for c in s.split(",")] for s in args.x0] or [[0.5] * len(names)]
    if any(len(x) != len(names) for x in x0):
        raise InputError(f"--x0 needs {len(names)} coordinates")
    if args.variable is not None and args.variable not in names:
        raise InputError(f"--variable {args.variable!r} is not one of {', '.join(names)}")
    stats = {}
    ds = diagram(args.expr, names, lr_values(args), x0, transient=args.transient,
                 keep=args.keep, continued=args.continued,
                 max_period=min(args.max_period, args.keep - 1), stats=stats,
                 **run_options(args))
    report_stats(stats)
    spans = windows(ds)
    found = _bifurcations(args) if args.mark else []
    if args.json:
        doc = {"command": "diagram",
               "windows": records(["h_from", "h_to", "behaviour"], spans)}
        if args.mark:
            doc["bifurcations"] = records(["type", "period", "lr", "certified"],
                                          [[b.type, b.period, float(b.lr), b.certified]
                                           for b in found])
        print_json(doc)
    else:
        print_table(["h from", "h to", "behaviour"],
                    [[f"{a:.6g}", f"{b:.6g}", text] for a, b, text in spans], args=args)
        if args.mark:
            print_table(["bifurcation", "period", "lr", "certified"],
                        [[b.type, b.period, f"{float(b.lr):.10g}",
                          "yes" if b.certified else "no"] for b in found],
                        file=note_file(args), args=args)
    if args.out:
        progress(f"dataset written to {args.out} (xarray.open_dataset)")
    if args.plot:
        from ..plotting import plot_diagram
        write_plot(lambda ax: plot_diagram(ds, args.variable, _marks(found) or None, ax=ax),
                   args.plot)
    return 0


def _number(text):
    from ..parsing import parse_number
    return parse_number(text, "start")


def _bifurcations(args) -> list:
    """The bifurcations of orbits of period <= --mark found in the range."""
    from ..dynamics.bifurcations import find_bifurcations
    from ..objectives import Objective
    obj = Objective(args.expr, args.vars)
    lo, hi = parse_pair(args.box, "box")
    return find_bifurcations(obj, tuple(args.lr_range), args.mark, dps=30,
                             box=(float(lo), float(hi)), samples=24).bifurcations


def _marks(found) -> dict:
    """{legend label: h} of the bifurcations, one per learning rate."""
    marks = {}
    for b in found:
        h = float(b.lr)
        if not any(abs(h - v) < 1e-9 for v in marks.values()):
            marks[f"{b.type}, period {b.period}: h = {h:.6g}"] = h
    return marks
