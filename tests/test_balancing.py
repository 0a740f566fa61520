"""GD runs on ½(xy − µ)² and ½‖A − XYᵀ‖² (lrtheory.balancing): the stability bound on every
convergent run, agreement of float64 and mpmath, the convergence map, the balance CLI."""
import io
import json
from contextlib import redirect_stdout
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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
    assert f64.label == "converged" and esc["change"] < 1e-20
    assert np.allclose(f64.limit, [float(c) for c in esc["runs"][-1].limit], atol=1e-9)


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
    Xm, Ym, _ = B.run_matrix_mp(A, X0, Y0, h, dps=30)
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
    assert m == {"increases": 1, "decreases": 2, "non_increasing": False}


def test_threshold_for_very_unbalanced_start_is_near_four():
    t = B.convergence_threshold(1, 99, 1, hL_max=6, grid=60, refine=1, max_steps=5000)
    assert t["window_converged"] == 1.0 and 3.9 < t["threshold_hL"] < 4.1


def test_cli_balance_json():
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["balance", "--mu", "1", "--x0", "9", "--y0", "1", "--lr", "4/90",
                     "--json"])
    data = json.loads(buf.getvalue())
    assert code == 0 and data["converged"] is True
    for key in ("limit", "sharpness", "two_over_h", "imbalance", "bound"):
        assert key in data
    x, y = data["limit"]
    assert x * y == pytest.approx(1.0, abs=1e-9)
    assert data["imbalance"] == pytest.approx((x - y) ** 2)
    assert data["two_over_h"] == pytest.approx(45.0) and data["bound"] == pytest.approx(43.0)


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
