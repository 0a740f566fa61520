"""The balancing effect of large learning rates on matrix factorization (BLOG-11, WCZT-2..4).

Scalar case f(x, y) = ½(xy − µ)²: a GD limit (x∞, y∞) with x∞y∞ = µ is linearly stable only
if h·λ_max ≤ 2, λ_max = x∞² + y∞² (WCZT-1).  Since x² + y² = (x − y)² + 2µ on xy = µ,
this is the stability bound (WCZT-2)

    (x∞ − y∞)² ≤ 2/h − 2µ,      and no stable minimizer exists for h > 1/µ.

Matrix analogue (derived in :mod:`lrtheory.factorization`): at a zero-residual limit
λ_max = ‖X‖₂² + ‖Y‖₂² = (‖X‖₂ − ‖Y‖₂)² + 2‖X‖₂‖Y‖₂ and ‖X‖₂‖Y‖₂ ≥ ‖XYᵀ‖₂ = σ₁(A), so

    (‖X∞‖₂ − ‖Y∞‖₂)² ≤ 2/h − 2σ₁(A),   and no stable zero-residual minimizer for h > 1/σ₁(A).

Runs: the scalar case on the GD kernel :func:`lrtheory.gd.run_gd` — in float64, vectorized
over many (h, start) pairs, and in mpmath for delicate runs (long chaotic transients make
the float64 limit depend on rounding); the matrix case with the closed-form step
X ← X − hRY, Y ← Y − hRᵀX of :func:`lrtheory.factorization.gd_step` (float64 BLAS
products, or object arrays of mpmath numbers), which the kernel does not iterate.  Long-run
behaviour is classified by :func:`lrtheory.gd.classify_states` over the last states.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np

from . import factorization as fz
from .aliases import lr_keyword, renamed
from .catalogue import factorization_vector
from .dynamics.classify import classify_tail
from .errors import InputError
from .gd import ItemAccess, Record, classify_states, run_gd, settled
from .numbers import to_float, to_fraction
from .parsing import check_lr
from .precision import precision
from .results import Result, result

#: Blow-up radius: beyond it a run counts as diverged.
BLOWUP = 1e6


@lru_cache(maxsize=16)
def scalar_objective(mu: Fraction):
    """The catalogue objective ½(µ − xy)² (cached per µ)."""
    return factorization_vector(Fraction(mu), 1)


def wczt_rate(x0, y0) -> Fraction:
    """WCZT-3's learning rate h₀ = 4/(x₀² + y₀² + 8) (exact for rational data)."""
    x0, y0 = to_fraction(x0, "x0"), to_fraction(y0, "y0")
    return 4 / (x0 * x0 + y0 * y0 + 8)


@lr_keyword
def stability_bound(lr, mu) -> float:
    """2/h − 2µ, the largest (x∞ − y∞)² of a linearly stable minimizer (WCZT-2)."""
    return 2 / float(lr) - 2 * float(mu)


def sharpness_at(mu, x, y) -> float:
    """λ_max of the Hessian of ½(xy − µ)² at (x, y) (float64, any point)."""
    H = scalar_objective(to_fraction(mu, "mu")).numpy.hess(np.array([x, y], dtype=float))
    return float(np.linalg.eigvalsh(H)[-1])


