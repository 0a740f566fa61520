"""Singer's theorem for a non-polynomial objective, on an invariant interval.

f = −cos x: G_h(x) = x − h·sin x fixes 0 with multiplier 1 − h.  With G′ = 1 − h·cos x,
G″ = h·sin x, G‴ = h·cos x (by hand),

    Q = 2G‴G′ − 3G″² = h(2 cos x + h cos² x − 3h),

so Q(0, h) = 2h(1 − h) > 0 for h < 1 (SG > 0 at the fixed point: Singer cannot be used)
and Q ≤ h(2 + h − 3h) = 2h(1 − h) < 0 everywhere for h > 1.  For 1 < h < 2, G maps
I = [−3, 3] into itself: G(3) = 3 − h·sin 3 ∈ (2.7, 3) and on [0, 3] the minimum of
x − h·sin x is at cos x = 1/h, arccos(1/h) − √(h² − 1) > −1 (odd map: the same on
[−3, 0]).
"""
from __future__ import annotations

import math
from fractions import Fraction

from flint import arb

from lrtheory.atlas import ElementaryGD, classify_box
from lrtheory.atlas.maps import interval_ball
from lrtheory.objectives import Objective

GD = ElementaryGD(Objective("-cos(x)", "x"), radius=3)


def Q(x: float, h: float) -> float:
    return h * (2 * math.cos(x) + h * math.cos(x) ** 2 - 3 * h)


def test_the_closed_form_facts():
    assert Q(0, 0.7) > 0
    assert max(Q(x / 100, h) for x in range(-300, 301) for h in (1.05, 1.5, 1.95)) < 0
    for h in (1.05, 1.5, 1.95):
        assert 2.7 < 3 - h * math.sin(3) < 3
        assert math.acos(1 / h) - math.sqrt(h * h - 1) > -1


def test_higher_derivatives_of_the_map_in_balls():
    X, H = interval_ball(0.5, 0.5), arb("1.5")
    assert GD.derivative(X, H, 2).contains(arb(1.5 * math.sin(0.5)))
    assert GD.derivative(X, H, 3).contains(arb(1.5 * math.cos(0.5)))
    assert abs(float(GD.derivative(X, H, 3).mid()) - 1.5 * math.cos(0.5)) < 1e-12


def test_schwarzian_and_invariance_follow_the_closed_form():
    high, low = interval_ball(1.1, 1.9), interval_ball(0.5, 0.8)
    assert GD.negative_schwarzian(3, high)
    assert not GD.negative_schwarzian(3, low)
    assert GD.invariant(high)
    h = 4.5  # x − h·sin x at cos x = 1/h leaves [−3, 3]
    assert math.acos(1 / h) - math.sqrt(h * h - 1) < -3
    assert not GD.invariant(interval_ball(4.5, 5))


def test_unique_attracting_fixed_point_in_the_interval():
    box = classify_box(GD, Fraction(11, 10), Fraction(13, 10), 3)
    assert (box.label, box.period, box.unique) == ("attracting", 1, True)
    assert "invariant interval [-3, 3]" in box.reason
    assert box.cycle[0].to_arb().contains(0)
    below = classify_box(GD, Fraction(1, 2), Fraction(4, 5), 3)
    assert (below.label, below.period, below.unique) == ("attracting", 1, False)
    assert "negative Schwarzian not proved" in below.reason
