"""Certified negative Lyapunov exponents (lrtheory.certify.lyapunov_bounds) and the λ₁
estimate (lrtheory.dynamics.lyapunov.largest_exponent_estimate), against closed forms.

* f = x²: G(x) = (1 − 2·lr)x is linear, DG ≡ 1 − 2·lr, so λ₁ = log|1 − 2·lr| exactly.
* f = x³/3 − x: g(x) = x − lr(x² − 1) is conjugate to z ↦ z² + c, c = 1/4 − lr²; for
  1 < lr < √6/2 its attracting 2-cycle has multiplier 4(1 + c), so λ₁ = log(4(1 + c))/2
  and every bound log(q)/2 with q ≥ ‖DG²(B)‖ on a box B about the cycle lies above it.
  At lr = 3/2 (c = −2, the Chebyshev map) the orbit is chaotic with λ₁ = log 2.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from lrtheory.certify.lyapunov_bounds import contraction_factor, negative_exponent_bound
from lrtheory.dynamics.lyapunov import largest_exponent_estimate
from lrtheory.objectives import Objective

x = sp.Symbol("x", real=True)
SQUARE = Objective(x**2, [x])
CUBIC = Objective(x**3 / 3 - x, [x])


def test_contraction_factor_of_a_linear_map_is_its_slope():
    q = contraction_factor(SQUARE, ((0.0,), 1e-3, 1), sp.Rational(1, 4))   # DG = 1/2
    assert 0.5 <= q <= 0.5 + 1e-30
    q3 = contraction_factor(SQUARE, ((0.0,), 1e-3, 3), sp.Rational(1, 4))  # DG³ = 1/8
    assert 0.125 <= q3 <= 0.125 + 1e-30


def test_no_contraction_factor_where_the_map_expands():
    assert contraction_factor(SQUARE, ((0.0,), 1e-3, 1), sp.Rational(3, 2)) is None  # |DG| = 2


def test_negative_bound_at_a_fixed_point_is_log_of_the_slope():
    seen = []
    p, q = negative_exponent_bound(SQUARE, [(sp.Integer(1),), (sp.Integer(-3),)],
                                   sp.Rational(1, 4), progress=seen.append)
    assert p == 1 and math.log(q) == pytest.approx(math.log(0.5), abs=1e-12)
    assert seen == [(sp.Integer(1),), (sp.Integer(-3),)]


def test_negative_bound_at_the_two_cycle_lies_above_its_exponent():
    lr = sp.Rational(11, 10)
    mult = float(4 * (1 + sp.Rational(1, 4) - lr**2))                      # 0.16
    p, q = negative_exponent_bound(CUBIC, [(sp.Rational(3, 10),)], lr, steps=2000)
    assert p == 2
    assert math.log(mult) / 2 <= math.log(q) / 2 < math.log(mult) / 2 + 0.05


def test_no_negative_bound_on_a_chaotic_orbit():
    assert negative_exponent_bound(CUBIC, [(sp.Rational(3, 10),)], sp.Rational(3, 2),
                                   steps=2000) is None


@pytest.mark.parametrize("backend", ["float64", "mpmath"])
def test_estimate_of_a_linear_map_is_exact(backend):
    X = np.array([[1.0], [-2.0], [0.5]])
    mean, spread, drift, diverged = largest_exponent_estimate(
        SQUARE, sp.Rational(1, 4), X, 200, 10, backend)
    assert mean == pytest.approx(math.log(0.5), abs=1e-12)
    assert spread <= 1e-12 and drift <= 1e-12 and not diverged


def test_estimate_at_the_chebyshev_rate_is_log_two():
    mean, spread, drift, diverged = largest_exponent_estimate(
        CUBIC, sp.Rational(3, 2), np.array([[0.3], [0.7]]), 20_000, 1000, "float64")
    assert not diverged and mean == pytest.approx(math.log(2), abs=0.02)


def test_estimate_when_every_start_diverges():
    out = largest_exponent_estimate(SQUARE, sp.Integer(2), np.array([[1.0]]), 2000, 0,
                                    "float64")                              # G(x) = −3x
    assert all(math.isnan(v) for v in out[:3]) and out[3] is True
