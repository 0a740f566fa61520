"""Spectra of symmetric matrices decided exactly or in balls: the facts behind the
sharpness λ_max(∇²f) statements (the edge-of-stability threshold 2/h, Cohen et al., ICLR
2021; the Hessian at the minima of matrix factorization).

* A rational matrix H has the exact characteristic polynomial P(λ) = det(λI − H).  The
  stated spectrum v₁…v_n is the spectrum (with multiplicities) iff ∏(λ − v_i) = P(λ)
  identically (:func:`spectrum_is`); the eigenvalues in [a, b] are counted with
  multiplicity by Sturm sequences of the square-free factors of P
  (:func:`eigenvalues_in`); λ_max is the largest real root of P, isolated by rational
  intervals and compared with c exactly (:func:`compare_top_eigenvalue`).
* A matrix of balls ``Hb`` (any symmetric matrix in it): λ_max < c for every member when
  every leading principal minor of cI − Hb is certainly positive (Sylvester's criterion);
  λ_max > c when the Rayleigh quotient vᵀHbv / vᵀv of an approximate top eigenvector v
  certainly exceeds c (:func:`compare_top_eigenvalue_on_balls`); a value v is certainly
  not an eigenvalue when det(Hb − vI) excludes 0 (:func:`not_eigenvalues`).

A comparison is one of ``"<"``, ``"="``, ``">"`` (proved, with the method ``"exact"`` or
``"interval"``), ``"≈"`` (the mpmath top eigenvalue equals c to 20 digits: not a proof) or
``"?"`` (undecided).
"""
from __future__ import annotations

import sympy as sp

__all__ = ["LAMBDA", "characteristic_polynomial", "spectrum_is", "eigenvalues_in",
           "compare_top_eigenvalue", "compare_top_eigenvalue_on_balls", "not_eigenvalues",
           "top_eigenpair", "ball_matrix", "DPS"]

#: Digits of the ball and mpmath computations on non-rational matrices.
DPS = 40
LAMBDA = sp.Symbol("lambda")


def characteristic_polynomial(H: sp.Matrix) -> sp.Poly:
    """P(λ) = det(λI − H) as a polynomial in :data:`LAMBDA`."""
    return sp.Poly(H.charpoly(LAMBDA).as_expr(), LAMBDA)


def is_rational(H: sp.Matrix) -> bool:
    """Every entry of H is a rational number (so its spectrum is decided exactly)."""
    return all(e.is_Rational for e in H)


def spectrum_is(H: sp.Matrix, values) -> tuple[bool, list]:
    """(whether the eigenvalues of the rational matrix H are ``values`` with multiplicity,
    the stated values that are not roots of P): ∏(λ − v_i) − P(λ) must vanish
    coefficient by coefficient (each coefficient simplified exactly)."""
    P = characteristic_polynomial(H)
    stated = sp.Poly(sp.expand(sp.prod([LAMBDA - v for v in values])), LAMBDA)
    if all(sp.simplify(c) == 0 for c in (P - stated).all_coeffs()):
        return True, []
    return False, [v for v in values if sp.simplify(P.as_expr().subs(LAMBDA, v)) != 0]


def eigenvalues_in(H: sp.Matrix, lo, hi) -> int:
    """The number of eigenvalues of the rational matrix H in [lo, hi], with multiplicity:
    Σ_q e_q · #{roots of q in [lo, hi]} over the square-free factorization P = ∏ q^{e_q}
    (Sturm counts).  Irrational ends are widened outward by 10⁻³⁵ to rationals."""
    if not (sp.sympify(lo).is_Rational and sp.sympify(hi).is_Rational):
        lo = sp.Rational(str(sp.N(lo, 40))) - sp.Rational(1, 10**35)
        hi = sp.Rational(str(sp.N(hi, 40))) + sp.Rational(1, 10**35)
    P = characteristic_polynomial(H)
    return sum(e * q.count_roots(lo, hi) for q, e in P.sqf_list()[1])


def ball_matrix(H: sp.Matrix):
    """The entries of H (exact sympy numbers) enclosed in an arb_mat at the working
    precision."""
    from flint import arb_mat

    from ..evaluators import to_arb
    return arb_mat(H.rows, H.cols, [to_arb(e) for e in H])


