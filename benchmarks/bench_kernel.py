"""The GD kernel (lrtheory.gd.run_gd) against the loops it replaced and hand-written numba.

Every measurement interleaves the operation and its anchor (op, anchor, op, anchor, …) on
the same inputs and reports the medians of ``REPEAT`` runs (wall and CPU time; ratios by
CPU time, since the machine may be shared); compilation is done before.

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
* ``kernel.compiled_vs_handwritten``: ``run_gd(..., engine="numba")`` against numba loops
  written by hand in this file (:func:`_hand_loops`) for the cubic map x ↦ x − h(x² − 1)
  (1-D, h = 1.45, chaotic) and (1 − xy)²/2 (2-D, h = 1.9), at 10³, 10⁴, 10⁵ and 10⁶
  starts with starts × steps = 10⁷: Lyapunov exponents (``Record(last=False,
  lyapunov=True)``), streaming statistics — per-start mean, second moments, minimum and
  maximum, and a histogram of 64 bins for each half of the starts (``Record(last=False,
  moments=True, histogram=..., histogram_groups=2)``) —, and a trajectory every 5th step
  (1-D).  Why the anchor is fair: it is the loop one writes by hand for this job — closed
  form gradient and Hessian in scalar locals, one start at a time, nothing stored but the
  outputs — performing the same floating-point operations in the same order (so the
  outputs are compared: ``same_numbers``, to 1e-12), compiled before timing, on the same
  inputs, and it allocates and returns the same quantities as the run_gd call (in 2-D
  the three distinct second moments where run_gd returns the symmetric 2×2 matrix;
  run_gd also checks its arguments and builds a GDRun).  ``kernel_over_hand`` is the
  ratio of median CPU times (``_wall``: of wall times).  Target: within 1.2×.
* ``kernel.vectorized_vs_hand``: ``run_gd(..., engine="numba")`` against numba loops that
  step blocks of 512 starts with the step loop outside the block loop (LLVM vectorizes
  across starts; :func:`_vectorized_hand_loops`, ~30 lines each): the last state of the
  cubic map (1-D) and of (1 − xy)²/2 (2-D), and the 1-D Lyapunov exponent, at 10⁴, 10⁵,
  10⁶ starts; outputs compared bit for bit (``same_numbers``); the machine load printed.
  Target: within 2×.
* ``kernel.mpmath_lyapunov_1d``: a 1-D mpmath Lyapunov run (2000 steps, 30 digits) against
  the 1×1-matrix loop it used before (reproduced here).
* ``kernel.settling_auto_engine``: runs that settle within 10³ of the 10⁵ allowed
  steps: the automatic engine against compiling numba for them (the choice before the
  cost model knew about ``stop_when_settled``).
"""
import math
import statistics
import time

import mpmath
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
    """Medians of ``repeat`` interleaved timings of op and anchor (after one warm-up each):
    wall time, and CPU time of this process (on a shared machine the time spent waiting
    for a core is not the code's; the ratios use CPU time)."""
    op(), anchor()
    t_op, t_an = [], []
    for _ in range(repeat):
        for fn, acc in ((op, t_op), (anchor, t_an)):
            w0, c0 = time.perf_counter(), time.process_time()
            out = fn()
            acc.append((time.perf_counter() - w0, time.process_time() - c0))
            del out                      # freed outside the timed region
    (a, ca), (b, cb) = [[statistics.median(x) for x in zip(*t)] for t in (t_op, t_an)]
    return {"op_median_s": round(a, 5), "anchor_median_s": round(b, 5),
            "op_cpu_s": round(ca, 5), "anchor_cpu_s": round(cb, 5),
            "ratio_anchor_over_op": round(cb / ca, 3)}


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
# 1-D: the cubic map x ↦ x − h(x² − 1) at h = 1.45 (conjugate to the logistic map with
# r = 3.9: chaotic, bounded for starts in (−1, 1 + 1/h)); 2-D: (1 − xy)²/2 at h = 1.9.
H1, H2 = 1.45, 1.9
LO1, HI1, LO2, HI2, BINS = -1.0, 1.7, -2.0, 2.0, 64


