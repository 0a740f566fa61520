"""GD runs on ½(xy − µ)² and ½‖A − XYᵀ‖² (lrtheory.balancing): the stability bound on every
convergent run, agreement of float64 and mpmath, the convergence map, the balance CLI."""
import io
import json
import pickle
from contextlib import redirect_stdout
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lrtheory import balancing as B
from lrtheory import factorization as fz
from lrtheory.cli import main
from lrtheory.dynamics.classify import LABELS
from lrtheory.errors import InputError


def test_wczt_rate_and_init_sharpness():
    assert B.wczt_rate(9, 1) == Fraction(2, 45)
    # Hessian at (9, 1), µ = 1: [[1, 17], [17, 81]] → (82 + sqrt(80² + 4·17²))/2
    assert B.sharpness_at(1, 9, 1) == pytest.approx((82 + np.sqrt(6400 + 4 * 289)) / 2)
    # at a minimizer (c, µ/c) the sharpness is c² + µ²/c² (WCZT-1)
    assert B.sharpness_at(2, 4, 0.5) == pytest.approx(16.25)


@settings(max_examples=30)
@given(st.floats(0.5, 2.0), st.floats(1.5, 20.0), st.floats(0.2, 1.0), st.floats(0.05, 1.2))
def test_every_convergent_run_obeys_the_stability_bound(mu, x0, y0, frac):
    """For h up to 1.2·4/L: a converged limit has h·λ_max ≤ 2 and (x−y)² ≤ 2/h − 2µ.

    Starts exactly on the minimizer set are excluded: GD stays at such a start whether or
    not it is linearly stable (see the next test); the bound is about limits GD reaches."""
    assume(x0 * y0 != mu)
    h = frac * 4 / B.sharpness_at(mu, x0, y0)
    r = B.run_scalar(mu, x0, y0, h, max_steps=5000)
    if r.label == "converged":
        assert abs(r.residual) < 1e-8
        assert h * r.sharpness <= 2 * (1 + 1e-7)
        assert r.imbalance <= (2 / h - 2 * mu) * (1 + 1e-7) + 1e-9


def test_a_start_on_an_unstable_minimizer_stays_there():
    """The one exception to the bound: (2, 1) is a minimizer of ½(xy − 2)² with sharpness
    5, unstable for h = 0.8 (h·5 = 4 > 2), yet GD started there never moves."""
    r = B.run_scalar(2.0, 2.0, 1.0, 0.8, max_steps=500)
    assert r.label == "converged" and r.limit == (2.0, 1.0)
    assert not r.bound_holds and 0.8 * r.sharpness > 2


def test_float64_and_mpmath_limits_agree():
    h = B.wczt_rate(19, 1)
    f64 = B.run_scalar(1, 19, 1, float(h))
    esc = B.escalated_limit(1, 19, 1, h)
    assert f64.label == "converged" and esc.change < 1e-20
    assert np.allclose(f64.limit, [float(c) for c in esc.runs[-1].limit], atol=1e-9)


@pytest.mark.parametrize("extra", [30, 600])
def test_batch_across_the_engine_switch_matches_a_plain_loop(extra):
    """Runs longer than balancing.NUMPY_STEPS continue from the last states; labels and
    periods equal those of one plain loop x ← x − h∇f(x) classified on its last 64
    states (a second implementation of the step, the tail and the stop rule)."""
    from lrtheory.gd import classify_states
    L = B.sharpness_at(1, 1.2, 1)
    hs = np.linspace(2.5, 5.5, 16) / L        # periodic and aperiodic rows: never settle
    starts = np.tile([1.2, 1.0], (len(hs), 1))
    steps = B.NUMPY_STEPS + extra
    runs = B.run_scalar_batch(1, starts, hs, max_steps=steps)
    obj = B.scalar_objective(Fraction(1))
    X, tail = starts.copy(), []
    for k in range(steps):
        X = obj.numpy.gd_step(X, hs[:, None])
        tail = (tail + [X])[-64:]
    labels, periods = classify_states(np.array(tail), 1e-12, blowup=B.BLOWUP)
    assert any(lab == "aperiodic" for lab in labels) and any(lab == "periodic" for lab in labels)
    assert [r.label for r in runs] == ["diverged" if lab == "divergent" else lab
                                       for lab in labels]
    assert [r.period for r in runs] == [int(p) or None for p in periods]
    assert all(r.steps == steps for r in runs)


def test_mpmath_run_reads_rational_text_exactly():
    """Strings are read as exact rationals: the same run as from Fractions."""
    a = B.run_scalar_mp("1", "9", "1", "4/90", dps=40)
    b = B.run_scalar_mp(1, 9, 1, Fraction(4, 90), dps=40)
    assert a.label == "converged" and a == b


