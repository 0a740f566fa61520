"""Periodic orbits and their certification, against closed forms derived by hand.

For the double-well GD map g(x) = x − h(x³ − x) (f = (x² − 1)²/4):
* fixed points 0, ±1 with multipliers 1 + h and 1 − 2h;
* the non-symmetric 2-cycle {a, b}: subtracting and adding g(a) = b, g(b) = a gives
  s = a + b, q = ab with s² = (3 + h)/h, q = 1/h, and multiplier
  g'(a)g'(b) = 9 − 2(1 + h)² (attracting for 1 < h < √5 − 1).
"""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory.catalogue import double_well, factorization_vector
from lrtheory.dynamics import krawczyk
from lrtheory.dynamics.orbits import (_canonical_float, basin_fractions, canonical_rotation,
                                      exact_lr, find_periodic_orbits,
                                      float_orbits, minimal_period, real_periodic_points,
                                      same_orbit, search_periodic_orbits)
from lrtheory.errors import InputError
from lrtheory.objectives import Objective
from lrtheory.precision import precision

H = sp.Rational(6, 5)


def two_cycle_closed_form(h):
    s = mpmath.sqrt((3 + h) / h)
    q = 1 / h
    d = mpmath.sqrt(s * s - 4 * q)
    return sorted([(s - d) / 2, (s + d) / 2]), 9 - 2 * (1 + h) ** 2


def test_fixed_points_of_the_double_well_map():
    orbits = find_periodic_orbits(double_well(1), sp.Rational(1, 2), 1, (-3, 3), starts=60,
                                  dps=40, certify=True)
    pts = sorted(float(o.points[0][0]) for o in orbits)
    assert pts == pytest.approx([-1, 0, 1], abs=1e-30)
    for o in orbits:
        x = o.points[0][0]
        expected = 1 - mpmath.mpf(1) / 2 * (3 * x * x - 1)
        assert abs(o.multipliers[0] - expected) < 1e-35
        assert o.certified
        assert o.stable is (abs(expected) < 1)


def test_two_cycle_matches_the_closed_form_and_is_certified_attracting():
    orbits = find_periodic_orbits(double_well(1), H, 2, (-3, 3), starts=100, dps=50,
                                  certify=True)
    two = [o for o in orbits if o.period == 2 and o.points[0][0] > 0 and o.points[1][0] > 0]
    assert len(two) == 1
    o = two[0]
    with mpmath.workdps(50):
        (a, b), mult = two_cycle_closed_form(mpmath.mpf(6) / 5)
        got = sorted(c[0] for c in o.points)
        assert abs(got[0] - a) < mpmath.mpf(10) ** -45
        assert abs(got[1] - b) < mpmath.mpf(10) ** -45
        assert abs(o.multipliers[0] - mult) < mpmath.mpf(10) ** -40
    assert o.certified and o.stable is True
    enclosure = o.certificate.multipliers[0].real   # an exact Ball
    assert enclosure.contains(Fraction(-17, 25))    # 9 - 2(1 + 6/5)^2 = -17/25
    assert enclosure.radius < 1e-15
    assert o.certificate.multipliers[0].imag.contains(0)


def test_krawczyk_rejects_a_wrong_box():
    obj = double_well(1)
    with mpmath.workdps(50):
        (a, b), _ = two_cycle_closed_form(mpmath.mpf(6) / 5)
        good = krawczyk.krawczyk_box(obj, [[a], [b]], H, 1e-20, 50)
        assert good.proved and good.minimal
        shifted = krawczyk.krawczyk_box(obj, [[a + mpmath.mpf("1e-3")], [b]], H, 1e-6, 50)
        assert not shifted.proved
        # a box around a point that is not periodic at all
        nowhere = krawczyk.krawczyk_box(obj, [[mpmath.mpf("0.3")], [mpmath.mpf("0.9")]], H,
                                        1e-3, 50)
        assert not nowhere.proved
    # a huge box holding three fixed points cannot prove uniqueness
    assert not krawczyk.krawczyk_box(obj, [[0]], H, 2.0, 30).proved