def _hand_loops():
    """Numba loops written by hand for the two maps: closed-form gradient and Hessian in
    scalar locals, one start at a time, the same floating-point operations in the same
    order as lrtheory's generated code (so the outputs agree to the last bit), writing
    the same outputs as the run_gd call they are timed against."""
    import numba

    @numba.njit(error_model="numpy")
    def lyap1(X, h, steps):
        out = np.empty(X.shape[0])
        for j in range(X.shape[0]):
            x, s = X[j, 0], 0.0
            for _ in range(steps):
                s += math.log(abs(1.0 - h * (2.0 * x)))
                x = x - h * (x * x - 1.0)
            out[j] = s / steps
        return out

    @numba.njit(error_model="numpy")
    def lyap2(X, h, steps):
        out = np.empty((X.shape[0], 2))
        for j in range(X.shape[0]):
            x, y = X[j, 0], X[j, 1]
            q00, q10, q01, q11 = 1.0, 0.0, 0.0, 1.0
            s0 = s1 = 0.0
            for _ in range(steps):
                c = 2.0 * x * y - 1.0
                j00, j01, j10, j11 = 1.0 - h * (y * y), -h * c, -h * c, 1.0 - h * (x * x)
                v00, v10 = j00 * q00 + j01 * q10, j10 * q00 + j11 * q10
                v01, v11 = j00 * q01 + j01 * q11, j10 * q01 + j11 * q11
                r0 = math.sqrt(v00 * v00 + v10 * v10)
                q00, q10 = v00 / r0, v10 / r0
                s0 += math.log(r0)
                d = q00 * v01 + q10 * v11
                v01, v11 = v01 - d * q00, v11 - d * q10
                r1 = math.sqrt(v01 * v01 + v11 * v11)
                q01, q11 = v01 / r1, v11 / r1
                s1 += math.log(r1)
                r = 1.0 - x * y
                x, y = x - h * (-r * y), y - h * (-r * x)
            out[j, 0], out[j, 1] = s0 / steps, s1 / steps
        return out

    @numba.njit(error_model="numpy")
    def count(counts, g, k, x, lo, scale, bins):
        if x == x:
            b = np.floor((x - lo) * scale)
            counts[g, k, 0 if b < 0.0 else (bins + 1 if b >= bins else int(b) + 1)] += 1

    @numba.njit(error_model="numpy")
    def stats1(X, h, steps, lo, hi, bins):
        """Per start: mean, mean square, min, max of x_0 … x_N; histogram of two halves."""
        m, S = X.shape[0], steps + 1
        mean, sq = np.empty(m), np.empty(m)
        mn, mx = np.empty(m), np.empty(m)
        counts = np.zeros((2, 1, bins + 2), dtype=np.int64)
        scale = bins / (hi - lo)
        for j in range(m):
            x = X[j, 0]
            a, b, lo_, hi_ = x, x * x, x, x
            count(counts, j % 2, 0, x, lo, scale, bins)
            for _ in range(steps):
                x = x - h * (x * x - 1.0)
                a += x
                b += x * x
                lo_ = min(lo_, x)
                hi_ = max(hi_, x)
                count(counts, j % 2, 0, x, lo, scale, bins)
            mean[j], sq[j], mn[j], mx[j] = a / S, b / S, lo_, hi_
        return mean, sq, mn, mx, counts

    @numba.njit(error_model="numpy")
    def stats2(X, h, steps, lo, hi, bins):
        """Per start: means, second moments (xx, xy, yy), min, max; two-half histograms."""
        m, S = X.shape[0], steps + 1
        mean, sec = np.empty((m, 2)), np.empty((m, 3))
        mn, mx = np.empty((m, 2)), np.empty((m, 2))
        counts = np.zeros((2, 2, bins + 2), dtype=np.int64)
        scale = bins / (hi - lo)
        for j in range(m):
            x, y = X[j, 0], X[j, 1]
            ax, ay, bxx, bxy, byy = x, y, x * x, x * y, y * y
            lx, ly, ux, uy = x, y, x, y
            count(counts, j % 2, 0, x, lo, scale, bins)
            count(counts, j % 2, 1, y, lo, scale, bins)
            for _ in range(steps):
                r = 1.0 - x * y
                x, y = x - h * (-r * y), y - h * (-r * x)
                ax += x
                ay += y
                bxx += x * x
                bxy += x * y
                byy += y * y
                lx, ly, ux, uy = min(lx, x), min(ly, y), max(ux, x), max(uy, y)
                count(counts, j % 2, 0, x, lo, scale, bins)
                count(counts, j % 2, 1, y, lo, scale, bins)
            mean[j, 0], mean[j, 1] = ax / S, ay / S
            sec[j, 0], sec[j, 1], sec[j, 2] = bxx / S, bxy / S, byy / S
            mn[j, 0], mn[j, 1], mx[j, 0], mx[j, 1] = lx, ly, ux, uy
        return mean, sec, mn, mx, counts

    @numba.njit(error_model="numpy")
    def traj1(X, h, steps, every):
        out = np.empty((steps // every + 1, X.shape[0]))
        for j in range(X.shape[0]):
            x = X[j, 0]
            out[0, j] = x
            for t in range(1, steps + 1):
                x = x - h * (x * x - 1.0)
                if t % every == 0:
                    out[t // every, j] = x
        return out
    return dict(lyap1=lyap1, lyap2=lyap2, stats1=stats1, stats2=stats2, traj1=traj1)


def _starts(m):
    X2 = np.random.default_rng(2).uniform(-0.5, 0.5, size=(m, 2))
    X2[:, 1] = X2[:, 0] + 0.01
    return np.random.default_rng(3).uniform(-0.9, 1.6, size=(m, 1)), X2


def _cases(m, steps, hand):
    X1, X2 = _starts(m)
    lyap = Record(last=False, lyapunov=True)
    st1 = Record(last=False, moments=True, histogram=(LO1, HI1, BINS), histogram_groups=2)
    st2 = Record(last=False, moments=True, histogram=(LO2, HI2, BINS), histogram_groups=2)
    return {
        "lyapunov_1d": (lambda: run_gd(CUBIC, X1, H1, steps, lyap, engine="numba"),
                        lambda: hand["lyap1"](X1, H1, steps)),
        "lyapunov_2d": (lambda: run_gd(FACT, X2, H2, steps, lyap, engine="numba"),
                        lambda: hand["lyap2"](X2, H2, steps)),
        "statistics_1d": (lambda: run_gd(CUBIC, X1, H1, steps, st1, engine="numba"),
                          lambda: hand["stats1"](X1, H1, steps, LO1, HI1, BINS)),
        "statistics_2d": (lambda: run_gd(FACT, X2, H2, steps, st2, engine="numba"),
                          lambda: hand["stats2"](X2, H2, steps, LO2, HI2, BINS)),
        "trajectory_1d": (lambda: run_gd(CUBIC, X1, H1, steps, Record(last=False, every=5),
                                         engine="numba"),
                          lambda: hand["traj1"](X1, H1, steps, 5)),
    }


def _same_numbers(name, run, ref) -> bool:
    """The kernel's outputs equal the hand loop's (to 1e-12 relative)."""
    close = lambda a, b: np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True)  # noqa: E731
    if name.startswith("lyapunov"):
        return close(run.exponents.reshape(ref.shape), ref)
    if name.startswith("trajectory"):
        return close(run.trajectory[..., 0], ref)
    mean, sec, mn, mx, counts = ref
    n = run.mean.shape[1]
    upper = [run.second_moment[:, k, l] for k in range(n) for l in range(k, n)]
    return (close(run.mean.reshape(mean.shape), mean)
            and close(np.stack(upper, axis=1).reshape(sec.shape), sec)
            and close(run.minimum.reshape(mn.shape), mn)
            and close(run.maximum.reshape(mx.shape), mx)
            and np.array_equal(run.histogram, counts))


def _compiled_bench():
    if not numba_enabled():
        return {"skipped": "numba not installed"}
    hand = _hand_loops()
    out = {}
    for m in (10**3, 10**4, 10**5, 10**6):
        steps = 10**7 // m
        for name, (op, anchor) in _cases(m, steps, hand).items():
            res = interleaved(op, anchor, repeat=REPEAT)
            res["kernel_over_hand"] = round(res["op_cpu_s"] / res["anchor_cpu_s"], 3)
            res["kernel_over_hand_wall"] = round(res["op_median_s"] / res["anchor_median_s"], 3)
            res["same_numbers"] = _same_numbers(name, op(), anchor())
            out[f"{name}_{m}x{steps}"] = res
    return out


# ---- the kernel against vectorized hand-written numba loops --------------------------------
def _vectorized_hand_loops():
    """The loops one writes by hand to step many starts fast: blocks of 512 starts, the
    step loop outside the block loop (LLVM vectorizes across the starts of a block), the
    block's state in small arrays, the same floating-point operations in the same order
    as lrtheory's printed code — so the outputs are equal bit for bit."""
    import numba

    @numba.njit(error_model="numpy")
    def last1(X, h, steps):
        M, B = X.shape[0], 512
        out, xs = np.empty(M), np.empty(B)
        for j0 in range(0, M, B):
            nb = min(B, M - j0)
            xs[:nb] = X[j0:j0 + nb, 0]
            for _ in range(steps):
                for b in range(nb):
                    x = xs[b]
                    xs[b] = x - h * (x * x - 1)
            out[j0:j0 + nb] = xs[:nb]
        return out

    @numba.njit(error_model="numpy")
    def last2(X, h, steps):
        M, B = X.shape[0], 512
        out, xs, ys = np.empty((M, 2)), np.empty(B), np.empty(B)
        for j0 in range(0, M, B):
            nb = min(B, M - j0)
            xs[:nb], ys[:nb] = X[j0:j0 + nb, 0], X[j0:j0 + nb, 1]
            for _ in range(steps):
                for b in range(nb):
                    x, y = xs[b], ys[b]
                    c = -x * y + 1
                    xs[b], ys[b] = x - h * (-c * y), y - h * (-c * x)
            out[j0:j0 + nb, 0], out[j0:j0 + nb, 1] = xs[:nb], ys[:nb]
        return out

    @numba.njit(error_model="numpy")
    def lyap1(X, h, steps):
        M, B = X.shape[0], 512
        out, xs, ls = np.empty(M), np.empty(B), np.empty(B)
        for j0 in range(0, M, B):
            nb = min(B, M - j0)
            xs[:nb], ls[:nb] = X[j0:j0 + nb, 0], 0.0
            for _ in range(steps):
                for b in range(nb):
                    x = xs[b]
                    ls[b] += math.log(abs(1.0 - h * (2 * x)))
                    xs[b] = x - h * (x * x - 1)
            out[j0:j0 + nb] = ls[:nb] / steps
        return out
    return dict(last1=last1, last2=last2, lyap1=lyap1)


def _vectorized_bench():
    """``run_gd(..., engine="numba")`` (last state; 1-D Lyapunov exponent) against the
    vectorized hand loops at 10⁴, 10⁵ and 10⁶ starts, starts × steps = 10⁸ (10⁷ with the
    logarithm), with the machine load.  Target: within 2×."""
    if not numba_enabled():
        return {"skipped": "numba not installed"}
    import os
    hand = _vectorized_hand_loops()
    out = {"load_before": [round(v, 2) for v in os.getloadavg()]}
    last = Record()
    lyap = Record(last=False, lyapunov=True)
    for m in (10**4, 10**5, 10**6):
        X1, X2 = _starts(m)
        steps = 10**8 // m
        cases = {
            "last_1d": (lambda: run_gd(CUBIC, X1, H1, steps, last, engine="numba"),
                        lambda: hand["last1"](X1, H1, steps),
                        lambda r, a: np.array_equal(r.last[:, 0], a, equal_nan=True)),
            "last_2d": (lambda: run_gd(FACT, X2, H2, steps, last, engine="numba"),
                        lambda: hand["last2"](X2, H2, steps),
                        lambda r, a: np.array_equal(r.last, a, equal_nan=True)),
            "lyapunov_1d": (lambda: run_gd(CUBIC, X1, H1, steps // 10, lyap, engine="numba"),
                            lambda: hand["lyap1"](X1, H1, steps // 10),
                            lambda r, a: np.array_equal(r.exponents[:, 0], a)),
        }
        for name, (op, anchor, same) in cases.items():
            res = interleaved(op, anchor, repeat=REPEAT)
            res["kernel_over_hand"] = round(res["op_cpu_s"] / res["anchor_cpu_s"], 3)
            res["same_numbers"] = bool(same(op(), anchor()))
            res["steps_per_second"] = round(m * (steps // (10 if "lyap" in name else 1))
                                            / res["op_cpu_s"])
            out[f"{name}_{m}"] = res
    out["load_after"] = [round(v, 2) for v in os.getloadavg()]
    return out


# ---- mpmath 1-D Lyapunov: scalar path vs the matrix path it replaced ----------------------
def _matrix_lyapunov(obj, x, h, steps, dps):
    """The mpmath tangent loop before the scalar path (anchor): DG_h(x)·Q as an mpmath
    1×1 matrix, its sign as the new frame."""
    from lrtheory.precision import precision
    model = obj.mpmath
    with precision(dps):
        x, h = [mpmath.mpf(x)], mpmath.mpf(h)
        Q, s = mpmath.eye(1), mpmath.mpf(0)
        for _ in range(steps):
            g = model.grad(x)
            A = model.gd_jacobian(x, h) * Q
            Q = mpmath.matrix([[mpmath.sign(A[0, 0])]])
            s += mpmath.log(abs(A[0, 0]))
            x = [x[0] - h * g[0]]
        return s / steps


def _mpmath_lyapunov_bench():
    op = lambda: run_gd(CUBIC, [["0.3"]], "1.45", 2000, Record(lyapunov=True),  # noqa: E731
                        backend="mpmath", dps=30)
    anchor = lambda: _matrix_lyapunov(CUBIC, "0.3", "1.45", 2000, 30)  # noqa: E731
    res = interleaved(op, anchor, repeat=REPEAT)
    res["difference"] = float(abs(op().exponents[0][0] - anchor()))
    return res


# ---- automatic engine for runs that stop when settled ---------------------------------------
def _settling_bench():
    """2000 starts of ½(xy − 1)² at rates where they converge, up to 10⁵ steps, stopping
    when settled (after 10³): the automatic engine (numpy, no compilation) against what
    the cost model chose before it knew about stopping (compile numba for the 10⁵ steps,
    on a fresh objective each time as in a new process)."""
    rec = Record(tail=64, classify=True, stop_when_settled=True, check_every=500, tol=1e-12)
    S = _S * 0.5 + 0.5
    fresh = lambda: Objective("(x*y - 1)**2/2", "x,y")  # noqa: E731
    op = lambda: run_gd(fresh(), S, _HS * 0.5, 100_000, rec, blowup=1e6)  # noqa: E731
    anchor = lambda: run_gd(fresh(), S, _HS * 0.5, 100_000, rec, blowup=1e6,  # noqa: E731
                            engine="numba")
    res = interleaved(op, anchor, repeat=3)
    run = op()
    res["engine"], res["steps_run"] = run.engine, int(run.steps_run[0])
    return res


BENCHMARKS = [
    Benchmark("kernel.lyapunov_4096x1000", _lyapunov_bench, None, repeat=1,
              target="faster than the old loop (anchor measured before: 0.308 s)",
              extra=lambda r, s: r),
    Benchmark("kernel.balancing_sweep", _sweep_bench, None, repeat=1,
              target="not slower than the old loop", extra=lambda r, s: r),
    Benchmark("kernel.compiled_vs_handwritten", _compiled_bench, None, repeat=1,
              target="kernel_over_hand <= 1.2", extra=lambda r, s: r),
    Benchmark("kernel.vectorized_vs_hand", _vectorized_bench, None, repeat=1,
              target="kernel_over_hand <= 2", extra=lambda r, s: r),
    Benchmark("kernel.mpmath_lyapunov_1d", _mpmath_lyapunov_bench, None, repeat=1,
              target="faster than the matrix path", extra=lambda r, s: r),
    Benchmark("kernel.settling_auto_engine", _settling_bench, None, repeat=1,
              target="no compilation for runs that settle early", extra=lambda r, s: r),
]
