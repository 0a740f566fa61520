"""Benchmark harness: time an operation against a baseline implementation in one run.

A benchmark module ``benchmarks/bench_<topic>.py`` defines ``BENCHMARKS``, a list of
:class:`Benchmark`.  ``python benchmarks/run.py`` runs them and prints one JSON line each:
``{"name", "seconds", "baseline_seconds", "ratio", ...}`` where ``ratio`` is
baseline_seconds / seconds (how many times faster the operation is than its baseline).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Benchmark:
    name: str
    run: Callable[[], object]
    baseline: Callable[[], object] | None = None
    repeat: int = 3
    target: str = ""  # the target from the issue, e.g. "< 2 s"
    extra: Callable[[object, float], dict] | None = None  # e.g. steps/s from result, seconds
    tags: tuple = field(default_factory=tuple)


def best_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs (and the last result)."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def measure(b: Benchmark) -> dict:
    seconds, result = best_time(b.run, b.repeat)
    row = {"name": b.name, "seconds": round(seconds, 6), "baseline_seconds": None,
           "ratio": None, "target": b.target}
    if b.baseline is not None:
        base, _ = best_time(b.baseline, max(1, b.repeat // 2 or 1))
        row["baseline_seconds"] = round(base, 6)
        row["ratio"] = round(base / seconds, 3) if seconds > 0 else None
    if b.extra is not None:
        row.update(b.extra(result, seconds))
    return row
