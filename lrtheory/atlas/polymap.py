"""The GD map of a one-variable polynomial objective, in ball arithmetic over a box of
learning rates, and the three facts about it that the atlas proves once per box.

For f ∈ Q[x] with P = f′ the GD map is G_h(x) = x − h·P(x), so

    G′ = 1 − hP′,   G″ = −hP″,   G‴ = −hP‴.

Every evaluation here takes h as a ball H (a whole learning-rate box), so each enclosure
holds for every h ∈ H at once.

* **Escape radius** (:meth:`PolynomialGD.escape_radius`): write G_h(x) = Σ a_i(h) xⁱ
  (degree d = deg P ≥ 2).  For |x| ≥ 1, |xⁱ| ≤ |x|^{d−1} (i < d), so
  |G_h(x)| ≥ |x|^{d−1}(|a_d||x| − S) with S = Σ_{i<d} max_H |a_i|.  With
  R = max(1, (S + 2)/min_H |a_d|) every |x| ≥ R has |G_h(x)| ≥ 2|x| ≥ R: the orbit
  leaves to infinity at least geometrically, and every periodic orbit lies in [−R, R].
  R is computed exactly in rationals.
* **Critical cover** (:meth:`PolynomialGD.critical_cover`): intervals of [−R, R] that
  contain every zero of G_h′ = 1 − hP′ for every h ∈ H (interval bisection, pieces where
  the ball 1 − H·P′(X) excludes 0 dropped).  Critical points outside [−R, R] escape.
* **Negative Schwarzian** (:meth:`PolynomialGD.negative_schwarzian`): SG = G‴/G′ −
  (3/2)(G″/G′)² < 0 wherever G′ ≠ 0 is equivalent to Q = 2G‴G′ − 3G″² < 0 there;
  Q < 0 on all of [−R, R] × H is proved exactly when G‴ ≡ 0 (f cubic: Q = −3h²P″², P″ a
  non-zero constant) and otherwise by ball branch and bound over (x, h)
  (:func:`lrtheory.certify.branch_and_bound`).
"""
from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp
from flint import arb, arb_poly

from ..certify import ACCEPT, SPLIT, branch_and_bound
from ..errors import InputError
from ..evaluators import to_arb
from ..objectives import Objective

__all__ = ["PolynomialGD", "lr_ball", "interval_ball"]


def interval_ball(lo, hi) -> arb:
    """The ball [lo, hi] (exact rational or float endpoints, enclosed rigorously)."""
    return to_arb(sp.Rational(lo) if isinstance(lo, Fraction) else lo).union(
        to_arb(sp.Rational(hi) if isinstance(hi, Fraction) else hi))


def lr_ball(lo: Fraction, hi: Fraction) -> arb:
    """The learning-rate box [lo, hi] as one ball (it contains the exact interval)."""
    return interval_ball(lo, hi)


