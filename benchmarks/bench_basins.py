"""Basin maps against a hand-written numba basins loop, and the 4096² map.

    python benchmarks/bench_basins.py              # ratios at grid 512, then the 4096² map
    python benchmarks/bench_basins.py --small      # grid 256, no 4096² map

* ``basins.sweep_vs_hand``: the labels, periods and limits of every start of a grid × grid
  box grid of [−2, 2]² for (1 − xy)²/2 at h = 1.9 (mixed: converged, periodic, aperiodic,
  divergent) and h = 0.5 (mostly converged), 2000 GD steps, blow-up radius 10⁶, the
  last 64 states classified with periods ≤ 16 — ``run_sweep`` of ``GDTask("limit")`` in
  this process (chunks, the kernel, the in-kernel classification, the xarray dataset)
  against :func:`hand_basins`, the loop one writes by hand for this job: blocks of 512
  starts stepped together (the step loop outside the block loop, so LLVM vectorizes
  across starts), the ball test, a ring of the block's last 64 states, then the same
  period test.  The outputs are compared (``same_numbers``: labels, periods and limits
  equal).  ``sweep_over_hand`` is the ratio of interleaved CPU-time medians.  Target:
  ≤ 1.5.  Also ``basin_map_s``: the whole :func:`~lrtheory.sweeps.basin_map` (with the
  attractor sets of :func:`~lrtheory.sweeps.label_basins`).
* ``basins.map_4096``: ``basin_map`` of the same objective at h = 0.5 on a 4096 × 4096
  grid with ``jobs=2`` (wall time; target < 60 s on 2 cores): the GD chunks on the two
  workers (``gd_seconds``), then assembling the dataset and labelling the attractor sets
  in this process (``assembly_and_labelling_seconds``, ``parent_cpu_s``,
  ``parent_max_rss_mib``) — against the anchor in the same run, the hand basins loop on
  two processes over the same starts (``anchor_hand_loop_seconds``, ``map_over_hand``,
  ``gd_over_hand``; ``same_label_counts``).

Every row carries the machine's load (``os.getloadavg()``) before and after: the machine
may be shared, which moves wall times (CPU-time ratios less so).
"""
from __future__ import annotations

import functools
import json
import math
import os
import sys
import time

import numpy as np
from bench_kernel import interleaved
from harness import Benchmark

from lrtheory.gd import numba_enabled
from lrtheory.sweeps import GDTask, Sweep, basin_legend, basin_map, run_sweep

OBJECTIVE, VARS, BOX = "(1 - x*y)**2/2", "x,y", (-2.0, 2.0)
STEPS, TAIL, MAX_PERIOD, TOL, BLOWUP = 2000, 64, 16, 1e-9, 1e6


def load() -> list:
    return [round(v, 2) for v in os.getloadavg()]


