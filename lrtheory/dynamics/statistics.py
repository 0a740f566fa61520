"""Statistical limit of GD orbits: convergence of the invariant histogram (BLOG-9, KT-3).

For an orbit x_0, x_1, … the empirical measure μ_N = (1/N) Σ_{k<N} δ_{x_k} (after a
transient) converges to an invariant measure when the attractor has a statistical limit.
We histogram one coordinate and measure total-variation distances
TV(p, q) = ½ Σ_i |p_i − q_i| between starts and between run lengths.
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..objectives import Objective
from ..parsing import check_lr
from .maps import python_gd_map


def total_variation(p, q) -> float:
    """½ Σ |p_i − q_i| of two normalised histograms."""
    return 0.5 * float(np.sum(np.abs(np.asarray(p) - np.asarray(q))))


def histogram_convergence(obj: Objective, h: float, x0s, lengths, bins: int = 40,
                          rng=(-1.0, 1.0), transient: int = 1000, coord: int = 0) -> dict:
    """Normalised histograms of coordinate ``coord`` of GD orbits from each start in
    ``x0s`` over the first N steps (after ``transient``), for every N in ``lengths``
    (increasing).  Returns ``{"lengths", "hists": (L, m, bins), "tv_between": TV(start 0,
    start 1) per N, "tv_to_last": mean over starts of TV(μ_N, μ_{N_max}), "escaped":
    fraction of iterates outside ``rng``}``."""
    check_lr(h)
    lengths = sorted(int(n) for n in lengths)
    X = np.atleast_2d(np.asarray(x0s, dtype=float))
    if len(X) < 2:
        raise InputError("histogram_convergence needs at least two starts")
    lo, hi = rng
    edges = np.linspace(lo, hi, bins + 1)
    vals = np.full((lengths[-1], len(X)), np.nan)
    G, _ = python_gd_map(obj)
    for j, x0 in enumerate(X):
        x = tuple(float(c) for c in x0)
        try:
            for _ in range(transient):
                x = G(*x, h)
            for k in range(lengths[-1]):
                vals[k, j] = x[coord]
                x = G(*x, h)
        except (OverflowError, ValueError):  # the orbit left every bounded set: nan tail
            pass
    hists = [[np.histogram(vals[:n, j], bins=edges)[0] / n for j in range(len(X))]
             for n in lengths]
    outside = np.sum(~((vals >= lo) & (vals <= hi)))
    hists = np.array(hists)
    tv_between = [total_variation(H[0], H[1]) for H in hists]
    tv_to_last = [float(np.mean([total_variation(H[j], hists[-1][j]) for j in range(len(H))]))
                  for H in hists]
    return {"lengths": lengths, "hists": hists, "edges": edges, "tv_between": tv_between,
            "tv_to_last": tv_to_last, "escaped": outside / (len(X) * lengths[-1])}
