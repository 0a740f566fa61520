"""Statistical limit of GD orbits: convergence of the invariant histogram (BLOG-9, KT-3).

For an orbit x_0, x_1, … the empirical measure μ_N = (1/N) Σ_{k<N} δ_{x_k} (after a
transient) converges to an invariant measure when the attractor has a statistical limit.
We histogram one coordinate and measure total-variation distances
TV(p, q) = ½ Σ_i |p_i − q_i| between starts and between run lengths.
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


@result
class HistogramConvergence(ItemAccess, Result):
    """Convergence of the empirical distribution of one coordinate of GD orbits (read
    fields as attributes or ``r["name"]``).

    lengths : run lengths N (increasing)
    hists : (L, m, bins) normalised histograms of the first N iterates of each start
    edges : (bins + 1,) bin edges
    tv_between : TV(start 0, start 1) per N
    tv_to_last : mean over starts of TV(μ_N, μ_{N_max}) per N
    escaped : fraction of iterates outside the histogram range
    """

    lengths: tuple
    hists: Any
    edges: Any
    tv_between: tuple
    tv_to_last: tuple
    escaped: float

    _repr_skip = ("hists", "edges")


def total_variation(p, q) -> float:
    """½ Σ |p_i − q_i| of two normalised histograms."""
    return 0.5 * float(np.sum(np.abs(np.asarray(p) - np.asarray(q))))


@lr_keyword
def histogram_convergence(obj: Objective, lr: float, x0s, lengths, bins: int = 40,
                          rng=(-1.0, 1.0), transient: int = 1000,
                          coord: int = 0) -> HistogramConvergence:
    """Normalised histograms of coordinate ``coord`` of GD orbits from each start in
    ``x0s`` over the first N steps (after ``transient``), for every N in ``lengths``
    (increasing), from one :func:`lrtheory.gd.run_gd` (an orbit that overflows leaves a
    nan tail, counted as escaped).  Returns a :class:`HistogramConvergence`."""
    check_lr(lr)
    lengths = sorted(int(n) for n in lengths)
    X = np.atleast_2d(np.asarray(x0s, dtype=float))
    if len(X) < 2:
        raise InputError("histogram_convergence needs at least two starts")
    if lengths[0] < 1:
        raise InputError("run lengths must be positive")
    lo, hi = rng
    edges = np.linspace(lo, hi, bins + 1)
    run = run_gd(obj, X, float(lr), lengths[-1], Record(last=False, every=1, coords=(coord,)),
                 transient=transient)
    vals = run.trajectory[:lengths[-1], :, 0]
    hists = np.array([[np.histogram(vals[:n, j], bins=edges)[0] / n for j in range(len(X))]
                      for n in lengths])
    outside = np.sum(~((vals >= lo) & (vals <= hi)))
    tv_between = tuple(total_variation(H[0], H[1]) for H in hists)
    tv_to_last = tuple(float(np.mean([total_variation(H[j], hists[-1][j])
                                      for j in range(len(H))])) for H in hists)
    return HistogramConvergence(lengths=tuple(lengths), hists=hists, edges=edges,
                                tv_between=tv_between, tv_to_last=tv_to_last,
                                escaped=float(outside / (len(X) * lengths[-1])))