@functools.lru_cache(maxsize=1)
def _hand():
    import numba

    @numba.njit(error_model="numpy")
    def hand_basins(X, h, steps, tail, max_period, tol, blowup):
        """Labels (0 converged, 1 periodic, 2 aperiodic, 3 divergent), periods and last
        states of GD on (1 − xy)²/2 from the rows of X."""
        M, B = X.shape[0], 512
        last, label = np.empty((M, 2)), np.empty(M, dtype=np.int8)
        period = np.zeros(M, dtype=np.int64)
        xs, ys, ring = np.empty(B), np.empty(B), np.empty((tail, 2, B))
        for j0 in range(0, M, B):
            nb = min(B, M - j0)
            xs[:nb], ys[:nb] = X[j0:j0 + nb, 0], X[j0:j0 + nb, 1]
            for s in range(1, steps + 1):
                for b in range(nb):
                    x, y = xs[b], ys[b]
                    c = -x * y + 1
                    x, y = x - h * (-c * y), y - h * (-c * x)
                    if not ((abs(x) <= blowup) & (abs(y) <= blowup)):
                        x, y = math.nan, math.nan
                    xs[b], ys[b] = x, y
                if s > steps - tail:
                    ring[s % tail, 0, :nb], ring[s % tail, 1, :nb] = xs[:nb], ys[:nb]
            o = (steps + 1) % tail                # the oldest slot: time order o, o+1, …
            top, bad = np.zeros(B), np.zeros(B)
            for t in range(tail):
                for i in range(2):
                    for b in range(nb):
                        v = ring[t, i, b]
                        f = math.isfinite(v)
                        top[b] = max(top[b], abs(v) if f else 0.0)
                        bad[b] += 0.0 if f else 1.0
            for b in range(nb):
                j = j0 + b
                label[j] = 2 if bad[b] == 0.0 and top[b] <= blowup else 3
                f = math.isfinite(xs[b]) and math.isfinite(ys[b])
                last[j, 0], last[j, 1] = (xs[b], ys[b]) if f else (math.nan, math.nan)
            for p in range(1, max_period + 1):   # gaps as rows over the block
                gap = np.zeros(B)
                for t in range(tail - p):
                    u, w = (o + t + p) % tail, (o + t) % tail
                    for i in range(2):
                        for b in range(nb):
                            gap[b] = max(gap[b], abs(ring[u, i, b] - ring[w, i, b]))
                for b in range(nb):
                    j = j0 + b
                    if label[j] == 2 and gap[b] <= tol * (1 + top[b]):
                        period[j], label[j] = p, 0 if p == 1 else 1
        return label, period, last
    return hand_basins


def _sweep(grid: int, h: float) -> Sweep:
    return Sweep.of(OBJECTIVE, VARS, [h], box=BOX, grid=grid, engine="numba",
                    task=GDTask("limit", steps=STEPS, tail=TAIL, max_period=MAX_PERIOD,
                                tol=TOL, blowup=BLOWUP))


def _starts(grid: int) -> np.ndarray:
    """The sweep's starts, in its cell order (x outer, y inner)."""
    a = np.linspace(BOX[0], BOX[1], grid)
    return np.stack(np.meshgrid(a, a, indexing="ij"), axis=-1).reshape(-1, 2)


def sweep_vs_hand(grid: int = 512) -> dict:
    if not numba_enabled():
        return {"skipped": "numba not installed"}
    hand = _hand()
    X = _starts(grid)
    out = {"load_before": load()}
    for h in (1.9, 0.5):
        sweep = _sweep(grid, h)
        op = lambda: run_sweep(sweep)  # noqa: E731
        anchor = lambda: hand(X, h, STEPS, TAIL, MAX_PERIOD, TOL, BLOWUP)  # noqa: E731
        res = interleaved(op, anchor)
        res["sweep_over_hand"] = round(res["op_cpu_s"] / res["anchor_cpu_s"], 3)
        ds, (label, period, last) = op(), anchor()
        res["same_numbers"] = bool(
            np.array_equal(ds["label"].values.reshape(-1), label)
            and np.array_equal(ds["period"].values.reshape(-1), period)
            and np.array_equal(ds["limit_x"].values.reshape(-1), last[:, 0], equal_nan=True)
            and np.array_equal(ds["limit_y"].values.reshape(-1), last[:, 1], equal_nan=True))
        res["labels"] = {int(k): int(v) for k, v in zip(*np.unique(label, return_counts=True))}
        res["steps_per_second_sweep"] = round(grid * grid * STEPS / res["op_cpu_s"])
        t0 = time.process_time()
        basin_map(OBJECTIVE, VARS, h, BOX, grid, steps=STEPS, tail=TAIL)
        res["basin_map_cpu_s"] = round(time.process_time() - t0, 3)
        out[f"h={h}"] = res
    out["load_after"] = load()
    return out