def test_mpmath_divergence_counts_the_step_that_left_the_ball():
    """From (9, 1) with h = 0.06 the orbit leaves |z| ≤ 1e6; the reported step is the
    first one beyond the ball in a plain loop."""
    r = B.run_scalar_mp(1, 9, 1, 0.06, dps=30)
    z, k = [9.0, 1.0], 0
    while max(abs(c) for c in z) <= B.BLOWUP:
        x, y = z
        z, k = [x - 0.06 * y * (x * y - 1), y - 0.06 * x * (x * y - 1)], k + 1
    assert r.label == "diverged" and r.steps == k and r.limit is None


def test_imbalance_product_law_along_a_float_run():
    """x_k² − y_k² = (x₀² − y₀²)·Π(1 − h²r_j²) (the per-step law) along 30 steps."""
    mu, x, y, h = 1.0, 9.0, 1.0, 0.04
    obj = B.scalar_objective(Fraction(1))
    D, prod = x * x - y * y, 1.0
    for _ in range(30):
        prod *= 1 - h * h * (x * y - mu) ** 2
        x, y = obj.numpy.gd_step(np.array([x, y]), h)
    assert x * x - y * y == pytest.approx(D * prod, rel=1e-9)


def test_divergence_is_a_result():
    r = B.run_scalar(1, 9, 1, 0.06)
    assert r.label == "diverged" and r.limit is None and r.bound_holds is None


def test_no_convergence_above_one_over_mu():
    """h > 1/µ: no stable minimizer (WCZT-2), so GD does not converge from (1.2, 1)."""
    r = B.run_scalar(1, 1.2, 1, 1.1, max_steps=4000)
    assert r.label != "converged"


def test_bad_rates_raise():
    with pytest.raises(InputError):
        B.run_scalar(1, 9, 1, 0)
    with pytest.raises(InputError):
        B.run_scalar_batch(1, [[9, 1], [3, 1]], [0.01])


@pytest.mark.parametrize("seed", [0, 1])
def test_matrix_runs_obey_matrix_bound(seed):
    A, X0, Y0 = B.gaussian_instance(3, 3, seed)
    L0 = fz.sharpness_numeric(A, X0, Y0)
    r = B.run_matrix(A, X0, Y0, 2.5 / L0)
    assert r.label == "converged" and r.residual_norm < 1e-8
    assert r.sharpness == pytest.approx(r.norm_formula, rel=1e-8)
    assert r.h * r.sharpness <= 2 + 1e-9 and r.bound_holds


def test_matrix_float_and_mpmath_runs_agree():
    A, X0, Y0 = B.gaussian_instance(3, 3, 0)
    h = 1.5 / fz.sharpness_numeric(A, X0, Y0)
    Xm, Ym = B.run_matrix_mp(A, X0, Y0, h, dps=30).arrays()
    X, Y = np.asarray(X0), np.asarray(Y0)
    for _ in range(3000):
        X, Y = fz.gd_step(A, X, Y, h)
    assert np.allclose(X, Xm.astype(float), atol=1e-9)


def test_convergence_map_labels():
    M = B.convergence_map(1, [3.0, 9.0], [0.5, 3.0, 6.0], max_steps=3000)
    assert M.shape == (3, 2)
    assert LABELS[M[0, 0]] == "converged" and LABELS[M[2, 1]] == "diverged"


def test_monotonicity_counts():
    m = B.monotonicity([1, 2, 3, 4], [5.0, 3.0, 4.0, 1.0])
    assert (m.increases, m.decreases, m.non_increasing) == (1, 2, False)


def test_threshold_for_very_unbalanced_start_is_near_four():
    t = B.convergence_threshold(1, 99, 1, hL_max=6, grid=60, refine=1, max_steps=5000)
    assert t.window_converged == 1.0 and 3.9 < t.threshold_hL < 4.1


def test_cli_balance_json():
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["balance", "--mu", "1", "--x0", "9", "--y0", "1", "--lr", "4/90",
                     "--json-exact"])
    data = json.loads(buf.getvalue())
    assert code == 0 and data["converged"] is True
    for key in ("limit", "sharpness", "two_over_h", "imbalance", "bound"):
        assert key in data
    x, y = data["limit"]
    assert x * y == pytest.approx(1.0, abs=1e-9)
    assert data["imbalance"] == pytest.approx((x - y) ** 2)
    assert data["two_over_h"] == pytest.approx(45.0) and data["bound"] == pytest.approx(43.0)
    # the JSON is the library's result, exactly
    assert B.BalanceRun.from_json(data) == B.run_scalar(1, 9, 1, Fraction(4, 90))


