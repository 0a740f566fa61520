"""Periodic orbits of the GD map G_h(x) = x − h∇f(x) (BLOG-8).

A period-p point solves G_h^p(x) = x.  :func:`search_periodic_orbits` finds them in a box:

1. starts — for each period p a round of n_p = min(starts·growth^(p−1), max_starts)
   seeded uniform starts (one random stream per period and round): the number of period-p
   orbits grows geometrically with p, and so do the starts;
2. seeds — vectorized float64 Newton on G_h^p(x) − x from every start, with a
   Levenberg–Marquardt-regularised step so that curves of fixed points (such as the
   minimizer set xy = 1 of (1 − xy)²/2) do not break it; seeds where DG^p − I is singular
   are set aside as non-isolated;
3. deduplication by hashing — each seed's float64 orbit is rotated to its canonical cyclic
   start (the lexicographically smallest point, rounded to a 10⁻⁶ grid) and keyed by that
   point; each key is refined once, and a key whose orbit was already refined is recognised
   through a spatial hash of the refined orbits' points, confirmed by a distance check over
   every point and cyclic shift; every orbit counts the starts that reached it;
4. refinement — Newton at ``dps`` digits in python-flint arithmetic; minimal period,
   isolation (DG^p − I far from singular), multipliers = eigenvalues of
   DG_h^p = DG_h(x_{p−1})···DG_h(x_0), stability from |µ|;
5. symmetry — the list is closed under the signed permutations S of the variables with
   f(Sx) = f(x) that map the box onto itself (:mod:`lrtheory.dynamics.symmetry`): G_h
   commutes with S, so S maps orbits to orbits;
6. certification (``certify=True``) — a Krawczyk test on the multiple-shooting system and
   certified multiplier enclosures (:mod:`lrtheory.dynamics.krawczyk`), for the images too;
7. coverage — per period, from the numbers of starts that reached each symmetry class, an
   estimate of the orbits missed and a one-sided 95 % upper bound of the number of orbits
   (:mod:`lrtheory.dynamics.coverage`); while the bound is infinite or the estimate says
   orbits are missing, a further round of n_p starts (at most ``max_rounds``); or "proved"
   where a branch-and-bound proof of completeness (:mod:`lrtheory.dynamics.completeness`,
   ``prove``) succeeds.

Seeds whose float64 orbit has a smaller minimal period q are left to the period-q pass.
"estimated" is statistical evidence under the sampling model of
:mod:`lrtheory.dynamics.coverage`, never a proof.

Non-isolated solutions (a curve of fixed points) cannot be certified by Krawczyk, which
needs isolated zeros; they are returned separately (:class:`NonIsolatedSet`) so the caller
can treat the family analytically (:func:`~lrtheory.dynamics.completeness.minimizer_band`).
"""
from __future__ import annotations

import itertools
import math
from collections import defaultdict

import mpmath
import numpy as np
import sympy as sp
from flint import acb_mat, arb, arb_mat

from ..aliases import lr_keyword, renamed
from ..errors import InputError
from ..evaluators import to_arb
from ..objectives import Objective
from ..numbers import convert
from ..parsing import check_lr
from ..precision import precision
from ..results import Result, result
from . import krawczyk, symmetry
from .classify import classify_tail
from .completeness import OrbitCompleteness, proof_note, prove_complete
from .coverage import UnseenBound, orbit_count_bound, unseen_bound
from .krawczyk import image_chain, monodromy_ball

#: Side of the grid that rounds a float64 orbit point to its hash key, and the distance
#: (max-norm, every point) under which a float64 orbit is the same as a refined one.
KEY_CELL = 1e-6
#: Distance under which two refined orbits (compared in float64) are the same orbit.
REFINED_TOL = 1e-12


@lr_keyword
def exact_lr(lr) -> sp.Expr:
    """The learning rate as an exact sympy number: strings are parsed exactly ("1.9" is
    19/10), floats are read as their shortest decimal representation, mpmath numbers as
    their exact binary value.  Raises InputError unless 0 < lr < ∞."""
    v = convert(lr, "learning rate")
    check_lr(v)
    return v


def _exact_h(h) -> sp.Expr:
    """``h`` as an exact number: as is when already a sympy rational (validated by the
    caller, the hot path of the refinement), else by :func:`exact_lr`."""
    return h if isinstance(h, sp.Rational) else exact_lr(h)


def mp_number(v) -> mpmath.mpf:
    """An exact sympy number at the current mpmath working precision."""
    if isinstance(v, sp.Rational):
        return mpmath.mpf(int(v.p)) / int(v.q)
    if isinstance(v, sp.Basic):
        return mpmath.mpf(str(sp.N(v, mpmath.mp.dps + 10)))
    return mpmath.mpf(v)


