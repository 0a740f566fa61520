"""Long-run classification of GD runs from the last states (vectorized over runs).

Given the tail s_{N−L+1}, …, s_N of each run, a run is

* ``divergent`` — some tail state is not finite or has max|s_i| > ``blowup``;
* ``converged`` — |s_{t+1} − s_t| ≤ tol·scale over the whole tail (period 1);
* ``periodic`` — the smallest p ≤ ``max_period`` (p < L) with |s_{t+p} − s_t| ≤ tol·scale
  over the tail, p ≥ 2;
* ``aperiodic`` — bounded and no such p (chaotic or quasi-periodic: a Lyapunov exponent
  tells which);

with |·| the max-norm and scale = 1 + max_t max_i |s_{t,i}|.  The same test with the
step gaps only (p = 1) decides when a batch of runs has settled (:func:`settled`).

Two layouts of the tails: (L, m, n) — time, run, coordinate — for :func:`classify_states`
and :func:`settled`, and (L, n, m) — coordinates before runs, the layout of the GD
kernel's ring buffer — for :func:`classify_ring` and :func:`settled_ring`, where every
difference s_{t+p} − s_t is a contiguous row over the runs.  Both work on float arrays
and on object arrays of mpmath numbers or fractions.  Large float tails are classified
by a compiled loop (numba, when enabled) that takes the runs in blocks and stops trying
periods once every run of its block has one; it does the same comparisons on the same
numbers, so the labels do not depend on which loop ran.
"""
from __future__ import annotations

import numpy as np

__all__ = ["LABELS", "classify_states", "settled", "classify_ring", "settled_ring"]

#: The labels of :func:`classify_states`, in order of their codes.
LABELS = ("converged", "periodic", "aperiodic", "divergent")
#: Float tails of at least this many numbers are classified by the compiled loop (below,
#: the numpy one: compiling it takes about a second).
COMPILED_SIZE = 2**20


def _finite(T: np.ndarray) -> np.ndarray:
    if T.dtype != object:
        return np.isfinite(T)
    import mpmath
    return np.vectorize(lambda v: bool(mpmath.isfinite(v)) if isinstance(v, mpmath.mpf)
                        else v == v, otypes=[bool])(T)


def _bounded_scale(R: np.ndarray, blowup: float):
    """(ok, scale) of tails R (L, n, m): runs whose tail is finite and inside the
    blow-up ball, and 1 + max|s|."""
    fin = _finite(R)
    ok = np.all(fin, axis=(0, 1))
    zero = np.zeros((), dtype=R.dtype)
    A = np.abs(np.where(fin, R, zero))
    top = np.max(A, axis=(0, 1)) if A.size else np.zeros(R.shape[2])
    if R.dtype == object:
        ok &= np.array([float(v) <= blowup for v in top], dtype=bool)
    else:
        ok &= top <= blowup
    return ok, 1 + top


def run_labels(periods: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """The :data:`LABELS` string of each run from its period and bounded flag."""
    labels = np.full(len(periods), "aperiodic", dtype=object)
    labels[periods == 1] = "converged"
    labels[periods > 1] = "periodic"
    labels[~ok] = "divergent"
    return labels


def classify_ring(R, tol: float = 1e-9, max_period: int = 16,
                  blowup: float = float("inf"), order=None) -> tuple[np.ndarray, np.ndarray]:
    """Labels and periods of runs from their tails ``R`` of shape (L, n, m) — or, with
    ``order`` (the time order of the slots of a ring buffer R), from ``R[order]``.

    Returns ``(labels, periods)``: an object array of :data:`LABELS` strings and an int
    array with the minimal period (1 for converged, p for periodic, 0 otherwise)."""
    R = np.asarray(R)
    order = np.arange(R.shape[0]) if order is None else np.asarray(order, dtype=np.int64)
    L, m = len(order), R.shape[2]
    P = min(max_period, L - 1)
    if R.dtype != object and L * R.shape[1] * m >= COMPILED_SIZE and L > 0:
        fn = _compiled()
        if fn is not None:
            periods, ok = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.bool_)
            fn(np.ascontiguousarray(R, dtype=np.float64), order, float(tol), int(P),
               float(blowup), periods, ok)
            return run_labels(periods, ok), periods
    if not np.array_equal(order, np.arange(R.shape[0])):
        R = R[order]
    periods = np.zeros(m, dtype=np.int64)
    with np.errstate(all="ignore"):
        ok, scale = _bounded_scale(R, blowup)
        bound = tol * scale
        for p in range(1, P + 1):
            gap = np.max(np.abs(R[p:] - R[:-p]), axis=(0, 1))
            hit = (gap <= bound) & (periods == 0) & ok
            periods[hit] = p
    periods[~ok] = 0
    return run_labels(periods, ok), periods


