"""Bifurcations of GD's periodic orbits in the learning rate, with their completeness.

* :mod:`.results` — the one family of result types: :class:`Bifurcation`,
  :class:`BifurcationSearch` (every method returns one, with ``complete``, a
  :class:`SearchCompleteness`), :class:`Branch`, :class:`ParameterCurve`;
* :mod:`.exact` — 1-D polynomial maps: exact elimination, proved complete;
* :mod:`.boxes` — any map: branch and bound over boxes of (x, h) on the extended systems,
  proved complete or the undecided boxes named;
* :mod:`.continuation` — pseudo-arclength continuation of branches of periodic orbits in h,
  detection and location of bifurcations, branch switching at period doublings;
* :mod:`.curves` — continuation of a bifurcation in a parameter of the objective (curves
  h*(a)) with codimension-two points;
* :mod:`.search` — :func:`search_bifurcations`, one entry point for every method;
* :mod:`.cascade` — superstable parameters of doubling cascades.

Names are imported on first use, so ``import lrtheory.bifurcation`` is cheap.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "results": ("SearchCompleteness", "AlgebraicNumber", "Bifurcation", "BifurcationSearch",
                "Branch", "CodimTwoPoint", "ParameterCurve", "TwoParameterCurves"),
    "exact": ("exact_bifurcations", "is_exact_applicable", "ExactBifurcation",
              "ExactBifurcationList"),
    "boxes": ("box_bifurcations",),
    "continuation": ("continue_branches", "follow_branch", "branch_from_doubling"),
    "curves": ("continue_bifurcation", "bifurcation_curves"),
    "search": ("search_bifurcations", "METHODS"),
    "cascade": ("superstable_cascade", "SuperstableCascade"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBMODULES = ("results", "exact", "boxes", "continuation", "curves", "search", "arclength",
               "cascade")

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE) | set(_SUBMODULES))
