"""Orbit (bifurcation) diagrams of GD over a range of learning rates (BLOG-9, KT-2).

For each h in a grid and each start x_0, iterate G_h(x) = x − h∇f(x) for ``transient``
steps (one :func:`lrtheory.gd.run_gd` over all (h, x_0) pairs at once), then record the
next ``keep`` iterates of one coordinate: a fixed point shows one dot per h, a period-p orbit p dots,
a chaotic attractor a band.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..aliases import renamed
from ..errors import InputError
from ..gd import ItemAccess, Record, run_gd
from ..objectives import Objective
from ..plotting.dynamics import plot_orbit_diagram  # noqa: F401 (its former home)
from ..results import Result, result


@result
class OrbitDiagram(ItemAccess, Result):
    """Long-run iterates of one coordinate over a grid of learning rates (read fields as
    attributes or ``d["name"]``).

    h : (K,) learning rates
    values : (K, m·keep) the ``keep`` iterates after the transient of each of the m starts
        (start-major), nan after an orbit left the ball of radius ``blowup``
    coord, transient, keep, blowup : what was recorded
    """

    h: Any
    values: Any
    coord: int = 0
    transient: int = 0
    keep: int = 0
    blowup: float = 1e6

    _repr_skip = ("values",)


@renamed(h_values="lr_values")
def orbit_diagram(obj: Objective, lr_values, x0s, transient: int = 2000, keep: int = 200,
                  coord: int = 0, blowup: float = 1e6) -> OrbitDiagram:
    """Long-run iterates of coordinate ``coord`` for every h in ``lr_values`` and start in
    ``x0s`` (shape (m, n)): one :func:`lrtheory.gd.run_gd` over the grid of (h, start)
    pairs.  Returns an :class:`OrbitDiagram` with ``h`` (K,) and ``values`` (K, m·keep),
    nan where the orbit left the ball of radius ``blowup``."""
    hs = np.asarray(lr_values, dtype=float)
    if np.any(hs <= 0) or not np.all(np.isfinite(hs)):
        raise InputError("learning rates must be positive and finite")
    X0 = np.atleast_2d(np.asarray(x0s, dtype=float))
    if X0.shape[1] != obj.dim:
        raise InputError(f"starts have {X0.shape[1]} coordinates, objective has {obj.dim}")
    if not 0 <= coord < obj.dim:
        raise InputError(f"coord must be in 0..{obj.dim - 1}")
    run = run_gd(obj, X0, hs[:, None], int(keep), Record(last=False, tail=int(keep),
                                                         coords=(coord,)),
                 transient=int(transient), blowup=blowup)
    vals = np.transpose(run.tail[..., 0], (1, 2, 0)).reshape(len(hs), -1)
    return OrbitDiagram(h=hs, values=vals, coord=int(coord), transient=int(transient),
                        keep=int(keep), blowup=float(blowup))
