"""Feigenbaum's δ from superstable parameters (lrtheory.bifurcation.cascade) against the
period-doubling cascade (lrtheory.dynamics.bifurcations.period_doubling_cascade).

Both on GD for f = x³/3 − x (conjugate to z ↦ z² + C, C = 1/4 − h²), timings interleaved
(op, anchor, op, anchor, …), medians of ``REPEAT`` runs of wall and CPU time.

* ``cascade.same_digits``: the anchor computes ``ANCHOR_LEVELS`` doubling points at 30
  digits (kept small: it is the slow one); the operation computes the fewest superstable
  levels whose δ is at least as close to the true δ as the anchor's (both deviations
  reported).  Ratio = anchor CPU time / operation CPU time.
* ``cascade.fourteen_digits``: 16 superstable levels (default precision): seconds, the
  digits the error estimate implies, and the true error.  Target: 14 correct digits in
  under 10 s.
"""
import statistics
import time

from harness import Benchmark

from lrtheory.bifurcation.cascade import superstable_cascade
from lrtheory.dynamics.bifurcations import period_doubling_cascade
from lrtheory.objectives import Objective

REPEAT = 3
CUBIC = Objective("x**3/3 - x", "x")
ANCHOR_LEVELS = 11


def _times(fns, repeat=REPEAT) -> list:
    """Median (wall, CPU) seconds of each function, run interleaved after one warm-up."""
    for fn in fns:
        fn()
    acc = [[] for _ in fns]
    for _ in range(repeat):
        for fn, a in zip(fns, acc):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            a.append((time.perf_counter() - w0, time.process_time() - c0))
    return [[statistics.median(x) for x in zip(*a)] for a in acc]


def _same_digits():
    anchor = lambda: period_doubling_cascade(CUBIC, 1.0, 1.0, ANCHOR_LEVELS, dps=30)  # noqa
    target = anchor().deviation
    levels = next(k for k in range(6, 31)
                  if superstable_cascade(CUBIC, 1.0, k).deviation <= target)
    op = lambda: superstable_cascade(CUBIC, 1.0, levels)  # noqa: E731
    (w_op, c_op), (w_an, c_an) = _times([op, anchor])
    return {"superstable_levels": levels, "doubling_levels": ANCHOR_LEVELS,
            "deviation_superstable": op().deviation, "deviation_doubling": target,
            "op_median_s": round(w_op, 4), "anchor_median_s": round(w_an, 4),
            "op_cpu_s": round(c_op, 4), "anchor_cpu_s": round(c_an, 4),
            "ratio_anchor_over_op": round(c_an / c_op, 1)}


def _fourteen_digits():
    op = lambda: superstable_cascade(CUBIC, 1.0, 16)  # noqa: E731
    [(wall, cpu)] = _times([op])
    r = op()
    return {"levels": 16, "median_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "digits_by_estimate": r.digits, "delta_error": r.delta_error,
            "true_error": r.deviation, "dps": r.dps}


BENCHMARKS = [
    Benchmark("cascade.same_digits", _same_digits, None, repeat=1,
              target="faster than period_doubling_cascade at the same digits of δ",
              extra=lambda r, s: r),
    Benchmark("cascade.fourteen_digits", _fourteen_digits, None, repeat=1,
              target="δ to 14 correct digits in < 10 s", extra=lambda r, s: r),
]
