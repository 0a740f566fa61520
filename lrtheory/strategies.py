"""Hypothesis strategies for objectives with a certified smoothness constant (BLOG-1).

Every strategy draws a :class:`~lrtheory.smoothness.SmoothObjective` — an objective ``f``
together with a proved constant L ≥ sup‖∇²f‖₂ (on ℝⁿ or on a box) and a proved lower
bound f* ≤ inf f — and :func:`gd_instances` adds a rational start x₀ and a rational
learning rate h = t/L with t in a chosen range (t < 2 is the theorem's hypothesis).

Families:

* :func:`quadratics` — f = ½xᵀAx, A = Q diag(λ) Qᵀ with a drawn rational spectrum λ ≥ 0
  and Q the Cayley transform (I − S)(I + S)⁻¹ of a drawn rational skew S (exactly
  orthogonal), so L = max λ and f* = 0 exactly;
* :func:`ridge_sums` — f = Σ_i c_i φ_i(a_iᵀx + b_i), c_i > 0, with 1-D pieces φ from
  :data:`PIECES` whose sup|φ″| = M and inf φ = m are known in closed form; then
  ‖∇²f‖₂ ≤ Σ c_i M_i ‖a_i‖² = L and f ≥ Σ c_i m_i = f*;
* :func:`box_polynomials` — small random polynomials on a box, with L and f* certified
  by ball arithmetic on a subdivision of the box (:func:`lrtheory.smoothness.box_bounds`).

Every family is also a seeded sampler (:mod:`lrtheory.seeded`): the falsifier draws its
instances from numpy's PCG64 with an explicit seed and shrinks them on its own choice
sequence, so BLOG-1's searches give the same instances with every version of hypothesis.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from functools import wraps
from typing import Callable

import sympy as sp
from flint import fmpq, fmpq_mat
from hypothesis import strategies as st

from . import seeded
from .catalogue import quadratic
from .errors import InputError
from .objectives import Objective, to_fmpq
from .quadratic import cayley_orthogonal
from .smoothness import GDInstance, SmoothObjective, box_bounds


def family(body):
    """``@st.composite`` for ``body(draw, ...)`` that also attaches a seeded sampler running
    the same ``body`` with draws from a choice sequence (:mod:`lrtheory.seeded`)."""
    composite = st.composite(body)

    @wraps(body)
    def make(*args, **kwargs):
        return seeded.attach(composite(*args, **kwargs), lambda c: body(
            lambda strategy: seeded.value(strategy, c), *args, **kwargs))
    return make


@lru_cache(maxsize=512)
def _objective(expr: sp.Expr, xs: tuple, name: str) -> Objective:
    """One compiled Objective per expression: shrinking revisits the same objectives."""
    return Objective(expr, xs, name=name)


def _frac(v) -> Fraction:
    return Fraction(int(v.p), int(v.q)) if isinstance(v, fmpq) else Fraction(v)


def _q(v) -> fmpq:
    return to_fmpq(_frac(v))


def rationals(lo, hi, max_denominator: int = 8) -> st.SearchStrategy:
    """Rationals in [lo, hi] with denominator ≤ max_denominator, as fmpq."""
    return _rationals(_frac(lo), _frac(hi), max_denominator)


@lru_cache(maxsize=64)
def _integers(lo: int, hi: int) -> st.SearchStrategy:
    return seeded.attach(st.integers(lo, hi), lambda c: seeded.integer(c, lo, hi))


def _dims(min_dim: int, max_dim: int) -> st.SearchStrategy:
    if not 1 <= min_dim <= max_dim:
        raise InputError(f"need 1 <= min_dim <= max_dim, got {min_dim}, {max_dim}")
    return _integers(min_dim, max_dim)


@lru_cache(maxsize=64)
def _choice(options: tuple) -> st.SearchStrategy:
    return seeded.attach(st.sampled_from(options), lambda c: options[c.choice(len(options))])


@lru_cache(maxsize=256)
def _rationals(lo: Fraction, hi: Fraction, max_denominator: int) -> st.SearchStrategy:
    return seeded.attach(
        st.fractions(min_value=lo, max_value=hi, max_denominator=max_denominator).map(_q),
        lambda c: _q(seeded.rational(c, lo, hi, max_denominator)))


# ---- quadratics -----------------------------------------------------------------------
@family
def spectra(draw, dim: int, max_eigenvalue=4, max_denominator: int = 8) -> list[fmpq]:
    """A PSD rational spectrum of length ``dim`` whose largest entry L is positive."""
    L = draw(rationals(Fraction(1, max_denominator), max_eigenvalue, max_denominator))
    return [L] + [L * draw(rationals(0, 1, max_denominator)) for _ in range(dim - 1)]


@family
def quadratics(draw, min_dim: int = 1, max_dim: int = 3, max_eigenvalue=4,
               eigenvalues=None) -> SmoothObjective:
    """f = ½xᵀAx with exactly known spectrum: L = λ_max(A), f* = 0 (attained at 0).

    ``eigenvalues`` chooses the spectrum: a list of rationals ≥ 0 (fixed; only the
    eigenvectors are drawn) or a strategy of such lists; by default :func:`spectra`."""
    if eigenvalues is None:
        lam = draw(spectra(draw(_dims(min_dim, max_dim)), max_eigenvalue))
    else:
        drawn = draw(eigenvalues) if isinstance(eigenvalues, st.SearchStrategy) else eigenvalues
        lam = [_q(v) for v in drawn]
        if not lam or min(lam) < 0 or max(lam) <= 0:
            raise InputError(f"eigenvalues must be >= 0 with a positive maximum, got {drawn}")
    n = len(lam)
    upper = {(i, j): draw(rationals(-2, 2, 4)) for i in range(n) for j in range(i + 1, n)}
    S = fmpq_mat(n, n, [upper[i, j] if i < j else -upper[j, i] if i > j else 0
                        for i in range(n) for j in range(n)])
    Q = cayley_orthogonal(S)
    D = fmpq_mat(n, n, [lam[i] if i == j else 0 for i in range(n) for j in range(n)])
    A = Q * D * Q.transpose()
    rows = [[sp.Rational(int(A[i, j].p), int(A[i, j].q)) for j in range(n)] for i in range(n)]
    q = quadratic(rows)
    return SmoothObjective(_objective(q.expr, q.vars, "quadratic"), L=max(lam),
                           f_lower=fmpq(0), f_star_exact=True, family="quadratic",
                           certificate="exact spectrum: A = Q diag(λ) Qᵀ, Q rational orthogonal")


# ---- sums of 1-D pieces ----------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """A 1-D function φ with M = sup|φ″| and m = inf φ known in closed form."""

    name: str
    phi: Callable[[sp.Expr], sp.Expr]
    sup_abs_f2: fmpq
    inf: fmpq
    why: str


#: The 1-D pieces of :func:`ridge_sums` with their proved curvature bounds.
PIECES = {
    "square": Piece("square", lambda s: s**2 / 2, fmpq(1), fmpq(0), "φ″ = 1"),
    "logcosh": Piece("logcosh", lambda s: sp.log(sp.cosh(s)), fmpq(1), fmpq(0),
                     "φ″ = sech² s ∈ (0, 1]"),
    "softplus": Piece("softplus", lambda s: sp.log(1 + sp.exp(s)), fmpq(1, 4), fmpq(0),
                      "φ″ = σ(1 − σ) ≤ 1/4, σ the logistic function; φ > 0"),
    "pseudo_huber": Piece("pseudo_huber", lambda s: sp.sqrt(1 + s**2) - 1, fmpq(1), fmpq(0),
                          "φ″ = (1 + s²)^(−3/2) ∈ (0, 1] (smoothed Huber)"),
    "sin": Piece("sin", sp.sin, fmpq(1), fmpq(-1), "|φ″| = |sin s| ≤ 1"),
    "neg_gaussian": Piece("neg_gaussian", lambda s: -sp.exp(-s**2 / 2), fmpq(1), fmpq(-1),
                          "φ″ = (1 − s²)e^(−s²/2), |φ″| ≤ 1 (maximum at s = 0)"),
}


def _symbols(n: int) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"x{i + 1}", real=True) for i in range(n)) if n > 1 \
        else (sp.Symbol("x", real=True),)


@family
def ridge_sums(draw, pieces=tuple(PIECES), min_dim: int = 1, max_dim: int = 2,
               max_terms: int = 3) -> SmoothObjective:
    """f = Σ c_i φ_i(a_iᵀx + b_i) with L = Σ c_i M_i ‖a_i‖² and f* = Σ c_i m_i.

    ∇²f = Σ c_i φ_i″(·) a_i a_iᵀ, so ‖∇²f‖₂ ≤ Σ c_i |φ_i″| ‖a_i‖² (triangle inequality);
    f* is a lower bound (the minimum itself when one term attains it alone)."""
    unknown = set(pieces) - set(PIECES)
    if unknown:
        raise InputError(f"unknown pieces {sorted(unknown)}; known: {sorted(PIECES)}")
    n = draw(_dims(min_dim, max_dim))
    xs = _symbols(n)
    expr, L, f_low, names = sp.Integer(0), fmpq(0), fmpq(0), []
    for _ in range(draw(_integers(1, max_terms))):
        piece = PIECES[draw(_choice(tuple(sorted(pieces))))]
        a = [draw(_integers(-2, 2)) for _ in range(n)]
        if not any(a):
            a[0] = 1
        b = draw(rationals(-1, 1, 4))
        c = draw(rationals(Fraction(1, 4), 2, 4))
        arg = sum(ai * x for ai, x in zip(a, xs)) + sp.Rational(int(b.p), int(b.q))
        expr += sp.Rational(int(c.p), int(c.q)) * piece.phi(arg)
        L += c * piece.sup_abs_f2 * sum(ai * ai for ai in a)
        f_low += c * piece.inf
        names.append(piece.name)
    return SmoothObjective(_objective(expr, xs, " + ".join(names)), L=L, f_lower=f_low,
                           certificate="Σ c_i sup|φ_i″| ‖a_i‖² (closed-form sup|φ″|)",
                           f_star_exact=len(names) == 1, family="ridge sum")


# ---- polynomials on a box --------------------------------------------------------------
@lru_cache(maxsize=1)
def _nonzero_coefficients() -> st.SearchStrategy:
    return seeded.attach(rationals(-2, 2, 4).filter(lambda v: v != 0), lambda c: _q(
        seeded.rational(c, Fraction(-2), Fraction(2), 4, exclude_zero=True)))


@lru_cache(maxsize=512)
def _box_bounds(obj: Objective, box: tuple, per_side: int):
    return box_bounds(obj, box, per_side)


@family
def box_polynomials(draw, min_dim: int = 1, max_dim: int = 2, max_degree: int = 4,
                    radius=2, per_side: int = 8) -> SmoothObjective:
    """A polynomial with small rational coefficients restricted to [−r, r]ⁿ; L and f* are
    certified on the box by :func:`~lrtheory.smoothness.box_bounds` (ball subdivision)."""
    n = draw(_dims(min_dim, max_dim))
    xs = _symbols(n)
    monomials = tuple(sorted(sp.itermonomials(xs, max_degree, 2), key=sp.default_sort_key))
    terms = {draw(_choice(monomials)) for _ in range(draw(_integers(1, 4)))}
    expr = sum(sp.Rational(int(c.p), int(c.q)) * m for c, m in
               ((draw(_nonzero_coefficients()), m)
                for m in sorted(terms, key=sp.default_sort_key)))
    obj = _objective(expr, xs, "polynomial on a box")
    r = _q(radius)
    box = tuple((-r, r) for _ in xs)
    bounds = _box_bounds(obj, box, per_side)
    if not bounds.L > 0:  # an affine polynomial: any L > 0 is valid
        bounds = type(bounds)(fmpq(1), bounds.f_lower, bounds.cells)
    return SmoothObjective(obj, L=bounds.L, f_lower=bounds.f_lower, box=box,
                           certificate=f"ball subdivision of the box into {bounds.cells} cells, "
                                       f"‖H‖₂ ≤ {bounds.norm}",
                           family="box polynomial")


def smooth_objectives() -> st.SearchStrategy:
    """Any of the three certified families."""
    families = (quadratics(), ridge_sums(), box_polynomials())
    return seeded.attach(st.one_of(*families), lambda c: seeded.one_of(c, families))


# ---- starts and learning rates ---------------------------------------------------------
def points(problem: SmoothObjective, radius=3, max_denominator: int = 8) -> st.SearchStrategy:
    """Rational points: in [−radius, radius]ⁿ, or in the problem's box when it has one."""
    sides = problem.box or tuple((-_q(radius), _q(radius)) for _ in problem.objective.vars)
    coordinates = [rationals(lo, hi, max_denominator) for lo, hi in sides]
    return seeded.attach(st.tuples(*coordinates),
                         lambda c: tuple(seeded.value(r, c) for r in coordinates))


