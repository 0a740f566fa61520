"""One call from a multiscale objective and a learning rate to the measured long-run picture
(the ``lrtheory multiscale`` command; KT-1, KT-3, KT-5).

:func:`sample` runs ``chains`` GD chains from uniform random starts, discards the first
quarter of ``steps`` as burn-in, and reports σ² (exact when possible), the regime, the
Lyapunov exponent, the moments of the iterates, and — in 1-D — the Gibbs variance and the
TV / KS distances of the iterates' histogram to the Gibbs law Z⁻¹exp(−2f₀/(ησ²)).
"""
from __future__ import annotations

import math

import numpy as np

from ..aliases import lr_keyword
from ..gd import ItemAccess
from ..results import Result, result
from .gibbs import GibbsLaw, distances
from .model import Multiscale
from .noise import noise_law
from .regimes import classify_chains, majority
from .sampling import run_chains, uniform_starts


@result
class MultiscaleSample(ItemAccess, Result):
    """The measured long-run picture of GD on a multiscale objective (:func:`sample`).

    ``sigma2``: σ² = tr Cov ζ / d as text (exact when ``sigma2_exact``); ``regime``: the
    majority regime and ``regime_fractions`` the fraction of chains in each;
    ``lyapunov``, ``lyapunov_se``: mean Lyapunov exponent over the non-diverged chains and
    its standard error; ``mean``, ``variance``: pooled mean and variance of the iterates
    (numbers in 1-D, a vector and a covariance matrix in d > 1), ``variance_se`` the
    standard error of the first coordinate's variance; in 1-D outside the unstable regime
    ``gibbs_variance`` and the ``tv_distance`` / ``ks_distance`` of the iterates'
    histogram to the Gibbs law, ``tv_noise`` the sampling noise of the TV distance;
    ``spread_cells``: median orbit range in period cells; ``chains``, ``steps``, ``burn``;
    ``diverged``: the number of diverged chains.  Statistics that cannot be computed
    (no surviving chain, non-finite values) are None."""

    sigma2: str
    sigma2_exact: bool
    regime: str
    regime_fractions: dict[str, float]
    lyapunov: float | None
    lyapunov_se: float | None
    mean: float | tuple | None
    variance: float | tuple | None
    variance_se: float | None
    gibbs_variance: float | None
    tv_distance: float | None
    ks_distance: float | None
    tv_noise: float | None
    spread_cells: float | None
    chains: int
    steps: int
    burn: int
    diverged: int


def _finite(v):
    v = float(v)
    return v if math.isfinite(v) else None


@lr_keyword
def sample(ms: Multiscale, lr: float, steps: int = 20_000, chains: int = 1000,
           start=0.0, width: float = 1.0, seed: int = 0, bins: int = 200) -> MultiscaleSample:
    """Measured statistics of GD with step ``lr`` on ``ms`` (see the module docstring and
    :class:`MultiscaleSample`)."""
    law = noise_law(ms)
    sigma2 = float(law.sigma2)
    burn = steps // 4
    x0 = uniform_starts(start, width, chains, ms.dim, seed)
    run = run_chains(ms.objective, lr, x0, steps - burn, burn=burn, bins=bins)
    regime, fractions = majority(classify_chains(run, ms.cell))
    lam = run.chain_lyapunov[run.ok]
    out = dict(sigma2=str(law.sigma2), sigma2_exact=law.exact, regime=regime,
               regime_fractions=fractions,
               lyapunov=_finite(np.mean(lam)) if lam.size else None,
               lyapunov_se=_finite(np.std(lam, ddof=1) / np.sqrt(lam.size)) if lam.size > 1
               else None,
               mean=None, variance=None, variance_se=None, gibbs_variance=None,
               tv_distance=None, ks_distance=None, tv_noise=None,
               spread_cells=_finite(np.median(run.chain_spread[run.ok]) / ms.cell)
               if run.ok.any() else None,
               chains=chains, steps=steps, burn=burn, diverged=int(run.diverged.sum()))
    if run.ok.any():
        out.update(_moments(run, ms.dim))
        if ms.dim == 1 and regime != "unstable":
            g = GibbsLaw(ms.f0, ms.vars[0], lr, sigma2, around=(run.edges[0], run.edges[-1]))
            d = distances(run, g)
            out.update(gibbs_variance=g.variance, tv_distance=d.tv, ks_distance=d.ks,
                       tv_noise=d.tv_noise)
    return MultiscaleSample(**out)


def _moments(run, dim: int) -> dict:
    """Pooled mean, variance (numbers in 1-D, vector and matrix in d > 1) and the
    variance's standard error of the surviving chains."""
    mean, cov = run.mean, run.cov
    if dim == 1:
        return dict(mean=_finite(mean[0]), variance=_finite(cov[0, 0]),
                    variance_se=_finite(run.variance_se))
    return dict(mean=tuple(_finite(m) for m in mean),
                variance=tuple(tuple(_finite(c) for c in row) for row in cov),
                variance_se=_finite(run.variance_se))
