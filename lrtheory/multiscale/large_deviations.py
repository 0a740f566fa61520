"""Small-η large deviations of the 1-D bounded-noise model: why well frequencies are not
Gibbs' at exponential order (KT-4).

For x_{k+1} = x_k − ηf₀′(x_k) + ηζ_k with iid ζ (E ζ = 0) the stationary density behaves
as exp(−V(x)/η) as η → 0, where V′(x) = p(x) is the non-zero root of the Hamilton–Jacobi
equation of ẋ = −f₀′(x) + ζ,

    Λ(p) = p f₀′(x),     Λ(p) = log E e^{pζ}   (cumulant generating function),

with sign(p) = sign(f₀′(x)).  For Gaussian ζ, Λ = σ²p²/2 gives p = 2f₀′/σ² and V = 2f₀/σ²,
the Gibbs exponent.  For bounded ζ (e.g. ζ = −cos U with Λ(p) = log I₀(p)) Λ grows more
slowly than σ²p²/2, so climbing costs more.  The cost of climbing from a to b is
W(a → b) = ∫_a^b p(x) dx, and the occupation ratio of two wells separated by a saddle x_s is
exp(−[W(l → x_s) − W(r → x_s)]/η) up to a prefactor.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.integrate import quad
from scipy.optimize import brentq

from ..errors import ComputationError, InputError
from ..evaluators import compile_exprs
from ..gd import ItemAccess
from ..results import Result, result
from .model import Multiscale


def noise_cgf(ms: Multiscale, points: int = 4096):
    """Λ(p) = log E exp(pζ), ζ = −f₁′(U), by the midpoint rule over one period (spectrally
    accurate for smooth periodic f₁); also returns the largest |ζ| on the grid."""
    if ms.dim != 1 or ms.periods is None:
        raise InputError("the large-deviation cost is implemented for 1-D periodic f1")
    y = ms.vars[0]
    g1 = compile_exprs([sp.diff(ms.f1, y)], [y], "numpy")
    zeta = -g1((np.arange(points) + 0.5) * float(ms.periods[0]) / points)[0]

    def cgf(p: float) -> float:
        a = p * zeta
        m = np.max(a)
        return float(m + np.log(np.mean(np.exp(a - m))))
    return cgf, float(np.max(np.abs(zeta)))


def climbing_momentum(cgf, drift: float, bound: float) -> float:
    """The non-zero root p of Λ(p) = p·drift (sign of drift); 0 when drift = 0."""
    if drift == 0:
        return 0.0
    if abs(drift) >= bound:
        raise ComputationError(f"|f0'| = {abs(drift):.3g} exceeds the noise bound "
                               f"{bound:.3g}: the bounded noise cannot climb there")
    s = np.sign(drift)
    lo = 1e-9
    while cgf(s * lo) - s * lo * drift >= 0:  # Λ(p) ≈ σ²p²/2 < p·drift for small p
        lo /= 10
        if lo < 1e-300:
            raise ComputationError("no climbing momentum found near p = 0")
    hi = max(1.0, 4 * abs(drift))
    while cgf(s * hi) - s * hi * drift < 0:
        hi *= 2
    return float(s * brentq(lambda q: cgf(s * q) - s * q * drift, lo, hi, xtol=1e-14))


def climbing_cost(ms: Multiscale, a: float, b: float, points: int = 4096) -> float:
    """W(a → b) = ∫_a^b p(x) dx along a path on which f₀ increases."""
    x = ms.vars[0]
    df = compile_exprs([sp.diff(ms.f0, x)], [x], "numpy")
    cgf, bound = noise_cgf(ms, points)
    val, _ = quad(lambda t: climbing_momentum(cgf, float(df(t)[0]), bound), a, b,
                    epsabs=1e-12, epsrel=1e-10, limit=200)
    return float(val)


@result
class OccupationExponent(ItemAccess, Result):
    """Small-η exponents of the right/left well occupation ratio: ``bounded_noise`` =
    W(l → s) − W(r → s), ``gibbs`` = 2(f₀(r) − f₀(l))/σ² and ``c`` = bounded_noise − gibbs
    (P_bounded/P_Gibbs ≈ exp(−c/η) for the rarer right well)."""

    bounded_noise: float
    gibbs: float
    c: float


def occupation_exponent(ms: Multiscale, left: float, saddle: float, right: float,
                        sigma2: float) -> OccupationExponent:
    """Exponents of the right/left well ratio as η → 0: bounded noise
    W(l → s) − W(r → s) against Gibbs 2(f₀(r) − f₀(l))/σ², and their difference c, so that
    P_bounded/P_Gibbs ≈ exp(−c/η) for the right well's frequency when it is the rare one."""
    x = ms.vars[0]
    f = compile_exprs([ms.f0], [x], "numpy")
    bn = climbing_cost(ms, left, saddle) - climbing_cost(ms, right, saddle)
    gibbs = 2 * float(f(right)[0] - f(left)[0]) / sigma2
    return OccupationExponent(bn, gibbs, bn - gibbs)
