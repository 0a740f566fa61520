"""Point margins and shrinking of counterexamples (lrtheory.certify.falsifier), against
values worked out by hand: AM–GM, sin x ≤ x, the Pythagorean identity."""
from __future__ import annotations

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
