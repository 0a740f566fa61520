"""The Krawczyk test: a unique zero of a square system F(z) = 0 in a box, or none.

For F: Rᴺ → Rᴺ, a box X (python-flint balls, one per coordinate) with midpoint m, a ball
enclosure J(X) of the Jacobian DF over X and an exact preconditioner
C ≈ mid(J(X))⁻¹, the Krawczyk operator is

    K(X) = m − C·F(m) + (I − C·J(X))·(X − m).

By the mean-value theorem every zero of F in X lies in K(X), so

* K(X) ∩ X = ∅ proves that X holds no zero;
* K(X) ⊂ int X proves that X holds exactly one zero (Krawczyk 1969, Moore 1977); it lies
  in K(X) ∩ X, the tightened enclosure returned.

Before K the mean-value form F(m) + J(X)·(X − m) ∋ F(x) (x ∈ X) is checked: a component
that excludes 0 proves that X holds no zero.

The caller evaluates F and J in ball arithmetic in whatever way suits its system (multiple
shooting, a composed map, an extended system in (x, h)) and sets the working precision with
:func:`lrtheory.precision.precision`; this module never changes it.
"""
from __future__ import annotations

from typing import Callable, Sequence

from flint import arb, arb_mat

from ..results import Ball, Result, result

__all__ = ["krawczyk_test", "KrawczykTest", "UNIQUE", "EMPTY", "UNDECIDED", "ball_identity",
           "mid_inverse", "excludes_zero", "box_balls"]

#: Verdicts of :func:`krawczyk_test`.
UNIQUE, EMPTY, UNDECIDED = "unique", "empty", "undecided"


@result
class KrawczykTest(Result):
    """Outcome of one Krawczyk test on a box X.

    ``verdict`` — ``"unique"`` (K(X) ⊂ int X: exactly one zero in X), ``"empty"`` (no zero
    in X: the mean-value form excludes 0 or K(X) ∩ X = ∅) or ``"undecided"``;
    ``enclosure`` — for ``"unique"``, the zero's enclosure K(X) ∩ X, one :class:`Ball` per
    coordinate (None otherwise); ``reason`` — why the verdict is not ``"unique"``."""

    verdict: str
    enclosure: tuple | None = None
    reason: str = ""

    @property
    def proved(self) -> bool:
        """X holds exactly one zero."""
        return self.verdict == UNIQUE

    def balls(self) -> list:
        """The enclosure as python-flint balls (lossless)."""
        return [b.to_arb() for b in self.enclosure]


def ball_identity(n: int) -> arb_mat:
    """The n×n identity as a ball matrix."""
    return arb_mat(n, n, [1 if i == j else 0 for i in range(n) for j in range(n)])


def mid_inverse(J: arb_mat) -> arb_mat | None:
    """An exact (radius-0) approximate inverse of the midpoint of ``J``; None if singular."""
    try:
        inv = J.mid().inv()
    except (ZeroDivisionError, ValueError):
        return None
    return inv.mid()


def excludes_zero(vec) -> bool:
    """Some ball of ``vec`` certainly does not contain 0."""
    return any(not v.contains(0) for v in vec)


def box_balls(box) -> list:
    """Balls containing the real box ∏[lo_i, hi_i] (``box`` = ((lo, hi), …), exact floats)."""
    return [arb(lo).union(arb(hi)) for lo, hi in box]


def _column(values) -> list:
    return [values[i, 0] for i in range(values.nrows())]


def krawczyk_test(F: Callable[[list], Sequence], J: Callable[[list], object],
                  X: Sequence) -> KrawczykTest:
    """The Krawczyk test (module docstring) for F on the box ``X`` (a sequence of N balls).

    ``F(points)`` evaluates F on a list of N balls (called once, at the exact midpoint m),
    ``J(box)`` encloses the Jacobian over a box (an ``arb_mat`` or a list of N rows; called
    once, on X)."""
    N = len(X)
    m = [arb(x.mid()) for x in X]
    Fm = arb_mat(N, 1, list(F(m)))
    JX = _matrix(J(X))
    dX = arb_mat(N, 1, [x - c for x, c in zip(X, m)])
    if excludes_zero(_column(Fm + JX * dX)):
        return KrawczykTest(EMPTY, reason="the mean-value form of F over X excludes 0")
    C = mid_inverse(JX)
    if C is None:
        return KrawczykTest(UNDECIDED, reason="the midpoint Jacobian is singular (zero not "
                                              "isolated?)")
    K = _column(arb_mat(N, 1, m) - C * Fm + (ball_identity(N) - C * JX) * dX)
    if any(not k.overlaps(x) for k, x in zip(K, X)):
        return KrawczykTest(EMPTY, reason="K(X) and X are disjoint")
    if all(x.contains_interior(k) for k, x in zip(K, X)):
        return KrawczykTest(UNIQUE, tuple(Ball.from_arb(k.intersection(x))
                                          for k, x in zip(K, X)))
    return KrawczykTest(UNDECIDED, reason="K(X) is not inside the interior of X")


def _matrix(J) -> arb_mat:
    return J if isinstance(J, arb_mat) else arb_mat(J)
