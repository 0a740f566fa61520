"""The expectations library: every kind on a true and a false instance, with the expected
verdict and numbers derived independently (closed forms of the maps involved).

The 1-D map g(x) = x − h(x² − 1) of GD on f = x³/3 − x is conjugate by an affine change of
variable to z ↦ z² + c with c = 1/4 − h² (a x² + b x + d with a = −h, b = 1, d = h has
c = ad + b/2 − b²/4).  For z² + c: the fixed point loses stability at c = −3/4 (h = 1), the
2-cycle exists for c < −3/4 and attracts for −5/4 < c < −3/4 (1 < h < √6/2) with multiplier
4(1 + c); the period-3 window opens by a fold at c = −7/4 (h = √2); at c = −2 (h = 3/2) the
map is the Chebyshev map, all of whose cycles repel and whose Lyapunov exponent is log 2.
"""
from __future__ import annotations

import inspect
import math
import re

import pytest
import sympy as sp
from hypothesis import strategies as st

from lrtheory import expect
from lrtheory.claims import CheckContext
from lrtheory.errors import InputError
from lrtheory.expect.base import ArgumentError, compare
from lrtheory.expect.kinds import CLAIM_KEYS, KINDS

CUBIC = "x**3/3 - x"


def run(expectation):
    ev = expectation(CheckContext())
    assert ev.findings, "an expectation always states what it found"
    return ev


def ball_value(ev, name):
    entry = ev.numbers[name]
    assert entry["kind"] == "ball"
    return float(entry["mid"]), float(entry["rad"])


# ---- periodic orbits ------------------------------------------------------------------------
def test_periodic_orbit_attracting_two_cycle_is_proved_with_its_multiplier():
    h = sp.Rational(11, 10)
    ev = run(expect.periodic_orbit(CUBIC, "x", lr=str(h), period=2, stable=True))
    assert ev.verdict == "proved"
    c = sp.Rational(1, 4) - h**2
    mu, rad = ball_value(ev, "orbit_multiplier")
    assert abs(mu - float(4 * (1 + c))) <= rad + 1e-30        # 4(1 + c) = 0.16
    assert ev.numbers["orbits"]["value"] == 1                  # one 2-cycle for c < -3/4


def test_periodic_orbit_with_the_wrong_stability_is_refuted_from_the_complete_list():
    ev = run(expect.periodic_orbit(CUBIC, "x", lr="11/10", period=2, stable=False))
    assert ev.verdict == "refuted"
    assert "complete list" in ev.findings[0]["statement"]


def test_periodic_orbit_absent_below_the_first_doubling_is_refuted():
    # h = 1/2: c = 0, z^2 has no 2-cycle (its only periodic points of period 2 are none)
    ev = run(expect.periodic_orbit(CUBIC, "x", lr="1/2", period=2))
    assert ev.verdict == "refuted" and ev.numbers["orbits"]["value"] == 0


def test_periodic_orbit_of_a_two_dimensional_map_by_search():
    # f = x^2 + y^2, h = 1/4: G(z) = z/2, the origin is the only fixed point, multipliers 1/2
    ev = run(expect.periodic_orbit("x**2 + y**2", "x,y", lr="1/4", period=1, stable=True,
                                   box=["-1", "1"]))
    assert ev.verdict == "proved"
    mu, rad = ball_value(ev, "orbit_multiplier")
    assert abs(mu - 0.5) <= rad + 1e-30


def test_no_attracting_orbit_in_the_chebyshev_case_is_proved():
    # c = -2: 2 fixed points, one 2-cycle and two 3-cycles, all repelling
    ev = run(expect.no_attracting_orbit(CUBIC, "x", lr="3/2", max_period=3, box=["-3", "3"]))
    assert ev.verdict == "proved"
    assert ev.numbers["orbits"]["value"] == 2 + 1 + 2


