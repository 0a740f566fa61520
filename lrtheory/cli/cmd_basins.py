"""`lrtheory basins EXPR --vars x,y --lr H --box LO,HI --grid N` — the basin of every start
of a grid: the minimizer or minimizer set its GD run converged to, a periodic orbit of
period p, aperiodic (chaotic or quasi-periodic), or divergent."""
from __future__ import annotations

from .cmd_sweep import MAX_GRID, add_output, add_parallel, report_stats, run_options, write_plot
from .common import print_json, print_table, progress, records
from .options import (MAX_PERIOD, MAX_STEPS, add_box, add_count, add_expression,
                      add_json_flag, add_lr, add_steps, add_vars, parse_pair)

ORDER = 25


def register(sub):
    p = sub.add_parser(
        "basins", help="basins of attraction of GD on a grid of starts",
        description="Run GD with learning rate H from every start of the N x ... x N grid "
                    "of the box [LO,HI]^n and label each start by what its run reached: a "
                    "minimizer or a connected set of minimizers (limits grouped by loss "
                    "and proximity), another critical point, a periodic orbit of period "
                    "p, aperiodic (chaotic or quasi-periodic) or divergent.")
    add_expression(p)
    add_vars(p)
    add_lr(p)
    add_box(p, default="-2,2", help="LO,HI: the box [LO,HI]^n of starts")
    add_count(p, "--grid", "grid points per variable", default=101, lo=1, hi=MAX_GRID)
    add_steps(p, 2000, "GD steps per start")
    add_count(p, "--tail", "last states classified", default=64, lo=2, hi=MAX_STEPS)
    add_count(p, "--max-period", "largest period detected", default=MAX_PERIOD, lo=1,
              hi=MAX_PERIOD, metavar="P")
    add_parallel(p)
    add_output(p)
    add_json_flag(p, "print JSON: the learning rate, box, grid, steps and \"basins\", one "
                  "record per basin (basin, code, kind, starts, fraction, loss, period, "
                  "point, description)", exact=False)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..parsing import parse_number
    from ..sweeps import basin_legend, basin_map
    lo, hi = parse_pair(args.box, "box")
    stats = {}
    lr = parse_number(args.lr, "learning rate")
    ds = basin_map(args.expr, args.vars, float(lr), (float(lo), float(hi)), args.grid,
                   steps=args.steps, tail=args.tail,
                   max_period=min(args.max_period, args.tail - 1), stats=stats,
                   **run_options(args))
    report_stats(stats)
    legend = basin_legend(ds)
    if args.json:
        print_json(basins_document(args, lr, (float(lo), float(hi)), legend))
    else:
        print_table(["basin", "starts", "fraction", "description"],
                    [[t["name"], t["count"], f"{t['fraction']:.4f}", t["description"]]
                     for t in legend], args=args)
    if args.out:
        progress(f"dataset written to {args.out} (xarray.open_dataset)")
    if args.plot:
        from ..plotting import plot_basins
        write_plot(lambda ax: plot_basins(ds, ax=ax), args.plot)
    return 0


def basins_document(args, lr, box, legend) -> dict:
    """The ``--json`` output: the run's settings and one record per basin of
    :func:`lrtheory.sweeps.basin_legend` (``pandas.DataFrame(doc["basins"])``)."""
    from ..results import exact_number
    columns = ["basin", "code", "kind", "starts", "fraction", "loss", "period", "point",
               "description"]
    rows = [[t["name"], t["code"], t["kind"], t["count"], t["fraction"], t.get("loss"),
             t.get("period"), t.get("point"), t["description"]] for t in legend]
    return {"command": "basins", "lr": exact_number(lr, str(lr)), "box": list(box),
            "grid": args.grid, "steps": args.steps, "basins": records(columns, rows)}
