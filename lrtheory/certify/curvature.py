"""Global bounds on the curvature of f over all of Rⁿ, and what they prove for GD at every
learning rate of a ball.

Bounds: rationals m, M with m ≤ λ_min(∇²f(x)) and λ_max(∇²f(x)) ≤ M for every x ∈ Rⁿ
(:func:`curvature_bounds`).  Write ∇²f = A(x) + B(x), A the terms polynomial in x, B the
rest, which must be bounded on all of Rⁿ (sin, cos, atan of anything: enclosed by Arb on
balls of infinite radius, as in :mod:`lrtheory.certify.escape`).

* A constant (the polynomial part of f is quadratic), any n: by Weyl's inequality
  λ_min(A) − ‖B‖₂ ≤ λ(∇²f(x)) ≤ λ_max(A) + ‖B‖₂, with the extreme eigenvalues of A enclosed
  from its exact characteristic polynomial and ‖B‖₂ ≤ min(max row sum, Frobenius) of the
  enclosures of |B_ij| (each the intersection of the enclosures of B_ij as written and
  after sympy's ``trigsimp``, e.g. cos²x − sin²x = cos 2x).
* n = 1, A = p(x) a polynomial of positive even degree with positive leading coefficient:
  p attains its minimum over R at a real root of p′, each isolated in an exact rational
  interval and p enclosed on it, so m = min p − sup|B|; M = ∞.  Odd degree or a negative
  leading coefficient: p is unbounded below, no m.

For GD, G_h(x) = x − h∇f(x) (:func:`global_gd_class`), with m > 0 (f is m-strongly convex
and has one minimizer x*):

* **divergence** when h·m > 2: G_h(x) − G_h(x*) = K(x − x*) with K = ∫₀¹ (I −
  h∇²f(x* + t(x − x*))) dt symmetric and K ⪯ −(hm − 1)I, so ‖G_h(x) − x*‖₂ ≥ (hm − 1)‖x −
  x*‖₂: every start but x* diverges geometrically (hm − 1 > 1);
* **convergence** when h·M < 2: −(hM − 1)I ⪯ … ⪯ (1 − hm)I, so ‖G_h(x) − x*‖₂ ≤ q‖x −
  x*‖₂ with q = max(1 − hm, hM − 1) < 1: every start converges to x* (the classical
  step-size condition h < 2/L for L-smooth, m-strongly convex f, here proved with L = M).

Both hold for every h of the ball H when they hold for its ends (hm and hM increase in
h), decided in balls.
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp
from flint import arb, arb_mat, fmpq, fmpq_mat

from ..objectives import Objective
from ..results import Result, result
from .escape import split_polynomial_part

__all__ = ["CurvatureBounds", "curvature_bounds", "global_gd_class", "minimizer_enclosure",
           "DIVERGES", "CONVERGES"]

DIVERGES, CONVERGES = "diverges", "converges"
#: Bits of the ball arithmetic of the bounds.
PREC = 128
_WHOLE = "0 +/- inf"


@result
class CurvatureBounds(Result):
    """``lower`` ≤ λ_min(∇²f(x)) and λ_max(∇²f(x)) ≤ ``upper`` for every x ∈ Rⁿ (exact
    rationals as text, None where no bound was proved) and ``how`` they were proved, or
    why not."""

    lower: str | None = None
    upper: str | None = None
    how: str = ""

    @property
    def m(self) -> Fraction | None:
        return None if self.lower is None else Fraction(self.lower)

    @property
    def M(self) -> Fraction | None:
        return None if self.upper is None else Fraction(self.upper)


def curvature_bounds(obj: Objective) -> CurvatureBounds:
    """Global bounds m ≤ λ(∇²f(x)) ≤ M on Rⁿ (module docstring)."""
    if obj.params:
        return CurvatureBounds(how="objectives with parameters are not bounded here")
    H = obj.hessian
    parts = [[split_polynomial_part(H[i, j], obj.vars) for j in range(H.cols)] for i in range(H.rows)]
    rest = _rest_bound(obj, [[b for _, b in row] for row in parts])
    if rest is None:
        return CurvatureBounds(how="the non-polynomial part of the Hessian is not bounded "
                                   "on the whole space (in ball arithmetic)")
    A = [[p for p, _ in row] for row in parts]
    if all(p.is_number for row in A for p in row):
        return _constant_part(A, rest)
    if obj.dim == 1:
        return _one_variable(sp.Poly(A[0][0], obj.vars[0]), rest)
    return CurvatureBounds(how="the polynomial part of the Hessian is not constant: global "
                               "bounds in several variables need a quadratic polynomial part")


def _rest_bound(obj: Objective, B) -> fmpq | None:
    """A rational ≥ ‖B(x)‖₂ for every x ∈ Rⁿ, or None when an entry is not bounded."""
    from ..evaluators import compile_exprs
    from ..precision import precision
    from ..smoothness import ball_upper, spectral_bound_of_enclosure
    n = len(B)
    if all(b == 0 for row in B for b in row):
        return fmpq(0)
    entries = [b for row in B for b in row]
    # a second form of the same functions (cos²x − sin²x as cos 2x): both enclosures hold,
    # so their intersection does
    other = [sp.trigsimp(b) if sp.count_ops(b) <= 200 else b for b in entries]
    with precision(bits=PREC):
        whole = [arb(_WHOLE)] * n
        vals = compile_exprs(entries, obj.vars, "arb")(*whole)
        alts = compile_exprs(other, obj.vars, "arb")(*whole)
        vals = [_tighter(v, a) for v, a in zip(vals, alts)]
        if not all(v.is_finite() for v in vals):
            return None
        return ball_upper(spectral_bound_of_enclosure(arb_mat(n, n, list(vals))))


def _tighter(a: arb, b: arb) -> arb:
    """The intersection of two enclosures of one value (either, when one is not finite)."""
    if not b.is_finite():
        return a
    if not a.is_finite():
        return b
    return a.intersection(b)


def _constant_part(A, rest: fmpq) -> CurvatureBounds:
    """Weyl: λ_min(A) − ‖B‖ ≤ λ ≤ λ_max(A) + ‖B‖."""
    lo, hi = _extreme_eigenvalues(fmpq_mat([[fmpq(int(sp.Rational(a).p), int(sp.Rational(a).q))
                                               for a in row] for row in A]))
    how = "the constant polynomial part of the Hessian (exact eigenvalues)" + (
        f" and a bounded rest, ‖B‖₂ ≤ {rest} on the whole space (Weyl)" if rest else "")
    return CurvatureBounds(_decimal(lo - rest, down=True), _decimal(hi + rest, down=False),
                           how)


def _extreme_eigenvalues(A: fmpq_mat) -> tuple[fmpq, fmpq]:
    """Rationals lo ≤ λ_min(A) and λ_max(A) ≤ hi of a symmetric rational matrix: exact for
    rational eigenvalues, the ends of Arb enclosures of the roots of the other factors of
    the characteristic polynomial."""
    from ..precision import precision
    from ..smoothness import ball_lower, ball_upper
    _, factors = A.charpoly().factor()
    lows, highs = [], []
    for poly, _mult in factors:
        if poly.degree() == 1:
            root = -poly[0] / poly[1]
            lows.append(root)
            highs.append(root)
            continue
        with precision(bits=PREC):
            for root, _m in poly.complex_roots():
                lows.append(ball_lower(root.real))
                highs.append(ball_upper(root.real))
    return min(lows), max(highs)


def _one_variable(p: sp.Poly, rest: fmpq) -> CurvatureBounds:
    """m = min over the real roots of p′ of p (enclosed on isolating intervals) − rest."""
    from ..evaluators import to_arb
    from ..precision import precision
    from ..smoothness import ball_lower
    if p.degree() % 2 or p.LC() < 0:
        return CurvatureBounds(how="f'' has an unbounded-below polynomial part (odd degree "
                                   "or negative leading coefficient)")
    with precision(bits=PREC):
        values = []  # p′ has odd degree, so at least one real root
        for (a, b), _mult in p.diff().intervals(eps=sp.Rational(1, 2**40)):
            X = to_arb(sp.Rational(a)).union(to_arb(sp.Rational(b)))
            values.append(ball_lower(sum((to_arb(c) * X**k for (k,), c in p.terms()),
                                         arb(0))))
    return CurvatureBounds(_decimal(min(values) - rest, down=True), None,
                           "the minimum of the polynomial part of f'' at the real roots "
                           "of its derivative (isolated exactly)" +
                           (f", less a bound {rest} of the rest" if rest else ""))


def _decimal(q: fmpq, down: bool, digits: int = 10) -> str:
    """q itself when its denominator divides 10^digits, else q rounded down (or up) to a
    multiple of 10^-digits, as a decimal (exact text): a shorter bound on the same side."""
    scaled = q * 10**digits
    if scaled.q == 1:
        return str(q)
    n = int(scaled.p // scaled.q if down else -((-scaled.p) // scaled.q))
    whole, frac = divmod(abs(n), 10**digits)
    text = f"{whole}.{frac:0{digits}d}".rstrip("0").rstrip(".")
    return ("-" if n < 0 else "") + text


def global_gd_class(bounds: CurvatureBounds, H: arb) -> tuple[str, str] | None:
    """``(DIVERGES, reason)`` when m > 0 and h·m > 2 for every h ∈ H, ``(CONVERGES,
    reason)`` when m > 0 and h·M < 2 for every h ∈ H (H > 0), else None (module
    docstring)."""
    m, M, lo, hi = bounds.m, bounds.M, bounds.lower, bounds.upper
    if m is None or m <= 0:
        return None
    if H * (arb(m.numerator) / m.denominator) > 2:
        return DIVERGES, (f"λ_min(∇²f) >= {lo} on the whole space and h·{lo} > 2 on the "
                          f"box: |G(x) - x*| >= (h·{lo} - 1)|x - x*| with h·{lo} - 1 > 1, "
                          f"every start except the minimizer x* diverges")
    if M is not None and H > 0 and H * (arb(M.numerator) / M.denominator) < 2:
        return CONVERGES, (f"{lo} <= λ(∇²f) <= {hi} on the whole space and h·{hi} < 2 on "
                           f"the box: G is a contraction of the whole space, every start "
                           f"converges to the minimizer")
    return None


def minimizer_enclosure(obj: Objective, bounds: CurvatureBounds, dps: int = 30):
    """Balls (:class:`~lrtheory.results.Ball`) enclosing the unique minimizer x* of an
    m-strongly convex f with λ(∇²f) ≤ M on Rⁿ, or None: GD at h = 1/M (a contraction of
    factor 1 − m/M) from the origin, Newton's method in mpmath
    (:func:`lrtheory.certify.stationary.newton_box`), then a Krawczyk test of ∇f = 0 on
    the box of half-width 10^(−dps/2) about the result
    (:func:`lrtheory.certify.krawczyk_test`)."""
    import mpmath

    from ..precision import precision
    from .krawczyk import krawczyk_test
    from .stationary import newton_box
    if bounds.m is None or bounds.m <= 0 or bounds.M is None:
        return None
    with precision(dps + 10):
        x = [mpmath.mpf(0)] * obj.dim
        h = mpmath.mpf(bounds.M.denominator) / bounds.M.numerator
        for _ in range(200):
            x = [a - h * g for a, g in zip(x, obj.mpmath.grad(x))]
        box = newton_box(obj, x, dps)
    if box is None:
        return None
    with precision(dps):
        test = krawczyk_test(lambda z: obj.arb.grad(z), lambda z: obj.arb.hess(z), box)
    return test.enclosure if test.proved else None