def test_no_attracting_orbit_is_refuted_by_the_attracting_two_cycle():
    ev = run(expect.no_attracting_orbit(CUBIC, "x", lr="11/10", max_period=2, box=["-3", "3"]))
    assert ev.verdict == "refuted"
    assert "attracting orbit of period 2" in ev.findings[0]["statement"]


# ---- bifurcations ---------------------------------------------------------------------------
def test_bifurcation_fold_of_period_three_at_sqrt2_is_proved():
    ev = run(expect.bifurcation(CUBIC, "x", lr_range=["1.3", "1.5"], type="fold", period=3,
                                value="sqrt(2)"))
    assert ev.verdict == "proved"
    h, rad = ball_value(ev, "h")
    assert abs(h - math.sqrt(2)) <= rad + 1e-25


def test_bifurcation_with_a_false_closed_form_is_refuted_with_the_true_value():
    ev = run(expect.bifurcation(CUBIC, "x", lr_range=["1.3", "1.5"], type="fold", period=3,
                                value="3/2"))
    assert ev.verdict == "refuted"
    assert "sqrt(2)" in ev.findings[0]["statement"]


def test_bifurcation_existence_and_absence():
    assert run(expect.bifurcation(CUBIC, "x", lr_range=["0.9", "1.1"],
                                  type="period-doubling", period=1)).verdict == "proved"
    # no fold of period 1 anywhere: x - h(x^2 - 1) = x has the two roots ±1 for every h
    assert run(expect.bifurcation(CUBIC, "x", lr_range=["0.9", "1.1"], type="fold",
                                  period=1)).verdict == "refuted"
    assert run(expect.bifurcation(CUBIC, "x", lr_range=["0.9", "1.1"],
                                  type="neimark-sacker", period=1)).verdict == "refuted"


def test_bifurcation_of_a_non_polynomial_map_by_the_certified_scan():
    # GD on log cosh: x - h tanh(x), multiplier 1 - h at 0: a period doubling at h = 2
    ev = run(expect.bifurcation("log(cosh(x))", "x", lr_range=["1.9", "2.1"],
                                type="period-doubling", period=1, value="2"))
    assert ev.verdict == "confirmed"
    h, rad = ball_value(ev, "h")
    assert abs(h - 2) <= rad + 1e-30
    wrong = run(expect.bifurcation("log(cosh(x))", "x", lr_range=["1.9", "2.1"],
                                   type="period-doubling", period=1, value="199/100"))
    assert wrong.verdict == "inconclusive"   # other doublings are not excluded by a scan


# ---- modified equations ---------------------------------------------------------------------
def test_modified_field_of_a_quadratic():
    # f = x^2/2: the modified flow is (1/h) log(1 - h) x = -(x + h x/2 + h^2 x/3 + ...)
    assert run(expect.modified_field("x**2/2", "x", order=2, equals="-x/3")).verdict == "proved"
    ev = run(expect.modified_field("x**2/2", "x", order=2, equals="-x/2"))
    assert ev.verdict == "refuted" and "1/3" in ev.findings[0]["statement"]  # at x = 1/3


def test_modified_potential_first_order_is_grad_squared_over_four():
    # f_1 = |f'|^2/4 for every f (F_1 = -H g/2 = -grad(|g|^2/4))
    assert run(expect.modified_potential("x**4/4", "x", order=1,
                                         equals="x**6/4")).verdict == "proved"
    assert run(expect.modified_potential("log(cosh(x))", "x", order=1,
                                         equals="tanh(x)**2/4")).verdict == "proved"
    assert run(expect.modified_potential("x**4/4", "x", order=1,
                                         equals="x**6/2")).verdict == "refuted"


def test_modified_potential_up_to_a_constant_and_of_a_non_gradient_field():
    assert run(expect.modified_potential("x**4/4", "x", order=1,
                                         equals="x**6/4 + 7")).verdict == "proved"
    # 2-D: F_2 = -H^2 g/3 - T(g, g)/12 has a curl for this f (computed below)
    ev = run(expect.modified_potential("(1 - x*y)**2/2", "x,y", order=2, equals="x*y"))
    assert ev.verdict == "refuted" and "not a gradient" in ev.findings[0]["statement"]


