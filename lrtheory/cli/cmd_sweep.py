"""`lrtheory sweep EXPR --vars x,y --lr-range A B --lr-samples N` — GD over a grid of
learning rates, parameter values and starts, on one core, local processes or Dask; the
dataset goes to NetCDF (.nc) or Zarr (.zarr).

Also the options every sweep command shares (:func:`add_parallel`, :func:`add_output`) and
their use (:func:`run_options`, :func:`write_plot`)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..errors import InputError
from .common import note_file, print_json, print_table, progress, records
from .options import (MAX_PERIOD, MAX_STARTS, MAX_STEPS, add_box, add_count, add_dps,
                      add_expression, add_json_flag, add_lr_range, add_progress, add_seed,
                      add_steps, add_vars, output_dir_problem, output_file_problem,
                      parse_pair, point)

ORDER = 23
RECORD_CHOICES = ("limit", "orbit", "sharpness", "lyapunov", "orbits")
#: Largest number of sampled learning rates and of grid points per axis.
MAX_SAMPLES = 100_000
MAX_GRID = 4096
MAX_JOBS = 512


# ---- options shared by sweep, diagram and basins (and verify's --jobs/--dask) -------------
def add_parallel(p, what: str = "chunks") -> None:
    """``--jobs N | --dask ADDRESS|local``."""
    g = p.add_mutually_exclusive_group()
    add_count(g, "--jobs", f"local processes that run the {what} (1: this process)",
              default=1, lo=1, hi=MAX_JOBS)
    g.add_argument("--dask", metavar="ADDRESS", default=None, type=_dask_address,
                   help=f"run the {what} on a Dask cluster: its scheduler address "
                        "(tcp://host:8786), or 'local' for a local cluster of one worker "
                        "process per core (needs pip install 'lrtheory[dask]')")


def _dask_address(text):
    """Type of ``--dask``: 'local' or a scheduler address (checked before connecting)."""
    if str(text).strip() == "local":
        return "local"
    from ..sweeps.executors import check_address
    try:
        return check_address(str(text))
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--dask ")) from None


def _sweep_output(text):
    """Type of ``--out``: a .nc file or a .zarr folder that can be written."""
    suffix = Path(str(text)).suffix.lower()
    if suffix not in (".nc", ".zarr"):
        raise argparse.ArgumentTypeError(f"must end in .nc (NetCDF) or .zarr (Zarr), "
                                          f"got {text!r}")
    problem = (output_dir_problem if suffix == ".zarr" else output_file_problem)(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return str(text)


def _plot_file(text):
    """Type of ``--plot``: FILE, written as FILE's stem .png and .pdf (a FILE with another
    file-type suffix, such as x.txt or x.svg, is refused: the files written would not be
    what the name says; a numeric one, as in lr1.5, is part of the name)."""
    suffix = Path(str(text)).suffix.lower()
    if suffix[1:].isalpha() and suffix not in (".png", ".pdf"):
        raise argparse.ArgumentTypeError(f"{text!r}: the figure is written as PNG and PDF; "
                                          "give FILE without a suffix or ending in .png "
                                          "or .pdf")
    for path in plot_paths(text):
        problem = output_file_problem(path)
        if problem:
            raise argparse.ArgumentTypeError(problem)
    return str(text)


def plot_paths(text) -> list[Path]:
    """The PNG and PDF files of ``--plot FILE`` (FILE's suffix .png/.pdf, if any, dropped)."""
    path = Path(str(text))
    if path.suffix.lower() in (".png", ".pdf"):
        path = path.with_suffix("")
    return [path.with_name(path.name + ".png"), path.with_name(path.name + ".pdf")]


def add_output(p) -> None:
    """``--chunk-size``, ``--out``, ``--resume``, ``--plot``, ``--progress``."""
    add_count(p, "--chunk-size", "cells per chunk (default: about eight chunks per worker)",
              default=None, lo=1, hi=2**31)
    p.add_argument("--out", metavar="FILE", default=None, type=_sweep_output,
                   help="write the dataset: FILE.nc (NetCDF) or FILE.zarr (Zarr); finished "
                        "chunks go to FILE.partial while the sweep runs")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted sweep with the same --out from its "
                        "finished chunks")
    p.add_argument("--overwrite", action="store_true",
                   help="move an existing --out that is not this sweep's dataset aside "
                        "(renamed FILE.replaced-N; nothing is deleted) instead of refusing")
    p.add_argument("--plot", metavar="FILE", default=None, type=_plot_file,
                   help="write the figure as FILE.png and FILE.pdf")
    add_progress(p)


