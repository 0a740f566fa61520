"""The certified atlas drawn over the orbit diagram: one coloured band per proved class."""
from __future__ import annotations

__all__ = ["plot_atlas", "ATLAS_COLOURS"]

#: Band colour of each class of :data:`lrtheory.atlas.CLASSES`.
ATLAS_COLOURS = {"attracting": "#4c9a2a", "chaotic": "#d1495b", "divergent": "#555555",
                 "undecided": "#f0c419"}


def _orbit_points(result, samples: int = 400, transient: int = 500, keep: int = 60):
    """(h, x) of the critical orbits of GD (float64, after a transient) at ``samples``
    learning rates of the range: the orbit diagram under the bands."""
    import numpy as np

    from ..atlas.maps import gd_map
    from ..objectives import Objective
    gd = gd_map(Objective(result.objective, result.variable), result.radius or 3.0)
    radius = result.radius or 1e6
    lo, hi = (float(v) for v in (result.boxes[0].interval[0], result.boxes[-1].interval[1]))
    if gd.dim == 2:
        return _plane_orbit_points(gd, np.linspace(lo, hi, samples), transient, keep)
    H, X = [], []
    for h in np.linspace(lo, hi, samples):
        G, _ = gd.float_map(h)
        for x in gd.float_critical_points(h, radius):
            with np.errstate(all="ignore"):
                for _ in range(transient):
                    x = G(x)
                for _ in range(keep):
                    x = G(x)
                    if np.isfinite(x) and abs(x) < radius:
                        H.append(h)
                        X.append(float(x))
    return np.array(H), np.array(X)


def _plane_orbit_points(gd, rates, transient: int, keep: int):
    """(h, x) of GD orbits of a two-variable objective from a 2 × 2 grid of starts in
    [−L, L]², off the lines of rational points (the first coordinate, float64, after a
    transient; all rates at once)."""
    import numpy as np
    axis = gd.radius * np.array([-0.29, 0.37])
    starts = np.array([(a, b) for a in axis for b in axis])
    Z = np.tile(starts, (len(rates), 1))
    h = np.repeat(np.asarray(rates, dtype=float), len(starts))[:, None]
    step = gd.obj.numpy.gd_step
    H, X = [], []
    with np.errstate(all="ignore"):
        for _ in range(transient):
            Z = step(Z, h)
        for _ in range(keep):
            Z = step(Z, h)
            ok = np.all(np.abs(Z) < 1e6, axis=1)
            H.append(h[ok, 0])
            X.append(Z[ok, 0])
    return np.concatenate(H), np.concatenate(X)


def plot_atlas(result, ax=None):
    """The orbit diagram of the critical orbits (float64, for orientation only) with the
    proved classes of :func:`lrtheory.atlas.atlas` as coloured bands (uniquely attracting
    boxes drawn darker) and the attracting cycles' ball enclosures as vertical bars."""
    from matplotlib.patches import Patch

    from . import axes_or_new
    ax = axes_or_new(ax)
    for b in result.boxes:
        lo, hi = (float(v) for v in b.interval)
        alpha = 0.45 if b.unique else 0.25
        ax.axvspan(lo, hi, color=ATLAS_COLOURS[b.label], alpha=alpha, lw=0)
        if b.label == "attracting":
            for ball in b.cycle[::len(result.variable.split(","))]:  # first coordinates
                ax.plot([lo, hi], [ball.mid, ball.mid], color="k", lw=0.8)
    H, X = _orbit_points(result)
    ax.plot(H, X, ",", color="k", alpha=0.5)
    ax.set_xlabel("learning rate $h$")
    ax.set_ylabel(f"${result.variable.split(',')[0]}$")
    ax.set_title(f"certified atlas of GD on f = {result.objective}", fontsize=9)
    ax.legend(handles=[Patch(color=c, alpha=0.45, label=k) for k, c in ATLAS_COLOURS.items()],
              fontsize=7, loc="lower left")
    return ax
