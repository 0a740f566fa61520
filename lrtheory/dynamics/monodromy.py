"""The monodromy of a periodic orbit of GD, G(x) = x − lr∇f(x): the multiplier or the
spectral radius of M = DG^p(x₀) = DG(x_{p−1})···DG(x₀) enclosed from a Krawczyk
certificate, and a numerical orbit found again at a raised precision.

* :func:`spectral_radius_ball` — one variable: the multiplier μ = (G^p)′(x₀) (real, its
  sign kept); several: ρ(M) = max_i |μ_i| enclosed by [max_i lower(|μ_i|),
  max_i upper(|μ_i|)] from the balls of the eigenvalues μ_i of the certificate
  (:class:`lrtheory.dynamics.krawczyk.OrbitCertificate`).
* :func:`found_again` — Newton on G^p(x) − x = 0
  (:func:`lrtheory.dynamics.orbits.newton_periodic`) from the orbit's first point at
  twice the digits, the orbit re-classified there: the same stability and every point
  within 10^(−dps/2) of the first solve.  A precision increase, not a certificate.

The claim kind periodic-orbit (:mod:`lrtheory.expect.orbits`) judges a stated multiplier
with the first and confirms an orbit it cannot certify with the second.
"""
from __future__ import annotations

import mpmath

from ..objectives import Objective

__all__ = ["spectral_radius_ball", "found_again"]


def spectral_radius_ball(orbit):
    """An arb ball enclosing the multiplier (one variable) or the spectral radius of the
    monodromy matrix DG^p (several) of a certified
    :class:`~lrtheory.dynamics.orbits.PeriodicOrbit` (module docstring); a NaN ball when
    the certificate does not isolate the multipliers (or the orbit is not certified)."""
    from flint import arb
    mults = orbit.certificate.multipliers if orbit.certificate is not None else None
    if not mults:
        return arb("nan")
    if len(orbit.points[0]) == 1:
        return mults[0].real.to_arb()
    mods = [abs(z.to_acb()) for z in mults]
    lo = max((m.lower() for m in mods), key=float)
    hi = max((m.upper() for m in mods), key=float)
    return lo.union(hi)


def found_again(obj: Objective, orbit, dps: int) -> bool:
    """Whether Newton at 2·``dps`` digits from the first point of ``orbit`` (a
    :class:`~lrtheory.dynamics.orbits.PeriodicOrbit`) converges to an orbit of the same
    period and stability whose points lie within 10^(−dps/2) of the orbit's."""
    from .orbits import classify_orbit, newton_periodic, orbit_points
    from ..precision import precision
    sol = newton_periodic(obj, orbit.points[0], orbit.h, orbit.period, 2 * dps)
    if sol is None:
        return False
    with precision(2 * dps):
        pts = orbit_points(obj, sol[0], orbit.h, orbit.period)[:-1]
    again = classify_orbit(obj, pts, orbit.h, 2 * dps)
    close = max(abs(a - b) for pa, pb in zip(pts, orbit.points) for a, b in zip(pa, pb))
    return again.stable == orbit.stable and close < mpmath.mpf(10) ** (-dps // 2)