@result
class BalanceRun(Result):
    """One GD run on ½(xy − µ)² and what its limit says about WCZT-2.

    Inputs: ``mu``, ``x0``, ``y0``, ``h``.  ``label``: converged / periodic / aperiodic /
    diverged / undecided, ``converged`` = (label == "converged"); ``steps``: steps run
    (float64 runs stop at a multiple of the chunk); ``period``: the detected period.
    ``init_sharpness`` = L = λ_max at (x0, y0); ``two_over_h`` = 2/h; ``bound`` =
    2/h − 2µ.  For a converged run: ``limit`` (x∞, y∞) (float64, or mpmath numbers at
    the run's precision for :func:`run_scalar_mp`), ``residual`` = x∞y∞ − µ,
    ``sharpness`` = λ_max at the limit, ``imbalance`` = (x∞ − y∞)², ``gram_imbalance`` =
    x∞² − y∞² and ``bound_holds`` = (imbalance ≤ bound, up to a relative 1e-9); None
    otherwise."""

    mu: float
    x0: float
    y0: float
    h: float
    label: str
    steps: int
    limit: tuple | None = None
    residual: float | None = None
    sharpness: float | None = None
    two_over_h: float = 0.0
    imbalance: float | None = None
    gram_imbalance: float | None = None
    bound: float = 0.0
    bound_holds: bool | None = None
    init_sharpness: float = 0.0
    period: int | None = None
    converged: bool = False


def _describe(mu, x0, y0, h, label, steps, limit=None, period=None,
              exact_limit=None) -> BalanceRun:
    """The :class:`BalanceRun` of a classified run (derived quantities from the float64
    ``limit``; ``exact_limit``, when given, is stored as the limit instead)."""
    mu, x0, y0, h = (to_float(v, name) for v, name in ((mu, "mu"), (x0, "x0"), (y0, "y0"),
                                                        (h, "learning rate")))
    common = dict(mu=mu, x0=x0, y0=y0, h=h, label=label,
                  steps=steps, two_over_h=2 / h, bound=stability_bound(h, mu),
                  init_sharpness=sharpness_at(mu, x0, y0), period=period,
                  converged=label == "converged")
    if label != "converged" or limit is None:
        return BalanceRun(**common)
    x, y = (float(v) for v in limit)
    imbalance = (x - y) ** 2
    return BalanceRun(**common, limit=tuple(exact_limit) if exact_limit else (x, y),
                      residual=x * y - mu, sharpness=sharpness_at(mu, x, y),
                      imbalance=imbalance, gram_imbalance=x * x - y * y,
                      bound_holds=bool(imbalance <= common["bound"] * (1 + 1e-9) + 1e-12))


@renamed(hs="lrs")
def run_scalar_batch(mu, starts, lrs, max_steps: int = 200_000, tol: float = 1e-12,
                     chunk: int = 500, tail: int = 64) -> list[BalanceRun]:
    """GD on ½(xy − µ)² from ``starts`` (shape (m, 2)) with rates ``lrs`` (shape (m,)),
    float64, all rows at once (:func:`lrtheory.gd.run_gd`); stops, checking every
    ``chunk`` steps, when every row has settled (steps below ``tol`` relative to the
    point's scale over the last ``tail`` states) or overflowed, and classifies the last
    ``tail`` states (:func:`lrtheory.gd.classify_states`, radius :data:`BLOWUP`)."""
    lrs = np.asarray(lrs, dtype=float).reshape(-1)
    for h in lrs:
        check_lr(h)
    X = np.array(starts, dtype=float).reshape(-1, 2)
    if X.shape[0] != lrs.shape[0]:
        raise InputError(f"{X.shape[0]} starts but {lrs.shape[0]} learning rates")
    rec = Record(tail=tail, stop_when_settled=True, check_every=chunk, tol=tol)
    T, steps = _run_until_settled(scalar_objective(to_fraction(mu, "mu")), X, lrs, max_steps,
                                  rec)
    labels, periods = classify_states(T, tol, blowup=BLOWUP)
    return [_describe(mu, s[0], s[1], h, _label(lab), steps, last, int(p) or None)
            for s, h, lab, p, last in zip(X, lrs, labels, periods, T[-1])]


#: Steps a batch runs on the numpy engine before it continues, if it has not settled, on
#: the engine :func:`lrtheory.gd.run_gd` chooses (compiling a numba kernel takes seconds
#: per objective and pays off only for long runs; most batches settle within this).
NUMPY_STEPS = 20_000


