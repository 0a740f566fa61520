"""Potentials of the modified fields (lrtheory.modeq): exact gradients, the closed form of
log cosh, the differential algebras of lrtheory.modeq.integration, the integration budget,
and the python-flint recursion against the B-series.  Expected values come from sympy's
plain differentiation, from derivatives of log cosh written by hand in t = tanh x, from
sympy's Euler operator and from the second (B-series) derivation."""
from __future__ import annotations

import random
import time

import pytest
import sympy as sp
from flint import fmpq_mpoly_ctx
from sympy.calculus.euler import euler_equations

from lrtheory.cli import main
from lrtheory.errors import ComputationError, InputError
from lrtheory.modeq import field as modeq_field
from lrtheory.modeq import (modified_equation, one_dimensional_form, poly, universal_fields,
                            universal_potential)
from lrtheory.modeq.bseries import bseries_fields
from lrtheory.modeq.identities import first_order_potential
from lrtheory.modeq.integration import _descend, _gaussian_integral, differential_algebra
from lrtheory.modeq.jets import JetRing
from lrtheory.objectives import Objective

x, y, z = sp.symbols("x y z", real=True)
T = sp.Symbol("t")


# ---- the python-flint recursion against the B-series ---------------------------------------
def _dense(variables, degree, seed):
    """A polynomial with every monomial of degree <= ``degree`` and small rational
    coefficients from a fixed-seed generator."""
    rng = random.Random(seed)
    monos = sp.itermonomials(variables, degree)
    return sp.Add(*[sp.Rational(rng.randint(-4, 4), rng.randint(1, 3)) * m
                    for m in sorted(monos, key=sp.default_sort_key)])


@pytest.mark.parametrize("f,variables,order", [
    ((1 - x * y) ** 2 / 2, (x, y), 6),
    (x**5 - 3 * x**2 + x / 7, (x,), 8),
    (_dense((x, y, z), 3, 11), (x, y, z), 3),
    (_dense((x, y), 4, 5), (x, y), 4),
])
def test_flint_recursion_equals_bseries(f, variables, order):
    me = modified_equation(Objective(f, variables), order)
    engine = me._engine
    assert engine.polynomial
    zero = engine.ctx.from_dict({})
    bs = bseries_fields(engine.ring_fields[0], order, lambda p, i: p.derivative(i), zero)
    assert bs == engine.ring_fields


def test_flint_recursion_equals_textbook_sympy_fields():
    """F_1 = −½Hg and F_2 = −⅓H²g − (1/12)T(g, g) by plain sympy differentiation."""
    f = _dense((x, y, z), 4, 3)
    me = modified_equation(Objective(f, (x, y, z)), 2)
    g = sp.Matrix([sp.diff(f, v) for v in (x, y, z)])
    H = sp.hessian(f, (x, y, z))
    Tgg = sp.Matrix([sum(sp.diff(f, a, b, c) * g[j] * g[k]
                         for j, b in enumerate((x, y, z)) for k, c in enumerate((x, y, z)))
                     for a in (x, y, z)])
    for n, F in enumerate([-g, -H * g / 2, -H * H * g / 3 - Tgg / 12]):
        assert all(sp.expand(a - b) == 0 for a, b in zip(me.fields[n], F)), n


# ---- polynomial potentials: the homotopy formula ---------------------------------------------
@pytest.mark.parametrize("f,variables,order", [
    (x**4 / 4 + y**4 / 4 - x * x, (x, y), 6),
    (2 * x**2 + 3 * x * y + y**2 / 2, (x, y), 6),
    ((x + y) ** 4 + (x - y) ** 3 / 3, (x, y), 5),  # separable after a rotation
    (x**4 / 4 - x**3, (x,), 8),
])
def test_polynomial_potentials_are_exact_gradients(f, variables, order):
    me = modified_equation(Objective(f, variables), order, potentials=True)
    assert all(me.gradient)
    for n in range(order + 1):
        phi = me.potentials[n]
        assert all(sp.expand(sp.diff(phi, v) + F) == 0
                   for v, F in zip(variables, me.fields[n])), n
        if n:
            assert phi.subs({v: 0 for v in variables}) == 0  # the homotopy normalisation


