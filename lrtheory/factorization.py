"""The landscape of matrix factorization f(X, Y) = ½‖A − XYᵀ‖_F² (BLOG-10, WCZT-1, 2, 4).

Shapes: A ∈ R^{n×m}, X ∈ R^{n×d}, Y ∈ R^{m×d}; variables ordered vec(X), vec(Y) row-major
(as :func:`lrtheory.catalogue.matrix_factorization`).  The scalar/vector case
½(µ − xᵀy)² is the case n = m = 1 with X = xᵀ, Y = yᵀ, A = µ.

Closed forms used throughout (R = XYᵀ − A the residual):

* gradient ∇_X f = RY, ∇_Y f = RᵀX; GD step X' = X − hRY, Y' = Y − hRᵀX;
* Hessian H = JᵀJ + [[0, R⊗I_d], [Rᵀ⊗I_d, 0]] where J(dX, dY) = dX Yᵀ + X dYᵀ, i.e. the
  quadratic form ‖dX Yᵀ + X dYᵀ‖² + 2⟨R, dX dYᵀ⟩;
* at a zero-residual point H = JᵀJ and JJᵀ = XXᵀ⊗I_m + I_n⊗YYᵀ (a Kronecker sum), so the
  nonzero Hessian eigenvalues are the nonzero sums α_i + β_j (α ∈ spec XXᵀ, β ∈ spec YYᵀ)
  and the sharpness is ‖X‖₂² + ‖Y‖₂² for every shape (WCZT-4); vector case: ‖x‖² + ‖y‖²
  once, 0 otherwise (WCZT-1);
* per-step law of the imbalance D = XᵀX − YᵀY:
  D' = D + h²(YᵀRᵀRY − XᵀRRᵀX); vector case D' = (1 − h²r²)D, r = xᵀy − µ;
  gradient flow conserves D;
* flattest zero-residual minimizer: ‖A‖₂ ≤ ‖X‖₂‖Y‖₂ ≤ (‖X‖₂² + ‖Y‖₂²)/2, so the sharpness
  is ≥ 2σ₁(A), attained by the balanced SVD factors X = U√Σ, Y = V√Σ; a minimizer is
  linearly stable for GD only if h ≤ 2/sharpness ≤ 1/σ₁(A) (WCZT-2).

Arithmetic-generic functions accept numpy arrays of float64 or of objects (sympy
expressions, mpmath ``mpf``, python-flint ``fmpq``): the same formula serves the symbolic
proof, exact rational checks, high precision and the float64 fast path.
"""
from __future__ import annotations

import functools

import mpmath
import numpy as np
import sympy as sp

from .aliases import lr_keyword
from .errors import ComputationError, InputError
from .numbers import to_matrix
from .precision import current_dps, precision
from .gd import ItemAccess
from .results import Result, result


@result
class SymbolicCheck(Result):
    """The outcome of an exact (symbolic or rational) check of an identity.

    ``statement``: what was checked; ``shape``: the sizes it was checked for ((n, m, d) in
    the matrix case, (d,) in the vector case, () when no size enters); ``holds``: whether
    the identity was verified (False means "not verified"); ``value``: a quantity the
    check computed (e.g. a minimum), or None.  The object is truthy exactly when
    ``holds``, so ``all(prove_…(…) for …)`` and ``assert prove_…(…)`` read naturally."""

    statement: str
    shape: tuple[int, ...]
    holds: bool
    value: sp.Expr | None = None

    def __bool__(self) -> bool:
        return self.holds


def _symbolic_check(statement: str):
    """Decorator: a predicate of integer sizes becomes a :class:`SymbolicCheck`."""
    def wrap(fn):
        @functools.wraps(fn)
        def check(*shape: int) -> SymbolicCheck:
            return SymbolicCheck(statement, tuple(int(k) for k in shape), bool(fn(*shape)))
        check.__annotations__ = dict(fn.__annotations__, **{"return": "SymbolicCheck"})
        return check
    return wrap

# ---- symbols ------------------------------------------------------------------------