def test_minimizer_curve_is_reported_as_non_isolated():
    res = search_periodic_orbits(factorization_vector(1, 1), sp.Rational(1, 2), 1, (0.5, 2),
                                 starts=50, dps=30)
    assert res.orbits == ()          # every fixed point there lies on xy = 1
    pts = res.non_isolated_points(1)
    assert len(pts) and all(abs(x * y - 1) < 1e-9 for x, y in pts)   # float64 seeds


def test_blog8_diagonal_orbits_agree_with_exact_root_counts():
    """On x = y the GD map of (1-xy)^2/2 is t -> t(1+h-ht^2); the number of period-2
    points found equals FLINT's exact count."""
    h = sp.Rational(19, 10)
    orbits = find_periodic_orbits(factorization_vector(1, 1), h, 2, (-2.5, 2.5), starts=200,
                                  dps=40, certify=True)
    on_diag = [o for o in orbits if o.period == 2
               and all(abs(p[0] - p[1]) < 1e-30 for p in o.points)]
    t = sp.Symbol("t")
    exact = real_periodic_points(t * (1 + h - h * t**2), t, 2, (-2.5, 2.5))
    assert 2 * len(on_diag) == len(exact) == 6
    assert all(o.certified and o.stable is False for o in orbits)


def test_real_periodic_points_against_sympy():
    t = sp.Symbol("t")
    g = t * (1 + H - H * t**2)
    expr = sp.expand(g.subs(t, g) - t)
    sym = [r for r in sp.Poly(expr, t).real_roots()]
    fixed = [r for r in sp.Poly(sp.expand(g - t), t).real_roots()]
    certified = real_periodic_points(g, t, 2, (-3, 3))
    assert len(certified) == len(sym) - len(fixed)
    for r in certified:
        assert any(r.contains(arb(str(sp.N(s, 30)))) or abs(float(r.mid()) - float(s)) < 1e-12
                   for s in sym)


def test_helpers():
    pts = [[mpmath.mpf(2)], [mpmath.mpf(1)], [mpmath.mpf(3)]]
    assert [p[0] for p in canonical_rotation(pts)] == [1, 3, 2]
    assert minimal_period([[1], [2], [1], [2]], 1e-9) == 2
    assert exact_lr("1.9") == sp.Rational(19, 10)
    assert exact_lr(0.1) == sp.Rational(1, 10)
    for bad in ("0", "-1", "abc"):
        with pytest.raises(InputError):
            exact_lr(bad)
    with pytest.raises(InputError):
        find_periodic_orbits(double_well(1), 1, 0, (-1, 1))
    with pytest.raises(InputError):
        find_periodic_orbits(double_well(1), 1, 2, (1, -1))


def test_basins_of_the_attracting_two_cycle():
    obj = double_well(1)
    orbits = find_periodic_orbits(obj, H, 2, (-3, 3), starts=60, dps=30)
    attracting = [o for o in orbits if o.stable]
    b = basin_fractions(obj, float(H), attracting, (-1.5, 1.5), grid=41, steps=1500)
    # by the odd symmetry the two attracting 2-cycles (around +1 and -1) share the starts
    f = b["orbit_fractions"]
    assert len(f) == 2 and abs(f[0] - f[1]) < 0.05 and sum(f) > 0.5
    assert sum(b["fractions"].values()) + sum(f) == pytest.approx(1.0)


def test_ball_model_handles_balls_containing_zero():
    obj = factorization_vector(1, 1)
    bm = obj.arb
    with precision(dps=30):
        J = bm.gd_jacobian([arb(0, 1e-10), arb(0, 1e-10)], arb(1))
    assert all(J[i, j].is_finite() for i in range(2) for j in range(2))
    assert J[0, 1].contains(1) and J[0, 0].contains(1)


