"""Multipliers of certified orbits and orbits found again (lrtheory.dynamics.monodromy),
against closed forms.

* f = x³/3 − x at lr = 11/10: g is conjugate to z ↦ z² + c, c = 1/4 − lr² = −24/25, whose
  2-cycle has multiplier 4(1 + c) = 4/25.
* f = (x² + 3y²)/2 at lr = 2/5: the fixed point 0 has DG = diag(1 − lr, 1 − 3lr) =
  diag(3/5, −1/5), spectral radius 3/5.
"""
from __future__ import annotations

from dataclasses import replace

import mpmath
import sympy as sp
from flint import arb, fmpq

from lrtheory.dynamics.monodromy import found_again, spectral_radius_ball
from lrtheory.dynamics.orbit_lists import DPS, orbits_of_period
from lrtheory.objectives import Objective
from lrtheory.precision import precision

x, y = sp.symbols("x y", real=True)
CUBIC = Objective(x**3 / 3 - x, [x])


def exact(p, q):
    """p/q as a ball at 80 digits."""
    with precision(80):
        return arb(fmpq(p, q))


def two_cycle():
    (orbit,) = orbits_of_period(CUBIC, sp.Rational(11, 10), 2, None).orbits
    return orbit


def test_the_multiplier_of_the_two_cycle_is_enclosed():
    mu = spectral_radius_ball(two_cycle())
    assert mu.contains(exact(4, 25)) and float(mu.rad()) < 1e-20


def test_the_spectral_radius_of_a_two_dimensional_fixed_point():
    obj = Objective((x**2 + 3 * y**2) / 2, [x, y])
    (orbit,) = orbits_of_period(obj, sp.Rational(2, 5), 1,
                                (sp.Integer(-1), sp.Integer(1))).orbits
    rho = spectral_radius_ball(orbit)
    # the moduli |μ_i| are taken at the default 53-bit precision
    assert rho.contains(exact(3, 5)) and float(rho.rad()) < 1e-12
    assert not rho.contains(exact(1, 5))


def test_no_certificate_no_enclosure():
    assert not spectral_radius_ball(replace(two_cycle(), certificate=None)).is_finite()


def test_an_orbit_is_found_again_only_as_it_is():
    orbit = two_cycle()
    assert found_again(CUBIC, orbit, DPS)
    assert not found_again(CUBIC, replace(orbit, stable=False), DPS)     # stability differs
    moved = tuple(tuple(c + mpmath.mpf("1e-12") for c in pt) for pt in orbit.points)
    assert not found_again(CUBIC, replace(orbit, points=moved), DPS)     # 1e-12 > 10^-25
