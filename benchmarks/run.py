"""Run lrtheory's benchmarks: one JSON line per benchmark.

    python benchmarks/run.py            # all benchmarks
    python benchmarks/run.py modeq      # those whose name contains 'modeq'

Each line: name, seconds (best of the repeats), baseline_seconds (the baseline
implementation timed in the same run), ratio = baseline_seconds / seconds, target.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import measure  # noqa: E402


def load_benchmarks():
    out = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out += list(getattr(mod, "BENCHMARKS", []))
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for b in load_benchmarks():
        if argv and not any(a in b.name for a in argv):
            continue
        print(json.dumps(measure(b)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
