"""The balancing effect of large learning rates on matrix factorization (BLOG-11, WCZT-2..4).

Scalar case f(x, y) = ½(xy − µ)²: a GD limit (x∞, y∞) with x∞y∞ = µ is linearly stable only
if h·λ_max ≤ 2, λ_max = x∞² + y∞² (WCZT-1).  Since x² + y² = (x − y)² + 2µ on xy = µ,
this is the stability bound (WCZT-2)

    (x∞ − y∞)² ≤ 2/h − 2µ,      and no stable minimizer exists for h > 1/µ.

Matrix analogue (derived in :mod:`lrtheory.factorization`): at a zero-residual limit
λ_max = ‖X‖₂² + ‖Y‖₂² = (‖X‖₂ − ‖Y‖₂)² + 2‖X‖₂‖Y‖₂ and ‖X‖₂‖Y‖₂ ≥ ‖XYᵀ‖₂ = σ₁(A), so

    (‖X∞‖₂ − ‖Y∞‖₂)² ≤ 2/h − 2σ₁(A),   and no stable zero-residual minimizer for h > 1/σ₁(A).

Runs: the scalar case in float64, vectorized over many (h, start) pairs through the
catalogue objective's numpy backend, and in mpmath for delicate runs (long chaotic
transients make the float64 limit depend on rounding); the matrix case in float64 with the
closed-form step of :func:`lrtheory.factorization.gd_step`.  Long-run behaviour is
classified by :func:`lrtheory.dynamics.classify.classify_tail`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np

from . import factorization as fz
from .catalogue import factorization_vector
from .dynamics.classify import classify_tail
from .errors import InputError
from .parsing import check_lr

#: Blow-up radius: beyond it a run counts as diverged.
BLOWUP = 1e6


@lru_cache(maxsize=16)
def scalar_objective(mu: Fraction):
    """The catalogue objective ½(µ − xy)² (cached per µ)."""
    return factorization_vector(Fraction(mu), 1)


def wczt_rate(x0, y0) -> Fraction:
    """WCZT-3's learning rate h₀ = 4/(x₀² + y₀² + 8) (exact for rational data)."""
    x0, y0 = Fraction(x0), Fraction(y0)
    return 4 / (x0 * x0 + y0 * y0 + 8)


def stability_bound(h, mu) -> float:
    """2/h − 2µ, the largest (x∞ − y∞)² of a linearly stable minimizer (WCZT-2)."""
    return 2 / float(h) - 2 * float(mu)


def sharpness_at(mu, x, y) -> float:
    """λ_max of the Hessian of ½(xy − µ)² at (x, y) (float64, any point)."""
    H = scalar_objective(Fraction(mu)).numpy.hess(np.array([x, y], dtype=float))
    return float(np.linalg.eigvalsh(H)[-1])


@dataclass
class BalanceRun:
    """One scalar GD run and what its limit says about WCZT-2."""

    mu: float
    x0: float
    y0: float
    h: float
    label: str                 # converged / periodic / aperiodic / diverged / undecided
    steps: int                 # steps run (float64 runs stop at a multiple of the chunk)
    limit: tuple | None = None
    residual: float | None = None       # x∞y∞ − µ
    sharpness: float | None = None      # λ_max at the limit
    two_over_h: float = 0.0
    imbalance: float | None = None      # (x∞ − y∞)²
    gram_imbalance: float | None = None  # x∞² − y∞²
    bound: float = 0.0                  # 2/h − 2µ
    bound_holds: bool | None = None
    init_sharpness: float = 0.0         # L = λ_max at (x0, y0)
    period: int | None = None

    def to_json(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


def _describe(mu, x0, y0, h, label, steps, limit=None, period=None) -> BalanceRun:
    """Fill a :class:`BalanceRun` from a classified run (limit in float64)."""
    run = BalanceRun(mu=float(mu), x0=float(x0), y0=float(y0), h=float(h), label=label,
                     steps=steps, two_over_h=2 / float(h), bound=stability_bound(h, mu),
                     init_sharpness=sharpness_at(mu, x0, y0), period=period)
    if label == "converged" and limit is not None:
        x, y = (float(v) for v in limit)
        run.limit = (x, y)
        run.residual = x * y - float(mu)
        run.sharpness = sharpness_at(mu, x, y)
        run.imbalance = (x - y) ** 2
        run.gram_imbalance = x * x - y * y
        run.bound_holds = bool(run.imbalance <= run.bound * (1 + 1e-9) + 1e-12)
    return run


def run_scalar_batch(mu, starts, hs, max_steps: int = 200_000, tol: float = 1e-12,
                     chunk: int = 500, tail: int = 64) -> list[BalanceRun]:
    """GD on ½(xy − µ)² from ``starts`` (shape (m, 2)) with rates ``hs`` (shape (m,)),
    float64, all rows at once; stops when every row has converged (steps below ``tol``
    relative to the point's scale over the last ``tail`` steps) or blown up."""
    hs = np.asarray(hs, dtype=float).reshape(-1)
    for h in hs:
        check_lr(h)
    obj = scalar_objective(Fraction(mu))
    X = np.array(starts, dtype=float).reshape(-1, 2)
    if X.shape[0] != hs.shape[0]:
        raise InputError(f"{X.shape[0]} starts but {hs.shape[0]} learning rates")
    H = hs[:, None]
    buf = np.empty((tail, X.shape[0], 2))
    done_steps = 0
    while done_steps < max_steps:
        n = min(chunk, max_steps - done_steps)
        for k in range(n):
            X = obj.numpy.gd_step(X, H)
            buf[(done_steps + k) % tail] = X
        done_steps += n
        if done_steps >= tail and _all_settled(buf, tol):
            break
    order = [(done_steps + i) % tail for i in range(tail)]
    labels = classify_tail(buf[order], tol=tol, blowup=BLOWUP, tail=tail)
    return [_describe(mu, s[0], s[1], h, c["label"], done_steps, c["limit"], c["period"])
            for s, h, c in zip(np.array(starts, dtype=float).reshape(-1, 2), hs, labels)]


def _all_settled(buf: np.ndarray, tol: float) -> bool:
    """Every row either non-finite / blown up or moving less than tol·scale."""
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(buf), axis=(0, 2))
        big = np.max(np.abs(np.where(np.isfinite(buf), buf, np.inf)), axis=(0, 2)) > BLOWUP
        scale = 1 + np.max(np.abs(np.where(np.isfinite(buf), buf, 0)), axis=(0, 2))
        moves = np.max(np.abs(np.diff(buf, axis=0)), axis=(0, 2))
    return bool(np.all(~finite | big | (moves <= tol * scale)))


