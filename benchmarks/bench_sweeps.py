"""Sweeps on one core, on two local processes and on a Dask cluster of two workers.

    python benchmarks/bench_sweeps.py            # the sizes of the issue
    python benchmarks/bench_sweeps.py --small    # a quick look (64 × 64 basins, 8 rates)

* ``sweeps.basins``: the basin map of (1 − xy)²/2 at h = 1.9 on a 512 × 512 grid of
  [−2, 2]² with 2000 GD steps per start (:func:`lrtheory.sweeps.basin_map`): serial,
  ``jobs=2`` and Dask (a LocalCluster of 2 single-thread worker processes, started and
  made to import lrtheory before the timing, as this process has; that start-up is
  reported apart).  Reported: seconds, GD steps/s
  (starts × steps / seconds), speed-up over serial, and whether the three datasets are
  identical bit for bit.
* ``sweeps.orbits``: the certified periodic orbits of period ≤ 3 of the same objective
  in [−2.5, 2.5]² at 64 learning rates in [1, 2] (:class:`lrtheory.sweeps.OrbitsTask`),
  the same three ways; learning rates per second.
* ``sweeps.verify``: ``lrtheory verify --quick`` of a fixed set of claims, serial and with
  ``--jobs 2`` (subprocesses; the documents compared without their timings).

Target (the issue): speed-up ≥ 1.7 on 2 cores.  Each configuration runs once.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from harness import Benchmark

from lrtheory.sweeps import OrbitsTask, Sweep, basin_map, run_sweep

OBJECTIVE, VARS = "(1 - x*y)**2/2", "x,y"
VERIFY_IDS = ("BLOG-3", "BLOG-4", "BLOG-5", "BLOG-7", "BLOG-8", "BLOG-9", "KT-1", "KT-2",
              "KT-5", "WCZT-3", "WCZT-4", "REG-1", "REG-2", "EOS-1", "EOS-2")


def _same(a, b) -> bool:
    return all(a[v].values.tobytes() == b[v].values.tobytes() if a[v].dtype != object
               else a[v].values.tolist() == b[v].values.tolist() for v in a.variables)


def _three_ways(run) -> dict:
    """Time ``run(**executor)`` serially, with jobs=2 and on a 2-worker LocalCluster."""
    import distributed
    out, results = {}, {}
    for name, kw in (("serial", {}), ("jobs2", {"jobs": 2})):
        t0 = time.perf_counter()
        results[name] = run(**kw)
        out[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.run(exec, "import lrtheory.sweeps")  # imported as in this process
        out["dask_cluster_start"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        results["dask2"] = run(dask=client)
        out["dask2"] = time.perf_counter() - t0
    out["identical"] = _same(results["jobs2"], results["serial"]) and \
        _same(results["dask2"], results["serial"])
    return out


def basins(grid: int = 512, steps: int = 2000) -> dict:
    times = _three_ways(lambda **kw: basin_map(OBJECTIVE, VARS, 1.9, (-2, 2), grid,
                                               steps=steps, **kw))
    work = grid * grid * steps
    row = {"name": f"sweeps.basins_{grid}x{grid}x{steps}", "target": "speed-up >= 1.7",
           "identical": times["identical"],
           "dask_cluster_start_s": round(times["dask_cluster_start"], 2)}
    for k in ("serial", "jobs2", "dask2"):
        row[f"{k}_s"] = round(times[k], 2)
        row[f"{k}_steps_per_s"] = round(work / times[k])
        row[f"{k}_speedup"] = round(times["serial"] / times[k], 3)
    return row


def orbits(samples: int = 64, period: int = 3) -> dict:
    sweep = Sweep.of(OBJECTIVE, VARS, np.linspace(1.0, 2.0, samples),
                     task=OrbitsTask(max_period=period, box=(-2.5, 2.5), starts=200, dps=30))
    times = _three_ways(lambda **kw: run_sweep(sweep, **kw))
    row = {"name": f"sweeps.orbits_p{period}_{samples}lr", "target": "speed-up >= 1.7",
           "identical": times["identical"],
           "dask_cluster_start_s": round(times["dask_cluster_start"], 2)}
    for k in ("serial", "jobs2", "dask2"):
        row[f"{k}_s"] = round(times[k], 2)
        row[f"{k}_lr_per_s"] = round(samples / times[k], 2)
        row[f"{k}_speedup"] = round(times["serial"] / times[k], 3)
    return row


def verify(ids=VERIFY_IDS) -> dict:
    docs, times = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in (("serial", []), ("jobs2", ["--jobs", "2"])):
            path = Path(tmp) / name / "results.json"
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "lrtheory", "verify", *ids, "--quick",
                                "--json", str(path), *extra], capture_output=True, text=True)
            times[name] = time.perf_counter() - t0
            if p.returncode != 0:
                raise RuntimeError(p.stderr[-2000:])
            doc = json.loads(path.read_text())
            doc["environment"].pop("date")
            for c in doc["claims"]:
                c.pop("seconds")
            docs[name] = doc
    return {"name": "sweeps.verify_quick", "target": "speed-up >= 1.7", "claims": list(ids),
            "serial_s": round(times["serial"], 2), "jobs2_s": round(times["jobs2"], 2),
            "jobs2_speedup": round(times["serial"] / times["jobs2"], 3),
            "identical": docs["serial"] == docs["jobs2"]}


def _extra(row, seconds):
    return {k: v for k, v in row.items() if k != "name"}


BENCHMARKS = [Benchmark(name, fn, repeat=1, target="speed-up >= 1.7", extra=_extra)
              for name, fn in (("sweeps.basins", basins), ("sweeps.orbits", orbits),
                               ("sweeps.verify", verify))]


def main(argv=None) -> int:
    small = "--small" in (sys.argv[1:] if argv is None else argv)
    rows = [basins(64, 500), orbits(8), verify(VERIFY_IDS[:4])] if small else \
        [basins(), orbits(), verify()]
    for row in rows:
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
