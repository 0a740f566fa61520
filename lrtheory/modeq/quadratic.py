"""The modified equation of GD on a quadratic ``f = ½xᵀAx`` in closed form (BLOG-6).

GD is the linear map ``x ↦ (I − hA)x``.  Its modified field sums to

    F̃(x) = h⁻¹ log(I − hA) x = −Σ_{n≥0} h^n A^{n+1} x/(n+1),   i.e.  F_n = −A^{n+1}x/(n+1),

which converges iff ``h·ρ(A) < 1`` (per eigenvalue the series ``Σ (hλ)^n/(n+1)`` has radius
of convergence 1 and diverges at ``hλ = 1``).  For ``1/λ < h < 2/λ`` the GD multiplier
``1 − hλ`` lies in ``(−1, 0)``: no real number ``c`` has ``e^{hc} = 1 − hλ``, so no real
linear flow in that eigen-direction reproduces GD, and a real matrix logarithm of
``I − hA`` exists only when every negative eigenvalue has even multiplicity (Culver 1966).
"""
from __future__ import annotations

import sympy as sp

from ..aliases import lr_keyword
from ..errors import InputError
from ..numbers import parameter, to_matrix
from . import poly
from .lie_series import lie_series_fields


def series_term(A: sp.Matrix, n: int) -> sp.Matrix:
    """The matrix ``−A^{n+1}/(n+1)`` with ``F_n(x) = −A^{n+1}x/(n+1)``."""
    return -A ** (n + 1) / (n + 1)


def lie_series_quadratic(A: sp.Matrix, order: int) -> list[sp.Matrix]:
    """``F_0 … F_order`` of ``f = ½xᵀAx`` from the Lie-series recursion, as the matrices
    ``M_n`` with ``F_n(x) = M_n x``; the entries of ``A`` may be symbols (they are treated
    as constants: extra generators of the polynomial ring, never differentiated)."""
    A = to_matrix(A, "A")
    n = A.shape[0]
    xs = sp.symbols(f"x1:{n + 1}")
    params = tuple(sorted(A.free_symbols, key=str))
    ctx = poly.context([str(s) for s in xs + params])
    gens = ctx.gens()[:n]
    Ax = [sum((poly.from_expr(A[i, j], xs + params, ctx) * gens[j] for j in range(n)),
              poly.zero(ctx)) for i in range(n)]
    fields = lie_series_fields([-c for c in Ax], order, lambda p, i: p.derivative(i),
                               poly.zero(ctx))
    return [sp.Matrix(n, n, lambda i, j: _linear_coefficient(F[i], j, n, params))
            for F in fields]


def _linear_coefficient(p, j: int, n: int, params: tuple) -> sp.Expr:
    """The coefficient of ``x_j`` in ``p`` (linear in the first ``n`` generators), as a
    sympy expression in the parameters."""
    unit = tuple(int(k == j) for k in range(n))
    terms = {m[n:]: c for m, c in p.terms() if m[:n] == unit}
    return sum((poly.rational(c) * sp.Mul(*[s**e for s, e in zip(params, m)])
                for m, c in terms.items()), sp.Integer(0))


def scalar_series_radius() -> sp.Expr:
    """Radius of convergence of ``Σ z^n/(n+1)`` (the series of ``−log(1−z)/z``), exactly:
    ``lim |c_n/c_{n+1}|``."""
    n = sp.Symbol("n", positive=True, integer=True)
    return sp.limit((1 / (n + 1)) / (1 / (n + 2)), n, sp.oo)


@lr_keyword
def gd_multipliers(A: sp.Matrix, lr) -> dict:
    """Exact eigenvalues ``1 − hλ`` of the GD map with their multiplicities."""
    A = to_matrix(A, "A")
    if A != A.T:
        raise InputError("the quadratic closed form needs a symmetric matrix A")
    lr = parameter(lr, "learning rate")
    return {sp.nsimplify(1 - lr * lam): m for lam, m in A.eigenvals().items()}


@lr_keyword
def real_linear_flow_exists(A: sp.Matrix, lr) -> bool:
    """Whether ``I − hA`` (A symmetric) is ``exp(hB)`` for a real matrix B: no zero
    eigenvalue, and every negative eigenvalue of even multiplicity (Culver)."""
    mult = gd_multipliers(A, lr)
    return all(mu != 0 and (mu > 0 or m % 2 == 0) for mu, m in mult.items())


@lr_keyword
def rotation_logarithm(c, lr) -> sp.Matrix:
    """For ``c > 0``: the real 2×2 ``B = h⁻¹(log c · I + πJ)`` with ``exp(hB) = −c I``, a real
    (non-gradient) linear flow whose time-``h`` map is ``x ↦ −c x``."""
    J = sp.Matrix([[0, -1], [1, 0]])
    return (sp.log(c) * sp.eye(2) + sp.pi * J) / lr
