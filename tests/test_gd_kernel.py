"""The GD kernel (lrtheory.gd) against independent derivations.

* f = L x²/2: GD is x_k = (1 − hL)^k x_0 exactly, and its Lyapunov exponent is log|1 − hL|.
* f = x³/3 − x: the GD map x ↦ x − h(x² − 1) is affinely conjugate to the logistic map
  z ↦ r z(1 − z) with r = 1 + 2h (x = −1 ↔ z = 0, x = 1 + 1/h ↔ z = 1), so its long-run
  behaviour follows the logistic map's known windows: fixed point for r < 3, period 2 for
  3 < r < 1 + √6, period 4 for 1 + √6 < r < 3.544, period 3 at r = 3.84, chaos with
  Lyapunov exponent log 2 at r = 4, escape for r > 4.
* (1 − xy)²/2: at a minimizer (xy = 1) the sharpness is x² + y² (the Hessian there is
  [[y², 1], [1, x²]] minus nothing: eigenvalues 0 and x² + y²).
"""
import math
import pickle
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from lrtheory.dynamics.classify import classify_tail
from lrtheory.errors import InputError
from lrtheory.gd import (CLASSIFY, LYAPUNOV, TRAJECTORY, GDRun, Record, classify_states,
                         numba_enabled, run_gd)
from lrtheory.objectives import Objective
from lrtheory.precision import precision

QUAD = Objective("3*x**2/2", "x")
CUBIC = Objective("x**3/3 - x", "x")
FACT = Objective("(1 - x*y)**2/2", "x,y")
needs_numba = pytest.mark.skipif(not numba_enabled(), reason="numba not installed")


def test_exact_backend_is_the_closed_form_orbit():
    run = run_gd(QUAD, [["1/3"]], "1/10", 20, TRAJECTORY, backend="exact")
    q, x0 = 1 - Fraction(1, 10) * 3, Fraction(1, 3)
    assert run.trajectory[0] == tuple((q**k * x0,) for k in range(21))
    assert run.last == ((q**20 * x0,),) and run.steps_run == (20,)


@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_float64_orbit_is_the_closed_form_to_rounding(engine):
    run = run_gd(QUAD, [[1 / 3], [-2.0]], 0.1, 40, TRAJECTORY, engine=engine)
    exact = np.array([[(0.7**k) * x for x in (1 / 3, -2.0)] for k in range(41)])
    np.testing.assert_allclose(run.trajectory[..., 0], exact, rtol=1e-13, atol=0)


@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_lyapunov_exponent_of_a_quadratic_is_log_abs_one_minus_h(engine):
    hs = np.array([0.05, 0.3, 0.5, 0.6])          # hL = 0.15 … 1.8 with L = 3
    run = run_gd(QUAD, [[0.7]], hs[:, None], 300, LYAPUNOV, engine=engine)
    np.testing.assert_allclose(run.exponents[:, 0, 0], np.log(np.abs(1 - 3 * hs)),
                               rtol=1e-12)


def test_mpmath_lyapunov_exponent_at_50_digits():
    run = run_gd(QUAD, [["0.7"]], "1/2", 40, LYAPUNOV, backend="mpmath", dps=50)
    with precision(50):
        assert abs(run.exponents[0][0] - mpmath.log(mpmath.mpf(1) / 2)) < mpmath.mpf(10)**-45


# (h, expected label, period): the logistic windows for r = 1 + 2h
LOGISTIC = [(0.5, "converged", 1), (1.1, "periodic", 2), (1.25, "periodic", 4),
            (1.42, "periodic", 3), (1.5, "aperiodic", 0), (3.0, "divergent", 0)]