def test_non_gradient_orders_have_no_potential():
    me = modified_equation("(1 - x*y)**2/2", 3, "x,y", potentials=True)
    assert me.gradient == (True, True, False, False)
    assert me.potentials[2] is None and me.potentials[3] is None
    quarter = ((x * y - 1) ** 2 * (x**2 + y**2)) / 4
    assert sp.expand(me.potentials[1] - quarter).free_symbols == set()


# ---- one dimension -----------------------------------------------------------------------------
def test_log_cosh_third_potential_closed_form():
    """f_3 = t²(7t⁴ − 15t² + 9)/72 with t = tanh x (the closed form from the issue), and
    −f_3′ = F_3 by plain differentiation."""
    me = modified_equation("log(cosh(x))", 3, "x")
    f3 = me.potential(3)
    t = sp.tanh(x)
    assert sp.simplify(f3 - t**2 * (7 * t**4 - 15 * t**2 + 9) / 72) == 0
    F3 = -sp.diff(sp.log(sp.cosh(x)), x, 2) * sp.diff(sp.log(sp.cosh(x)), x) ** 2 \
        * sp.diff(sp.log(sp.cosh(x)), x, 3) / 6 \
        - sp.diff(sp.log(sp.cosh(x)), x) * sp.diff(sp.log(sp.cosh(x)), x, 2) ** 3 / 4
    assert sp.simplify(sp.diff(f3, x) + F3) == 0


def _log_cosh_jets_in_t(count):
    """f′ = t, f^{(k+1)} = (1 − t²) d/dt f^{(k)} for f = log cosh x, t = tanh x."""
    out = [T]
    while len(out) < count:
        out.append(sp.expand((1 - T**2) * sp.diff(out[-1], T)))
    return out


def test_log_cosh_potentials_all_orders_exactly_in_t():
    """Orders 1..12: (1 − t²) d f_n/dt = −F_n(t), F_n from the universal 1-D form with the
    hand-derived jets of log cosh substituted."""
    order = 12
    me = modified_equation("log(cosh(x))", order, "x", potentials=True)
    forms = one_dimensional_form(order)
    jets = _log_cosh_jets_in_t(order + 2)
    names = {sp.Symbol("f_" + "x" * (k + 1), real=True): jets[k] for k in range(order + 2)}
    for n in range(1, order + 1):
        in_t = {sp.tanh(x): T, sp.sinh(x): T * sp.cosh(x)}
        fn = sp.expand(sp.cancel(me.potentials[n].xreplace(in_t)))
        assert not fn.has(x), n
        Fn = sp.expand(forms[n].xreplace(names))
        assert sp.expand((1 - T**2) * sp.diff(fn, T) + Fn) == 0, n


@pytest.mark.parametrize("expr,order", [("exp(-x**2)", 12), ("x*exp(x)", 6),
                                        ("exp(-x**2) + x", 5), ("exp(-x**2/2 + x) + x**3", 4)])
def test_exp_polynomial_potentials_exact(expr, order):
    me = modified_equation(expr, order, "x", potentials=True)
    assert me._engine.algebra.kind == "exp-polynomial"
    for n in range(order + 1):
        d = sp.diff(me.potentials[n], x) + me.fields[n][0]
        assert sp.expand(sp.powsimp(sp.expand(d))) == 0, n


@pytest.mark.parametrize("expr,order", [("log(1 + exp(x))", 5), ("log(cosh(2*x))/4", 4),
                                        ("sin(x)", 3), ("atan(x)", 3)])
def test_one_dimensional_potentials_gradients_simplify_to_zero(expr, order):
    me = modified_equation(expr, order, "x", potentials=True)
    for n in range(order + 1):
        assert sp.simplify(sp.diff(me.potentials[n], x) + me.fields[n][0]) == 0, n


