"""The claim language: tolerances on stated values, multipliers of periodic orbits (with
algebraic learning rates), the sharpness at the limit of GD, quantities monotone along GD,
tight inequalities, and composition.  Each key and kind on a true and a false statement,
the expected verdicts derived independently in the comments.

GD on f = x²/2 − x³/3 is the map G(x) = (1 − h)x + hx², whose critical point is
c = (h − 1)/(2h); G²(c) − c has the factor h² − 5, so at h = √5 the orbit of c is a
superstable 2-cycle (both facts recomputed with sympy in the tests).
"""
from __future__ import annotations

import math

import pytest
import sympy as sp

from lrtheory import expect
from lrtheory.claims import CheckContext, Evidence
from lrtheory.expect.base import ArgumentError

LOGISTIC = "x**2/2 - x**3/3"


def run(expectation):
    ev = expectation(CheckContext())
    assert ev.findings, "an expectation always states what it found"
    return ev


# ---- tolerance and digits ----------------------------------------------------------------
def test_sharpness_to_a_stated_number_of_digits():
    # f = x^2 + xy + y^2/2 + x^4 at (1/3, 0): H = [[2 + 12/9, 1], [1, 1]],
    # lambda_max = (13/3 + 1 + sqrt((13/3 - 1)^2 + 4))/2 / ... = 13/6 + sqrt(85)/6
    lam = 13 / 6 + math.sqrt(85) / 6
    f, at = "x**2 + x*y + y**2/2 + x**4", ["1/3", "0"]
    assert run(expect.sharpness(f, "x,y", at=at, equals=f"{lam:.6f}",
                                digits=6)).verdict == "proved"
    assert run(expect.sharpness(f, "x,y", at=at, equals=f"{lam + 2e-6:.6f}",
                                digits=6)).verdict == "refuted"
    assert run(expect.sharpness(f, "x,y", at=at, at_most=f"{lam - 1e-3:.6f}",
                                tolerance="1/100")).verdict == "proved"
    assert run(expect.sharpness(f, "x,y", at=at, at_least=f"{lam + 1e-1:.6f}",
                                tolerance="1/100")).verdict == "refuted"


def test_hessian_spectrum_to_a_tolerance():
    # the same Hessian [[10/3, 1], [1, 1]]: eigenvalues 13/6 +- sqrt(85)/6
    hi, lo = 13 / 6 + math.sqrt(85) / 6, 13 / 6 - math.sqrt(85) / 6
    f, at = "x**2 + x*y + y**2/2 + x**4", ["1/3", "0"]
    assert run(expect.hessian_spectrum(f, "x,y", at=at, equals=[f"{hi:.5f}", f"{lo:.5f}"],
                                       digits=5)).verdict == "proved"
    assert run(expect.hessian_spectrum(f, "x,y", at=at, equals=[f"{hi:.5f}",
                                                               f"{lo - 1e-5:.5f}"],
                                       digits=5)).verdict == "refuted"
    # two stated copies near the top eigenvalue: only one eigenvalue lies there
    assert run(expect.hessian_spectrum(f, "x,y", at=at, equals=["3.7", "3.7"],
                                       tolerance="1/10")).verdict == "refuted"


def test_tolerance_arguments_are_checked():
    with pytest.raises(ArgumentError, match="digits"):
        expect.sharpness("x**2", "x", at=["0"], equals="2", tolerance="0.1", digits=2)
    with pytest.raises(ArgumentError, match="tolerance"):
        expect.sharpness("x**2", "x", at=["0"], equals="2", tolerance="-1")
    with pytest.raises(ArgumentError, match="tolerance"):
        expect.periodic_orbit(LOGISTIC, "x", lr="2", period=2, tolerance="0.1")


def test_bifurcation_value_to_eight_decimals():
    # the period-3 fold of GD on x^3/3 - x is at h = sqrt(2) = 1.41421356237...
    fold = dict(lr_range=["13/10", "3/2"], type="fold", period=3)
    assert run(expect.bifurcation("x**3/3 - x", "x", value="1.41421356", digits=8,
                                  **fold)).verdict == "proved"
    ev = run(expect.bifurcation("x**3/3 - x", "x", value="1.41421357", digits=8, **fold))
    assert ev.verdict == "refuted" and "sqrt(2)" in ev.findings[-1]["statement"]


