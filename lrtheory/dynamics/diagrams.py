"""Orbit (bifurcation) diagrams of GD over a range of learning rates (BLOG-9, KT-2).

For each h in a grid and each start x_0, iterate G_h(x) = x − h∇f(x) for ``transient``
steps (vectorized float64 over all (h, x_0) pairs at once), then record the next ``keep``
iterates of one coordinate: a fixed point shows one dot per h, a period-p orbit p dots,
a chaotic attractor a band.
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..objectives import Objective
from ..plotting import new_figure


def orbit_diagram(obj: Objective, h_values, x0s, transient: int = 2000, keep: int = 200,
                  coord: int = 0, blowup: float = 1e6) -> dict:
    """Long-run iterates of coordinate ``coord`` for every h in ``h_values`` and start in
    ``x0s`` (shape (m, n)).  Returns ``{"h": (K,), "values": (K, m·keep)}`` with nan where
    the orbit left the ball of radius ``blowup``."""
    hs = np.asarray(h_values, dtype=float)
    if np.any(hs <= 0) or not np.all(np.isfinite(hs)):
        raise InputError("learning rates must be positive and finite")
    X0 = np.atleast_2d(np.asarray(x0s, dtype=float))
    if X0.shape[1] != obj.dim:
        raise InputError(f"starts have {X0.shape[1]} coordinates, objective has {obj.dim}")
    m = len(X0)
    H = np.repeat(hs, m)[:, None]
    X = np.tile(X0, (len(hs), 1))
    with np.errstate(all="ignore"):
        for _ in range(transient):
            X = obj.numpy.gd_step(X, H)
            X[~np.all(np.abs(X) < blowup, axis=1)] = np.nan
        vals = np.empty((len(X), keep))
        for k in range(keep):
            X = obj.numpy.gd_step(X, H)
            X[~np.all(np.abs(X) < blowup, axis=1)] = np.nan
            vals[:, k] = X[:, coord]
    return {"h": hs, "values": vals.reshape(len(hs), m * keep)}


def plot_orbit_diagram(diagram: dict, label: str = "x", marks: dict | None = None):
    """Matplotlib figure of an :func:`orbit_diagram`; ``marks`` maps a label to an h drawn
    as a vertical line (e.g. computed bifurcation points)."""
    fig, ax = new_figure(6.0, 3.6)
    hs, vals = diagram["h"], diagram["values"]
    hh = np.repeat(hs, vals.shape[1])
    ax.plot(hh, vals.ravel(), ",", color="k", alpha=0.35)
    for i, (name, h) in enumerate((marks or {}).items()):
        ax.axvline(float(h), color=f"C{i % 10}", lw=0.8, label=name)
    if marks:
        ax.legend(fontsize=7, loc="lower left")
    ax.set_xlabel("learning rate $h$")
    ax.set_ylabel(f"long-run ${label}$")
    return fig
