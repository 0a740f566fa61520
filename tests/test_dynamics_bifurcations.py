"""Bifurcation points of GD maps against closed forms derived by hand.

Double well f = (x² − 1)²/4, g(x) = x − h(x³ − x):
* the fixed point 1 has multiplier 1 − 2h: period doubling at h = 1;
* the 2-cycle born there has multiplier 9 − 2(1 + h)² (see test_dynamics_orbits): period
  doubling where (1 + h)² = 5, h = √5 − 1.
A fold of period-3 orbits is checked against an independent count: FLINT's exact real root
isolation of g³(t) − t just below and just above it.
"""
import pickle

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb

from lrtheory.catalogue import double_well
from lrtheory.dynamics.bifurcations import (FEIGENBAUM_DELTA, BifurcationSearch,
                                            DoublingCascade, bifurcation_enclosure,
                                            certify_bifurcation, find_bifurcations,
                                            period_doubling_cascade, recognize_closed_form,
                                            solve_extended)
from lrtheory.dynamics.orbits import _float_newton_seeds, real_periodic_points
from lrtheory.errors import InputError
from lrtheory.objectives import Objective
from lrtheory.precision import precision

OBJ = double_well(1)


def test_period_doubling_of_the_fixed_point_is_h_equal_1():
    x, h = solve_extended(OBJ, [0.9], 0.93, 1, "period-doubling", dps=50)
    assert abs(h - 1) < mpmath.mpf(10) ** -48 and abs(x[0] - 1) < mpmath.mpf(10) ** -48
    assert certify_bifurcation(OBJ, x, h, 1, "period-doubling", dps=50)


def test_period_doubling_of_the_two_cycle_is_sqrt5_minus_1():
    x, h = solve_extended(OBJ, [0.75], 1.2, 2, "period-doubling", dps=50)
    with mpmath.workdps(50):
        assert abs(h - (mpmath.sqrt(5) - 1)) < mpmath.mpf(10) ** -45
    assert certify_bifurcation(OBJ, x, h, 2, "period-doubling", dps=50)
    assert recognize_closed_form(h, 50) in ("-1 + sqrt(5)", "sqrt(5) - 1")
    test = bifurcation_enclosure(OBJ, x, h, 2, "period-doubling", dps=50)
    h_ball, x_ball = test.enclosure[-1].to_arb(), test.enclosure[0].to_arb()
    # h* = √5 − 1; the 2-cycle {(s ∓ d)/2} of the module docstring is then
    # {1/√2, (1 + √5)/(2√2)}
    with precision(dps=80):
        assert h_ball.contains(arb(5).sqrt() - 1) and h_ball.rad() < 1e-40
        cycle = [1 / arb(2).sqrt(), (1 + arb(5).sqrt()) / (2 * arb(2).sqrt())]
        assert sum(x_ball.contains(c) for c in cycle) == 1


def test_certification_rejects_a_wrong_point():
    with mpmath.workdps(50):
        h = mpmath.sqrt(5) - 1 + mpmath.mpf("1e-4")
        x = [mpmath.mpf("0.7071")]
    assert not certify_bifurcation(OBJ, x, h, 2, "period-doubling", dps=50, radius=1e-8)


def test_closed_form_recognition_needs_full_precision():
    with mpmath.workdps(50):
        assert recognize_closed_form(mpmath.pi / 3, 50) is None
        assert recognize_closed_form(mpmath.sqrt(2) + 1, 50) in ("1 + sqrt(2)", "sqrt(2) + 1")
        almost = mpmath.sqrt(2) + 1 + mpmath.mpf(10) ** -30
        assert recognize_closed_form(almost, 50) is None


def test_fold_of_period_three_against_exact_root_counts():
    seeds = _float_newton_seeds(OBJ, 1.46, 3, np.linspace(-1.5, 1.5, 301)[:, None])
    sol = None
    for s in seeds:
        sol = solve_extended(OBJ, s, 1.46, 3, "fold", dps=40)
        if sol is not None and 1.44 < sol[1] < 1.46:
            break
    assert sol is not None
    hstar = sol[1]
    t = sp.Symbol("t")
    below = sp.Rational(mpmath.nstr(hstar - mpmath.mpf("1e-6"), 20))
    above = sp.Rational(mpmath.nstr(hstar + mpmath.mpf("1e-6"), 20))
    n_below = len(real_periodic_points(t * (1 + below - below * t**2), t, 3, (-2, 2)))
    n_above = len(real_periodic_points(t * (1 + above - above * t**2), t, 3, (-2, 2)))
    assert n_below == 0 and n_above == 12   # two folds (x -> -x symmetry), 2 orbits each
    assert certify_bifurcation(OBJ, sol[0], hstar, 3, "fold", dps=40)