def _run_until_settled(obj, X, hs, max_steps: int, rec: Record):
    """float64 GD with ``rec.stop_when_settled`` from the rows X at rates hs: the last
    ``rec.tail`` states (L, m, n) and the steps run — the first :data:`NUMPY_STEPS` on the
    numpy engine, the rest (from the last states, settled test on the same grid of
    ``rec.check_every`` steps) on the automatically chosen engine."""
    first = min(max_steps, NUMPY_STEPS)
    run = run_gd(obj, X, hs, first, rec, engine="numpy")
    if first == max_steps or np.all(settled(run.tail, rec.tol)):
        return run.tail, int(run.steps_run.max())
    more = run_gd(obj, run.last, hs, max_steps - first, rec)
    steps = int(more.steps_run.max())
    if len(more.tail) == steps + 1:  # a short continuation: its tail starts at run.last
        return np.concatenate([run.tail, more.tail[1:]])[-rec.tail:], first + steps
    return more.tail, first + steps


def _label(label: str) -> str:
    """lrtheory.gd's ``divergent`` is this module's ``diverged``."""
    return "diverged" if label == "divergent" else label


@lr_keyword
def run_scalar(mu, x0, y0, lr, max_steps: int = 200_000, tol: float = 1e-12) -> BalanceRun:
    """One float64 run (see :func:`run_scalar_batch`)."""
    return run_scalar_batch(mu, [[x0, y0]], [lr], max_steps=max_steps, tol=tol)[0]


@lr_keyword
def run_scalar_mp(mu, x0, y0, lr, dps: int = 30, max_steps: int = 200_000) -> BalanceRun:
    """One run in mpmath at ``dps`` digits (:func:`lrtheory.gd.run_gd`, backend mpmath;
    rationals given as strings or Fractions are converted at that precision).  Converged
    when a step moves less than 10^(5 − dps) relative to the point's scale; diverged when
    a step leaves the ball of radius :data:`BLOWUP` (``steps`` counts that step);
    otherwise undecided.  The limit is returned as mpmath numbers in ``limit``."""
    check_lr(lr)
    with precision(dps):
        tol = mpmath.mpf(10) ** (5 - dps)
    rec = Record(stop_when_settled=True, tol=tol)
    run = run_gd(scalar_objective(to_fraction(mu, "mu")), [x0, y0], lr, max_steps, rec,
                 blowup=BLOWUP, backend="mpmath", dps=dps)
    stopped, steps = run.stopped[0], int(run.steps_run[0])
    if stopped == "divergent":
        return _describe(mu, x0, y0, lr, "diverged", steps + 1)
    if stopped != "settled":
        return _describe(mu, x0, y0, lr, "undecided", max_steps)
    z = run.last[0]
    return _describe(mu, x0, y0, lr, "converged", steps, [float(c) for c in z], 1,
                     exact_limit=list(z))


def _mpf(v):
    """mpf from an int, float, Fraction, sympy rational or string such as "4/90"."""
    if isinstance(v, (str, Fraction)) or hasattr(v, "p"):
        fr = Fraction(str(v))
        return mpmath.mpf(fr.numerator) / fr.denominator
    return mpmath.mpf(v)


@result
class EscalatedLimit(ItemAccess, Result):
    """One GD run repeated at increasing mpmath precisions ``dps``: the runs
    (:class:`BalanceRun`, one per precision) and ``change`` = max |limit_a − limit_b| over
    the coordinates of the last two (None unless both converged)."""

    runs: tuple[BalanceRun, ...]
    change: float | None
    dps: tuple[int, ...]

    @property
    def final(self) -> BalanceRun:
        """The run at the highest precision."""
        return self.runs[-1]