@settings(max_examples=8)
@given(a=st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=20),
       h=st.fractions(min_value=Fraction(1, 10), max_value=3, max_denominator=20))
def test_quadratic_fixed_point_property(a, h):
    """f = a x²/2: the only periodic point of period 1 is 0, with multiplier 1 − ha
    (certified), attracting iff |1 − ha| < 1; at |1 − ha| = 1 stability is undecided."""
    obj = Objective(sp.Rational(a.numerator, a.denominator) * sp.Symbol("x", real=True)**2 / 2,
                    (sp.Symbol("x", real=True),))
    hh = sp.Rational(h.numerator, h.denominator)
    res = find_periodic_orbits(obj, hh, 1, (-2, 2), starts=10, dps=30, certify=True)
    m = 1 - hh * sp.Rational(a.numerator, a.denominator)
    if m == 1:
        return
    assert len(res) == 1 and abs(res[0].points[0][0]) < 1e-25
    with mpmath.workdps(30):
        assert abs(res[0].multipliers[0] - mpmath.mpf(m.p) / m.q) < 1e-25
    if abs(m) != 1:
        assert res[0].certified and res[0].stable is bool(abs(m) < 1)
    else:
        assert res[0].stable is None and not res[0].certified


def test_search_finds_every_orbit_of_the_cubic_map_with_coverage():
    """g(t) = t(1 + h − ht²), h = 19/10 (GD on the double well; the diagonal map of BLOG-8):
    FLINT's exact root isolation of g^p(t) − t counts the points of minimal period p; every
    bounded orbit lies in [−2, 2] (|g(t)| > |t| for t² > (2 + h)/h)."""
    h, t = sp.Rational(19, 10), sp.Symbol("t")
    res = search_periodic_orbits(double_well(1), h, 5, (-2, 2), starts=50, dps=30)
    for c in res.coverage:
        exact = len(real_periodic_points(t * (1 + h - h * t**2), t, c.period, (-2, 2)))
        assert exact % c.period == 0
        assert c.found == len(res.by_period(c.period)) == exact // c.period
        assert c.complete == "estimated" and c.proof is None
        assert c.interval[0] <= exact // c.period <= c.interval[1]
        assert c.starts % (50 * 2 ** (c.period - 1)) == 0   # whole rounds of n_p starts
    assert [c.found for c in res.coverage] == [3, 3, 4, 10, 20]


def test_coverage_is_proved_by_branch_and_bound():
    """Double well at h = 6/5: the fixed points −1, 0, 1 and three 2-cycles (the symmetric
    one and the pair around ±1, closed form in the module docstring); no period-3 orbit
    (the period-3 window opens by a fold near h = 1.4504)."""
    res = search_periodic_orbits(double_well(1), H, 3, (-2, 2), starts=50, dps=30,
                                 certify=True, prove=3)
    assert [c.found for c in res.coverage] == [3, 3, 0]
    assert all(c.complete == "proved" and c.proof.complete for c in res.coverage)
    t = sp.Symbol("t")
    for c in res.coverage:   # independent count: exact real roots of g^p(t) − t
        exact = real_periodic_points(t * (1 + H - H * t**2), t, c.period, (-2, 2))
        assert len(exact) == c.period * c.found
    with pytest.raises(InputError):
        search_periodic_orbits(double_well(1), H, 2, (-2, 2), prove=2)   # needs certify


