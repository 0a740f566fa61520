"""Quantities along GD (lrtheory.dynamics.quantities) against closed forms.

* f = (xy − 1)²/2, r = xy − 1: G(x, y) = (x − lr·r·y, y − lr·r·x), so
  q = x² − y² obeys q(G(x)) = (1 − lr²r²)·q(x): the difference is −lr²r²q, not 0.
* f = (x + y)²/2: both coordinates move by −lr(x + y), so x − y is conserved exactly.
* f = (x − 1)²/2, q = x: x_k = 1 + (1 − lr)^k (x₀ − 1), so
  q(x_{k+1}) − q(x_k) = −lr(1 − lr)^k (x₀ − 1) < 0 for x₀ > 1 and 0 < lr < 1.
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp
from flint import arb, fmpq

from lrtheory.dynamics.quantities import (DPS, conserved_identically, difference_sign,
                                          quantity_differences, refined_differences)
from lrtheory.objectives import Objective
from lrtheory.precision import precision

x, y = sp.symbols("x y", real=True)
FACTOR = Objective((x * y - 1)**2 / 2, [x, y])


def test_difference_sign_is_exact_or_certain():
    assert [difference_sign(fmpq(v), True) for v in (-3, 0, 2)] == [-1, 0, 1]
    assert difference_sign(arb(1, 0.5), False) == 1
    assert difference_sign(arb(-1, 0.5), False) == -1
    assert difference_sign(arb(0, 1e-30), False) is None       # a ball never proves 0
    assert difference_sign(arb("nan"), False) is None


def test_exact_differences_follow_the_closed_form_recurrence():
    lr = Fraction(1, 10)
    diffs = quantity_differences(FACTOR, x**2 - y**2, (sp.Integer(1), sp.Integer(0)),
                                 sp.Rational(1, 10), 6)
    assert all(exact for _, exact in diffs)
    a, b, want = Fraction(1), Fraction(0), []
    for _ in range(6):
        r = a * b - 1
        want.append(-lr**2 * r**2 * (a * a - b * b))
        a, b = a - lr * r * b, b - lr * r * a
    assert [Fraction(int(d.p), int(d.q)) for d, _ in diffs] == want


def test_conservation_is_an_identity_only_when_it_holds_for_every_x():
    assert conserved_identically(Objective((x + y)**2 / 2, [x, y]), x - y, sp.Rational(1, 3))
    assert not conserved_identically(FACTOR, x**2 - y**2, sp.Rational(1, 10))


def test_raising_the_precision_decides_the_steps_the_first_precision_leaves_open():
    shift = Objective((x - 1)**2 / 2, [x])
    lr, steps = sp.sqrt(2) / 2, 150          # |1 − lr|^k reaches 10^-60 near k = 113
    first = quantity_differences(shift, x, (sp.Integer(2),), lr, steps, DPS)
    assert None in [difference_sign(d, e) for d, e in first]
    kept = refined_differences(shift, x, (sp.Integer(2),), lr, steps, False)
    assert [d.str(30) for d, _ in kept] == [d.str(30) for d, _ in first]
    refined = refined_differences(shift, x, (sp.Integer(2),), lr, steps)
    assert [difference_sign(d, e) for d, e in refined] == [-1] * steps
    with precision(1000):                     # d_140 = −lr(1 − lr)^140, to 280 digits
        want = arb(sp.N(-lr * (1 - lr)**140, 300).__str__())
        assert refined[140][0].overlaps(want)
