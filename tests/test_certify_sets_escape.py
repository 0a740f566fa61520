"""Escape regions of GD in several variables (lrtheory.certify.escape) and divergence over
sets of rates and starts through them (lrtheory.certify.gd_sets).

Independent derivations used as expected values:
* f = (x² + y²)²/4 (radial): G_h(x) = x(1 − h‖x‖₂²), so ‖x_{k+1}‖₂ = ‖x_k‖₂·|1 − h‖x_k‖₂²|;
  the orbit diverges iff h‖x_k‖₂² > 2 for some k, and if h‖x₀‖₂² < 2 it stays bounded.
  On the axis u = (1, 0) at r = 2, h = 1/2: G = (−2, 0), no growth — so R > 2 there.
* f = ‖x‖²/2: G_h(x) = (1 − h)x, ‖G_h(x)‖ = |1 − h|‖x‖ exactly: an escape region exists
  iff |1 − h| > 1, i.e. h > 2 (h > 0).
* f = x⁴/4 + y²/2: the y-coordinate is y_k = (1 − h)^k y₀, which tends to 0 for h < 2:
  from (0, y₀) GD converges, so no escape region exists for h < 2.
Each certified inequality is re-checked in exact rational arithmetic at many points.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb

from lrtheory import expect
from lrtheory.certify.escape import escape_cone, escape_cone_model
from lrtheory.certify.gd_sets import prove_over_sets
from lrtheory.certify.sets import box, interval
from lrtheory.claims import CheckContext
from lrtheory.objectives import Objective

R = sp.Rational
RADIAL = ("(x**2 + y**2)**2/4", "x,y")


def ball(lo, hi):
    return arb(lo).union(arb(hi))


def region(f, v, lo, hi):
    model = escape_cone_model(Objective(f, v))
    assert model is not None
    return escape_cone(model, ball(lo, hi))


def exact_ratio_holds(f, v, rates, radius, rho):
    """‖G_h(x)‖∞ ≥ ρ‖x‖∞ in exact rationals at points of the cube boundaries ‖x‖∞ = r for
    r at R and beyond, each face on a grid, at the given rates."""
    obj = Objective(f, v)
    grad = [sp.lambdify(obj.vars, g) for g in obj.gradient]
    n = obj.dim
    step = 4 if n <= 2 else 2
    grid = [Fraction(k, step) for k in range(-step, step + 1)]
    radius = Fraction(radius)
    for h, scale in itertools.product(rates, (1, Fraction(3, 2), 4, 64)):
        r = radius * scale
        for i, sign in itertools.product(range(n), (-1, 1)):
            for rest in itertools.product(grid, repeat=n - 1):
                u = list(rest[:i]) + [Fraction(sign)] + list(rest[i:])
                x = [r * c for c in u]
                g = [x[j] - h * Fraction(grad[j](*x)) for j in range(n)]
                if max(abs(c) for c in g) < Fraction(rho) * r:
                    return False
    return True


def test_radial_quartic_escape_cone_against_the_closed_form():
    R_, rho = region(*RADIAL, 0.5, 1.0)
    assert R_ > 2                       # at r = 2, h = 1/2 the axis point does not grow
    assert 1 < rho <= abs(1 - 0.5 * R_**2)   # the axis direction at r = R, h = 1/2
    assert exact_ratio_holds(*RADIAL, [Fraction(1, 2), Fraction(3, 4), Fraction(1)], R_, rho)


def test_quadratic_escape_exactly_when_h_exceeds_two():
    R_, rho = region("x**2/2 + y**2/2", "x,y", 2.5, 4.0)
    assert 1 < rho <= 1.5               # |1 − h| ≥ 3/2 on [5/2, 4], with equality at 5/2
    assert exact_ratio_holds("x**2/2 + y**2/2", "x,y", [Fraction(5, 2), Fraction(4)], R_, rho)
    assert region("x**2/2 + y**2/2", "x,y", 0.5, 1.5) is None     # |1 − h| ≤ 1
    assert region("x**2/2 + y**2/2", "x,y", 1.5, 2.5) is None     # h = 2 inside: |1 − h| = 1


def test_mixed_quartic_quadratic_needs_h_above_two():
    R_, rho = region("x**4/4 + y**2/2", "x,y", 2.5, 3.0)
    assert rho > 1 and exact_ratio_holds("x**4/4 + y**2/2", "x,y",
                                         [Fraction(5, 2), Fraction(3)], R_, rho)
    assert region("x**4/4 + y**2/2", "x,y", 0.25, 0.5) is None    # (0, y0) converges


def test_four_variables_and_what_is_not_covered():
    f = "(x**2 + y**2 + z**2 + w**2)**2/4 + x*y"
    R_, rho = region(f, "x,y,z,w", 0.5, 1.0)
    assert rho > 1 and exact_ratio_holds(f, "x,y,z,w", [Fraction(1, 2), Fraction(1)], R_, rho)
    # ∇f with an unbounded non-polynomial part (e^x, y·cos(xy)): no bound at infinity
    assert region("exp(x) + y**2", "x,y", 1.0, 2.0) is None
    assert region("x**4/4 + y**2/2 + exp(x)", "x,y", 2.5, 3.0) is None
    assert region("(x**2 + y**2)**2/4 + sin(x*y)", "x,y", 0.5, 1.0) is None
    assert escape_cone_model(Objective("sin(x) + cos(y)", "x,y")) is None    # no polynomial
    assert escape_cone_model(Objective("x**2 + y**2 + z**2 + w**2 + v**2", "x,y,z,w,v")) is None


def test_elementary_objective_with_a_bounded_non_polynomial_gradient():
    """f = ‖x‖²/2 + cos(x + y): G_h(x) = (1 − h)x + h sin(x + y)(1, 1), so along (r, 0) the
    ratio ‖G‖∞/‖x‖∞ tends to |1 − h| (ρ ≤ 3/2 for h = 5/2); the certified inequality is
    re-checked at 50 digits (mpmath) on the faces at R and beyond."""
    import mpmath
    f = "x**2/2 + y**2/2 + cos(x + y)"
    R_, rho = region(f, "x,y", 2.5, 4.0)
    assert 1 < rho <= 1.5
    with mpmath.workdps(50):
        for h in (mpmath.mpf(5) / 2, mpmath.mpf(4)):
            for r in (R_, 2 * R_, 50 * R_):
                for t in (k / 8 for k in range(-8, 9)):
                    for x in ((r, r * t), (-r, r * t), (r * t, r), (r * t, -r)):
                        x = [mpmath.mpf(c) for c in x]
                        s = h * mpmath.sin(x[0] + x[1])
                        g = [x[0] - h * x[0] + s, x[1] - h * x[1] + s]
                        assert max(abs(c) for c in g) >= rho * r
    proof = prove_over_sets(Objective("x**4/4 + y**2/2 + cos(x)", "x,y"), interval("[5/2, 3]"),
                            box([["2", "3"], ["2", "3"]], 2), "diverges")
    assert proof.verdict == "proved"


def test_divergence_proved_over_rates_and_a_box_of_starts():
    # h ∈ [1/2, 1], ‖x0‖₂² ≥ 9: h‖x0‖₂² ≥ 9/2 > 2, so every orbit diverges (closed form)
    proof = prove_over_sets(Objective(*RADIAL), interval("[1/2, 1]"),
                            box([["3", "4"], ["-1", "1"]], 2), "diverges")
    assert proof.verdict == "proved" and proof.undecided_measure == 0
    assert all(c.startswith("escape region ‖x‖∞") for c in proof.certificates)
    proof = prove_over_sets(Objective("x**4/4 + y**2/2", "x,y"), interval("[5/2, 3]"),
                            box([["1", "2"], ["1", "2"]], 2), "diverges")
    assert proof.verdict == "proved"


@pytest.mark.parametrize("statement", ["converges", "bounded"])
def test_convergence_and_boundedness_refuted_by_a_named_escaping_start(statement):
    starts = box([["3", "4"], ["-1", "1"]], 2)
    proof = prove_over_sets(Objective(*RADIAL), interval("[1/2, 1]"), starts, statement)
    assert proof.verdict == "refuted"
    h, x0, why = proof.fails[0]
    assert interval("[1/2, 1]").contains(h) and starts.contains(x0)
    assert "escape region" in why
    assert h * (x0[0]**2 + x0[1]**2) > 2          # the closed form: this orbit diverges


def test_no_escape_leaves_a_convergent_radial_statement_alone():
    # h‖x0‖₂² ≤ 1·(1/4 + 1/16) < 2: the orbit shrinks to 0 (closed form), so nothing may
    # refute convergence (the degenerate minimum at 0 has no trapping region either)
    proof = prove_over_sets(Objective(*RADIAL), interval("[1/2, 1]"),
                            box([["1/4", "1/2"], ["0", "1/4"]], 2), "converges", max_boxes=64)
    assert proof.verdict != "refuted"


def test_the_claim_kind_proves_divergence_in_two_variables():
    prop = expect.gd_diverges(*RADIAL, lr="1", start_box=[["3", "4"], ["-1", "1"]])
    ev = expect.throughout(prop, lr_range="[1/2, 1]")(CheckContext())
    assert ev.verdict == "proved"
    assert "escape region" in ev.findings[-1]["statement"]
