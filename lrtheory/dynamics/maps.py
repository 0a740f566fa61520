"""Float evaluators of the GD map for long loops (they live in :mod:`lrtheory.gd.maps`).

numpy's per-call overhead dominates when one orbit is iterated for 10^5–10^6 steps; a
``math``-module lambdify of G_h(x) = x − h∇f(x) and its Jacobian I − h∇²f(x) costs about a
microsecond per step instead.
"""
from __future__ import annotations

from ..gd.maps import numpy_gd_map, python_gd_map

__all__ = ["numpy_gd_map", "python_gd_map"]
