"""One chunk of a sweep: the cells start..stop−1 run by the vectorized GD kernel (or the
certified orbit search), returned as arrays whose first axis is the chunk's cells.

:func:`run_chunk` is what every executor calls (in this process, in a worker process or
on a Dask worker); it is a module-level function of picklable arguments.  Cells that share
parameter values run as one :func:`lrtheory.gd.run_gd` call over rows (start, rate); the
runs of a continued task go through the learning rates in order, each row restarting from
its last state (from its start after it diverged).
"""
from __future__ import annotations

import json
import threading

import numpy as np

from .spec import LABEL_MEANINGS, OrbitsTask, Sweep, cell_seed

__all__ = ["run_chunk", "allocate"]

_CODES = {name: np.int8(i) for i, name in enumerate(LABEL_MEANINGS)}
#: mpmath and python-flint keep their precision per process: certified searches running on
#: several threads of one worker take turns.
_PRECISION_LOCK = threading.Lock()
#: A continued run starts from its last state moved by NUDGE·(1 + |x|): in floating point
#: a fixed point such as x = 1 of (x² − 1)²/4 is exactly fixed for every h, and a state
#: sitting on it would stay there after the point lost its stability.
NUDGE = 1e-9


def allocate(sweep: Sweep, count: int) -> dict:
    """Empty per-cell arrays of every output (nan / 0 / "")."""
    out = {}
    for name, _, sizes, dtype in sweep.outputs():
        shape = (count,) + tuple(sizes)
        out[name] = np.full(shape, np.nan) if dtype is np.float64 else \
            np.zeros(shape, dtype=object if dtype is str else dtype)
    return out


def run_chunk(sweep: Sweep, start: int, stop: int) -> dict:
    """The outputs (``{name: array}``, first axis the cells start..stop−1) of one chunk."""
    out = allocate(sweep, stop - start)
    sub = sweep.unravel(start, stop)
    if isinstance(sweep.task, OrbitsTask):
        _orbits(sweep, sub, start, out)
    else:
        _gd(sweep, sub, out)
    if "records" in out:
        out["records"] = out["records"].astype(str)
    return out


def _gd(sweep: Sweep, sub: dict, out: dict) -> None:
    X0 = sweep.starts_of(sub)
    combos = sweep.combos_of(sub)
    for c in np.unique(combos):
        rows = np.flatnonzero(combos == c)
        obj = sweep.objective(int(c))
        if sweep.continued:
            _continued(sweep, obj, X0[rows], rows, out)
        else:
            H = np.asarray(sweep.lr, dtype=float)[sub["lr"][rows]]
            _fill(sweep, out, (rows,), _run(sweep, obj, X0[rows], H))


def _run(sweep: Sweep, obj, X0, H):
    from ..gd import run_gd
    t = sweep.task
    return run_gd(obj, X0, H, t.steps, t.gd_record(), transient=t.transient,
                  blowup=t.blowup, engine=sweep.engine)


def _continued(sweep: Sweep, obj, X0, rows, out) -> None:
    """Every row through the learning rates in order, continuing from its last state
    nudged by :data:`NUDGE`·(1 + |x|) (from its start after it diverged)."""
    X = X0.copy()
    for k, h in enumerate(np.asarray(sweep.lr, dtype=float)):
        run = _run(sweep, obj, X, float(h))
        _fill(sweep, out, (rows, k), run)
        X = np.where(np.asarray(run.diverged)[:, None], X0,
                     run.last + NUDGE * (1 + np.abs(run.last)))


def _fill(sweep: Sweep, out: dict, at: tuple, run) -> None:
    """Store one GD run (rows of the batch) at ``out[name][at]``.  The label code is read
    off the period (1 converged, p ≥ 2 periodic: the classifier gives a period only to a
    bounded run) and, for the runs without one, off the label (aperiodic or divergent)."""
    periods = np.asarray(run.periods).reshape(-1)
    codes = np.where(periods == 1, _CODES["converged"], _CODES["periodic"]).astype(np.int8)
    labels = run.labels
    for i in np.flatnonzero(periods == 0):
        codes[i] = _CODES[labels[i]]
    out["label"][at] = codes
    out["period"][at] = run.periods
    record = sweep.task.record
    if record == "orbit":
        out["orbit"][at] = np.moveaxis(run.tail, 0, 1)
    else:
        for i, v in enumerate(sweep.variables):
            out[f"limit_{v}"][at] = run.last[:, i]
    if record == "sharpness":
        out["sharpness"][at] = run.sharpness
    if record == "lyapunov":
        out["lyapunov"][at] = run.exponents


def _orbits(sweep: Sweep, sub: dict, start: int, out: dict) -> None:
    """The certified orbit search of every cell, its counts per period and its JSON."""
    from ..dynamics.orbits import search_periodic_orbits
    t = sweep.task
    lr = np.asarray(sweep.lr, dtype=float)
    combos = sweep.combos_of(sub)
    for j, (i_lr, c) in enumerate(zip(sub["lr"], combos)):
        with _PRECISION_LOCK:
            res = search_periodic_orbits(sweep.objective(int(c)), float(lr[i_lr]),
                                         t.max_period, t.box, starts=t.starts, dps=t.dps,
                                         seed=cell_seed(sweep.seed, start + j),
                                         certify=t.certify)
        for o in res.orbits:
            out["orbits"][j, o.period - 1] += 1
            out["attracting"][j, o.period - 1] += o.stable is True
            out["certified"][j, o.period - 1] += bool(o.certified)
        out["records"][j] = json.dumps(res.to_json(exact=True), separators=(",", ":"))