def run_options(args) -> dict:
    """Keyword arguments of :func:`lrtheory.sweeps.run_sweep` from the shared options."""
    if args.resume and not args.out:
        raise InputError("--resume needs --out FILE (the output of the interrupted sweep)")
    if args.overwrite and (args.resume or not args.out):
        raise InputError("--overwrite needs --out FILE and no --resume")
    if args.overwrite:
        from ..sweeps.store import move_aside
        aside = move_aside(args.out)
        if aside is not None:
            progress(f"moved the existing {args.out} aside to {aside}")
    kw = {"chunk_size": args.chunk_size, "out": args.out, "resume": args.resume,
          "progress": args.progress or None}
    if args.dask is not None:
        kw["dask"] = args.dask
    elif args.jobs > 1:
        kw["jobs"] = args.jobs
    return kw


def report_stats(stats: dict) -> None:
    """One line on stderr: chunks, time, steps per second, where they ran."""
    resumed = f", {stats['resumed']} resumed" if stats.get("resumed") else ""
    rate = f", {stats['steps_per_second']:.3g} GD steps/s" if stats.get("steps") else ""
    progress(f"{stats['chunks']} chunks ({stats['computed']} computed{resumed}) in "
             f"{stats['seconds']:.1f} s{rate}; {stats['executor']}, {stats['workers']} "
             f"worker(s), engine {stats['engine']}")


def write_plot(draw, path_text) -> None:
    """Draw with ``draw(ax)`` into a new figure and write it as PNG and PDF."""
    from ..plotting import new_figure, save_figure
    fig, ax = new_figure(6.4, 4.2)
    draw(ax)
    for path in plot_paths(path_text):
        save_figure(fig, path, dpi=150)
    progress(f"figure written to {', '.join(str(p) for p in plot_paths(path_text))}")


def lr_values(args) -> list[float]:
    """The --lr-samples learning rates A + i(B − A)/(N − 1), exactly, rounded to float."""
    from ..sweeps import exact_grid
    return [float(v) for v in exact_grid(args.lr_range[0], args.lr_range[1], args.lr_samples)]


def starts_of(args, dim: int):
    """(box, grid, x0) of the sweep from --x0 (points) or --box/--grid."""
    if args.x0:
        from ..parsing import parse_number
        pts = [[float(parse_number(c, "start")) for c in s.split(",")] for s in args.x0]
        bad = [s for s, p in zip(args.x0, pts) if len(p) != dim]
        if bad:
            raise InputError(f"--x0 {bad[0]} has {len(bad[0].split(','))} coordinates, "
                             f"objective has {dim}")
        return None, None, pts
    lo, hi = parse_pair(args.box, "box")
    return (float(lo), float(hi)), args.grid, None


_PARAM = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([^:]+):([^:]+):\s*(\d+)\s*$")


def parse_param(text) -> tuple:
    """``NAME=LO:HI:N`` -> (name, N exact values)."""
    from ..sweeps import exact_grid
    m = _PARAM.match(str(text))
    if not m:
        raise InputError(f"--param must be NAME=LO:HI:N, e.g. mu=0.5:2:8, got {text!r}")
    name, lo, hi, n = m.groups()
    if not 1 <= int(n) <= MAX_GRID:
        raise InputError(f"--param {name}: N must be from 1 to {MAX_GRID}, got {n}")
    return name, exact_grid(lo.strip(), hi.strip(), int(n))