def classify_states(T, tol: float = 1e-9, max_period: int = 16,
                    blowup: float = float("inf")) -> tuple[np.ndarray, np.ndarray]:
    """Labels and periods of runs from their tails ``T`` (shape (L, m, n)); see
    :func:`classify_ring`."""
    return classify_ring(np.moveaxis(np.asarray(T), 2, 1), tol, max_period, blowup)


def settled_ring(R, tol: float, blowup: float = float("inf"), order=None) -> np.ndarray:
    """Per run: divergent, or every step of the tail ``R`` (L, n, m) (``R[order]``) moved
    by at most tol·(1 + max|s|) — the classification with periods up to 1."""
    labels, periods = classify_ring(R, tol, 1, blowup, order)
    return (periods == 1) | (labels == "divergent")


def settled(T, tol: float, blowup: float = float("inf")) -> np.ndarray:
    """Per run: divergent, or every step of the tail ``T`` (L, m, n) moved by at most
    tol·(1 + max|s|)."""
    return settled_ring(np.moveaxis(np.asarray(T), 2, 1), tol, blowup)


_COMPILED: dict = {}


def compiled_runs():
    """The compiled ``classify_runs(R, c0, order, tol, P, blowup, periods, ok, j0, m)``
    (None without numba): runs j0, …, j0 + m − 1, whose tails are the columns c0, …,
    c0 + m − 1 of R (L', n, ·) at the slots ``order``, get their period (periods ≤ P
    tried) and bounded flag.  The GD kernel calls it on each block of starts while the
    block's tails are in cache."""
    from .kernel import numba_enabled
    if not numba_enabled():
        return None
    if not _COMPILED:
        _COMPILED["runs"] = _build()
    return _COMPILED["runs"]


def _compiled():
    """The compiled classifier ``fn(R, order, tol, P, blowup, periods, ok)`` of all runs
    (None without numba)."""
    runs = compiled_runs()
    if runs is None:
        return None
    if "all" not in _COMPILED:
        import numba

        @numba.njit(nogil=True, error_model="numpy")
        def classify(R, order, tol, P, blowup, periods, ok):
            runs(R, 0, order, tol, P, blowup, periods, ok, 0, R.shape[2])
        _COMPILED["all"] = classify
    return _COMPILED["all"]


def _build():
    import math

    import numba

    @numba.njit(nogil=True, error_model="numpy")
    def classify_runs(R, c0, order, tol, P, blowup, periods, ok, j0, m):
        """Blocks of 64 runs: their tails copied in time order into W (L, n, 64) — 64 KiB
        at L = 64, n = 2: cache-resident, rows contiguous over the runs — with the finite
        test and the scale, then for p = 1, 2, … the largest gap |s_{t+p} − s_t| of each
        run, a row at a time, until every bounded run of the block has its period."""
        L, n = len(order), R.shape[1]
        B = 64
        W = np.empty((L, n, B))
        top, gap, bad = np.empty(B), np.empty(B), np.empty(B)
        for k0 in range(0, m, B):
            nb = min(B, m - k0)
            for b in range(nb):
                top[b], bad[b] = 0.0, 0.0
            for t in range(L):
                for i in range(n):
                    for b in range(nb):
                        v = R[order[t], i, c0 + k0 + b]
                        W[t, i, b] = v
                        f = math.isfinite(v)
                        a = abs(v) if f else 0.0
                        top[b] = a if a > top[b] else top[b]
                        bad[b] += 0.0 if f else 1.0
            left = 0
            for b in range(nb):
                j = j0 + k0 + b
                ok[j] = bad[b] == 0.0 and top[b] <= blowup
                periods[j] = 0
                left += ok[j]
            for p in range(1, P + 1):
                if left == 0:
                    break
                for b in range(nb):
                    gap[b] = 0.0
                for t in range(L - p):
                    for i in range(n):
                        for b in range(nb):
                            d = abs(W[t + p, i, b] - W[t, i, b])
                            gap[b] = d if d > gap[b] else gap[b]
                for b in range(nb):
                    j = j0 + k0 + b
                    if ok[j] and periods[j] == 0 and gap[b] <= tol * (1 + top[b]):
                        periods[j] = p
                        left -= 1
    return classify_runs
