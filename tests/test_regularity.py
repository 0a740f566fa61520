"""The ℓ(xᵀy) family: regularity, minimizer sharpness, GD runs and rate fits (REG-1..5)."""
import json
import pickle

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from lrtheory.catalogue import LOSSES
from lrtheory.errors import InputError
from lrtheory.stability.detectors import Catapult
from lrtheory.stability.regularity import (LinearRate, MinimizerHessianIdentity, Replay,
                                           RegularityProfile, StartResult, box_starts,
                                           family_objective, fit_linear_rate,
                                           gradient_flow_sharpness, loss_expr,
                                           minimizer_hessian_identity, near_minimizer_starts,
                                           regularity_profile, replay_mpmath, run_family,
                                           sharpness)


@pytest.mark.parametrize("loss,p", [("quadratic", 1), ("pseudo_huber", 0), ("logcosh", 0),
                                    ("quartic", 3)])
def test_growth_exponent_of_dell(loss, p):
    prof = regularity_profile(loss)
    assert prof.growth_exponent == pytest.approx(p, abs=2e-3)
    assert prof.ell2_at_mu == 1


def test_bounded_derivative_limits():
    assert regularity_profile("pseudo_huber").dell_at_infinity == 1
    assert regularity_profile("logcosh").dell_at_infinity == 1
    assert regularity_profile("quadratic").dell_at_infinity == sp.oo


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_minimizer_hessian_is_rank_one(loss):
    ident = minimizer_hessian_identity(loss, mu=2, d=1)
    assert ident.residual_zero
    (x,) = ident.sharpness_on_set.free_symbols
    # on xy = µ the sharpness is x² + µ²/x² with minimum 2µ at |x| = √µ
    assert sp.simplify(ident.sharpness_on_set - (x**2 + 4 / x**2)) == 0
    assert ident.min_sharpness == 4


@given(st.floats(0.3, 4), st.floats(-2, 2), st.sampled_from(sorted(LOSSES)))
def test_numeric_sharpness_on_minimizer_set(t, c, loss):
    """λ_max ∇²f at (x, y) with xᵀy = µ equals ‖x‖² + ‖y‖² (ℓ″(µ) = 1), d = 2."""
    obj = family_objective(loss, 1, 2)
    x = np.array([t, 0.7])
    y = x / (x @ x) + c * np.array([-0.7, t])
    pt = np.concatenate([x, y])
    assert sharpness(obj, pt) == pytest.approx(x @ x + y @ y, rel=1e-9)


def test_gradient_flow_sharpness_matches_small_step_gd():
    starts = near_minimizer_starts(3, 1, seed=4)
    obj = family_objective("quadratic", 1, 1)
    traj = obj.numpy.run(starts, 2e-3, 60000)
    S_gd = sharpness(obj, traj[-1])
    assert np.allclose(gradient_flow_sharpness(starts), S_gd, rtol=5e-3)
    # d = 1 closed form √(4µ² + (x₀² − y₀²)²)
    x0, y0 = starts[:, 0], starts[:, 1]
    assert np.allclose(gradient_flow_sharpness(starts), np.sqrt(4 + (x0**2 - y0**2)**2))


def test_near_minimizer_starts_have_large_initial_sharpness():
    starts = near_minimizer_starts(20, 1, seed=0)
    assert np.all(np.abs(starts[:, 0] * starts[:, 1] - 1) <= 0.5 + 1e-12)
    S0 = sharpness(family_objective("pseudo_huber", 1, 1), starts)
    assert np.all(S0 * 0.25 > 2)  # h = 0.25 is already beyond 2/L0


def test_run_family_measures_a_converged_limit():
    (r,) = run_family("logcosh", 0.45, [[4.0, 0.3]], 1500)
    assert r.label == "converged" and r.residual < 1e-12
    x, y = r.limit
    assert r.sharp_limit == pytest.approx(x * x + y * y, rel=1e-9)
    assert r.gap == pytest.approx(2 / 0.45 - (x * x + y * y), abs=1e-9)
    assert r.imbalance == pytest.approx(abs(x) - abs(y))
    assert r.rate is not None and abs(r.rate.log_ratio - 1) < 0.02


def test_divergence_is_a_result_not_a_crash():
    (r,) = run_family("quartic", 0.5, [[5.0, 0.1]], 300)
    assert r.label == "diverged" and r.limit is None and np.isnan(r.gap)


def test_fit_linear_rate_recovers_a_geometric_series():
    k = np.arange(400)
    L = 3.0 * 0.8**k
    S = (1 + np.sqrt(0.8)) / 0.5  # 1 − hS = −√0.8 < 0 (oscillating normal mode), h = 0.5
    fit = fit_linear_rate(L, 0.5, S)
    assert fit.rho_fit == pytest.approx(0.8, rel=1e-10)
    assert fit.log_ratio == pytest.approx(1.0, rel=1e-9)
    assert fit.k_eps == int(np.ceil(np.log(1e-6 / 3) / np.log(0.8)))
    assert fit_linear_rate(np.ones(10), 0.5, 1.0) is None


