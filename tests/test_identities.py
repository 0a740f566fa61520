"""lrtheory.identities: a = b decided exactly, by a certain ball sign, or to 20 digits; the
expected outcomes are derived by hand (closed forms, exact rationals, mpmath at 100
digits)."""
from __future__ import annotations

import mpmath
import sympy as sp

from lrtheory.identities import DPS, compare, difference_ball

x, y = sp.symbols("x y", real=True)


def test_an_exact_identity_is_equal_symbolically():
    assert compare((x + y)**2, x**2 + 2 * x * y + y**2, (x, y)).status == "equal"
    assert compare(sp.sin(x)**2 + sp.cos(x)**2, sp.Integer(1), (x,)).method == "symbolic"


def test_a_rational_difference_is_named_exactly_at_the_first_sample():
    # x² − x at the first sample x = 1/3 is 1/9 − 1/3 = −2/9
    c = compare(x**2, x, (x,))
    assert (c.status, c.method, c.point, c.difference) == \
        ("different", "exact", (sp.Rational(1, 3),), "-2/9")
    # two variables: the samples are taken in turn, (1/3, −2/7); x·y − 0 = −2/21
    c = compare(x * y, sp.Integer(0), (x, y))
    assert c.point == (sp.Rational(1, 3), sp.Rational(-2, 7)) and c.difference == "-2/21"


def test_an_irrational_difference_is_certain_in_balls():
    # e^(1/3) − 4/3 = 0.0622790917527…  (mpmath at 100 digits)
    c = compare(sp.exp(x), 1 + x, (x,))
    assert (c.status, c.method) == ("different", "interval")
    with mpmath.workdps(100):
        want = mpmath.exp(mpmath.mpf(1) / 3) - mpmath.mpf(4) / 3
    assert abs(float(c.difference) - float(want)) < 1e-14


def test_a_true_identity_sympy_does_not_simplify_is_close_not_equal():
    # cos(π/7) + cos(3π/7) + cos(5π/7) = 1/2 (the real part of the sum of e^{ikπ/7}, k odd)
    s = sp.cos(sp.pi / 7) + sp.cos(3 * sp.pi / 7) + sp.cos(5 * sp.pi / 7)
    c = compare(s, sp.Rational(1, 2))
    assert (c.status, c.digits) == ("close", DPS // 2)


def test_no_defined_sample_leaves_it_undecided():
    # √(x − 10) is not real at any sample (all lie in (−1, 1))
    assert compare(sp.sqrt(x - 10), sp.Integer(0), (x,)).status == "undecided"


def test_difference_ball_encloses_the_value_and_is_exact_on_rationals():
    from flint import arb

    from lrtheory.precision import precision
    ball = difference_ball(sp.sqrt(2) * x, (x,), (sp.Rational(1, 3),), 40)
    with mpmath.workdps(100):
        want = mpmath.nstr(mpmath.sqrt(2) / 3, 90)
    with precision(100):
        assert ball.contains(arb(want))
        assert not ball.contains(arb(want) + arb(10) ** -38)
    assert float(ball.rad()) < 1e-35
    exact = difference_ball(x**2 - sp.Rational(1, 9), (x,), (sp.Rational(1, 3),), 40)
    assert exact.is_exact() and exact == 0
    assert difference_ball(1 / x, (x,), (sp.Integer(0),), 40) is None