def test_autonomous_class_recognised():
    alg = differential_algebra(sp.log(sp.cosh(x)), x)
    assert alg.kind == "autonomous"
    assert sp.expand(poly.to_expr(alg.derivatives[0], (T,)) - (1 - T**2)) == 0
    assert differential_algebra(sp.log(sp.cosh(x)) + x**2 / 2, x) is None
    assert differential_algebra(sp.sin(x), x) is None


def test_order_two_is_not_a_universal_derivative_in_one_dimension():
    """F_2 = −f′²f‴/12 − f′f″²/3 is no total derivative: sympy's Euler operator of it is
    not zero, and the jet-ring antiderivative finds none; orders 0 and 1 have one."""
    fx = sp.Function("f")(x)
    F2 = -fx.diff(x) ** 2 * fx.diff(x, 3) / 12 - fx.diff(x) * fx.diff(x, 2) ** 2 / 3
    assert euler_equations(F2, fx, x)[0].lhs.simplify() != 0
    assert universal_potential(("x",), 3, 2) is None
    J = JetRing(("x",), 4)
    assert sp.expand(J.as_expr(universal_potential(("x",), 3, 1))
                     - sp.Symbol("f_x", real=True) ** 2 / 4) == 0


def test_universal_potentials_in_several_dimensions():
    """Order 1 has the universal potential ‖∇f‖²/4 (the identities module builds it
    directly); order 2 has none in two dimensions (its generic curl is not zero)."""
    J, _ = universal_fields(("x", "y"), 2)
    assert universal_potential(("x", "y"), 2, 1) == first_order_potential(J)
    assert universal_potential(("x", "y"), 2, 2) is None


def test_descent_and_gaussian_integral():
    ctx = fmpq_mpoly_ctx.get(("x", "E"), "lex")
    X, E = ctx.gens()
    P = 3 * X**5 - X**2 + 7
    dE = (-2 * X + 1) * E  # g = −x² + x
    A, R = _descend(P, 3, dE, ctx)
    assert R.degrees()[0] == 0
    assert P == A.derivative(0) + 3 * (-2 * X + 1) * A + R
    mg = 3 * (-x**2 + x)
    tail = _gaussian_integral(sp.Rational(5, 2), mg, x)
    assert sp.simplify(sp.diff(tail, x) - sp.Rational(5, 2) * sp.exp(mg)) == 0
    assert _gaussian_integral(sp.Integer(1), -x**3, x) is None


def test_structured_potentials_are_fast():
    """log cosh and e^{−x²}, orders 0..12 (with the universal caches cleared)."""
    for fn in (modeq_field.universal_fields, modeq_field.universal_reduction,
               modeq_field.universal_potential):
        fn.cache_clear()
    t0 = time.perf_counter()
    for expr in ("log(cosh(x))", "exp(-x**2)"):
        modified_equation(expr, 12, "x", potentials=True)
    assert time.perf_counter() - t0 < 5


# ---- the integration budget ----------------------------------------------------------------------
def test_budget_stops_general_integration():
    me = modified_equation("log(cosh(x)) + x**2/2", 3, "x")
    assert me._engine.algebra is None
    t0 = time.perf_counter()
    with pytest.raises(ComputationError, match="budget"):
        me.potential(3, budget=1.0)
    assert time.perf_counter() - t0 < 10


def test_budget_several_dimensions_and_bad_budget():
    me = modified_equation("log(cosh(x)) + y**2/2", 3, "x,y")
    assert me.is_gradient(3)
    with pytest.raises(ComputationError):
        me.potential(3, budget=0.5)
    f1 = me.potential(1)  # universal: ‖∇f‖²/4, no integration
    assert all(sp.simplify(sp.diff(f1, v) + F) == 0 for v, F in zip((x, y), me.fields[1]))
    with pytest.raises(InputError):
        me.potential(2, budget=-1)


def test_cli_budget_exhausted_exit_one(capsys, monkeypatch):
    monkeypatch.setattr(modeq_field, "DEFAULT_BUDGET", 0.5)
    code = main(["modeq", "log(cosh(x)) + x**2/2", "--vars", "x", "--order", "2",
                 "--potential"])
    out, err = capsys.readouterr()
    assert code == 1 and "budget" in err and "Traceback" not in err
