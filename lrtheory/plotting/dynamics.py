"""Plots of GD dynamics: orbit (bifurcation) diagrams and periodic orbits.

Each function takes ``ax=None`` (a new figure when None), draws, and returns the Axes;
matplotlib and numpy are imported inside the functions."""
from __future__ import annotations


def plot_orbit_diagram(diagram: dict, label: str = "x", marks: dict | None = None, ax=None,
                       xlabel: str = "learning rate $h$"):
    """Dots ``(h, value)`` for every long-run value of an orbit diagram
    (:func:`lrtheory.dynamics.diagrams.orbit_diagram`: ``{"h": (K,), "values": (K, M)}``):
    one dot per h for a fixed point, p for a period-p orbit, a band for chaos.  ``marks``
    maps a legend label to an h drawn as a vertical line (e.g. computed bifurcation
    points)."""
    import numpy as np

    from . import axes_or_new
    ax = axes_or_new(ax)
    hs, vals = np.asarray(diagram["h"], dtype=float), np.asarray(diagram["values"], dtype=float)
    ax.plot(np.repeat(hs, vals.shape[1]), vals.ravel(), ",", color="k", alpha=0.35)
    for i, (name, h) in enumerate((marks or {}).items()):
        ax.axvline(float(h), color=f"C{i % 10}", lw=0.8, label=name)
    if marks:
        ax.legend(fontsize=7, loc="lower left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"long-run ${label}$")
    return ax


def plot_periodic_orbits(orbits, ax=None, coords: tuple = (0, 1)):
    """The points of periodic orbits (objects with ``period`` and ``points``, e.g.
    :class:`lrtheory.dynamics.orbits.PeriodicOrbit`) projected on the coordinates
    ``coords``: open circles, one colour per period (C{p-1}) and size 2 + p, longer periods
    drawn first, one legend entry per period."""
    import numpy as np

    from . import axes_or_new
    ax = axes_or_new(ax, 5.0, 5.0)
    i, j = coords
    seen = set()
    for o in sorted(orbits, key=lambda o: -o.period):
        P = np.array([[float(c) for c in pt] for pt in o.points])
        label = None if o.period in seen else f"period {o.period}"
        seen.add(o.period)
        ax.plot(P[:, i], P[:, j] if P.shape[1] > j else np.zeros(len(P)), "o",
                ms=2 + o.period, mfc="none", mew=0.8, color=f"C{(o.period - 1) % 10}",
                label=label)
    return ax
