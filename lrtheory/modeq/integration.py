"""Exact potentials of one-dimensional modified fields, without general integration.

In one dimension every ``F_n`` is a gradient, ``F_n = −f_n′``, but from order 2 on ``f_n``
is not a universal polynomial in the jets ``f′, f″, …`` (see :mod:`lrtheory.modeq.jets`):
``f_n = −∫F_n dx`` depends on ``f``.  For two classes of objectives the derivatives of ``f``
live in a small differential algebra ``Q[θ]`` (polynomials in generators ``θ`` with a
derivation ``Dθ_i = q_i(θ)``), where ``F_n`` is a polynomial computed exactly with
python-flint (substituting ``f^{(k)} = D^{k−1} f′`` into the universal field) and
integrated in closed form:

* **autonomous** ``f″ = p(f′)`` with ``p`` a polynomial over Q (``log cosh x``: ``p = 1 − t²``;
  ``e^{ax}``: ``p = at``; logistic and softplus losses): one generator ``t = f′(x)`` with
  ``Dt = p(t)``, and ``∫P(t) dx = ∫P(t)/p(t) dt``, the integral of a polynomial: for
  ``n ≥ 1`` every term of ``F_n`` contains some ``f^{(k)} = D f^{(k−1)}``, ``k ≥ 2``, a
  multiple of ``p``.  ``p`` is found from values of ``f′`` and ``f″`` at
  50 digits, rounded to small rationals, and then verified symbolically; it is tried up to
  degree :data:`MAX_DEGREE`.
* **exponential-polynomial** ``f′ ∈ Q[x, E]``, ``E = e^{g(x)}`` with ``g ∈ Q[x]``
  (``e^{−x²}``, ``x e^x``): generators ``x, E`` with ``Dx = 1``, ``DE = g′E``.  For
  ``P = Σ_m P_m(x) E^m``, ``∫P_0 dx`` is a polynomial and for ``m ≥ 1``
  ``∫P_m E^m dx = A E^m + ∫R E^m dx`` where ``P_m = A′ + m g′A + R``, ``deg R < deg g′``
  (``A`` by descending division).  ``R = 0`` when ``g`` is linear; for quadratic ``g`` the
  remaining ``r ∫e^{m g} dx`` is an ``erf``/``erfi`` (completing the square).  A higher
  degree ``g`` with ``R ≠ 0`` is outside the class.

Potentials come out with no constant term in the generators.  Anything outside these
classes is left to :func:`lrtheory.modeq.structure.integrated_potential` (time budget).
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp

from ..errors import ComputationError
from ..evaluators import compile_exprs
from . import poly
from .structure import is_identically_zero

#: Highest degree of ``p`` tried for an autonomous ``f″ = p(f′)``.
MAX_DEGREE = 4
_SAMPLES = tuple(Fraction(k, 7) - Fraction(1, 3) for k in range(1, 3 * MAX_DEGREE + 4))
_DENOMINATOR = 10**4


class DifferentialAlgebra:
    """``Q[θ]`` with the derivation ``Dθ_i = derivatives[i]`` and the meaning of the
    generators as sympy expressions in ``x`` (``values``); ``first`` is ``f′`` in it.
    ``kind`` is ``"autonomous"`` or ``"exp-polynomial"`` (module docstring)."""

    def __init__(self, kind: str, names, derivatives, values, first, g=None):
        self.kind, self.values, self.g = kind, tuple(values), g
        self.ctx = poly.context(names)
        self.symbols = tuple(sp.Symbol(n) for n in names)
        self.derivatives = [_poly_in(d, self) for d in derivatives]
        self.first = _poly_in(first, self)

    def d(self, p):
        """``Dp = Σ ∂p/∂θ_i · Dθ_i``."""
        out = poly.zero(self.ctx)
        for i, q in enumerate(self.derivatives):
            if p.degrees()[i]:
                out += p.derivative(i) * q
        return out

    def jets(self, count: int) -> list:
        """``[0, f′, f″, …]`` (``count`` entries; ``f`` itself, never used by a modified
        field, as 0)."""
        out = [poly.zero(self.ctx), self.first]
        while len(out) < count:
            out.append(self.d(out[-1]))
        return out[:count]

    def to_expr(self, p) -> sp.Expr:
        """``p`` with the generators replaced by their meaning in ``x``."""
        return poly.to_expr(p, self.symbols).xreplace(dict(zip(self.symbols, self.values)))

    def integral(self, p) -> sp.Expr | None:
        """``∫p dx`` in closed form (no constant term), or None outside the class."""
        if self.kind == "autonomous":
            return self._integral_autonomous(p)
        return self._integral_exp_polynomial(p)

    def _integral_autonomous(self, p):
        quotient, remainder = divmod(p, self.derivatives[0])
        if not remainder.is_zero():
            return None
        return self.to_expr(quotient.integral(0))

    def _integral_exp_polynomial(self, p):
        out = sp.Integer(0)
        for m, part in _powers_of_second(p).items():
            if m == 0:
                out += self.to_expr(part.integral(0))
                continue
            A, rest = _descend(part, m, self.derivatives[1], self.ctx)
            out += self.to_expr(A) * self.values[1] ** m
            if not rest.is_zero():
                tail = _gaussian_integral(poly.to_expr(rest, self.symbols), m * self.g,
                                          self.values[0])
                if tail is None:
                    return None
                out += tail
        return out


def _poly_in(expr: sp.Expr, alg: DifferentialAlgebra):
    return poly.from_expr(expr, alg.symbols, alg.ctx)


def _powers_of_second(p) -> dict:
    """``{m: P_m}`` with ``p = Σ P_m(x) E^m`` (``P_m`` still in the two-generator ring)."""
    parts: dict = {}
    for (i, m), c in p.terms():
        parts.setdefault(m, {})[(i, 0)] = c
    ctx = p.context()
    return {m: ctx.from_dict(d) for m, d in parts.items()}


def _descend(P, m: int, dE, ctx) -> tuple:
    """``(A, R)`` with ``P = A′ + m g′ A + R``, ``deg R < deg g′`` (polynomials in x; ``dE``
    is ``DE = g′E`` in the ring of ``x, E``)."""
    gp = {i: c for (i, _), c in dE.terms()}  # g′ = Σ gp[i] x^i
    top = max(gp)
    x = ctx.gens()[0]
    mgp = sum((x**i * c for i, c in gp.items()), poly.zero(ctx)) * m
    A, R = poly.zero(ctx), P
    while not R.is_zero() and R.degrees()[0] >= top:
        deg = R.degrees()[0]
        term = x ** (deg - top) * (R[(deg, 0)] / (m * gp[top]))
        A += term
        R -= term.derivative(0) + term * mgp
    return A, R


def _gaussian_integral(r: sp.Expr, mg: sp.Expr, x: sp.Symbol):
    """``∫ r e^{mg} dx`` for a constant ``r`` and quadratic ``mg`` (erf/erfi), else None."""
    if r.free_symbols or sp.degree(mg, x) != 2:
        return None
    a, b, c = sp.Poly(mg, x).all_coeffs()
    shift = x + b / (2 * a)
    scale = sp.exp(c - b**2 / (4 * a)) * sp.sqrt(sp.pi) / 2
    if a < 0:
        return r * scale / sp.sqrt(-a) * sp.erf(sp.sqrt(-a) * shift)
    return r * scale / sp.sqrt(a) * sp.erfi(sp.sqrt(a) * shift)


# ---- recognising the classes -----------------------------------------------------------------
def differential_algebra(f: sp.Expr, x: sp.Symbol) -> DifferentialAlgebra | None:
    """The differential algebra of the derivatives of ``f`` (module docstring), or None."""
    f1 = sp.diff(f, x)
    return _exp_polynomial(f1, x) or _autonomous(f1, sp.diff(f1, x), x)


def _exp_polynomial(f1: sp.Expr, x: sp.Symbol):
    exps = [e for e in f1.atoms(sp.exp) if x in e.free_symbols]
    if not exps:
        return None
    args = [sp.expand(e.args[0]) for e in exps]
    g = min(args, key=lambda a: (len(sp.Add.make_args(a)), sp.default_sort_key(a)))
    powers = [sp.simplify(a / g) for a in args]
    if not all(k.is_Integer and k > 0 for k in powers):
        return None
    if not g.is_polynomial(x) or sp.Poly(g, x).domain not in (sp.ZZ, sp.QQ):
        return None
    E = sp.Dummy("E")
    expr = sp.expand(f1.xreplace({e: E**int(k) for e, k in zip(exps, powers)}))
    if not expr.is_polynomial(x, E) or sp.Poly(expr, x, E).domain not in (sp.ZZ, sp.QQ):
        return None
    X, Es = sp.symbols("x E")
    return DifferentialAlgebra("exp-polynomial", ("x", "E"), [sp.Integer(1),
                               sp.diff(g, x).xreplace({x: X}) * Es],
                               (x, sp.exp(g)), expr.xreplace({x: X, E: Es}), g=g)


def _autonomous(f1: sp.Expr, f2: sp.Expr, x: sp.Symbol):
    if f1.is_polynomial(x) or not f1.has(x):
        return None
    p = _fit_autonomous(f1, f2, x)
    if p is None:
        return None
    t = sp.Symbol("t")
    try:
        if not is_identically_zero(f2 - p.xreplace({t: f1}), (x,)):
            return None
    except ComputationError:
        return None
    return DifferentialAlgebra("autonomous", ("t",), [p], (_display(f1),), t)


def _fit_autonomous(f1, f2, x):
    """A candidate ``p`` of least degree with ``f″ = p(f′)`` at sample points (rational
    coefficients with small denominators), or None."""
    fn = compile_exprs([f1, f2], (x,), "mpmath")
    with mpmath.workdps(50):
        try:
            pts = [tuple(fn(mpmath.mpf(s.numerator) / s.denominator)) for s in _SAMPLES]
        except (ValueError, ZeroDivisionError, ArithmeticError):
            return None
        if not all(mpmath.isfinite(a) and mpmath.isfinite(b) for a, b in pts):
            return None
        for deg in range(MAX_DEGREE + 1):
            coeffs = _solve_fit(pts, deg)
            if coeffs is not None:
                t = sp.Symbol("t")
                return sp.Add(*[sp.Rational(c.numerator, c.denominator) * t**k
                                for k, c in enumerate(coeffs)])
    return None


def _solve_fit(pts, deg: int):
    """Rational coefficients of a degree-``deg`` polynomial through the first ``deg + 1``
    points that also fits all the others to 40 digits, or None."""
    head = pts[:deg + 1]
    M = mpmath.matrix([[a**k for k in range(deg + 1)] for a, _ in head])
    try:
        sol = mpmath.lu_solve(M, mpmath.matrix([b for _, b in head]))
    except ZeroDivisionError:
        return None
    coeffs = [Fraction(str(mpmath.nstr(c, 45))).limit_denominator(_DENOMINATOR) for c in sol]
    for a, b in pts:
        value = sum(mpmath.mpf(c.numerator) / c.denominator * a**k for k, c in enumerate(coeffs))
        if abs(value - b) > mpmath.mpf(10) ** -40 * (1 + abs(b)):
            return None
    return coeffs


def _display(f1: sp.Expr) -> sp.Expr:
    """``f′`` in its shortest form among a few cheap rewritings (``sinh/cosh → tanh``)."""
    candidates = [f1, sp.simplify(f1)]
    return min(candidates, key=sp.count_ops)


def structured_potential(field, jets_count: int, alg: DifferentialAlgebra) -> sp.Expr | None:
    """``f_n = −∫F_n dx`` for a universal one-dimensional field ``field`` (a jet polynomial
    with ``jets_count`` generators ``f, f′, …``) in the algebra ``alg``, or None."""
    return alg.integral(-field.compose(*alg.jets(jets_count), ctx=alg.ctx))


__all__ = ["DifferentialAlgebra", "MAX_DEGREE", "differential_algebra", "structured_potential"]
