"""Periodic orbits of the GD map G_h(x) = x − h∇f(x) (BLOG-8).

A period-p point solves G_h^p(x) = x.  :func:`find_periodic_orbits` finds them in a box:

1. seeds — vectorized float64 Newton on G_h^p(x) − x from many starts (a grid and seeded
   uniform points), with a Levenberg–Marquardt-regularised step so that curves of fixed
   points (such as the minimizer set xy = 1 of (1 − xy)²/2) do not break it; seeds where
   DG^p − I is singular are set aside as non-isolated;
2. refinement — Newton in mpmath at ``dps`` digits, one run per orbit;
3. classification — minimal period, isolated or not (smallest singular value of
   DG^p − I), deduplication up to cyclic shift, multipliers = eigenvalues of
   DG_h^p = DG_h(x_{p−1})···DG_h(x_0), stability from |µ|;
4. certification (``certify=True``) — a Krawczyk test on the multiple-shooting system and
   certified multiplier enclosures (:mod:`lrtheory.dynamics.krawczyk`).

Non-isolated solutions (a curve of fixed points) cannot be certified by Krawczyk, which
needs isolated zeros; they are returned separately by :func:`search_periodic_orbits` so
the caller can treat the family analytically.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from ..errors import InputError
from ..evaluators import to_arb
from ..objectives import Objective
from ..parsing import check_lr, parse_number
from . import krawczyk
from .classify import classify_tail


def exact_lr(h) -> sp.Expr:
    """The learning rate as an exact sympy number: strings are parsed exactly ("1.9" is
    19/10), floats are read as their shortest decimal representation, mpmath numbers as
    their exact binary value.  Raises InputError unless 0 < h < ∞."""
    if isinstance(h, mpmath.mpf):
        num, den = mpmath.libmp.to_rational(h._mpf_)
        v = sp.Rational(int(num), int(den))
    elif isinstance(h, float):
        v = sp.Rational(repr(h))
    elif isinstance(h, (str, int)):
        v = parse_number(h, "learning rate")
    elif isinstance(h, sp.Basic):
        v = h
    else:
        raise InputError(f"learning rate must be a number, got {h!r}")
    check_lr(float(v))
    return v


def mp_number(v) -> mpmath.mpf:
    """An exact sympy number at the current mpmath working precision."""
    if isinstance(v, sp.Rational):
        return mpmath.mpf(int(v.p)) / int(v.q)
    if isinstance(v, sp.Basic):
        return mpmath.mpf(str(sp.N(v, mpmath.mp.dps + 10)))
    return mpmath.mpf(v)


@dataclass
class PeriodicOrbit:
    """An isolated periodic orbit of G_h: ``points`` x_0..x_{p−1} (mpmath, canonical
    cyclic start), ``multipliers`` (eigenvalues of DG_h^p), ``stable`` (True attracting,
    False repelling, None undecided), ``certified`` (Krawczyk proved existence, local
    uniqueness, the minimal period and the stability verdict)."""

    period: int
    points: list
    multipliers: list
    stable: bool | None
    h: object
    dps: int
    certified: bool = False
    certificate: krawczyk.Certificate | None = None

    @property
    def spectral_radius(self):
        return max(abs(m) for m in self.multipliers)

    def to_json(self, digits: int | None = None) -> dict:
        """The JSON form of the CLI contract: numbers as decimal strings."""
        d = digits or self.dps
        return {"period": self.period,
                "points": [[mpmath.nstr(c, d) for c in pt] for pt in self.points],
                "multipliers": [[mpmath.nstr(mpmath.re(m), d), mpmath.nstr(mpmath.im(m), d)]
                                for m in self.multipliers],
                "stable": self.stable, "certified": self.certified}


@dataclass
class OrbitSearch:
    """Result of :func:`search_periodic_orbits`: isolated orbits and sample points (float64
    seeds or mpmath points) of non-isolated periodic sets (e.g. a curve of fixed points),
    keyed by the period searched."""

    orbits: list = field(default_factory=list)
    non_isolated: dict = field(default_factory=dict)
    starts: int = 0


# ---- the composed map in mpmath -------------------------------------------------------
def orbit_points(obj: Objective, x0, h, p: int) -> list[list]:
    """x_0, G_h(x_0), …, G_h^{p}(x_0) in mpmath at the caller's precision (p + 1 points)."""
    h = mp_number(h)
    pts = [[mpmath.mpf(c) for c in x0]]
    for _ in range(p):
        pts.append(obj.mpmath.gd_step(pts[-1], h))
    return pts