def symbolic_matrix(name: str, rows: int, cols: int) -> np.ndarray:
    """An object array of real symbols ``name_i_j`` (1-based, as in the catalogue)."""
    return np.array([[sp.Symbol(f"{name}_{i + 1}_{j + 1}", real=True) for j in range(cols)]
                     for i in range(rows)], dtype=object)


def symbolic_instance(n: int, m: int, d: int):
    """Symbolic A (n×m), X (n×d), Y (m×d) and the variables vec(X), vec(Y)."""
    A, X, Y = symbolic_matrix("A", n, m), symbolic_matrix("X", n, d), symbolic_matrix("Y", m, d)
    return A, X, Y, tuple(X.ravel()) + tuple(Y.ravel())


def loss(A, X, Y):
    """f(X, Y) = ½‖A − XYᵀ‖_F² (any arithmetic)."""
    R = residual(A, X, Y)
    return sum(r * r for r in R.ravel()) / 2


def residual(A, X, Y) -> np.ndarray:
    """R = XYᵀ − A."""
    return np.asarray(X) @ np.asarray(Y).T - np.asarray(A)


# ---- GD and its invariants ------------------------------------------------------------


@lr_keyword
def gd_step(A, X, Y, lr):
    """One GD step (X − hRY, Y − hRᵀX), R = XYᵀ − A (any arithmetic)."""
    R = residual(A, X, Y)
    return X - lr * (R @ Y), Y - lr * (R.T @ X)


def imbalance(X, Y) -> np.ndarray:
    """D = XᵀX − YᵀY (d×d); vector case xxᵀ − yyᵀ, scalar case x² − y²."""
    X, Y = np.asarray(X), np.asarray(Y)
    return X.T @ X - Y.T @ Y


@lr_keyword
def imbalance_step_predicted(A, X, Y, lr) -> np.ndarray:
    """The per-step law D' = D + h²(YᵀRᵀRY − XᵀRRᵀX) (matrix case)."""
    R = residual(A, X, Y)
    RY, RtX = R @ Y, R.T @ X
    return imbalance(X, Y) + lr * lr * (RY.T @ RY - RtX.T @ RtX)


def gradient_flow_imbalance_rate(A, X, Y) -> np.ndarray:
    """d/dt (XᵀX − YᵀY) along Ẋ = −RY, Ẏ = −RᵀX (zero identically)."""
    R = residual(A, X, Y)
    Xd, Yd = -(R @ Y), -(R.T @ X)
    return Xd.T @ X + X.T @ Xd - Yd.T @ Y - Y.T @ Yd


# ---- Hessian in closed form -----------------------------------------------------------


def product_jacobian(X, Y) -> np.ndarray:
    """J, the nm × (n+m)d Jacobian of vec(XYᵀ): J(dX, dY) = dX Yᵀ + X dYᵀ."""
    X, Y = np.asarray(X), np.asarray(Y)
    n, d = X.shape
    m = Y.shape[0]
    J = np.zeros((n * m, (n + m) * d), dtype=X.dtype if X.dtype == object else float)
    for i in range(n):
        for j in range(m):
            for k in range(d):
                J[i * m + j, i * d + k] = Y[j, k]
                J[i * m + j, n * d + j * d + k] = X[i, k]
    return J


def hessian(A, X, Y) -> np.ndarray:
    """∇²f = JᵀJ + [[0, R⊗I_d], [Rᵀ⊗I_d, 0]] (any arithmetic; square array)."""
    X, Y = np.asarray(X), np.asarray(Y)
    J = product_jacobian(X, Y)
    R = residual(A, X, Y)
    d = X.shape[1]
    K = np.kron(R, np.eye(d, dtype=int))
    Z1 = np.zeros((K.shape[0], K.shape[0]), dtype=int)
    Z2 = np.zeros((K.shape[1], K.shape[1]), dtype=int)
    return J.T @ J + np.block([[Z1, K], [K.T, Z2]])


def kronecker_sum_gram(X, Y) -> np.ndarray:
    """XXᵀ⊗I_m + I_n⊗YYᵀ, which equals JJᵀ at every point."""
    X, Y = np.asarray(X), np.asarray(Y)
    n, m = X.shape[0], Y.shape[0]
    return np.kron(X @ X.T, np.eye(m, dtype=int)) + np.kron(np.eye(n, dtype=int), Y @ Y.T)