def _second_order_curl(f, x, y):
    """curl of F_2 = -(1/3) H^2 g - (1/12) T(g, g), the coordinate-free second-order field
    (an independent derivation from the B-series of explicit Euler)."""
    g = sp.Matrix([sp.diff(f, x), sp.diff(f, y)])
    H = sp.hessian(f, (x, y))
    T = [sum(sp.diff(f, v, a, b) * g[i] * g[j] for i, a in enumerate((x, y))
             for j, b in enumerate((x, y))) for v in (x, y)]
    F2 = -H * H * g / 3 - sp.Matrix(T) / 12
    return sp.simplify(sp.diff(F2[1], x) - sp.diff(F2[0], y))


def test_modified_gradient_decided_by_the_curl():
    x, y = sp.symbols("x y", real=True)
    curl = _second_order_curl((1 - x * y)**2 / 2, x, y)
    assert curl != 0
    assert run(expect.modified_gradient("(1-x*y)**2/2", "x,y", order=2,
                                        gradient=False)).verdict == "proved"
    assert run(expect.modified_gradient("(1-x*y)**2/2", "x,y", order=2,
                                        gradient=True)).verdict == "refuted"
    assert _second_order_curl(x**2 + 3 * y**2, x, y) == 0       # quadratics: gradients
    assert run(expect.modified_gradient("x**2 + 3*y**2", "x,y", order=2)).verdict == "proved"


# ---- GD runs --------------------------------------------------------------------------------
def test_gd_converges_proved_and_a_non_stationary_limit_refuted():
    # f = x^2/2, h = 1/2: x_k = 2^-k -> 0
    assert run(expect.gd_converges("x**2/2", "x", starts=["1"], lr="1/2",
                                   to="0")).verdict == "proved"
    ev = run(expect.gd_converges("x**2/2", "x", starts=["1"], lr="1/2", to="1"))
    assert ev.verdict == "refuted" and "gradient there is (1)" in ev.findings[0]["statement"]


def test_gd_converges_refuted_by_a_certified_two_cycle_and_by_divergence():
    # h = 11/10 on the cubic: the orbit tends to the attracting 2-cycle
    ev = run(expect.gd_converges(CUBIC, "x", starts=["0.3"], lr="11/10"))
    assert ev.verdict == "refuted" and "cycle of period 2" in ev.findings[0]["statement"]
    # f = x^2/2, h = 5/2: x_k = (-3/2)^k
    ev = run(expect.gd_converges("x**2/2", "x", starts=["1"], lr="5/2"))
    assert ev.verdict == "refuted" and "diverges" in ev.findings[0]["statement"]


def test_gd_converges_in_two_dimensions_to_a_point_and_to_a_set():
    assert run(expect.gd_converges("(x-1)**2/2 + (y+2)**2", "x,y", starts=[["2", "0.25"]],
                                   lr="1/2", to=["1", "-2"])).verdict == "proved"
    # (1 - xy)^2/2 from (2, 1/4), h = 1/2: numerically onto the curve xy = 1 (non-isolated
    # minimizers: no contraction certificate); agreement at two precisions is a sample of
    # the steps, not a proof about all of them
    ev = run(expect.gd_converges("(1-x*y)**2/2", "x,y", starts=[["2", "0.25"]], lr="1/2",
                                 to_set="x*y - 1"))
    assert ev.verdict == "inconclusive"
    assert "no certificate covers every step" in ev.findings[0]["statement"]


def test_gd_diverges():
    assert run(expect.gd_diverges("x**2/2", "x", starts=["1"], lr="5/2")).verdict == "proved"
    assert run(expect.gd_diverges("x**2/2", "x", starts=["1"], lr="1/2")).verdict == "refuted"