def monodromy(obj: Objective, points, h) -> mpmath.matrix:
    """DG_h^p(x_0) = DG_h(x_{p−1}) ··· DG_h(x_0) along the orbit points x_0..x_{p−1}."""
    h = mp_number(h)
    M = mpmath.eye(obj.dim)
    for x in points:
        M = obj.mpmath.gd_jacobian(x, h) * M
    return M


def _pinv_step(A: mpmath.matrix, b: mpmath.matrix) -> mpmath.matrix:
    """Minimum-norm least-squares solution of A·dx = b (SVD), so Newton also converges
    onto curves of solutions where A is singular."""
    U, S, V = mpmath.svd_r(A)
    smax = max(S) if len(S) else 0
    cut = smax * mpmath.mpf(10) ** (-(mpmath.mp.dps * 2 // 3))
    n = A.cols
    dx = mpmath.matrix(n, 1)
    Utb = U.T * b
    for k in range(len(S)):
        if S[k] > cut:
            coef = Utb[k] / S[k]
            for i in range(n):
                dx[i] += V[k, i] * coef
    return dx


def newton_periodic(obj: Objective, x0, h, p: int, dps: int = 50, maxiter: int = 60):
    """Newton on G_h^p(x) − x = 0 from ``x0`` at ``dps`` digits (LU step; minimum-norm
    step where DG^p − I is singular).

    Returns (x, residual) with mpmath numbers, or None when it diverges or stalls."""
    with mpmath.workdps(dps + 10):
        x = mpmath.matrix([mpmath.mpf(c) for c in x0])
        tol = mpmath.mpf(10) ** (-dps - 3)
        res = None
        for _ in range(maxiter):
            pts = orbit_points(obj, list(x), h, p)
            F = mpmath.matrix(pts[-1]) - x
            res = mpmath.norm(F, mpmath.inf)
            if not mpmath.isfinite(res) or res > 1e12:
                return None
            scale = 1 + mpmath.norm(x, mpmath.inf)
            if res <= tol * scale:
                return [x[i] for i in range(obj.dim)], res
            A = monodromy(obj, pts[:-1], h) - mpmath.eye(obj.dim)
            try:
                x = x + mpmath.lu_solve(A, -F)
            except ZeroDivisionError:  # singular: a non-isolated solution set
                x = x + _pinv_step(A, -F)
        return None


# ---- float64 seeds ---------------------------------------------------------------------
def _float_newton_seeds(obj: Objective, h: float, p: int, X0: np.ndarray,
                        iters: int = 40, max_step: float = 0.5) -> np.ndarray:
    """Vectorized float64 Newton on G^p(x) − x over starts X0 (m, n) with a
    Levenberg–Marquardt-regularised step (solvable where DG^p − I is singular, e.g. on a
    curve of fixed points) and a step-length cap; returns the converged points (k, n)."""
    X = np.array(X0, dtype=float)
    n = obj.dim
    eye = np.eye(n)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            Y, M = X, np.broadcast_to(eye, X.shape + (n,)).copy()
            for _ in range(p):
                M = obj.numpy.gd_jacobian(Y, h) @ M
                Y = obj.numpy.gd_step(Y, h)
            F = Y - X
            good = np.all(np.isfinite(F), axis=1) & np.all(np.isfinite(M), axis=(1, 2))
            X, F, M = X[good], F[good], M[good]
            if not len(X):
                return X
            A = M - eye
            At = np.swapaxes(A, 1, 2)
            AtA = At @ A
            mu = 1e-14 * (1.0 + np.einsum("kii->k", AtA))[:, None, None]
            dx = -np.linalg.solve(AtA + mu * eye, np.einsum("kij,kj->ki", At, F)[..., None])[..., 0]
            norm = np.max(np.abs(dx), axis=1, keepdims=True)
            X = X + dx * np.minimum(1.0, max_step / np.maximum(norm, 1e-300))
        Y = X
        for _ in range(p):
            Y = obj.numpy.gd_step(Y, h)
        ok = np.max(np.abs(Y - X), axis=1) < 1e-9 * (1 + np.max(np.abs(X), axis=1))
    return X[ok]


def _float_non_isolated(obj: Objective, h: float, p: int, X: np.ndarray) -> np.ndarray:
    """Seeds where DG^p − I is numerically singular in float64 (smallest singular value
    below 1e-9 of the largest): points of a curve or family of periodic points, such as
    the minimizer set of (1 − xy)²/2.  An isolated orbit with a multiplier within about
    1e-9 of +1 (at a fold) is also put here: Krawczyk could not certify it either."""
    if not len(X):
        return np.zeros(0, dtype=bool)
    n = obj.dim
    M = np.broadcast_to(np.eye(n), X.shape + (n,)).copy()
    Y = X
    with np.errstate(all="ignore"):
        for _ in range(p):
            M = obj.numpy.gd_jacobian(Y, h) @ M
            Y = obj.numpy.gd_step(Y, h)
        sv = np.linalg.svd(M - np.eye(n), compute_uv=False)
    return sv[:, -1] < 1e-9 * np.maximum(sv[:, 0], 1.0)


def _unique_rows(X: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Rows of X with near-duplicates (max-norm < tol) removed."""
    keep: list[np.ndarray] = []
    for row in X[np.lexsort(X.T[::-1])] if len(X) else X:
        if not keep or np.max(np.abs(keep[-1] - row)) >= tol:
            if all(np.max(np.abs(k - row)) >= tol for k in keep[-8:]):
                keep.append(row)
    return np.array(keep).reshape(-1, X.shape[1] if X.ndim == 2 else 1)


def make_starts(box, dim: int, starts: int, seed: int = 0) -> np.ndarray:
    """``starts`` seeded uniform points in the box, plus a regular grid of about the same
    size (the grid makes the search reproducible and covers the box evenly)."""
    lo, hi = box
    rng = np.random.default_rng(seed)
    U = rng.uniform(lo, hi, size=(starts, dim))
    k = max(2, int(round(starts ** (1.0 / dim))))
    axes = [np.linspace(lo, hi, k)] * dim
    G = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, dim)
    return np.concatenate([U, G])


# ---- classification --------------------------------------------------------------------
def minimal_period(points, tol) -> int:
    """Smallest d dividing p with x_d = x_0 (within ``tol``), for points x_0..x_{p−1}."""
    p = len(points)
    for d in range(1, p + 1):
        if p % d == 0 and (d == p or max(abs(a - b) for a, b in zip(points[0], points[d])) < tol):
            return d
    return p


def canonical_rotation(points) -> list:
    """The cyclic shift of the orbit starting at its lexicographically smallest point
    (rounded to 12 digits), so that equal orbits compare equal."""
    keys = [tuple(round(float(c), 12) for c in pt) for pt in points]
    k = min(range(len(points)), key=keys.__getitem__)
    return points[k:] + points[:k]


def same_orbit(a: list, b: list, tol) -> bool:
    """Whether two orbits (lists of points) coincide up to a cyclic shift, within tol."""
    if len(a) != len(b):
        return False
    return any(all(max(abs(u - v) for u, v in zip(a[(i + s) % len(a)], b[i])) < tol
                   for i in range(len(b))) for s in range(len(a)))


def stability(multipliers, dps: int) -> bool | None:
    """True if all |µ| < 1, False if some |µ| > 1, None when the largest |µ| equals 1 to
    within 10^(−dps/2) (not hyperbolic: numerics cannot decide)."""
    eps = mpmath.mpf(10) ** (-(dps // 2))
    r = max(abs(m) for m in multipliers)
    if r < 1 - eps:
        return True
    if r > 1 + eps:
        return False
    return None


def _refine(obj, seed, h, p, dps):
    """mpmath refinement of one float seed; returns (points, isolated) or None."""
    sol = newton_periodic(obj, seed, h, p, dps)
    if sol is None:
        return None
    with mpmath.workdps(dps + 10):
        pts = orbit_points(obj, sol[0], h, p)[:-1]
        A = monodromy(obj, pts, h) - mpmath.eye(obj.dim)
        smin = min(mpmath.svd_r(A, compute_uv=False))
        isolated = smin > mpmath.mpf(10) ** (-(dps // 3))
    return pts, isolated


def search_periodic_orbits(obj: Objective, h, max_period: int, box, starts: int = 2000,
                           dps: int = 50, seed: int = 0, certify: bool = False) -> OrbitSearch:
    """All periodic orbits of minimal period ≤ ``max_period`` whose points lie in the
    square ``box = (lo, hi)`` (every coordinate), found from ``starts`` seeded starts plus a
    grid.  See the module docstring for the method.  The search is numerical: it finds the
    orbits Newton reaches from the starts and cannot prove that none was missed."""
    h = exact_lr(h)
    if max_period < 1:
        raise InputError(f"max_period must be at least 1, got {max_period}")
    lo, hi = (float(box[0]), float(box[1]))
    if not lo < hi:
        raise InputError(f"box must satisfy lo < hi, got {box}")
    X0 = make_starts((lo, hi), obj.dim, starts, seed)
    result = OrbitSearch(starts=len(X0))
    tol_same = mpmath.mpf(10) ** (-(dps // 3))
    for p in range(1, max_period + 1):
        seeds = _float_newton_seeds(obj, float(h), p, X0)
        seeds = seeds[np.all((seeds >= lo - 1e-9) & (seeds <= hi + 1e-9), axis=1)]
        seeds = _unique_rows(seeds)
        flat = _float_non_isolated(obj, float(h), p, seeds)
        if flat.any():
            result.non_isolated.setdefault(p, []).extend(seeds[flat].tolist())
        done: list[np.ndarray] = []   # float points of orbits already refined
        for s in seeds[~flat]:
            if any(np.max(np.abs(d - s)) < 1e-6 for d in done):
                continue
            refined = _refine(obj, s, h, p, dps)
            if refined is None:
                continue
            pts, isolated = refined
            done.extend(np.array([[float(c) for c in pt] for pt in pts]))
            if any(not (lo <= c <= hi) for pt in pts for c in pt):
                continue
            q = minimal_period(pts, tol_same)
            pts = canonical_rotation(pts[:q])
            if not isolated:
                result.non_isolated.setdefault(q, []).append(pts[0])
                continue
            if any(same_orbit(pts, o.points, tol_same) for o in result.orbits):
                continue
            result.orbits.append(_classified(obj, pts, h, dps, certify))
    result.orbits.sort(key=lambda o: (o.period, [float(c) for c in o.points[0]]))
    return result


def _classified(obj, pts, h, dps, certify) -> PeriodicOrbit:
    with mpmath.workdps(dps + 10):
        M = monodromy(obj, pts, h)
        mults = list(mpmath.eig(M, left=False, right=False)) if obj.dim > 1 else [M[0, 0]]
    mults.sort(key=lambda m: -abs(m))
    orbit = PeriodicOrbit(len(pts), pts, mults, stability(mults, dps), h, dps)
    if certify:
        certify_orbit(obj, orbit)
    return orbit


def certify_orbit(obj: Objective, orbit: PeriodicOrbit, radius=None) -> PeriodicOrbit:
    """Run the Krawczyk test on ``orbit`` (box half-width ``radius``, default
    10^(−dps/2) times the orbit's scale); on success mark it certified and replace its
    stability by the rigorous verdict from the multiplier enclosures."""
    scale = 1 + max(abs(float(c)) for pt in orbit.points for c in pt)
    r = radius if radius is not None else scale * 10.0 ** (-(orbit.dps // 2))
    cert = krawczyk.krawczyk_box(obj, orbit.points, orbit.h, r, orbit.dps)
    orbit.certificate = cert
    orbit.certified = bool(cert.proved and cert.minimal and cert.stable is not None)
    if orbit.certified:
        orbit.stable = cert.stable
    return orbit


def find_periodic_orbits(obj: Objective, h, max_period: int, box, starts: int = 2000,
                         dps: int = 50, seed: int = 0, certify: bool = False) -> list[PeriodicOrbit]:
    """Isolated periodic orbits of G_h(x) = x − h∇f(x) with minimal period ≤ ``max_period``
    and all points in ``box = (lo, hi)`` (BLOG-8).  Each has its points at ``dps`` digits,
    multipliers and stability; with ``certify=True`` a Krawczyk certificate.  Non-isolated
    periodic sets are skipped (see :func:`search_periodic_orbits`)."""
    return search_periodic_orbits(obj, h, max_period, box, starts, dps, seed, certify).orbits


# ---- basins ------------------------------------------------------------------------------
def _tail(obj: Objective, X: np.ndarray, h: float, steps: int, tail: int) -> np.ndarray:
    """The last ``tail`` + 1 points of GD runs of ``steps`` steps from the rows of X, shape
    (tail + 1, m, n), without storing the whole trajectory."""
    check_lr(h)
    out = np.empty((tail + 1,) + X.shape)
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            if k >= steps - tail:
                out[k - (steps - tail)] = X
            if k < steps:
                X = obj.numpy.gd_step(X, h)
    return out


def basin_fractions(obj: Objective, h: float, orbits, box, grid: int = 101, steps: int = 3000,
                    tol: float = 1e-6) -> dict:
    """Long-run fate of a ``grid``×…×``grid`` lattice of starts in the box (float64):
    fractions that diverged, converged to a fixed point, ended on one of ``orbits`` (index by
    position), ended periodic elsewhere, or stayed bounded and aperiodic; ``labels`` are
    the per-start classifications of :func:`classify_tail`."""
    lo, hi = box
    axes = [np.linspace(lo, hi, grid)] * obj.dim
    X = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, obj.dim)
    labels = classify_tail(_tail(obj, X, h, steps, tail=128), tol=1e-9, max_period=16)
    pts = [np.array([[float(c) for c in pt] for pt in o.points]) for o in orbits]
    counts = {"diverged": 0, "converged": 0, "aperiodic": 0, "periodic (other)": 0}
    per_orbit = [0] * len(orbits)
    for lab in labels:
        if lab["label"] != "periodic":
            counts[lab["label"]] += 1
            continue
        hit = [i for i, P in enumerate(pts) if len(P) == lab["period"]
               and np.min(np.max(np.abs(P - np.array(lab["limit"])), axis=1)) < tol]
        if hit:
            per_orbit[hit[0]] += 1
        else:
            counts["periodic (other)"] += 1
    total = len(labels)
    return {"starts": total, "fractions": {k: v / total for k, v in counts.items()},
            "orbit_fractions": [v / total for v in per_orbit], "labels": labels}


# ---- exact counts for polynomial maps of the line -----------------------------------------
def real_periodic_points(g_expr, var, p: int, box) -> list:
    """Certified enclosures (python-flint ``arb``) of the real points of minimal period
    ``p`` in ``box`` of a polynomial map t ↦ g(t) with rational coefficients.

    The roots of the exact polynomial g^p(t) − t are isolated by FLINT
    (``fmpq_poly.complex_roots``; real roots come with an exactly zero imaginary part);
    roots that overlap a root of g^d(t) − t for a proper divisor d of p are removed.  Used
    to prove that an orbit search is complete on an invariant line (BLOG-8)."""
    from flint import fmpq, fmpq_poly
    poly = sp.Poly(sp.expand(g_expr), var)
    if not all(c.is_Rational for c in poly.all_coeffs()):
        raise InputError("real_periodic_points needs a polynomial with rational coefficients")
    g = fmpq_poly([fmpq(int(c.p), int(c.q)) for c in reversed(poly.all_coeffs())])
    ident = fmpq_poly([0, 1])
    lo, hi = (to_arb(sp.nsimplify(b)) if not isinstance(b, float) else to_arb(b)
              for b in box)

    def roots(d):
        q = ident
        for _ in range(d):
            q = g(q)
        return [r.real for r, _ in (q - ident).complex_roots() if r.imag == 0]
    lower = [r for d in range(1, p) if p % d == 0 for r in roots(d)]
    return [r for r in roots(p) if not any(r.overlaps(s) for s in lower) and lo <= r <= hi]
