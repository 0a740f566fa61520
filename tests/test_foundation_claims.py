"""The mathematics behind BLOG-2, BLOG-3 and EOS-1, against independent derivations."""
import mpmath
import numpy as np
import sympy as sp
from flint import fmpq

from lrtheory.catalogue import factorization_vector
from lrtheory.catapult import (classify_phase, iterate_reduced, recurrence_residuals,
                               recurrence_residuals_general, simulate_network)
from lrtheory.flows import gd_global_error, gradient_flow_mp
from lrtheory.objectives import Objective
from lrtheory.quadratic import rational_orthogonal, regime_of, regime_sets, symmetric_with_spectrum


def test_regime_sets_are_the_claimed_intervals():
    sets = regime_sets()
    assert sets["sign kept and |x| decreasing (0 < m < 1)"] == sp.Interval.open(0, 1)
    assert sets["period 2 (m = -1)"] == sp.FiniteSet(2)
    assert sets["|x_k| -> infinity (|m| > 1)"] == sp.Interval.open(2, sp.oo)


def test_regime_of_boundaries():
    assert [regime_of(fmpq(v, 4)) for v in (2, 4, 6, 8, 9)] == \
        ["monotone", "one-step", "alternating", "period-2", "divergent"]


def test_rational_orthogonal_is_exactly_orthogonal():
    for n in (2, 3, 4):
        Q = rational_orthogonal(n)
        assert Q.T * Q == sp.eye(n)
    A, Q = symmetric_with_spectrum([1, 3, 7])
    assert A.is_symmetric() and sorted(A.eigenvals()) == [1, 3, 7]


def test_catapult_recurrences_are_identities():
    for n in (1, 2, 3):
        assert recurrence_residuals(n) == (0, 0)
    assert recurrence_residuals_general() == (0, 0)


def test_catapult_reduced_matches_full_and_phases():
    rng = np.random.default_rng(3)
    n = 50
    u, v = rng.standard_normal(n), rng.standard_normal(n)
    lam0 = (u @ u + v @ v) / n
    seen = {}
    for c in (1.0, 3.0, 5.0):
        run = simulate_network(u, v, c / lam0, 2000)
        red = iterate_reduced(run["f"][0], lam0, c / lam0, n, 40)
        ok = np.isfinite(red["lam"]) & (red["lam"] < 1e100)
        np.testing.assert_allclose(run["lam"][:41][ok], red["lam"][ok], rtol=1e-9)
        seen[c] = classify_phase(run, c / lam0)["phase"]
    assert seen == {1.0: "lazy", 3.0: "catapult", 5.0: "divergent"}


def test_gradient_flow_matches_closed_form_and_gd_error_is_first_order():
    x = sp.Symbol("x", real=True)
    obj = Objective(sp.log(sp.cosh(x)), (x,))
    flow = gradient_flow_mp(obj, [2], dps=25)
    with mpmath.workdps(25):
        exact = mpmath.asinh(mpmath.sinh(2) * mpmath.exp(-1))
        assert abs(flow(1)[0] - exact) < mpmath.mpf(10) ** -20
        e1 = gd_global_error(obj, [2], mpmath.mpf(1) / 64, 64, flow)
        e2 = gd_global_error(obj, [2], mpmath.mpf(1) / 128, 128, flow)
    assert 1.9 < e1 / e2 < 2.1


def test_flow_conserves_imbalance_for_factorization():
    # d/dt (x^2 - y^2) = 0 along the gradient flow of (1 - xy)^2/2 (independent invariant)
    obj = factorization_vector(1, 1)
    flow = gradient_flow_mp(obj, ["1.5", "0.2"], dps=30)
    with mpmath.workdps(30):
        a, b = flow(1)
        assert abs((a**2 - b**2) - (mpmath.mpf("1.5")**2 - mpmath.mpf("0.2")**2)) < 1e-25