# ---- result objects ------------------------------------------------------------------------
_STABILITY = {True: "attracting", False: "repelling", None: "undecided"}


@result
class PeriodicOrbit(Result):
    """An isolated periodic orbit of G_h(x) = x − h∇f(x).

    ``period`` — the minimal period p; ``points`` — x_0..x_{p−1}, each a tuple of exact
    mpmath numbers (Newton at ``dps`` digits), starting at the canonical cyclic start;
    ``multipliers`` — eigenvalues of DG_h^p (mpmath, largest modulus first); ``stable`` —
    True attracting, False repelling, None undecided (rigorous when certified); ``h`` — the
    learning rate (exact sympy number); ``dps`` — digits of the points; ``certified`` — a
    Krawczyk test proved existence, local uniqueness, the minimal period and the stability
    verdict; ``certificate`` — the :class:`~lrtheory.dynamics.krawczyk.OrbitCertificate`
    (None without certification)."""

    period: int
    points: tuple
    multipliers: tuple
    stable: bool | None
    h: object
    dps: int
    certified: bool = False
    certificate: krawczyk.OrbitCertificate | None = None
    _repr_skip = ("certificate",)
    _readable_floats = ("points", "multipliers")  # to_json(): tables of floats

    @property
    def spectral_radius(self):
        return max(abs(m) for m in self.multipliers)

    @property
    def stability(self) -> str:
        """"attracting", "repelling" or "undecided"."""
        return _STABILITY[self.stable]

    def float_points(self) -> np.ndarray:
        """The points as a float64 array of shape (p, n)."""
        return np.array([[float(c) for c in pt] for pt in self.points])


@result
class NonIsolatedSet(Result):
    """Points of a non-isolated set of periodic points (a curve or family, e.g. of
    minimizers) reached by the period-``period`` search: ``points`` — float64 array
    (k, n) of distinct Newton end points (max-norm separation ≥ 10⁻⁷).  Krawczyk cannot
    certify them; treat the family analytically."""

    period: int
    points: np.ndarray

    def __repr__(self):
        return f"NonIsolatedSet(period={self.period}, points={len(self.points)})"


@result
class PeriodCoverage(Result):
    """How complete the orbit list is for one period p.

    ``starts`` — starts used at this period (all rounds); ``found`` — isolated orbits of
    minimal period p found (sampled, plus their images under the symmetries);
    ``classes`` — symmetry classes among them; ``frequencies`` — (f₁, f₂): classes reached
    by exactly one and two starts; ``estimate`` — estimated number of orbits (found plus
    Chao's estimate of the unseen classes times their mean size), ``interval`` — (found,
    upper): a one-sided 95 % upper bound of the number of orbits
    (:mod:`lrtheory.dynamics.coverage`; ``inf`` when the data bound nothing);
    ``complete`` — "proved" (a branch-and-bound proof that no other orbit exists,
    ``proof``), "estimated" (only the statistics speak for completeness) or "unknown" (no
    finite upper bound); ``proof`` — the
    :class:`~lrtheory.dynamics.completeness.OrbitCompleteness` attempted for this period,
    or None; ``symmetric`` — orbits reached by no start, in the list as images of found
    ones under the objective's symmetries; ``note`` — how the bound was obtained, or why the proof failed and what it
    left undecided."""

    period: int
    starts: int
    found: int
    classes: int
    frequencies: tuple
    estimate: float | None
    interval: tuple | None
    complete: str
    proof: OrbitCompleteness | None = None
    symmetric: int = 0
    note: str = ""
    _repr_skip = ("proof",)

    @property
    def shortfall(self) -> float:
        """Orbits estimated but not found (0 when proved complete)."""
        if self.complete == "proved" or self.estimate is None:
            return 0.0
        return max(0.0, self.estimate - self.found)

    def summary(self) -> str:
        """One line: found, estimate and upper bound, completeness status, and the note
        (why a proof attempted for this period did not succeed)."""
        if self.complete == "proved":
            return f"{self.found} (proved complete)"
        if self.estimate is None or self.interval is None:
            text = f"{self.found} (coverage unknown)"
        else:
            upper = "unbounded" if math.isinf(self.interval[1]) else f"{self.interval[1]:g}"
            text = (f"{self.found} of about {self.estimate:.1f}, at most {upper} at 95 % "
                    f"({self.complete})")
        return f"{text}; {self.note}" if self.note else text