def run_scalar(mu, x0, y0, h, max_steps: int = 200_000, tol: float = 1e-12) -> BalanceRun:
    """One float64 run (see :func:`run_scalar_batch`)."""
    return run_scalar_batch(mu, [[x0, y0]], [h], max_steps=max_steps, tol=tol)[0]


def run_scalar_mp(mu, x0, y0, h, dps: int = 30, max_steps: int = 200_000) -> BalanceRun:
    """One run in mpmath at ``dps`` digits (rationals given as strings or Fractions are
    converted at that precision).  Converged when a step moves less than 10^(5 − dps)
    relative to the point's scale; diverged beyond :data:`BLOWUP`; otherwise undecided.
    The limit is returned as mpmath numbers in ``limit``."""
    check_lr(h)
    obj = scalar_objective(Fraction(mu))
    with mpmath.workdps(dps):
        hm = _mpf(h)
        z = [_mpf(x0), _mpf(y0)]
        eps = mpmath.mpf(10) ** (5 - dps)
        for k in range(1, max_steps + 1):
            new = obj.mpmath.gd_step(z, hm)
            move = max(abs(a - b) for a, b in zip(new, z))
            z = new
            if max(abs(c) for c in z) > BLOWUP:
                return _describe(mu, x0, y0, h, "diverged", k)
            if move <= eps * (1 + max(abs(c) for c in z)):
                run = _describe(mu, x0, y0, h, "converged", k, [float(c) for c in z], 1)
                run.limit = tuple(+c for c in z)
                return run
    return _describe(mu, x0, y0, h, "undecided", max_steps)


def _mpf(v):
    """mpf from an int, float, Fraction, sympy rational or string such as "4/90"."""
    if isinstance(v, (str, Fraction)) or hasattr(v, "p"):
        fr = Fraction(str(v))
        return mpmath.mpf(fr.numerator) / fr.denominator
    return mpmath.mpf(v)


def escalated_limit(mu, x0, y0, h, dps=(30, 60), max_steps: int = 200_000) -> dict:
    """The limit at two mpmath precisions and how far they differ (precision escalation):
    ``{"runs": [...], "change": max |limit₃₀ − limit₆₀| or None}``."""
    runs = [run_scalar_mp(mu, x0, y0, h, dps=d, max_steps=max_steps) for d in dps]
    change = None
    if all(r.label == "converged" for r in runs):
        with mpmath.workdps(max(dps)):
            change = float(max(abs(a - b) for a, b in zip(runs[-2].limit, runs[-1].limit)))
    return {"runs": runs, "change": change, "dps": list(dps)}


# ---- matrix case -----------------------------------------------------------------------