def _param_type(text):
    try:
        parse_param(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return str(text)


# ---- the command -------------------------------------------------------------------------
def register(sub):
    p = sub.add_parser(
        "sweep", help="GD over grids of learning rates, parameters and starts (parallel)",
        description="Run GD at every learning rate of [A, B] (N samples), every value of "
                    "the swept parameters and every start (a box grid or given points), "
                    "in chunks on this process, local processes (--jobs) or a Dask cluster "
                    "(--dask); record the label of every run (converged / periodic / "
                    "aperiodic / divergent) and its limit, last states, sharpness or "
                    "Lyapunov exponents, or (--record orbits) the certified periodic "
                    "orbits at each learning rate. The dataset (xarray) goes to --out.")
    add_expression(p)
    add_vars(p)
    add_lr_range(p)
    add_count(p, "--lr-samples", "learning rates A + i(B - A)/(N - 1) sampled", default=16,
              lo=1, hi=MAX_SAMPLES)
    p.add_argument("--param", action="append", default=[], metavar="NAME=LO:HI:N",
                   type=_param_type,
                   help="sweep a parameter of EXPR over N values from LO to HI "
                        "(repeatable), e.g. mu=0.5:2:8")
    add_box(p, default="-2,2", help="LO,HI: the box [LO,HI]^n of the grid of starts (and "
                                    "of the orbit search of --record orbits)")
    add_count(p, "--grid", "grid points per variable of the box", default=16, lo=1,
              hi=MAX_GRID)
    p.add_argument("--x0", action="append", default=[], metavar="X0", type=point,
                   help="a start (comma-separated coordinates; repeatable) instead of the "
                        "box grid")
    p.add_argument("--record", choices=RECORD_CHOICES, default="limit",
                   help="what each run keeps besides its label: its limit, its last --tail "
                        "states, the sharpness or the Lyapunov exponents at its end; "
                        "'orbits': certified periodic orbits of period <= --max-period at "
                        "each learning rate")
    add_steps(p, 1000, "GD steps recorded per run")
    add_steps(p, 0, "GD steps run before recording", flag="--transient", lo=0)
    add_count(p, "--tail", "last states classified (and kept by --record orbit)",
              default=64, lo=2, hi=MAX_STEPS)
    add_count(p, "--max-period", "largest period detected (GD records) or searched and "
              "certified (--record orbits) (default: 12, and 3 for --record orbits)",
              default=None, lo=1, hi=MAX_PERIOD, metavar="P")
    add_count(p, "--starts", "starts per batch of the orbit search (--record orbits)",
              default=200, lo=1, hi=MAX_STARTS)
    add_dps(p, 30, "decimal digits of the orbit search (--record orbits)")
    add_seed(p, help="seed of the orbit searches (each learning rate derives its own)")
    add_parallel(p)
    add_output(p)
    add_json_flag(p, "print JSON: the runs and 'behaviours', one record per behaviour "
                  "(behaviour, label, period, runs, fraction); with --record orbits "
                  "'orbits', one record per learning rate, parameter value and period "
                  "(found, certified, attracting)", exact=False)
    p.set_defaults(func=run)


def make_sweep(args):
    """The :class:`lrtheory.sweeps.Sweep` the options describe."""
    from ..sweeps import GDTask, OrbitsTask, Sweep
    params = dict(parse_param(t) for t in args.param)
    if len(params) != len(args.param):
        raise InputError("a parameter is given twice in --param")
    names = [n.strip() for n in args.vars.split(",")]
    if args.record == "orbits":
        if args.x0:
            raise InputError("--record orbits searches the box: --x0 does not apply")
        lo, hi = parse_pair(args.box, "box")
        task = OrbitsTask(args.max_period or 3, (float(lo), float(hi)), args.starts, args.dps)
        return Sweep.of(args.expr, names, lr_values(args), task=task, params=params,
                        seed=args.seed)
    task = GDTask(args.record, args.steps, args.transient, args.tail,
                  args.max_period or min(MAX_PERIOD, args.tail - 1))
    box, grid, x0 = starts_of(args, len(names))
    return Sweep.of(args.expr, names, lr_values(args), task=task, params=params, box=box,
                    grid=grid, x0=x0)


def run(args) -> int:
    from ..sweeps import run_sweep
    sweep = make_sweep(args)
    stats = {}
    ds = run_sweep(sweep, stats=stats, **run_options(args))
    report_stats(stats)
    if args.json:
        print_json(sweep_document(ds, sweep))
    elif "orbits" in ds:
        print_orbit_counts(ds, args)
    else:
        print(describe(ds, sweep), file=note_file(args))
        print_label_counts(ds, args)
    if args.out:
        progress(f"dataset written to {args.out} (xarray.open_dataset)")
    if args.plot:
        from ..plotting import plot_sweep
        write_plot(lambda ax: plot_sweep(ds, ax=ax), args.plot)
    return 0


def describe(ds, sweep) -> str:
    sizes = ", ".join(f"{d}: {ds.sizes[d]}" for d in sweep.grid_dims)
    t = sweep.task
    return (f"{sweep.cells * (len(sweep.lr) if sweep.continued else 1)} runs ({sizes}), "
            f"{t.transient + t.steps} steps each")


def label_counts(ds) -> list[list]:
    """Runs per behaviour: [behaviour, label code, period, runs, fraction of the runs]."""
    import numpy as np

    from ..sweeps import behaviour
    lab, per = ds["label"].values.ravel(), ds["period"].values.ravel()
    rows = []
    for a, p in sorted({(int(a), int(p)) for a, p in zip(lab, per)}):
        n = int(np.sum((lab == a) & (per == p)))
        rows.append([behaviour(a, p), a, p, n, n / len(lab)])
    return rows


def print_label_counts(ds, args=None) -> None:
    """Runs per behaviour (converged, period p, aperiodic, divergent)."""
    print_table(["behaviour", "runs", "fraction"],
                [[b, n, f"{f:.4f}"] for b, _, _, n, f in label_counts(ds)], args=args)


def orbit_counts(ds) -> list[dict]:
    """Per learning rate, parameter value and period: orbits found, certified and
    attracting (the long table of ``ds``'s orbit counts)."""
    frame = ds[["orbits", "certified", "attracting"]].to_dataframe().reset_index()
    frame = frame.rename(columns={"orbits": "found"})
    return [{k: getattr(v, "item", lambda: v)() for k, v in row.items()}
            for row in frame.to_dict("records")]


def sweep_document(ds, sweep) -> dict:
    """The ``--json`` output of ``lrtheory sweep``: the runs and the table of behaviours, or
    of orbit counts (``--record orbits``); ``pandas.DataFrame`` reads each table."""
    doc = {"command": "sweep", "record": sweep.task.record if "orbits" not in ds
           else "orbits", "dims": {d: int(ds.sizes[d]) for d in sweep.grid_dims}}
    if "orbits" in ds:
        doc["orbits"] = orbit_counts(ds)
    else:
        doc["runs"] = sweep.cells * (len(sweep.lr) if sweep.continued else 1)
        doc["steps"] = sweep.task.transient + sweep.task.steps
        doc["behaviours"] = records(["behaviour", "label", "period", "runs", "fraction"],
                                    label_counts(ds))
    return doc


def print_orbit_counts(ds, args=None) -> None:
    """Per learning rate: orbits found / certified / attracting of each period."""
    rest = {d: 0 for d in ds["orbits"].dims if d not in ("lr", "period")}
    periods = [int(p) for p in ds["period"].values]
    rows = []
    for k, h in enumerate(ds["lr"].values):
        sel = dict(rest, lr=k)
        cells = [f"{int(ds['orbits'].isel(sel)[p - 1])}/{int(ds['certified'].isel(sel)[p - 1])}"
                 f"/{int(ds['attracting'].isel(sel)[p - 1])}" for p in periods]
        rows.append([f"{h:.6g}"] + cells)
    print_table(["lr"] + [f"period {p}" for p in periods], rows, args=args)
    print("each entry: orbits found / certified / attracting", file=note_file(args))
