"""High-precision integration of truncated modified flows (lrtheory.modeq.order), checked
against closed forms of the scalar quadratic and the leading term of the defect."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from lrtheory.errors import ComputationError
from lrtheory.modeq import modified_equation
from lrtheory.modeq.order import (OrderFit, fitted_order, global_error, integrate,
                                  one_step_defect)
from lrtheory.objectives import Objective

x, y = sp.symbols("x y", real=True)


def scalar_rate(h, N):
    """c_N = Σ_{n≤N} h^n/(n+1): the order-N modified flow of x²/2 is ẋ = −c_N x."""
    return sum(h**n / (n + 1) for n in range(N + 1))


@pytest.mark.parametrize("scalars", ["mpmath", "mpfr"])
@pytest.mark.parametrize("x0", [1, -2])
def test_integrator_against_exponential(scalars, x0):
    with mpmath.workdps(40):
        val = integrate(lambda v: [-3 * v[0], v[0]], [x0, 0], "0.7", scalars=scalars)
        decay = mpmath.exp(-3 * mpmath.mpf("0.7"))
        assert abs(val[0] - x0 * decay) < mpmath.mpf("1e-30")
        assert abs(val[1] - x0 * (1 - decay) / 3) < mpmath.mpf("1e-30")


def test_integrator_reports_blow_up():
    with mpmath.workdps(20):
        with pytest.raises(ComputationError):
            integrate(lambda v: [v[0] ** 2], [1], 2)


@pytest.mark.parametrize("N", [0, 1, 3])
def test_one_step_defect_scalar_quadratic_closed_form(N):
    me = modified_equation(Objective(x**2 / 2, (x,)), N)
    with mpmath.workdps(40):
        for h in (mpmath.mpf("0.1"), mpmath.mpf("0.3")):
            exact = abs(mpmath.exp(-scalar_rate(h, N) * h) - (1 - h))
            got = one_step_defect(me, N, ["1"], h)
            assert abs(got - exact) < mpmath.mpf("1e-28") * (1 + exact)


@pytest.mark.parametrize("N", [0, 1, 2])
def test_defect_leading_term_is_next_field(N):
    """φ_h^{F̃_N}(x₀) − GD(x₀) = −h^{N+2} F_{N+1}(x₀) + O(h^{N+3})."""
    me = modified_equation(Objective((1 - x * y) ** 2 / 2, (x, y)), N + 1)
    x0 = {x: sp.Rational(1, 2), y: sp.Rational(3, 2)}
    lead = mpmath.sqrt(sum(mpmath.mpf(sp.Rational(c.subs(x0))) ** 2 for c in me.fields[N + 1]))
    with mpmath.workdps(50):
        h = mpmath.mpf("1e-5")
        ratio = one_step_defect(me, N, ["0.5", "1.5"], h) / h ** (N + 2) / lead
    assert abs(ratio - 1) < 1e-3


def test_fitted_orders_non_polynomial():
    # x0 = 0.3: the leading defect term F_3 ∝ tanh x sech⁴x (7 tanh²x/12 − 1/4) does not
    # vanish there (it does near x = 0.78, where the fitted order would be one higher)
    me = modified_equation(Objective(sp.log(sp.cosh(x)), (x,)), 2)
    for N in (0, 2):
        r = fitted_order(me, N, ["0.3"], ["0.04", "0.02", "0.01"], dps=(25, 35))
        assert abs(r.slope - (N + 2)) < 0.1
        assert r.change < 1e-10
        assert OrderFit.from_json(r.to_json(exact=True)) == r and r.defects[0] > r.defects[-1]


def test_global_error_scalar_quadratic_closed_form():
    me = modified_equation(Objective(x**2 / 2, (x,)), 2)
    with mpmath.workdps(30):
        for h, N in ((mpmath.mpf("0.5"), 2), (mpmath.mpf("1.5"), 1), (mpmath.mpf("0.25"), None)):
            c = scalar_rate(h, 0 if N is None else N)
            exact = max(abs((1 - h) ** k - mpmath.exp(-c * k * h))
                        for k in range(1, int(2 / h) + 1))
            got = global_error(me, N, ["1"], h, 2)
            assert abs(got - exact) < mpmath.mpf("1e-18")


@pytest.mark.slow
def test_fitted_orders_up_to_four():
    me = modified_equation(Objective((1 - x * y) ** 2 / 2, (x, y)), 4)
    for N in range(5):
        r = fitted_order(me, N, ["0.5", "1.5"], ["0.04", "0.02", "0.01", "0.005"], dps=(35, 50))
        assert abs(r.slope - (N + 2)) < 0.05


# ---- the integrator's numbers: gmpy2 mpfr against mpmath ---------------------------------
def test_mpfr_numbers_enter_and_leave_exactly():
    from lrtheory.modeq.order import Scalars
    sc = Scalars("mpfr")
    with mpmath.workdps(30), sc.precision():
        for v in (mpmath.mpf(1) / 3, -mpmath.pi, mpmath.mpf("1e-300"), mpmath.mpf(2) ** 4000,
                  mpmath.inf, -mpmath.inf):
            assert sc.mpf(sc.num(v)) == v
        assert mpmath.isnan(sc.mpf(sc.num(mpmath.nan)))


def test_the_mpfr_field_is_the_mpmath_field_at_the_same_precision():
    """A field with rationals, an exact Float, π and elementary functions: the same digits
    (+, −, ×, ÷ correctly rounded in both; functions within an ulp)."""
    from lrtheory.evaluators import compile_exprs
    from lrtheory.modeq.order import Scalars
    exprs = [sp.Rational(1, 3) * x - sp.Float("0.1") * y**3 + sp.pi * sp.tanh(x),
             sp.log(sp.cosh(y)) / 7 + sp.sqrt(x**2 + 1) * sp.exp(-y)]
    ref, fast = compile_exprs(exprs, (x, y), "mpmath"), compile_exprs(exprs, (x, y), "mpfr")
    sc = Scalars("mpfr")
    with mpmath.workdps(50), sc.precision():
        pt = [mpmath.mpf(2) / 3, mpmath.mpf(-5) / 4]
        for a, b in zip(ref(*pt), fast(*[sc.num(v) for v in pt])):
            assert abs(a - sc.mpf(b)) <= abs(a) * mpmath.mpf(2) ** (-mpmath.mp.prec + 4)


@pytest.mark.parametrize("expr, order, h", [("x**2/2", 2, "0.5"), ("log(cosh(x))", 3, "0.5"),
                                            ("log(cosh(x))", 6, "1.5")])
def test_global_errors_in_mpfr_are_those_of_mpmath_and_converged(monkeypatch, expr, order, h):
    """BLOG-7's quantity at 20 digits: mpfr gives the mpmath numbers (the same operations,
    correctly rounded), and both agree with mpmath at 40 digits to far more than the four
    digits BLOG-7 prints."""
    import lrtheory.modeq.order as order_mod
    me = modified_equation(expr, 6, "x")
    got = {}
    for scalars, dps in (("mpfr", 20), ("mpmath", 20), ("mpmath", 40)):
        monkeypatch.setattr(order_mod, "SCALARS", scalars)
        with mpmath.workdps(dps):
            got[scalars, dps] = global_error(me, order, ["1"], h, 3, "1e-15")
    fast, slow, precise = got["mpfr", 20], got["mpmath", 20], got["mpmath", 40]
    with mpmath.workdps(40):
        assert abs(fast - slow) <= abs(slow) * mpmath.mpf("1e-17")
        assert abs(fast - precise) <= abs(precise) * mpmath.mpf("1e-12")
    assert mpmath.nstr(fast, 4) == mpmath.nstr(precise, 4)
