"""Float evaluators of the GD map G_h(x) = x − h∇f(x) and its Jacobian DG_h = I − h∇²f.

* :func:`numpy_gd_map` — numpy functions of coordinate arrays (vectorized over runs, with
  h a number or an array of per-run rates): the float64 numpy engine of :mod:`lrtheory.gd`;
* :func:`python_gd_map` — ``math``-module functions of scalars (about a microsecond per
  step for one long orbit, where numpy's per-call overhead dominates).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

__all__ = ["numpy_gd_map", "python_gd_map", "gd_map_exprs"]


def gd_map_exprs(obj):
    """(G, DG, args): the n expressions of G_h, the n² entries of DG_h (row-major) and the
    argument symbols (x_1, …, x_n, h)."""
    hs = sp.Symbol("h_lr", positive=True)
    G = obj.gd_map_exprs(hs)
    J = [sp.diff(g, v) for g in G for v in obj.vars]
    return list(G), J, tuple(obj.vars) + (hs,)


@lru_cache(maxsize=32)
def python_gd_map(obj):
    """(G, DG): ``G(*x, h) -> tuple`` of the n coordinates of G_h(x) and
    ``DG(*x, h) -> tuple`` of the n² entries of DG_h(x) (row-major), as float functions."""
    G, J, args = gd_map_exprs(obj)
    return sp.lambdify(args, tuple(G), "math"), sp.lambdify(args, tuple(J), "math")


@lru_cache(maxsize=32)
def numpy_gd_map(obj):
    """(G, DG) as numpy functions of coordinate arrays: ``G(*coords, h)`` returns the n
    coordinate arrays of G_h, ``DG(*coords, h)`` the n² entries of DG_h (row-major),
    each broadcast to the shape of the coordinates."""
    G, J, args = gd_map_exprs(obj)
    g_raw = sp.lambdify(args, G, "numpy")
    j_raw = sp.lambdify(args, J, "numpy")

    def broadcast(raw):
        def fn(*a):
            shape = a[0].shape
            return [v if getattr(v, "shape", None) == shape else np.broadcast_to(v, shape)
                    for v in raw(*a)]
        return fn
    return broadcast(g_raw), broadcast(j_raw)