def not_eigenvalues(H: sp.Matrix, values) -> list:
    """The ``values`` v with det(H − vI) certainly ≠ 0 in balls at :data:`DPS` digits:
    certainly not eigenvalues of H."""
    from ..precision import precision
    with precision(DPS):
        Hb = ball_matrix(H)
        return [v for v in values
                if not (Hb - ball_matrix(sp.eye(H.rows) * v)).det().contains(0)]


def compare_top_eigenvalue(H: sp.Matrix, c) -> tuple[str, str]:
    """How λ_max(H) compares with c: exactly for a rational H (the isolating interval
    [a, b] of the largest root of P, refined to width 10⁻³⁰; inside it the sign of P at c
    against its sign at b), else in balls (:func:`compare_top_eigenvalue_on_balls`)."""
    from ..evaluators import to_arb
    from ..precision import precision
    with precision(DPS):
        if not is_rational(H):
            top, vec = top_eigenpair(H)
            return compare_top_eigenvalue_on_balls(ball_matrix(H), c, vec, top)
        P = characteristic_polynomial(H)
        a, b = max((iv for iv, _ in P.intervals(eps=sp.Rational(1, 10**30))),
                   key=lambda iv: iv[1])
        cb = to_arb(c)
        if cb > to_arb(b):
            return "<", "exact"
        if cb < to_arb(a):
            return ">", "exact"
        at_c = sp.simplify(P.as_expr().subs(LAMBDA, c))
        if at_c == 0:
            return "=", "exact"
        at_b = P.eval(b)
        if at_b == 0:  # the root is b itself, and c ≠ b
            return ("<" if cb > to_arb(b) else ">"), "exact"
        # one root in [a, b]: it lies below c when P has the same sign at c and at b
        return ("<" if (to_arb(at_c) > 0) == (at_b > 0) else ">"), "exact"


def compare_top_eigenvalue_on_balls(Hb, c, vec, top: float) -> tuple[str, str]:
    """How λ_max compares with ``c`` for every symmetric matrix in the ball matrix ``Hb``:
    "<" when every leading principal minor of cI − Hb is certainly positive (Sylvester),
    ">" when the Rayleigh quotient of ``vec`` (an approximate top eigenvector) certainly
    exceeds c, "≈" when the numerical top eigenvalue ``top`` equals c to 20 digits, else
    "?"."""
    from ..evaluators import to_arb
    n = Hb.nrows()
    M = ball_matrix(sp.eye(n) * c) - Hb
    if all(_leading_block(M, k).det() > 0 for k in range(1, n + 1)):
        return "<", "interval"
    v = ball_matrix(sp.Matrix(vec))
    rayleigh = (v.transpose() * Hb * v)[0, 0] / (v.transpose() * v)[0, 0]
    if rayleigh > to_arb(c):
        return ">", "interval"
    if abs(top - float(sp.N(c, 30))) <= 1e-20 * (1 + abs(top)):
        return "≈", "mpmath"
    return "?", "interval"


def _leading_block(M, k: int):
    """The leading k × k block of an arb matrix."""
    from flint import arb_mat
    return arb_mat(k, k, [M[i, j] for i in range(k) for j in range(k)])


def top_eigenpair(H, dps: int = DPS) -> tuple[float, list]:
    """(λ_max, its unit eigenvector as sympy Floats) of the symmetric matrix H (a sympy
    matrix of exact numbers, or an mpmath matrix) by mpmath's Jacobi method ``eigsy`` at
    ``dps`` digits — an approximation, the input of the rigorous comparisons above."""
    import mpmath

    from ..precision import precision
    with precision(dps):
        if isinstance(H, sp.MatrixBase):
            H = mpmath.matrix([[mpmath.mpf(str(sp.N(e, dps + 10))) for e in row]
                               for row in H.tolist()])
        E, Q = mpmath.eigsy(H)
        k = max(range(len(E)), key=lambda i: E[i])
        return float(E[k]), [sp.Float(str(Q[i, k]), dps) for i in range(H.rows)]
