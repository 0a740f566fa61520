"""Sets as values (lrtheory.certify.sets): reading, membership, measure, bisection.

Expected values are elementary facts about the sets written in the tests (membership of
the ends, lengths as exact rationals), checked against the parsed objects."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from lrtheory.certify.sets import (Box, Interval, PointSet, box, interval, learning_rates,
                                   point_set, start_set)
from lrtheory.errors import InputError

R = sp.Rational


@pytest.mark.parametrize("text, lo, hi, lo_closed, hi_closed, measure", [
    ("(2, inf)", R(2), None, False, False, sp.oo),
    ("(0, 1]", R(0), R(1), False, True, R(1)),
    ("[1/10, 1/2]", R(1, 10), R(1, 2), True, True, R(2, 5)),
    ("[0.25, 3)", R(1, 4), R(3), True, False, R(11, 4)),
    ("(-inf, 0)", None, R(0), False, False, sp.oo),
    (["1/10", "0.5"], R(1, 10), R(1, 2), True, True, R(2, 5)),
    ("1/3", R(1, 3), R(1, 3), True, True, R(0)),
])
def test_interval_reading(text, lo, hi, lo_closed, hi_closed, measure):
    s = interval(text)
    assert (s.lo, s.hi, s.lo_closed, s.hi_closed) == (lo, hi, lo_closed, hi_closed)
    assert s.measure() == measure
    if lo is not None:
        assert s.contains(lo) == lo_closed
        assert not s.contains(lo - 1)
    if hi is not None:
        assert s.contains(hi) == hi_closed
        assert not s.contains(hi + 1)


@pytest.mark.parametrize("bad", ["[-inf, 3)", "(0, inf]", "(1, 0)", "(1, 1)", "[a, b]",
                                 "(__import__('os'), 1)", "(1, 2, 3)", ["1"], "[1/0, 2]"])
def test_bad_intervals_are_input_errors(bad):
    with pytest.raises(InputError):
        interval(bad)


def test_learning_rates_are_positive():
    assert learning_rates("(0, 1]").contains("1")
    for bad in ("[0, 1]", "(-1, 2)", "(-inf, 1)"):
        with pytest.raises(InputError, match="positive"):
            learning_rates(bad)


def test_bisection_partitions_the_interval():
    for text in ("[1/10, 1/2]", "(0, 1]", "(2, inf)", "(-inf, inf)", "[-3, 5)"):
        s = interval(text)
        a, b = s.bisect()
        probes = [R(k, 8) for k in range(-40, 80)]
        for x in probes:
            assert s.contains(x) == (a.contains(x) + b.contains(x) == 1), (text, x)
            assert not (a.contains(x) and b.contains(x))
        if s.bounded:
            assert a.measure() + b.measure() == s.measure()


def test_simplest_and_grid_stay_inside():
    for text in ("(0, 1]", "(2, inf)", "[31/10, 4]", "(1/3, 1/2)", "(-inf, -5)"):
        s = interval(text)
        q = s.simplest()
        assert s.contains(q)
    assert interval("(1/3, 1/2)").simplest() == R(2, 5)     # least denominator in between
    grid = interval("(0, 1]").grid(5)
    assert grid[-1] == 1 and grid[0] == R(1, 16) and all(interval("(0, 1]").contains(g)
                                                          for g in grid)


def test_float_box_rounds_outward():
    s = interval("[1/10, 1/3]")
    (lo, hi), = s.float_box()
    assert Fraction(lo) <= Fraction(1, 10) and Fraction(hi) >= Fraction(1, 3)
    assert interval("(2, inf)").float_box() == ((2.0, float("inf")),)


def test_boxes_and_point_sets():
    b = box([["-1", "1"], "(0, 2]"], 2)
    assert b.dim == 2 and b.measure() == 4
    assert b.contains((R(1), R(2))) and not b.contains((R(1), R(0)))
    p, q = b.bisect()
    assert p.measure() + q.measure() == 4
    assert sorted(b.corners()) == [(-1, 0), (-1, 2), (1, 0), (1, 2)]
    assert box(["-1", "1"], 3).sides == (interval(["-1", "1"]),) * 3
    with pytest.raises(InputError, match="one per variable"):
        box([["-1", "1"]], 2)
    pts = point_set(["1", "-1/2", "1"], 1)
    assert pts.points == ((R(1),), (R(-1, 2),)) and pts.measure() == 0
    assert isinstance(start_set([["0", "1"]], None, 2), PointSet)
    assert isinstance(start_set(None, [["0", "1"], ["0", "1"]], 2), Box)
    for starts, sbox in ((None, None), (["1"], [["0", "1"]])):
        with pytest.raises(InputError, match="either starts"):
            start_set(starts, sbox, 1)
    with pytest.raises(InputError, match="bounded"):
        start_set(None, ["(0, inf)"], 1)


def test_sets_round_trip_through_json():
    for s in (interval("(2, inf)"), interval("[1/10, 1/2]"), box([["-1", "1"], "(0, 2]"], 2),
              point_set([["1", "2"], ["0", "-1/3"]], 2)):
        back = type(s).from_json(s.to_json(exact=True))
        assert back == s and str(back) == str(s)
    assert isinstance(Interval.from_json(interval("(0, 1]").to_json(exact=True)), Interval)
