"""Proofs and counterexamples over sets of learning rates and starts (lrtheory.certify
.falsifier, lrtheory.certify.gd_sets).

Independent derivations used as expected values:
* f = x²/2: x_k = (1 − h)^k x₀ — converges iff 0 < h < 2, diverges iff h > 2.
* f = x²/2 + x⁴/4: g(x) = x − h(x + x³); at h = 1, g(x) = −x³ maps 1 → −1 → 1.
* f = x³/3 + x²/2: g(y) = y − h(y² + y) = 0 for y = 0 or y = (1 − h)/h, and
  T_h(1/5) = 1/5 − 6h/25; so T_h²(1/5) = 0 where 6h² − 30h + 25 = 0, h* = (15 ± 5√3)/6.
* quadratic 2-D f = ½xᵀAx: GD converges iff h·λ_max(A) < 2.
Signs at the ends of a crossing interval are re-derived in exact rational arithmetic
(sympy), a second arithmetic besides the balls of the code under test.
"""
from __future__ import annotations

import pytest
import sympy as sp

from lrtheory.certify.falsifier import crossings, exact_orbit, stationary_points_1d
from lrtheory.certify.gd_sets import prove_over_sets
from lrtheory.certify.sets import box, interval, point_set
from lrtheory.objectives import Objective

R = sp.Rational


def starts(*values, dim=1):
    return point_set(list(values), dim)


# ---- the falsifier ---------------------------------------------------------------------------
def test_exact_orbit_finds_the_two_cycle_and_a_landing_on_a_fixed_point():
    quartic = Objective("x**2/2 + x**4/4", "x")
    orbit = exact_orbit(quartic, (R(1),), R(1))
    assert orbit.periodic and (orbit.preperiod, orbit.period) == (0, 2)
    assert orbit.points[:3] == ("1", "-1", "1")
    # x^2/2 at h = 1 sends every start to 0 in one step
    orbit = exact_orbit(Objective("x**2/2", "x"), (R(3, 7),), R(1))
    assert (orbit.preperiod, orbit.period, orbit.points) == (1, 1, ("3/7", "0", "0"))
    # x^2/2 at h = 1/2 halves: no repetition, the size limit or the steps end the run
    assert not exact_orbit(Objective("x**2/2", "x"), (R(1),), R(1, 2), max_steps=20).periodic


def test_crossing_brackets_the_rate_that_lands_on_a_fixed_point():
    cubic = Objective("x**3/3 + x**2/2", "x")
    assert stationary_points_1d(cubic) == [-1, 0]
    found = crossings(cubic, (R(1, 5),), interval("[31/10, 4]").grid(65))
    assert found
    roots = [(15 - 5 * sp.sqrt(3)) / 6, (15 + 5 * sp.sqrt(3)) / 6]
    h = sp.Symbol("h")
    for c in found:
        assert R(31, 10) <= c.h_lo < c.h_hi <= 4
        # the sign change, re-derived exactly: T_h^n(1/5) - x* at the two ends
        def psi(rate):
            x = R(1, 5)
            for _ in range(c.step):
                x = x - rate * (x**2 + x)
            return x - sp.Integer(c.target)
        assert psi(c.h_lo) * psi(c.h_hi) < 0
        if c.step == 2 and c.target == "0":
            assert any(c.h_lo < r < c.h_hi for r in roots)
    assert sp.expand(6 * h**2 - 30 * h + 25).subs(h, roots[1]).simplify() == 0


def test_no_crossing_where_the_orbit_converges_monotonically():
    # x^2/2, h in [1/10, 1/2], x0 = 1: x_k = (1 - h)^k > 0 never reaches the fixed point 0
    assert crossings(Objective("x**2/2", "x"), (R(1),), interval("[1/10, 1/2]").grid(33)) == []


# ---- proofs over sets ------------------------------------------------------------------------
def test_convergence_proved_over_rates_and_a_start_box():
    quartic = Objective("x**2/2 + x**4/4", "x")
    proof = prove_over_sets(quartic, interval("[1/10, 9/10]"), starts("1", "-1", "1/2", "-1/2"),
                            "converges")
    assert proof.verdict == "proved" and not proof.undecided
    assert any("trapping region" in c for c in proof.certificates)
    proof = prove_over_sets(quartic, interval("[1/10, 9/10]"), box(["[-1, 1]"], 1), "converges")
    assert proof.verdict == "proved"


def test_convergence_refuted_by_a_certified_box_of_divergent_rates():
    proof = prove_over_sets(Objective("x**2/2", "x"), interval("[1/2, 3]"), starts("1"),
                            "converges")
    assert proof.verdict == "refuted"
    h, x0, why = proof.fails[0]
    assert abs(1 - h) > 1 and x0 == (1,) and "escape" in why     # diverges: |1 - h| > 1


