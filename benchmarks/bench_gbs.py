"""BLOG-7's workload: the global errors of the truncated modified flows, in gmpy2 mpfr
numbers against mpmath numbers.

    python benchmarks/bench_gbs.py            # quick and full settings
    python benchmarks/bench_gbs.py --quick    # the quick setting only

``gbs.blog7_quick`` / ``gbs.blog7_full``: the table of BLOG-7 (``proofs_checks/blog/
modified_equations.py``, ``_regime_errors``) — f = x²/2 and log cosh x, x₀ = 1, h ∈ {0.05,
0.5, 1.5, 2.5}, orders 0–6, on [0, max(T, m h)] (quick: T = 1, m = 2, 20 digits,
tolerance 1e-15; full: T = 6, m = 4, 25 digits, tolerance 10^{−17}) — computed by
:func:`lrtheory.modeq.order.global_error` with ``SCALARS = "mpfr"`` (the default) and with
``SCALARS = "mpmath"`` (the anchor: the same Gragg–Bulirsch–Stoer code on mpmath's mpf).
CPU-time medians of interleaved runs (after a warm-up of each: the fields are compiled
once per order), ``mpmath_over_mpfr`` their ratio, ``same_numbers`` whether every error is
the same mpmath number, and the machine's load before and after.
"""
from __future__ import annotations

import json
import os
import sys

import mpmath
from bench_kernel import interleaved
from harness import Benchmark

import lrtheory.modeq.order as order
from lrtheory.modeq import modified_equation

HS, ORDERS = ("0.05", "0.5", "1.5", "2.5"), range(7)
SETTINGS = {"quick": (1, 2, 20, "1e-15"), "full": (6, 4, 25, None)}


def load() -> list:
    return [round(v, 2) for v in os.getloadavg()]


def table(scalars: str, setting: str) -> list:
    """Every global error of BLOG-7's table in the given setting and numbers."""
    T, m, dps, tol = SETTINGS[setting]
    order.SCALARS = scalars
    out = []
    try:
        for expr in ("x**2/2", "log(cosh(x))"):
            me = _equations(expr)
            with mpmath.workdps(dps):
                for h in HS:
                    for N in ORDERS:
                        try:
                            out.append(order.global_error(me, N, ["1"], h,
                                                          max(T, m * float(h)), tol))
                        except order.ComputationError:
                            out.append(mpmath.nan)
    finally:
        order.SCALARS = "mpfr"
    return out


_ME: dict = {}


def _equations(expr):
    if expr not in _ME:
        _ME[expr] = modified_equation(expr, max(ORDERS), "x")
    return _ME[expr]


def compare(setting: str, repeat: int = 1) -> dict:
    out = {"setting": setting, "load_before": load()}
    res = interleaved(lambda: table("mpfr", setting), lambda: table("mpmath", setting),
                      repeat=repeat)
    res["mpmath_over_mpfr"] = res.pop("ratio_anchor_over_op")
    fast, slow = table("mpfr", setting), table("mpmath", setting)
    res["same_numbers"] = all(a == b or (mpmath.isnan(a) and mpmath.isnan(b))
                              for a, b in zip(fast, slow))
    out.update(res)
    out["load_after"] = load()
    return out


BENCHMARKS = [
    Benchmark("gbs.blog7_quick", lambda: compare("quick"), repeat=1,
              target="mpmath_over_mpfr > 1", extra=lambda row, s: row),
    Benchmark("gbs.blog7_full", lambda: compare("full"), repeat=1,
              target="mpmath_over_mpfr > 1", extra=lambda row, s: row),
]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for setting in ("quick",) if "--quick" in argv else ("quick", "full"):
        print(json.dumps({"name": f"gbs.blog7_{setting}", **compare(setting)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