def test_gd_bounded():
    # h = 7/5 (c = -1.71, chaotic regime): the interval [g(M), M], M = max g, is invariant
    ev = run(expect.gd_bounded(CUBIC, "x", starts=["0.3"], lr="7/5", radius="3"))
    assert ev.verdict == "proved" and "invariant box" in ev.findings[0]["statement"]
    # the same orbit leaves |x| <= 1/2 at once: g(3/10) = 3/10 + (7/5)(91/100) > 1/2
    assert run(expect.gd_bounded(CUBIC, "x", starts=["0.3"], lr="7/5",
                                 radius="1/2")).verdict == "refuted"
    # x^4/4 from 3 with h = 1/2: h x0^2 = 9/2 > 2, |x_k| grows without bound (BLOG-1)
    assert run(expect.gd_bounded("x**4/4", "x", starts=["3"], lr="1/2")).verdict == "refuted"


# ---- Hessians -------------------------------------------------------------------------------
def test_hessian_spectrum_exact():
    # (1 - xy)^2/2 at (1, 1): H = [[1, 1], [1, 1]], eigenvalues 2 and 0
    assert run(expect.hessian_spectrum("(1-x*y)**2/2", "x,y", at=["1", "1"],
                                       equals=["0", "2"])).verdict == "proved"
    ev = run(expect.hessian_spectrum("(1-x*y)**2/2", "x,y", at=["1", "1"], equals=["2", "1"]))
    assert ev.verdict == "refuted" and "1 is not a root" in ev.findings[0]["statement"]


def test_hessian_spectrum_in_balls():
    # sin(x) y at (1, 1): H = [[-s, c], [c, 0]], eigenvalues (-s ± sqrt(s^2 + 4c^2))/2
    s, c = sp.sin(1), sp.cos(1)
    roots = [str((-s + sp.sqrt(s**2 + 4 * c**2)) / 2), str((-s - sp.sqrt(s**2 + 4 * c**2)) / 2)]
    assert run(expect.hessian_spectrum("sin(x)*y", "x,y", at=["1", "1"],
                                       equals=roots)).verdict == "confirmed"
    ev = run(expect.hessian_spectrum("sin(x)*y", "x,y", at=["1", "1"], equals=["1", "-2"]))
    assert ev.verdict == "refuted" and ev.findings[0]["method"] == "interval"


def test_sharpness_equal_and_bounded():
    # (1 - xy)^2/2 at (2, 1/2) (a minimizer): eigenvalues 0 and x^2 + y^2 = 17/4
    at = {"x": "2", "y": "1/2"}
    assert run(expect.sharpness("(1-x*y)**2/2", "x,y", at=at, equals="17/4")).verdict == "proved"
    assert run(expect.sharpness("(1-x*y)**2/2", "x,y", at=at, at_most="4")).verdict == "refuted"
    assert run(expect.sharpness("(1-x*y)**2/2", "x,y", at=at, at_least="4",
                                at_most="5")).verdict == "proved"
    # x^2 + 3xy + y^2: eigenvalues 2 ± 3, so the sharpness is 5, not 3 + sqrt(2)
    assert run(expect.sharpness("x**2 + 3*x*y + y**2", "x,y", at=["0", "0"],
                                equals="3 + sqrt(2)")).verdict == "refuted"
    # sin(x) y at (1, 1): lambda_max = 0.26406... (closed form above)
    assert run(expect.sharpness("sin(x)*y", "x,y", at=["1", "1"],
                                at_least="1/4")).verdict == "proved"
    assert run(expect.sharpness("sin(x)*y", "x,y", at=["1", "1"],
                                at_most="1/4")).verdict == "refuted"


# ---- inequalities ---------------------------------------------------------------------------
def test_inequality_proved_by_branch_and_bound():
    # x^2 - x + 1 = (x - 1/2)^2 + 3/4 > 0
    ev = run(expect.inequality("x", "x**2 + 1", "x", box=["-3", "3"], relation="<"))
    assert ev.verdict == "proved"


