"""Modified equations of GD (lrtheory.modeq): closed forms, two derivations, gradient
structure, quadratic series.  Expected values come from hand derivations with sympy's
plain differentiation, from the closed form h⁻¹log(1 − hλ), or from the second derivation."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from flint import fmpq_mpoly_ctx

from lrtheory.errors import InputError
from lrtheory.modeq import (NotGradientError, modified_equation, one_dimensional_form,
                            tensor_field, universal_fields)
from lrtheory.modeq.bseries import bseries_fields, euler_coefficients, symmetry, trees
from lrtheory.modeq.identities import (both_derivations, closed_forms, first_order_potential,
                                       generic_curl, is_gradient_of)
from lrtheory.modeq.latex import tensor_field_latex
from lrtheory.modeq.lie_series import lie_series_fields
from lrtheory.modeq.quadratic import (gd_multipliers, lie_series_quadratic, real_linear_flow_exists,
                                      rotation_logarithm, scalar_series_radius, series_term)
from lrtheory.modeq.structure import is_identically_zero
from lrtheory.objectives import Objective

x, y = sp.symbols("x y", real=True)


def textbook_fields(f, variables):
    """F_0 = −g, F_1 = −½Hg, F_2 = −⅓H²g − (1/12)T(g, g) by plain sympy differentiation."""
    g = sp.Matrix([sp.diff(f, v) for v in variables])
    H = sp.hessian(f, variables)
    n = len(variables)
    T = [[[sp.diff(f, variables[i], variables[j], variables[k]) for k in range(n)]
          for j in range(n)] for i in range(n)]
    Tgg = sp.Matrix([sum(T[i][j][k] * g[j] * g[k] for j in range(n) for k in range(n))
                     for i in range(n)])
    return [-g, -H * g / 2, -H * H * g / 3 - Tgg / 12]


def same(a, b) -> bool:
    return all(sp.simplify(sp.expand(p - q)) == 0 for p, q in zip(a, b))


# ---- closed forms of the first three orders --------------------------------------------
@pytest.mark.parametrize("f,variables", [
    ((1 - x * y) ** 2 / 2, (x, y)),
    (x**4 / 4 + x * y**2 - y**3, (x, y)),
    (x**5 - 3 * x**2, (x,)),
])
def test_first_three_orders_polynomial(f, variables):
    me = modified_equation(Objective(f, variables), 2)
    for n, F in enumerate(textbook_fields(f, variables)):
        assert same(me.fields[n], list(F)), n


def test_first_three_orders_non_polynomial():
    f = sp.log(sp.cosh(x)) + sp.sin(y) * x
    me = modified_equation(Objective(f, (x, y)), 2)
    for n, F in enumerate(textbook_fields(f, (x, y))):
        assert same(me.fields[n], list(F)), n


@pytest.mark.parametrize("n", [1, 2, 3])
def test_textbook_forms_hold_for_every_f(n):
    J, lie, bs = both_derivations(n, 2)
    assert closed_forms(J) == lie[:3] == bs[:3]


def test_tensor_form_text_and_latex():
    assert str(tensor_field(1)) == "-H(g)/2"
    assert tensor_field(2) == sp.sympify("-H(H(g))/3 - T(g, g)/12")
    assert tensor_field_latex(1) == r"-\frac{1}{2} H g"
    assert "T(g, g)" in tensor_field_latex(2)


# ---- the two derivations agree ------------------------------------------------------
@pytest.mark.parametrize("n,order", [(1, 7), (2, 4), (3, 2)])
def test_lie_series_equals_bseries_for_every_f(n, order):
    _, lie, bs = both_derivations(n, order)
    assert lie == bs


coeff = st.integers(-3, 3)


@given(st.lists(coeff, min_size=6, max_size=6))
def test_lie_series_equals_bseries_on_random_polynomials(c):
    ctx = fmpq_mpoly_ctx.get(("x", "y"), "lex")
    X, Y = ctx.gens()
    f = c[0] * X**2 + c[1] * X * Y + c[2] * Y**3 + c[3] * X**2 * Y + c[4] * X**4 + c[5] * X * Y**3
    F0 = [-f.derivative(0), -f.derivative(1)]
    d = lambda p, i: p.derivative(i)  # noqa: E731
    zero = ctx.from_dict({})
    assert lie_series_fields(F0, 3, d, zero) == bseries_fields(F0, 3, d, zero)


def test_tree_counts_and_coefficients():
    assert [len(trees(k)) for k in range(1, 10)] == [1, 1, 2, 4, 9, 20, 48, 115, 286]
    b = euler_coefficients(3)
    leaf = ()
    assert b[leaf] == 1 and b[(leaf,)] == Fraction(-1, 2)
    assert b[(leaf, leaf)] == Fraction(1, 6) and b[((leaf,),)] == Fraction(1, 3)
    assert symmetry((leaf, leaf)) == 2 and symmetry((((leaf,),),)) == 1


def test_one_dimensional_form_matches_scalar_quadratic_and_exponential():
    forms = one_dimensional_form(6)
    fx, fxx = sp.symbols("f_x f_xx", real=True)
    # f = λx²/2: f_x = λx, f_xx = λ, higher zero → F_n = −λ^{n+1}x/(n+1)
    lam = sp.Symbol("lam")
    for n, F in enumerate(forms):
        vals = {s: 0 for s in F.free_symbols}
        vals.update({fx: lam * x, fxx: lam})
        assert sp.expand(F.subs(vals) + lam ** (n + 1) * x / (n + 1)) == 0


# ---- quadratic objectives ------------------------------------------------------------
def test_quadratic_series_symbolic_matrix():
    a, b, c = sp.symbols("a b c")
    A = sp.Matrix([[a, b], [b, c]])
    for n, M in enumerate(lie_series_quadratic(A, 5)):
        assert sp.expand(M - series_term(A, n)) == sp.zeros(2)


_H, _L = sp.symbols("h L")
_LOG_SERIES = sp.series(sp.log(1 - _H * _L) / _H, _H, 0, 6).removeO()


@given(st.fractions(min_value=Fraction(-3), max_value=Fraction(3), max_denominator=7))
def test_scalar_quadratic_against_log_series(L):
    """F_n = coefficient of h^n in h⁻¹log(1 − hL)·x, from sympy's series of the log."""
    L = sp.Rational(L.numerator, L.denominator)
    me = modified_equation(Objective(L * x**2 / 2, (x,)), 5)
    for n in range(6):
        assert sp.expand(me.fields[n][0] - _LOG_SERIES.coeff(_H, n).subs(_L, L) * x) == 0


