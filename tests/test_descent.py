"""BLOG-1 mathematics: descent statements on hand-computed instances, x⁴/4 threshold."""
import math

import sympy as sp
from flint import fmpq

from lrtheory.catalogue import scalar_quadratic
from lrtheory.objectives import Objective
from lrtheory.smoothness import (
    GDInstance, SmoothObjective, descent_factor, descent_trace, monotone_decrease,
    per_step_descent, summed_descent)
from proofs_checks.blog.descent import descent_identity, quartic_threshold

x = sp.Symbol("x", real=True)


def _quadratic(L):
    return SmoothObjective(scalar_quadratic(L), L=fmpq(L), f_lower=fmpq(0), certificate="f''=L",
                           f_star_exact=True)


def test_descent_factor():
    assert descent_factor(fmpq(1, 2), 1) == fmpq(3, 8)           # ½(1 − ¼)
    assert descent_factor(fmpq(1, 2), 1, fmpq(9, 10)) == fmpq(1, 2) * (1 - fmpq(9, 40))


def test_symbolic_identities_hold():
    ident = descent_identity()
    assert ident["cauchy_step"] and ident["quadratic"]


def test_quadratic_attains_the_per_step_bound_exactly():
    # f = 3x²/2, L = 3: f(x − 3hx) = f(x)(1 − 3h)² = f(x) − h(1 − 3h/2)(3x)² exactly
    out = per_step_descent(6)(GDInstance(_quadratic(3), (fmpq(5, 7),), fmpq(1, 5)))
    assert out.holds is True and out.detail["exact"] and out.detail["worst_relative_slack"] == 0


def test_summed_bound_equality_and_its_moved_constant():
    # f = x²/2, x0 = 1, h = 1: x1 = 0, Σ‖g‖² = 1 = (½ − 0)/(1·½): equality;
    # with 0.9L the bound is ½/(1 − 0.45) = 10/11 < 1: violated
    inst = GDInstance(_quadratic(1), (fmpq(1),), fmpq(1))
    assert summed_descent(2)(inst).holds is True
    assert summed_descent(2)(inst).detail["worst_relative_slack"] == 0
    assert summed_descent(2, scale=fmpq(9, 10))(inst).holds is False


def test_descent_fails_beyond_two_over_L():
    # hL = 21/10: f(x1) = (1 − 2.1)² f(x0) = 1.21 f(x0) > f(x0)
    inst = GDInstance(_quadratic(1), (fmpq(1),), fmpq(21, 10))
    assert monotone_decrease(3)(inst).holds is False
    tr = descent_trace(inst, 3)
    assert tr.values[1] == fmpq(121, 100) * tr.values[0]


def test_logcosh_descent_in_balls():
    p = SmoothObjective(Objective(sp.log(sp.cosh(x)), (x,)), L=fmpq(1), f_lower=fmpq(0),
                        certificate="sech² ≤ 1", f_star_exact=True)
    inst = GDInstance(p, (fmpq(3),), fmpq(3, 2))
    assert per_step_descent(10)(inst).holds is True
    assert summed_descent(10)(inst).holds is True
    assert not descent_trace(inst, 2).exact


def test_printed_display_fails_for_cos():
    # f = 1 + cos x (L = 1, f* = 0), x0 = 1/10, h = 1, N = 1: the printed display
    # ‖∇f(x1)‖² ≤ (f(x0) − f(x1))/(h(1 − h/2)) is false; computed here in floats, far from tie
    x0 = 0.1
    x1 = x0 + math.sin(x0)
    lhs, rhs = math.sin(x1) ** 2, (math.cos(x0) - math.cos(x1)) / 0.5
    assert lhs > 1.2 * rhs
    p = SmoothObjective(Objective(sp.cos(x) + 1, (x,)), L=fmpq(1), f_lower=fmpq(0),
                        certificate="|cos| ≤ 1", f_star_exact=True)
    inst = GDInstance(p, (fmpq(1, 10),), fmpq(1))
    assert summed_descent(1, first=1)(inst).holds is False
    assert summed_descent(1, first=0)(inst).holds is True


def test_orbit_leaving_the_box_is_not_applicable():
    p = SmoothObjective(Objective(x**2, (x,)), L=fmpq(2), f_lower=fmpq(0), certificate="",
                        box=((fmpq(-1), fmpq(1)),))
    out = summed_descent(3)(GDInstance(p, (fmpq(1),), fmpq(3, 2)))   # x1 = 1 − 3 = −2
    assert out.holds is None and "box" in out.detail["reason"]


def test_stationary_start_is_vacuous():
    out = per_step_descent(3)(GDInstance(_quadratic(2), (fmpq(0),), fmpq(1, 2)))
    assert out.holds is True and out.score == -1.0


def test_quartic_threshold_at_sqrt_two_over_h():
    # h = 1/2: √(2/h) = 2. x0 = 2 gives x1 = 2(1 − 2) = −2 (period 2);
    # x0 = 21/10: h x0² = 2.205 > 2, |x| grows; x0 = 19/10: h x0² = 1.805 < 2, |x| shrinks
    h = fmpq(1, 2)
    assert quartic_threshold(h, fmpq(2), 4)["period2"]
    assert quartic_threshold(h, fmpq(21, 10), 4)["increasing"]
    assert quartic_threshold(h, fmpq(19, 10), 4)["decreasing"]
    first = quartic_threshold(h, fmpq(21, 10), 1)["last_abs"]
    assert first == fmpq(21, 10) * (fmpq(441, 200) - 1)        # |x1| = |x0|(h x0² − 1)


def test_summed_bound_is_undefined_at_h_two_over_L():
    out = summed_descent(2)(GDInstance(_quadratic(1), (fmpq(1),), fmpq(2)))
    assert out.holds is None and "no finite bound" in out.detail["reason"]


def test_escaping_orbit_of_x2_exp_minus_x2():
    from proofs_checks.blog.descent import escaping_orbit
    out = escaping_orbit(12)
    assert out["certified"] and out["increasing"]
    assert 2 <= out["L"] <= 8                      # sup|f''| = 2, attained at x = 0
    xs = [r[1] for r in out["rows"]]
    grads = [r[2] for r in out["rows"]]
    assert xs[0] == 2 and xs[-1] > xs[0]
    assert grads[-1] < grads[0]                    # f'(x)² = 4x²(1 − x²)²e^{−2x²} decays
    assert abs(grads[0] - 4 * 4 * 9 * math.exp(-8)) < 1e-12


def test_descent_checks_differentiate_the_hessian_only_when_it_is_read():
    """The falsifier's descent statements read f and ∇f: the models of an objective compile
    those, and ∇²f is differentiated and compiled on its first use (then exact)."""
    x, y = sp.symbols("x y", real=True)
    obj = Objective(x**4 / 4 + x * y + 3 * y**2 / 2, (x, y))
    exact, balls = obj.exact, obj.arb
    assert exact.grad([fmpq(1), fmpq(2)]) == [fmpq(3), fmpq(7)]
    assert "hessian" not in obj.__dict__ and "_H" not in vars(exact) and "_H" not in vars(balls)
    H = exact.hess([fmpq(1, 2), fmpq(5)])            # [[3x², 1], [1, 3]]
    assert [[H[i, j] for j in range(2)] for i in range(2)] == [[fmpq(3, 4), 1], [1, 3]]
    assert "hessian" in obj.__dict__