def zero_residual_spectrum(alphas, betas, dim: int, zero_sums: int) -> list:
    """Hessian spectrum at a zero-residual point from α = spec XXᵀ, β = spec YYᵀ (any
    order): the pairwise sums α_i + β_j without the ``zero_sums`` smallest (those pairing
    two zero eigenvalues: (n − min(n, d))(m − min(m, d)) for factors of full rank), completed
    with zeros to ``dim`` = (n + m)d values, descending."""
    sums = sorted((a + b for a in alphas for b in betas), reverse=True)
    kept = sums[:len(sums) - zero_sums]
    return kept + [0 * kept[0]] * (dim - len(kept))


def is_zero(entries) -> bool:
    """Whether every entry of a symbolic array expands to 0."""
    return all(sp.expand(e) == 0 for e in np.asarray(entries, dtype=object).ravel())


# ---- symbolic proofs (small shapes) ---------------------------------------------------


@_symbolic_check("sympy's Hessian of ½‖A − XYᵀ‖² equals the closed form "
                 "JᵀJ + [[0, R⊗I], [Rᵀ⊗I, 0]]")
def prove_hessian_closed_form(n: int, m: int, d: int) -> bool:
    """sympy's Hessian of ½‖A − XYᵀ‖² equals :func:`hessian` for symbolic A, X, Y."""
    A, X, Y, z = symbolic_instance(n, m, d)
    H = sp.hessian(sp.expand(loss(A, X, Y)), z)
    return is_zero(np.array(H.tolist(), dtype=object) - hessian(A, X, Y))


@_symbolic_check("at A = XYᵀ: ∇²f = JᵀJ and JJᵀ = XXᵀ⊗I + I⊗YYᵀ")
def prove_zero_residual_structure(n: int, m: int, d: int) -> bool:
    """At A = XYᵀ: ∇²f = JᵀJ and JJᵀ = XXᵀ⊗I + I⊗YYᵀ (symbolic X, Y)."""
    _, X, Y, _ = symbolic_instance(n, m, d)
    A = X @ Y.T
    J = product_jacobian(X, Y)
    return is_zero(hessian(A, X, Y) - J.T @ J) and is_zero(J @ J.T - kronecker_sum_gram(X, Y))


@_symbolic_check("D(X', Y') = D + h²(YᵀRᵀRY − XᵀRRᵀX) for one GD step, D = XᵀX − YᵀY")
def prove_imbalance_law(n: int, m: int, d: int) -> bool:
    """D(X', Y') = D + h²(YᵀRᵀRY − XᵀRRᵀX) for symbolic A, X, Y, h."""
    A, X, Y, _ = symbolic_instance(n, m, d)
    h = sp.Symbol("h", positive=True)
    X1, Y1 = gd_step(A, X, Y, h)
    return is_zero(imbalance(X1, Y1) - imbalance_step_predicted(A, X, Y, h))


@_symbolic_check("d/dt (XᵀX − YᵀY) = 0 along gradient flow")
def prove_gradient_flow_conservation(n: int, m: int, d: int) -> bool:
    """d/dt (XᵀX − YᵀY) = 0 along gradient flow (symbolic)."""
    A, X, Y, _ = symbolic_instance(n, m, d)
    return is_zero(gradient_flow_imbalance_rate(A, X, Y))


@_symbolic_check("f(XG, YG⁻ᵀ) = f(X, Y) for invertible G ∈ GL(d)")
def prove_homogeneity(n: int, m: int, d: int) -> bool:
    """f(XG, YG⁻ᵀ) = f(X, Y) for a symbolic invertible G ∈ GL(d) (c·I_d is the case
    (cX, Y/c))."""
    A, X, Y, _ = symbolic_instance(n, m, d)
    G = sp.Matrix(symbolic_matrix("G", d, d).tolist())
    Ginv_T = np.array((G.inv().T).tolist(), dtype=object)
    Gn = np.array(G.tolist(), dtype=object)
    diff = sp.together(loss(A, X @ Gn, Y @ Ginv_T) - loss(A, X, Y))
    return sp.expand(sp.numer(diff)) == 0


