"""Stationary law of the 1-D bounded-noise model by its transfer operator (KT-3, KT-4).

The model x' = m(x) + ηζ, m(x) = x − ηf₀′(x), ζ = −f₁′(U) iid (U uniform on a period), has
the Markov kernel K(x, ·) = law of m(x) + ηζ.  On a grid of ``bins`` cells of width Δ
covering [lo, hi] the kernel is discretized at the cell centres, with the law of ζ replaced
by its values at ``noise_points`` equally spaced U (midpoint rule in U); the stationary
vector π = πK is found by one sparse linear solve.  Mass that leaves [lo, hi] is returned
to the nearest end cell.  This gives the bounded-noise law without the mixing time a
simulation needs — e.g. well occupations at small η, where hops between wells are
exponentially rare.  Discretization error: O(Δ) in the law and O(1/noise_points) in ζ;
refine both to check.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp

from ..aliases import lr_keyword
from ..errors import InputError
from ..evaluators import compile_exprs
from ..results import Result, result
from .model import Multiscale


@result
class StationaryLaw(Result):
    """A stationary law on a grid of cells: cell ``edges`` (bins + 1,) and the cell
    ``probabilities`` (bins,), summing to 1."""

    edges: np.ndarray
    probabilities: np.ndarray

    @property
    def centers(self) -> np.ndarray:
        return (self.edges[1:] + self.edges[:-1]) / 2

    def mass_above(self, t: float) -> float:
        """Total probability of the cells whose centre lies above ``t``."""
        return float(self.probabilities[self.centers > t].sum())


@lr_keyword
def bounded_noise_stationary(ms: Multiscale, lr: float, lo: float, hi: float,
                             bins: int = 4000, noise_points: int = 2048,
                             chunk: int = 256) -> StationaryLaw:
    """The stationary law of the bounded-noise model (1-D) on ``bins`` cells of [lo, hi]."""
    if ms.dim != 1 or ms.periods is None:
        raise InputError("the transfer operator is implemented for 1-D periodic f1")
    if not (hi > lo and bins >= 10 and noise_points >= 16):
        raise InputError("need lo < hi, bins >= 10, noise_points >= 16")
    x = ms.vars[0]
    g0 = compile_exprs([sp.diff(ms.f0, x)], [x], "numpy")
    g1 = compile_exprs([sp.diff(ms.f1, x)], [x], "numpy")
    period = float(ms.periods[0])
    zeta = -g1((np.arange(noise_points) + 0.5) * period / noise_points)[0]
    edges = np.linspace(lo, hi, bins + 1)
    centers = (edges[1:] + edges[:-1]) / 2
    inv_w = bins / (hi - lo)
    m = centers - lr * g0(centers)[0]
    rows, cols, vals = [], [], []
    for start in range(0, bins, chunk):
        i = np.arange(start, min(start + chunk, bins))
        target = np.floor((m[i, None] + lr * zeta[None, :] - lo) * inv_w)
        target = np.clip(np.nan_to_num(target, nan=0.0), 0, bins - 1).astype(np.int64)
        key = np.unique((i[:, None] * bins + target).ravel(), return_counts=True)
        rows.append(key[0] // bins)
        cols.append(key[0] % bins)
        vals.append(key[1] / noise_points)
    r, c, v = np.concatenate(cols), np.concatenate(rows), np.concatenate(vals)  # Kᵀ
    diag = np.arange(bins)
    r, c, v = np.concatenate([r, diag]), np.concatenate([c, diag]), \
        np.concatenate([v, -np.ones(bins)])
    keep = r != bins - 1          # the last equation becomes the normalization Σπ = 1
    r = np.concatenate([r[keep], np.full(bins, bins - 1)])
    c = np.concatenate([c[keep], diag])
    v = np.concatenate([v[keep], np.ones(bins)])
    A = sps.csc_matrix((v, (r, c)), shape=(bins, bins))
    b = np.zeros(bins)
    b[-1] = 1.0
    pi = spla.spsolve(A, b)
    pi = np.clip(pi, 0, None)
    return StationaryLaw(edges, pi / pi.sum())
