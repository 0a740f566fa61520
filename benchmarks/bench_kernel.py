"""The GD kernel (lrtheory.gd.run_gd) against the loops it replaced and hand-written numba.

Every measurement interleaves the operation and its anchor (op, anchor, op, anchor, …) on
the same inputs and reports the medians of ``REPEAT`` runs; compilation is done before.

* ``kernel.lyapunov_4096x1000``: Lyapunov spectra, 4096 starts × 1000 steps on
  (1 − xy)²/2 at h = 1.9.  Anchor: the float64 loop of ``lyapunov_exponents`` as it was
  before the kernel (the fastest of the old per-module GD loops: coordinate arrays through
  one lambdified map, batched Gram–Schmidt), reproduced here.  Measured before the change
  with the old function itself (``lyapunov_exponents(obj, 1.9, X, 1000, transient=0)``,
  same X): median of 3 runs 0.308 s = 13.3 M start-steps/s.  Same work, same arithmetic.
* ``kernel.balancing_sweep``: ½(xy − 1)² from 2000 (start, h) pairs, classified, stopping
  when all runs settled (checked every 500 steps with a 64-step tail).  Anchor: the loop of
  ``balancing.run_scalar_batch`` before the kernel (numpy step on all rows, ring buffer,
  the same settled test), reproduced here.
* ``kernel.compiled_vs_handwritten_*``: the compiled engine against a numba loop written by
  hand for the same objective (closed-form gradient and Hessian, the same QR and
  recording), for 1-D and 2-D Lyapunov and for a trajectory record (statistics), at
  10³ … 10⁶ starts with starts × steps = 10⁷.  Target: within 1.2× of the hand loop.
"""
import math
import statistics
import time

import numpy as np
from harness import Benchmark

from lrtheory.catalogue import factorization_vector
from lrtheory.gd import Record, classify_states, numba_enabled, run_gd, settled
from lrtheory.gd.maps import numpy_gd_map
from lrtheory.objectives import Objective

REPEAT = 5
FACT = factorization_vector(1, 1)
CUBIC = Objective("x**3/3 - x", "x")