@pytest.mark.slow
def test_float64_run_agrees_with_mpmath_replay():
    x0, h, steps = [4.5, 0.25], 0.55, 800
    (r,) = run_family("pseudo_huber", h, [x0], steps)
    rep = replay_mpmath("pseudo_huber", h, x0, steps, dps=40)
    assert np.allclose(rep.limit, r.limit, atol=1e-10)
    assert rep.gap == pytest.approx(r.gap, abs=1e-10)


def test_box_starts_are_deterministic_and_bad_input():
    assert np.array_equal(box_starts(4, 2, seed=3), box_starts(4, 2, seed=3))
    with pytest.raises(InputError):
        loss_expr("hinge")
    with pytest.raises(InputError):
        run_family("logcosh", 0.0, [[1.0, 1.0]], 10)
    with pytest.raises(InputError):
        run_family("logcosh", 0.5, [[1.0, 1.0, 2.0]], 10)


def test_far_field_multiplier_decides_divergence_on_the_diagonal():
    """On x = y with s = x² ≫ µ, ℓ′ ≈ 1 for pseudo-Huber: x ↦ (1 − h)x, so |1 − h| > 1
    (h > 2) diverges and h < 2 contracts toward the minimizer set."""
    obj = family_objective("pseudo_huber", 0.25, 1)
    traj = obj.numpy.run([[100.0, 100.0]], 2.5, 5)
    ratios = traj[1:, 0] / traj[:-1, 0]
    assert np.allclose(ratios, 1 - 2.5, rtol=1e-3)  # multiplier −1.5 per step
    (r,) = run_family("pseudo_huber", 2.5, [[100.0, 100.0]], 2000, mu=0.25)
    assert r.label == "diverged"
    (r,) = run_family("pseudo_huber", 1.0, [[100.0, 100.0]], 2000, mu=0.25)
    assert r.label == "converged" and r.residual < 1e-9


def test_vector_minimizer_hessian_is_rank_one_symbolically():
    ident = minimizer_hessian_identity("pseudo_huber", mu=1, d=2)
    assert ident.residual_zero and ident.ell2_at_mu == 1


# ---- result objects: exact JSON round trip and pickling --------------------------------
_f = st.floats(allow_nan=True, allow_infinity=True)
_fin = st.floats(allow_nan=False, allow_infinity=False)
_int = st.integers(0, 10**9)
_point = st.lists(_fin, min_size=2, max_size=4).map(tuple)
_s = sp.Symbol("s", real=True)
_expr = st.sampled_from([sp.Integer(1), sp.Rational(-3, 7), sp.oo, sp.sqrt(2) / 3,
                         sp.log(sp.cosh(_s - 1)), (_s - 1) / sp.sqrt(1 + (_s - 1)**2),
                         sp.Symbol("x1", real=True)**2 + 4 / sp.Symbol("x1", real=True)**2])
_rate = st.builds(LinearRate, _f, _f, _f, _int, st.tuples(_int, _int))
_catapult = st.builds(Catapult, _int, _int, _int, _f, _f, _f, _f)
_loss = st.sampled_from(sorted(LOSSES))


def _round_trips(r):
    assert type(r).from_json(r.to_json(exact=True)) == r
    assert type(r).from_json(json.dumps(r.to_json(exact=True))) == r
    assert pickle.loads(pickle.dumps(r)) == r
    assert type(r).__name__ in repr(r) and "<table>" in r._repr_html_()


@given(st.builds(StartResult, _loss, _fin, _point, st.sampled_from(["converged", "diverged"]),
                 _f, st.none() | _point, _f, _f, _f, _f,
                 st.lists(_catapult, max_size=3).map(tuple), st.none() | _rate))
def test_start_result_round_trip(r):
    _round_trips(r)


@given(st.builds(RegularityProfile, _loss, _expr, _expr, _expr, _f, _f, _expr,
                 st.tuples(_fin, _fin)),
       st.builds(MinimizerHessianIdentity, _loss, _expr, st.integers(1, 4), st.booleans(),
                 st.booleans(), st.booleans(), _expr, _expr, _expr, _expr),
       st.builds(Replay, _loss, _fin, _point, _int, st.integers(15, 200), _point, _f, _f))
def test_family_results_round_trip(profile, ident, replay):
    for r in (profile, ident, replay):
        _round_trips(r)


def test_family_results_from_runs_round_trip():
    (r,) = run_family("logcosh", 0.45, [[4.0, 0.3]], 1500)
    assert isinstance(r.rate, LinearRate) and all(isinstance(c, Catapult) for c in r.catapults)
    _round_trips(r)
    _round_trips(regularity_profile("pseudo_huber"))
    assert r.rate["rho_fit"] == r.rate.rho_fit  # the former dict keys still read
    _round_trips(minimizer_hessian_identity("pseudo_huber", mu=1, d=2))
    _round_trips(replay_mpmath("logcosh", 0.45, [4.0, 0.3], 50, dps=30))
