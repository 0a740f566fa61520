"""The GD map G_h(x) = x − h·f′(x) of a one-variable objective, in ball arithmetic over a
box of learning rates (h a ball H: every enclosure holds for every h ∈ H at once), and in
float64 at one h for the proposals of the atlas.

* :class:`PolynomialGD` — f ∈ Q[x]: the three facts that the atlas proves once per box
  (below), which make uniqueness and divergence provable;
* :class:`ElementaryGD` — any other objective of one variable that the ball evaluators of
  :class:`~lrtheory.objectives.Objective` handle (exp, log, sin, …): cycles and orbits
  are searched and certified in a stated interval I = [−L, L]; no escape radius is known,
  so divergence is not proved.  When G_H(I) ⊂ I is proved (:meth:`ElementaryGD.
  invariant`), the critical cover and the Schwarzian bound below are computed on I and
  Singer's theorem applies to the restriction of G to I (uniqueness *in I*).

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
* **Critical cover** (:meth:`GDMap.critical_cover`): intervals of [−R, R] that
  contain every zero of G_h′ = 1 − hP′ for every h ∈ H (interval bisection, pieces where
  the ball 1 − H·P′(X) excludes 0 dropped).  Critical points outside [−R, R] escape.
* **Negative Schwarzian** (:meth:`GDMap.negative_schwarzian`): SG = G‴/G′ −
  (3/2)(G″/G′)² < 0 wherever G′ ≠ 0 is equivalent to Q = 2G‴G′ − 3G″² < 0 there;
  Q < 0 on all of [−R, R] × H is proved exactly when G‴ ≡ 0 (f cubic: Q = −3h²P″², P″ a
  non-zero constant) and otherwise by ball branch and bound over (x, h)
  (:func:`lrtheory.certify.branch_and_bound`).
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy as sp
from flint import arb, arb_poly

from ..aliases import lr_keyword
from ..certify import ACCEPT, SPLIT, branch_and_bound
from ..errors import InputError
from ..evaluators import to_arb
from ..objectives import Objective

__all__ = ["GDMap", "PolynomialGD", "ElementaryGD", "gd_map", "lr_ball", "interval_ball"]


def interval_ball(lo, hi) -> arb:
    """The ball [lo, hi] (exact rational or float endpoints, enclosed rigorously)."""
    return to_arb(sp.Rational(lo) if isinstance(lo, Fraction) else lo).union(
        to_arb(sp.Rational(hi) if isinstance(hi, Fraction) else hi))


def lr_ball(lo: Fraction, hi: Fraction) -> arb:
    """The learning-rate box [lo, hi] as one ball (it contains the exact interval)."""
    return interval_ball(lo, hi)


class GlobalCurvature:
    """Facts of the objective ``obj`` that hold for every learning rate, computed once per
    map: its global curvature bounds m ≤ λ(∇²f) ≤ M
    (:func:`lrtheory.certify.curvature.curvature_bounds`) and, when they make f strongly
    convex with bounded curvature, the enclosure of its minimizer
    (:func:`lrtheory.certify.curvature.minimizer_enclosure`, None otherwise)."""

    @cached_property
    def curvature(self):
        from ..certify.curvature import curvature_bounds
        return curvature_bounds(self.obj)

    @cached_property
    def minimizer(self):
        from ..certify.curvature import minimizer_enclosure
        return minimizer_enclosure(self.obj, self.curvature)


class GDMap(GlobalCurvature):
    """What both maps share: the ball step (direct form ∩ mean-value form), the chain rule
    along a ball orbit, and the float64 map at one learning rate."""

    polynomial = False
    dim = 1

    def __init__(self, obj: Objective):
        self.obj = obj

    def _direct(self, X: arb, H: arb) -> arb:
        raise NotImplementedError

    def derivative(self, X: arb, H: arb, order: int = 1) -> arb:
        raise NotImplementedError

    def step(self, X: arb, H: arb) -> arb:
        """A ball containing G_h(x) for every x ∈ X, h ∈ H: the direct form intersected
        with the mean-value form G_H(m) + G_H′(X)·(X − m), m = mid X."""
        m = arb(X.mid())
        centred = self._direct(m, H) + self.derivative(X, H) * (X - m)
        return self._direct(X, H).intersection(centred)

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

    def critical_cover(self, R, H: arb, pieces: int = 64,
                       depth: int = 12) -> list[tuple[float, float]]:
        """Float intervals of [−R, R] whose union holds every zero of G_h′ in [−R, R] for
        every h ∈ H (interval bisection, pieces where the ball G_H′(X) excludes 0
        dropped), adjacent pieces merged."""
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

    def negative_schwarzian(self, R, H: arb, max_boxes: int = 4000) -> str:
        """How SG < 0 was proved on [−R, R] × H — 2G‴G′ − 3G″² < 0 by ball branch and
        bound over (x, h) — or "" if it was not."""
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

    @lr_keyword
    def float_map(self, lr: float):
        """(G_h, G_h′) in float64 at h = ``lr``, elementwise on numpy arrays or scalars."""
        raise NotImplementedError

    @lr_keyword
    def float_critical_points(self, lr: float, radius: float) -> list[float]:
        """The zeros of G_h′ in [−radius, radius] (float64, sign changes on a grid refined
        by bisection)."""
        _, dG = self.float_map(lr)
        grid = np.linspace(-radius, radius, 4001)
        with np.errstate(all="ignore"):
            v = dG(grid)
        out = []
        for a, b, fa, fb in zip(grid[:-1], grid[1:], v[:-1], v[1:]):
            if np.isfinite(fa) and np.isfinite(fb) and fa * fb <= 0:
                for _ in range(60):
                    m = (a + b) / 2
                    fm = dG(m)
                    a, b, fa = (m, b, fm) if fa * fm > 0 else (a, m, fa)
                out.append(float((a + b) / 2))
        return out


class PolynomialGD(GDMap):
    """G_h(x) = x − h·P(x) for P = f′ ∈ Q[x] (module docstring)."""

    polynomial = True

    def __init__(self, obj: Objective):
        from ..bifurcation.exact import is_exact_applicable
        if not is_exact_applicable(obj):
            raise InputError("this needs one variable and a polynomial objective with "
                             "rational coefficients")
        super().__init__(obj)
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

    def _direct(self, X: arb, H: arb) -> arb:
        return X - H * self._poly(0)(X)

    def derivative(self, X: arb, H: arb, order: int = 1) -> arb:
        """G^{(order)}: 1 − H·P′(X) for order 1, −H·P^{(order)}(X) above."""
        d = -H * self._poly(order)(X)
        return d + 1 if order == 1 else d

    @lr_keyword
    def float_map(self, lr: float):
        h = lr
        c = np.array([float(v) for v in reversed(self.coeffs)])  # highest degree first
        dc = np.polyder(c) if len(c) > 1 else np.zeros(1)
        return (lambda x: x - h * np.polyval(c, x)), (lambda x: 1 - h * np.polyval(dc, x))

    @lr_keyword
    def float_critical_points(self, lr: float, radius: float = math.inf) -> list[float]:
        """The real zeros of 1 − h·P′ at h = ``lr`` (numpy's polynomial roots)."""
        h = lr
        c = np.array([float(v) for v in reversed(self.coeffs)])
        crit = np.polyder(c) * h if len(c) > 1 else np.zeros(1)
        crit[-1] -= 1.0
        if len(crit) < 2:
            return []
        return sorted(float(r.real) for r in np.roots(crit)
                      if abs(r.imag) < 1e-12 and abs(r.real) <= radius)

    # -- facts proved once per learning-rate box --------------------------------------------
    def escape_radius(self, lo: Fraction, hi: Fraction) -> Fraction:
        """An integer R ≥ 1 with |G_h(x)| ≥ 2|x| for |x| ≥ R and every h ∈ [lo, hi]
        (module docstring; needs deg P ≥ 2 and lo > 0)."""
        d = self.degree
        if d < 2 or lo <= 0:
            raise ValueError("the escape radius needs deg f' >= 2 and positive learning "
                             "rates")
        lead = lo * abs(self.coeffs[d])
        linear = max(abs(1 - h * self.coeffs[1]) for h in (lo, hi)) if d >= 1 else 0
        rest = sum(hi * abs(c) for i, c in enumerate(self.coeffs[:d]) if i != 1)
        return Fraction(max(1, math.ceil((linear + rest + 2) / lead)))

    def negative_schwarzian(self, R, H: arb, max_boxes: int = 4000) -> str:
        """How SG < 0 was proved on [−R, R] × H (module docstring), or "" if it was not."""
        if self.degree == 2:
            return "f is cubic: 2G'''G' - 3G''^2 = -3h^2 P''^2 < 0 exactly"

        return super().negative_schwarzian(R, H, max_boxes)


class ElementaryGD(GDMap):
    """G_h(x) = x − h·f′(x) for an objective of one variable evaluated by the ball and
    float64 evaluators of :class:`~lrtheory.objectives.Objective` (module docstring);
    [−``radius``, ``radius``] is where orbits are searched and critical points proposed."""

    def __init__(self, obj: Objective, radius: float = 3.0):
        if obj.dim != 1 or obj.params:
            raise InputError("the atlas needs an objective of one or two variables "
                             "without parameters")
        super().__init__(obj)
        self.radius = float(radius)
        self.degree = None
        obj.arb  # noqa: B018 - compiles the ball evaluators now (unsupported functions fail)

    def _direct(self, X: arb, H: arb) -> arb:
        return self.obj.arb.gd_step([X], H)[0]

    def derivative(self, X: arb, H: arb, order: int = 1) -> arb:
        """G′ = 1 − H·f″(X), G″ = −H·f‴(X), G‴ = −H·f⁗(X) (f‴ and f⁗ are the gradient and
        the Hessian of the objective f″)."""
        if order == 1:
            return 1 - H * self.obj.arb.hess([X])[0, 0]
        if order == 2:
            return -H * self._second.arb.grad([X])[0]
        if order == 3:
            return -H * self._second.arb.hess([X])[0, 0]
        raise ValueError("the derivatives of G up to the third are available")

    @cached_property
    def _second(self) -> Objective:
        """f″ as an objective of its own: its derivatives are f‴ and f⁗."""
        return Objective(self.obj.hessian[0, 0], self.obj.vars)

    def invariant(self, H: arb, pieces: int = 64) -> bool:
        """G_h([−L, L]) ⊂ [−L, L] for every h ∈ H (ball steps of ``pieces`` equal
        pieces)."""
        L, width = self.radius, 2 * self.radius / pieces
        whole = interval_ball(-L, L)
        return all(whole.contains(self.step(interval_ball(-L + i * width,
                                                          -L + (i + 1) * width), H))
                   for i in range(pieces))

    @lr_keyword
    def float_map(self, lr: float):
        h, model = lr, self.obj.numpy

        def batch(fn):
            def apply(x):
                x = np.asarray(x, dtype=float)
                y = fn(x.reshape(-1, 1), h).reshape(x.shape)
                return float(y) if y.ndim == 0 else y
            return apply
        return batch(model.gd_step), batch(model.gd_jacobian)


def gd_map(obj: Objective, radius: float = 3.0):
    """:class:`PolynomialGD` for f ∈ Q[x], :class:`~lrtheory.atlas.plane.PlaneGD` for f of
    two variables, else :class:`ElementaryGD`; cycles are searched in
    [−``radius``, ``radius``] (or its square)."""
    from ..bifurcation.exact import is_exact_applicable
    if obj.dim > 2:
        raise InputError(f"the atlas needs an objective of one or two variables, got "
                         f"{obj.dim}")
    if obj.dim == 2:
        from .plane import PlaneGD
        return PlaneGD(obj, radius)
    if is_exact_applicable(obj):
        return PolynomialGD(obj)
    return ElementaryGD(obj, radius)