@result
class OrbitSearchSettings(Result):
    """Settings of :func:`search_periodic_orbits`: learning rate ``h`` (exact), periods
    1..``max_period``, the square ``box`` (lo, hi) of every coordinate, ``starts`` per
    round at period 1 growing by ``growth`` per period up to ``max_starts``, at most
    ``max_rounds`` rounds per period, ``dps`` digits, ``seed``, ``certify``, completeness
    proved for periods ≤ ``prove`` outside the ``excluded`` region (its description; ""
    for none) with boxes down to depth ``prove_depth``."""

    h: object
    max_period: int
    box: tuple
    starts: int
    growth: float
    max_starts: int
    dps: int
    seed: int
    certify: bool
    prove: int = 0
    excluded: str = ""
    prove_depth: int = 40
    max_rounds: int = 4

    def starts_per_round(self, p: int) -> int:
        """n_p = min(⌈starts · growth^(p−1)⌉, max_starts)."""
        return min(math.ceil(self.starts * self.growth ** (p - 1)), self.max_starts)


@result
class OrbitSearch(Result):
    """Result of :func:`search_periodic_orbits`: ``orbits`` — the isolated orbits (sorted
    by period, then first point); ``non_isolated`` — :class:`NonIsolatedSet` per period
    searched where Newton reached one; ``coverage`` — :class:`PeriodCoverage` per period;
    ``settings`` — :class:`OrbitSearchSettings`."""

    orbits: tuple = ()
    non_isolated: tuple = ()
    coverage: tuple = ()
    settings: OrbitSearchSettings | None = None

    def by_period(self, p: int) -> tuple:
        """The orbits of minimal period p."""
        return tuple(o for o in self.orbits if o.period == p)

    def non_isolated_points(self, p: int) -> np.ndarray:
        """Points of non-isolated sets reached by the period-p search (possibly empty)."""
        for s in self.non_isolated:
            if s.period == p:
                return s.points
        return np.zeros((0, len(self.orbits[0].points[0]) if self.orbits else 0))

    @property
    def starts(self) -> int:
        """All starts used (every period, both batches)."""
        return sum(c.starts for c in self.coverage)

    def __repr__(self):
        h = self.settings.h if self.settings else None
        coverage = "; ".join(f"p={c.period}: {c.summary()}" for c in self.coverage)
        families = ", ".join(f"p={s.period}: {len(s.points)}" for s in self.non_isolated)
        return (f"OrbitSearch(h={h}, orbits={len(self.orbits)}, coverage=[{coverage}], "
                f"non_isolated=[{families}])")


# ---- the composed map in mpmath -------------------------------------------------------
@lr_keyword
def orbit_points(obj: Objective, x0, lr, p: int) -> list[list]:
    """x_0, G_h(x_0), …, G_h^{p}(x_0) in mpmath at the caller's precision (p + 1 points)."""
    lr = mp_number(lr)
    pts = [[mpmath.mpf(c) for c in x0]]
    for _ in range(p):
        pts.append(obj.mpmath.gd_step(pts[-1], lr))
    return pts


@lr_keyword
def monodromy(obj: Objective, points, lr) -> mpmath.matrix:
    """DG_h^p(x_0) = DG_h(x_{p−1}) ··· DG_h(x_0) along the orbit points x_0..x_{p−1}."""
    lr = mp_number(lr)
    M = mpmath.eye(obj.dim)
    for x in points:
        M = obj.mpmath.gd_jacobian(x, lr) * M
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


def _mpf(b: arb) -> mpmath.mpf:
    """The midpoint of a ball as an mpmath number (exact, then rounded to mpmath's working
    precision)."""
    man, exp = b.mid().man_exp()
    return mpmath.mpf((int(man), int(exp)))


def _mp_matrix(A: arb_mat) -> mpmath.matrix:
    """The midpoint matrix of a ball matrix in mpmath."""
    return mpmath.matrix([[_mpf(A[i, j]) for j in range(A.ncols())] for i in range(A.nrows())])


def _newton_step(obj: Objective, chain: list, hb: arb, F: list) -> list:
    """The Newton step dx on E(x) = G_h^p(x) − x at the exact point x = chain[0] (chain =
    x, G(x), …, G^p(x) in balls, F = E(x)): (DG_h^p(x) − I)·dx = −E(x) solved on the
    midpoints (``arb_mat.solve``), or the minimum-norm least-squares step where that matrix
    is singular."""
    n = obj.dim
    A = monodromy_ball(obj, chain[:-1], hb) - krawczyk.ball_identity(n)
    rhs = arb_mat(n, 1, [-f.mid() for f in F])
    try:
        dx = A.mid().solve(rhs)
        return [dx[i, 0] for i in range(n)]
    except ZeroDivisionError:  # singular: a non-isolated solution set
        d = _pinv_step(_mp_matrix(A), _mp_matrix(rhs))
        return [to_arb(d[i]) for i in range(n)]