def test_inequality_refuted_with_the_simplest_counterexample():
    ev = run(expect.inequality("x**2", "x", "x", box=["0", "2"]))      # fails on (1, 2]
    assert ev.verdict == "refuted" and ev.numbers["counterexample"]["exact"] == "x = 2"
    ev = run(expect.inequality("x*y", "(x**2 + y**2)/3", "x,y", box=["-2", "2"]))
    assert ev.verdict == "refuted"
    assert ev.numbers["counterexample"]["exact"] in ("x = -1, y = -1", "x = 1, y = 1")


def test_inequality_attained_on_a_line_is_proved_by_convexity():
    # AM-GM, equality on x = y: interval arithmetic cannot close the boxes along it, but
    # g = (x - y)^2/2 has the constant Hessian [[1, -1], [-1, 1]], exactly semidefinite,
    # and g = 0, grad g = 0 at the rational touching points: g >= its tangent plane = 0
    ev = run(expect.inequality("x*y", "(x**2 + y**2)/2", "x,y", box=["-2", "2"],
                               max_examples=60))
    assert ev.verdict == "proved" and "tangent plane" in ev.findings[0]["statement"]


def test_holds_for_all_with_a_strategy():
    ev = run(expect.holds_for_all(st.integers(0, 100), lambda n: n < 50, max_examples=60))
    assert ev.verdict == "refuted" and ev.findings[0]["statement"] == "Counterexample: 50"
    assert run(expect.holds_for_all(st.integers(0, 100), lambda n: n <= 100,
                                    max_examples=30)).verdict == "confirmed"


# ---- Lyapunov exponents and intervals ----------------------------------------------------
def test_lyapunov_sign_positive_at_the_chebyshev_parameter():
    ev = run(expect.lyapunov_sign(CUBIC, "x", lr="3/2", starts=["0.3"], sign="positive",
                                  steps=10_000))
    assert ev.verdict == "confirmed"
    lam = ev.numbers["lambda1"]
    assert abs(lam["value"] - math.log(2)) <= lam["abs_tol"]


def test_lyapunov_sign_refuted_by_a_contracting_fixed_point():
    # h = 1/2: g'(1) = 1 - 2h = 0, the minimizer attracts: lambda_1 < 0, certified
    ev = run(expect.lyapunov_sign(CUBIC, "x", lr="1/2", starts=["0.3"], sign="positive"))
    assert ev.verdict == "refuted"
    assert run(expect.lyapunov_sign(CUBIC, "x", lr="11/10", starts=["0.3"],
                                    sign="negative")).verdict == "proved"


def test_throughout_proved_by_continuation_and_refuted_by_a_sample():
    # the 2-cycle attracts for 1 < h < sqrt(6)/2 = 1.2247...
    two_cycle = expect.periodic_orbit(CUBIC, "x", lr="1.1", period=2, stable=True)
    assert run(expect.throughout(two_cycle, lr_range=["1.05", "1.2"])).verdict == "proved"
    ev = run(expect.throughout(two_cycle, lr_range=["1.1", "1.3"]))
    assert ev.verdict == "refuted"
    rows = ev.tables[-1]["rows"]            # (h, verdict, finding) at each sampled rate
    assert all((sp.Rational(h) > sp.sqrt(6) / 2) == (v == "refuted") for h, v, _ in rows)


def test_throughout_on_samples_is_never_confirmed():
    # no continuation applies to a box-restricted orbit search of either stability: the
    # samples can refute, not prove; with every sample holding, the rest of the interval
    # is named undecided
    two_cycle = expect.periodic_orbit(CUBIC, "x", lr="1.1", period=2, box=["-3", "3"])
    ev = run(expect.throughout(two_cycle, lr_range=["1.05", "1.2"], samples=3))
    assert ev.verdict == "inconclusive"
    assert ev.numbers["samples"]["value"] == 3 and ev.numbers["spacing"]["exact"] == "3/40"
    assert ev.numbers["undecided_measure"]["exact"] == "3/20"


