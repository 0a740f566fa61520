"""Basins of attraction: the fate of every start of a grid, named.

:func:`label_basins` adds the data variable ``basin`` to a sweep of ``record="limit"``:
each start is labelled by

* the **minimizer or minimizer set** its run converged to — converged limits ℓ are grouped
  into sets: first by the loss f(ℓ) (a connected set of critical points has one loss
  value; values within ``ftol``·(1 + |f|) are one level), then within a level by single
  linkage at distance ``join`` (cells of side ``join`` that touch, diagonals included —
  faces only beyond four variables — are one set; default 5 % of the largest side of
  the start box).  A set is a
  *minimizer* set when ∇²f(ℓ) has no eigenvalue below −``ftol``·(1 + |λ|) at its points,
  else a *critical* set (a saddle or maximum reached from a thin set of starts, e.g. the
  local maximum itself);
* ``periodic_p`` — converged to a periodic orbit of minimal period p ≥ 2;
* ``aperiodic`` — bounded without a period ≤ max_period (chaotic or quasi-periodic);
* ``divergent``.

The codes are numbered in that order (minimizer sets sorted by loss, then by their
lexicographically smallest point) and described in the variable's attributes: CF flags
(``flag_values``, ``flag_meanings``) and ``flag_descriptions`` (JSON: code, name, kind,
loss, representative point, extent).  :func:`basin_map` runs the sweep and labels it.
"""
from __future__ import annotations

import json

import numpy as np

from ..errors import InputError

__all__ = ["label_basins", "basin_map", "basin_legend", "attractor_sets",
           "labelling_bytes"]

#: Relative tolerance of "same loss" and of "no negative Hessian eigenvalue".
FTOL = 1e-6


