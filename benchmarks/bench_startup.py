"""Start-up time of the command line: `lrtheory --version` against a bare Python that
imports argparse (target: at most 3x), `lrtheory list` against `lrtheory --version`
(target: at most 3x), and importing sympy, mpmath, numpy and flint as an anchor (what every
command paid before the heavy imports moved inside the commands).

Each command is a fresh process; the commands are run in interleaved rounds (one of each
per round, so that load on the machine affects all alike) and the medians are reported:
``seconds`` / ``baseline_seconds`` are medians, ``ratio`` = baseline/seconds as elsewhere,
``slowdown`` = seconds/baseline (the quantity the target bounds)."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

from harness import Benchmark

ROUNDS = 11


def _lrtheory() -> list[str]:
    script = Path(sys.executable).with_name("lrtheory")
    if script.is_file():
        return [str(script)]
    found = shutil.which("lrtheory")
    return [found] if found else [sys.executable, "-m", "lrtheory"]


def commands() -> dict[str, list[str]]:
    lr = _lrtheory()
    return {"import_argparse": [sys.executable, "-c", "import argparse"],
            "version": [*lr, "--version"],
            "help": [*lr, "--help"],
            "list": [*lr, "list"],
            "heavy_imports": [sys.executable, "-c", "import sympy, mpmath, numpy, flint"]}


@lru_cache(maxsize=1)
def startup_medians(rounds: int = ROUNDS) -> dict[str, float]:
    """Median wall time (s) of each of :func:`commands` over ``rounds`` interleaved rounds."""
    times = {name: [] for name in commands()}
    for _ in range(rounds):
        for name, argv in commands().items():
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=True)
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(v) for name, v in times.items()}


def _row(name: str, baseline: str, limit: float | None):
    def extra(medians, _seconds) -> dict:
        ours, base = medians[name], medians[baseline]
        row = {"seconds": round(ours, 6), "baseline_seconds": round(base, 6),
               "ratio": round(base / ours, 3), "slowdown": round(ours / base, 3),
               "statistic": f"median of {ROUNDS} interleaved runs"}
        if limit is not None:
            row["meets_target"] = ours / base <= limit
        if name == "version":
            row["help_seconds"] = round(medians["help"], 6)
        return row
    return extra


BENCHMARKS = [
    Benchmark("startup.version_vs_import_argparse", startup_medians, repeat=1,
              extra=_row("version", "import_argparse", 3.0),
              target="`lrtheory --version` <= 3x `python -c 'import argparse'`"),
    Benchmark("startup.list_vs_version", startup_medians, repeat=1,
              extra=_row("list", "version", 3.0),
              target="`lrtheory list` <= 3x `lrtheory --version`"),
    Benchmark("startup.version_vs_heavy_imports", startup_medians, repeat=1,
              extra=_row("version", "heavy_imports", None),
              target="anchor: importing sympy, mpmath, numpy, flint (ratio = times faster)"),
]
