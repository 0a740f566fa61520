"""Long float64 GD runs vectorized over many chains, with running statistics (KT-3..KT-5).

The GD map φ(x) = x − η∇f(x) is compiled once (numpy, from the exact sympy expressions) and
applied to all chains at once.  Nothing of the trajectory is stored except a short tail;
after ``burn`` steps every ``thin``-th iterate feeds

* per-chain sums of x and x xᵀ (moments; their spread over chains gives standard errors,
  chains started at independent random points being independent samples of the law),
* a histogram of the first coordinate for two halves of the chains (the difference of the
  halves estimates the sampling noise of any histogram distance),
* per-chain sums of log|φ′(x_k)| (1-D) — the time average is the Lyapunov exponent
  λ = lim (1/n) Σ log|φ′(x_k)|, and thinning samples the same ergodic average —, or of the
  growth of a tangent vector propagated by Dφ every step (d > 1: largest exponent),
* per-chain running min and max (orbit spread).

A chain whose state overflows or leaves |x| < ``blowup`` has diverged: its statistics are
excluded and it is counted as unstable (divergence is a result, not an error).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import InputError
from ..evaluators import compile_exprs
from ..objectives import Objective
from ..parsing import check_lr


@dataclass
class ChainRun:
    """Statistics of a vectorized run (see the module docstring)."""

    h: float
    steps: int
    burn: int
    thin: int
    samples: int            # sampled iterates per chain
    sum_x: np.ndarray       # (C, n)
    sum_xx: np.ndarray      # (C, n, n)
    sum_log: np.ndarray     # (C,)
    lo: np.ndarray          # (C, n) running minimum
    hi: np.ndarray          # (C, n) running maximum
    counts: np.ndarray      # (2, bins + 2): underflow, bins, overflow, for two chain halves
    edges: np.ndarray       # (bins + 1,)
    tail: np.ndarray        # (T, C, n) last iterates
    diverged: np.ndarray    # (C,) bool

    # ---- derived quantities ---------------------------------------------------------
    @property
    def ok(self) -> np.ndarray:
        return ~self.diverged

    @property
    def chain_mean(self) -> np.ndarray:
        return self.sum_x[self.ok] / self.samples

    @property
    def mean(self) -> np.ndarray:
        """Pooled mean over chains and sampled times."""
        return self.chain_mean.mean(axis=0)

    @property
    def cov(self) -> np.ndarray:
        """Pooled covariance over chains and sampled times."""
        m = self.mean
        return (self.sum_xx[self.ok] / self.samples).mean(axis=0) - np.outer(m, m)

    @property
    def chain_var(self) -> np.ndarray:
        """Per-chain variance of the first coordinate about the pooled mean."""
        return self.sum_xx[self.ok, 0, 0] / self.samples - 2 * self.mean[0] * \
            self.chain_mean[:, 0] + self.mean[0] ** 2

    @property
    def variance(self) -> float:
        return float(self.cov[0, 0])

    @property
    def variance_se(self) -> float:
        """Standard error of :attr:`variance` from the spread over independent chains."""
        v = self.chain_var
        return float(np.std(v, ddof=1) / np.sqrt(len(v))) if len(v) > 1 else float("inf")

    @property
    def chain_lyapunov(self) -> np.ndarray:
        """Per-chain Lyapunov exponent (nan for diverged chains)."""
        out = self.sum_log / self.samples
        out[self.diverged] = np.nan
        return out

    @property
    def chain_spread(self) -> np.ndarray:
        """Per-chain range max − min of the first coordinate over the sampled iterates."""
        return (self.hi - self.lo)[:, 0]

    @property
    def probabilities(self) -> np.ndarray:
        """Empirical bin probabilities (underflow, bins…, overflow) of all chains."""
        c = self.counts.sum(axis=0)
        return c / max(c.sum(), 1)

    def half_probabilities(self) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.counts
        return a / max(a.sum(), 1), b / max(b.sum(), 1)


def compile_gd(obj: Objective, h: float):
    """float64 GD map φ(x) and its derivative data for a batch of shape (C, n).

    Returns ``(step, log_derivative)``: in 1-D ``log_derivative(x)`` = log|φ′(x)| =
    log|1 − η f″(x)|; for d > 1 ``log_derivative`` is None and the tangent map Dφ(x) =
    I − η∇²f(x) is returned instead as a function giving (C, n, n)."""
    n = obj.dim
    hh = sp.nsimplify(h)
    step_fn = compile_exprs(obj.gd_map_exprs(hh), obj.vars, "numpy")
    if n == 1:
        d_fn = compile_exprs([1 - hh * obj.hessian[0, 0]], obj.vars, "numpy")

        def step(X):
            return step_fn(X[:, 0])[0][:, None]

        def log_derivative(X):
            with np.errstate(all="ignore"):
                return np.log(np.abs(d_fn(X[:, 0])[0]))
        return step, log_derivative
    jac_fn = compile_exprs([(1 if i == j else 0) - hh * obj.hessian[i, j]
                            for i in range(n) for j in range(n)], obj.vars, "numpy")

    def step_nd(X):
        return np.stack(step_fn(*X.T), axis=-1)

    def jacobian(X):
        return np.stack(jac_fn(*X.T), axis=-1).reshape(X.shape[0], n, n)
    return step_nd, jacobian


def run_chains(obj: Objective, h: float, x0, steps: int, **options) -> ChainRun:
    """Run GD with step ``h`` from each row of ``x0`` (shape (C, n)); see :func:`run_map`
    for ``steps`` and the options (burn, thin, bins, hist_range, tail, blowup)."""
    check_lr(h)
    X = np.array(x0, dtype=float, ndmin=2)
    if X.shape[1] != obj.dim:
        raise InputError(f"starting points have {X.shape[1]} coordinates, "
                         f"objective has {obj.dim}")
    step, deriv = compile_gd(obj, float(h))
    return run_map(step, deriv, float(h), X, steps, **options)


def run_map(step, deriv, h: float, x0: np.ndarray, steps: int, burn: int = 0, thin: int = 1,
            bins: int = 400, hist_range=None, tail: int = 64,
            blowup: float = 1e8) -> ChainRun:
    """Iterate ``step`` on the batch ``x0`` (C, n) for ``burn`` + ``steps`` iterations and
    collect :class:`ChainRun` statistics over the last ``steps`` (every ``thin``-th
    iterate).  ``deriv`` is log|φ′| (1-D), the Jacobian Dφ (d > 1) or None (no Lyapunov
    exponent).  ``hist_range`` (lo, hi) fixes the histogram of the first coordinate; by
    default it spans the chains' positions after the burn-in, widened by a half-width on
    each side."""
    X = np.array(x0, dtype=float, ndmin=2)
    if steps < 1 or burn < 0 or thin < 1 or tail < 0 or bins < 1:
        raise InputError("need steps >= 1, burn >= 0, thin >= 1, tail >= 0, bins >= 1")
    C, n = X.shape
    one_d = n == 1
    V = None if one_d else np.tile(np.eye(n)[0], (C, 1))
    sum_log = np.zeros(C)
    with np.errstate(all="ignore"):
        for _ in range(burn):
            X = step(X)
        if hist_range is None:
            fin = X[np.isfinite(X[:, 0]), 0]
            a, b = (float(fin.min()), float(fin.max())) if fin.size else (-1.0, 1.0)
            w = max(b - a, 1e-12)
            hist_range = (a - w / 2, b + w / 2)
        lo_edge, hi_edge = map(float, hist_range)
        if not hi_edge > lo_edge:
            raise InputError("histogram range must have lo < hi")
        inv_w = bins / (hi_edge - lo_edge)
        offset = (np.arange(C) % 2) * (bins + 2)
        counts = np.zeros(2 * (bins + 2), dtype=np.int64)
        sum_x, sum_xx = np.zeros((C, n)), np.zeros((C, n, n))
        lo, hi = np.full((C, n), np.inf), np.full((C, n), -np.inf)
        samples = 0
        for k in range(steps):
            if deriv is not None and one_d and k % thin == 0:
                sum_log += deriv(X)
            elif deriv is not None and not one_d:
                V = np.einsum("cij,cj->ci", deriv(X), V)
                norm = np.linalg.norm(V, axis=1)
                sum_log += np.log(norm)
                V /= norm[:, None]
            X = step(X)
            if k % thin == 0:
                samples += 1
                sum_x += X
                sum_xx += X[:, :, None] * X[:, None, :]
                np.minimum(lo, X, out=lo)
                np.maximum(hi, X, out=hi)
                idx = np.floor((X[:, 0] - lo_edge) * inv_w)
                idx = np.clip(np.nan_to_num(idx, nan=-1.0), -1, bins).astype(np.int64) + 1
                counts += np.bincount(idx + offset, minlength=2 * (bins + 2))
        T = np.empty((tail,) + X.shape)
        for k in range(tail):
            X = step(X)
            T[k] = X
    if not one_d:
        sum_log *= samples / steps  # tangent growth is accumulated every step
    diverged = ~np.isfinite(sum_xx.reshape(C, -1)).all(axis=1) | ~np.isfinite(sum_log)
    if tail:
        diverged |= ~(np.max(np.abs(T), axis=(0, 2)) <= blowup)  # nan compares False
    return ChainRun(float(h), steps, burn, thin, samples, sum_x, sum_xx, sum_log, lo, hi,
                    counts.reshape(2, bins + 2), np.linspace(lo_edge, hi_edge, bins + 1), T,
                    diverged)


def uniform_starts(center, width: float, chains: int, dim: int, seed: int = 0) -> np.ndarray:
    """``chains`` starting points uniform in the cube center ± width/2 (fixed seed)."""
    rng = np.random.default_rng(seed)
    c = np.broadcast_to(np.asarray(center, dtype=float), (dim,))
    return c + width * (rng.random((chains, dim)) - 0.5)
