"""Where GD goes from every start of a box: the box of starts covered by pieces, each
proved to converge to the unique fixed point of a contraction box — the limits of the
edge-of-stability statement "GD from every start of B converges to a point of sharpness
at most 2/h" (Cohen et al., ICLR 2021), decided over B (:mod:`lrtheory.expect.eos`).

A *limit* is a contraction box C = c ± r (:func:`lrtheory.certify.gd_runs.contraction_box`:
G(C) ⊂ C, ‖DG(C)‖∞ < 1), so G has a unique fixed point x* in C and every orbit entering C
converges to it.  Limits are found by certified runs (:func:`lrtheory.certify.gd_runs.
study_run`) from rational starts of the box.  A sub-box X₀ of starts is

* **covered** by limit j when its ball orbit X_{k+1} = ball image of X_k
  (:func:`lrtheory.certify.gd_sets.ball_image`, natural extension ∩ mean-value form)
  enters C_j within ``steps`` steps — every start of X₀ converges to x*_j;
* **a counterexample** when a rational start of it (inside the box) is certified to
  diverge or to converge to a cycle of period ≥ 2 — GD from it has no limit point;
* bisected otherwise; boxes left at the depth limit or the budget are *undecided*, with
  their total measure.
"""
from __future__ import annotations

import math

import sympy as sp

from ..aliases import lr_keyword
from ..objectives import Objective
from ..results import Result, result
from .branch_and_bound import ACCEPT, EXCLUDE, SPLIT, branch_and_bound
from .krawczyk import box_balls
from .monotone_sets import rational_start
from .sets import Box

__all__ = ["LimitCover", "limits_over_box"]

#: Steps of the certified runs that find limits (float64 and mpmath).
RUN_STEPS = 4000
DPS = 40


@result
class LimitCover(Result):
    """Outcome of :func:`limits_over_box`: ``limits`` — contraction boxes (centre, radius)
    each holding the unique fixed point its orbits converge to; ``pieces`` — (float box
    of starts, index of its limit); ``undecided`` — float boxes of starts left, of total
    measure ``undecided_measure``; ``counterexample`` — a rational start inside the box
    (texts) certified to have no limit point, and ``why`` (its run, in words);
    ``boxes`` decided by the branch and bound."""

    limits: tuple = ()
    pieces: tuple = ()
    undecided: tuple = ()
    undecided_measure: float = 0.0
    counterexample: tuple = ()
    why: str = ""
    boxes: int = 0

    @property
    def verdict(self) -> str:
        """"refuted" (a start without limit), "proved" (every start covered), else
        "undecided"."""
        return "refuted" if self.counterexample else "undecided" if self.undecided \
            else "proved"


def _enters(obj: Objective, X, Hb, limits, steps: int):
    """The index of the first limit box the ball orbit of X enters within ``steps`` steps,
    or None (also when the enclosure blows up)."""
    from .gd_sets import ball_image
    for _ in range(steps + 1):
        for j, (centre, r) in enumerate(limits):
            if all((x - c).abs_upper() < r for x, c in zip(X, centre)):
                return j
        if not all(x.is_finite() and x.rad() < 1e6 for x in X):
            return None
        X = ball_image(obj, X, Hb)
    return None


@lr_keyword
def limits_over_box(obj: Objective, lr, starts: Box, steps: int = 2000,
                    max_depth: int = 12, max_boxes: int = 300) -> LimitCover:
    """Cover the bounded box ``starts`` of GD starts at the learning rate ``lr`` (an exact
    number) by pieces converging to certified limits (module docstring)."""
    from flint import arb

    from ..evaluators import to_arb
    from ..precision import precision
    from .gd_runs import study_run
    limits: list = []
    found: list = []

    def learn(x) -> bool:
        """A certified run from the rational start x: a new limit (True), or a
        counterexample recorded."""
        facts = study_run(obj, x, lr, min(steps, RUN_STEPS))
        if facts.limit_box is not None and facts.limit_box[2] == 1:
            centre, r, _ = facts.limit_box
            # the box was certified about the 17-digit centre; its float64 rounding is
            # within 2^-53·|c|, so the box about the float centre is shrunk by more
            limits.append(([arb(c) for c in centre],
                           r - 1e-15 * (1 + max(abs(c) for c in centre))))
            return True
        if facts.limit_box is not None or facts.escape:
            why = (f"converges to a cycle of period {facts.limit_box[2]} (contraction "
                   "certificate)") if facts.limit_box else "diverges to infinity (escape " \
                "certificate)"
            found.append((x, why))
        return False

    def decide(fbox):
        if found:
            return EXCLUDE, None
        with precision(DPS):
            Hb = to_arb(lr)
            j = _enters(obj, box_balls(fbox), Hb, limits, steps)
            if j is not None:
                return ACCEPT, j
            x = rational_start(fbox, starts)
            if x is None or _enters(obj, [to_arb(c) for c in x], Hb, limits, steps) is not None:
                return SPLIT, None
            if learn(x):
                j = _enters(obj, box_balls(fbox), Hb, limits, steps)
                return (ACCEPT, j) if j is not None else (SPLIT, None)
        return (ACCEPT, None) if found else (SPLIT, None)

    search = branch_and_bound(starts.float_box(), decide, max_depth=max_depth,
                              max_boxes=max_boxes)
    kept = tuple((tuple(float(c.mid()) for c in centre), r) for centre, r in limits)
    if found:
        x, why = found[0]
        return LimitCover(kept, counterexample=tuple(sp.sstr(c) for c in x), why=why,
                          boxes=search.boxes)
    pieces = tuple((b, j) for b, j in search.accepted)
    measure = sum(math.prod(b - a for a, b in box) for box in search.undecided)
    return LimitCover(kept, pieces, tuple(search.undecided), measure, boxes=search.boxes)