# ---- vector case ½(µ − xᵀy)² ----------------------------------------------------------


def vector_instance(d: int):
    """Symbols µ, x, y (as 1×d rows X = xᵀ, Y = yᵀ, A = [[µ]])."""
    mu = sp.Symbol("mu", positive=True)
    x = np.array([[sp.Symbol(f"x{i + 1}", real=True) for i in range(d)]], dtype=object)
    y = np.array([[sp.Symbol(f"y{i + 1}", real=True) for i in range(d)]], dtype=object)
    return mu, x, y


@_symbolic_check("∇²½(µ − xᵀy)² = vvᵀ + r[[0, I], [I, 0]], v = (y, x), r = xᵀy − µ")
def prove_vector_hessian_rank_one(d: int) -> bool:
    """∇²½(µ − xᵀy)² = vvᵀ + r[[0, I], [I, 0]], v = (y, x), r = xᵀy − µ (chain rule
    ∇²(r²/2) = ∇r∇rᵀ + r∇²r), checked against sympy's Hessian; at r = 0 it is vvᵀ with
    the single nonzero eigenvalue ‖v‖² = ‖x‖² + ‖y‖² (WCZT-1)."""
    mu, x, y = vector_instance(d)
    z = tuple(x.ravel()) + tuple(y.ravel())
    r = sum(a * b for a, b in zip(x.ravel(), y.ravel())) - mu
    H = sp.hessian(sp.expand(r**2 / 2), z)
    v = sp.Matrix(list(y.ravel()) + list(x.ravel()))
    swap = sp.Matrix(sp.BlockMatrix([[sp.zeros(d), sp.eye(d)], [sp.eye(d), sp.zeros(d)]]))
    return sp.expand(H - v * v.T - r * swap) == sp.zeros(2 * d)


def vector_minimizer_charpoly(d: int) -> tuple[sp.Expr, sp.Expr]:
    """Characteristic polynomial of the Hessian on the minimizer set xᵀy = µ (parametrized
    by y_d = (µ − Σ_{i<d} x_i y_i)/x_d) and the predicted λ^{2d−1}(λ − ‖x‖² − ‖y‖²)."""
    mu, x, y = vector_instance(d)
    lam = sp.Symbol("lambda")
    xs, ys = list(x.ravel()), list(y.ravel())
    on_set = {ys[-1]: (mu - sum(a * b for a, b in zip(xs[:-1], ys[:-1]))) / xs[-1]}
    H = sp.Matrix(hessian(np.array([[mu]], dtype=object), x, y).tolist()).subs(on_set)
    cp = H.charpoly(lam).as_expr()
    s = sum(v**2 for v in xs) + sum(v**2 for v in ys)
    return cp, (lam**(2 * d - 1) * (lam - s)).subs(on_set)


@_symbolic_check("on xᵀy = µ the Hessian's charpoly is λ^{2d−1}(λ − ‖x‖² − ‖y‖²)")
def prove_vector_minimizer_spectrum(d: int) -> bool:
    """The charpoly on the minimizer set equals λ^{2d−1}(λ − ‖x‖² − ‖y‖²) identically."""
    cp, predicted = vector_minimizer_charpoly(d)
    return sp.simplify(sp.together(cp - predicted)) == 0


@_symbolic_check("one GD step multiplies xxᵀ − yyᵀ by 1 − h²r², r = xᵀy − µ")
def prove_vector_imbalance_law(d: int) -> bool:
    """xxᵀ − yyᵀ is multiplied by (1 − h²r²) in one GD step, r = xᵀy − µ (symbolic)."""
    mu, x, y = vector_instance(d)
    h = sp.Symbol("h", positive=True)
    A = np.array([[mu]], dtype=object)
    r = residual(A, x, y)[0, 0]
    X1, Y1 = gd_step(A, x, y, h)
    return is_zero(imbalance(X1, Y1) - (1 - h**2 * r**2) * imbalance(x, y))