@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_cubic_map_follows_the_logistic_windows(engine):
    hs = np.array([h for h, _, _ in LOGISTIC])
    rec = Record(classify=True, tail=64, lyapunov=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                   # divergence is a label, no warning
        run = run_gd(CUBIC, [[0.3]], hs[:, None], 4000, rec, transient=2000, engine=engine)
    assert [lab[0] for lab in run.labels] == [lab for _, lab, _ in LOGISTIC]
    assert run.periods[:, 0].tolist() == [p for _, _, p in LOGISTIC]
    assert run.diverged[:, 0].tolist() == [lab == "divergent" for _, lab, _ in LOGISTIC]
    assert np.isnan(run.last[-1, 0, 0])
    chaotic = run.exponents[4, 0, 0]                     # r = 4: λ = log 2
    assert abs(chaotic - math.log(2)) < 0.02


def test_grid_of_rates_equals_separate_runs():
    hs = [0.5, 1.1, 1.42, 1.5]
    starts = np.array([[0.3], [-0.2], [1.1]])
    rec = Record(every=7, tail=5, classify=True, lyapunov=True, checkpoints=(10, 100))
    grid = run_gd(CUBIC, starts, np.array(hs)[:, None], 300, rec, engine="numpy")
    assert grid.batch_shape == (4, 3)
    for i, h in enumerate(hs):
        one = run_gd(CUBIC, starts, h, 300, rec, engine="numpy")
        np.testing.assert_array_equal(grid.trajectory[:, i], one.trajectory)
        np.testing.assert_array_equal(grid.tail[:, i], one.tail)
        np.testing.assert_array_equal(grid.exponents[i], one.exponents)
        np.testing.assert_array_equal(grid.running[:, i], one.running)
        assert grid.labels[i] == one.labels
    per_start = run_gd(CUBIC, starts, [0.5, 1.1, 1.42], 300, rec, engine="numpy")
    for j, h in enumerate([0.5, 1.1, 1.42]):
        np.testing.assert_array_equal(per_start.exponents[j], grid.exponents[hs.index(h), j])


@needs_numba
def test_numba_and_numpy_agree_on_short_runs():
    X = np.random.default_rng(0).uniform(-1.3, 1.3, size=(64, 2))
    rec = Record(every=1, tail=4, lyapunov=True, checkpoints=(2, 5), sharpness=True,
                 loss=True)
    for h, steps in ((1.9, 4), (0.3, 200)):          # chaotic: few steps; contracting: many
        a = run_gd(FACT, X, h, steps, rec, engine="numpy")
        b = run_gd(FACT, X, h, steps, rec, engine="numba")
        assert (a.engine, b.engine) == ("numpy", "numba")
        for name in ("trajectory", "tail", "last", "loss_trajectory", "sharpness"):
            np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=1e-12,
                                       atol=1e-14, err_msg=name)
        # exponents are means of O(1) logarithms that cancel: compare on the scale of the terms
        for name in ("exponents", "running"):
            np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=0,
                                       atol=1e-12, err_msg=name)


@needs_numba
def test_no_numba_environment_forces_numpy(monkeypatch):
    monkeypatch.setenv("LRTHEORY_NO_NUMBA", "1")
    run = run_gd(FACT, np.zeros((4000, 2)) + 0.3, 1.9, 3000, LYAPUNOV)
    assert run.engine == "numpy"
    with pytest.raises(InputError):
        run_gd(FACT, [[0.3, 0.3]], 1.9, 10, engine="numba")


def test_sharpness_at_the_limit_is_x2_plus_y2():
    run = run_gd(FACT, [[2.0, 0.6], [0.5, 1.0]], 0.1, 3000, Record(sharpness=True))
    x, y = run.last[:, 0], run.last[:, 1]
    np.testing.assert_allclose(x * y, 1, rtol=1e-12)
    np.testing.assert_allclose(run.sharpness, x**2 + y**2, rtol=1e-12)
    mp = run_gd(FACT, [["2", "0.6"]], "0.1", 400, Record(sharpness=True), backend="mpmath",
                dps=30)
    with precision(30):
        xm, ym = mp.last[0]
        assert abs(mp.sharpness[0] - (xm**2 + ym**2)) < 1e-20


def test_early_stop_when_settled():
    rec = Record(stop_when_settled=True, tail=8, check_every=50, tol=1e-12, classify=True)
    run = run_gd(QUAD, [[1.0], [-0.5]], 0.2, 100_000, rec)
    assert run.steps_run[0] < 1000 and run.labels == ("converged", "converged")
    assert np.all(np.abs(run.last) < 1e-11)
    mp = run_gd(QUAD, [["1"]], "1/5", 100_000, Record(stop_when_settled=True, tol=1e-25),
                backend="mpmath", dps=30)
    assert mp.stopped == ("settled",) and mp.steps_run[0] < 200


def test_legacy_classify_tail_matches_kernel_labels():
    run = run_gd(CUBIC, [[0.3]], 1.1, 2000, Record(every=1))
    legacy = classify_tail(run.trajectory, tol=1e-9)
    labels, periods = classify_states(run.trajectory[-64:], 1e-9)
    assert legacy[0]["label"] == labels[0] == "periodic"
    assert legacy[0]["period"] == periods[0] == 2