def attractor_sets(points: np.ndarray, losses: np.ndarray, join: float,
                   ftol: float = FTOL) -> np.ndarray:
    """Set number of each row of ``points`` (m, n): same loss level (see the module
    docstring) and connected by chains of touching cells of side ``join``.  Numbers are
    in order of (loss level, lexicographically smallest cell)."""
    m = len(points)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    level = loss_levels(losses, ftol)
    cells = np.floor(points / join).astype(np.int64)
    keys = np.concatenate([level[:, None], cells], axis=1)
    del cells, level
    uniq, inverse = _unique_rows(keys)
    del keys
    parent = list(range(len(uniq)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a
    index = {tuple(k): i for i, k in enumerate(uniq.tolist())}
    n = points.shape[1]
    if n <= 4:  # touching cells, diagonals included
        offsets = np.array(np.meshgrid(*[[-1, 0, 1]] * n, indexing="ij")).reshape(n, -1).T
    else:  # 3^n neighbours are too many: cells sharing a face
        offsets = np.concatenate([np.eye(n, dtype=np.int64), -np.eye(n, dtype=np.int64)])
    for i, k in enumerate(uniq.tolist()):
        for off in offsets:
            j = index.get((k[0], *[c + o for c, o in zip(k[1:], off)]))
            if j is not None:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    roots = np.array([find(i) for i in range(len(uniq))])
    _, number = np.unique(roots, return_inverse=True)  # roots are the smallest cells
    return number.reshape(-1)[inverse.reshape(-1)]


def loss_levels(losses: np.ndarray, ftol: float = FTOL) -> np.ndarray:
    """The level of each loss value: the values sorted, a new level starts where
    consecutive values differ by more than ``ftol``·(1 + |f|); levels numbered from the
    lowest.  A value's level is the number of level starts ≤ it, minus one (a binary
    search among the starts: one sort of the values, no permutation of the points)."""
    f = np.sort(losses)
    breaks = np.flatnonzero(np.diff(f) > ftol * (1 + np.abs(f[1:])))
    starts = f[np.concatenate([[0], breaks + 1])]
    return np.searchsorted(starts, losses, side="right") - 1


#: Integer rows whose key space (the product of their ranges) is at most this many times
#: their number (plus a constant) are made unique by marking the keys present, not by
#: sorting.
DENSE_KEYS = 2


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, axis=0, return_inverse=True)`` of integer rows: through one int64
    per row (mixed radix over the rows' ranges, which keeps their lexicographic order)
    when that fits — the keys present marked in a table when the key space is small
    (:data:`DENSE_KEYS`; no sort at all), else a sort of numbers, not of byte strings
    (13× faster at 10⁶ rows)."""
    lo = keys.min(axis=0)
    span = keys.max(axis=0) - lo + 1
    total = np.prod([float(s) for s in span])
    if total >= 2.0**62:
        return np.unique(keys, axis=0, return_inverse=True)
    dims = tuple(int(s) for s in span)
    flat = np.ravel_multi_index(tuple((keys - lo).T), dims)  # keys − lo: 8 bytes a number
    if total <= DENSE_KEYS * len(keys) + 4096:
        present = np.zeros(int(total), dtype=bool)
        present[flat] = True
        uflat = np.flatnonzero(present)
        rank = np.zeros(int(total), dtype=np.int64)
        rank[uflat] = np.arange(len(uflat))
        inverse = rank[flat]
    else:
        uflat, inverse = np.unique(flat, return_inverse=True)
    return np.stack(np.unravel_index(uflat, dims), axis=1) + lo, inverse


def smallest_eigenvalues(Hs: np.ndarray) -> np.ndarray:
    """λ_min of each symmetric matrix of ``Hs`` (m, n, n): for n = 2 the closed form
    (a + c)/2 − hypot((a − c)/2, b) of [[a, b], [b, c]] (a sum, a difference and a hypot
    per matrix), for n = 1 the entry, else LAPACK's ``eigvalsh``."""
    n = Hs.shape[-1]
    if n == 1:
        return Hs[:, 0, 0].copy()
    if n == 2:
        a, b, c = Hs[:, 0, 0], Hs[:, 0, 1], Hs[:, 1, 1]
        return (a + c) / 2 - np.hypot((a - c) / 2, b)
    return np.linalg.eigvalsh(Hs)[:, 0]


#: Points evaluated at a time for their loss and Hessian (bounds the temporaries).
POINT_BLOCK = 2**20


def loss_and_curvature(obj, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and λ_min(∇²f) at the rows of P (m, n), :data:`POINT_BLOCK` rows at a time."""
    loss, eig = np.empty(len(P)), np.empty(len(P))
    with np.errstate(all="ignore"):
        for a in range(0, len(P), POINT_BLOCK):
            Q = P[a:a + POINT_BLOCK]
            loss[a:a + len(Q)] = np.asarray(obj.numpy.value(Q), dtype=float).reshape(-1)
            eig[a:a + len(Q)] = smallest_eigenvalues(obj.numpy.hess(Q))
    return loss, eig


def _describe(kind: str, pts: np.ndarray, loss: float, names: tuple) -> dict:
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    rep = _lexmin(pts)
    where = ", ".join(f"{v}={c:.4g}" for v, c in zip(names, pts.mean(axis=0)))
    point = bool(np.all(hi - lo <= 1e-6 * (1 + np.abs(hi))))
    text = f"{kind} at {where}" if point else \
        f"{kind} set through " + ", ".join(f"{v}={c:.4g}" for v, c in zip(names, rep)) + \
        " (" + ", ".join(f"{v} in [{a:.3g}, {b:.3g}]" for v, a, b in zip(names, lo, hi)) + ")"
    return {"kind": kind, "loss": float(loss), "point": [float(c) for c in rep],
            "extent": [[float(a), float(b)] for a, b in zip(lo, hi)],
            "description": f"{text}, f = {loss:.6g}"}


def _lexmin(pts: np.ndarray) -> np.ndarray:
    """The lexicographically smallest row of ``pts`` (finite), the first of equal ones — the
    row ``np.lexsort`` puts first, by one pass per coordinate instead of a sort."""
    idx = np.arange(len(pts))
    for k in range(pts.shape[1]):
        col = pts[idx, k]
        idx = idx[col == col.min()]
        if len(idx) == 1:
            break
    return pts[idx[0]]


def label_basins(ds, objective=None, join: float | None = None, ftol: float = FTOL):
    """``ds`` (a sweep of ``record="limit"`` or ``"sharpness"``/``"lyapunov"``) with the data
    variable ``basin`` (see the module docstring).  ``objective`` defaults to the sweep's
    own (parameters swept: one labelling per parameter value is not supported)."""
    from .spec import Sweep
    sweep = Sweep.from_json(json.loads(ds.attrs["sweep"]))
    if sweep.params:
        raise InputError("basins of a sweep over parameters: label each parameter value "
                         "on its own (select it first)")
    names = tuple(sweep.variables)
    if any(f"limit_{v}" not in ds for v in names):
        raise InputError("basins need the limits of the runs: a sweep with record 'limit'")
    obj = objective or sweep.objective(0)
    label = ds["label"].values
    flat = label.reshape(-1)
    period = ds["period"].values.reshape(-1)
    conv = np.flatnonzero(flat == 0)
    P = np.stack([ds[f"limit_{v}"].values.reshape(-1)[conv] for v in names], axis=-1)
    loss, eig = loss_and_curvature(obj, P)
    if join is None:
        span = max((hi - lo for lo, hi in sweep.box), default=1.0) if sweep.box else \
            float(np.ptp(np.asarray(sweep.points), axis=0).max() or 1.0)
        join = 0.05 * span
    sets = attractor_sets(P, loss, float(join), ftol)
    groups = []
    for s in range(sets.max() + 1 if len(sets) else 0):
        rows = sets == s
        minimizer = bool(np.all(eig[rows] >= -ftol * (1 + np.abs(eig[rows]))))
        info = _describe("minimizer" if minimizer else "critical point", P[rows],
                         float(np.median(loss[rows])), names)
        groups.append((not minimizer, info["loss"], info["point"], s, info))
    groups.sort(key=lambda g: g[:3])
    basin = np.full(flat.shape, -1, dtype=np.int16)
    table, counts = [], {"minimizer": 0, "critical point": 0}
    code_of_set = np.empty(len(groups), dtype=np.int16)
    for code, (_, _, _, s, info) in enumerate(groups):
        counts[info["kind"]] += 1
        tag = "minimizer" if info["kind"] == "minimizer" else "critical"
        table.append({"code": code, "name": f"{tag}_{counts[info['kind']]}", **info})
        code_of_set[s] = code
    basin[conv] = code_of_set[sets]
    for p in sorted(set(period[flat == 1].tolist())):
        code = len(table)
        table.append({"code": code, "name": f"periodic_{p}", "kind": "periodic",
                      "period": int(p), "description": f"periodic orbit of period {p}"})
        basin[(flat == 1) & (period == p)] = code
    for lab, kind, text in ((2, "aperiodic", "aperiodic (chaotic or quasi-periodic)"),
                            (3, "divergent", "divergent")):
        if np.any(flat == lab):
            table.append({"code": len(table), "name": kind, "kind": kind,
                          "description": text})
            basin[flat == lab] = len(table) - 1
    attrs = {"long_name": "basin: the attractor each start's run reached",
             "flag_values": np.arange(len(table), dtype=np.int16),
             "flag_meanings": " ".join(t["name"] for t in table),
             "flag_descriptions": json.dumps(table), "join": float(join), "ftol": ftol}
    out = ds.copy()
    out["basin"] = (ds["label"].dims, basin.reshape(label.shape), attrs)
    return out


def labelling_bytes(cells: int, n: int) -> int:
    """The memory :func:`label_basins` holds at once for ``cells`` starts of n variables,
    (32n + 64) bytes a start: the dataset (5 + 8n), the converged limits (8n), their
    losses and smallest Hessian eigenvalues (16), their cell keys before and after the
    shift to the origin (16n + 16), the key numbers and set numbers (16), with room for
    the masks and the basin codes."""
    return int(cells) * (32 * int(n) + 64)


def check_labelling(sweep) -> None:
    """:class:`InputError` when labelling the basins of ``sweep`` would hold more than
    :data:`~lrtheory.limits.MAX_BASIN_BYTES` — checked before the sweep runs."""
    from .. import limits
    need = labelling_bytes(sweep.cells, sweep.dim)
    if need > limits.MAX_BASIN_BYTES:
        raise InputError(f"labelling the basins of {sweep.cells} starts of {sweep.dim} "
                         f"variables would take {need / 2**30:.3g} GiB, more than the limit "
                         f"of {limits.MAX_BASIN_BYTES / 2**30:g} GiB (MAX_BASIN_BYTES): use "
                         "fewer grid points")


def basin_legend(ds) -> list[dict]:
    """The descriptions of the codes of ``ds["basin"]`` (code, name, kind, description,
    …), each with ``count`` and ``fraction`` of the starts."""
    table = json.loads(ds["basin"].attrs["flag_descriptions"])
    values = ds["basin"].values.reshape(-1)
    for t in table:
        t["count"] = int(np.sum(values == t["code"]))
        t["fraction"] = t["count"] / len(values) if len(values) else 0.0
    return table


def basin_map(objective, variables=None, lr=1.0, box=(-2.0, 2.0), grid: int = 101, *,
              steps: int = 2000, tail: int = 64, max_period: int = 16, tol: float = 1e-9,
              blowup: float = 1e6, join: float | None = None, **run):
    """The basin of every start of the ``grid`` × … × ``grid`` box grid at learning rate
    ``lr``: a sweep with ``record="limit"`` (:func:`~lrtheory.sweeps.run_sweep`, keyword
    arguments ``run`` go there) labelled by :func:`label_basins`."""
    from .run import run_sweep
    from .spec import GDTask, Sweep
    if np.ndim(lr) != 0:
        raise InputError("basin_map takes one learning rate")
    sweep = Sweep.of(objective, variables, [float(lr)], box=box, grid=grid,
                     task=GDTask("limit", steps=steps, tail=tail, max_period=max_period,
                                 tol=tol, blowup=blowup))
    check_labelling(sweep)
    return run_sweep(sweep, postprocess=lambda ds: label_basins(ds, join=join), **run)
