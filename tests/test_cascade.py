"""Superstable parameters of period-doubling cascades (lrtheory.bifurcation.cascade).

Independent derivations:

* GD on f = x³/3 − x is g_h(x) = x − h(x² − 1) with critical point c = 1/(2h); the
  superstable rates of period 2^k are real roots of the numerator of g_h^{2^k}(c) − c, a
  polynomial in h found here exactly by sympy (the cascade's root of period 2^k is the
  smallest one above the previous level);
* the same map is conjugate to z ↦ z² + C with C = 1/4 − h², whose superstable parameters
  C = 0, −1, −1.3107… are roots of f_C^{2^k}(0) = 0 (sympy again);
* Feigenbaum's δ = 4.669201609102990671853203820466201617258185577475768632745651343004134
  (OEIS A006890) and the Feigenbaum point of z² + C, C_∞ = −1.4011551890920506004…
  (OEIS A075108), are known constants.
"""
import math

import mpmath
import pytest
import sympy as sp

from lrtheory.bifurcation import cascade
from lrtheory.bifurcation.cascade import (SuperstableCascade, feigenbaum_estimate,
                                          superstable_cascade)
from lrtheory.errors import InputError
from lrtheory.objectives import Objective
from lrtheory.precision import precision

DELTA = "4.669201609102990671853203820466201617258185577475768632745651343004134"
C_INF = "-1.4011551890920506004"
CUBIC = Objective("x**3/3 - x", "x")
QUARTIC = Objective("x**3/3 - x + x**4/20", "x")   # f″(c) = 1/h is quadratic in c


@pytest.fixture(scope="module")
def cubic():
    return superstable_cascade(CUBIC, 1.0, 13, dps=40)


@pytest.fixture(scope="module")
def quartic():
    return superstable_cascade(QUARTIC, 1.0, 13, dps=40)


def _exact_superstable_rates(levels: int):
    """H_0, H_1, … of GD on x³/3 − x from exact polynomial equations in h (sympy)."""
    h = sp.Symbol("h", positive=True)
    c = 1 / (2 * h)
    out = []
    for k in range(levels):
        x = c
        for _ in range(2 ** k):
            x = sp.cancel(x - h * (x ** 2 - 1))
        poly = sp.Poly(sp.expand(sp.numer(sp.together(x - c))), h)
        roots = [r for r in poly.real_roots() if r.is_positive and (not out or r > out[-1])]
        out.append(min(roots))
    return out


def _exact_quadratic_family(levels: int):
    """Superstable C of z² + C: f_C^{2^k}(0) = 0, the cascade root next below the last."""
    C = sp.Symbol("C")
    out = []
    for k in range(levels):
        z = sp.Integer(0)
        for _ in range(2 ** k):
            z = sp.expand(z ** 2 + C)
        roots = [r for r in sp.Poly(z, C).real_roots() if not out or r < out[-1]]
        out.append(max(roots))
    return out


def test_first_superstable_rates_are_the_roots_of_the_exact_equations(cubic):
    exact = _exact_superstable_rates(3)
    family = _exact_quadratic_family(3)
    assert family[:2] == [0, -1]
    with precision(40):
        for H, root, C in zip(cubic.lrs, exact, family):
            assert abs(H - mpmath.mpf(str(sp.N(root, 45)))) < mpmath.mpf(10) ** -35
            assert abs((mpmath.mpf(1) / 4 - H ** 2) - mpmath.mpf(str(sp.N(C, 45)))) \
                < mpmath.mpf(10) ** -35
        assert abs(cubic.lrs[1] - mpmath.sqrt(5) / 2) < mpmath.mpf(10) ** -35
        assert abs(1 / 4 - cubic.lrs[2] ** 2 - mpmath.mpf("-1.3107026413368328836")) < 1e-18


@pytest.mark.parametrize("name", ["cubic", "quartic"])
def test_each_level_is_a_superstable_orbit_of_minimal_period(name, request):
    """f″(c) = 1/H (c is critical) and c returns after 2^k steps, not after 2^(k−1)."""
    r = request.getfixturevalue(name)
    obj = CUBIC if name == "cubic" else QUARTIC
    x = obj.vars[0]
    f1 = sp.lambdify(x, obj.gradient[0], "mpmath")
    f2 = sp.lambdify(x, sp.diff(obj.gradient[0], x), "mpmath")
    with precision(40):
        for k, (H, c) in enumerate(zip(r.lrs, r.critical_points)):
            assert abs(1 - H * f2(c)) < mpmath.mpf(10) ** -30
            orbit = [c]
            for _ in range(2 ** k):
                orbit.append(orbit[-1] - H * f1(orbit[-1]))
            assert abs(orbit[-1] - c) < mpmath.mpf(10) ** -25
            if k:
                assert abs(orbit[2 ** (k - 1)] - c) > mpmath.mpf(10) ** -6


@pytest.mark.parametrize("name", ["cubic", "quartic"])
def test_error_estimate_bounds_the_true_error_at_every_level_count(name, request):
    r = request.getfixturevalue(name)
    with precision(40):
        delta = mpmath.mpf(DELTA)
        assert abs(r.delta - delta) <= r.delta_error
        assert r.deviation == pytest.approx(float(abs(r.delta - delta)))
        finite = 0
        for K in range(4, len(r.lrs) + 1):
            est, err, _ = feigenbaum_estimate(list(r.ratios[:K - 2]))
            assert float(abs(est - delta)) <= err
            finite += err < math.inf
        assert finite >= len(r.lrs) - 6         # every count from 7 levels on is estimated
    assert r.digits >= 9       # the bar uses the larger of the last two differences
    assert r.digits == math.floor(-math.log10(r.delta_error / float(r.delta)))


