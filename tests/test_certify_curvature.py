"""lrtheory.certify.curvature: global bounds m ≤ λ(∇²f) ≤ M on the whole space, against
closed-form curvature ranges and numpy's eigenvalues at sampled points; GD divergence
(h·m > 2) and global contraction (h·M < 2) against exact mpmath runs; the atlas classes
they give to non-polynomial objectives in one and two variables."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from flint import arb

from lrtheory.atlas.classify import classify_box
from lrtheory.atlas.maps import gd_map, lr_ball
from lrtheory.certify.curvature import (CONVERGES, DIVERGES, curvature_bounds,
                                        global_gd_class, minimizer_enclosure)
from lrtheory.objectives import Objective
from lrtheory.precision import precision

SINE = Objective("x**2/2 + sin(x)/4", "x")                 # f'' = 1 − sin(x)/4 ∈ [3/4, 5/4]
PLANE = Objective("(x**2 + y**2)/2 + cos(x)*cos(y)/8", "x,y")  # λ ∈ [7/8, 9/8]


@pytest.mark.parametrize("expr, vars, m, M, slack", [
    ("x**2/2 + sin(x)/4", "x", Fraction(3, 4), Fraction(5, 4), Fraction(1, 10**8)),
    # f'' = 1 + (cos²x − sin²x)/5 = 1 + cos(2x)/5: tight only through the trigsimp form
    ("x**2/2 + sin(x)**2/10", "x", Fraction(4, 5), Fraction(6, 5), Fraction(1, 10**8)),
    ("x**4 + x**2/3", "x", Fraction(2, 3), None, Fraction(1, 10**9)),   # min of 12x² + 2/3
    ("x**4 - x**2", "x", Fraction(-2), None, 0),                 # min of 12x² − 2, exact
    ("x**2 + x*y + y**2", "x,y", Fraction(1), Fraction(3), 0),   # [[2, 1], [1, 2]], exact
    # the rest's eigenvalues are −cos(x ± y)/8; its norm is bounded by the row sum 1/4
    ("(x**2 + y**2)/2 + cos(x)*cos(y)/8", "x,y", Fraction(7, 8), Fraction(9, 8),
     Fraction(1, 8) + Fraction(1, 10**8)),
])
def test_the_bounds_hold_and_are_close_to_the_true_range(expr, vars, m, M, slack):
    b = curvature_bounds(Objective(expr, vars))
    assert b.m <= m and m - b.m <= slack      # sound, and as near the true minimum as shown
    if M is None:
        assert b.M is None
    else:
        assert b.M >= M and b.M - M <= slack


@pytest.mark.parametrize("obj", [SINE, PLANE, Objective("x**4 + x**2/3", "x")],
                         ids=["sine", "plane", "quartic"])
def test_every_sampled_hessian_lies_within_the_bounds(obj):
    b = curvature_bounds(obj)
    rng = np.random.default_rng(0)
    for x in rng.uniform(-50, 50, size=(300, obj.dim)):
        H = np.array(obj.mpmath.hess([mpmath.mpf(float(v)) for v in x]).tolist(), dtype=float)
        w = np.linalg.eigvalsh(H)
        assert w[0] >= float(b.m) - 1e-12
        assert b.M is None or w[-1] <= float(b.M) + 1e-12


@pytest.mark.parametrize("expr, vars, why", [
    ("x**3", "x", "unbounded-below"),
    ("-x**4", "x", "unbounded-below"),
    ("log(cosh(x))", "x", "not bounded"),          # sech² is bounded, Arb cannot show it
    ("(1 - x*y)**2/2", "x,y", "not constant"),
])
def test_no_bound_is_claimed_where_none_is_proved(expr, vars, why):
    b = curvature_bounds(Objective(expr, vars))
    assert b.lower is None and b.upper is None and why in b.how
    assert global_gd_class(b, arb(3)) is None


def _minimizer():
    with mpmath.workdps(60):
        return mpmath.findroot(lambda x: x + mpmath.cos(x) / 4, 0)


def _holds(ball, value) -> bool:
    """The ball contains the 60-digit value."""
    with precision(80):
        return ball.to_arb().contains(arb(mpmath.nstr(value, 60)))


def test_divergence_when_h_m_exceeds_two_against_exact_runs():
    b = curvature_bounds(SINE)
    assert global_gd_class(b, lr_ball(Fraction(27, 10), Fraction(4)))[0] == DIVERGES
    assert global_gd_class(b, lr_ball(Fraction(26, 10), Fraction(27, 10))) is None  # 2/m inside
    xs = _minimizer()
    with mpmath.workdps(60):
        for h in (mpmath.mpf("2.7"), mpmath.mpf(4)):
            x, d = xs + mpmath.mpf("1e-6"), mpmath.mpf("1e-6")
            for _ in range(20):                     # |x_k − x*| grows at least by h·3/4 − 1
                x = x - h * (x + mpmath.cos(x) / 4)
                assert abs(x - xs) >= (h * 3 / 4 - 1) * d * (1 - mpmath.mpf(10) ** -40)
                d = abs(x - xs)


def test_contraction_when_h_big_m_is_below_two_and_the_minimizer_is_enclosed():
    b = curvature_bounds(SINE)
    assert global_gd_class(b, lr_ball(Fraction(1, 10), Fraction(3, 2)))[0] == CONVERGES
    assert global_gd_class(b, lr_ball(Fraction(3, 2), Fraction(17, 10))) is None
    (ball,) = minimizer_enclosure(SINE, b)
    assert _holds(ball, _minimizer())
    assert float(ball.to_arb().rad()) < 1e-12
    with mpmath.workdps(60):
        x = mpmath.mpf(40)
        for _ in range(200):                        # h = 3/2 < 2/M: GD reaches x*
            x = x - mpmath.mpf(3) / 2 * (x + mpmath.cos(x) / 4)
        assert abs(x - _minimizer()) < 1e-40


def test_the_atlas_classifies_non_polynomial_objectives_from_the_bounds():
    sine = gd_map(SINE)
    box = classify_box(sine, Fraction(3), Fraction(4), 2)
    assert box.label == "divergent" and box.no_attractor and "diverges" in box.reason
    box = classify_box(sine, Fraction(1, 2), Fraction(1), 2)
    assert box.label == "attracting" and box.unique and box.period == 1
    assert _holds(box.cycle[0], _minimizer())
    plane = gd_map(PLANE)
    box = classify_box(plane, Fraction(3), Fraction(4), 2)
    assert box.label == "divergent"
    box = classify_box(plane, Fraction(1, 2), Fraction(1), 2)
    assert box.label == "attracting" and box.unique
    assert all(b.to_arb().contains(0) for b in box.cycle)      # x* = (0, 0): ∇f(0, 0) = 0