def test_throughout_attracting_cycle_in_a_box_by_parametric_krawczyk():
    # the 2-cycle attracts for 1 < h < sqrt(6)/2 (module docstring): proved on [1.05, 1.2]
    # by certificates over sub-intervals (no continuation: the orbit is sought in a box)
    two_cycle = expect.periodic_orbit(CUBIC, "x", lr="1.1", period=2, stable=True,
                                      box=["-3", "3"])
    ev = run(expect.throughout(two_cycle, lr_range=["1.05", "1.2"], samples=3))
    assert ev.verdict == "proved" and "parametric Krawczyk" in ev.findings[-1]["statement"]
    assert ev.numbers["pieces"]["value"] >= 2


def test_throughout_gd_bounded_is_proved_over_the_interval():
    # x^2/2: x_k = (1 - h)^k, |1 - h| <= 9/10 on [1/10, 1/2]: proved for every rate
    ev = run(expect.throughout(expect.gd_bounded("x**2/2", "x", starts=["1"], lr="1"),
                               lr_range=["1/10", "1/2"]))
    assert ev.verdict == "proved" and "every h in [1/10, 1/2]" in ev.findings[-1]["statement"]


def test_throughout_gd_converges_refuted_by_an_exact_two_cycle_at_the_end():
    # x^2/2 + x^4/4 at h = 1: g(x) = -x^3 maps 1 -> -1 -> 1 (exact 2-cycle)
    prop = expect.gd_converges("x**2/2 + x**4/4", "x", starts=["1", "-1", "1/2", "-1/2"],
                               lr="1/2")
    ev = run(expect.throughout(prop, lr_range=["1/100", "1"]))
    assert ev.verdict == "refuted"
    text = ev.findings[0]["statement"]
    assert "h = $1$" in text and "1 → -1 → 1" in text
    # without the end rate (an open interval) the 2-cycle is excluded: the claim is true,
    # yet near h = 1 convergence is too slow for a finite proof; never confirmed
    ev = run(expect.throughout(prop, lr_range="[1/100, 1)"))
    assert ev.verdict in ("proved", "inconclusive")
    if ev.verdict == "inconclusive":
        assert ev.numbers["undecided_measure"]["value"] < 1e-3


def test_throughout_gd_diverges_refuted_on_a_set_of_measure_zero():
    # x^3/3 + x^2/2, x0 = 1/5: the orbit diverges for almost every h in [31/10, 4] but lands
    # on a fixed point for some rates.  T_h(1/5) = 1/5 - 6h/25, and g(y) = 0 for
    # y = (1 - h)/h, so T_h^2(1/5) = 0 at 6h^2 - 30h + 25 = 0, h* = (15 + 5 sqrt 3)/6
    prop = expect.gd_diverges("x**3/3 + x**2/2", "x", starts=["1/5"], lr="4")
    ev = run(expect.throughout(prop, lr_range=["31/10", "4"]))
    assert ev.verdict == "refuted" and "intermediate value" in ev.findings[0]["statement"]
    lo, hi = (sp.Rational(v) for v in ev.numbers["crossing_rates"]["exact"][1:-1].split(","))
    hstar = (15 + 5 * sp.sqrt(3)) / 6
    assert lo < hstar < hi and hi - lo < sp.Rational(1, 10**6)


def test_throughout_gd_diverges_proved_and_refuted_on_an_open_set():
    # x^2/2: x_k = (1 - h)^k diverges iff h > 2
    prop = expect.gd_diverges("x**2/2", "x", starts=["1", "-1/3"], lr="3")
    assert run(expect.throughout(prop, lr_range="[5/2, 4]")).verdict == "proved"
    ev = run(expect.throughout(prop, lr_range="(1, 4]"))
    assert ev.verdict == "refuted"
    h = sp.Rational(re.search(r"h = \$?([0-9/]+)", ev.findings[0]["statement"]).group(1))
    assert 1 < h <= 2            # a named rate of the set where |1 - h| <= 1