def test_near_a_bifurcation_the_undecided_rates_are_named_not_guessed():
    # x^2/2 diverges for every h in (2, 3], but ever more slowly as h -> 2: a finite search
    # leaves rates next to 2 undecided, with their measure, and finds no counterexample
    proof = prove_over_sets(Objective("x**2/2", "x"), interval("(2, 3]"), starts("1"),
                            "diverges")
    assert proof.verdict == "undecided" and not proof.fails
    assert 0 < proof.undecided_measure < 1 / 4
    assert all(b[0][0] >= 2 - 1e-15 and b[0][1] <= 2.25 for b in proof.undecided)
    assert proof.holds > 0


def test_divergence_proved_and_refuted():
    f = Objective("x**2/2", "x")
    assert prove_over_sets(f, interval("[5/2, 4]"), starts("1", "-1/3"), "diverges"
                           ).verdict == "proved"
    proof = prove_over_sets(f, interval("[1/2, 3]"), starts("1"), "diverges")
    assert proof.verdict == "refuted" and abs(1 - proof.fails[0][0]) < 1


def test_boundedness_within_a_radius():
    f = Objective("x**2/2", "x")
    assert prove_over_sets(f, interval("[1/10, 1/2]"), starts("1"), "bounded", radius=2
                           ).verdict == "proved"
    proof = prove_over_sets(f, interval("[1/10, 1/2]"), starts("1"), "bounded", radius=R(1, 2))
    assert proof.verdict == "refuted"              # x0 = 1 itself lies beyond 1/2


def test_convergence_to_a_stated_point_among_two_minima():
    f = Objective("(x**2 - 1)**2/4 + y**2/2", "x,y")
    region = box([["1/2", "3/2"], ["-1/2", "1/2"]], 2)
    assert prove_over_sets(f, interval("[1/4, 1/2]"), region, "converges",
                           target=(R(1), R(0))).verdict == "proved"
    proof = prove_over_sets(f, interval("[1/4, 1/2]"), region, "converges",
                            target=(R(-1), R(0)))
    assert proof.verdict == "refuted" and "elsewhere" in proof.fails[0][2]


def test_a_coupled_hessian_needs_its_eigenbasis():
    # A = [[1, 1/2], [1/2, 2]], lambda_max = (3 + sqrt 2)/2: at h = 4/5, h*lambda_max = 1.77 < 2
    # so GD converges, although ||I - hA||_inf = 1 (no contraction in the max-norm)
    f = Objective("x**2/2 + y**2 + x*y/2", "x,y")
    assert (R(4, 5) * (3 + sp.sqrt(2)) / 2) < 2
    proof = prove_over_sets(f, interval("[3/4, 4/5]"), box([["-1", "1"], ["-1", "1"]], 2),
                            "converges")
    assert proof.verdict == "proved"


def test_an_elementary_objective():
    # f = log(cosh x): f' = tanh x, f'' = 1/cosh^2 x in (0, 1]: GD contracts near 0 for h < 2
    f = Objective("log(cosh(x))", "x")
    proof = prove_over_sets(f, interval("[1/2, 3/2]"), box(["[-1, 1]"], 1), "converges")
    assert proof.verdict == "proved"


@pytest.mark.parametrize("bad", ["orbits", ""])
def test_unknown_statements_are_refused(bad):
    with pytest.raises(ValueError):
        prove_over_sets(Objective("x**2/2", "x"), interval("[1, 2]"), starts("1"), bad)


# ---- attracting cycles over an interval of rates ---------------------------------------------
def test_attracting_two_cycle_over_rates_in_one_and_two_variables():
    from lrtheory.certify.cycles import attracting_cycle_over_rates
    # g(x) = x - h(x^2 - 1) is conjugate to z^2 + c, c = 1/4 - h^2: the 2-cycle attracts
    # for -5/4 < c < -3/4, i.e. 1 < h < sqrt(6)/2 = 1.2247...
    proof = attracting_cycle_over_rates(Objective("x**3/3 - x", "x"), interval("[1.05, 1.2]"), 2)
    assert proof.verdict == "proved" and proof.pieces
    covered = sorted((a, b) for a, b, _ in proof.pieces)
    assert covered[0][0] <= 1.05 and covered[-1][1] >= 1.2
    assert all(b1 >= a2 for (_, b1), (a2, _) in zip(covered, covered[1:]))
    # adding y^2/2 (contracting in y for h < 2) keeps the cycle attracting
    two = attracting_cycle_over_rates(Objective("x**3/3 - x + y**2/2", "x,y"),
                                      interval("[1.1, 1.15]"), 2)
    assert two.verdict == "proved"


