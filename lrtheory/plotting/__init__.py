"""Figures without side effects.

Nothing here changes a global setting: importing :mod:`lrtheory.plotting` imports no
matplotlib, selects no backend and touches no ``rcParams``.  Figures are
:class:`matplotlib.figure.Figure` objects made directly, not through ``pyplot``, so they
work under any backend the user has chosen, are never registered with a GUI and need no
closing (they are freed like any object).

* :func:`new_figure` — a figure and its axes sized for a report page;
* :func:`axes_or_new` — the ``ax=None`` convention: draw into the given Axes, or into a
  new figure's;
* :func:`save_figure` — write a figure atomically (a temporary file in the target folder,
  then ``os.replace``; see :mod:`lrtheory.io`), the format taken from the file suffix;
* :func:`release_figure` — close a figure that pyplot manages (made by the user with
  ``plt.subplots``); figures of :func:`new_figure` need nothing;
* ``plot_*`` functions (:mod:`lrtheory.plotting.dynamics`, and :mod:`lrtheory.plotting.sweeps`
  for sweeps, basins, cobwebs, modified flows, sharpness and phase portraits) — each takes
  ``ax=None`` and returns the Axes it drew into, without closing anything.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from .atlas import plot_atlas
from .branches import plot_branches, plot_parameter_curves
from .dynamics import plot_orbit_diagram, plot_periodic_orbits
from .sweeps import (plot_basins, plot_cobweb, plot_convergence_map, plot_diagram,
                     plot_modified_flow, plot_orbit_counts, plot_phase_portrait, plot_sharpness,
                     plot_sharpness_trajectory, plot_sweep)

__all__ = ["new_figure", "axes_or_new", "save_figure", "release_figure",
           "plot_orbit_diagram", "plot_periodic_orbits", "plot_sweep", "plot_diagram",
           "plot_basins", "plot_convergence_map", "plot_cobweb", "plot_modified_flow",
           "plot_sharpness", "plot_sharpness_trajectory", "plot_phase_portrait",
           "plot_orbit_counts", "plot_branches", "plot_parameter_curves", "plot_atlas"]

#: savefig metadata that keeps vector output byte-for-byte reproducible.
_REPRODUCIBLE = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}


def new_figure(width: float = 6.0, height: float = 3.6, ncols: int = 1, nrows: int = 1):
    """``(figure, axes)``: a :class:`~matplotlib.figure.Figure` of ``width`` x ``height``
    inches with an ``nrows`` x ``ncols`` grid of axes (one Axes when 1 x 1, else an array)."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(nrows, ncols, squeeze=True)


def axes_or_new(ax=None, width: float = 6.0, height: float = 3.6):
    """``ax`` itself, or the axes of a new :func:`new_figure` when ``ax`` is None."""
    return new_figure(width, height)[1] if ax is None else ax


def save_figure(fig, path, *, dpi: float | None = None) -> Path:
    """Write ``fig`` (a Figure, or an Axes of one) to ``path`` atomically, in the format of
    the suffix (``.pdf``, ``.png``, ``.svg``, ...), cropped to its content; vector formats
    carry no creation date.  Returns the path."""
    from ..io import atomic_write_bytes
    fig = _figure_of(fig)
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight",
                metadata=_REPRODUCIBLE.get(fmt))
    return atomic_write_bytes(path, buffer.getvalue())


def _figure_of(fig):
    return fig if hasattr(fig, "savefig") else fig.figure


def release_figure(fig) -> None:
    """Close ``fig`` (a Figure or an Axes of one) in pyplot when pyplot manages it; a
    figure made directly is left to the garbage collector.  Never imports pyplot."""
    fig = _figure_of(fig)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and getattr(fig.canvas, "manager", None) is not None:
        pyplot.close(fig)
