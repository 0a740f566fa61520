"""Float64 round-off and the statistics of chaotic GD (KT-3, KT-5).

In the chaotic regimes a float64 orbit departs from the exact orbit after about
(digits·ln 10)/λ steps, so individual iterates are meaningless after a short time; what is
claimed is that the *statistics* (moments, Lyapunov exponent) are not affected.  These
helpers recompute them on a shorter run in mpmath at a higher working precision, and in
float64 from perturbed starts, for comparison within the statistical error.
"""
from __future__ import annotations

import mpmath
import numpy as np

from .model import Multiscale
from .sampling import run_chains


def mp_chain_statistics(ms: Multiscale, h, x0s, steps: int, burn: int = 0,
                        dps: int = 30) -> dict:
    """Per-chain time averages of x, x² and log|φ′(x)| over ``steps`` iterates after
    ``burn``, for the 1-D GD map iterated in mpmath at ``dps`` digits.
    Returns float arrays {"mean", "second", "lyapunov"} of length len(x0s)."""
    model = ms.objective.mpmath
    out = {"mean": [], "second": [], "lyapunov": []}
    with mpmath.workdps(dps):
        hh = mpmath.mpf(h)
        for x0 in x0s:
            x = mpmath.mpf(float(x0))
            for _ in range(burn):
                x = x - hh * model.grad([x])[0]
            s1 = s2 = sl = mpmath.mpf(0)
            for _ in range(steps):
                sl += mpmath.log(abs(1 - hh * model.hess([x])[0, 0]))
                x = x - hh * model.grad([x])[0]
                s1 += x
                s2 += x * x
            out["mean"].append(float(s1 / steps))
            out["second"].append(float(s2 / steps))
            out["lyapunov"].append(float(sl / steps))
    return {k: np.array(v) for k, v in out.items()}


def float64_chain_statistics(ms: Multiscale, h, x0s, steps: int, burn: int = 0) -> dict:
    """The same per-chain averages as :func:`mp_chain_statistics` in float64."""
    run = run_chains(ms.objective, h, np.asarray(x0s, dtype=float).reshape(-1, 1), steps,
                     burn=burn, tail=0)
    return {"mean": run.sum_x[:, 0] / run.samples,
            "second": run.sum_xx[:, 0, 0] / run.samples,
            "lyapunov": run.sum_log / run.samples}


def compare_statistics(a: dict, b: dict) -> dict:
    """For each statistic: the difference of the chain averages of ``a`` and ``b`` and its
    standard error (independent chains: SE² = var_a/n_a + var_b/n_b) and the ratio
    |difference|/SE (a z-score)."""
    out = {}
    for key in a:
        x, y = np.asarray(a[key]), np.asarray(b[key])
        diff = float(x.mean() - y.mean())
        se = float(np.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size))
        out[key] = {"a": float(x.mean()), "b": float(y.mean()), "diff": diff, "se": se,
                    "z": abs(diff) / se if se > 0 else (0.0 if diff == 0 else float("inf"))}
    return out