def interleaved(op, anchor, repeat=REPEAT) -> dict:
    """Medians of ``repeat`` interleaved timings of op and anchor (after one warm-up each)."""
    op(), anchor()
    t_op, t_an = [], []
    for _ in range(repeat):
        for fn, acc in ((op, t_op), (anchor, t_an)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    a, b = statistics.median(t_op), statistics.median(t_an)
    return {"op_median_s": round(a, 5), "anchor_median_s": round(b, 5),
            "ratio_anchor_over_op": round(b / a, 3)}


# ---- Lyapunov, 4096 × 1000 -------------------------------------------------------------
_X = np.random.default_rng(1).uniform(-0.5, 0.5, size=(4096, 2))
_X[:, 1] = _X[:, 0] + 0.01


def _old_lyapunov(obj, h, X, steps):
    """The pre-kernel float64 loop of lyapunov_exponents (anchor)."""
    m, n = X.shape
    G, DG = numpy_gd_map(obj)
    x = [X[:, i].copy() for i in range(n)]
    sums = np.zeros((m, n))
    with np.errstate(all="ignore"):
        Q = [[np.full(m, 1.0 if i == j else 0.0) for i in range(n)] for j in range(n)]
        for _ in range(steps):
            J = DG(*x, h)
            V = [[sum(J[r * n + c] * q[c] for c in range(n)) for r in range(n)] for q in Q]
            Qn = []
            for i, v in enumerate(V):
                for q in Qn:
                    d = sum(a * b for a, b in zip(q, v))
                    v = [a - d * b for a, b in zip(v, q)]
                r = np.sqrt(sum(a * a for a in v))
                Qn.append([a / r for a in v])
                sums[:, i] += np.log(r)
            Q = Qn
            x = G(*x, h)
    return sums / steps


def _lyapunov_bench():
    out = {}
    for engine in ("numpy",) + (("numba",) if numba_enabled() else ()):
        res = interleaved(lambda: run_gd(FACT, _X, 1.9, 1000, Record(lyapunov=True),
                                         engine=engine),
                          lambda: _old_lyapunov(FACT, 1.9, _X, 1000), repeat=3)
        res["steps_per_second"] = round(4096 * 1000 / res["op_median_s"])
        out[engine] = res
    return out


# ---- balancing-type sweep ----------------------------------------------------------------
_rng = np.random.default_rng(0)
_S = _rng.uniform(0.2, 3, size=(2000, 2))
_HS = _rng.uniform(0.05, 0.9, size=2000)


def _old_sweep(obj, starts, hs, max_steps=2000, tol=1e-12, chunk=500, tail=64):
    """The pre-kernel loop of balancing.run_scalar_batch (anchor)."""
    X, H = np.array(starts, float), hs[:, None]
    buf = np.empty((tail, X.shape[0], 2))
    done = 0
    while done < max_steps:
        n = min(chunk, max_steps - done)
        for k in range(n):
            X = obj.numpy.gd_step(X, H)
            buf[(done + k) % tail] = X
        done += n
        if np.all(settled(buf, tol, 1e6)):
            break
    order = [(done + i) % tail for i in range(tail)]
    return classify_states(buf[order], tol, 16, 1e6), done


def _sweep_bench():
    rec = Record(tail=64, classify=True, stop_when_settled=True, check_every=500, tol=1e-12)
    out = {}
    for engine in ("numpy",) + (("numba",) if numba_enabled() else ()):
        res = interleaved(lambda: run_gd(FACT, _S, _HS, 2000, rec, blowup=1e6, engine=engine),
                          lambda: _old_sweep(FACT, _S, _HS), repeat=3)
        run = run_gd(FACT, _S, _HS, 2000, rec, blowup=1e6, engine=engine)
        res["steps_run"] = int(run.steps_run[0])
        res["same_labels_as_anchor"] = list(run.labels) == list(_old_sweep(FACT, _S, _HS)[0][0])
        out[engine] = res
    return out


# ---- compiled kernel vs hand-written numba -------------------------------------------------
def _hand_loops():
    import numba

    @numba.njit(error_model="numpy")
    def lyap2(X, h, steps):
        out = np.zeros((X.shape[0], 2))
        for j in range(X.shape[0]):
            x, y = X[j, 0], X[j, 1]
            q00, q10, q01, q11 = 1.0, 0.0, 0.0, 1.0
            s0 = s1 = 0.0
            for _ in range(steps):
                a, b, c = y * y, 2.0 * x * y - 1.0, x * x
                j00, j01, j10, j11 = 1.0 - h * a, -h * b, -h * b, 1.0 - h * c
                v00, v10 = j00 * q00 + j01 * q10, j10 * q00 + j11 * q10
                v01, v11 = j00 * q01 + j01 * q11, j10 * q01 + j11 * q11
                r0 = math.sqrt(v00 * v00 + v10 * v10)
                q00, q10 = v00 / r0, v10 / r0
                d = q00 * v01 + q10 * v11
                v01, v11 = v01 - d * q00, v11 - d * q10
                r1 = math.sqrt(v01 * v01 + v11 * v11)
                q01, q11 = v01 / r1, v11 / r1
                s0 += math.log(r0)
                s1 += math.log(r1)
                r = 1.0 - x * y
                x, y = x + h * r * y, y + h * r * x
            out[j, 0], out[j, 1] = s0 / steps, s1 / steps
        return out

    @numba.njit(error_model="numpy")
    def lyap1(X, h, steps):
        out = np.zeros(X.shape[0])
        for j in range(X.shape[0]):
            x, s = X[j, 0], 0.0
            for _ in range(steps):
                s += math.log(abs(1.0 - h * 2.0 * x))
                x = x - h * (x * x - 1.0)
            out[j] = s / steps
        return out

    @numba.njit(error_model="numpy")
    def traj1(X, h, steps, every):
        out = np.full((steps // every + 1, X.shape[0]), np.nan)
        for j in range(X.shape[0]):
            x = X[j, 0]
            out[0, j] = x
            for t in range(1, steps + 1):
                x = x - h * (x * x - 1.0)
                if t % every == 0:
                    out[t // every, j] = x
        return out
    return lyap1, lyap2, traj1


def _compiled_bench():
    if not numba_enabled():
        return {"skipped": "numba not installed"}
    lyap1, lyap2, traj1 = _hand_loops()
    out = {}
    for m in (10**3, 10**4, 10**5, 10**6):
        steps = 10**7 // m
        X2 = np.random.default_rng(2).uniform(-0.5, 0.5, size=(m, 2))
        X2[:, 1] = X2[:, 0] + 0.01
        X1 = np.random.default_rng(3).uniform(-0.9, 2.9, size=(m, 1))
        cases = {
            "lyapunov_2d": (lambda: run_gd(FACT, X2, 1.9, steps, Record(last=False, lyapunov=True),
                                           engine="numba"), lambda: lyap2(X2, 1.9, steps)),
            "lyapunov_1d": (lambda: run_gd(CUBIC, X1, 1.5, steps, Record(last=False, lyapunov=True),
                                           engine="numba"), lambda: lyap1(X1, 1.5, steps)),
            "statistics_1d": (lambda: run_gd(CUBIC, X1, 1.5, steps, Record(last=False, every=5),
                                             engine="numba"), lambda: traj1(X1, 1.5, steps, 5)),
        }
        for name, (op, anchor) in cases.items():
            res = interleaved(op, anchor, repeat=3)
            res["kernel_over_hand"] = round(res["op_median_s"] / res["anchor_median_s"], 3)
            out[f"{name}_{m}x{steps}"] = res
    return out


BENCHMARKS = [
    Benchmark("kernel.lyapunov_4096x1000", _lyapunov_bench, None, repeat=1,
              target="faster than the old loop (anchor measured before: 0.308 s)",
              extra=lambda r, s: r),
    Benchmark("kernel.balancing_sweep", _sweep_bench, None, repeat=1,
              target="not slower than the old loop", extra=lambda r, s: r),
    Benchmark("kernel.compiled_vs_handwritten", _compiled_bench, None, repeat=1,
              target="kernel_over_hand <= 1.2", extra=lambda r, s: r),
]