def _hand_half(args) -> dict:
    """The hand basins loop on the rows a, …, b − 1 of the grid × grid starts, in a worker
    process (the starts made there); returns its arrays as the sweep's chunks do (label
    int8, period int32, the last states)."""
    grid, h, a, b = args
    axis = np.linspace(BOX[0], BOX[1], grid)
    i = np.arange(a, b)
    X = np.stack([axis[i // grid], axis[i % grid]], axis=1)
    label, period, last = _hand()(X, h, STEPS, TAIL, MAX_PERIOD, TOL, BLOWUP)
    return {"label": label, "period": period.astype(np.int32), "last": last}


def hand_map(grid: int, h: float, jobs: int = 2) -> dict:
    """The anchor of the 4096² map: :func:`hand_basins` on ``jobs`` processes, each on its
    share of the starts in pieces of 2²⁰ (compiled once per process), the arrays sent back
    and joined in order.  Returns the label counts and the wall time."""
    import concurrent.futures as cf
    M, piece = grid * grid, 2**20
    jobs_args = [(grid, h, a, min(M, a + piece)) for a in range(0, M, piece)]
    t0 = time.perf_counter()
    with cf.ProcessPoolExecutor(jobs) as pool:
        parts = list(pool.map(_hand_half, jobs_args))
    label = np.concatenate([p["label"] for p in parts])
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2),
            "labels": {int(k): int(v) for k, v in zip(*np.unique(label, return_counts=True))}}


def map_4096(grid: int = 4096, h: float = 0.5) -> dict:
    """The 4096² map with ``jobs=2``, and the anchor in the same run: the hand basins loop
    on two processes (:func:`hand_map`; it labels converged / periodic / aperiodic /
    divergent, without the attractor sets).  4096² = 16 777 216 cells is within
    MAX_SWEEP_CELLS (2²⁵) and the labelling's memory estimate within MAX_BASIN_BYTES."""
    import resource
    out = {"grid": grid, "steps": STEPS, "load_before": load()}
    anchor = hand_map(grid, h)
    out["anchor_hand_loop_seconds"] = anchor["seconds"]
    stats: dict = {}
    t0, c0 = time.perf_counter(), time.process_time()
    ds = basin_map(OBJECTIVE, VARS, h, BOX, grid, steps=STEPS, tail=TAIL, jobs=2,
                   stats=stats)
    out["seconds"] = round(time.perf_counter() - t0, 2)
    out["parent_cpu_s"] = round(time.process_time() - c0, 2)
    out["gd_seconds"] = round(stats["steps"] / stats["steps_per_second"], 2)
    out["assembly_and_labelling_seconds"] = round(out["seconds"] - out["gd_seconds"], 2)
    out["map_over_hand"] = round(out["seconds"] / anchor["seconds"], 3)
    out["gd_over_hand"] = round(out["gd_seconds"] / anchor["seconds"], 3)
    out["same_label_counts"] = anchor["labels"] == {
        int(k): int(v) for k, v in zip(*np.unique(ds["label"].values, return_counts=True))}
    out["steps_per_second"] = round(grid * grid * STEPS / out["seconds"])
    out["parent_max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["basins"] = [(t["name"], round(t["fraction"], 4)) for t in basin_legend(ds)][:6]
    out["load_after"] = load()
    out["target"] = "< 60 s on 2 cores"
    return out


def _extra(row, seconds):
    return row


BENCHMARKS = [
    Benchmark("basins.sweep_vs_hand", sweep_vs_hand, repeat=1,
              target="sweep_over_hand <= 1.5", extra=_extra),
    Benchmark("basins.map_4096", map_4096, repeat=1, target="< 60 s on 2 cores",
              extra=_extra),
]


def main(argv=None) -> int:
    small = "--small" in (sys.argv[1:] if argv is None else argv)
    print(json.dumps({"name": "basins.sweep_vs_hand", **sweep_vs_hand(256 if small else 512)}),
          flush=True)
    if not small:
        print(json.dumps({"name": "basins.map_4096", **map_4096()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