@lr_keyword
def escalated_limit(mu, x0, y0, lr, dps=(30, 60), max_steps: int = 200_000) -> EscalatedLimit:
    """The limit at several mpmath precisions and how far the last two differ (precision
    escalation, :class:`EscalatedLimit`)."""
    runs = tuple(run_scalar_mp(mu, x0, y0, lr, dps=d, max_steps=max_steps) for d in dps)
    change = None
    if all(r.label == "converged" for r in runs):
        with precision(max(dps)):
            change = float(max(abs(a - b) for a, b in zip(runs[-2].limit, runs[-1].limit)))
    return EscalatedLimit(runs, change, tuple(int(d) for d in dps))


# ---- matrix case -----------------------------------------------------------------------


@result
class MatrixRun(Result):
    """One float64 GD run on ½‖A − XYᵀ‖_F² and its limit against the stability bound.

    ``h``; ``label`` (converged / periodic / aperiodic / diverged); ``steps`` run;
    ``init_sharpness`` = λ_max(∇²f) at the start; ``two_over_h`` = 2/h;
    ``init_gram_imbalance`` = ‖X₀ᵀX₀ − Y₀ᵀY₀‖_F; ``bound`` = 2/h − 2σ₁(A).  For a
    converged run: ``residual_norm`` = ‖X∞Y∞ᵀ − A‖_F, ``sharpness`` = λ_max(∇²f) at the
    limit, ``norm_formula`` = ‖X∞‖₂² + ‖Y∞‖₂², ``imbalance`` = (‖X∞‖₂ − ‖Y∞‖₂)²,
    ``gram_imbalance`` = ‖X∞ᵀX∞ − Y∞ᵀY∞‖_F, ``bound_holds`` = (imbalance ≤ bound, up to a
    relative 1e-9) and ``limit`` = (X∞, Y∞) as arrays; None otherwise."""

    h: float
    label: str
    steps: int
    init_sharpness: float
    residual_norm: float | None = None
    sharpness: float | None = None
    norm_formula: float | None = None
    two_over_h: float = 0.0
    imbalance: float | None = None
    gram_imbalance: float | None = None
    init_gram_imbalance: float = 0.0
    bound: float = 0.0
    bound_holds: bool | None = None
    limit: tuple | None = None

    _repr_skip = ("limit",)


@lr_keyword
def matrix_stability_bound(A, lr) -> float:
    """2/h − 2σ₁(A): the largest (‖X∞‖₂ − ‖Y∞‖₂)² of a linearly stable zero-residual
    minimizer."""
    return 2 / float(lr) - 2 * float(np.linalg.norm(np.asarray(A, float), 2))


@lr_keyword
def run_matrix(A, X0, Y0, lr, max_steps: int = 100_000, tol: float = 1e-12,
               tail: int = 64) -> MatrixRun:
    """Float64 GD X ← X − hRY, Y ← Y − hRᵀX from (X0, Y0), classified by its tail."""
    check_lr(lr)
    A, X, Y = (np.array(M, dtype=float) for M in (A, X0, Y0))
    buf = np.empty((tail, X.size + Y.size))
    steps = 0
    with np.errstate(all="ignore"):
        while steps < max_steps:
            X, Y = fz.gd_step(A, X, Y, lr)
            buf[steps % tail] = np.concatenate([X.ravel(), Y.ravel()])
            steps += 1
            if steps >= tail and steps % tail == 0 and settled(buf[:, None, :], tol, BLOWUP)[0]:
                break
    order = [(steps + i) % tail for i in range(tail)]
    c = classify_tail(buf[order][:, None, :], tol=tol, blowup=BLOWUP, tail=tail)[0]
    return _matrix_run(A, X0, Y0, lr, c["label"], steps, X, Y)


