"""Classify the long-run behaviour of GD trajectories (vectorized over many starts).

A trajectory's tail is *diverged* when it left a ball of radius ``blowup`` or overflowed to
inf/nan, *converged* when its last steps move less than ``tol``, *periodic-p* when
x_{k+p} ≈ x_k over the tail for the smallest such p ≤ ``max_period``, and *aperiodic*
otherwise (bounded, not periodic up to max_period: chaotic or quasi-periodic; a Lyapunov
exponent tells which).
"""
from __future__ import annotations

import numpy as np

LABELS = ("converged", "periodic", "aperiodic", "diverged")


def classify_tail(traj: np.ndarray, tol: float = 1e-9, max_period: int = 16,
                  blowup: float = 1e6, tail: int | None = None) -> list[dict]:
    """Classify trajectories of shape (steps + 1, m, n) (or (steps + 1, n) for one start).

    Returns one dict per start: ``{"label", "period", "limit"}`` where ``period`` is the
    detected minimal period (1 for converged, None otherwise) and ``limit`` the last point.
    """
    traj = np.asarray(traj, dtype=float)
    if traj.ndim == 2:
        traj = traj[:, None, :]
    steps = traj.shape[0]
    tail = tail or max(2 * max_period + 2, min(steps // 4, 512))
    T = traj[-tail:]
    out = []
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(T), axis=(0, 2))
        big = np.nanmax(np.abs(np.where(np.isfinite(T), T, np.inf)), axis=(0, 2)) > blowup
        scale = 1.0 + np.max(np.abs(np.where(np.isfinite(T), T, 0.0)), axis=(0, 2))
        periods = np.full(T.shape[1], -1)
        for p in range(1, max_period + 1):
            if p >= tail:
                break
            gap = np.max(np.abs(T[p:] - T[:-p]), axis=(0, 2))
            hit = (gap <= tol * scale) & (periods < 0)
            periods[hit] = p
    for j in range(T.shape[1]):
        if not finite[j] or big[j]:
            out.append({"label": "diverged", "period": None, "limit": None})
        elif periods[j] == 1:
            out.append({"label": "converged", "period": 1, "limit": T[-1, j].tolist()})
        elif periods[j] > 1:
            out.append({"label": "periodic", "period": int(periods[j]), "limit": T[-1, j].tolist()})
        else:
            out.append({"label": "aperiodic", "period": None, "limit": T[-1, j].tolist()})
    return out
