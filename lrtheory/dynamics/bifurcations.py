"""Bifurcations of periodic orbits of G_h(x) = x − h∇f(x) in the learning rate h (the
parameter ``lr`` of the functions).

A period-p orbit through x undergoes

* a period doubling at h when DG_h^p(x) has the multiplier −1,
* a fold (or, with a symmetry, a pitchfork) when it has the multiplier +1,
* a Neimark–Sacker bifurcation (dimension n ≥ 2) when a complex pair of multipliers
  crosses the unit circle.

Each is a zero of an extended system in z = (x, h) ∈ R^{n+1}

    E_σ(x, h) = ( G_h^p(x) − x ,  ψ_σ(DG_h^p(x)) ),
    ψ_{+1}(A) = det(A + I),   ψ_{−1}(A) = det(A − I),   ψ_ns(A) = det(A⊙A − I),

where A⊙A is the bialternate product (its eigenvalues are the products µ_iµ_j, i < j, so
ψ_ns vanishes at a pair µ, 1/µ: a complex pair on the unit circle or a real "neutral
saddle", told apart afterwards).  Regular zeros are solved by Newton in mpmath.  The
Jacobian is exact: along the orbit we propagate A_k = ∂x_k/∂x_0, b_k = ∂x_k/∂h and their
derivatives ∂A_k/∂x_{0,j}, ∂A_k/∂h using the third derivatives of f, and
d det(B) = tr(adj(B) dB), d(A⊙A) = 2 dA⊙A.  With a parameter a of the objective
(``param=(symbol, value)``) the same recursion carries c_k = ∂x_k/∂a and ∂A_k/∂a, so the
extended system can also be solved, certified or continued in a.  For
p ≤ :data:`CERTIFY_MAX_PERIOD` the recursion in ball arithmetic gives the Krawczyk test of
:mod:`lrtheory.certify.krawczyk` in (x, h), which also encloses the bifurcation value of h.

:func:`find_bifurcations` is the grid-sampling scan (``lrtheory bifurcations --method
sample``); the methods that prove their lists complete, and continuation, are in
:mod:`lrtheory.bifurcation`.  :func:`period_doubling_cascade` follows a cascade
h_1 < h_2 < … (period 2^{k−1} → 2^k at h_k) along the branch born at each doubling
(normal-form seed, continuation in h), estimates Feigenbaum's δ from the ratios
(h_k − h_{k−1})/(h_{k+1} − h_k) with an error estimate, and compares with
δ = 4.669201609102990671853203820466…  (KT-2, BLOG-9).

Results are :class:`~lrtheory.bifurcation.results.Bifurcation`,
:class:`~lrtheory.bifurcation.results.BifurcationSearch` (defined in
:mod:`lrtheory.bifurcation.results`, re-exported here) and :class:`DoublingCascade`.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from flint import arb

from ..aliases import lr_keyword, renamed
from ..bifurcation.results import (NOT_PROVED, Bifurcation, BifurcationSearch,
                                   SearchCompleteness)
from ..certify.krawczyk import KrawczykTest, krawczyk_test
from ..errors import ComputationError, InputError
from ..evaluators import compile_exprs, to_arb
from ..objectives import Objective
from ..precision import current_dps, precision
from ..results import Result, result
from .maps import python_gd_map
from .orbits import (_float_newton_seeds, _unique_rows, exact_lr, make_starts, minimal_period,
                     mp_number, orbit_points)

__all__ = ["Bifurcation", "BifurcationSearch", "DoublingCascade", "find_bifurcations",
           "period_doubling_cascade", "solve_extended", "certify_bifurcation",
           "bifurcation_enclosure", "extended_system", "extended_residual", "orbit_derivatives",
           "orbit_jet",
           "bialternate", "bifurcation_condition", "det", "adjugate", "multipliers",
           "bifurcation_record", "same_bifurcation", "recognize_closed_form", "feigenbaum_ratios", "KINDS", "SIGMA",
           "FEIGENBAUM_DELTA", "CERTIFY_MAX_PERIOD"]

#: Feigenbaum's first constant (OEIS A006890).
FEIGENBAUM_DELTA = "4.66920160910299067185320382046620161725818557747576863274565134300413"
#: Bifurcations of period up to this are certified by a Krawczyk test in (x, h); longer
#: compositions are not evaluated in ball arithmetic.
CERTIFY_MAX_PERIOD = 8
#: The kinds sought by the sampled scan, with the shift σ of ψ_σ = det(DG^p + σI).
KINDS = {"period-doubling": 1, "fold": -1}
#: The condition ψ_σ of every kind: σ = ±1 for det(A ± I), "ns" for det(A⊙A − I).
SIGMA = {"period-doubling": 1, "fold": -1, "degenerate +1": -1, "neimark-sacker": "ns"}


@result
class DoublingCascade(Result):
    """Result of :func:`period_doubling_cascade`: ``bifurcations`` h_1 < h_2 < … (period
    2^{k−1} → 2^k at h_k); ``ratios`` δ_k = (h_k − h_{k−1})/(h_{k+1} − h_k); ``aitken`` —
    Aitken extrapolations of three successive ratios; ``delta`` — the estimate of
    Feigenbaum's δ (the last extrapolation, else the last ratio) and ``delta_error`` — its
    error estimate (change between the last two); ``delta_reference`` — δ to 68 digits;
    ``deviation`` = |delta − δ|; ``accumulation`` — h_n + (h_n − h_{n−1})/(δ − 1);
    ``regular`` — every ratio from the third on lies in (3, 7) (False: a jump to another
    branch, or no cascade).  Item access ``cascade["delta"]`` reads a field (the form of
    the dict this result replaces)."""

    bifurcations: tuple
    ratios: tuple
    aitken: tuple
    delta: mpmath.mpf
    delta_error: float
    delta_reference: mpmath.mpf
    deviation: float
    accumulation: mpmath.mpf
    regular: bool

    def __getitem__(self, name: str):
        if name not in self.__dataclass_fields__:
            raise KeyError(name)
        return getattr(self, name)


# ---- derivatives along an orbit ---------------------------------------------------------
class _Calculus:
    """∇f, ∇²f and the third-derivative tensor ∂_l ∇²f compiled for one backend; with a
    parameter symbol a also ∂_a∇f and ∂_a∇²f, every function taking (x…, a)."""

    def __init__(self, obj: Objective, backend: str, param=None):
        n = obj.dim
        H = obj.hessian
        T = [sp.diff(H[i, j], obj.vars[l]) for l in range(n) for i in range(n) for j in range(n)]
        args = tuple(obj.vars) + ((param,) if param is not None else ())
        self.n = n
        self.g = compile_exprs(list(obj.gradient), args, backend)
        self.H = compile_exprs(list(H), args, backend)
        self.T = compile_exprs(T, args, backend)
        if param is not None:
            self.ga = compile_exprs([sp.diff(e, param) for e in obj.gradient], args, backend)
            self.Ha = compile_exprs([sp.diff(e, param) for e in H], args, backend)


@lru_cache(maxsize=32)
def _calculus(obj: Objective, backend: str, param=None) -> _Calculus:
    return _Calculus(obj, backend, param)


def _check_param(obj: Objective, param):
    """(symbol, value) of a parameter of ``obj``, or None; an objective with undeclared
    parameters needs one."""
    if param is None:
        if obj.params:
            raise InputError(f"objective has parameters {[str(q) for q in obj.params]}: "
                             "give a value (param=(symbol, value))")
        return None
    symbol, value = param
    symbol = next((q for q in obj.params if str(q) == str(symbol)), None)
    if symbol is None or len(obj.params) != 1:
        raise InputError(f"parameter {param[0]!r} is not the one parameter of the objective "
                         f"(parameters: {[str(q) for q in obj.params]})")
    return symbol, value


def _matmul(A, B):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), 0 * A[0][0])
             for j in range(len(B[0]))] for i in range(len(A))]


class _Jet:
    """x_p and its derivatives along an orbit (see :func:`orbit_jet`)."""

    __slots__ = ("x", "A", "b", "dA", "dAh", "c", "dAa")


@lr_keyword
def orbit_jet(obj: Objective, x0, lr, p: int, backend: str = "mpmath", param=None,
              second: bool = True) -> _Jet:
    """x_p = G_h^p(x_0) with A = ∂x_p/∂x_0, b = ∂x_p/∂h, dA[j] = ∂A/∂x_{0,j},
    dAh = ∂A/∂h and, with ``param = (a, value)``, c = ∂x_p/∂a and dAa = ∂A/∂a (lists of
    numbers in ``backend``: "mpmath" or "arb"); ``second=False`` skips the second
    derivatives dA, dAh, dAa (left zero) and the third derivatives of f.

    Recursion (x = x_k, H = ∇²f(x), T_l = ∂_l∇²f(x), D = I − hH):
    A' = D A,  b' = D b − ∇f(x),  dA_j' = −h(Σ_l T_l A_lj) A + D dA_j,
    dAh' = −(H + hΣ_l T_l b_l) A + D dAh,  c' = D c − h∂_a∇f(x),
    dAa' = −h(∂_a H + Σ_l T_l c_l) A + D dAa."""
    param = _check_param(obj, param)
    C = _calculus(obj, backend, None if param is None else param[0])
    extra = () if param is None else \
        (mp_number(param[1]) if backend == "mpmath" else to_arb(param[1]),)
    n = C.n
    one = mpmath.mpf(1) if backend == "mpmath" else arb(1)
    zero = 0 * one
    x = list(x0)
    A = [[one if i == j else zero for j in range(n)] for i in range(n)]
    b = [zero] * n
    c = [zero] * n
    dA = [[[zero] * n for _ in range(n)] for _ in range(n)]
    dAh = [[zero] * n for _ in range(n)]
    dAa = [[zero] * n for _ in range(n)]
    for _ in range(p):
        g = C.g(*x, *extra)
        He = C.H(*x, *extra)
        H = [[He[i * n + j] for j in range(n)] for i in range(n)]
        D = [[(one if i == j else zero) - lr * H[i][j] for j in range(n)] for i in range(n)]
        if not second:
            if param is not None:
                ga = C.ga(*x, *extra)
                c = [sum((D[i][k] * c[k] for k in range(n)), zero) - lr * ga[i] for i in range(n)]
            b = [sum((D[i][k] * b[k] for k in range(n)), zero) - g[i] for i in range(n)]
            A = _matmul(D, A)
            x = [x[i] - lr * g[i] for i in range(n)]
            continue
        Te = C.T(*x, *extra)
        T = [[[Te[l * n * n + i * n + j] for j in range(n)] for i in range(n)] for l in range(n)]

        def contract(v):   # Σ_l T_l v_l
            return [[sum((T[l][i][k] * v[l] for l in range(n)), zero) for k in range(n)]
                    for i in range(n)]
        new_dA = []
        for j in range(n):
            SA, DdA = _matmul(contract([A[l][j] for l in range(n)]), A), _matmul(D, dA[j])
            new_dA.append([[DdA[i][k] - lr * SA[i][k] for k in range(n)] for i in range(n)])
        Tb = contract(b)
        Sb = [[H[i][k] + lr * Tb[i][k] for k in range(n)] for i in range(n)]
        SbA, DdAh = _matmul(Sb, A), _matmul(D, dAh)
        dAh = [[DdAh[i][k] - SbA[i][k] for k in range(n)] for i in range(n)]
        if param is not None:
            ga, Hae, Tc = C.ga(*x, *extra), C.Ha(*x, *extra), contract(c)
            Sc = [[Hae[i * n + k] + Tc[i][k] for k in range(n)] for i in range(n)]
            ScA, DdAa = _matmul(Sc, A), _matmul(D, dAa)
            dAa = [[DdAa[i][k] - lr * ScA[i][k] for k in range(n)] for i in range(n)]
            c = [sum((D[i][k] * c[k] for k in range(n)), zero) - lr * ga[i] for i in range(n)]
        b = [sum((D[i][k] * b[k] for k in range(n)), zero) - g[i] for i in range(n)]
        A, dA = _matmul(D, A), new_dA
        x = [x[i] - lr * g[i] for i in range(n)]
    jet = _Jet()
    jet.x, jet.A, jet.b, jet.dA, jet.dAh, jet.c, jet.dAa = x, A, b, dA, dAh, c, dAa
    return jet