def learning_rates(L, t_min=0, t_max=2, max_denominator: int = 32) -> st.SearchStrategy:
    """h = t/L with rational t in the open interval (t_min, t_max): t < 2 is the theorem's
    condition h < 2/L."""
    L = to_fmpq(L)
    rates = normalized_rates(t_min, t_max, max_denominator)
    return seeded.attach(rates.map(lambda t: t / L), lambda c: seeded.value(rates, c) / L)


@lru_cache(maxsize=64)
def _open_rationals(lo: Fraction, hi: Fraction, max_denominator: int) -> st.SearchStrategy:
    return seeded.attach(_rationals(lo, hi, max_denominator).filter(lambda t: _q(lo) < t < _q(hi)),
                         lambda c: _q(seeded.rational(c, lo, hi, max_denominator, open_ends=True)))


def normalized_rates(t_min=0, t_max=2, max_denominator: int = 32) -> st.SearchStrategy:
    """t = hL, rational in the open interval (t_min, t_max): drawn across the interval, or
    near its upper end as t_max − (t_max − t_min)/k, k = 2, …, 1000 (where bounds with
    the threshold t_max are tightest)."""
    lo, hi = _frac(t_min), _frac(t_max)
    if not 0 <= lo < hi:
        raise InputError(f"need 0 <= t_min < t_max, got t_min = {t_min}, t_max = {t_max}")
    return _rates(lo, hi, max_denominator)


@lru_cache(maxsize=64)
def _rates(lo: Fraction, hi: Fraction, max_denominator: int) -> st.SearchStrategy:
    def top(k: int) -> fmpq:
        return _q(hi) - (_q(hi) - _q(lo)) / k
    near_top = seeded.attach(_integers(2, 1000).map(top),
                             lambda c: top(seeded.integer(c, 2, 1000)))
    branches = (_open_rationals(lo, hi, max_denominator), near_top)
    return seeded.attach(st.one_of(*branches), lambda c: seeded.one_of(c, branches))


@family
def gd_instances(draw, objectives=None, t_min=0, t_max=2, radius=3) -> GDInstance:
    """A certified objective with a rational start and h = t/L, t ∈ (t_min, t_max)."""
    problem = draw(objectives if objectives is not None else smooth_objectives())
    x0 = draw(points(problem, radius))
    return GDInstance(problem, x0, draw(normalized_rates(t_min, t_max)) / problem.L)


__all__ = ["PIECES", "Piece", "box_polynomials", "cayley_orthogonal", "gd_instances",
           "learning_rates", "normalized_rates", "points", "quadratics", "rationals",
           "ridge_sums", "smooth_objectives", "spectra"]
