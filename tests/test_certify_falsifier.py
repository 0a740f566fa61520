"""Point margins and shrinking of counterexamples (lrtheory.certify.falsifier), against
values worked out by hand: AM–GM, sin x ≤ x, the Pythagorean identity."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp
from flint import arb, fmpq

from lrtheory.certify.falsifier import PointMargin, shrink_counterexample, simple_rationals
from lrtheory.precision import precision

x, y = sp.symbols("x y", real=True)
R = sp.Rational


def margin(lhs, rhs, variables, strict=False):
    return PointMargin(rhs - lhs, lhs, rhs, variables, strict)


def test_rational_margins_are_exact():
    amgm = margin(x * y, (x**2 + y**2) / 2, (x, y))            # g = (x − y)²/2
    assert amgm.exact
    holds, g, lhs, rhs = amgm((R(1), R(3)))
    assert holds is True and g == fmpq(2) and lhs == fmpq(3) and rhs == fmpq(5)
    assert amgm((R(1), R(1)))[0] is True                       # g = 0: ≥ holds …
    assert margin(x * y, (x**2 + y**2) / 2, (x, y), strict=True)((R(1), R(1)))[0] is False
    assert margin(1 / x, sp.Integer(0), (x,))((R(0),)) == (None, None, None, None)


def test_irrational_margins_are_certain_balls_or_undecided():
    sine = margin(sp.sin(x), x, (x,))                           # x − sin x = x³/6 − …
    assert not sine.exact
    holds, g, _, _ = sine((R(1, 2),))
    with mpmath.workdps(80):
        want = mpmath.nstr(mpmath.mpf(1) / 2 - mpmath.sin(mpmath.mpf(1) / 2), 70)
    with precision(80):
        assert holds is True and g.contains(arb(want)) and float(g.rad()) < 1e-35
    assert sine((R(-1, 2),))[0] is False                        # x − sin x < 0 for x < 0
    pythagoras = margin(sp.sin(x)**2 + sp.cos(x)**2, sp.Integer(1), (x,))
    assert pythagoras((R(1, 3),))[0] is None                    # g ≡ 0: a ball holds 0


def test_simple_rationals_by_denominator_then_size():
    assert simple_rationals(-1, 1) == [0, -1, 1, R(-1, 2), R(1, 2), R(-1, 3), R(1, 3),
                                       R(-2, 3), R(2, 3), R(-1, 4), R(1, 4), R(-3, 4),
                                       R(3, 4)]
    wide = simple_rationals(0, 150)                # 301 halves: only the integers are kept
    assert wide == list(map(sp.Integer, range(151)))


def test_a_counterexample_is_shrunk_to_the_simplest_one():
    # x + y ≤ 1 on [0, 3]²: from (5/2, 7/3), x becomes 0 (0 + 7/3 > 1), then y the
    # smallest integer above 1, 2.
    fails = lambda p: p[0] + p[1] > 1  # noqa: E731
    box = ((0, 3), (0, 3))
    assert shrink_counterexample((R(5, 2), R(7, 3)), box, fails) == (0, 2)
    assert shrink_counterexample((R(0), R(2)), box, fails) == (0, 2)


# ---- what the falsifier tries over a set --------------------------------------------------
def test_falsifier_rates_are_the_closed_ends_the_simplest_rate_and_the_inner_grid():
    from lrtheory.certify.falsifier import falsifier_rates
    from lrtheory.certify.sets import interval
    assert falsifier_rates(interval("[1, 2]")) == [1, R(5, 4), R(3, 2), R(7, 4), 2]
    assert falsifier_rates(interval("(1, 2)")) == [R(5, 4), R(3, 2), R(7, 4)]
    assert falsifier_rates(interval("[3/2, 3/2]")) == [R(3, 2)]


def test_sample_starts_are_the_points_or_the_corners_and_centre():
    from lrtheory.certify.falsifier import sample_starts
    from lrtheory.certify.sets import box, point_set
    got = sample_starts(box([["0", "1"], ["2", "3"]], 2))
    assert sorted(got) == sorted([(0, 2), (0, 3), (1, 2), (1, 3), (R(1, 2), R(5, 2))])
    assert sample_starts(point_set([["1/3"]], 1)) == [(R(1, 3),)]


def test_exact_cycle_of_the_cubic_map():
    from lrtheory.certify.falsifier import exact_cycle
    from lrtheory.objectives import Objective
    quartic = Objective(x**2 / 2 + x**4 / 4, [x])           # G(x) = x − (x + x³) = −x³
    orbit = exact_cycle(quartic, (R(1),), R(1))
    assert (orbit.preperiod, orbit.period, orbit.points[:3]) == (0, 2, ("1", "-1", "1"))
    assert exact_cycle(quartic, (R(1),), sp.sqrt(2)) is None
    assert exact_cycle(quartic, (R(1, 2),), R(1)).period is None   # |x_k| = 2^(−3^k) → 0


def test_crossings_over_an_interval_change_sign_exactly():
    from lrtheory.certify.falsifier import crossings_over
    from lrtheory.certify.sets import interval, point_set
    from lrtheory.objectives import Objective
    obj = Objective(x**3 / 3 + x**2 / 2, [x])                # stationary points 0 and −1
    found = list(crossings_over(obj, point_set([["1/5"]], 1), interval("[31/10, 4]")))
    assert found
    for c in found:
        target = Fraction(str(c.target))

        def psi(h):                                          # T_h^n(1/5) − x*, exactly
            v = Fraction(1, 5)
            for _ in range(c.step):
                v = v - h * (v * v + v)
            return v - target
        lo, hi = (Fraction(int(r.p), int(r.q)) for r in (c.h_lo, c.h_hi))
        assert psi(lo) * psi(hi) < 0 and Fraction(31, 10) <= lo < hi <= 4
    two = Objective(x**2 + y**2, [x, y])
    assert list(crossings_over(two, point_set([["1", "1"]], 2), interval("[1, 2]"))) == []