def test_anti_diagonal_and_diagonal_period_two_orbits_match_sympy_roots():
    """Period-2 orbits of GD on (1 − xy)²/2 on the invariant lines x = y (t ↦ t(1 + h − ht²))
    and x = −y (s ↦ s(1 − h − hs²)): the roots of (g∘g)(t) − t that are not fixed points,
    solved exactly by sympy, against the orbit points found (40 digits)."""
    h, t = sp.Rational(19, 10), sp.Symbol("t")
    orbits = find_periodic_orbits(factorization_vector(1, 1), h, 2, (-2.5, 2.5), starts=200,
                                  dps=40)
    found = [pt for o in orbits if o.period == 2 for pt in o.points]
    for sign, g in ((1, t * (1 + h - h * t**2)), (-1, t * (1 - h - h * t**2))):
        quotient = sp.cancel((g.subs(t, g) - t) / (g - t))
        roots = [r for r in sp.Poly(quotient, t).all_roots() if r.is_real]
        assert len(roots) in (2, 6)
        with precision(dps=40):
            for r in roots:
                v = mpmath.mpf(str(sp.N(r, 45)))
                assert sum(abs(x - v) < 1e-35 and abs(y - sign * v) < 1e-35
                           for x, y in found) == 1


def test_orbits_are_distinct_and_canonical():
    res = search_periodic_orbits(factorization_vector(1, 1), "1.9", 4, (-2.5, 2.5),
                                 starts=200, dps=30)
    orbits = res.orbits
    assert [len(res.by_period(p)) for p in (1, 2, 3, 4)] == [1, 4, 12, 28]
    for i, a in enumerate(orbits):
        assert canonical_rotation(list(a.points)) == list(a.points)
        assert not any(same_orbit(a.points, b.points, 1e-20) for b in orbits[i + 1:])


def test_canonical_float_start_is_invariant_under_rotation():
    obj = factorization_vector(1, 1)
    P = float_orbits(obj, 1.9, 4, np.array([[0.3, -0.7]]))[0]
    rotations = np.stack([np.roll(P, s, axis=0) for s in range(4)])
    C = _canonical_float(rotations)
    assert all(np.array_equal(C[0], c) for c in C)
    assert any(np.array_equal(C[0], np.roll(P, s, axis=0)) for s in range(4))


def test_fixed_points_on_the_invariant_lines_match_sympy():
    """∇f = 0 for f = (1 − xy)²/2 restricted to x = y (t³ − t = 0) and x = −y
    (s³ + s = 0), solved by sympy: t = 0 and s = 0 give the one isolated fixed point; t = ±1
    lie on the minimizer curve xy = 1, which the search reports as non-isolated."""
    obj = factorization_vector(1, 1)
    x, y = obj.vars
    t = sp.Symbol("t", real=True)
    on_diag = sp.solve(obj.gradient[0].subs({x: t, y: t}), t)   # ∂x f = ∂y f on x = y
    on_anti = sp.solve(obj.gradient[0].subs({x: t, y: -t}), t)
    assert obj.gradient[0].subs({x: t, y: t}) == obj.gradient[1].subs({x: t, y: t})
    assert sorted(on_diag) == [-1, 0, 1] and on_anti == [0]
    res = search_periodic_orbits(obj, "1.9", 1, (-2.5, 2.5), starts=200, dps=40)
    assert len(res.orbits) == 1 and all(abs(c) < 1e-35 for c in res.orbits[0].points[0])
    curve = res.non_isolated_points(1)
    assert all(abs(a * b - 1) < 1e-9 for a, b in curve)
    for r in (-1, 1):      # the non-isolated solutions on the diagonal are reached
        assert np.min(np.max(np.abs(curve - [r, r]), axis=1)) < 0.05


def test_failed_completeness_proof_is_reported_not_hidden():
    """Without the band argument the curve of fixed points xy = 1 keeps boxes undecided:
    the period stays "estimated" and the summary says why."""
    res = search_periodic_orbits(factorization_vector(1, 1), "1.9", 1, (-2.5, 2.5),
                                 starts=100, dps=30, certify=True, prove=1, prove_depth=6)
    c = res.coverage[0]
    assert c.found == 1 and c.complete == "estimated" and not c.proof.complete
    assert c.proof.search.undecided and "not proved" in c.summary()
    assert "boxes undecided (measure" in repr(res)