@lr_keyword
def orbit_derivatives(obj: Objective, x0, lr, p: int, backend: str = "mpmath", param=None):
    """(x_p, A, b, dA, dAh) of :func:`orbit_jet`."""
    j = orbit_jet(obj, x0, lr, p, backend, param)
    return j.x, j.A, j.b, j.dA, j.dAh


def det(B):
    """The determinant of a small square matrix (list of rows, any number type), by
    cofactor expansion."""
    n = len(B)
    if n == 1:
        return B[0][0]
    if n == 2:
        return B[0][0] * B[1][1] - B[0][1] * B[1][0]
    return sum(((-1) ** j) * B[0][j] * det([r[:j] + r[j + 1:] for r in B[1:]]) for j in range(n))


def adjugate(B):
    """The adjugate adj(B) (B·adj(B) = det(B)·I) of a small square matrix."""
    n = len(B)
    if n == 1:
        return [[B[0][0] * 0 + 1]]
    return [[((-1) ** (i + j)) * det([r[:i] + r[i + 1:] for k, r in enumerate(B) if k != j])
             for j in range(n)] for i in range(n)]


def bialternate(A, B):
    """The bialternate product A⊙B (m = n(n−1)/2 square), rows and columns indexed by the
    pairs (p, q), p > q:  (A⊙B)_{(p,q),(r,s)} = ½(a_pr b_qs − a_ps b_qr + b_pr a_qs − b_ps a_qr).
    The eigenvalues of A⊙A are the products µ_iµ_j (i < j) of those of A."""
    n = len(A)
    pairs = [(p, q) for p in range(1, n) for q in range(p)]
    return [[(A[p][r] * B[q][s] - A[p][s] * B[q][r] + B[p][r] * A[q][s] - B[p][s] * A[q][r]) / 2
             for r, s in pairs] for p, q in pairs]