# ---- periodic orbits: multipliers, algebraic learning rates ------------------------------------
def test_superstable_two_cycle_at_an_algebraic_rate():
    x, h = sp.symbols("x h")
    g = x - h * sp.diff(sp.sympify(LOGISTIC), x)
    c = (h - 1) / (2 * h)
    assert sp.diff(g, x).subs(x, c).simplify() == 0
    assert sp.factor(sp.numer(sp.together(g.subs(x, g.subs(x, c)) - c))).has(h**2 - 5)
    ev = run(expect.periodic_orbit(LOGISTIC, "x", lr="sqrt(5)", period=2, multiplier="0"))
    assert ev.verdict == "proved" and ev.method == "symbolic"
    assert sp.sympify(ev.numbers["superstable_point"]["exact"]).equals(
        (sp.sqrt(5) - 1) / (2 * sp.sqrt(5)))


def test_not_superstable_at_a_rational_rate():
    # h = 11/5: the 2-cycle {a, b} of G has multiplier G'(a)G'(b); its points solve
    # the roots of (G(G(x)) - x)/(G(x) - x), by sympy
    x = sp.symbols("x")
    h = sp.Rational(11, 5)
    g = (1 - h) * x + h * x**2
    q = sp.factor(sp.expand(g.subs(x, g) - x) / sp.expand(g - x))
    a, b = sp.solve(q, x)
    mu = sp.simplify(sp.diff(g, x).subs(x, a) * sp.diff(g, x).subs(x, b))
    assert mu == sp.Rational(4, 25)
    ev = run(expect.periodic_orbit(LOGISTIC, "x", lr="11/5", period=2, multiplier="0"))
    assert ev.verdict == "refuted"
    assert run(expect.periodic_orbit(LOGISTIC, "x", lr="11/5", period=2, multiplier="0.16",
                                     digits=10)).verdict == "proved"
    assert run(expect.periodic_orbit(LOGISTIC, "x", lr="11/5", period=2, multiplier="0.17",
                                     digits=2)).verdict == "refuted"


def test_spectral_radius_of_a_two_dimensional_cycle():
    # (1 - xy)^2/2 at h = 19/10: on the 2-cycle {(a, b), (b', a')} through
    # (-0.2294..., 0.4588...) the monodromy DG^2 has spectral radius 9, recomputed here
    # from mpmath eigenvalues at a Newton-refined orbit
    import mpmath

    from lrtheory.dynamics.orbits import monodromy, newton_periodic, orbit_points
    from lrtheory.objectives import Objective
    obj, h = Objective("(1 - x*y)**2/2", sp.symbols("x y", real=True)), sp.Rational(19, 10)
    sol = newton_periodic(obj, [mpmath.mpf(-0.229415733871), mpmath.mpf(0.458831467741)],
                          h, 2, 30)
    pts = orbit_points(obj, sol[0], h, 2)[:-1]
    rho = max(abs(e) for e in mpmath.eig(monodromy(obj, pts, h), left=False, right=False))
    assert abs(float(rho) - 9) < 1e-9
    ev = run(expect.periodic_orbit("(1 - x*y)**2/2", "x,y", lr="19/10", period=2,
                                   multiplier="9", tolerance="1/1000"))
    assert ev.verdict == "proved"
    ev = run(expect.periodic_orbit("(1 - x*y)**2/2", "x,y", lr="19/10", period=2,
                                   multiplier="1/2", tolerance="1/1000"))
    assert ev.verdict == "inconclusive"      # the search is not proved complete


# ---- the sharpness at the limit (edge of stability) -----------------------------------------
def test_limit_sharpness_below_two_over_h():
    # f = (x^2 - 1)^2/4, h = 1/2: GD converges to the minimizer 1 with f''(1) = 2 <= 2/h = 4
    f = "(x**2 - 1)**2/4"
    ev = run(expect.limit_sharpness(f, "x", starts=["1/2", "3/2"], lr="1/2",
                                    at_most="2/h"))
    assert ev.verdict == "proved" and len(ev.findings) == 2
    assert run(expect.limit_sharpness(f, "x", starts=["1/2"], lr="1/2", equals="2.0001",
                                      tolerance="1/1000")).verdict == "proved"
    assert run(expect.limit_sharpness(f, "x", starts=["1/2"], lr="1/2", at_most="1"
                                      )).verdict == "refuted"


