"""Classify the long-run behaviour of GD trajectories (vectorized over many starts).

The classification itself is :func:`lrtheory.gd.classify_states` (one implementation for
every GD run in lrtheory): a tail is *diverged* when it left a ball of radius ``blowup`` or
overflowed to inf/nan, *converged* when its steps move less than ``tol`` (relative to
1 + max|x|), *periodic-p* when x_{k+p} ≈ x_k over the tail for the smallest such
p ≤ ``max_period``, and *aperiodic* otherwise (bounded, not periodic up to max_period:
chaotic or quasi-periodic; a Lyapunov exponent tells which).  Runs of
:func:`lrtheory.gd.run_gd` with ``Record(classify=True)`` carry the same labels (with
``divergent`` for ``diverged``).
"""
from __future__ import annotations

import numpy as np

from ..gd import classify_states, classify_tail_length

LABELS = ("converged", "periodic", "aperiodic", "diverged")


def classify_tail(traj: np.ndarray, tol: float = 1e-9, max_period: int = 16,
                  blowup: float = 1e6, tail: int | None = None) -> list[dict]:
    """Classify trajectories of shape (steps + 1, m, n) (or (steps + 1, n) for one start)
    over their last ``tail`` states (default :func:`lrtheory.gd.classify_tail_length`).

    Returns one dict per start: ``{"label", "period", "limit"}`` where ``period`` is the
    detected minimal period (1 for converged, None otherwise) and ``limit`` the last point.
    """
    traj = np.asarray(traj, dtype=float)
    if traj.ndim == 2:
        traj = traj[:, None, :]
    T = traj[-(tail or classify_tail_length(traj.shape[0], max_period)):]
    labels, periods = classify_states(T, tol, max_period, blowup)
    out = []
    for j, (lab, p) in enumerate(zip(labels, periods)):
        if lab == "divergent":
            out.append({"label": "diverged", "period": None, "limit": None})
        else:
            out.append({"label": lab, "period": int(p) if p else None,
                        "limit": T[-1, j].tolist()})
    return out
