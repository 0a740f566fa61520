"""Lyapunov exponents of the GD map G_h(x) = x − h∇f(x) (BLOG-9, KT-5).

Along an orbit x_{k+1} = G_h(x_k) the tangent map is DG_h(x_k) = I − h∇²f(x_k).  The
exponents λ_1 ≥ … ≥ λ_n are the growth rates of the QR (Gram–Schmidt) re-orthonormalised
tangent frames:

    Q_0 = I,   DG_h(x_k) Q_k = Q_{k+1} R_{k+1},   λ_i ≈ (1/N) Σ_{k=1}^{N} log |(R_k)_{ii}|.

The float64 path is vectorized over many starts (batched numpy QR); the mpmath path
(``backend="mpmath"``) runs the same recursion at the caller's working precision, so a
precision change can be checked.  A transient of ``transient`` steps is discarded first.
Diagnostics: the running estimate of λ_1 at checkpoints (convergence in N) and the spread
of the exponents across starts.
"""
from __future__ import annotations

import mpmath
import numpy as np

from ..errors import InputError
from ..objectives import Objective
from ..parsing import check_lr
from .maps import numpy_gd_map


def _checkpoints(steps: int, count: int = 24) -> list[int]:
    """Roughly log-spaced step counts ending at ``steps``."""
    pts = np.unique(np.geomspace(min(10, steps), steps, count).astype(int))
    return [int(p) for p in pts if p >= 1]


def _gram_schmidt(V: list) -> tuple[list, list]:
    """Modified Gram–Schmidt on column vectors V[i] (each a list of n arrays over the
    starts): returns the orthonormal columns and the norms |R_ii| (arrays)."""
    Q, diag = [], []
    for v in V:
        v = list(v)
        for q in Q:
            d = sum(a * b for a, b in zip(q, v))
            v = [a - d * b for a, b in zip(v, q)]
        r = np.sqrt(sum(a * a for a in v))
        Q.append([a / r for a in v])
        diag.append(r)
    return Q, diag


def _float64_exponents(obj: Objective, h: float, X: np.ndarray, steps: int, transient: int):
    m, n = X.shape
    G, DG = numpy_gd_map(obj)
    x = [X[:, i].copy() for i in range(n)]
    sums = np.zeros((m, n))
    checks = _checkpoints(steps)
    running = []
    with np.errstate(all="ignore"):
        for _ in range(transient):
            x = G(*x, h)
        Q = [[np.full(m, 1.0 if i == j else 0.0) for i in range(n)] for j in range(n)]
        for k in range(1, steps + 1):
            J = DG(*x, h)
            V = [[sum(J[r * n + c] * q[c] for c in range(n)) for r in range(n)] for q in Q]
            Q, diag = _gram_schmidt(V)
            for i in range(n):
                sums[:, i] += np.log(diag[i])
            x = G(*x, h)
            if len(running) < len(checks) and k == checks[len(running)]:
                running.append((k, sums[:, 0] / k))
    X = np.stack(x, axis=1)
    bad = ~np.all(np.isfinite(X), axis=1) | ~np.all(np.isfinite(sums), axis=1)
    return sums / steps, bad, running


def _mpmath_exponents(obj: Objective, h, X: np.ndarray, steps: int, transient: int):
    m, n = X.shape
    hm = mpmath.mpf(h) if not isinstance(h, str) else mpmath.mpf(h)
    checks = _checkpoints(steps)
    expo = np.zeros((m, n))
    bad = np.zeros(m, dtype=bool)
    run_vals = np.zeros((len(checks), m))
    for j in range(m):
        x = [mpmath.mpf(float(c)) for c in X[j]]
        for _ in range(transient):
            x = obj.mpmath.gd_step(x, hm)
        Q = mpmath.eye(n)
        sums = [mpmath.mpf(0)] * n
        c = 0
        for k in range(1, steps + 1):
            A = obj.mpmath.gd_jacobian(x, hm) * Q
            Q, R = mpmath.qr(A) if n > 1 else (mpmath.matrix([[mpmath.sign(A[0, 0])]]), A)
            sums = [s + mpmath.log(abs(R[i, i])) for i, s in enumerate(sums)]
            x = obj.mpmath.gd_step(x, hm)
            if c < len(checks) and k == checks[c]:
                run_vals[c, j] = float(sums[0] / k)
                c += 1
            if not all(mpmath.isfinite(v) and abs(v) < 1e100 for v in x):
                bad[j] = True
                break
        expo[j] = [float(s / steps) for s in sums]
    running = [(k, run_vals[i]) for i, k in enumerate(checks)]
    return expo, bad, running


def lyapunov_exponents(obj: Objective, h, x0s, steps: int, transient: int = 1000,
                       backend: str = "float64") -> dict:
    """Lyapunov spectra of GD on ``obj`` with learning rate ``h`` from each start in
    ``x0s`` (shape (m, n)), by QR of the tangent maps over ``steps`` steps after a
    ``transient`` (BLOG-9, KT-5).

    Returns ``{"exponents": (m, n) array (nan for starts that diverged), "mean": (n,)
    mean over the bounded starts, "spread": (n,) max − min over them, "diverged": (m,)
    bool, "running": [(k, mean λ_1 after k steps), ...], "running_per_start": (K, m),
    "steps", "transient", "backend"}``.  ``backend`` is ``"float64"`` (vectorized) or
    ``"mpmath"`` (at the caller's ``mpmath.workdps``)."""
    check_lr(h)
    X = np.atleast_2d(np.asarray(x0s, dtype=float))
    if X.shape[1] != obj.dim:
        raise InputError(f"starts have {X.shape[1]} coordinates, objective has {obj.dim}")
    if steps < 1 or transient < 0:
        raise InputError("steps must be ≥ 1 and transient ≥ 0")
    if backend == "float64":
        expo, bad, running = _float64_exponents(obj, float(h), X, int(steps), int(transient))
    elif backend == "mpmath":
        expo, bad, running = _mpmath_exponents(obj, h, X, int(steps), int(transient))
    else:
        raise InputError(f"unknown backend {backend!r}: use 'float64' or 'mpmath'")
    expo = np.where(bad[:, None], np.nan, expo)
    ok = ~bad
    with np.errstate(all="ignore"):
        mean = np.mean(expo[ok], axis=0) if ok.any() else np.full(obj.dim, np.nan)
        spread = (np.max(expo[ok], axis=0) - np.min(expo[ok], axis=0)) if ok.any() \
            else np.full(obj.dim, np.nan)
        run = [(k, float(np.mean(v[ok])) if ok.any() else float("nan")) for k, v in running]
    return {"exponents": expo, "mean": mean, "spread": spread, "diverged": bad,
            "running": run, "running_per_start": np.array([v for _, v in running]),
            "steps": int(steps), "transient": int(transient), "backend": backend}
