"""`lrtheory atlas EXPR --vars x --lr-range A B --boxes N --max-period P` — every learning
rate of [A, B] classified with a proof: attracting cycle (period, uniqueness), chaotic
(entropy bound), divergent, or undecided with the reason."""
from __future__ import annotations

import argparse
from pathlib import Path

from .cmd_sweep import _plot_file, add_parallel, write_plot
from .common import note_file, print_json, print_table, progress
from .options import (MAX_PERIOD, add_count, add_expression, add_format, add_lr_range,
                      add_number, add_progress, add_vars, output_file, output_file_problem)

ORDER = 23


def _atlas_output(text):
    """Type of ``--out``: a .nc file that can be written."""
    if Path(str(text)).suffix.lower() != ".nc":
        raise argparse.ArgumentTypeError(f"must end in .nc (NetCDF), got {text!r}")
    problem = output_file_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return str(text)


def register(sub):
    from ..limits import MAX_ATLAS_BOXES as MAX_BOXES
    from ..limits import MAX_ATLAS_DEPTH as MAX_DEPTH
    p = sub.add_parser(
        "atlas", help="certified learning-rate atlas of a 1-D or 2-D objective: "
                      "attracting, chaotic, divergent or undecided, box by box",
        description="Split [A, B] into N learning-rate boxes and prove for each one class "
                    "for every h of the box: attracting (a Krawczyk-certified p-cycle with "
                    "|multiplier| < 1; 'unique' when Singer's theorem proves it the only "
                    "attractor), chaotic (a certified orbit whose period is not a power of "
                    "two, with the entropy bound it forces), divergent (every critical "
                    "orbit escapes), or undecided with the reason. Undecided boxes, "
                    "attracting ones not proved unique and boxes where the numerics "
                    "propose another class are bisected up to --max-depth times. Prints "
                    "one row per run of boxes with one class and the proved measure of "
                    "each class. Uniqueness and divergence are proved for "
                    "polynomial objectives; for other objectives of one variable (exp, "
                    "log, sin, ...) uniqueness in [-L, L] when G maps it into itself. Two "
                    "variables: attracting cycles (not unique), chaos of the restriction "
                    "to an invariant line, divergence of affine maps.")
    add_expression(p, help="the objective, in one or two variables, e.g. 'x**3/3 - x' or "
                           "'(1 - x*y)**2/2'")
    add_vars(p)
    add_lr_range(p, help="the learning rates A < B classified, both > 0, rational")
    add_count(p, "--boxes", "first boxes (equal widths)", default=16, lo=1, hi=MAX_BOXES)
    add_count(p, "--max-period", "largest period of the cycles and orbits certified",
              default=8, lo=1, hi=MAX_PERIOD, metavar="P")
    add_count(p, "--max-depth", "bisection rounds of undecided boxes", default=4, lo=0,
              hi=MAX_DEPTH, metavar="D")
    add_number(p, "--radius", "non-polynomial objectives: cycles and orbits are searched in "
                              "[-L, L] (two variables: from starts in [-L, L]^2; a "
                              "polynomial of one variable is covered on the whole line)",
               default="3", positive=True, metavar="L")
    add_parallel(p, "boxes")
    p.add_argument("--json", metavar="FILE", default=None, type=output_file,
                   help="write the atlas (every box, the summary) as JSON")
    p.add_argument("--out", metavar="FILE", default=None, type=_atlas_output,
                   help="write the boxes as an xarray dataset, FILE.nc (NetCDF)")
    p.add_argument("--resume", metavar="FILE", default=None, type=output_file,
                   help="checkpoint file: every classified box is appended to it as it "
                        "finishes; run again with the same FILE to continue an interrupted "
                        "atlas (boxes it holds are not classified again)")
    p.add_argument("--plot", metavar="FILE", default=None, type=_plot_file,
                   help="write the orbit diagram with the classes as FILE.png and FILE.pdf")
    add_progress(p)
    add_format(p, "what is printed: the tables, the Atlas result as readable JSON (what "
                  "--json FILE writes) or the table of boxes as CSV (the summary then goes "
                  "to stderr)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..atlas import atlas, write_atlas
    from ..io import atomic_write_text
    from .common import ProgressLines
    kw = {"dask": args.dask} if args.dask else {"jobs": args.jobs} if args.jobs > 1 else {}
    res = atlas(args.expr, args.vars, tuple(args.lr_range), boxes=args.boxes,
                max_period=args.max_period, max_depth=args.max_depth, radius=args.radius,
                resume=args.resume, progress=ProgressLines(args.progress or None), **kw)
    if args.format == "json":
        print_json(res)
    else:
        print_table(["h from", "h to", "class", "period", "entropy >=", "unique"],
                    [[lo, hi, label, period or "-", "-" if e is None else f"{e:.4f}",
                      "yes" if unique else "-"]
                     for lo, hi, label, period, e, unique in res.table()], args=args)
        print(file=note_file(args))
        print_table(["class", "proved measure", "fraction", "boxes"],
                    [[k, v["measure"], f"{v['fraction']:.4f}", v["boxes"]]
                     for k, v in res.summary.items() if k != "attracting_by_period"],
                    file=note_file(args), args=args)
    if args.json:
        import json
        atomic_write_text(args.json, json.dumps(res.to_json(), indent=1) + "\n")
        progress(f"atlas written to {args.json}")
    if args.out:
        write_atlas(res, args.out)
        progress(f"dataset written to {args.out} (xarray.open_dataset)")
    if args.plot:
        from ..plotting import plot_atlas
        write_plot(lambda ax: plot_atlas(res, ax=ax), args.plot)
    return 0