@lr_keyword
def newton_periodic(obj: Objective, x0, lr, p: int, dps: int = 50, maxiter: int = 60):
    """Newton on G_h^p(x) − x = 0 from ``x0`` at ``dps`` (+ 10 guard) digits: python-flint
    balls used as multiprecision floats (the point is reset to exact midpoints after each
    step; the rigorous statement is the Krawczyk certificate, not this iteration), LU step,
    minimum-norm step where DG^p − I is singular.  Stops when
    |G^p(x) − x|_∞ ≤ 10^(−dps−3)(1 + |x|_∞).

    Returns (x, residual) with mpmath numbers, or None when it diverges or stalls."""
    with precision(dps=dps + 10):
        hb = to_arb(_exact_h(lr))
        x = [to_arb(mpmath.mpf(c)) for c in x0]
        tol = mpmath.mpf(10) ** (-dps - 3)
        for _ in range(maxiter):
            chain = image_chain(obj, x, hb, p)
            F = [a - b for a, b in zip(chain[p], x)]
            if not all(f.is_finite() for f in F):
                return None
            res = max(_mpf(abs(f.mid())) for f in F)
            if res > 1e12:
                return None
            if res <= tol * (1 + max(_mpf(abs(c)) for c in x)):
                return [_mpf(c) for c in x], res
            x = [(a + b).mid() for a, b in zip(x, _newton_step(obj, chain, hb, F))]
        return None


# ---- float64 seeds ---------------------------------------------------------------------
def _float_newton_seeds(obj: Objective, h: float, p: int, X0: np.ndarray,
                        iters: int = 40, max_step: float = 0.5) -> np.ndarray:
    """Vectorized float64 Newton on G^p(x) − x over starts X0 (m, n) with a
    Levenberg–Marquardt-regularised step (solvable where DG^p − I is singular, e.g. on a
    curve of fixed points) and a step-length cap; returns the converged points (k, n).
    A start leaves the iteration once its step is below 10⁻¹³·(1 + |x|) (float64 cannot
    move it further)."""
    X = np.array(X0, dtype=float).reshape(-1, obj.dim)
    n = obj.dim
    eye = np.eye(n)
    settled = []
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
                break
            A = M - eye
            At = np.swapaxes(A, 1, 2)
            AtA = At @ A
            mu = 1e-14 * (1.0 + np.einsum("kii->k", AtA))[:, None, None]
            dx = -np.linalg.solve(AtA + mu * eye, np.einsum("kij,kj->ki", At, F)[..., None])[..., 0]
            norm = np.max(np.abs(dx), axis=1, keepdims=True)
            X = X + dx * np.minimum(1.0, max_step / np.maximum(norm, 1e-300))
            still = norm[:, 0] > 1e-13 * (1 + np.max(np.abs(X), axis=1))
            settled.append(X[~still])
            X = X[still]
        X = np.concatenate(settled + [X])
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


def uniform_starts(box, dim: int, n: int, seed: int, stream: tuple) -> np.ndarray:
    """``n`` independent uniform points in the cube ``box``ⁿ from the random stream
    (``seed``, ``*stream``) — one stream per period and round, so that no period's starts
    depend on another's (the sampling model of :mod:`lrtheory.dynamics.coverage`)."""
    return np.random.default_rng([seed, *stream]).uniform(box[0], box[1], size=(n, dim))


@lr_keyword
def float_orbits(obj: Objective, lr: float, p: int, X: np.ndarray) -> np.ndarray:
    """x, G(x), …, G^{p−1}(x) in float64 for each row of X: shape (k, p, n)."""
    pts = [np.asarray(X, dtype=float).reshape(-1, obj.dim)]
    for _ in range(p - 1):
        pts.append(obj.numpy.gd_step(pts[-1], lr))
    return np.stack(pts, axis=1)


def _float_minimal(P: np.ndarray, tol: float = KEY_CELL) -> np.ndarray:
    """Rows of float orbits P (k, p, n) whose minimal period is p: x_d differs from x_0 by
    more than ``tol``·(1 + |x_0|) for every proper divisor d of p."""
    p = P.shape[1]
    ok = np.ones(len(P), dtype=bool)
    scale = 1 + np.max(np.abs(P[:, 0]), axis=1)
    for d in range(1, p):
        if p % d == 0:
            ok &= np.max(np.abs(P[:, d] - P[:, 0]), axis=1) > tol * scale
    return ok


def _canonical_float(P: np.ndarray, cell: float = KEY_CELL) -> np.ndarray:
    """Each float orbit of P (k, p, n) rotated to start at its lexicographically smallest
    point, coordinates compared on the grid of side ``cell``."""
    k, p, n = P.shape
    R = np.floor(P / cell)
    smallest = np.ones((k, p), dtype=bool)
    for c in range(n):
        v = np.where(smallest, R[:, :, c], np.inf)
        smallest &= v == v.min(axis=1, keepdims=True)
    start = np.argmax(smallest, axis=1)
    idx = (np.arange(p)[None, :] + start[:, None]) % p
    return np.take_along_axis(P, idx[:, :, None], axis=1)