def test_find_bifurcations_sorted_with_closed_forms():
    res = find_bifurcations(OBJ, ("0.8", "1.25"), 2, dps=40, samples=12, starts=40)
    assert isinstance(res, BifurcationSearch) and res.method == "sample"
    assert res.complete.status == "not proved" and "12 points" in res.complete.reason
    assert res.lr_range == (sp.Rational(4, 5), sp.Rational(5, 4))
    found = res.bifurcations
    lrs = [b.lr for b in found]
    assert lrs == sorted(lrs)
    kinds = {(b.kind, b.period, b.closed_form) for b in found}
    assert ("period-doubling", 1, "1") in kinds
    assert any(k[1] == 2 and k[2] in ("-1 + sqrt(5)", "sqrt(5) - 1") for k in kinds)
    assert all(b.certified for b in found)
    with precision(dps=60):   # the certified enclosures hold the closed forms 1 and √5 − 1
        for b in found:
            exact = arb(1) if b.period == 1 else arb(5).sqrt() - 1
            assert b.lr_enclosure.to_arb().contains(exact)
    assert pickle.loads(pickle.dumps(res)) == res == BifurcationSearch.from_json(res.to_json(exact=True))
    with pytest.raises(InputError):
        find_bifurcations(OBJ, ("1", "0.5"), 2)


def test_cascade_ratios_approach_feigenbaum():
    r = period_doubling_cascade(OBJ, 1.0, 1.0, 7, dps=40)
    assert isinstance(r, DoublingCascade) and r["ratios"] is r.ratios   # the dict-style view
    hs = [b.lr for b in r.bifurcations]
    assert [b.period for b in r.bifurcations] == [1, 2, 4, 8, 16, 32, 64]
    assert all(a < b for a, b in zip(hs, hs[1:]))
    with mpmath.workdps(40):
        assert abs(hs[1] - (mpmath.sqrt(5) - 1)) < mpmath.mpf(10) ** -35
    delta = mpmath.mpf(FEIGENBAUM_DELTA)
    errs = [abs(d - delta) for d in r.ratios]
    assert all(a > b for a, b in zip(errs, errs[1:]))      # ratios converge monotonically
    assert r.deviation < 1e-3
    assert DoublingCascade.from_json(r.to_json(exact=True)) == r == pickle.loads(pickle.dumps(r))


def test_cascade_on_a_multiscale_non_polynomial_map():
    """f = x²/2 + sin(10x)/10 (KT-style multiscale objective): the fixed point at a
    microscopic minimum (x + cos(10x) = 0, x ≈ 0.427) doubles at h = 2/f''(x*), and the
    cascade's ratios still approach δ."""
    obj = Objective("x**2/2 + sin(10*x)/10", "x")
    with mpmath.workdps(40):
        xs = mpmath.findroot(lambda x: x + mpmath.cos(10 * x), 0.43)
        h1 = 2 / (1 - 10 * mpmath.sin(10 * xs))
    r = period_doubling_cascade(obj, float(xs), float(h1) + 1e-3, 7, dps=30)
    with mpmath.workdps(40):
        assert abs(r.bifurcations[0].lr - h1) < 1e-25
    assert [b.period for b in r.bifurcations][-1] == 64
    assert abs(r.ratios[-1] - mpmath.mpf(FEIGENBAUM_DELTA)) < 0.01
    assert r.regular


def test_orbit_derivatives_match_finite_differences():
    """The exact derivative recursion against central differences at 40 digits (2-D,
    non-polynomial objective)."""
    from lrtheory.dynamics.bifurcations import orbit_derivatives
    obj = Objective("(1 - x*y)**2/2 + sin(x)/5", "x,y")
    with mpmath.workdps(40):
        z0, h, p = [mpmath.mpf("0.3"), mpmath.mpf("-0.7")], mpmath.mpf("0.9"), 3
        x, A, b, dA, dAh = orbit_derivatives(obj, z0, h, p)

        def end(z, hh):
            return orbit_derivatives(obj, z, hh, p)[:2]
        eps = mpmath.mpf(10) ** -15
        for j in range(2):
            zp, zm = list(z0), list(z0)
            zp[j] += eps
            zm[j] -= eps
            (xp, Ap), (xm, Am) = end(zp, h), end(zm, h)
            for i in range(2):
                assert abs((xp[i] - xm[i]) / (2 * eps) - A[i][j]) < 1e-20
                for k in range(2):
                    assert abs((Ap[i][k] - Am[i][k]) / (2 * eps) - dA[j][i][k]) < 1e-20
        (xp, Ap), (xm, Am) = end(z0, h + eps), end(z0, h - eps)
        for i in range(2):
            assert abs((xp[i] - xm[i]) / (2 * eps) - b[i]) < 1e-20
            for k in range(2):
                assert abs((Ap[i][k] - Am[i][k]) / (2 * eps) - dAh[i][k]) < 1e-20


