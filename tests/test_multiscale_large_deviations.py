"""Large-deviation exponents of the bounded-noise model (KT-4), against closed forms."""
import math

import mpmath
import pytest
import sympy as sp
from scipy.special import i0

from lrtheory.errors import ComputationError
from lrtheory.multiscale.large_deviations import (climbing_cost, climbing_momentum, noise_cgf,
                                                  occupation_exponent)
from lrtheory.multiscale.model import Multiscale
from lrtheory.precision import precision

WELL = "(x**2 - 1)**2/4 + x/20"


def test_cgf_of_minus_cos_is_log_bessel_i0():
    cgf, bound = noise_cgf(Multiscale.periodic("x**2/2", "sin(x)", "1/100"))
    assert bound == pytest.approx(1.0, abs=1e-6)
    for p in (-3.0, -0.5, 0.1, 2.0, 7.0):
        assert cgf(p) == pytest.approx(math.log(i0(p)), abs=1e-12)


def test_momentum_gaussian_limit_and_bound():
    """Small drift: Λ ≈ σ²p²/2 gives p ≈ 2·drift/σ² = 4·drift (σ² = 1/2)."""
    cgf, bound = noise_cgf(Multiscale.periodic("x**2/2", "sin(x)", "1/100"))
    assert climbing_momentum(cgf, 1e-4, bound) == pytest.approx(4e-4, rel=1e-3)
    assert climbing_momentum(cgf, -1e-4, bound) == pytest.approx(-4e-4, rel=1e-3)
    assert climbing_momentum(cgf, 0.0, bound) == 0.0
    with pytest.raises(ComputationError):
        climbing_momentum(cgf, 1.5, bound)


def test_quadratic_cost_exceeds_gibbs():
    """Bounded noise climbs at a higher cost than Gaussian noise of the same variance:
    W(0 → a) > 2 f0(a)/σ² = 2a² for f0 = x²/2."""
    ms = Multiscale.periodic("x**2/2", "sin(x)", "1/100")
    w = climbing_cost(ms, 0.0, 0.5)
    assert w > 2 * 0.25 and w == pytest.approx(0.5, rel=0.2)


def test_double_well_exponent_against_mpmath_derivation():
    """c from an independent mpmath computation: p solves log I₀(p) = p f0'(x)."""
    ms = Multiscale.periodic(WELL, "sin(x)", "1/1000")
    x = ms.vars[0]
    crit = sorted(float(r) for r in sp.Poly(sp.diff(ms.f0, x), x).nroots())
    left, saddle, right = crit
    out = occupation_exponent(ms, left, saddle, right, 0.5)

    def df(t):
        return t**3 - t + mpmath.mpf(1) / 20

    def p(t):
        g = df(t)
        return mpmath.findroot(lambda q: mpmath.log(mpmath.besseli(0, q)) - q * g,
                               4 * g + mpmath.sign(g) * mpmath.mpf("1e-3"))
    with precision(20):
        w_l = mpmath.quad(p, [left, saddle])
        w_r = -mpmath.quad(p, [saddle, right])
    def f0(t):
        return (t * t - 1) ** 2 / 4 + t / 20
    gibbs = 2 * (f0(right) - f0(left)) / 0.5
    assert out.bounded_noise == pytest.approx(float(w_l - w_r), abs=1e-7)
    assert out.gibbs == pytest.approx(gibbs, abs=1e-12)
    assert out.c == pytest.approx(float(w_l - w_r) - gibbs, abs=1e-7)
    assert out.c > 0.1  # the right (higher) well is rarer than Gibbs predicts