def bifurcation_condition(A, sigma):
    """(ψ_σ(A), dψ) with dψ(dM) the derivative of ψ_σ in the direction dM (module
    docstring): σ = ±1 for det(A ± I), "ns" for det(A⊙A − I)."""
    n = len(A)
    if sigma == "ns":
        if n < 2:
            raise InputError("a Neimark–Sacker bifurcation needs a map of dimension >= 2")
        P = bialternate(A, A)
        B = [[P[i][j] - (1 if i == j else 0) for j in range(len(P))] for i in range(len(P))]

        def lift(dM):
            return [[2 * v for v in row] for row in bialternate(dM, A)]
    else:
        B = [[A[i][j] + (sigma if i == j else 0) for j in range(n)] for i in range(n)]

        def lift(dM):
            return dM
    m, adj = len(B), []

    def ddet(dM):
        if not adj:
            adj.extend(adjugate(B))
        L = lift(dM)
        return sum(adj[i][k] * L[k][i] for i in range(m) for k in range(m))
    return det(B), ddet


def extended_residual(obj: Objective, z, p: int, sigma, backend: str = "mpmath", param=None):
    """E_σ(z) alone (no derivatives beyond DG^p), z = (x, h)."""
    n = obj.dim
    x0 = list(z[:n])
    j = orbit_jet(obj, x0, z[n], p, backend, param, second=False)
    return [j.x[i] - x0[i] for i in range(n)] + [bifurcation_condition(j.A, sigma)[0]]


