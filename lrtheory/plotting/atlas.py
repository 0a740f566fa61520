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
            for ball in b.cycle:
                ax.plot([lo, hi], [ball.mid, ball.mid], color="k", lw=0.8)
    H, X = _orbit_points(result)
    ax.plot(H, X, ",", color="k", alpha=0.5)
    ax.set_xlabel("learning rate $h$")
    ax.set_ylabel(f"${result.variable}$")
    ax.set_title(f"certified atlas of GD on f = {result.objective}", fontsize=9)
    ax.legend(handles=[Patch(color=c, alpha=0.45, label=k) for k, c in ATLAS_COLOURS.items()],
              fontsize=7, loc="lower left")
    return ax