def test_results_round_trip_and_pickle():
    runs = [run_gd(FACT, [[0.3, 0.31], [5e200, 1.0]], 1.9, 50,
                   Record(every=10, tail=3, lyapunov=True, classify=True, loss=True)),
            run_gd(QUAD, [["1/3"]], "1/10", 5, Record(every=1, loss=True, classify=True),
                   backend="exact"),
            run_gd(QUAD, [["0.5"]], "0.1", 5, Record(lyapunov=True, checkpoints=(2,)),
                   backend="mpmath", dps=25)]
    for run in runs:
        assert GDRun.from_json(run.to_json(exact=True)) == run
        assert pickle.loads(pickle.dumps(run)) == run
    assert runs[0].diverged.tolist() == [False, True] and runs[0].labels[1] == "divergent"


def test_objective_pickles_without_its_compiled_kernel():
    obj = Objective("x**4/4 - x**2/2", "x")
    run_gd(obj, [[0.3]], 0.5, 10, engine="numba" if numba_enabled() else "numpy")
    back = pickle.loads(pickle.dumps(obj))
    assert back == obj and "gd_kernel" not in back.__dict__
    np.testing.assert_array_equal(run_gd(back, [[0.3]], 0.5, 10, engine="numpy").last,
                                  run_gd(obj, [[0.3]], 0.5, 10, engine="numpy").last)


@pytest.mark.parametrize("kwargs", [dict(steps=0), dict(lr=-1.0), dict(lr=[0.1, 0.2, 0.3]),
                                    dict(backend="quad"), dict(x0=[[1.0, 2.0]])])
def test_bad_input_raises_input_error(kwargs):
    args = dict(obj=QUAD, x0=[[1.0], [2.0]], lr=0.1, steps=5) | kwargs
    with pytest.raises(InputError):
        run_gd(**args)


def test_classification_of_exact_orbits():
    run = run_gd(Objective("x**2/2", "x"), [["1/2"]], "2", 20, CLASSIFY, backend="exact")
    assert run.labels == ("periodic",) and run.periods == (2,)   # x ↦ −x


# ---- streaming statistics ------------------------------------------------------------------
SEP = Objective("x**3/3 - x + y**2/4", "x,y")   # x: the cubic map; y ↦ (1 − h/2) y


def _sampled(traj, thin):
    """The states s_t, t ≡ 0 (mod thin), of a stored trajectory (K, m, nc)."""
    return traj[::thin]


def _expected_histogram(values, lo, hi, bins):
    """Counts (underflow, bins…, overflow) of the non-nan values by comparison with the
    edges (np.histogram on [lo, hi), plus x < lo and x ≥ hi)."""
    v = values[~np.isnan(values)]
    inner = v[(v >= lo) & (v < hi)]
    mid = np.histogram(inner, bins=np.linspace(lo, hi, bins + 1))[0]
    return np.concatenate([[np.sum(v < lo)], mid, [np.sum(v >= hi)]])