@_symbolic_check("on xy = µ: (x − y)² = x² + y² − 2µ and x² + y² ≥ 2|µ|")
def prove_vector_stability_identity() -> bool:
    """WCZT-2: on xy = µ, (x − y)² = x² + y² − 2µ, and x² + y² ≥ 2|µ| with equality iff
    x = ±y; hence h(x² + y²) ≤ 2 ⇔ (x − y)² ≤ 2/h − 2µ, and h > 1/|µ| ⇒ h(x² + y²) > 2."""
    x, y = sp.symbols("x y", real=True)
    a, b = sp.symbols("a b", nonnegative=True)  # a = |x|, b = |y|, ab = |xy| = |µ|
    ident = sp.expand((x - y)**2 - (x**2 + y**2 - 2 * x * y)) == 0
    gap = sp.expand(a**2 + b**2 - 2 * a * b - (a - b)**2) == 0
    return ident and gap


def vector_orbit_sharpness(mu, c):
    """Sharpness at the minimizer (c, µ/c): c² + µ²/c² = (c − µ/c)² + 2µ (scalar case)."""
    return c**2 + mu**2 / c**2


def prove_flattest_scalar_minimizer() -> SymbolicCheck:
    """min_{c ≠ 0} c² + µ²/c² = 2µ at c² = µ (symbolic, µ > 0); the minimum is the
    check's ``value``."""
    mu, c = sp.Symbol("mu", positive=True), sp.Symbol("c", positive=True)
    s = vector_orbit_sharpness(mu, c)
    crit = sp.solve(sp.diff(s, c), c)
    minimum = sp.simplify(s.subs(c, crit[0]))
    ok = crit == [sp.sqrt(mu)] and minimum == 2 * mu and \
        sp.expand(s - 2 * mu - (c - mu / c)**2) == 0
    return SymbolicCheck("min over c > 0 of c² + µ²/c² is 2µ, at c² = µ", (), bool(ok),
                         minimum)


@_symbolic_check("the origin is the only non-minimizing critical point of ½(µ − xᵀy)², "
                 "a strict saddle with Hessian eigenvalues ±µ")
def prove_critical_points_vector(d: int) -> bool:
    """Critical points of ½(µ − xᵀy)² (µ > 0): r·y = r·x = 0, so r = 0 (global minima)
    or x = y = 0, a strict saddle whose Hessian −µ[[0, I], [I, 0]] has eigenvalues ±µ.
    Checks the Hessian at 0 and its spectrum symbolically."""
    mu, x, y = vector_instance(d)
    zero = {s: 0 for s in list(x.ravel()) + list(y.ravel())}
    H0 = sp.Matrix(hessian(np.array([[mu]], dtype=object), x, y).tolist()).subs(zero)
    ev = H0.eigenvals()
    return ev == {mu: d, -mu: d}


# ---- numerical spectra (any arithmetic with a symmetric eigen-solver) -----------------


def spectral_norm_sq(M) -> float:
    """‖M‖₂² = λ_max(MᵀM) (float64)."""
    M = np.asarray(M, dtype=float)
    return float(np.linalg.eigvalsh(M.T @ M)[-1]) if M.size else 0.0


def sharpness_numeric(A, X, Y) -> float:
    """λ_max(∇²f) at (X, Y) in float64."""
    H = hessian(np.asarray(A, float), np.asarray(X, float), np.asarray(Y, float))
    return float(np.linalg.eigvalsh(H.astype(float))[-1])


def balanced_factors(A, d: int):
    """The balanced SVD factors X = U_d√Σ_d, Y = V_d√Σ_d (float64): XᵀX = YᵀY, and
    XYᵀ = A when rank A ≤ d; sharpness 2σ₁(A), the flattest on the solution set."""
    U, s, Vt = np.linalg.svd(np.asarray(A, float))
    root = np.sqrt(s[:d])
    return U[:, :d] * root, Vt[:d].T * root


def mp_sym_eigenvalues(M) -> list:
    """Eigenvalues (descending) of a symmetric object array of mpmath numbers at the
    caller's working precision."""
    E = mpmath.eigsy(mpmath.matrix(np.asarray(M).tolist()), eigvals_only=True)
    return sorted((E[i] for i in range(len(E))), reverse=True)