def test_radius_multipliers_and_real_logarithms():
    assert scalar_series_radius() == 1
    h = sp.Rational(3, 2)
    assert gd_multipliers(sp.eye(2), h) == {sp.Rational(-1, 2): 2}
    assert real_linear_flow_exists(sp.eye(2), h)
    assert not real_linear_flow_exists(sp.diag(1, sp.Rational(1, 2)), h)
    assert real_linear_flow_exists(sp.diag(1, sp.Rational(1, 2)), sp.Rational(1, 2))
    B = rotation_logarithm(sp.Rational(1, 2), h)
    assert sp.simplify((h * B).exp() + sp.eye(2) / 2) == sp.zeros(2)
    with pytest.raises(InputError):
        gd_multipliers(sp.Matrix([[1, 2], [0, 1]]), h)


# ---- gradient structure ----------------------------------------------------------------
@given(st.lists(coeff, min_size=5, max_size=5))
def test_first_order_potential_is_quarter_gradient_norm(c):
    f = c[0] * x**3 + c[1] * x * y + c[2] * y**4 + c[3] * x**2 * y**2 + c[4] * x
    me = modified_equation(Objective(f, (x, y)), 1)
    quarter = (sp.diff(f, x) ** 2 + sp.diff(f, y) ** 2) / 4
    diff = sp.expand(me.potential(1) - quarter)
    assert diff.free_symbols == set()  # equal up to a constant


@pytest.mark.parametrize("n", [1, 2, 3])
def test_generic_gradient_structure(n):
    J, lie, _ = both_derivations(n, 3)
    assert is_gradient_of(J, lie[1], first_order_potential(J))
    assert not generic_curl(J, lie[1])
    assert bool(generic_curl(J, lie[2])) == (n >= 2)


def test_factorization_order_two_not_gradient_with_curl_evidence():
    f = (1 - x * y) ** 2 / 2
    me = modified_equation(Objective(f, (x, y)), 3)
    assert me.is_gradient(0) and me.is_gradient(1) and not me.is_gradient(2)
    F2 = textbook_fields(f, (x, y))[2]
    expected = sp.diff(F2[1], x) - sp.diff(F2[0], y)
    with pytest.raises(NotGradientError) as info:
        me.potential(2)
    assert sp.expand(info.value.curl[(0, 1)] - expected) == 0
    assert sp.factor(expected) == sp.factor((x**4 - y**4) * (1 - x * y) / 3)
    with pytest.raises(NotGradientError):
        me.modified_potential()


def test_gradient_test_is_decided_on_flint_polynomials(monkeypatch):
    # the gradient flags of a polynomial objective come from is_zero() on the fmpq_mpoly
    # curls, without sympy conversion; they agree with the textbook curls (sympy)
    from lrtheory.modeq import poly

    f = (1 - x * y) ** 2 / 2 + x ** 3 / 3
    textbook = textbook_fields(f, (x, y))
    monkeypatch.setattr(poly, "to_expr", lambda *a: pytest.fail("sympy conversion"))
    me = modified_equation(Objective(f, (x, y)), 2)
    flags = me.gradient
    monkeypatch.undo()
    assert flags == tuple(sp.expand(sp.diff(F[1], x) - sp.diff(F[0], y)) == 0
                          for F in textbook[:3])
    assert flags == (True, True, False)


