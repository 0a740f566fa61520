"""The microscopic noise ζ = −∇f_{1,ε}(U), U uniform (Kong & Tao Condition 1; KT-3).

For a periodic f₁ with periods P_1, …, P_d (fast variable y = x/ε)

    E ζ = −⟨∇f₁⟩ = 0,   Cov ζ = ⟨∇f₁ ∇f₁ᵀ⟩,   ⟨g⟩ = (1/|P|) ∫_{cell} g(y) dy,

and for the quasi-periodic form ε F₁(Ωx/ε) with non-resonant Ω the average over x becomes
the torus average (Weyl): ∇f_{1,ε} = Ωᵀ∇_θF₁(θ), Cov ζ = Ωᵀ ⟨∇F₁∇F₁ᵀ⟩_{[0,1]^N} Ω.
σ² is the per-coordinate variance tr(Cov ζ)/d (= Var ζ in 1-D; the Gibbs density
Z⁻¹exp(−2f₀/(ησ²)) presumes an isotropic Cov ζ = σ²I).

The averages are computed exactly with sympy where it integrates in closed form; otherwise
by the trapezoidal rule on the period cell, which converges geometrically for analytic
periodic integrands: the error estimate is the change between the last two refinements.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..errors import ComputationError
from ..results import Result, result
from .model import Multiscale


@result
class NoiseLaw(Result):
    """Mean (d×1) and covariance (d×d) of ζ as sympy matrices; ``exact`` tells whether
    they are closed forms; ``error`` is 0 when exact, else the quadrature error
    estimate."""

    mean: sp.ImmutableMatrix
    cov: sp.ImmutableMatrix
    exact: bool
    error: float

    @property
    def sigma2(self) -> sp.Expr:
        """σ² = tr(Cov ζ)/d."""
        return self.cov.trace() / self.cov.shape[0]

    @property
    def isotropic(self) -> bool:
        d = self.cov.shape[0]
        off = [self.cov[i, j] for i in range(d) for j in range(d) if i != j]
        diag = [self.cov[i, i] - self.cov[0, 0] for i in range(d)]
        tol = max(self.error, 0.0) * 10 + (0 if self.exact else 1e-12)
        return all(abs(float(v)) <= tol for v in off + diag)


def noise_law(ms: Multiscale, exact: bool = True) -> NoiseLaw:
    """Mean and covariance of ζ for ``ms`` (KT-3): closed form when sympy finds one
    (``exact=True``), else trapezoidal quadrature with an error estimate."""
    if ms.torus is None:
        vars_, grad, box = ms.vars, [sp.diff(ms.f1, v) for v in ms.vars], ms.periods
        Om = sp.eye(ms.dim)
    else:
        F, vars_, Om = ms.torus
        grad, box = [sp.diff(F, t) for t in vars_], (sp.Integer(1),) * len(vars_)
    n = len(vars_)
    entries = [grad[i] * grad[j] for i in range(n) for j in range(i, n)]
    if exact:
        averaged = [_exact_average(e, vars_, box) for e in list(grad) + entries]
        if all(a is not None for a in averaged):
            m = sp.Matrix(averaged[:n])
            C = _symmetric(averaged[n:], n)
            M = -(Om.T * m)
            return NoiseLaw(sp.ImmutableMatrix(sp.simplify(M)),
                            sp.ImmutableMatrix(sp.simplify(Om.T * C * Om - M * M.T)), True, 0.0)
    values, err = periodic_average(list(grad) + entries, vars_, [float(b) for b in box])
    m = sp.Matrix([sp.Float(v, 17) for v in values[:n]])
    C = _symmetric([sp.Float(v, 17) for v in values[n:]], n)
    Omf = Om.evalf(17)
    M = -(Omf.T * m)
    return NoiseLaw(sp.ImmutableMatrix(M), sp.ImmutableMatrix(Omf.T * C * Omf - M * M.T), False,
                    float(err))


def _symmetric(upper, n: int) -> sp.Matrix:
    C = sp.zeros(n, n)
    k = 0
    for i in range(n):
        for j in range(i, n):
            C[i, j] = C[j, i] = upper[k]
            k += 1
    return C


def _exact_average(expr, vars_, box):
    """(1/|box|) ∫_box expr, or None when sympy leaves an unevaluated integral."""
    try:
        val = expr
        for v, p in zip(vars_, box):
            val = sp.integrate(val, (v, 0, p)) / p
        val = sp.simplify(val)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if val.has(sp.Integral) or val.free_symbols or not val.is_real:
        return None
    return val


def periodic_average(exprs, vars_, box, max_points: int = 2**22,
                     tol: float = 1e-13) -> tuple[list[float], float]:
    """Averages of ``exprs`` over the box ∏[0, P_i] by the trapezoidal rule with M points
    per direction, M = 8, 16, …, until successive results agree to ``tol``.

    Returns (values, error estimate = largest change in the last refinement).  For analytic
    periodic integrands the rule converges geometrically, so the estimate is a bound up to
    a factor that tends to zero."""
    fn = sp.lambdify(list(vars_), list(exprs), "numpy")
    d = len(vars_)
    prev, M = None, 8
    while M ** d <= max_points:
        axes = [np.arange(M) * (p / M) for p in box]
        grid = np.meshgrid(*axes, indexing="ij")
        vals = [float(np.mean(np.broadcast_to(np.asarray(v, dtype=float), grid[0].shape)))
                for v in fn(*grid)]
        if prev is not None:
            change = max(abs(a - b) for a, b in zip(vals, prev))
            if change <= tol * max(1.0, max(abs(v) for v in vals)):
                return vals, change
        prev, M = vals, 2 * M
    if prev is None:
        raise ComputationError("period cell too high-dimensional for the quadrature")
    raise ComputationError(f"quadrature of the noise covariance did not converge "
                           f"(last change {change:.2e}); is f1 smooth?")