@dataclass
class MatrixRun:
    """One matrix GD run on ½‖A − XYᵀ‖_F² and its limit against the stability bound."""

    h: float
    label: str
    steps: int
    init_sharpness: float
    residual_norm: float | None = None     # ‖X∞Y∞ᵀ − A‖_F
    sharpness: float | None = None         # λ_max(∇²f) at the limit
    norm_formula: float | None = None      # ‖X∞‖₂² + ‖Y∞‖₂²
    two_over_h: float = 0.0
    imbalance: float | None = None         # (‖X∞‖₂ − ‖Y∞‖₂)²
    gram_imbalance: float | None = None    # ‖X∞ᵀX∞ − Y∞ᵀY∞‖_F
    init_gram_imbalance: float = 0.0
    bound: float = 0.0                     # 2/h − 2σ₁(A)
    bound_holds: bool | None = None
    limit: tuple | None = None             # (X∞, Y∞) as nested lists

    def to_json(self) -> dict:
        return asdict(self)


def matrix_stability_bound(A, h) -> float:
    """2/h − 2σ₁(A): the largest (‖X∞‖₂ − ‖Y∞‖₂)² of a linearly stable zero-residual
    minimizer."""
    return 2 / float(h) - 2 * float(np.linalg.norm(np.asarray(A, float), 2))


def run_matrix(A, X0, Y0, h, max_steps: int = 100_000, tol: float = 1e-12,
               tail: int = 64) -> MatrixRun:
    """Float64 GD X ← X − hRY, Y ← Y − hRᵀX from (X0, Y0), classified by its tail."""
    check_lr(h)
    A, X, Y = (np.array(M, dtype=float) for M in (A, X0, Y0))
    buf = np.empty((tail, X.size + Y.size))
    steps = 0
    with np.errstate(all="ignore"):
        while steps < max_steps:
            X, Y = fz.gd_step(A, X, Y, h)
            buf[steps % tail] = np.concatenate([X.ravel(), Y.ravel()])
            steps += 1
            if steps >= tail and steps % tail == 0 and _all_settled(buf[:, None, :], tol):
                break
    order = [(steps + i) % tail for i in range(tail)]
    c = classify_tail(buf[order][:, None, :], tol=tol, blowup=BLOWUP, tail=tail)[0]
    run = MatrixRun(h=float(h), label=c["label"], steps=steps,
                    init_sharpness=fz.sharpness_numeric(A, X0, Y0), two_over_h=2 / float(h),
                    init_gram_imbalance=float(np.linalg.norm(fz.imbalance(
                        np.asarray(X0, float), np.asarray(Y0, float)))),
                    bound=matrix_stability_bound(A, h))
    if run.label == "converged":
        nx, ny = fz.spectral_norm_sq(X), fz.spectral_norm_sq(Y)
        run.residual_norm = float(np.linalg.norm(fz.residual(A, X, Y)))
        run.sharpness = fz.sharpness_numeric(A, X, Y)
        run.norm_formula = nx + ny
        run.imbalance = (np.sqrt(nx) - np.sqrt(ny)) ** 2
        run.gram_imbalance = float(np.linalg.norm(fz.imbalance(X, Y)))
        run.bound_holds = bool(run.imbalance <= run.bound * (1 + 1e-9) + 1e-12)
        run.limit = (X.tolist(), Y.tolist())
    return run