def test_gradient_split():
    me = modified_equation(Objective((1 - x * y) ** 2 / 2, (x, y)), 2)
    for n in range(3):
        phi, R = me.gradient_split(n)
        F = me.fields[n]
        assert sp.expand(R[0] * x + R[1] * y) == 0
        assert all(sp.expand(Fi + sp.diff(phi, v) - r) == 0 for Fi, v, r in zip(F, (x, y), R))
        assert (sp.expand(R[0]) == 0 and sp.expand(R[1]) == 0) == me.is_gradient(n)
    with pytest.raises(InputError):
        modified_equation(Objective(sp.sin(x), (x,)), 1).gradient_split(1)


def test_one_dimensional_potentials_every_order():
    f = x**4 / 4 - x**3
    me = modified_equation(Objective(f, (x,)), 5)
    for n in range(6):
        assert sp.expand(sp.diff(me.potential(n), x) + me.fields[n][0]) == 0


def test_non_polynomial_potential_closed_form():
    # f = e^x: F_3 = −(1/4) f'f''³ − (1/6) f'² f'' f''' = −(5/12) e^{4x}
    me = modified_equation(Objective(sp.exp(x), (x,)), 3)
    assert sp.simplify(me.fields[3][0] + sp.Rational(5, 12) * sp.exp(4 * x)) == 0
    assert sp.simplify(sp.diff(me.potential(3), x) - sp.Rational(5, 12) * sp.exp(4 * x)) == 0


def test_separable_and_quadratic_stay_gradients():
    me = modified_equation(Objective(x**4 / 4 + y**4 / 4, (x, y)), 4)
    assert all(me.is_gradient(n) for n in range(5))
    me = modified_equation(Objective(2 * x**2 + 3 * x * y + y**2 / 2, (x, y)), 4)
    assert all(me.is_gradient(n) for n in range(5))


def test_non_polynomial_curl_certified_nonzero():
    me = modified_equation(Objective(sp.log(sp.cosh(x)) + x * y / 4 + y**2 / 2, (x, y)), 2)
    assert me.is_gradient(1) and not me.is_gradient(2)


def test_is_identically_zero():
    assert is_identically_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, (x,))
    assert not is_identically_zero(sp.sin(x) - x, (x,))


@pytest.mark.parametrize("order", [-1, 1.5, True, 10**6])
def test_bad_order(order):
    with pytest.raises(InputError):
        modified_equation(Objective(x**2, (x,)), order)


def test_text_objective_needs_variables():
    with pytest.raises(InputError):
        modified_equation("x**2", 1)
    assert modified_equation("x**2/2", 1, "x").fields[1] == (-x / 2,)


def test_jet_route_equals_polynomial_ring_route():
    """The universal jet fields with ∂^α f substituted equal the fields computed in Q[x, y]."""
    f = x**3 * y - 2 * x * y**2 + y**4 / 3
    me = modified_equation(Objective(f, (x, y)), 4)
    assert me.polynomial
    J, fields = universal_fields(("x", "y"), 4)
    values = J.substitution(f, (x, y))
    for n in range(5):
        assert all(sp.expand(J.evaluate(c, values) - e) == 0
                   for c, e in zip(fields[n], me.fields[n]))


def test_rotated_separable_non_polynomial_is_gradient():
    """sin x cos y = (sin(x+y) + sin(x−y))/2 is separable in rotated coordinates, and the
    modified fields are equivariant under rotations: every order is a gradient."""
    me = modified_equation(Objective(sp.sin(x) * sp.cos(y), (x, y)), 3)
    assert all(me.is_gradient(n) for n in range(4))


def test_order_is_limited_by_the_time_budget_not_a_constant():
    from lrtheory.errors import ComputationError
    with pytest.raises(ComputationError, match=r"reached order \d+ of 60 within the time budget"):
        modified_equation(Objective((1 - x * y) ** 2 / 2, (x, y)), 60, budget=1e-6)
    with pytest.raises(InputError, match="only for polynomial objectives"):
        modified_equation(Objective(sp.log(sp.cosh(x)), (x,)), 31)


@pytest.mark.slow
def test_order_forty_matches_a_plain_flint_recursion():
    # the anchor: h-expansion of L^k id (L the Lie derivative of F_0 + hF_1 + …) matched
    # with GD, written independently on fmpq_mpoly
    from math import factorial
    from flint import fmpq

    ctx = fmpq_mpoly_ctx.get(("x", "y"), "lex")
    X, Y = ctx.gens()
    f = (1 - X * Y) ** 2 / 2
    order = 40
    F = [[-f.derivative(0), -f.derivative(1)]]
    lie = {1: {0: F[0]}}
    for m in range(1, order + 1):
        new = [ctx.from_dict({})] * 2
        for k in range(2, m + 2):
            j = m + 1 - k
            vec = [ctx.from_dict({})] * 2
            for i in range(j + 1):
                for c in range(2):
                    for q in range(2):
                        vec[c] += lie[k - 1][j - i][c].derivative(q) * F[i][q]
            lie.setdefault(k, {})[j] = vec
            new = [a - b * fmpq(1, factorial(k)) for a, b in zip(new, vec)]
        F.append(new)
        lie[1][m] = new
    me = modified_equation(Objective((1 - x * y) ** 2 / 2, (x, y)), order, budget=600)
    assert me._engine.ring_fields[order] == F[order]
    assert me.gradient[:3] == (True, True, False)
