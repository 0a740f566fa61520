"""One number rule: a Python float means the decimal it prints as, on every exact path.

The expected values are derived independently of lrtheory: ``Fraction(repr(x))`` is the
shortest decimal of ``x`` read exactly by the standard library."""
from fractions import Fraction

import mpmath
import numpy as np
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory import numbers, objectives
from lrtheory.gd.precise import to_mpf as gd_to_mpf
from lrtheory.objectives import Objective

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(finite)
def test_every_conversion_reads_a_float_as_its_shortest_decimal(x):
    q = Fraction(repr(x))
    want = fmpq(q.numerator, q.denominator)
    assert numbers.to_fmpq(x) == want
    assert objectives.to_fmpq(x) == want  # the same function, re-exported
    assert numbers.to_fraction(x) == q
    assert numbers.to_fmpq(np.float64(x)) == want
    with mpmath.workdps(40):
        exact = mpmath.mpf(q.numerator) / q.denominator
        assert numbers.to_mpf(x) == exact and gd_to_mpf(x) == exact
        assert gd_to_mpf(np.float64(x)) == exact


def test_point_one_is_one_tenth_not_its_binary_value():
    assert numbers.to_fmpq(0.1) == fmpq(1, 10) == objectives.to_fmpq(0.1)
    assert objectives.to_fmpq(Fraction(0.1)) == fmpq(3602879701896397, 2**55)
    # the exact GD backend starts where the float says: x1 = (1 - h) x0 for f = x^2/2
    run = Objective("x**2/2", "x").exact.gd_step([0.1], 0.5)
    assert run == [fmpq(1, 20)]


def test_exact_values_convert_whatever_their_size():
    """Results of exact computations (long rationals of exact GD orbits) are not text and
    are not held to the parsing limits."""
    big = Fraction(3**4000 + 1, 2**5000)
    assert numbers.to_fmpq(big) == fmpq(3**4000 + 1, 2**5000)
    assert numbers.to_fmpq(fmpq(7, 3)) == fmpq(7, 3)
    assert numbers.to_fmpq(10**2000) == fmpq(10**2000)