def gaussian_instance(n: int, d: int, seed: int, scale: float = 3.0):
    """A Gaussian n×n target A with entries N(0, 1/n) and an unbalanced start
    X0 = scale·G₁/√n, Y0 = G₂/(scale·√n) (fixed seed)."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) / np.sqrt(n)
    X0 = scale * rng.standard_normal((n, d)) / np.sqrt(n)
    Y0 = rng.standard_normal((n, d)) / (scale * np.sqrt(n))
    return A, X0, Y0


# ---- sweeps ----------------------------------------------------------------------------


def imbalance_sweep(mu, x0, y0, hs, max_steps: int = 200_000) -> list[BalanceRun]:
    """Float64 runs from one start over the rates ``hs`` (the realized-imbalance curve)."""
    hs = np.asarray(hs, dtype=float)
    return run_scalar_batch(mu, np.tile([x0, y0], (len(hs), 1)), hs, max_steps=max_steps)


def convergence_map(mu, x0s, hL, y0=1.0, max_steps: int = 20_000) -> np.ndarray:
    """Labels over the grid (x0, h·L(x0, y0)) for starts (x0, y0): an array of shape
    (len(hL), len(x0s)) of indices into
    :data:`lrtheory.dynamics.classify.LABELS`."""
    from .dynamics.classify import LABELS
    x0s, hL = np.asarray(x0s, float), np.asarray(hL, float)
    L = np.array([sharpness_at(mu, x, y0) for x in x0s])
    XX, HH = np.meshgrid(x0s, hL)
    hs = (HH / L[None, :]).ravel()
    starts = np.stack([XX.ravel(), np.full(XX.size, y0)], axis=1)
    runs = run_scalar_batch(mu, starts, hs, max_steps=max_steps, tol=1e-10)
    return np.array([LABELS.index(r.label) for r in runs]).reshape(HH.shape)


def monotonicity(hs, values) -> dict:
    """How monotone ``values`` (imbalance) is in ``hs``: the number of increases and
    decreases between consecutive rates, and whether it is non-increasing."""
    v = np.asarray(values, float)
    dv = np.diff(v)
    scale = 1e-9 * (1 + np.abs(v[:-1]))
    return {"increases": int(np.sum(dv > scale)), "decreases": int(np.sum(dv < -scale)),
            "non_increasing": bool(np.all(dv <= scale))}


def convergence_threshold(mu, x0, y0, hL_max: float = 8.0, grid: int = 200,
                          refine: int = 2, max_steps: int = 20_000) -> dict:
    """Where GD from (x0, y0) stops converging, in units of hL (L = λ_max at the start).

    Scans hL over ``grid`` equispaced rates in (0, hL_max], takes the first rate that does
    not converge within ``max_steps`` and refines the transition from the last converging
    rate below it ``refine`` times by a 40-point batch scan.  Returns ``{"L",
    "threshold_hL" (None when all converge), "resolution", "failure_label",
    "converged_above" (some scanned rate above the threshold converges again),
    "window_converged" (fraction of scanned rates in (2, 4) that converge), "converged"
    and "bound_violations" (converged scanned runs violating 2/h − 2µ)}``."""
    L = sharpness_at(mu, x0, y0)
    hL = np.linspace(hL_max / grid, hL_max, grid)
    runs = _sweep_with_recheck(mu, x0, y0, hL / L, max_steps)
    ok = np.array([r.label == "converged" for r in runs])
    window = (hL > 2) & (hL < 4)
    out = {"L": L, "threshold_hL": None, "resolution": None, "failure_label": None,
           "converged_above": False, "converged": int(ok.sum()),
           "bound_violations": sum(1 for r in runs if r.bound_holds is False),
           "window_converged": float(np.mean(ok[window])) if window.any() else None}
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return out
    i = int(bad[0])
    lo, hi = (hL[i - 1] if i > 0 else 0.0), hL[i]
    out["failure_label"] = runs[i].label
    out["converged_above"] = bool(ok[i:].any())
    for _ in range(refine):
        fine = np.linspace(lo, hi, 42)[1:-1]
        good = [r.label == "converged"
                for r in _sweep_with_recheck(mu, x0, y0, fine / L, max_steps)]
        first_bad = good.index(False) if False in good else len(good)
        lo = fine[first_bad - 1] if first_bad > 0 else lo
        hi = fine[first_bad] if first_bad < len(good) else hi
    out["threshold_hL"], out["resolution"] = float((lo + hi) / 2), float(hi - lo)
    return out


def _sweep_with_recheck(mu, x0, y0, hs, max_steps: int) -> list[BalanceRun]:
    """:func:`imbalance_sweep`, then the aperiodic runs with h < 1/|µ| again with ten times
    the steps (slow convergence near h·λ = 2 looks aperiodic within a short budget; for
    h > 1/|µ| no minimizer is stable (WCZT-2), so those runs are not repeated)."""
    runs = imbalance_sweep(mu, x0, y0, hs, max_steps=max_steps)
    redo = [i for i, r in enumerate(runs)
            if r.label == "aperiodic" and r.h * abs(float(mu)) < 1]
    if redo:
        again = imbalance_sweep(mu, x0, y0, np.asarray(hs)[redo], max_steps=10 * max_steps)
        for i, r in zip(redo, again):
            runs[i] = r
    return runs


def run_matrix_mp(A, X0, Y0, h, dps: int = 30, max_steps: int = 20_000):
    """The matrix GD run in mpmath at ``dps`` digits (object arrays through the generic
    :func:`lrtheory.factorization.gd_step`); returns (X, Y, steps) at the first step that
    moves less than 10^(5 − dps), or (None, None, steps) when that does not happen."""
    check_lr(h)
    with mpmath.workdps(dps):
        def conv(M):
            return np.array([[mpmath.mpf(float(v)) for v in row] for row in np.asarray(M)],
                            dtype=object)
        A, X, Y, hm = conv(A), conv(X0), conv(Y0), _mpf(h)
        eps = mpmath.mpf(10) ** (5 - dps)
        for k in range(1, max_steps + 1):
            X1, Y1 = fz.gd_step(A, X, Y, hm)
            move = max(abs(v) for v in np.concatenate([(X1 - X).ravel(), (Y1 - Y).ravel()]))
            X, Y = X1, Y1
            if move > BLOWUP:
                return None, None, k
            if move <= eps:
                return X, Y, k
    return None, None, max_steps