def test_cascade_follows_the_branch_born_at_each_doubling():
    """KT-2 map x ↦ x − η(x + cos(x/ε)), f = x²/2 + ε sin(x/ε), ε = 1/1000: another
    period-2 orbit coexists and doubles at η/ε ≈ 3.4526; the branch born at η₁ doubles at
    η₂/ε = 3.431689008… (an independent continuation of the period-2 orbit in η with
    root finding for its multiplier −1).  η₁ = 2/f″(x*) at the microscopic minimum
    x* + cos(1000x*) = 0 near 0."""
    obj = Objective("x**2/2 + sin(1000*x)/1000", "x")
    with mpmath.workdps(40):
        eps = mpmath.mpf(1) / 1000      # f′ changes sign on [−0.0016, −0.0015], f″ > 0 there
        xs = mpmath.findroot(lambda x: x + mpmath.cos(x / eps), (-0.0016, -0.0015),
                             solver="anderson")
        h1 = 2 / (1 - mpmath.sin(xs / eps) / eps)
    r = period_doubling_cascade(obj, xs, h1, 5, dps=30)
    assert [b.period for b in r.bifurcations] == [1, 2, 4, 8, 16]
    with mpmath.workdps(40):
        etas = [b.lr / eps for b in r.bifurcations]
        assert abs(etas[0] - h1 / eps) < 1e-25
        assert abs(etas[0] - mpmath.mpf("1.998004456")) < 1e-9
        assert abs(etas[1] - mpmath.mpf("3.431689008")) < 1e-9
    assert r.regular


def test_bialternate_product_has_the_pairwise_products_as_eigenvalues():
    """A⊙A for a 3×3 matrix: eigenvalues µ_iµ_j (i < j), against numpy's eigenvalues of A."""
    from lrtheory.dynamics.bifurcations import bialternate
    rng = np.random.default_rng(3)
    A = rng.normal(size=(3, 3))
    mu = np.linalg.eigvals(A)
    expected = sorted((mu[i] * mu[j] for i in range(3) for j in range(i + 1, 3)),
                      key=lambda z: (round(z.real, 9), round(z.imag, 9)))
    P = np.array(bialternate(A.tolist(), A.tolist()), dtype=float)
    got = sorted(np.linalg.eigvals(P), key=lambda z: (round(z.real, 9), round(z.imag, 9)))
    assert np.allclose(got, expected, atol=1e-12)


def test_parameter_column_and_ns_jacobian_match_finite_differences():
    """∂E/∂a (with a free) and the Jacobian of the Neimark–Sacker system against central
    differences at 40 digits (2-D, period 2)."""
    from lrtheory.bifurcation.curves import with_parameter
    from lrtheory.dynamics.bifurcations import extended_residual, extended_system
    obj = with_parameter("x**4/4 + y**4/4 - a*x*y + sin(x)/7", "x,y", "a")
    a = obj.params[0]
    with mpmath.workdps(40):
        z = [mpmath.mpf("0.55"), mpmath.mpf("1.15"), mpmath.mpf("0.61"), mpmath.mpf("0.9")]
        eps = mpmath.mpf(10) ** -15
        for sigma in (1, -1, "ns"):
            F, J = extended_system(obj, z, 2, sigma, param=(a, None), free_param=True)
            assert F == extended_residual(obj, z[:3], 2, sigma, param=(a, z[3]))
            for j in range(4):
                zp, zm = list(z), list(z)
                zp[j] += eps
                zm[j] -= eps
                Fp = extended_system(obj, zp, 2, sigma, param=(a, None), free_param=True)[0]
                Fm = extended_system(obj, zm, 2, sigma, param=(a, None), free_param=True)[0]
                for i in range(3):
                    assert abs((Fp[i] - Fm[i]) / (2 * eps) - J[i][j]) < 1e-20


def test_neimark_sacker_point_in_closed_form():
    """GD on x⁴/4 + y⁴/4 − xy: the 2-cycle {(u, v), (v, u)} (u² + v² = 1/h,
    uv = (1 − h)/h) has complex multipliers of modulus 1 at h = (9 − √17)/8 (derivation in
    tests/test_continuation.py)."""
    obj = Objective("x**4/4 + y**4/4 - x*y", "x,y")
    x, h = solve_extended(obj, [0.55, 1.15], 0.61, 2, "neimark-sacker", dps=50)
    with mpmath.workdps(50):
        assert abs(h - (9 - mpmath.sqrt(17)) / 8) < mpmath.mpf(10) ** -45
    test = bifurcation_enclosure(obj, x, h, 2, "neimark-sacker", dps=50)
    with precision(dps=60):
        assert test.proved and test.enclosure[-1].to_arb().contains((9 - arb(17).sqrt()) / 8)
    with pytest.raises(InputError):
        solve_extended(OBJ, [1], 1, 1, "neimark-sacker")       # needs dimension >= 2