def test_limit_sharpness_refuted_by_a_cycle():
    # h = 1.1 on (x^2-1)^2/4: G'(1) = 1 - 2h = -1.2, the minimizer repels and GD from 1/2
    # settles on an attracting 2-cycle (certified), so there is no limit point
    ev = run(expect.limit_sharpness("(x**2 - 1)**2/4", "x", starts=["1/2"], lr="11/10",
                                    at_most="2/h"))
    assert ev.verdict == "refuted" and "cycle" in ev.findings[0]["statement"]


# ---- monotone quantities --------------------------------------------------------------------
def test_balance_nonincreasing_along_gd():
    # (1 - xy)^2/2 at h = 1/10: x^2 - y^2 changes by -h^2 r^2 (x^2 - y^2) per step
    # (r = 1 - xy), so (x^2 - y^2)^2 never increases
    x, y, h = sp.symbols("x y h")
    r = 1 - x * y
    X, Y = x + h * r * y, y + h * r * x
    assert sp.expand(X**2 - Y**2 - (1 - h**2 * r**2) * (x**2 - y**2)) == 0
    ev = run(expect.monotone("(1 - x*y)**2/2", "x,y", quantity="(x**2 - y**2)**2",
                             starts=[["1/2", "3/2"], ["2", "1/4"]], lr="1/10", steps=200,
                             direction="nonincreasing"))
    assert ev.verdict == "proved"


def test_loss_increase_is_an_exact_counterexample():
    # from (1/2, 3/2) at h = 19/10 the first step raises the loss: exact rational value
    ev = run(expect.monotone("(1 - x*y)**2/2", "x,y", quantity="(1 - x*y)**2/2",
                             starts=[["1/2", "3/2"]], lr="19/10", steps=20,
                             direction="nonincreasing"))
    x, y = sp.Rational(1, 2), sp.Rational(3, 2)
    h = sp.Rational(19, 10)
    r = 1 - x * y
    x1, y1 = x + h * r * y, y + h * r * x
    jump = (1 - x1 * y1) ** 2 / 2 - r**2 / 2
    assert ev.verdict == "refuted" and str(jump) in ev.findings[0]["statement"]


def test_conserved_symbolically_and_refuted_exactly():
    # f = (x - y)^2/2: the gradient is (d, -d), so x + y is conserved by every step
    ev = run(expect.monotone("(x - y)**2/2", "x,y", quantity="x + y", starts=[["1", "0"]],
                             lr="1/3", steps=10, direction="conserved"))
    assert ev.verdict == "proved" and ev.method == "symbolic"
    # with x^2/100 added, the first step changes x + y by -h x/50 = -1/300 at x = 1/2
    ev = run(expect.monotone("(x - y)**2/2 + x**2/100", "x,y", quantity="x + y",
                             starts=[["1/2", "3/2"]], lr="1/3", steps=10,
                             direction="conserved"))
    assert ev.verdict == "refuted" and "-1/300" in ev.findings[0]["statement"]


def test_float_noise_is_not_a_counterexample():
    # x^2/2 at h = sqrt(2): x_k = (1 - sqrt 2)^k x_0, so x_k^2 decreases strictly; the
    # differences fall below 1e-60 (Arb balls at raised precision decide every step)
    ev = run(expect.monotone("x**2/2", "x", quantity="x**2", starts=["1/3"], lr="sqrt(2)",
                             steps=100, direction="nonincreasing"))
    assert ev.verdict == "proved"
    ev = run(expect.monotone("x**2/2", "x", quantity="x**2", starts=["1/3"], lr="sqrt(2)",
                             steps=5, direction="nondecreasing"))
    assert ev.verdict == "refuted"


# ---- inequalities ---------------------------------------------------------------------------
TIGHT = ("1/a**2 + 1/b**2 + a**2*b**2", "3", "a,b")


