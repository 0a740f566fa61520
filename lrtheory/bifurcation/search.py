"""One entry point for every bifurcation method: :func:`search_bifurcations`.

Methods (``method=``):

* ``"exact"`` — 1-D maps of polynomial objectives with rational coefficients: exact
  elimination, proved complete (:mod:`.exact`);
* ``"boxes"`` — any map: branch and bound over boxes of (x, h), proved complete or the
  undecided boxes named (:mod:`.boxes`);
* ``"continuation"`` — branches followed from orbit searches at several h and from every
  period doubling (:mod:`.continuation`); not proved;
* ``"sample"`` — the grid-sampling scan
  (:func:`lrtheory.dynamics.bifurcations.find_bifurcations`); not proved;
* ``"auto"`` (default) — ``exact`` when it applies (one variable, polynomial gradient over
  Q, deg(g)^P ≤ :data:`~lrtheory.bifurcation.exact.MAX_ITERATE_DEGREE`), else ``boxes``
  when the branch and bound is feasible (dimension n and period P within
  :data:`BOXES_FEASIBLE`), else ``continuation``.

Every method returns a :class:`~lrtheory.bifurcation.results.BifurcationSearch` whose
``complete`` says "proved" (with the method) or "not proved" (with why).
"""
from __future__ import annotations

import sympy as sp

from ..errors import InputError
from ..objectives import Objective

__all__ = ["search_bifurcations", "choose_method", "METHODS", "BOXES_FEASIBLE"]

METHODS = ("auto", "exact", "boxes", "continuation", "sample")
#: Largest period P for which ``auto`` runs the branch and bound, by dimension n (the
#: boxes live in n + 1 dimensions and G^p is evaluated in balls).
BOXES_FEASIBLE = {1: 6, 2: 2}


def choose_method(obj: Objective, max_period: int) -> str:
    """The method ``auto`` runs for ``obj`` and periods ≤ ``max_period``."""
    from .exact import MAX_ITERATE_DEGREE, is_exact_applicable
    if is_exact_applicable(obj):
        deg = max(sp.Poly(obj.gradient[0], obj.vars[0]).degree(), 1)
        if deg ** max_period <= MAX_ITERATE_DEGREE:
            return "exact"
    if max_period <= BOXES_FEASIBLE.get(obj.dim, 0):
        return "boxes"
    return "continuation"


def search_bifurcations(obj: Objective, lr_range, max_period: int, method: str = "auto",
                        box=(-3, 3), dps: int = 50, certify: bool = True, samples: int = 40,
                        starts: int | None = None, seeds: int = 5,
                        max_boxes: int | None = None):
    """Every bifurcation (period doubling, fold, Neimark–Sacker) of orbits of minimal
    period ≤ ``max_period`` with learning rate in ``lr_range``, by ``method`` (module
    docstring), reported at ``dps`` digits.  ``box = (lo, hi)``: orbits with a point in
    [lo, hi]^n (boxes), seeds and branches in it (continuation, sample); the exact method
    covers all of R.  ``samples`` / ``starts`` — grid sampling; ``seeds`` / ``starts`` —
    learning rates and starts of the orbit searches seeding continuation; ``max_boxes`` —
    the branch-and-bound budget per (period, kind)."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if obj.params:
        raise InputError(f"objective has parameters {[str(q) for q in obj.params]}: "
                         "substitute values first (or continue in them with `continue`)")
    if method == "auto":
        method = choose_method(obj, int(max_period))
    if method == "exact":
        from .exact import exact_bifurcations
        return exact_bifurcations(obj, lr_range, max_period, dps=dps + 10)
    if method == "boxes":
        from .boxes import MAX_BOXES, box_bifurcations
        return box_bifurcations(obj, lr_range, max_period, box, certify_dps=dps,
                                max_boxes=max_boxes or MAX_BOXES)
    if method == "continuation":
        from .continuation import continue_branches
        return continue_branches(obj, lr_range, max_period, box, seeds=seeds,
                                 starts=starts or 100, locate_dps=dps, certify=certify)
    from ..dynamics.bifurcations import find_bifurcations
    return find_bifurcations(obj, lr_range, max_period, dps=dps, box=box, samples=samples,
                             starts=starts or 200, certify=certify)