def test_attracting_cycle_not_proved_past_the_doubling():
    from lrtheory.certify.cycles import attracting_cycle_over_rates
    # beyond sqrt(6)/2 the 2-cycle repels: the rates next to it stay undecided
    proof = attracting_cycle_over_rates(Objective("x**3/3 - x", "x"), interval("[1.2, 1.3]"), 2,
                                        max_boxes=60)
    assert proof.verdict == "undecided"
    assert all(b > 1.2247 for a, b in proof.undecided)


# ---- inequalities over boxes -----------------------------------------------------------------
def _margin(text, names):
    from lrtheory.parsing import parse_variables, to_expr
    variables = parse_variables(names)
    return to_expr(text, variables, "g"), variables


def test_a_tight_inequality_is_proved_by_the_second_order_certificate():
    from lrtheory.certify.margins import prove_nonnegative
    # AM-GM: 1/a^2 + 1/b^2 + a^2 b^2 >= 3 (1/a^2 * 1/b^2 * a^2 b^2 = 1), equality at (1, 1)
    g, v = _margin("1/a**2 + 1/b**2 + a**2*b**2 - 3", "a,b")
    square = box([["1/4", "4"], ["1/4", "4"]], 2)
    proof = prove_nonnegative(g, v, square)
    assert proof.verdict == "proved" and proof.touching == ((1, 1),) and proof.convex_boxes >= 1
    # the strict inequality fails exactly at the touching point
    strict = prove_nonnegative(g, v, square, strict=True)
    assert strict.verdict == "refuted" and strict.counterexample == ((1, 1), "0")
    # e^x >= 1 + x, equality at 0, an elementary margin
    g, v = _margin("exp(x) - 1 - x", "x")
    assert prove_nonnegative(g, v, box(["[-1, 2]"], 1)).verdict == "proved"


def test_a_false_inequality_is_refuted_at_a_simple_rational_point():
    from lrtheory.certify.margins import prove_nonnegative
    g, v = _margin("1/a**2 + 1/b**2 + a**2*b**2 - 31/10", "a,b")
    proof = prove_nonnegative(g, v, box([["1/4", "4"], ["1/4", "4"]], 2))
    assert proof.verdict == "refuted" and proof.counterexample == ((1, 1), "-1/10")
    # x^4 - x^3 < 0 on (0, 1): the least grid value is named, checked exactly
    g, v = _margin("x**4 - x**3", "x")
    point, value = prove_nonnegative(g, v, box(["[-1, 2]"], 1)).counterexample
    assert 0 < point[0] < 1 and sp.Rational(value) == point[0]**4 - point[0]**3 < 0


def test_a_degenerate_touching_point_is_left_undecided_not_proved():
    from lrtheory.certify.margins import prove_nonnegative
    # cosh x - 1 - x^2/2 = x^4/24 + ... >= 0 touches at 0 with a zero Hessian: no
    # second-order certificate, so a small box about 0 stays undecided
    g, v = _margin("cosh(x) - 1 - x**2/2", "x")
    proof = prove_nonnegative(g, v, box(["[-1, 2]"], 1), max_boxes=3000)
    assert proof.verdict == "undecided" and proof.counterexample is None
    assert proof.touching == ((0,),) and proof.convex_boxes == 0
    assert any(lo <= 0 <= hi for (lo, hi), in proof.undecided) and 0 < proof.measure <= 3


def test_boundedness_in_the_chaotic_regime_by_invariant_boxes():
    # g(x) = x - h(x^2 - 1), h in [7/5, 29/20] (c = 1/4 - h^2 < -1.7: chaotic band); the
    # interval [g(M), M], M = h + 1/(4h) = max g, is invariant.  From x0 = 7/20:
    # g(7/20) = 7/20 + (351/400) h in [1.578, 1.623], beyond 31/20 for every h.
    cubic = Objective("x**3/3 - x", "x")
    rates = interval("[7/5, 29/20]")
    proof = prove_over_sets(cubic, rates, box(["[0, 1/2]"], 1), "bounded", radius=2)
    assert proof.verdict == "proved" and "invariant box" in proof.certificates[0]
    assert all(R(7, 20) + R(351, 400) * h > R(31, 20) for h in (R(7, 5), R(29, 20)))
    proof = prove_over_sets(cubic, rates, starts("7/20"), "bounded", radius=R(31, 20))
    assert proof.verdict == "refuted" and proof.fails[0][1] == (R(7, 20),)