def extended_system(obj: Objective, z, p: int, sigma, backend: str = "mpmath", param=None,
                    free_param: bool = False):
    """E_σ(z) and its Jacobian for z = (x, h) (see the module docstring); ``sigma`` is
    ±1 or "ns".  With ``param = (a, value)`` the objective's parameter a is fixed at
    ``value``; with ``free_param`` z = (x, h, a) and the Jacobian has the column ∂E/∂a
    (``value`` is then ignored)."""
    n = obj.dim
    x0, h = list(z[:n]), z[n]
    if free_param:
        param = (param[0], z[n + 1])
    j = orbit_jet(obj, x0, h, p, backend, param)
    psi, ddet = bifurcation_condition(j.A, sigma)
    F = [j.x[i] - x0[i] for i in range(n)] + [psi]
    J = [[j.A[i][k] - (1 if i == k else 0) for k in range(n)] + [j.b[i]] for i in range(n)]
    J.append([ddet(j.dA[k]) for k in range(n)] + [ddet(j.dAh)])
    if free_param:
        for i in range(n):
            J[i].append(j.c[i])
        J[n].append(ddet(j.dAa))
    return F, J


# ---- Newton and certification -----------------------------------------------------------
def _sigma(kind: str, dim: int):
    """σ of ``kind`` (:data:`SIGMA`), checked against the dimension of the map."""
    if kind not in SIGMA:
        raise InputError(f"unknown bifurcation kind {kind!r}; known: {sorted(SIGMA)}")
    if SIGMA[kind] == "ns" and dim < 2:
        raise InputError("a Neimark–Sacker bifurcation needs a map of dimension >= 2")
    return SIGMA[kind]


def newton_solve(system, z0, dps: int, maxiter: int = 40, positive: int | None = None):
    """Newton on a square system ``system(z) -> (F, J)`` from ``z0`` at ``dps`` digits
    (the caller sets the working precision, with guard digits).  Returns z (mpmath
    numbers) once a step is below 10^(−dps−3)·(1 + |z|), or None when a step fails, leaves
    the finite numbers or makes coordinate ``positive`` non-positive."""
    z = [mpmath.mpf(c) for c in z0]
    tol = mpmath.mpf(10) ** (-dps - 3)
    for _ in range(maxiter):
        try:
            F, J = system(z)
            dz = mpmath.lu_solve(mpmath.matrix(J), -mpmath.matrix(F))
        except (ZeroDivisionError, ValueError, OverflowError):
            return None
        z = [z[i] + dz[i] for i in range(len(z))]
        step = max(abs(d) for d in dz)
        if not all(mpmath.isfinite(c) for c in z) or (positive is not None and z[positive] <= 0):
            return None
        if step <= tol * (1 + max(abs(c) for c in z)):
            return z
    return None


@renamed(h0="lr0")
def solve_extended(obj: Objective, x0, lr0, p: int, kind: str, dps: int = 50,
                   maxiter: int = 40, param=None):
    """Newton on E_σ from (x0, lr0) at ``dps`` digits (plus guard digits), the objective's
    parameter fixed by ``param = (a, value)`` if it has one.  Returns (x, h) as mpmath
    numbers, or None when Newton fails."""
    sigma = _sigma(kind, obj.dim)
    n = obj.dim
    guard = 15 + int(np.log10(max(p, 1)) * 3)
    with precision(dps=dps + guard):
        z = newton_solve(lambda v: extended_system(obj, v, p, sigma, param=param),
                         [mpmath.mpf(c) for c in x0] + [mpmath.mpf(lr0)], dps, maxiter,
                         positive=n)
    return None if z is None else (z[:n], z[n])


