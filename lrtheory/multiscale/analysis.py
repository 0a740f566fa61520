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

from .gibbs import GibbsLaw, distances
from .model import Multiscale
from .noise import noise_law
from .regimes import classify_chains, majority
from .sampling import run_chains, uniform_starts


def _finite(v):
    v = float(v)
    return v if math.isfinite(v) else None


def sample(ms: Multiscale, h: float, steps: int = 20_000, chains: int = 1000,
           start=0.0, width: float = 1.0, seed: int = 0, bins: int = 200) -> dict:
    """Measured statistics of GD with step ``h`` on ``ms`` (see the module docstring).

    Keys: sigma2 (str, exact or decimal), sigma2_exact, regime, regime_fractions,
    lyapunov, lyapunov_se, mean, variance, variance_se, gibbs_variance, tv_distance,
    ks_distance, tv_noise, spread_cells, chains, steps, burn, diverged."""
    law = noise_law(ms)
    sigma2 = float(law.sigma2)
    burn = steps // 4
    x0 = uniform_starts(start, width, chains, ms.dim, seed)
    run = run_chains(ms.objective, h, x0, steps - burn, burn=burn, bins=bins)
    labels = classify_chains(run, ms.cell)
    regime, fractions = majority(labels)
    lam = run.chain_lyapunov[run.ok]
    out = {"sigma2": str(law.sigma2), "sigma2_exact": law.exact,
           "regime": regime, "regime_fractions": fractions,
           "lyapunov": _finite(np.mean(lam)) if lam.size else None,
           "lyapunov_se": _finite(np.std(lam, ddof=1) / np.sqrt(lam.size)) if lam.size > 1
           else None,
           "mean": None, "variance": None, "variance_se": None, "gibbs_variance": None,
           "tv_distance": None, "ks_distance": None, "tv_noise": None,
           "spread_cells": _finite(np.median(run.chain_spread[run.ok]) / ms.cell)
           if run.ok.any() else None,
           "chains": chains, "steps": steps, "burn": burn,
           "diverged": int(run.diverged.sum())}
    if not run.ok.any():
        return out
    mean, cov = run.mean, run.cov
    out["mean"] = _finite(mean[0]) if ms.dim == 1 else [_finite(m) for m in mean]
    out["variance"] = _finite(cov[0, 0]) if ms.dim == 1 else [[_finite(c) for c in row]
                                                              for row in cov]
    out["variance_se"] = _finite(run.variance_se)
    if ms.dim == 1 and regime != "unstable":
        g = GibbsLaw(ms.f0, ms.vars[0], h, sigma2, around=(run.edges[0], run.edges[-1]))
        d = distances(run, g)
        out.update(gibbs_variance=g.variance, tv_distance=d["tv"], ks_distance=d["ks"],
                   tv_noise=d["tv_noise"])
    return out