def _same_float_orbit(A: np.ndarray, B: np.ndarray, tol: float) -> bool:
    """Whether float orbits A, B (p, n) coincide up to a cyclic shift within ``tol``."""
    return len(A) == len(B) and any(np.max(np.abs(np.roll(A, s, axis=0) - B)) < tol
                                    for s in range(len(A)))


class _OrbitIndex:
    """Spatial hash of float64 orbits of one period: grid cells of side :data:`KEY_CELL`
    → the orbits with a point in the cell.  :meth:`find` looks in the 3ⁿ cells around a
    candidate's first point and confirms by :func:`_same_float_orbit` (``tol`` ≤ cell)."""

    def __init__(self):
        self.cells: dict = defaultdict(list)
        self.orbits: list[np.ndarray] = []

    @staticmethod
    def _cell(x) -> tuple:
        return tuple(int(c) for c in np.floor(x / KEY_CELL))

    def find(self, P: np.ndarray, tol: float) -> int | None:
        home = self._cell(P[0])
        for off in itertools.product((-1, 0, 1), repeat=len(home)):
            for k in self.cells.get(tuple(a + b for a, b in zip(home, off)), ()):
                if _same_float_orbit(self.orbits[k], P, tol):
                    return k
        return None

    def add(self, P: np.ndarray) -> int:
        k = len(self.orbits)
        self.orbits.append(P)
        for cell in {self._cell(x) for x in P}:
            self.cells[cell].append(k)
        return k