@lr_keyword
def bifurcation_enclosure(obj: Objective, x, lr, p: int, kind: str, dps: int = 50,
                          radius: float | None = None, param=None) -> KrawczykTest:
    """The Krawczyk test (:func:`lrtheory.certify.krawczyk_test`) for E_σ in the box
    (x, h) ± ``radius`` (default 10^(−dps/2)) at ``dps`` + 10 digits, ball arithmetic
    along the p-step composition (used for p ≤ CERTIFY_MAX_PERIOD); the objective's
    parameter, if any, is fixed at the exact value of ``param = (a, value)``."""
    sigma = _sigma(kind, obj.dim)
    r = radius if radius is not None else 10.0 ** (-(dps // 2))
    with precision(dps=dps + 10):
        rad = to_arb(r)
        box = [arb(to_arb(c), rad) for c in list(x) + [lr]]
        return krawczyk_test(lambda m: extended_residual(obj, m, p, sigma, "arb", param),
                             lambda X: extended_system(obj, X, p, sigma, "arb", param)[1],
                             box)


@lr_keyword
def certify_bifurcation(obj: Objective, x, lr, p: int, kind: str, dps: int = 50,
                        radius: float | None = None, param=None) -> bool:
    """Whether :func:`bifurcation_enclosure` proves a unique solution of E_σ in the box
    (x, h) ± ``radius``."""
    return bifurcation_enclosure(obj, x, lr, p, kind, dps, radius, param).proved


def recognize_closed_form(value, dps: int, max_degree: int = 4, max_coeff: int = 10**4):
    """An algebraic closed form (root of an integer polynomial of degree ≤ ``max_degree``)
    for ``value``, accepted only if the sympy root agrees with ``value`` to ``dps − 5``
    digits; else None."""
    with precision(dps=dps):
        v = mpmath.mpf(value)
        for deg in range(1, max_degree + 1):
            coeffs = mpmath.findpoly(v, deg, maxcoeff=max_coeff)
            if coeffs:
                break
        else:
            return None
    xs = sp.Symbol("x")
    poly = sp.Poly(sum(int(c) * xs ** (len(coeffs) - 1 - i) for i, c in enumerate(coeffs)), xs)
    for root in sp.real_roots(poly):
        expr = sp.nsimplify(root) if poly.degree() <= 2 else root
        with precision(dps=dps + 10):
            approx = mpmath.mpf(str(sp.N(expr, dps + 10)))
            if abs(approx - v) <= mpmath.mpf(10) ** (-(dps - 5)) * (1 + abs(v)):
                return str(sp.radsimp(expr)) if poly.degree() <= 2 else str(expr)
    return None


# ---- search over a range of h -----------------------------------------------------------
def _float_multiplier(obj: Objective, x: np.ndarray, h: float, p: int) -> np.ndarray:
    """Eigenvalues of DG_h^p at a float64 periodic point."""
    M = np.eye(obj.dim)
    y = x[None, :]
    for _ in range(p):
        M = obj.numpy.gd_jacobian(y, h)[0] @ M
        y = obj.numpy.gd_step(y, h)
    return np.linalg.eigvals(M)


def find_bifurcations(obj: Objective, lr_range, max_period: int, dps: int = 50,
                      box=(-3.0, 3.0), samples: int = 80, starts: int = 200,
                      certify: bool = True) -> BifurcationSearch:
    """Period doublings and folds of orbits of minimal period ≤ ``max_period`` with
    learning rate in ``lr_range = (a, b)``, sorted by learning rate.

    Orbits are found in ``box`` at ``samples`` equally spaced h (float64 Newton from
    ``starts`` starts); every orbit with a multiplier within 0.35 of −1 (+1) seeds Newton on
    the extended system at ``dps`` digits.  Solutions are kept when h lies in the range,
    the minimal period is p and the extended Jacobian is regular; those with
    p ≤ CERTIFY_MAX_PERIOD are certified by a Krawczyk test in (x, h) when ``certify``.
    The scan is sampled: ``complete`` says "not proved" with the sample spacing
    (:class:`BifurcationSearch`)."""
    a, b = (float(exact_lr(v)) for v in lr_range)
    if not a < b:
        raise InputError(f"lr range must satisfy A < B, got {lr_range}")
    if samples < 2:
        raise InputError(f"samples must be at least 2, got {samples}")
    if max_period < 1:
        raise InputError(f"max period must be at least 1, got {max_period}")
    X0 = make_starts(box, obj.dim, starts, seed=0)
    found: list[Bifurcation] = []
    tried: list = []
    previous: dict = {}
    for h in np.linspace(a, b, samples):
        for p in range(1, max_period + 1):
            seeds = _unique_rows(_float_newton_seeds(obj, h, p, X0, iters=30), tol=1e-6)
            mults = [_float_multiplier(obj, s, h, p) for s in seeds]
            for s, mu in zip(seeds, mults):
                for kind, sigma in KINDS.items():
                    if np.min(np.abs(mu + sigma)) <= 0.35:
                        _try(obj, found, tried, s, h, p, kind, dps, (a, b), certify)
            # a change in the number of p-periodic points between samples is a fold:
            # try the orbits whose multiplier is closest to +1 on the richer side
            h_prev, seeds_prev, mults_prev = previous.get(p, (None, [], []))
            if h_prev is not None and len(seeds_prev) != len(seeds):
                side = (h, seeds, mults) if len(seeds) > len(seeds_prev) else \
                    (h_prev, seeds_prev, mults_prev)
                gap = np.array([np.min(np.abs(mu - 1)) for mu in side[2]])
                for i in np.argsort(gap)[:2 * abs(len(seeds) - len(seeds_prev))]:
                    _try(obj, found, tried, side[1][i], side[0], p, "fold", dps, (a, b),
                         certify)
            previous[p] = (h, seeds, mults)
    found.sort(key=lambda bf: bf.lr)
    complete = SearchCompleteness(
        NOT_PROVED, "grid sampling",
        f"learning rates sampled at {samples} points (spacing {(b - a) / (samples - 1):.3g}): "
        "a bifurcation is found only when an orbit near it is found at a sample, so one "
        "inside a window narrower than the spacing is missed")
    return BifurcationSearch(tuple(found), tuple(exact_lr(v) for v in lr_range), max_period,
                             (float(box[0]), float(box[1])), samples, starts, dps, certify,
                             complete, "sample", str(obj.expr),
                             tuple(str(v) for v in obj.vars))


def _try(obj, found, tried, seed, h, p, kind, dps, lr_range, certify):
    """Solve the extended system from one seed unless a nearby seed was already tried."""
    span = lr_range[1] - lr_range[0]
    if any(k == kind and q == p and abs(hh - h) < 0.02 * span and np.max(np.abs(ss - seed)) < 0.05
           for k, q, hh, ss in tried):
        return
    tried.append((kind, p, h, seed))
    _add_solution(obj, found, seed, h, p, kind, dps, lr_range, certify)


def _add_solution(obj, found, seed, h, p, kind, dps, lr_range, certify):
    sol = solve_extended(obj, seed, h, p, kind, dps)
    if sol is None:
        return
    x, hh = sol
    if not lr_range[0] <= hh <= lr_range[1]:
        return
    with precision(dps=dps + 10):
        pts = orbit_points(obj, x, hh, p)[:-1]
        tol = mpmath.mpf(10) ** (-(dps // 3))
        if minimal_period(pts, tol) != p:
            return
        if any(same_bifurcation(bf, kind, p, hh, pts, tol) for bf in found):
            return
    found.append(bifurcation_record(obj, kind, p, x, hh, dps, certify))


@lr_keyword
def same_bifurcation(bf: Bifurcation, kind: str, p: int, lr, points, tol) -> bool:
    """Whether ``bf`` is the bifurcation (``kind``, ``p``) at ``lr`` of the orbit through
    ``points`` (x_0..x_{p−1}): same kind, period, h and a common point, within ``tol``."""
    return bf.kind == kind and bf.period == p and abs(bf.lr - lr) < tol and any(
        max(abs(u - v) for u, v in zip(q, bf.point)) < tol for q in points)


@lr_keyword
def bifurcation_record(obj: Objective, kind: str, p: int, x, lr, dps: int,
                       certify: bool = True, param=None) -> Bifurcation:
    """The :class:`Bifurcation` at the solution (x, h) of E_σ: its multipliers (the
    eigenvalues of DG_h^p at ``dps`` + 10 digits), a Krawczyk certificate in the box
    (x, h) ± 10^(−dps/2) when ``certify`` and p ≤ CERTIFY_MAX_PERIOD, and a closed form
    of h recognized to full precision."""
    radius = test = None
    if certify and p <= CERTIFY_MAX_PERIOD:
        radius = 10.0 ** (-(dps // 2))
        test = bifurcation_enclosure(obj, x, lr, p, kind, dps, radius, param)
    with precision(dps=dps + 10):
        A = orbit_jet(obj, [mpmath.mpf(c) for c in x], mpmath.mpf(lr), p, param=param).A
        mults = multipliers(A)
    return Bifurcation(kind, p, lr, tuple(x), dps, bool(test and test.proved), radius,
                       test.enclosure if test and test.proved else None,
                       recognize_closed_form(lr, dps) if param is None else None,
                       multipliers=tuple(mults))


def multipliers(A) -> list:
    """Eigenvalues of the square matrix A (lists of mpmath numbers), largest modulus
    first; real ones as mpf."""
    if len(A) == 1:
        return [A[0][0]]
    if len(A) == 2:   # µ = tr/2 ± sqrt(tr²/4 − det)
        half = (A[0][0] + A[1][1]) / 2
        root = mpmath.sqrt(mpmath.mpf(half * half - (A[0][0] * A[1][1] - A[0][1] * A[1][0])))
        return sorted([half + root, half - root], key=lambda m: -abs(m))
    mults = mpmath.eig(mpmath.matrix(A), left=False, right=False)
    eps = mpmath.mpf(10) ** (-(mpmath.mp.dps * 2 // 3))
    mults = [m.real if abs(m.imag) <= eps * (1 + abs(m)) else m for m in mults]
    return sorted(mults, key=lambda m: -abs(m))


# ---- the period-doubling cascade ---------------------------------------------------------
def _float_orbit(g, dg, x: float, h: float, p: int):
    """(x_p − x, μ, b) for the 1-D map in float64: x_p = G_h^p(x), μ = ∂x_p/∂x and
    b = ∂x_p/∂h by b_{k+1} = G'(x_k) b_k − ∇f(x_k), ∇f(x_k) = (x_k − G(x_k))/h."""
    mu, b, y = 1.0, 0.0, x
    for _ in range(p):
        (gy,), (d,) = g(y, h), dg(y, h)
        mu, b, y = mu * d, d * b - (y - gy) / h, gy
    return y - x, mu, b


def _branch_seed(obj: Objective, x, h, p: int, delta):
    """Seed of the period-2p orbit born at the period doubling (x*, h*) = (``x``, ``h``) of
    a period-p orbit, at h* + δ: the point x_p(h* + δ) + s of the normal form.

    With F = G^p, F′(x*) = −1, μ(h) = F′ on the period-p branch (μ_h = dμ/dh) and
    (F²)‴ = −2F‴ − 3F″², the 2p-orbit near x_p(h) solves
    (μ² − 1) u + (F²)‴ u³/6 = 0,  μ² − 1 ≈ −2 μ_h δ,  so  s = sqrt(12 μ_h δ / (F²)‴)
    (the eigenvector of the multiplier −1 is 1 in one dimension).  F‴ is a central
    difference of F″ at the working precision.  Returns (x_seed, s) as floats."""
    with precision(dps=current_dps() + 20):
        x0, h0 = mpmath.mpf(x), mpmath.mpf(h)
        _, A, b, dA, dAh = orbit_derivatives(obj, [x0], h0, p)
        e = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3)) * (1 + abs(x0))
        f3 = (orbit_derivatives(obj, [x0 + e], h0, p)[3][0][0][0]
              - orbit_derivatives(obj, [x0 - e], h0, p)[3][0][0][0]) / (2 * e)
        dxdh = -b[0] / (A[0][0] - 1)
        mu_h = dAh[0][0] + dA[0][0][0] * dxdh
        d3 = -2 * f3 - 3 * dA[0][0][0] ** 2
        s2 = 12 * mu_h * delta / d3 if d3 != 0 else mpmath.mpf(-1)
    if not s2 > 0:
        raise ComputationError(f"the period-{2 * p} orbit is not born for h > h* at the "
                               f"doubling h* = {mpmath.nstr(h, 12)} (subcritical)")
    s = float(mpmath.sqrt(s2))
    return float(x0 + dxdh * delta) + s, s


def _correct(g, dg, x: float, h: float, q: int, scale: float, iters: int = 12):
    """Newton on G_h^q(x) = x from x in float64 (steps clipped to ``scale``/4); converged
    when a step is below 10⁻¹⁰·scale, or when the steps stop shrinking below 10⁻⁴·scale
    (the round-off floor of float64).  Returns (x, μ, b) or None."""
    last = np.inf
    for _ in range(iters):
        r, mu, b = _float_orbit(g, dg, x, h, q)
        if not (np.isfinite(r) and np.isfinite(mu)) or mu == 1:
            return None
        step = -r / (mu - 1)
        x += max(-scale / 4, min(scale / 4, step))
        if abs(step) <= 1e-10 * scale or (abs(step) <= 1e-4 * scale and abs(step) > last / 2):
            r, mu, b = _float_orbit(g, dg, x, h, q)
            return x, mu, b
        last = abs(step)
    return None


def _follow_branch(obj: Objective, g, dg, prev: Bifurcation, gap: float, dps: int):
    """The period doubling of the period-2p orbit born at ``prev`` (period p).

    Seed the branch at h* + δ (δ = 10⁻³·``gap``, :func:`_branch_seed`), continue it in h
    by a tangent predictor x += (dx/dh)Δh, dx/dh = −b/(μ − 1), and a Newton corrector on
    G^{2p}(x) = x, with Δh doubled after easy steps and halved when the corrector fails,
    the orbit collapses onto period p, or μ changes by more than 0.25.  When μ < −1 the
    bracket [h_a, h_b] seeds the extended system at ``dps`` digits."""
    p, q = prev.period, 2 * prev.period
    h = float(prev.lr) + 1e-3 * gap
    with precision(dps=dps):
        x, amp = _branch_seed(obj, prev.point[0], prev.lr, p, mpmath.mpf(h) - prev.lr)
    state = _correct(g, dg, x, h, q, amp)
    if state is None or abs(_float_orbit(g, dg, state[0], h, p)[0]) < amp:
        raise ComputationError(f"no period-{q} orbit found at the doubling h = {prev.lr}")
    x, mu, b = state
    dh = 1e-3 * gap
    for _ in range(10000):
        amp = abs(_float_orbit(g, dg, x, h, p)[0])
        x_pred = x - b / (mu - 1) * dh
        new = _correct(g, dg, x_pred, h + dh, q, amp)
        if new is None or abs(new[0] - x_pred) > 0.1 * amp or abs(new[1] - mu) > 0.25 \
                or abs(_float_orbit(g, dg, new[0], h + dh, p)[0]) < 0.5 * amp:
            dh /= 2
            if dh < 1e-15 * h:
                raise ComputationError(f"continuation of the period-{q} orbit stalled at "
                                       f"h = {h}")
            continue
        if new[1] < -1:
            t = (mu + 1) / (mu - new[1])
            return _solve_on_branch(obj, x + t * (new[0] - x), h + t * dh, q, dps,
                                    (h, h + dh), amp)
        x, mu, b, h = new[0], new[1], new[2], h + dh
        dh *= 2 if abs(new[0] - x_pred) < 0.01 * amp else 1
    raise ComputationError(f"the period-{q} orbit did not reach multiplier −1")


def _solve_on_branch(obj, x, h, q, dps, bracket, amp):
    """Newton on E_{+1} at ``dps`` digits from the interpolated point; the solution must
    stay in the bracket and near the followed orbit (else the branch was lost)."""
    sol = solve_extended(obj, [x], h, q, "period-doubling", dps)
    width = bracket[1] - bracket[0]
    if sol is None or not bracket[0] - width <= float(sol[1]) <= bracket[1] + width \
            or abs(float(sol[0][0]) - x) > 0.1 * amp:
        raise ComputationError(f"Newton on the extended system left the period-{q} branch "
                               f"near h = {h}")
    return Bifurcation("period-doubling", q, sol[1], tuple(sol[0]), dps)


@renamed(h_start="lr_start")
def period_doubling_cascade(obj: Objective, x_start, lr_start, n: int,
                            dps: int = 50) -> DoublingCascade:
    """The first ``n`` period-doubling points h_1 < … < h_n of a 1-D GD map, starting
    from a guess (``x_start``, ``lr_start``) of the first (a fixed point with multiplier
    −1), with Feigenbaum ratio estimates (KT-2, BLOG-9).

    Level k (period p = 2^{k−1}) follows the branch born at h_{k−1}
    (:func:`_follow_branch`: normal-form seed x* + s, s ~ sqrt(h − h*), then
    predictor–corrector continuation in h until the multiplier crosses −1) and solves the
    extended system at ``dps`` digits; coexisting orbits of the same period are never
    visited.  Ratios δ_k = (h_k − h_{k−1})/(h_{k+1} − h_k); the estimate is the Aitken
    extrapolation of the last three, its error estimate the change between the last two
    extrapolations (or ratios).

    Returns a :class:`DoublingCascade` (``regular`` is False when a ratio from the third
    on leaves (3, 7): no Feigenbaum cascade)."""
    if obj.dim != 1:
        raise InputError("period_doubling_cascade needs a 1-D objective")
    if n < 1:
        raise InputError("n must be at least 1")
    g, dg = python_gd_map(obj)
    first = solve_extended(obj, [x_start], lr_start, 1, "period-doubling", dps)
    if first is None:
        raise ComputationError(f"no period-doubling point of a fixed point found from "
                               f"x = {x_start}, h = {lr_start}")
    bifs = [Bifurcation("period-doubling", 1, first[1], tuple(first[0]), dps)]
    gap = float(first[1]) / 10
    for _ in range(2, n + 1):
        bifs.append(_follow_branch(obj, g, dg, bifs[-1], gap, dps))
        gap = float(bifs[-1].lr - bifs[-2].lr) / float(FEIGENBAUM_DELTA)
    return _feigenbaum_summary(bifs, dps)


@renamed(hs="lrs")
def feigenbaum_ratios(lrs) -> list:
    """δ_k = (h_k − h_{k−1})/(h_{k+1} − h_k) of successive doubling points."""
    return [(lrs[k] - lrs[k - 1]) / (lrs[k + 1] - lrs[k]) for k in range(1, len(lrs) - 1)]


def _feigenbaum_summary(bifs, dps):
    with precision(dps=dps):
        hs = [b.lr for b in bifs]
        ratios = feigenbaum_ratios(hs)
        ref = mpmath.mpf(FEIGENBAUM_DELTA)
        aitken = [ratios[i + 2] - (ratios[i + 2] - ratios[i + 1]) ** 2
                  / ((ratios[i + 2] - ratios[i + 1]) - (ratios[i + 1] - ratios[i]))
                  for i in range(len(ratios) - 2)]
        if len(aitken) >= 2:
            est, err = aitken[-1], abs(aitken[-1] - aitken[-2])
        elif ratios:
            est = ratios[-1]
            err = abs(ratios[-1] - ratios[-2]) if len(ratios) > 1 else mpmath.inf
        else:
            est, err = mpmath.nan, mpmath.inf
        acc = hs[-1] + (hs[-1] - hs[-2]) / (ref - 1) if len(hs) > 1 else mpmath.nan
    # a cascade followed along one branch has ratios near δ from the third on; a ratio far
    # off means a jump to another branch (or no cascade): reported, not hidden
    regular = all(3 < r < 7 for r in ratios[2:])
    return DoublingCascade(tuple(bifs), tuple(ratios), tuple(aitken), est, float(err), ref,
                           float(abs(est - ref)), acc, regular)
