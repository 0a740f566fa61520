"""Margins of elementary functions whose Newton search overflows far from the box."""
from __future__ import annotations

import math

import sympy as sp

from lrtheory.certify.margins import local_minima, prove_nonnegative
from lrtheory.certify.sets import box

H = sp.Symbol("h")
#: h − 1 + exp(−h·Σ_{k=1}^{7} h^{k−1}/k) − 1/20: exp overflows (and its Hessian is not
#: finite) where Newton's method, started from the grid, steps to large negative h.
G = H - 1 + sp.exp(-H * sum(H**k / (k + 1) for k in range(7))) - sp.Rational(1, 20)


def _g(h: float) -> float:
    return h - 1 + math.exp(-h * sum(h**k / (k + 1) for k in range(7))) - 1 / 20


def test_an_overflowing_newton_search_is_abandoned_not_raised():
    points = local_minima(G, [H], box([["21/20", "2"]]))
    assert all(sp.Rational(21, 20) <= p[0] <= 2 for p in points)


def test_the_margin_is_proved_on_the_box_and_refuted_beyond_it():
    # independent: g is increasing on [21/20, 2] (g' = 1 − S'(h) e^{−hS} > 0 there), and
    # its value at 21/20 is positive; at h = 1/2 it is negative
    assert _g(21 / 20) > 0 and all(_g(21 / 20 + k / 100) > _g(21 / 20 + (k - 1) / 100)
                                   for k in range(1, 96))
    assert prove_nonnegative(G, [H], box([["21/20", "2"]])).verdict == "proved"
    assert _g(1 / 2) < 0
    refuted = prove_nonnegative(G, [H], box([["1/2", "2"]]))
    assert refuted.verdict == "refuted"
    (point,), value = refuted.counterexample
    assert sp.Rational(1, 2) <= point <= 2 and _g(float(point)) < 0
    assert math.isclose(float(value), _g(float(point)), rel_tol=1e-9)


def test_a_convex_quadratic_is_recognised_exactly():
    """(x − y)² + (x + y − 1)²/2 has the constant Hessian [[3, −1], [−1, 3]] (eigenvalues 2
    and 4); x² − y² (eigenvalues ±2) and x⁴ (not constant) are not convex quadratics, and
    (x − y)² (eigenvalues 0 and 4) is one, semidefinite."""
    import sympy as sp

    from lrtheory.certify.margins import convex_quadratic
    x, y = sp.symbols("x y", real=True)
    assert convex_quadratic((x - y)**2 + (x + y - 1)**2 / 2, (x, y))
    assert convex_quadratic((x - y)**2, (x, y))
    assert not convex_quadratic(x**2 - y**2, (x, y))
    assert not convex_quadratic(x**4, (x,))
    assert not convex_quadratic(sp.sqrt(2) * x**2, (x,))     # not rational: not decided here