def _seed_groups(obj: Objective, h: float, p: int, X0: np.ndarray, box):
    """Float64 stage of the period-p pass: (groups, non-isolated seeds).  A group is
    (float orbit (p, n) at its canonical start, number of starts whose Newton run reached
    it), one per hash key of the canonical start, in key order."""
    lo, hi = box
    S = _float_newton_seeds(obj, h, p, X0)
    S = S[np.all((S >= lo - 1e-9) & (S <= hi + 1e-9), axis=1)]
    flat = _float_non_isolated(obj, h, p, S)
    family, S = S[flat], S[~flat]
    P = float_orbits(obj, h, p, S)
    keep = np.all((P >= lo - 1e-9) & (P <= hi + 1e-9), axis=(1, 2)) & _float_minimal(P)
    P = _canonical_float(P[keep])
    if not len(P):
        return [], family
    keys = np.floor(P[:, 0] / KEY_CELL).astype(np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    counts = np.bincount(inverse.ravel(), minlength=len(first))
    return [(P[i], int(c)) for i, c in zip(first, counts)], family


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


def same_orbit(a, b, tol) -> bool:
    """Whether two orbits (sequences of points) coincide up to a cyclic shift, within tol."""
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
    """High-precision refinement of one float seed: (points x_0..x_{p−1} as mpmath numbers,
    DG_h^p as an mpmath matrix, isolated) at ``dps`` + 10 digits, or None when Newton fails.

    Isolated means ‖(DG^p − I)⁻¹‖_F < 10^(dps/3): the smallest singular value of DG^p − I
    is above 10^(−dps/3) to within the factor √n between the Frobenius and spectral norms."""
    sol = newton_periodic(obj, seed, h, p, dps)
    if sol is None:
        return None
    with precision(dps=dps + 10):
        hb = to_arb(_exact_h(h))
        chain = image_chain(obj, [to_arb(c) for c in sol[0]], hb, p - 1)
        pts = exact_zeros(obj, [[_mpf(c) for c in z] for z in chain], hb, dps)
        M = monodromy_ball(obj, [[to_arb(c) for c in z] for z in pts], hb)
        try:
            inv = (M - krawczyk.ball_identity(obj.dim)).mid().inv()
            norm = sum((abs(inv[i, j].mid()) ** 2 for i in range(obj.dim)
                        for j in range(obj.dim)), arb(0)).sqrt()
            isolated = bool(norm < arb(10) ** (dps // 3))
        except ZeroDivisionError:
            isolated = False
        return pts, _mp_matrix(M), isolated


@renamed(hb="lr")
def exact_zeros(obj: Objective, pts: list, lr: arb, dps: int) -> list:
    """The orbit ``pts`` with its coordinates below 10^(−dps/2) set to an exact 0, when
    ball arithmetic proves the result an exact orbit: each image G_h(z_i), evaluated in
    balls from the exact points z_i, is an exact ball (radius 0) equal to z_{i+1}.
    Otherwise ``pts`` unchanged.  Newton stops near an exact zero, not on it (the fixed
    point 0 of f = (1 − xy)²/2 is refined to about 10^(−82) at 50 digits, BLOG-8); the
    proof lets it print as 0."""
    tiny = mpmath.mpf(10) ** (-(dps // 2))
    if not any(0 < abs(c) < tiny for z in pts for c in z):
        return pts
    snapped = [[mpmath.mpf(0) if abs(c) < tiny else c for c in z] for z in pts]
    for i, z in enumerate(snapped):
        image = image_chain(obj, [to_arb(c) for c in z], lr, 1)[1]
        target = snapped[(i + 1) % len(snapped)]
        if not all(b.is_exact() and b == to_arb(c) for b, c in zip(image, target)):
            return pts
    return snapped


def _multipliers(M: mpmath.matrix) -> list:
    """Eigenvalues of the monodromy matrix, largest modulus first: Arb's eigenvalue
    enclosures (``acb_mat.eig``) at the working precision, reported by their midpoints (real
    when the imaginary part's ball contains 0), mpmath's QR algorithm where Arb cannot
    isolate them (multiple eigenvalues)."""
    n = M.rows
    if n == 1:
        return [M[0, 0]]
    E = acb_mat(n, n, [to_arb(M[i, j]) for i in range(n) for j in range(n)]).eig(nonstop=True)
    if all(e.is_finite() for e in E):
        mults = [_mpf(e.real) if e.imag.contains(0) else mpmath.mpc(_mpf(e.real), _mpf(e.imag))
                 for e in E]
    else:
        mults = list(mpmath.eig(M, left=False, right=False))
    return sorted(mults, key=lambda m: -abs(m))


@lr_keyword
def classify_orbit(obj: Objective, pts, lr, dps: int, certify: bool = False,
                   M=None) -> PeriodicOrbit:
    """The :class:`PeriodicOrbit` through ``pts`` (minimal period len(pts)): multipliers
    from the eigenvalues of DG_h^p (``M`` when already computed), stability, and with
    ``certify`` a Krawczyk certificate (:func:`certify_orbit`)."""
    with precision(dps=dps + 10):
        if M is None:
            balls = [[to_arb(mpmath.mpf(c)) for c in pt] for pt in pts]
            M = _mp_matrix(monodromy_ball(obj, balls, to_arb(_exact_h(lr))))
        mults = _multipliers(M)
    orbit = PeriodicOrbit(len(pts), tuple(tuple(pt) for pt in pts), tuple(mults),
                          stability(mults, dps), _exact_h(lr), dps)
    return certify_orbit(obj, orbit) if certify else orbit


def certify_orbit(obj: Objective, orbit: PeriodicOrbit, radius=None) -> PeriodicOrbit:
    """``orbit`` with a Krawczyk certificate (box half-width ``radius``, default
    10^(−dps/2) times the orbit's scale): certified when the test proves a unique orbit of
    minimal period p with decided stability, whose rigorous verdict then replaces the
    numerical one.  Returns a new orbit (results are immutable)."""
    scale = 1 + max(abs(float(c)) for pt in orbit.points for c in pt)
    r = radius if radius is not None else scale * 10.0 ** (-(orbit.dps // 2))
    cert = krawczyk.krawczyk_box(obj, orbit.points, orbit.h, r, orbit.dps)
    certified = bool(cert.proved and cert.minimal and cert.stable is not None)
    return PeriodicOrbit(orbit.period, orbit.points, orbit.multipliers,
                         cert.stable if certified else orbit.stable, orbit.h, orbit.dps,
                         certified, cert)


def recheck_orbit(obj: Objective, orbit: PeriodicOrbit) -> krawczyk.OrbitCertificate:
    """The Krawczyk test run again on the stored enclosures of ``orbit``'s certificate
    (converted back to python-flint balls, at the orbit's precision): proved means that
    the stored boxes themselves hold a unique orbit, so the certificate is still valid
    (for instance after pickling or a JSON round trip)."""
    if orbit.certificate is None or not orbit.certificate.proved:
        raise InputError("the orbit has no proved certificate to check")
    with precision(dps=orbit.dps):
        return krawczyk.certify_boxes(obj, orbit.certificate.balls(), orbit.h)


# ---- the search ----------------------------------------------------------------------------
class _PeriodPass:
    """The orbits of one minimal period p reached from batches of starts: the refined
    orbits, the number of starts that reached each, the non-isolated seeds, and the spatial
    index that deduplicates them."""

    def __init__(self, obj: Objective, h, p: int, box, dps: int, certify: bool):
        self.obj, self.h, self.p, self.box, self.dps, self.certify = obj, h, p, box, dps, certify
        self.index, self.orbits, self.counts = _OrbitIndex(), [], []
        self.family: list = []
        self.starts = 0

    def add(self, X0: np.ndarray) -> None:
        """Newton from the starts ``X0``; new orbits are refined, classified (and
        certified), every reached orbit's count grows by its number of starts."""
        obj, h, p, box, dps = self.obj, self.h, self.p, self.box, self.dps
        self.starts += len(X0)
        groups, family = _seed_groups(obj, float(h), p, X0, box)
        self.family += list(family)
        tol_same = mpmath.mpf(10) ** (-(dps // 3))
        for P, hits in groups:
            k = self.index.find(P, KEY_CELL)
            if k is None:
                refined = _refine(obj, P[0], h, p, dps)
                if refined is None:
                    continue
                pts, M, isolated = refined
                if not isolated:
                    self.family.append(np.array([float(c) for c in pts[0]]))
                    continue
                if any(not (box[0] <= c <= box[1]) for pt in pts for c in pt) \
                        or minimal_period(pts, tol_same) != p:
                    continue
                pts = canonical_rotation(pts)
                F = np.array([[float(c) for c in pt] for pt in pts])
                k = self.index.find(F, REFINED_TOL)
                if k is None:
                    k = self.index.add(F)
                    self.orbits.append(classify_orbit(obj, pts, h, dps, self.certify, M))
            self.counts += [0] * (len(self.orbits) - len(self.counts))
            self.counts[k] += hits

    def close(self, group) -> list[int]:
        """Closes the list under ``group`` (:func:`close_under_symmetry`); returns the
        class of every orbit."""
        classes = close_under_symmetry(self.obj, self.orbits, self.index, group, self.h,
                                       self.dps, self.certify)
        self.counts += [0] * (len(self.orbits) - len(self.counts))
        return classes

    def class_counts(self, classes) -> list[int]:
        """Starts that reached each class (sum over its orbits), in class order."""
        out: dict = defaultdict(int)
        for c, k in zip(classes, self.counts):
            out[c] += k
        return [out[c] for c in sorted(out)]


@lr_keyword
def close_under_symmetry(obj: Objective, orbits: list, index: "_OrbitIndex", group, lr,
                         dps: int, certify: bool) -> list[int]:
    """Adds to ``orbits`` (in place) the images S·orbit, S in ``group``
    (:func:`lrtheory.dynamics.symmetry.symmetry_group`), not yet in the list — each an
    orbit of the same minimal period since G_h(Sx) = S·G_h(x); with ``certify`` each image
    gets its own Krawczyk certificate.  Returns the class of every orbit: the index of the
    first orbit of {S·orbit : S ∈ group}."""
    classes = list(range(len(orbits)))
    for k in range(len(orbits)):
        if classes[k] != k:
            continue
        for S in group[1:]:
            with precision(dps=dps + 10):   # mpf negation rounds to the working precision
                pts = canonical_rotation([symmetry.apply(S, pt) for pt in orbits[k].points])
            F = np.array([[float(c) for c in pt] for pt in pts])
            j = index.find(F, REFINED_TOL)
            if j is None:
                j = index.add(F)
                orbits.append(classify_orbit(obj, pts, lr, dps, certify))
                classes.append(k)
            classes[j] = k
    return classes


def _needs_more(bound: UnseenBound) -> bool:
    """Another round of starts: the upper bound is infinite or Chao's estimate of the
    unseen classes is at least 1/2."""
    return math.isinf(bound.upper) or bound.estimate >= 0.5


def _coverage(period: _PeriodPass, classes, group_order: int, proof) -> PeriodCoverage:
    """:class:`PeriodCoverage` from the class counts (:func:`orbit_count_bound`), the proof
    attempt and the orbits that only symmetry supplied (reached by no start)."""
    sizes = [classes.count(c) for c in sorted(set(classes))]
    estimate, upper, bound = orbit_count_bound(period.class_counts(classes), sizes,
                                               group_order)
    found = len(period.orbits)
    if proof is not None and proof.complete:
        status, note = "proved", proof_note(proof)
        estimate = upper = found
    else:
        status = "unknown" if math.isinf(upper) else "estimated"
        note = bound.method if proof is None else proof_note(proof)
    return PeriodCoverage(period.p, period.starts, found, bound.classes, bound.frequencies,
                          float(estimate), (float(found), float(upper)), status, proof,
                          sum(k == 0 for k in period.counts), note)


@lr_keyword
def search_periodic_orbits(obj: Objective, lr, max_period: int, box, starts: int = 2000,
                           dps: int = 50, seed: int = 0, certify: bool = False,
                           growth: float = 2.0, max_starts: int = 2**18, prove: int = 0,
                           excluded=None, prove_depth: int = 40,
                           max_rounds: int = 4) -> OrbitSearch:
    """All periodic orbits of minimal period ≤ ``max_period`` whose points lie in the
    square ``box = (lo, hi)`` (every coordinate), with their coverage (see the module
    docstring for the method): period p uses rounds of
    min(⌈``starts``·``growth``^(p−1)⌉, ``max_starts``) seeded uniform starts, a further
    round (up to ``max_rounds``) while the coverage says orbits may be missing.  The list
    is closed under the signed permutations of the variables that leave f and the box
    invariant.

    ``prove`` > 0 (needs ``certify``) runs the branch-and-bound completeness proof of
    :func:`~lrtheory.dynamics.completeness.prove_complete` for periods ≤ ``prove``
    outside the ``excluded`` region (a predicate on ball boxes, see ``near_curve`` and
    ``minimizer_band``), boxes split down to depth ``prove_depth``."""
    lr = exact_lr(lr)
    if max_period < 1:
        raise InputError(f"max_period must be at least 1, got {max_period}")
    if starts < 1 or growth < 1 or max_starts < 1 or max_rounds < 1:
        raise InputError(f"starts, max_starts, max_rounds must be positive and growth >= 1, "
                         f"got starts={starts}, growth={growth}, max_starts={max_starts}, "
                         f"max_rounds={max_rounds}")
    if prove and not certify:
        raise InputError("proving completeness (prove > 0) needs certify=True")
    lo, hi = (float(box[0]), float(box[1]))
    if not lo < hi:
        raise InputError(f"box must satisfy lo < hi, got {box}")
    settings = OrbitSearchSettings(lr, max_period, (lo, hi), starts, float(growth), max_starts,
                                   dps, seed, certify, prove,
                                   "" if excluded is None else str(excluded), prove_depth,
                                   max_rounds)
    group = symmetry.symmetry_group(obj, (lo, hi))
    orbits, families, passes = [], [], []
    for p in range(1, max_period + 1):
        period = _PeriodPass(obj, lr, p, (lo, hi), dps, certify)
        n = settings.starts_per_round(p)
        for r in range(max_rounds):
            period.add(uniform_starts((lo, hi), obj.dim, n, seed, (p, r)))
            classes = period.close(group)
            if not _needs_more(unseen_bound(period.class_counts(classes))):
                break
        orbits += period.orbits
        if period.family:
            families.append(NonIsolatedSet(p, _unique_rows(np.array(period.family))))
        passes.append((period, classes))
    orbits.sort(key=lambda o: (o.period, [float(c) for c in o.points[0]]))
    proofs = {p: prove_complete(obj, lr, p, (lo, hi), orbits, excluded, prove_depth)
              for p in range(1, min(prove, max_period) + 1)}
    coverage = tuple(_coverage(per, cl, len(group), proofs.get(per.p)) for per, cl in passes)
    return OrbitSearch(tuple(orbits), tuple(families), coverage, settings)


@lr_keyword
def find_periodic_orbits(obj: Objective, lr, max_period: int, box, starts: int = 2000,
                         dps: int = 50, seed: int = 0,
                         certify: bool = False) -> list[PeriodicOrbit]:
    """Isolated periodic orbits of G_h(x) = x − h∇f(x) with minimal period ≤ ``max_period``
    and all points in ``box = (lo, hi)`` (BLOG-8).  Each has its points at ``dps`` digits,
    multipliers and stability; with ``certify=True`` a Krawczyk certificate.  Non-isolated
    periodic sets and the coverage are in :func:`search_periodic_orbits`."""
    return list(search_periodic_orbits(obj, lr, max_period, box, starts, dps, seed,
                                       certify).orbits)


# ---- basins ------------------------------------------------------------------------------
def _tail(obj: Objective, X: np.ndarray, h: float, steps: int, tail: int) -> np.ndarray:
    """The last ``tail`` + 1 points of GD runs of ``steps`` steps from the rows of X, shape
    (tail + 1, m, n), without storing the whole trajectory (:func:`lrtheory.gd.run_gd`)."""
    from ..gd import Record, run_gd
    check_lr(h)
    return np.asarray(run_gd(obj, X, h, steps, record=Record(last=False, tail=tail + 1)).tail)


@lr_keyword
def basin_fractions(obj: Objective, lr: float, orbits, box, grid: int = 101, steps: int = 3000,
                    tol: float = 1e-6) -> dict:
    """Long-run fate of a ``grid``×…×``grid`` lattice of starts in the box (float64):
    fractions that diverged, converged to a fixed point, ended on one of ``orbits`` (index by
    position), ended periodic elsewhere, or stayed bounded and aperiodic; ``labels`` are
    the per-start classifications of :func:`classify_tail`."""
    lo, hi = box
    axes = [np.linspace(lo, hi, grid)] * obj.dim
    X = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, obj.dim)
    labels = classify_tail(_tail(obj, X, lr, steps, tail=128), tol=1e-9, max_period=16)
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
    lo, hi = (to_arb(convert(b, "box bound")) if not isinstance(b, float) else to_arb(b)
              for b in box)

    def roots(d):
        q = ident
        for _ in range(d):
            q = g(q)
        return [r.real for r, _ in (q - ident).complex_roots() if r.imag == 0]
    lower = [r for d in range(1, p) if p % d == 0 for r in roots(d)]
    return [r for r in roots(p) if not any(r.overlaps(s) for s in lower) and lo <= r <= hi]