def _matrix_run(A, X0, Y0, h, label, steps, X, Y) -> MatrixRun:
    """The :class:`MatrixRun` of a classified run ending at (X, Y) (float64)."""
    common = dict(h=float(h), label=label, steps=steps,
                  init_sharpness=fz.sharpness_numeric(A, X0, Y0), two_over_h=2 / float(h),
                  init_gram_imbalance=float(np.linalg.norm(fz.imbalance(
                      np.asarray(X0, float), np.asarray(Y0, float)))),
                  bound=matrix_stability_bound(A, h))
    if label != "converged":
        return MatrixRun(**common)
    nx, ny = fz.spectral_norm_sq(X), fz.spectral_norm_sq(Y)
    imbalance = float((np.sqrt(nx) - np.sqrt(ny)) ** 2)
    return MatrixRun(**common, residual_norm=float(np.linalg.norm(fz.residual(A, X, Y))),
                     sharpness=fz.sharpness_numeric(A, X, Y), norm_formula=nx + ny,
                     imbalance=imbalance,
                     gram_imbalance=float(np.linalg.norm(fz.imbalance(X, Y))),
                     bound_holds=bool(imbalance <= common["bound"] * (1 + 1e-9) + 1e-12),
                     limit=(X.copy(), Y.copy()))


