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

The GD map is the kernel's (:func:`lrtheory.gd.maps.numpy_gd_map`), but the loop is
:func:`run_map`'s own rather than :func:`lrtheory.gd.run_gd`: it folds every sampled
iterate into the statistics as it goes (a run of 10⁸ chain-steps keeps no trajectory),
samples log|φ′| only at the thinned steps, and iterates any map given as a callable (the
bounded-noise model of :mod:`.gibbs` draws fresh noise each step).
"""
from __future__ import annotations

import numpy as np

from ..aliases import lr_keyword
from ..errors import InputError
from ..gd.maps import numpy_gd_map
from ..objectives import Objective
from ..parsing import check_lr
from ..results import Result, result


@result
class ChainRun(Result):
    """Statistics of a vectorized run of C chains in n dimensions (module docstring).

    ``h``; ``steps`` after ``burn`` burn-in steps, sampled every ``thin``-th iterate:
    ``samples`` per chain.  Per chain: ``sum_x`` (C, n) and ``sum_xx`` (C, n, n) sums of
    x and x xᵀ, ``sum_log`` (C,) the Lyapunov sums, ``lo``/``hi`` (C, n) running min and
    max, ``diverged`` (C,) bool, ``sum_obs`` (C, m) sums of the optional observable (None
    without one).  ``counts`` (2, bins + 2): histogram of the first coordinate (underflow,
    bins, overflow) for the even and the odd chains, over ``edges`` (bins + 1,);
    ``tail`` (T, C, n): the last T iterates, after the sampled ones."""

    h: float
    steps: int
    burn: int
    thin: int
    samples: int
    sum_x: np.ndarray
    sum_xx: np.ndarray
    sum_log: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    counts: np.ndarray
    edges: np.ndarray
    tail: np.ndarray
    diverged: np.ndarray
    sum_obs: np.ndarray | None = None

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
        """Empirical bin probabilities of the even and of the odd chains."""
        a, b = self.counts
        return a / max(a.sum(), 1), b / max(b.sum(), 1)


@lr_keyword
def compile_gd(obj: Objective, lr):
    """float64 GD map φ(x) = x − η∇f(x) and its derivative data for a batch (C, n).

    ``lr`` (η) is a number or an array of shape (C,) (one learning rate per chain).  Returns
    ``(step, deriv)``: in 1-D ``deriv(x)`` = log|φ′(x)| = log|1 − η f″(x)|; for d > 1
    ``deriv(x)`` is the tangent map Dφ(x) = I − η∇²f(x) of shape (C, n, n)."""
    n = obj.dim
    step_fn, d_fn = numpy_gd_map(obj)
    lr = np.asarray(lr, dtype=float)
    if n == 1:
        def step(X):
            return step_fn(X[:, 0], lr)[0][:, None]

        def log_derivative(X):
            with np.errstate(all="ignore"):
                return np.log(np.abs(d_fn(X[:, 0], lr)[0]))
        return step, log_derivative

    def step_nd(X):
        return np.stack(step_fn(*X.T, lr), axis=-1)

    def jacobian(X):
        return np.stack(d_fn(*X.T, lr), axis=-1).reshape(X.shape[0], n, n)
    return step_nd, jacobian


@lr_keyword
def run_chains(obj: Objective, lr: float, x0, steps: int, **options) -> ChainRun:
    """Run GD with step ``lr`` from each row of ``x0`` (shape (C, n)); see :func:`run_map`
    for ``steps`` and the options (burn, thin, bins, hist_range, tail, blowup, observe)."""
    check_lr(lr)
    X = np.array(x0, dtype=float, ndmin=2)
    if X.shape[1] != obj.dim:
        raise InputError(f"starting points have {X.shape[1]} coordinates, "
                         f"objective has {obj.dim}")
    step, deriv = compile_gd(obj, float(lr))
    return run_map(step, deriv, float(lr), X, steps, **options)


@lr_keyword
def run_map(step, deriv, lr: float, x0: np.ndarray, steps: int, burn: int = 0, thin: int = 1,
            bins: int = 400, hist_range=None, tail: int = 64,
            blowup: float = 1e8, observe=None) -> ChainRun:
    """Iterate ``step`` on the batch ``x0`` (C, n) for ``burn`` + ``steps`` iterations and
    collect :class:`ChainRun` statistics over the last ``steps`` (every ``thin``-th
    iterate).  ``deriv`` is log|φ′| (1-D), the Jacobian Dφ (d > 1) or None (no Lyapunov
    exponent).  ``hist_range`` (lo, hi) fixes the histogram of the first coordinate; by
    default it spans the chains' positions after the burn-in, widened by a half-width on
    each side.  ``observe(X) -> (C, m)`` is an optional observable summed per chain (e.g.
    the indicator of a well)."""
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
        acc = _Accumulator(C, n, hist_range, bins, observe)
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
                acc.add(X)
        T = np.empty((tail,) + X.shape)
        for k in range(tail):
            X = step(X)
            T[k] = X
    if not one_d:
        sum_log *= acc.samples / steps  # tangent growth is accumulated every step
    diverged = ~np.isfinite(acc.sum_xx.reshape(C, -1)).all(axis=1) | ~np.isfinite(sum_log)
    if tail:
        diverged |= ~(np.max(np.abs(T), axis=(0, 2)) <= blowup)  # nan compares False
    return ChainRun(float(lr), steps, burn, thin, acc.samples, acc.sum_x, acc.sum_xx, sum_log,
                    acc.lo, acc.hi, acc.counts.reshape(2, bins + 2), acc.edges, T, diverged,
                    acc.sum_obs)


class _Accumulator:
    """Per-chain sums, running extremes and the two-half histogram of sampled iterates."""

    def __init__(self, C: int, n: int, hist_range, bins: int, observe):
        self.lo_edge, self.hi_edge = map(float, hist_range)
        if not self.hi_edge > self.lo_edge:
            raise InputError("histogram range must have lo < hi")
        self.bins, self.observe = bins, observe
        self.inv_w = bins / (self.hi_edge - self.lo_edge)
        self.edges = np.linspace(self.lo_edge, self.hi_edge, bins + 1)
        self.offset = (np.arange(C) % 2) * (bins + 2) + 1
        self.counts = np.zeros(2 * (bins + 2), dtype=np.int64)
        self.sum_x, self.sum_xx = np.zeros((C, n)), np.zeros((C, n, n))
        self.lo, self.hi = np.full((C, n), np.inf), np.full((C, n), -np.inf)
        self.samples, self.sum_obs = 0, None

    def add(self, X: np.ndarray) -> None:
        self.samples += 1
        self.sum_x += X
        if X.shape[1] == 1:
            self.sum_xx[:, 0, 0] += X[:, 0] * X[:, 0]
        else:
            self.sum_xx += X[:, :, None] * X[:, None, :]
        np.minimum(self.lo, X, out=self.lo)
        np.maximum(self.hi, X, out=self.hi)
        idx = np.floor((X[:, 0] - self.lo_edge) * self.inv_w)
        np.fmax(idx, -1.0, out=idx)           # fmax also maps nan (diverged) to underflow
        np.minimum(idx, self.bins, out=idx)
        self.counts += np.bincount(idx.astype(np.intp) + self.offset,
                                   minlength=2 * (self.bins + 2))
        if self.observe is not None:
            o = self.observe(X)
            self.sum_obs = o if self.sum_obs is None else self.sum_obs + o


def uniform_starts(center, width: float, chains: int, dim: int, seed: int = 0) -> np.ndarray:
    """``chains`` starting points uniform in the cube center ± width/2 (fixed seed)."""
    rng = np.random.default_rng(seed)
    c = np.broadcast_to(np.asarray(center, dtype=float), (dim,))
    return c + width * (rng.random((chains, dim)) - 0.5)
