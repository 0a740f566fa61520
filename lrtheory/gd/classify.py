"""Long-run classification of GD runs from the last states (vectorized over runs).

Given the tail s_{N−L+1}, …, s_N of each run (an array of shape (L, m, n)), a run is

* ``divergent`` — some tail state is not finite or has max|s_i| > ``blowup``;
* ``converged`` — |s_{t+1} − s_t| ≤ tol·scale over the whole tail (period 1);
* ``periodic`` — the smallest p ≤ ``max_period`` (p < L) with |s_{t+p} − s_t| ≤ tol·scale
  over the tail, p ≥ 2;
* ``aperiodic`` — bounded and no such p (chaotic or quasi-periodic: a Lyapunov exponent
  tells which);

with |·| the max-norm and scale = 1 + max_t max_i |s_{t,i}|.  The same test with the
step gaps only (p = 1) decides when a batch of runs has settled (:func:`settled`).
Works on float arrays and on object arrays of mpmath numbers or fractions.
"""
from __future__ import annotations

import numpy as np

__all__ = ["LABELS", "classify_states", "settled"]

#: The labels of :func:`classify_states`, in order of their codes.
LABELS = ("converged", "periodic", "aperiodic", "divergent")


def _finite(T: np.ndarray) -> np.ndarray:
    if T.dtype != object:
        return np.isfinite(T)
    import mpmath
    return np.vectorize(lambda v: bool(mpmath.isfinite(v)) if isinstance(v, mpmath.mpf)
                        else v == v, otypes=[bool])(T)


def _bounded_scale(T: np.ndarray, blowup: float):
    """(ok, scale): runs whose tail is finite and inside the blow-up ball, and 1 + max|s|."""
    fin = _finite(T)
    ok = np.all(fin, axis=(0, 2))
    zero = np.zeros((), dtype=T.dtype)
    A = np.abs(np.where(fin, T, zero))
    top = np.max(A, axis=(0, 2)) if A.size else np.zeros(T.shape[1])
    if T.dtype == object:
        ok &= np.array([float(v) <= blowup for v in top], dtype=bool)
    else:
        ok &= top <= blowup
    return ok, 1 + top


def classify_states(T, tol: float = 1e-9, max_period: int = 16,
                    blowup: float = float("inf")) -> tuple[np.ndarray, np.ndarray]:
    """Labels and periods of runs from their tails ``T`` (shape (L, m, n)).

    Returns ``(labels, periods)``: an object array of :data:`LABELS` strings and an int
    array with the minimal period (1 for converged, p for periodic, 0 otherwise)."""
    T = np.asarray(T)
    L, m = T.shape[0], T.shape[1]
    periods = np.zeros(m, dtype=int)
    with np.errstate(all="ignore"):
        ok, scale = _bounded_scale(T, blowup)
        for p in range(1, min(max_period, L - 1) + 1):
            gap = np.max(np.abs(T[p:] - T[:-p]), axis=(0, 2))
            hit = (gap <= tol * scale) & (periods == 0) & ok
            periods[hit] = p
    labels = np.full(m, "aperiodic", dtype=object)
    labels[periods == 1] = "converged"
    labels[periods > 1] = "periodic"
    labels[~ok] = "divergent"
    periods[~ok] = 0
    return labels, periods


def settled(T, tol: float, blowup: float = float("inf")) -> np.ndarray:
    """Per run: divergent, or every step of the tail ``T`` (L, m, n) moved by at most
    tol·(1 + max|s|)."""
    T = np.asarray(T)
    with np.errstate(all="ignore"):
        ok, scale = _bounded_scale(T, blowup)
        moves = np.max(np.abs(np.diff(T, axis=0)), axis=(0, 2))
        return ~ok | (moves <= tol * scale)