@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_streaming_moments_are_the_moments_of_the_trajectory(engine):
    X = np.random.default_rng(5).uniform(-0.9, 2.0, size=(7, 2))
    hs = np.array([0.5, 1.1, 1.25, 1.42, 1.5, 1.45, 0.9])
    rec = Record(moments=True, histogram=(-1.5, 3.0, 17), thin=3)
    run = run_gd(SEP, X, hs, 301, rec, transient=11, engine=engine)
    ref = run_gd(SEP, X, hs, 301, Record(every=1), transient=11, engine="numpy")
    S = _sampled(ref.trajectory, 3)                      # (101, m, 2)
    assert run.samples.tolist() == [len(S)] * 7 == [301 // 3 + 1] * 7
    np.testing.assert_allclose(run.mean, S.mean(axis=0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(run.second_moment, np.einsum("tmk,tml->mkl", S, S) / len(S),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(run.minimum, S.min(axis=0))
    np.testing.assert_array_equal(run.maximum, S.max(axis=0))
    assert run.histogram.shape == (7, 2, 19)
    for j in range(7):
        for k in range(2):
            np.testing.assert_array_equal(run.histogram[j, k],
                                          _expected_histogram(S[:, j, k], -1.5, 3.0, 17))
    np.testing.assert_array_equal(run.histogram_edges, np.linspace(-1.5, 3.0, 18))


def test_grouped_histograms_are_sums_of_the_per_run_histograms():
    X = np.random.default_rng(6).uniform(-0.9, 2.0, size=(9, 1))
    per_run = run_gd(CUBIC, X, 1.5, 400, Record(histogram=(-1, 2.5, 30)), engine="numpy")
    for g in (1, 2, 4):
        grouped = run_gd(CUBIC, X, 1.5, 400, Record(histogram=(-1, 2.5, 30),
                                                    histogram_groups=g), engine="numpy")
        expected = [per_run.histogram[np.arange(9) % g == i].sum(axis=0) for i in range(g)]
        np.testing.assert_array_equal(grouped.histogram, np.array(expected))


@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_statistics_of_diverging_runs(engine):
    """A run that leaves the ball becomes nan: moments nan, extremes and histogram over
    the states before (the cubic map escapes for h = 3, r = 7 > 4)."""
    rec = Record(moments=True, histogram=(-2, 2, 8), coords=(0,))
    run = run_gd(CUBIC, [[0.3], [0.3]], np.array([3.0, 0.5]), 50, rec, blowup=1e6,
                 engine=engine)
    ref = run_gd(CUBIC, [[0.3], [0.3]], np.array([3.0, 0.5]), 50, Record(every=1),
                 blowup=1e6, engine="numpy")
    T = ref.trajectory[:, :, 0]
    assert np.isnan(T[-1, 0]) and np.isfinite(T[:, 1]).all()
    assert np.isnan(run.mean[0, 0]) and np.isfinite(run.mean[1, 0])
    assert run.minimum[0, 0] == np.nanmin(T[:, 0]) and run.maximum[0, 0] == np.nanmax(T[:, 0])
    np.testing.assert_array_equal(run.histogram[0, 0], _expected_histogram(T[:, 0], -2, 2, 8))
    assert run.histogram[0, 0].sum() == np.sum(~np.isnan(T[:, 0])) < 51
    assert run.diverged.tolist() == [True, False]


@needs_numba
def test_numba_and_numpy_agree_on_statistics():
    X = np.random.default_rng(7).uniform(-1.3, 1.3, size=(50, 2))
    rec = Record(moments=True, histogram=(-2, 2, 40), histogram_groups=2, thin=2,
                 coords=(1, 0))
    a = run_gd(FACT, X, 0.9, 300, rec, transient=5, engine="numpy")
    b = run_gd(FACT, X, 0.9, 300, rec, transient=5, engine="numba")
    for name in ("mean", "second_moment", "minimum", "maximum"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=1e-12,
                                   atol=1e-14, err_msg=name)
    np.testing.assert_array_equal(b.histogram, a.histogram)
    assert b.histogram.sum() == 2 * 50 * (300 // 2 + 1)


def test_statistics_round_trip_and_bad_records():
    run = run_gd(CUBIC, [[0.3], [1.0]], 1.5, 20, Record(moments=True, histogram=(-1, 3, 4)))
    assert GDRun.from_json(run.to_json(exact=True)) == run
    assert pickle.loads(pickle.dumps(run)) == run
    for bad in (dict(histogram=(1, 1, 3)), dict(histogram=(0, 1, 0)), dict(thin=0),
                dict(histogram=(0, 1)), dict(histogram_groups=-1), dict(histogram=(0, "a", 2))):
        with pytest.raises(InputError):
            Record(**bad)
    with pytest.raises(InputError):
        run_gd(CUBIC, [["0.3"]], "1.5", 5, Record(moments=True), backend="mpmath")


# ---- precise backends: the recorded states ------------------------------------------------
def _exact_cubic_orbit(x, h, n):
    out = [x]
    for _ in range(n):
        x = x - h * (x * x - 1)
        out.append(x)
    return out


@pytest.mark.parametrize("transient", [0, 1, 4])
def test_precise_runs_record_each_state_once(transient):
    """steps recorded steps are the steps + 1 states s_0 = x_T, …, s_N = x_{T+N}."""
    h, x0, N = Fraction(11, 10), Fraction(3, 10), 6
    orbit = _exact_cubic_orbit(x0, h, transient + N)[transient:]
    ex = run_gd(CUBIC, [["3/10"]], "11/10", N, Record(every=1, tail=3), transient=transient,
                backend="exact")
    assert ex.trajectory[0] == tuple((x,) for x in orbit)
    assert ex.tail[0] == tuple((x,) for x in orbit[-3:])
    mp = run_gd(CUBIC, [["3/10"]], "11/10", N, Record(every=1), transient=transient,
                backend="mpmath", dps=30)
    fl = run_gd(CUBIC, [[0.3]], 1.1, N, Record(every=1), transient=transient)
    assert len(mp.trajectory[0]) == len(fl.trajectory) == N + 1
    with precision(30):
        assert max(abs(a[0] - mpmath.mpf(b.numerator) / b.denominator)
                   for a, b in zip(mp.trajectory[0], orbit)) < mpmath.mpf(10) ** -27


def test_mpmath_one_dimensional_lyapunov_is_the_mean_log_derivative():
    """λ = (1/N) Σ_{t<N} log|1 − h f″(s_t)|, f″(x) = 2x, summed here along the orbit."""
    N = 60
    run = run_gd(CUBIC, [["0.3"]], "1.5", N, Record(lyapunov=True, checkpoints=(20,)),
                 transient=3, backend="mpmath", dps=40)
    with precision(40):
        h, x = mpmath.mpf(3) / 2, mpmath.mpf(3) / 10
        for _ in range(3):
            x = x - h * (x * x - 1)
        logs = []
        for _ in range(N):
            logs.append(mpmath.log(abs(1 - 2 * h * x)))
            x = x - h * (x * x - 1)
        assert abs(run.exponents[0][0] - mpmath.fsum(logs) / N) < mpmath.mpf(10) ** -35
        assert abs(run.running[0][0][0] - mpmath.fsum(logs[:20]) / 20) < mpmath.mpf(10) ** -35


# ---- inputs, rates and the automatic engine ------------------------------------------------
@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_starts_are_not_written_and_one_rate_is_broadcast(engine):
    X = np.array([[0.3, 0.2], [1e300, 1.0]])
    before = X.copy()
    run = run_gd(FACT, X, 0.5, 5, Record(moments=True), engine=engine)
    np.testing.assert_array_equal(X, before)
    assert run.lr.shape == (2,) and run.lr.tolist() == [0.5, 0.5]
    assert run.diverged.tolist() == [False, True] and np.isnan(run.last[1]).all()


def test_settling_run_stays_on_numpy():
    """200 000 steps by the cost model call for compiling, but the run settles within a
    few hundred: it never leaves numpy."""
    obj = Objective("3*x**2/2", "x")
    rec = Record(stop_when_settled=True, tail=8, check_every=50, tol=1e-12)
    run = run_gd(obj, [[1.0], [-0.5]], 0.2, 200_000, rec)
    assert run.engine == "numpy" and run.steps_run[0] < 1000
    assert "gd_kernel" not in obj.__dict__


@needs_numba
def test_unsettled_run_switches_to_numba_and_agrees(monkeypatch):
    """Period-2 runs never settle: after the first block the run continues compiled (the
    tangent frames carried over), with the numbers of an all-numpy run."""
    from lrtheory.gd import kernel
    monkeypatch.setattr(kernel, "COMPILE_SECONDS", 0.0)
    monkeypatch.setattr(kernel, "AUTO_NUMBA_SECONDS", 1e-4)
    X = [[0.3, 1.0], [0.2, -2.0], [1.6, 0.5]]
    rec = Record(stop_when_settled=True, tail=8, check_every=50, lyapunov=True,
                 checkpoints=(20, 120), moments=True, classify=True, every=7)
    mixed = run_gd(SEP, X, 1.1, 400, rec)
    ref = run_gd(SEP, X, 1.1, 400, rec, engine="numpy")
    assert mixed.engine == "numpy+numba" and ref.engine == "numpy"
    assert mixed.steps_run[0] == ref.steps_run[0] == 400 and mixed.periods.tolist() == [2] * 3
    for name in ("last", "trajectory", "tail", "mean", "second_moment", "exponents",
                 "running"):
        np.testing.assert_allclose(getattr(mixed, name), getattr(ref, name), rtol=1e-12,
                                   atol=1e-13, err_msg=name)
    # y ↦ (1 − h/2) y: the second exponent is log 0.45
    np.testing.assert_allclose(ref.exponents[:, 1], math.log(0.45), rtol=1e-12)


@needs_numba
def test_numba_and_numpy_agree_above_the_unrolled_dimension():
    """Five coordinates: the compiled loop keeps the frame and moments in arrays."""
    from lrtheory.gd.compiled import UNROLL
    n = UNROLL + 1
    names = [f"x{i}" for i in range(n)]
    expr = " + ".join(f"{v}**4/4 - {v}**2/2 + {v}*{names[(i + 1) % n]}/10"
                      for i, v in enumerate(names))
    obj = Objective(expr, ",".join(names))
    X = np.random.default_rng(8).uniform(-1.2, 1.2, size=(12, n))
    rec = Record(moments=True, histogram=(-1.5, 1.5, 12), lyapunov=True, checkpoints=(7,),
                 every=3, tail=4, thin=2)
    a = run_gd(obj, X, 0.3, 120, rec, transient=3, engine="numpy")
    b = run_gd(obj, X, 0.3, 120, rec, transient=3, engine="numba")
    assert np.isfinite(a.last).all()
    for name in ("mean", "second_moment", "minimum", "maximum", "trajectory", "tail", "last"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=1e-12,
                                   atol=1e-14, err_msg=name)
    for name in ("exponents", "running"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=0, atol=1e-12,
                                   err_msg=name)
    np.testing.assert_array_equal(b.histogram, a.histogram)
