"""Orbit diagrams over the learning rate, and the windows of one long-run behaviour.

:func:`diagram` iterates GD at each h of a grid from given starts and keeps the last
``keep`` iterates after a transient: a fixed point shows one value per h, a period-p orbit
p values, a chaotic attractor a band.  By default the state is continued from the previous
learning rate (as DynamicalSystems.jl's ``orbitdiagram`` does): the run at h_k starts where
the run at h_{k−1} ended, so a branch is followed through its bifurcations (``continued=
False`` starts every h afresh from the starts, and parallelises over h).

:func:`windows` reads a diagram (or any sweep over lr with labels) as intervals of h with
one behaviour: converged, period p, aperiodic (chaotic or quasi-periodic), divergent —
"where are the periodic windows".
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["diagram", "windows", "behaviour"]


def diagram(objective, variables=None, lr=(), x0=(0.5,), *, transient: int = 1000,
            keep: int = 100, continued: bool = True, max_period: int = 16,
            tol: float = 1e-9, blowup: float = 1e6, **run):
    """The orbit diagram of GD over the learning rates ``lr`` from the starts ``x0`` (one
    point or shape (m, n)): a sweep with ``record="orbit"`` of ``keep`` iterates after
    ``transient`` steps (:func:`~lrtheory.sweeps.run_sweep`; keyword arguments ``run`` go
    there).  The dataset's ``orbit`` has dimensions (lr, start, iterate, variable)."""
    from .run import run_sweep
    from .spec import GDTask, Sweep
    X = np.atleast_2d(np.asarray(x0, dtype=float))
    if keep < 2:
        raise InputError(f"keep must be >= 2, got {keep}")
    task = GDTask("orbit", steps=keep, transient=transient, tail=keep,
                  max_period=min(max_period, keep - 1), tol=tol, blowup=blowup,
                  continued=continued)
    return run_sweep(Sweep.of(objective, variables, lr, x0=X, task=task), **run)


def behaviour(label: int, period: int) -> str:
    """The text of one (label code, period): converged / period p / aperiodic / divergent."""
    return {0: "converged", 2: "aperiodic", 3: "divergent"}.get(int(label), f"period {period}")


def windows(ds) -> list[tuple[float, float, str]]:
    """``(h_first, h_last, behaviour)`` for each maximal run of consecutive learning rates
    whose set of behaviours over all starts (and parameter values) is the same."""
    if "lr" not in ds.dims or "label" not in ds:
        raise InputError("windows need a sweep over lr with labels")
    label = ds["label"].transpose("lr", ...).values.reshape(ds.sizes["lr"], -1)
    period = ds["period"].transpose("lr", ...).values.reshape(ds.sizes["lr"], -1)
    hs = ds["lr"].values
    out = []
    for k, h in enumerate(hs):
        kinds = sorted({(int(a), int(p)) for a, p in zip(label[k], period[k])},
                       key=lambda t: (t[0], t[1]))
        text = ", ".join(behaviour(a, p) for a, p in kinds)
        if out and out[-1][2] == text:
            out[-1] = (out[-1][0], float(h), text)
        else:
            out.append((float(h), float(h), text))
    return out