def test_tight_inequality_is_proved():
    # AM-GM on three terms: 1/a^2 + 1/b^2 + a^2 b^2 >= 3 (1/(a^2 b^2) a^2 b^2)^(1/3) = 3,
    # equality at a = b = 1 inside [1/4, 4]^2
    ev = run(expect.inequality(*TIGHT, box=["1/4", "4"], relation=">="))
    assert ev.verdict == "proved"
    assert "a = 1, b = 1" in ev.findings[0]["statement"]


def test_tight_inequality_strict_or_shifted_is_refuted():
    ev = run(expect.inequality(*TIGHT, box=["1/4", "4"], relation=">"))
    assert ev.verdict == "refuted" and ev.numbers["counterexample"]["exact"] == "a = 1, b = 1"
    ev = run(expect.inequality(TIGHT[0], "301/100", TIGHT[2], box=["1/4", "4"],
                               relation=">="))
    assert ev.verdict == "refuted"
    point = dict(p.split(" = ") for p in ev.numbers["counterexample"]["exact"].split(", "))
    a, b = (sp.Rational(point[k]) for k in "ab")
    assert 1 / a**2 + 1 / b**2 + a**2 * b**2 < sp.Rational(301, 100)


def test_undecided_inequality_is_inconclusive_never_confirmed():
    # 1 - x^2/2 <= cos x touches at 0 to fourth order: no certificate applies
    ev = run(expect.inequality("1 - x**2/2", "cos(x)", "x", box=["-1", "1"],
                               max_examples=30))
    assert ev.verdict == "inconclusive" and "sub-box" in ev.findings[-1]["statement"]


# ---- composition -----------------------------------------------------------------------------
TRUE = expect.sharpness("x**2", "x", at=["0"], equals="2")
FALSE = expect.sharpness("x**2", "x", at=["0"], equals="3")


def test_all_of_and_any_of():
    assert run(expect.all_of(TRUE, TRUE)).verdict == "proved"
    assert run(expect.all_of(TRUE, FALSE)).verdict == "refuted"
    assert run(expect.any_of(FALSE, TRUE)).verdict == "proved"
    assert run(expect.any_of(FALSE, FALSE)).verdict == "refuted"
    nested = run(expect.all_of(TRUE, expect.any_of(FALSE, TRUE)))
    assert nested.verdict == "proved"        # the refuted alternative does not leak out
    # a name used by two parts is prefixed with the part's number, others are kept
    assert set(nested.numbers) == {"sharpness", "p1_sharpness", "p2_sharpness"}
    mixed = run(expect.all_of(TRUE, expect.sharpness("x**4", "x", at=["1"], at_least="1"),
                              expect.monotone("x**2/2", "x", quantity="x**2", starts=["1"],
                                              lr="1/2", steps=3, direction="nonincreasing")))
    assert set(mixed.numbers) == {"p1_sharpness", "p2_sharpness"}
    assert " and " in nested.summary and " or " in nested.summary


def test_all_of_with_a_check_function_and_a_summary():
    def even(ctx):
        """x^2 is even"""
        ev = Evidence()
        ev.finding("f(-x) = f(x)", "proved", "symbolic")
        return ev
    ev = run(expect.all_of(TRUE, even, summary="x^2 is even with sharpness 2"))
    assert ev.verdict == "proved" and ev.summary == "x^2 is even with sharpness 2"
    assert ev.method == "exact, symbolic"
    with pytest.raises(ArgumentError):
        expect.all_of()


def test_findings_added_after_an_expectation_rederive_the_verdict():
    ev = TRUE(CheckContext())
    assert ev.verdict == "proved"
    ev.finding("another statement fails", "refuted", "exact")
    assert ev.conclude() == "refuted"
    other = FALSE(CheckContext())
    ev = TRUE(CheckContext()).add(other, label="second")
    assert ev.conclude() == "refuted" and "second_sharpness" in ev.numbers
    assert ev.summary.count("sharpness") == 2
    explicit = Evidence(verdict="inconclusive")
    explicit.finding("x", "proved", "exact")
    assert explicit.conclude() == "inconclusive"    # a verdict set by the check stays