@result
class ZeroResidualCheck(ItemAccess, Result):
    """The Hessian spectrum at a zero-residual point against the Kronecker-sum prediction,
    in mpmath at ``dps`` digits: ``max_abs_error`` = max |eigenvalue − predicted|
    (descending order), ``sharpness`` = the largest eigenvalue, ``norm_formula`` =
    ‖X‖₂² + ‖Y‖₂²."""

    max_abs_error: mpmath.mpf
    sharpness: mpmath.mpf
    norm_formula: mpmath.mpf
    dps: int


def mp_zero_residual_check(X, Y) -> ZeroResidualCheck:
    """Hessian spectrum at (X, Y) with A := XYᵀ against the Kronecker-sum prediction, at the
    caller's mpmath precision (:class:`ZeroResidualCheck`)."""
    X = np.array([[mpmath.mpf(v) for v in row] for row in np.asarray(X)], dtype=object)
    Y = np.array([[mpmath.mpf(v) for v in row] for row in np.asarray(Y)], dtype=object)
    A = X @ Y.T
    ev = mp_sym_eigenvalues(hessian(A, X, Y))
    alphas, betas = mp_sym_eigenvalues(X @ X.T), mp_sym_eigenvalues(Y @ Y.T)
    (n, d), m = X.shape, Y.shape[0]
    zero_pairs = (n - min(n, d)) * (m - min(m, d))
    predicted = zero_residual_spectrum(alphas, betas, (n + m) * d, zero_pairs)
    err = max(abs(a - b) for a, b in zip(ev, predicted))
    return ZeroResidualCheck(err, ev[0], alphas[0] + betas[0], current_dps())


# ---- Hessian eigenvalues of any objective at a point (the `sharpness` command) --------


@result
class HessianSpectrum(ItemAccess, Result):
    """Hessian eigenvalues of an objective at a point, descending with multiplicity.

    ``point``: variable name → exact value (text); ``eigenvalues``: exact values (sympy
    text, radicals) when ``exact``, else decimal strings of ``dps − 10`` digits;
    ``sharpness``: the largest eigenvalue (``eigenvalues[0]``); ``numeric``: the same
    eigenvalues as decimal strings."""

    point: dict[str, str]
    eigenvalues: tuple[str, ...]
    sharpness: str
    exact: bool
    numeric: tuple[str, ...]

    def sympy_eigenvalues(self) -> tuple:
        """The eigenvalues as sympy numbers (exact when ``exact``, else Floats)."""
        from .parsing import parse_number
        return tuple(parse_number(e, "eigenvalue") for e in self.eigenvalues)


def hessian_spectrum_at(obj, point: dict, dps: int = 50) -> HessianSpectrum:
    """Hessian eigenvalues of an :class:`~lrtheory.objectives.Objective` at ``point``
    (names → exact numbers), descending with multiplicity (:class:`HessianSpectrum`).

    Exact (sympy roots of the characteristic polynomial) when the Hessian at the point is
    a rational matrix and its characteristic polynomial splits in radicals; otherwise
    mpmath ``eigsy`` at ``dps`` digits, recomputed at ``dps + 30`` and required to agree
    to ``dps − 10`` digits (``exact`` False)."""
    subs = obj.subs_point(point)
    H = obj.hessian.subs(subs)
    if any(not e.is_finite or e.is_extended_real is False for e in H):
        raise InputError(f"the Hessian is not finite and real at {point}: the objective "
                         "is not real-valued or not twice differentiable there")
    pt = {str(k): str(v) for k, v in subs.items()}
    exact = _exact_eigenvalues(H) if all(e.is_Rational for e in H) else None
    if exact is not None:
        num = [sp.N(e, 30, chop=True) for e in exact]
        order = sorted(range(len(exact)), key=lambda i: sp.re(num[i]), reverse=True)
        eig = tuple(str(exact[i]) for i in order)
        with precision(30):
            numeric = tuple(mpmath.nstr(mpmath.mpf(str(sp.re(num[i]))), 20) for i in order)
        return HessianSpectrum(pt, eig, eig[0], True, numeric)
    vals = []
    for d in (dps, dps + 30):
        with precision(d):
            M = np.array([[mpmath.mpf(str(sp.N(e, d + 10))) for e in row]
                          for row in H.tolist()], dtype=object)
            vals.append(mp_sym_eigenvalues(M))
    with precision(dps + 30):
        change = max((abs(a - b) for a, b in zip(*vals)), default=0)
        if change > mpmath.mpf(10) ** (10 - dps) * (1 + max(abs(v) for v in vals[1])):
            raise ComputationError(f"Hessian eigenvalues not stable under a precision "
                                   f"increase (change {mpmath.nstr(change, 3)})")
        eig = tuple(mpmath.nstr(v, dps - 10) for v in vals[0])
    return HessianSpectrum(pt, eig, eig[0], False, eig)


