"""GD on quadratics f = ½xᵀAx: the exact linear map and its regimes (BLOG-2, BLOG-6).

GD is x ↦ (I − hA)x.  In an orthonormal eigenbasis of A each coordinate is multiplied by
its multiplier m_i = 1 − hλ_i per step, so the regime of each eigen-direction is decided by
m_i alone:

* 0 < m < 1   (0 < hλ < 1):  sign kept, |x| decreasing monotonically;
* m = 0       (hλ = 1):      the minimizer is reached in one step;
* −1 < m < 0  (1 < hλ < 2):  sign alternates, |x| and f still decrease;
* m = −1      (hλ = 2):      period 2, x ↦ −x;
* m < −1      (hλ > 2):      |x_k| = |m|^k|x_0| → ∞.
"""
from __future__ import annotations

import sympy as sp
from flint import fmpq, fmpq_mat

from .errors import InputError
from .numbers import convert, to_rational

REGIMES = ("monotone", "one-step", "alternating", "period-2", "divergent")


def regime_of(h_lambda) -> str:
    """The regime of one eigen-direction from the exact product hλ > 0 (any number,
    text read by :func:`lrtheory.numbers.convert`)."""
    u = convert(h_lambda, "hλ")
    if not u.is_positive:
        raise InputError(f"hλ must be positive, got {u}")
    if u < 1:
        return "monotone"
    if u == 1:
        return "one-step"
    if u < 2:
        return "alternating"
    if u == 2:
        return "period-2"
    return "divergent"


def regime_sets() -> dict[str, sp.Set]:
    """For u = hλ > 0, the exact sets of u on which the multiplier m = 1 − u has each
    property, computed with sympy's ``solveset`` (the proof of BLOG-2's thresholds)."""
    u = sp.Symbol("u", real=True)
    m = 1 - u
    pos = sp.Interval.open(0, sp.oo)

    def solve(*conditions):
        out = pos
        for cond in conditions:
            out = sp.Intersection(out, sp.solveset(cond, u, domain=pos))
        return sp.simplify(out)
    return {
        "sign kept and |x| decreasing (0 < m < 1)": solve(m > 0, m < 1),
        "sign alternates and f decreases (-1 < m < 0)": solve(m < 0, m**2 < 1),
        "period 2 (m = -1)": solve(sp.Eq(m, -1)),
        "|x_k| -> infinity (|m| > 1)": solve(m**2 > 1),
        "f decreases (m^2 < 1)": solve(m**2 < 1),
    }


def cayley_orthogonal(S: fmpq_mat) -> fmpq_mat:
    """Q = (I − S)(I + S)⁻¹: exactly orthogonal for a rational skew-symmetric S (I + S is
    invertible because S has purely imaginary eigenvalues)."""
    n = S.nrows()
    if S.transpose() != -S:
        raise InputError("cayley_orthogonal needs a skew-symmetric matrix")
    eye = fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
    return (eye - S) * (eye + S).inv()


def rational_orthogonal(n: int) -> sp.Matrix:
    """An exactly orthogonal rational n×n matrix: :func:`cayley_orthogonal` of the fixed
    skew-symmetric S with S_ij = (i − j)/(2 + i + j)."""
    S = fmpq_mat(n, n, [fmpq(i - j, 2 + i + j) for i in range(n) for j in range(n)])
    Q = cayley_orthogonal(S)
    return sp.Matrix(n, n, [sp.Rational(int(q.p), int(q.q)) for q in Q.entries()])


def symmetric_with_spectrum(eigenvalues) -> tuple[sp.Matrix, sp.Matrix]:
    """A = Q diag(λ) Qᵀ with exactly known rational eigenvalues and eigenvectors (Q's
    columns); returns (A, Q)."""
    Q = rational_orthogonal(len(eigenvalues))
    A = Q * sp.diag(*[to_rational(v, "eigenvalue") for v in eigenvalues]) * Q.T
    return sp.simplify(A), Q