def gaussian_instance(n: int, d: int, seed: int, scale: float = 3.0):
    """A Gaussian n×n target A with entries N(0, 1/n) and an unbalanced start
    X0 = scale·G₁/√n, Y0 = G₂/(scale·√n) (fixed seed)."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) / np.sqrt(n)
    X0 = scale * rng.standard_normal((n, d)) / np.sqrt(n)
    Y0 = rng.standard_normal((n, d)) / (scale * np.sqrt(n))
    return A, X0, Y0


# ---- sweeps ----------------------------------------------------------------------------


@renamed(hs="lrs")
def imbalance_sweep(mu, x0, y0, lrs, max_steps: int = 200_000) -> list[BalanceRun]:
    """Float64 runs from one start over the rates ``lrs`` (the realized-imbalance curve)."""
    lrs = np.asarray(lrs, dtype=float)
    return run_scalar_batch(mu, np.tile([x0, y0], (len(lrs), 1)), lrs, max_steps=max_steps)


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


@result
class Monotonicity(ItemAccess, Result):
    """How monotone a sequence of values is along increasing rates: ``increases`` and
    ``decreases`` between consecutive entries (changes below 1e-9 relative are ties) and
    ``non_increasing`` (no increase)."""

    increases: int
    decreases: int
    non_increasing: bool


@renamed(hs="lrs")
def monotonicity(lrs, values) -> Monotonicity:
    """How monotone ``values`` (imbalance) is in ``lrs``: the number of increases and
    decreases between consecutive rates, and whether it is non-increasing."""
    v = np.asarray(values, float)
    dv = np.diff(v)
    scale = 1e-9 * (1 + np.abs(v[:-1]))
    return Monotonicity(int(np.sum(dv > scale)), int(np.sum(dv < -scale)),
                        bool(np.all(dv <= scale)))


@result
class ConvergenceThreshold(ItemAccess, Result):
    """Where GD from (x0, y0) on ½(xy − µ)² stops converging, in units of hL.

    ``L`` = λ_max at the start; ``threshold_hL``: midpoint of the refined transition from
    the last converging to the first non-converging scanned rate (None when every scanned
    rate converges) and ``resolution`` its width; ``failure_label``: the label of the
    first non-converging rate; ``converged_above``: some scanned rate above it converges
    again; ``window_converged``: fraction of the scanned rates with hL in (2, 4) that
    converge (None if none is scanned); ``converged``: converged scanned runs;
    ``bound_violations``: converged scanned runs violating (x∞ − y∞)² ≤ 2/h − 2µ."""

    mu: float
    x0: float
    y0: float
    L: float
    threshold_hL: float | None = None
    resolution: float | None = None
    failure_label: str | None = None
    converged_above: bool = False
    window_converged: float | None = None
    converged: int = 0
    bound_violations: int = 0


def convergence_threshold(mu, x0, y0, hL_max: float = 8.0, grid: int = 200,
                          refine: int = 2, max_steps: int = 20_000) -> ConvergenceThreshold:
    """Where GD from (x0, y0) stops converging, in units of hL (L = λ_max at the start;
    :class:`ConvergenceThreshold`).

    Scans hL over ``grid`` equispaced rates in (0, hL_max], takes the first rate that does
    not converge within ``max_steps`` and refines the transition from the last converging
    rate below it ``refine`` times by a 40-point batch scan."""
    L = sharpness_at(mu, x0, y0)
    hL = np.linspace(hL_max / grid, hL_max, grid)
    runs = _sweep_with_recheck(mu, x0, y0, hL / L, max_steps)
    ok = np.array([r.label == "converged" for r in runs])
    window = (hL > 2) & (hL < 4)
    common = dict(mu=float(mu), x0=float(x0), y0=float(y0), L=L, converged=int(ok.sum()),
                  bound_violations=sum(1 for r in runs if r.bound_holds is False),
                  window_converged=float(np.mean(ok[window])) if window.any() else None)
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return ConvergenceThreshold(**common)
    i = int(bad[0])
    lo, hi = (hL[i - 1] if i > 0 else 0.0), hL[i]
    for _ in range(refine):
        fine = np.linspace(lo, hi, 42)[1:-1]
        good = [r.label == "converged"
                for r in _sweep_with_recheck(mu, x0, y0, fine / L, max_steps)]
        first_bad = good.index(False) if False in good else len(good)
        lo = fine[first_bad - 1] if first_bad > 0 else lo
        hi = fine[first_bad] if first_bad < len(good) else hi
    return ConvergenceThreshold(**common, threshold_hL=float((lo + hi) / 2),
                                resolution=float(hi - lo), failure_label=runs[i].label,
                                converged_above=bool(ok[i:].any()))


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


@result
class MatrixRunMP(Result):
    """A matrix GD run in mpmath at ``dps`` digits.

    ``label``: converged (a step moved less than 10^(5 − dps)), diverged (a step moved more
    than :data:`BLOWUP`) or undecided (neither within the step budget); ``steps`` run;
    ``X``, ``Y``: the limit as rows of mpmath numbers (None unless converged)."""

    h: float
    dps: int
    label: str
    steps: int
    X: tuple | None = None
    Y: tuple | None = None

    def arrays(self):
        """(X, Y) as object arrays of mpmath numbers, or (None, None)."""
        if self.X is None:
            return None, None
        return np.array(self.X, dtype=object), np.array(self.Y, dtype=object)


@lr_keyword
def run_matrix_mp(A, X0, Y0, lr, dps: int = 30, max_steps: int = 20_000) -> MatrixRunMP:
    """The matrix GD run in mpmath at ``dps`` digits (object arrays through the generic
    :func:`lrtheory.factorization.gd_step`), stopped at the first step that moves less
    than 10^(5 − dps) (:class:`MatrixRunMP`)."""
    check_lr(lr)
    with precision(dps):
        def conv(M):
            return np.array([[mpmath.mpf(float(v)) for v in row] for row in np.asarray(M)],
                            dtype=object)
        A, X, Y, hm = conv(A), conv(X0), conv(Y0), _mpf(lr)
        eps = mpmath.mpf(10) ** (5 - dps)
        for k in range(1, max_steps + 1):
            X1, Y1 = fz.gd_step(A, X, Y, hm)
            move = max(abs(v) for v in np.concatenate([(X1 - X).ravel(), (Y1 - Y).ravel()]))
            X, Y = X1, Y1
            if move > BLOWUP:
                return MatrixRunMP(float(hm), int(dps), "diverged", k)
            if move <= eps:
                return MatrixRunMP(float(hm), int(dps), "converged", k,
                                   tuple(map(tuple, X.tolist())), tuple(map(tuple, Y.tolist())))
        return MatrixRunMP(float(hm), int(dps), "undecided", max_steps)
