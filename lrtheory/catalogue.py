"""Named constructors for the objectives the claims use (see docs/claims.md).

Parameters may be numbers of any kind or text; they are read by
:func:`lrtheory.numbers.convert` (text by the restricted parser), expressions by
:func:`lrtheory.parsing.to_expr`; nothing is handed to ``sympify``."""
from __future__ import annotations

import sympy as sp

from .errors import InputError
from .numbers import parameter, positive, to_matrix
from .objectives import Objective
from .parsing import parse_variables, to_expr


def _symbols(prefix: str, n: int) -> tuple[sp.Symbol, ...]:
    if n == 1:
        return (sp.Symbol(prefix, real=True),)
    return tuple(sp.Symbol(f"{prefix}{i + 1}", real=True) for i in range(n))


def quadratic(A, variables=None) -> Objective:
    """f(x) = ½ xᵀAx for a symmetric matrix A (BLOG-2, BLOG-6)."""
    A = to_matrix(A, "A")
    if A.shape[0] != A.shape[1] or A != A.T:
        raise InputError("quadratic(A) needs a square symmetric matrix A")
    xs = _symbols("x", A.shape[0]) if variables is None else parse_variables(variables)
    x = sp.Matrix(xs)
    return Objective(sp.expand((x.T * A * x)[0, 0] / 2), xs, name="quadratic")


def scalar_quadratic(L=1) -> Objective:
    """f(x) = L x²/2 (BLOG-2, BLOG-7)."""
    x = sp.Symbol("x", real=True)
    return Objective(parameter(L, "L") * x**2 / 2, (x,), name="Lx^2/2")


def double_well(a=1) -> Objective:
    """f(x) = (x² − a²)²/4: two wells at ±a (KT-4)."""
    x = sp.Symbol("x", real=True)
    return Objective((x**2 - parameter(a, "a")**2)**2 / 4, (x,), name="double well")


def factorization_vector(mu=1, d: int = 1) -> Objective:
    """f(x, y) = ½(µ − xᵀy)², x, y ∈ R^d (WCZT-1..3; d = 1 with µ = 1 is BLOG-8's
    (1 − xy)²/2)."""
    xs, ys = _symbols("x", d), _symbols("y", d)
    s = sum(a * b for a, b in zip(xs, ys))
    return Objective((parameter(mu, "mu") - s)**2 / 2, xs + ys, name=f"(mu - x.y)^2/2, d={d}")


def matrix_factorization(A, d: int) -> Objective:
    """f(X, Y) = ½‖A − XYᵀ‖_F², A ∈ R^{n×m}, X ∈ R^{n×d}, Y ∈ R^{m×d} (BLOG-10, WCZT-4).

    Variables are ``X_i_j`` then ``Y_i_j`` in row-major order."""
    A = to_matrix(A, "A")
    n, m = A.shape
    X = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"X_{i + 1}_{j + 1}", real=True))
    Y = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"Y_{i + 1}_{j + 1}", real=True))
    R = A - X * Y.T
    f = sum(r**2 for r in R) / 2
    return Objective(sp.expand(f), tuple(X) + tuple(Y), name=f"matrix factorization {n}x{m}, d={d}")


def multiscale(f0, f1, eps, variables="x") -> Objective:
    """f(x) = f₀(x) + ε f₁(x/ε): macroscopic f₀, microscopic periodic f₁ (KT-1..5).

    ``f0``/``f1`` are expressions or strings in ``variables``; f₁ is written in the fast
    variable (``"sin(x)"`` means ε sin(x/ε))."""
    xs = parse_variables(variables) if isinstance(variables, str) else tuple(variables)
    e0, e1 = to_expr(f0, xs, "f0"), to_expr(f1, xs, "f1")
    eps = positive(eps, "eps")
    fast = e1.subs({v: v / eps for v in xs}, simultaneous=True)
    return Objective(e0 + eps * fast, xs, name="multiscale")


#: The losses ℓ(s) of the product family (REG): each minimized at s = µ.
LOSSES = {
    "quadratic": lambda s, mu: (s - mu)**2 / 2,
    "pseudo_huber": lambda s, mu: sp.sqrt(1 + (s - mu)**2) - 1,
    "logcosh": lambda s, mu: sp.log(sp.cosh(s - mu)),
    "quartic": lambda s, mu: (s - mu)**4 / 4 + (s - mu)**2 / 2,
}


def product_loss(loss: str = "quadratic", mu=1, d: int = 1) -> Objective:
    """f(x, y) = ℓ(xᵀy) for a named loss ℓ in :data:`LOSSES` (REG-1..5)."""
    if loss not in LOSSES:
        raise InputError(f"unknown loss {loss!r}; known: {sorted(LOSSES)}")
    xs, ys = _symbols("x", d), _symbols("y", d)
    s = sum(a * b for a, b in zip(xs, ys))
    return Objective(LOSSES[loss](s, parameter(mu, "mu")), xs + ys, name=f"{loss}(x.y), d={d}")