def test_throughout_accepts_open_and_unbounded_rate_sets():
    prop = expect.gd_diverges("x**2/2", "x", starts=["1"], lr="3")
    ev = run(expect.throughout(prop, lr_range="(3, inf)"))
    assert ev.verdict == "inconclusive" and "(3, inf)" in ev.summary
    assert ev.numbers["undecided_measure"]["exact"] == "inf"
    with pytest.raises(ArgumentError) as err:
        expect.throughout(prop, lr_range="[0, 1]")
    assert err.value.key == "lr_range"


def test_gd_over_a_start_box_in_two_dimensions():
    # f = x^2/2 + y^2 + xy/2: Hessian [[1, 1/2], [1/2, 2]], eigenvalues (3 ± sqrt 2)/2;
    # GD contracts iff h < 2/lambda_max = 4/(3 + sqrt 2) = 0.906...
    f = "x**2/2 + y**2 + x*y/2"
    box = [["-1", "1"], ["-1", "1"]]
    assert run(expect.gd_converges(f, "x,y", start_box=box, lr="1/2")).verdict == "proved"
    # an open set of counterexamples: at h = 1/2 every start converges, none diverges
    ev = run(expect.gd_diverges(f, "x,y", start_box=box, lr="1/2"))
    assert ev.verdict == "refuted" and "Counterexample" in ev.findings[0]["statement"]
    # two minima (+-1, 0) of (x^2 - 1)^2/4 + y^2/2: a box about (1, 0) never reaches (-1, 0)
    ev = run(expect.gd_converges("(x**2 - 1)**2/4 + y**2/2", "x,y", lr="1/2",
                                 start_box=[["1/2", "3/2"], ["-1/2", "1/2"]], to=["-1", "0"]))
    assert ev.verdict == "refuted"
    assert run(expect.gd_converges("(x**2 - 1)**2/4 + y**2/2", "x,y", lr="1/2",
                                   start_box=[["1/2", "3/2"], ["-1/2", "1/2"]],
                                   to=["1", "0"])).verdict == "proved"
    with pytest.raises(ArgumentError) as err:
        expect.gd_converges(f, "x,y", lr="1/2", starts=[["0", "0"]], start_box=box)
    assert err.value.key == "start_box" and "either starts" in err.value.message


# ---- arguments, the kinds table, comparisons ---------------------------------------------
def test_arguments_are_checked_and_named():
    with pytest.raises(ArgumentError) as err:
        expect.bifurcation(CUBIC, "x", lr_range=["1.5", "1.3"], type="fold", period=3)
    assert err.value.key == "lr_range"
    with pytest.raises(ArgumentError) as err:
        expect.bifurcation(CUBIC, "x", lr_range=["1.3", "1.5"], type="flip", period=3)
    assert err.value.key == "type" and "'fold'" in err.value.message
    with pytest.raises(ArgumentError) as err:
        expect.periodic_orbit("__import__('os')", "x", lr="1", period=1)
    assert err.value.key == "objective"
    assert isinstance(err.value, InputError)


def test_the_kinds_table_matches_the_functions():
    for kind in KINDS.values():
        params = inspect.signature(kind.load()).parameters
        names = [n for n, p in params.items() if p.kind is not p.VAR_KEYWORD]
        assert set(kind.arguments) <= set(names), kind.name
        required = {n for n, p in params.items() if p.default is p.empty
                    and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        assert required <= set(kind.required) | {"vars"}, kind.name
        assert not set(kind.arguments) & set(CLAIM_KEYS), kind.name


def test_importing_the_modules_hides_no_function():
    import importlib
    import types
    for kind in KINDS.values():
        importlib.import_module(kind.function.partition(":")[0])
    for name in expect.__all__:
        assert not isinstance(getattr(expect, name), types.ModuleType), name


def test_compare_is_exact_or_rigorous():
    x = sp.Symbol("x", real=True)
    assert compare(sp.sin(x)**2 + sp.cos(x)**2, sp.Integer(1), (x,)).status == "equal"
    diff = compare(x**2, x, (x,))
    assert diff.status == "different" and diff.method == "exact"
    assert compare(sp.exp(x), 1 + x, (x,)).status == "different"
