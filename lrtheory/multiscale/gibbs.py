"""Reference laws for the long-run distribution of GD on f₀ + f_{1,ε} (KT-3, KT-4).

* Gibbs:          ρ(x) = Z⁻¹ exp(−2 f₀(x)/(η σ²))  (the slides' limit law);
  for f₀ = c x²/2 it is N(0, ησ²/(2c)).
* Bounded noise:  x_{k+1} = x_k − η∇f₀(x_k) + η ζ_k with ζ_k iid copies of ζ.  For
  f₀ = c x²/2 the stationary variance is exactly η²σ²/(1 − (1 − ηc)²) = ησ²/(c(2 − ηc)):
  relative to Gibbs it is larger by the factor 2/(2 − ηc) = 1 + ηc/2 + O(η²).

Distances between an empirical histogram and a reference law: total variation
½ Σ_i |p̂_i − P_i| over the bins (plus the mass outside the histogram range) and the
Kolmogorov–Smirnov distance max |F̂ − F| evaluated at the bin edges.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..aliases import lr_keyword
from ..dynamics.statistics import total_variation as tv_distance
from ..errors import InputError
from ..evaluators import compile_exprs
from ..gd import ItemAccess
from ..results import Result, result
from .model import Multiscale
from .sampling import ChainRun, run_map


@lr_keyword
def gibbs_variance_quadratic(lr, sigma2, curvature=1):
    """Variance ησ²/(2c) of the Gibbs law for f₀ = c x²/2 (exact when inputs are exact)."""
    return lr * sigma2 / (2 * curvature)


@lr_keyword
def bounded_noise_variance(lr, sigma2, curvature=1):
    """Stationary variance of x_{k+1} = (1 − ηc)x_k + ηζ_k, ζ iid with variance σ²:
    η²σ²/(1 − (1 − ηc)²) = ησ²/(c(2 − ηc)); requires 0 < ηc < 2."""
    rho = 1 - lr * curvature
    if not getattr(rho, "free_symbols", None) and not abs(rho) < 1:
        raise InputError(f"bounded-noise model unstable for eta*c = {lr * curvature} (need < 2)")
    return lr**2 * sigma2 / (1 - rho**2)


class GibbsLaw:
    """The 1-D Gibbs law Z⁻¹exp(−2f₀/(ησ²)) of ``f0`` (sympy, in ``var``), tabulated on a
    fine grid; the CDF is integrated by the trapezoidal rule in float64.

    The grid covers the region where 2(f₀ − min f₀)/(ησ²) < ``cutoff`` (density above
    e^-cutoff of its maximum); raises :class:`InputError` when no such bounded region
    exists (f₀ grows too slowly: the law is not normalizable)."""

    def __init__(self, f0: sp.Expr, var: sp.Symbol, h: float, sigma2: float,
                 around=(-1.0, 1.0), points: int = 200_001, cutoff: float = 60.0):
        self.temperature = float(h) * float(sigma2) / 2
        if not self.temperature > 0:
            raise InputError("Gibbs law needs eta * sigma^2 > 0")
        f = compile_exprs([f0], [var], "numpy")
        self._f = lambda x: f(x)[0]
        a, b = map(float, around)
        for _ in range(60):
            x = np.linspace(a, b, 4001)
            e = (self._f(x) - np.nanmin(self._f(x))) / self.temperature
            if e[0] > cutoff and e[-1] > cutoff:
                break
            w = b - a
            a, b = (a - w if e[0] <= cutoff else a), (b + w if e[-1] <= cutoff else b)
        else:
            raise InputError("Gibbs density exp(-2 f0/(eta sigma^2)) is not normalizable "
                             "on a bounded region (f0 must grow at infinity)")
        self.x = np.linspace(a, b, points)
        fx = self._f(self.x)
        w = np.exp(-(fx - fx.min()) / self.temperature)
        cdf = np.concatenate([[0.0], np.cumsum((w[1:] + w[:-1]) / 2 * np.diff(self.x))])
        self.Z = cdf[-1]
        self.cdf_grid = cdf / self.Z
        self.density_grid = w / self.Z

    def cdf(self, t) -> np.ndarray:
        return np.interp(t, self.x, self.cdf_grid, left=0.0, right=1.0)

    def bin_probabilities(self, edges: np.ndarray) -> np.ndarray:
        """(underflow, bins…, overflow) probabilities for the histogram ``edges``."""
        F = self.cdf(edges)
        return np.concatenate([[F[0]], np.diff(F), [1 - F[-1]]])

    def moment(self, g) -> float:
        """E g(X) under the law (trapezoidal rule on the grid)."""
        v = g(self.x) * self.density_grid
        return float(np.sum((v[1:] + v[:-1]) / 2 * np.diff(self.x)))

    @property
    def mean(self) -> float:
        return self.moment(lambda x: x)

    @property
    def variance(self) -> float:
        m = self.mean
        return self.moment(lambda x: (x - m) ** 2)

    def mass_above(self, t: float) -> float:
        return float(1 - self.cdf(t))


def ks_distance(p: np.ndarray, q: np.ndarray) -> float:
    """Kolmogorov–Smirnov distance of two binned laws, at the bin edges."""
    return float(np.max(np.abs(np.cumsum(p) - np.cumsum(q))))


@result
class Distances(ItemAccess, Result):
    """Distances of a run's histogram to a reference law: total variation ``tv`` and
    Kolmogorov–Smirnov ``ks`` (at the bin edges), and their sampling noise ``tv_noise``,
    ``ks_noise`` (the distance between the two chain halves / 2)."""

    tv: float
    ks: float
    tv_noise: float
    ks_noise: float


def distances(run: ChainRun, law: GibbsLaw) -> Distances:
    """TV and KS distances of the run's histogram to ``law``, with their sampling noise
    estimated from the two chain halves (distance between halves / 2: each half has half
    the samples, so its noise is √2 larger, and the halves' noises add)."""
    P = law.bin_probabilities(run.edges)
    a, b = run.half_probabilities()
    p = run.probabilities
    return Distances(tv_distance(p, P), ks_distance(p, P), tv_distance(a, b) / 2,
                     ks_distance(a, b) / 2)


@lr_keyword
def bounded_noise_chains(ms: Multiscale, lr: float, x0, steps: int, seed: int = 0,
                         **options) -> ChainRun:
    """Simulate the bounded-noise model x ← x − η∇f₀(x) − η∇f₁(U), U iid uniform on a
    period cell (fast variables), vectorized over chains; options as in ``run_map``."""
    if ms.torus is not None:
        raise InputError("the bounded-noise simulation needs the periodic form")
    rng = np.random.default_rng(seed)
    g0 = compile_exprs([sp.diff(ms.f0, v) for v in ms.vars], ms.vars, "numpy")
    g1 = compile_exprs([sp.diff(ms.f1, v) for v in ms.vars], ms.vars, "numpy")
    periods = np.array([float(p) for p in ms.periods])

    def step(X):
        U = rng.random(X.shape) * periods
        return X - lr * (np.stack(g0(*X.T), axis=-1) + np.stack(g1(*U.T), axis=-1))
    return run_map(step, None, lr, x0, steps, **options)