def _exact_eigenvalues(H: sp.Matrix) -> list | None:
    """All eigenvalues of a rational symmetric matrix in radicals (with multiplicity), or
    None when sympy cannot express every root."""
    lam = sp.Symbol("lambda")
    roots = sp.roots(sp.Poly(H.charpoly(lam).as_expr(), lam), trig=True)
    if sum(roots.values()) != H.shape[0] or any(r.has(sp.CRootOf) for r in roots):
        return None
    return [sp.nsimplify(r) if r.is_Rational else sp.radsimp(r)
            for r, k in roots.items() for _ in range(k)]


# ---- along the minimizer set ----------------------------------------------------------


def orbit_charpoly_identity(X, Y, G) -> SymbolicCheck:
    """Exact check of the zero-residual spectrum at the minimizer (XG, YG⁻ᵀ) of A = XYᵀ
    (rational X, Y, G as nested lists): λ^{nm}·det(λ − ∇²f) = λ^{(n+m)d}·det(λ − K) with
    K = XG(XG)ᵀ⊗I + I⊗YG⁻ᵀ(YG⁻ᵀ)ᵀ, i.e. the nonzero Hessian eigenvalues are the nonzero
    sums α_i + β_j, in rational arithmetic (no radicals)."""
    X, Y, G = to_matrix(X, "X"), to_matrix(Y, "Y"), to_matrix(G, "G")
    Xg, Yg = X * G, Y * G.inv().T
    to_arr = lambda M: np.array(M.tolist(), dtype=object)  # noqa: E731
    H = sp.Matrix(hessian(to_arr(X * Y.T), to_arr(Xg), to_arr(Yg)).tolist())
    K = sp.Matrix(kronecker_sum_gram(to_arr(Xg), to_arr(Yg)).tolist())
    lam = sp.Symbol("lambda")
    lhs = sp.expand(lam**K.shape[0] * H.charpoly(lam).as_expr())
    rhs = sp.expand(lam**H.shape[0] * K.charpoly(lam).as_expr())
    return SymbolicCheck("λ^{nm}·det(λ − ∇²f) = λ^{(n+m)d}·det(λ − K) at (XG, YG⁻ᵀ), "
                         "K = XG(XG)ᵀ⊗I + I⊗YG⁻ᵀ(YG⁻ᵀ)ᵀ",
                         (X.rows, Y.rows, X.cols), bool(sp.expand(lhs - rhs) == 0))


def flattest_on_orbit(A, X, Y, seed: int = 0, starts: int = 5) -> float:
    """min over G ∈ GL(d) of ‖XG‖₂² + ‖YG⁻ᵀ‖₂² by Nelder–Mead from random G (float64), the
    numerical counterpart of the bound 2σ₁(A) (a second algorithm for the flattest
    minimizer's sharpness)."""
    from scipy.optimize import minimize
    d = X.shape[1]

    def sharp(g):
        G = g.reshape(d, d)
        if abs(np.linalg.det(G)) < 1e-12:
            return np.inf
        return spectral_norm_sq(X @ G) + spectral_norm_sq(Y @ np.linalg.inv(G).T)
    rng = np.random.default_rng(seed)
    best = np.inf
    for _ in range(starts):
        g0 = np.eye(d).ravel() + 0.3 * rng.standard_normal(d * d)
        res = minimize(sharp, g0, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
        best = min(best, float(res.fun))
    return best
