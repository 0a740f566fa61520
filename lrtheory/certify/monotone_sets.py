"""A quantity along GD from every start of a box: "q(x_{k+1}) ≤ q(x_k) (or ≥) for
k < steps, for every x₀ in the box", decided by branch and bound in ball arithmetic.

For a sub-box X₀ of the starts, X_{k+1} ⊇ G_h(X_k) is the ball image of
:func:`lrtheory.certify.gd_sets.ball_image` (natural extension ∩ mean-value form), and the
difference D(x) = q(G_h(x)) − q(x) is enclosed on X_k by the natural extension
intersected with the mean-value form D(m) + ∇D(X_k)·(X_k − m) — one enclosure of
q(x_{k+1}) − q(x_k) for every start of X₀ at once (a difference of two separate
enclosures of q would not shrink with the box).  A sub-box

* **holds** when every enclosure lies on the wanted side (≤ 0 for "nonincreasing",
  ≥ 0 for "nondecreasing");
* **fails** when one lies strictly on the other side: a rational start inside the box and
  the sub-box is then re-checked on its own (exactly in rationals when it can be,
  :func:`lrtheory.dynamics.quantities.quantity_differences`) and named;
* is bisected otherwise; boxes left at the depth limit or the budget are *undecided*, with
  their total measure.  Near a stationary point x* the difference vanishes (D(x*) = 0),
  so boxes around it usually stay undecided: the evidence says so.

"Conserved" (D ≡ 0) is not decided in balls; it is proved symbolically or refuted at
exact starts by :mod:`lrtheory.expect.quantities`.
"""
from __future__ import annotations

import math

import sympy as sp
from flint import arb, arb_mat

from ..aliases import lr_keyword
from ..objectives import Objective
from ..results import Result, result
from .branch_and_bound import ACCEPT, EXCLUDE, SPLIT, branch_and_bound
from .krawczyk import box_balls
from .sets import Box, Interval

__all__ = ["MonotoneProof", "prove_monotone_over_box", "rational_start", "DIRECTIONS"]

DIRECTIONS = ("nonincreasing", "nondecreasing")
DPS = 30


@result
class MonotoneProof(Result):
    """Outcome of :func:`prove_monotone_over_box`: ``verdict`` "proved" (every start of the
    box), "refuted" (``counterexample``: a rational start inside the box, the first
    ``failing_step`` k whose difference q(x_{k+1}) − q(x_k) has the wrong sign and that
    ``difference``, re-checked at that start alone by the method ``recheck``: "exact" or
    "interval") or "undecided"
    (``undecided``: the float boxes of starts left, of total measure
    ``undecided_measure``); ``boxes`` decided by the branch and bound."""

    verdict: str
    direction: str
    steps: int
    boxes: int = 0
    undecided: tuple = ()
    undecided_measure: float = 0.0
    counterexample: tuple = ()
    failing_step: int = -1
    difference: str = ""
    recheck: str = ""


class _Difference:
    """Ball enclosures of D(x) = q(G_h(x)) − q(x) on a box (module docstring)."""

    def __init__(self, obj: Objective, q: sp.Expr, h):
        from ..evaluators import compile_exprs, to_arb
        d = sp.expand(q.xreplace(dict(zip(obj.vars, obj.gd_map_exprs(h)))) - q)
        self.value = compile_exprs([d], obj.vars, "arb")
        self.gradient = compile_exprs([sp.diff(d, v) for v in obj.vars], obj.vars, "arb")
        self.h = to_arb(h)

    def on(self, X) -> arb:
        m = [arb(x.mid()) for x in X]
        natural = self.value(*X)[0]
        grad = arb_mat(1, len(X), self.gradient(*X))
        mv = self.value(*m)[0] + (grad * arb_mat([[x - c] for x, c in zip(X, m)]))[0, 0]
        if natural.is_finite() and mv.is_finite() and natural.overlaps(mv):
            return natural.intersection(mv)
        return mv if mv.is_finite() else natural


def _side(d: arb, direction: str) -> str | None:
    """"good" when the enclosure ``d`` lies on the wanted side, "bad" when strictly on the
    other, None otherwise."""
    if not d.is_finite():
        return None
    if direction == "nonincreasing":
        return "good" if d.upper() <= 0 else "bad" if d.lower() > 0 else None
    return "good" if d.lower() >= 0 else "bad" if d.upper() < 0 else None


def rational_start(fbox, starts: Box):
    """A rational start inside the float box ``fbox`` and inside ``starts`` (the simplest
    rational of each side), or None."""
    x = tuple(Interval(sp.Rational(a), sp.Rational(b), True, True).simplest() if a != b
              else sp.Rational(a) for a, b in fbox)
    return x if starts.contains(x) else None


def _recheck(obj: Objective, q, x, h, k: int, direction: str, dps: int):
    """The k-th difference from the start ``x`` alone (exact when it can be), and whether
    its sign is certainly the wrong one."""
    from ..dynamics.quantities import quantity_differences
    from ..precision import precision
    with precision(dps):
        diffs = quantity_differences(obj, q, x, h, k + 1, dps)
    if len(diffs) <= k:
        return None
    d, exact = diffs[k]
    if exact:
        wrong = d > 0 if direction == "nonincreasing" else d < 0
        return (str(d), "exact") if wrong else None
    return (d.str(10), "interval") if _side(d, direction) == "bad" else None


@lr_keyword
def prove_monotone_over_box(obj: Objective, q: sp.Expr, lr, starts: Box, steps: int,
                            direction: str, dps: int = DPS, max_depth: int = 14,
                            max_boxes: int = 600) -> MonotoneProof:
    """Whether q(x_{k+1}) − q(x_k) has the sign of ``direction`` for every k < ``steps``
    and every start x₀ of the bounded box ``starts``, along GD at the learning rate ``lr``
    (an exact number): by branch and bound over the starts (module docstring)."""
    from ..precision import precision
    from .gd_sets import ball_image
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    found: list = []

    def decide(fbox):
        if found:
            return EXCLUDE, None  # a counterexample is named: the rest is not needed
        with precision(dps):
            X, Hb = box_balls(fbox), diff.h
            for k in range(steps):
                side = _side(diff.on(X), direction)
                if side is None:
                    return SPLIT, None
                if side == "bad":
                    x = rational_start(fbox, starts)
                    checked = x and _recheck(obj, q, x, lr, k, direction, dps)
                    if not checked:
                        return SPLIT, None
                    found.append((x, k, *checked))
                    return ACCEPT, "fails"
                X = ball_image(obj, X, Hb)
        return ACCEPT, "holds"

    diff = _Difference(obj, q, lr)
    search = branch_and_bound(starts.float_box(), decide, max_depth=max_depth,
                              max_boxes=max_boxes)
    if found:
        x, k, text, method = found[0]
        return MonotoneProof("refuted", direction, steps, search.boxes,
                             counterexample=tuple(sp.sstr(c) for c in x), failing_step=k,
                             difference=text, recheck=method)
    measure = sum(math.prod(b - a for a, b in box) for box in search.undecided)
    return MonotoneProof("undecided" if search.undecided else "proved", direction, steps,
                         search.boxes, tuple(search.undecided), measure)