class PolynomialGD:
    """G_h(x) = x − h·P(x) for P = f′ ∈ Q[x] (module docstring)."""

    def __init__(self, obj: Objective):
        from ..bifurcation.exact import is_exact_applicable
        if not is_exact_applicable(obj):
            raise InputError("the atlas needs one variable and a polynomial objective with "
                             "rational coefficients")
        self.obj = obj
        poly = sp.Poly(obj.gradient[0], obj.vars[0])
        #: Coefficients of P = f′, lowest degree first, as exact fractions.
        self.coeffs = tuple(Fraction(int(c.p), int(c.q))
                            for c in reversed(poly.all_coeffs()))
        self.degree = poly.degree() if poly.degree() > 0 or self.coeffs[0] else -1

    # -- ball evaluation -------------------------------------------------------------------
    def _poly(self, k: int) -> arb_poly:
        """The k-th derivative of P as an arb polynomial."""
        p = arb_poly([to_arb(sp.Rational(c.numerator, c.denominator)) for c in self.coeffs])
        for _ in range(k):
            p = p.derivative()
        return p

    def step(self, X: arb, H: arb) -> arb:
        """A ball containing G_h(x) for every x ∈ X, h ∈ H: the direct form X − H·P(X)
        intersected with the mean-value form G_H(m) + G_H′(X)·(X − m), m = mid X."""
        direct = X - H * self._poly(0)(X)
        m = arb(X.mid())
        centred = m - H * self._poly(0)(m) + self.derivative(X, H) * (X - m)
        return direct.intersection(centred)

    def derivative(self, X: arb, H: arb, order: int = 1) -> arb:
        """G^{(order)}: 1 − H·P′(X) for order 1, −H·P^{(order)}(X) above."""
        d = -H * self._poly(order)(X)
        return d + 1 if order == 1 else d

    def iterate_derivative(self, X: arb, H: arb, p: int) -> tuple[arb, arb]:
        """(G^p(X), (G^p)′ over X × H): the derivative by the chain rule along the ball
        orbit, the image as the mean-value form G^p(m) + (G^p)′(X)·(X − m) intersected
        with the ball orbit."""
        m = arb(X.mid())
        Y, D, Z = X, arb(1), m
        for _ in range(p):
            D = D * self.derivative(Y, H)
            Y, Z = self.step(Y, H), self.step(Z, H)
        return Y.intersection(Z + D * (X - m)), D

    # -- facts proved once per learning-rate box --------------------------------------------
    def escape_radius(self, lo: Fraction, hi: Fraction) -> Fraction:
        """An integer R ≥ 1 with |G_h(x)| ≥ 2|x| for |x| ≥ R and every h ∈ [lo, hi]
        (module docstring; needs deg P ≥ 2 and lo > 0)."""
        d = self.degree
        if d < 2 or lo <= 0:
            raise ValueError("the escape radius needs deg f' >= 2 and positive learning rates")
        lead = lo * abs(self.coeffs[d])
        linear = max(abs(1 - h * self.coeffs[1]) for h in (lo, hi)) if d >= 1 else 0
        rest = sum(hi * abs(c) for i, c in enumerate(self.coeffs[:d]) if i != 1)
        return Fraction(max(1, math.ceil((linear + rest + 2) / lead)))

    def critical_cover(self, R: Fraction, H: arb, pieces: int = 64,
                       depth: int = 12) -> list[tuple[float, float]]:
        """Float intervals of [−R, R] whose union holds every zero of 1 − hP′ (h ∈ H),
        adjacent pieces merged."""
        step = 2 * float(R) / pieces
        todo = [(-float(R) + i * step, -float(R) + (i + 1) * step, 0) for i in range(pieces)]
        kept = []
        while todo:
            a, b, k = todo.pop()
            if not self.derivative(interval_ball(a, b), H).contains(0):
                continue
            if k >= depth:
                kept.append((a, b))
            else:
                m = (a + b) / 2
                todo += [(a, m, k + 1), (m, b, k + 1)]
        merged = []
        for a, b in sorted(kept):
            if merged and merged[-1][1] >= a:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def negative_schwarzian(self, R: Fraction, H: arb, max_boxes: int = 4000) -> str:
        """How SG < 0 was proved on [−R, R] × H (module docstring), or "" if it was not."""
        if self.degree == 2:
            return "f is cubic: 2G'''G' - 3G''^2 = -3h^2 P''^2 < 0 exactly"

        def decide(box):
            (a, b), (c, d) = box
            X, Hs = interval_ball(a, b), interval_ball(c, d)
            Q = 2 * self.derivative(X, Hs, 3) * self.derivative(X, Hs) \
                - 3 * self.derivative(X, Hs, 2) ** 2
            return (ACCEPT, None) if Q < 0 else (SPLIT, None)
        h_lo = math.nextafter(float(H.lower()), -math.inf)
        h_hi = math.nextafter(float(H.upper()), math.inf)
        search = branch_and_bound(((-float(R), float(R)), (h_lo, h_hi)), decide,
                                  max_depth=40, max_boxes=max_boxes)
        if search.decided:
            return (f"2G'''G' - 3G''^2 < 0 on [-R, R] x H by ball branch and bound "
                    f"({search.boxes} boxes)")
        return ""