@pytest.mark.parametrize("argv", [
    ["balance", "--x0", "9", "--y0", "1", "--lr", "-1"],
    ["balance", "--x0", "9", "--y0", "1", "--lr", "abc"],
    ["balance", "--x0", "9", "--y0", "1", "--lr", "0.01", "--steps", "0"],
])
def test_cli_balance_bad_input(argv, capsys):
    assert main(argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@settings(max_examples=12)
@given(st.integers(0, 10**6), st.sampled_from([2, 3]), st.floats(0.3, 4.5))
def test_every_convergent_matrix_run_obeys_the_matrix_bound(seed, n, hL):
    """Zero-residual limits (d = n) satisfy h·λ_max ≤ 2 and
    (‖X‖₂ − ‖Y‖₂)² ≤ 2/h − 2σ₁(A); λ_max equals ‖X‖₂² + ‖Y‖₂² (WCZT-4)."""
    A, X0, Y0 = B.gaussian_instance(n, n, seed)
    h = hL / fz.sharpness_numeric(A, X0, Y0)
    r = B.run_matrix(A, X0, Y0, h, max_steps=5000)
    if r.label == "converged" and r.residual_norm < 1e-8:
        assert r.h * r.sharpness <= 2 * (1 + 1e-7)
        assert r.sharpness == pytest.approx(r.norm_formula, rel=1e-7)
        assert r.bound_holds


# ---- result objects: exact JSON round trip and pickling --------------------------------
_f = st.floats(allow_nan=True, allow_infinity=True)
_fin = st.floats(allow_nan=False, allow_infinity=False)
_opt = st.none() | _fin
_int = st.integers(0, 10**9)
_label = st.sampled_from(list(LABELS) + ["undecided"])
_mpf = st.builds(lambda m, e: mpmath.mpf(mpmath.libmp.from_man_exp(m, e)),
                 st.integers(-2**200, 2**200), st.integers(-300, 300))
_pair = st.tuples(_fin, _fin) | st.tuples(_mpf, _mpf)


def _round_trips(r):
    assert type(r).from_json(r.to_json(exact=True)) == r
    assert type(r).from_json(json.dumps(r.to_json(exact=True))) == r
    assert pickle.loads(pickle.dumps(r)) == r
    assert type(r).__name__ in repr(r) and "<table>" in r._repr_html_()


_balance_run = st.builds(B.BalanceRun, _fin, _fin, _fin, _fin, _label, _int, st.none() | _pair,
                         _opt, _opt, _f, _opt, _opt, _f, st.none() | st.booleans(), _f,
                         st.none() | st.integers(1, 16), st.booleans())


@given(_balance_run, st.lists(_balance_run, min_size=1, max_size=3),
       st.none() | _fin, st.lists(st.integers(15, 100), min_size=1, max_size=3))
def test_balance_results_round_trip(run, runs, change, dps):
    _round_trips(run)
    _round_trips(B.EscalatedLimit(tuple(runs), change, tuple(dps)))


_matrix = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=3),
                     elements=_f)


@given(st.builds(B.MatrixRun, _fin, _label, _int, _f, _opt, _opt, _opt, _f, _opt, _opt, _f,
                 _f, st.none() | st.booleans(), st.none() | st.tuples(_matrix, _matrix)),
       st.builds(B.MatrixRunMP, _fin, st.integers(15, 100), _label, _int,
                 st.none() | st.lists(st.lists(_mpf, min_size=2, max_size=2).map(tuple),
                                      min_size=1, max_size=3).map(tuple)),
       st.builds(B.Monotonicity, _int, _int, st.booleans()),
       st.builds(B.ConvergenceThreshold, _fin, _fin, _fin, _f, _opt, _opt,
                 st.none() | _label, st.booleans(), _opt, _int, _int))
def test_matrix_and_sweep_results_round_trip(mrun, mp_run, mono, threshold):
    for r in (mrun, mp_run, mono, threshold):
        _round_trips(r)


def test_results_of_runs_round_trip():
    A, X0, Y0 = B.gaussian_instance(2, 2, 0)
    h = 1.5 / fz.sharpness_numeric(A, X0, Y0)
    mp_run = B.run_matrix_mp(A, X0, Y0, h, dps=20, max_steps=5000)
    assert mp_run.label == "converged"
    for r in (B.run_scalar(1, 9, 1, 4 / 90), B.escalated_limit(1, 9, 1, Fraction(4, 90)),
              B.run_matrix(A, X0, Y0, h), mp_run, B.monotonicity([1, 2], [2.0, 1.0]),
              B.convergence_threshold(1, 9, 1, hL_max=6, grid=12, refine=1, max_steps=2000)):
        _round_trips(r)
    # the mpmath limit keeps its precision through JSON
    esc = B.escalated_limit(1, 9, 1, Fraction(4, 90))
    back = B.EscalatedLimit.from_json(json.dumps(esc.to_json(exact=True)))
    assert back.final.limit == esc.final.limit and isinstance(back.final.limit[0], mpmath.mpf)
