"""Plain-Python float evaluators of the GD map for long scalar loops.

numpy's per-call overhead dominates when one orbit is iterated for 10^5–10^6 steps; a
``math``-module lambdify of G_h(x) = x − h∇f(x) and its Jacobian I − h∇²f(x) costs about a
microsecond per step instead.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from ..objectives import Objective


@lru_cache(maxsize=32)
def python_gd_map(obj: Objective):
    """(G, DG): ``G(*x, h) -> tuple`` of the n coordinates of G_h(x) and
    ``DG(*x, h) -> tuple`` of the n² entries of DG_h(x) (row-major), as float functions."""
    hs = sp.Symbol("h_lr", positive=True)
    G = obj.gd_map_exprs(hs)
    J = [sp.diff(g, v) for g in G for v in obj.vars]
    args = tuple(obj.vars) + (hs,)
    return sp.lambdify(args, tuple(G), "math"), sp.lambdify(args, tuple(J), "math")


@lru_cache(maxsize=32)
def numpy_gd_map(obj: Objective):
    """(G, DG) as numpy functions of coordinate arrays: ``G(*coords, h)`` returns the n
    coordinate arrays of G_h, ``DG(*coords, h)`` the n² entries of DG_h (row-major),
    each broadcast to the shape of the coordinates."""
    hs = sp.Symbol("h_lr", positive=True)
    G = obj.gd_map_exprs(hs)
    J = [sp.diff(g, v) for g in G for v in obj.vars]
    args = tuple(obj.vars) + (hs,)
    g_raw = sp.lambdify(args, list(G), "numpy")
    j_raw = sp.lambdify(args, J, "numpy")

    def broadcast(raw):
        def fn(*a):
            shape = a[0].shape
            return [v if getattr(v, "shape", None) == shape else np.broadcast_to(v, shape)
                    for v in raw(*a)]
        return fn
    return broadcast(g_raw), broadcast(j_raw)
