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

from ..aliases import lr_keyword
from ..gd import ItemAccess, Record, run_gd
from ..precision import precision
from ..results import Result, result
from .model import Multiscale
from .sampling import run_chains


@result
class ChainStatistics(ItemAccess, Result):
    """Per-chain time averages over ``steps`` iterates after ``burn``: ``mean`` of x,
    ``second`` of x² and ``lyapunov`` of log|φ′(x)| (arrays of length C), computed in
    mpmath at ``dps`` digits or in float64 (``dps`` None)."""

    mean: np.ndarray
    second: np.ndarray
    lyapunov: np.ndarray
    steps: int
    burn: int
    dps: int | None = None

    def as_dict(self) -> dict:
        """{statistic name: per-chain array}."""
        return {"mean": self.mean, "second": self.second, "lyapunov": self.lyapunov}


@result
class StatisticDifference(ItemAccess, Result):
    """One statistic compared between two sets of independent chains: the chain averages
    ``a`` and ``b``, ``diff`` = a − b, its standard error ``se`` (SE² = var_a/n_a +
    var_b/n_b) and ``z`` = |diff|/se (0 when both are 0, inf when only se is)."""

    name: str
    a: float
    b: float
    diff: float
    se: float
    z: float


@result
class StatisticsComparison(Result):
    """:class:`StatisticDifference` per statistic, keyed by name."""

    differences: dict[str, StatisticDifference]

    def __getitem__(self, name: str) -> StatisticDifference:
        return self.differences[name]

    def items(self):
        return self.differences.items()


@lr_keyword
def mp_chain_statistics(ms: Multiscale, lr, x0s, steps: int, burn: int = 0,
                        dps: int = 30) -> ChainStatistics:
    """Per-chain time averages of x, x² and log|φ′(x)| over ``steps`` iterates after
    ``burn``, for the 1-D GD map iterated in mpmath at ``dps`` digits
    (:func:`lrtheory.gd.run_gd`, backend mpmath: the moments average the states
    x_{burn+1}, …, x_{burn+steps}, the exponent log|φ′| at x_burn, …, x_{burn+steps−1})."""
    x0 = [[float(x)] for x in x0s]
    run = run_gd(ms.objective, x0, float(lr), steps, Record(every=1, lyapunov=True),
                 transient=burn, backend="mpmath", dps=dps)
    with precision(dps):  # the last ``steps`` states of each trajectory: x_{burn+1}, …
        mean = [float(sum(x[0] for x in t[-steps:]) / steps) for t in run.trajectory]
        second = [float(sum(x[0] * x[0] for x in t[-steps:]) / steps) for t in run.trajectory]
    return ChainStatistics(np.array(mean), np.array(second),
                           np.array([float(e[0]) for e in run.exponents]), int(steps),
                           int(burn), int(dps))


@lr_keyword
def float64_chain_statistics(ms: Multiscale, lr, x0s, steps: int,
                             burn: int = 0) -> ChainStatistics:
    """The same per-chain averages as :func:`mp_chain_statistics` in float64."""
    run = run_chains(ms.objective, lr, np.asarray(x0s, dtype=float).reshape(-1, 1), steps,
                     burn=burn, tail=0)
    return ChainStatistics(run.sum_x[:, 0] / run.samples, run.sum_xx[:, 0, 0] / run.samples,
                           run.sum_log / run.samples, int(steps), int(burn))


def compare_statistics(a, b) -> StatisticsComparison:
    """For each statistic of ``a`` (a :class:`ChainStatistics` or a dict name → per-chain
    array): the difference of the chain averages of ``a`` and ``b``, its standard error
    (independent chains: SE² = var_a/n_a + var_b/n_b) and |difference|/SE (a z-score)."""
    a, b = (s.as_dict() if isinstance(s, ChainStatistics) else s for s in (a, b))
    out = {}
    for key in a:
        x, y = np.asarray(a[key]), np.asarray(b[key])
        diff = float(x.mean() - y.mean())
        se = float(np.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size))
        out[key] = StatisticDifference(
            key, float(x.mean()), float(y.mean()), diff, se,
            abs(diff) / se if se > 0 else (0.0 if diff == 0 else float("inf")))
    return StatisticsComparison(out)