def test_delta_to_fourteen_digits_with_sixteen_levels():
    r = superstable_cascade(CUBIC, 1.0, 16)
    assert r.digits >= 13 and r.dps == 36      # the bar states 13 of the 14 correct digits
    with precision(40):
        assert abs(r.delta - mpmath.mpf(DELTA)) < 5e-14


def test_accumulation_point_is_the_feigenbaum_point(cubic):
    with precision(40):
        h_inf = mpmath.sqrt(mpmath.mpf(1) / 4 - mpmath.mpf(C_INF))
        assert abs(cubic.accumulation - h_inf) < 1e-9


def test_ratios_tend_to_delta(cubic):
    with precision(40):
        errors = [abs(d - mpmath.mpf(DELTA)) for d in cubic.ratios]
    assert all(b < a for a, b in zip(errors[2:], errors[3:]))
    assert float(errors[-1]) < 1e-7


def test_result_round_trip(cubic):
    assert SuperstableCascade.from_json(cubic.to_json(exact=True)) == cubic
    assert isinstance(cubic.lrs[0], mpmath.mpf) and len(cubic.lrs) == 13


@pytest.mark.parametrize("args", [
    (Objective("(x - y)**2", "x,y"), 1.0, 8),         # not 1-D
    (Objective("3*x**2/2", "x"), 0.0, 8),             # quadratic: f‴ = 0, no cascade
    (CUBIC, 1.0, 3),                                  # too few levels
    (CUBIC, -1.0, 8),                                 # a maximum (f″ = −2 < 0)
])
def test_bad_input(args):
    with pytest.raises(InputError):
        superstable_cascade(*args)


def test_exported_from_the_package():
    import lrtheory.bifurcation as bif
    assert bif.superstable_cascade is superstable_cascade
    assert cascade.SAFETY >= 1


def test_mpfr_orbit_equals_the_mpmath_orbit():
    """The orbit loop runs in gmpy2's MPFR when the map prints with gmpy2 functions; the
    plain mpmath loop (used otherwise) gives the same numbers."""
    x = CUBIC.vars[0]
    exprs = [CUBIC.gradient[0], sp.diff(CUBIC.gradient[0], x)]
    with precision(40):
        fast, _ = cascade._compile(exprs, x, loop=True)
        printer = cascade._Printer()
        body = [f"        d{i} = {printer.doprint(e)}" for i, e in enumerate(exprs)]
        src = cascade._LOOP.format(body="\n".join(body))
        slow = cascade._exec(src, mpmath, mpmath.mpf, printer.constants)["orbit"]
        c, h = mpmath.mpf("0.4"), mpmath.mpf("1.2492808496638507600")
        for a, b in zip(fast(c, h, 64), slow(c, h, 64)):
            assert abs(a - b) <= mpmath.mpf(10) ** -30 * (1 + abs(b))


def test_a_map_with_a_constant_gmpy2_lacks_runs_on_mpmath():
    obj = Objective("x**3/3 - x + pi*x**4/100", "x")      # prints mpmath.pi
    r = superstable_cascade(obj, 1.0, 8)
    assert len(r.lrs) == 8 and all(b > a for a, b in zip(r.lrs, r.lrs[1:]))
    assert abs(r.delta - 4.6692) < 0.01


#: Cubic, quartic and quintic perturbations of x²/2 (minimizer 0, quadratic critical point)
#: on which δ's error estimate is checked; Feigenbaum's δ is universal, so the truth is known
#: for each.  The first was the case where the former estimate was 19 times too small.
PERTURBATIONS = ["x**2/2 - x**3/3 + x**4/10", "x**2/2 + x**3/5 + x**5/40",
                 "x**2/2 - x**3/4 - x**4/30", "x**2/2 - x**3/3 + x**5/20",
                 "x**2/2 + x**3/2 + x**4/5", "x**2/2 - x**3/5 - x**5/30",
                 "x**2/2 - x**3/3 + x**4/8 - x**5/50"]


def _check_bars(r, first: int) -> int:
    """Every level count from ``first`` on: the estimate's bar contains the true error
    (at the precision of the rates).  Returns the counts checked."""
    checked = 0
    with precision(60):
        delta = mpmath.mpf(DELTA)
        for K in range(first, len(r.lrs) + 1):
            est, err, _ = feigenbaum_estimate(list(r.ratios[:K - 2]))
            assert float(abs(est - delta)) <= err, (K, est, err)
            checked += 1
    return checked


@pytest.mark.parametrize("expr", PERTURBATIONS)
def test_error_bar_holds_on_maps_it_was_not_fitted_to(expr):
    r = superstable_cascade(Objective(expr, "x"), 0, 13, dps=40)
    assert _check_bars(r, 8) == 6
    with precision(40):
        assert r.deviation <= r.delta_error
        assert float(abs(r.delta - mpmath.mpf(DELTA))) < 10.0 ** -r.digits * float(r.delta)


@pytest.mark.slow
@pytest.mark.parametrize("expr", PERTURBATIONS[:6])
def test_error_bar_holds_at_sixteen_to_eighteen_levels(expr):
    # x²/2 − x³/3 + x⁴/10 at 16 levels: true error 4.7e-12 (the former bar said 2.5e-13)
    r = superstable_cascade(Objective(expr, "x"), 0, 18)
    assert _check_bars(r, 16) == 3
    # no float64 floor: the rates and ratios stay mpf at 38 digits, and the true error of
    # δ falls below |fl(δ) − δ| = 2.47e-16 on the maps that converge fast
    assert all(isinstance(h, mpmath.mpf) for h in r.lrs + r.ratios)
    if expr != PERTURBATIONS[0]:
        assert r.deviation < 1e-15
