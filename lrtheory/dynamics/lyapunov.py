"""Lyapunov exponents of the GD map G_h(x) = x − h∇f(x) (BLOG-9, KT-5).

Along an orbit x_{k+1} = G_h(x_k) the tangent map is DG_h(x_k) = I − h∇²f(x_k).  The
exponents λ_1 ≥ … ≥ λ_n are the growth rates of the QR (Gram–Schmidt) re-orthonormalised
tangent frames:

    Q_0 = I,   DG_h(x_k) Q_k = Q_{k+1} R_{k+1},   λ_i ≈ (1/N) Σ_{k=1}^{N} log |(R_k)_{ii}|.

The iteration is :func:`lrtheory.gd.run_gd` with ``Record(lyapunov=True)``: float64
vectorized over many starts (numpy, or compiled by numba for long runs), or mpmath
(``backend="mpmath"``, Householder QR) at the caller's working precision, so a precision
change can be checked.  A transient of ``transient`` steps is discarded first.
Diagnostics: the running estimate of λ_1 at checkpoints (convergence in N) and the spread
of the exponents across starts; :func:`largest_exponent_estimate` sums them up for λ_1
(the claim kind lyapunov-sign, :mod:`lrtheory.expect.lyapunov`, compares two precisions
with it).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..aliases import lr_keyword
from ..errors import InputError
from ..gd import ItemAccess, Record, run_gd
from ..objectives import Objective
from ..parsing import check_lr
from ..results import Result, result

#: mpmath runs count as diverged beyond this radius (float64: on overflow).
MP_BLOWUP = 1e100


@result
class LyapunovSpectrum(ItemAccess, Result):
    """Lyapunov spectra of GD from a batch of starts (read fields as attributes or
    ``r["name"]``).

    exponents : (m, n) array, λ_1 ≥ … ≥ λ_n per start (nan for starts that diverged)
    mean, spread : (n,) mean and max − min over the bounded starts
    diverged : (m,) bool
    running : ((k, mean λ_1 after k steps), …) at roughly log-spaced checkpoints
    running_per_start : (K, m) λ_1 after each checkpoint, per start
    steps, transient : QR steps and discarded steps
    backend : "float64" or "mpmath"
    lr : the learning rate as given (a string)
    starts : (m, n) the starts x_0
    """

    exponents: Any
    mean: Any
    spread: Any
    diverged: Any
    running: tuple
    running_per_start: Any
    steps: int
    transient: int
    backend: str
    lr: str = ""
    starts: Any = None

    _repr_skip = ("running_per_start", "running", "starts")


def _checkpoints(steps: int, count: int = 24) -> list[int]:
    """Roughly log-spaced step counts ending at ``steps``."""
    pts = np.unique(np.geomspace(min(10, steps), steps, count).astype(int))
    return [int(p) for p in pts if p >= 1]


@lr_keyword
def lyapunov_exponents(obj: Objective, lr, x0s, steps: int, transient: int = 1000,
                       backend: str = "float64") -> LyapunovSpectrum:
    """Lyapunov spectra of GD on ``obj`` with learning rate ``lr`` from each start in
    ``x0s`` (shape (m, n)), by QR of the tangent maps over ``steps`` steps after a
    ``transient`` (BLOG-9, KT-5).  ``backend`` is ``"float64"`` (vectorized) or
    ``"mpmath"`` (at the caller's ``mpmath.workdps``).  Returns a
    :class:`LyapunovSpectrum`."""
    check_lr(lr)
    X = np.atleast_2d(np.asarray(x0s, dtype=float))
    if X.shape[1] != obj.dim:
        raise InputError(f"starts have {X.shape[1]} coordinates, objective has {obj.dim}")
    if steps < 1 or transient < 0:
        raise InputError("steps must be ≥ 1 and transient ≥ 0")
    if backend not in ("float64", "mpmath"):
        raise InputError(f"unknown backend {backend!r}: use 'float64' or 'mpmath'")
    checks = _checkpoints(int(steps))
    rec = Record(last=False, lyapunov=True, checkpoints=checks)
    if backend == "float64":
        run = run_gd(obj, X, float(lr), int(steps), rec, transient=int(transient))
        expo, running = run.exponents, run.running[..., 0]
    else:
        run = run_gd(obj, X, lr, int(steps), rec, transient=int(transient),
                     backend="mpmath", blowup=MP_BLOWUP)
        expo = np.array([[float(v) for v in e] for e in run.exponents])
        running = np.array([[float(v[0]) for v in r] for r in run.running]).T
    bad = np.asarray(run.diverged, dtype=bool) | ~np.all(np.isfinite(expo), axis=1)
    return _summary(expo, bad, checks, running, int(steps), int(transient), backend, lr, X)


def _summary(expo, bad, checks, running, steps, transient, backend, h, X) -> LyapunovSpectrum:
    """Mean, spread and running mean of λ_1 over the bounded starts."""
    expo = np.where(bad[:, None], np.nan, expo)
    ok = ~bad
    n = expo.shape[1]
    with np.errstate(all="ignore"):
        mean = np.mean(expo[ok], axis=0) if ok.any() else np.full(n, np.nan)
        spread = (np.max(expo[ok], axis=0) - np.min(expo[ok], axis=0)) if ok.any() \
            else np.full(n, np.nan)
        run = tuple((k, float(np.mean(v[ok])) if ok.any() else float("nan"))
                    for k, v in zip(checks, running))
    return LyapunovSpectrum(exponents=expo, mean=mean, spread=spread, diverged=bad,
                            running=run, running_per_start=np.asarray(running),
                            steps=steps, transient=transient, backend=backend, lr=str(h),
                            starts=X)


def largest_exponent_estimate(obj: Objective, lr, x0s, steps: int, transient: int,
                              backend: str, dps: int = 30) -> tuple:
    """(mean λ₁ over the bounded starts, spread max − min of λ₁ over them, drift of the
    running mean, whether some start diverged) from :func:`lyapunov_exponents` at ``dps``
    digits (the mpmath backend; float64 runs at ``float(lr)``).  The drift is the largest
    over the starts of |λ₁(N) − λ₁(N_K/2)|, the change of the running estimate from the
    middle of its K checkpoints to the end — a convergence diagnostic in N.  All nan (and
    diverged) when no start stays bounded."""
    import math

    from ..precision import precision
    with precision(dps):
        spec = lyapunov_exponents(obj, lr if backend == "mpmath" else float(lr), x0s, steps,
                                  transient, backend)
    lam = np.asarray(spec.exponents, dtype=float)[:, 0]
    ok = np.isfinite(lam)
    if not ok.any():
        return math.nan, math.nan, math.nan, True
    runs = np.asarray(spec.running_per_start, dtype=float)
    half = runs[len(runs) // 2] if len(runs) > 1 else runs[-1]
    drift = float(np.nanmax(np.abs(runs[-1] - half)))
    return float(lam[ok].mean()), float(np.ptp(lam[ok])), drift, bool((~ok).any())
