"""Topological entropy forced by one periodic orbit of a map of the line.

Šarkovskii's theorem: a continuous map of an interval with a periodic point whose period
is not a power of two has periodic points of infinitely many periods.  Block,
Guckenheimer, Misiurewicz and Young ("Periodic points and topological entropy of one
dimensional maps", Lecture Notes in Math. 819, 1980) give the sharp bound

    h_top ≥ log(λ_m) / 2^k      for a periodic orbit of period n = 2^k·m, m > 1 odd,

where λ_m is the largest root of x^m − 2x^{m−2} − 1 (m = 3: x³ − 2x − 1 =
(x + 1)(x² − x − 1), λ_3 = (1 + √5)/2).  The bound comes from the covering relations of
the intervals between the orbit's points, so it holds for the restriction of the map to a
compact invariant set inside the orbit's convex hull; the map of the whole line has at
least this entropy on that set.  :func:`entropy_lower_bound` returns a float rounded
*down*, so it stays a valid lower bound.
"""
from __future__ import annotations

import math
from fractions import Fraction

from flint import arb

__all__ = ["entropy_lower_bound", "is_power_of_two"]


def is_power_of_two(n: int) -> bool:
    """n = 2^k for some k ≥ 0."""
    return n >= 1 and n & (n - 1) == 0


def _largest_root_below(m: int, bits: int = 60) -> Fraction:
    """A rational ℓ ≤ λ_m with q(ℓ) ≤ 0 for q(x) = x^m − 2x^{m−2} − 1, by exact bisection on
    [1, 2] (q(1) = −2 < 0 < q(2) = 2^{m−1} − 1; q has one sign change on x > 0 by
    Descartes' rule, so λ_m is the only root above 1)."""
    def q(x: Fraction) -> Fraction:
        return x ** m - 2 * x ** (m - 2) - 1
    lo, hi = Fraction(1), Fraction(2)
    for _ in range(bits):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if q(mid) <= 0 else (lo, mid)
    return lo


def entropy_lower_bound(period: int) -> float | None:
    """The BGMY lower bound on h_top forced by an orbit of minimal period ``period``
    (module docstring), rounded down; None when the period is a power of two (no bound)."""
    if is_power_of_two(period):
        return None
    k, m = 0, period
    while m % 2 == 0:
        k, m = k + 1, m // 2
    ell = _largest_root_below(m)
    bound = arb(ell.numerator) / arb(ell.denominator)
    value = float((bound.log() / 2 ** k).lower())
    return math.nextafter(value, 0.0)
