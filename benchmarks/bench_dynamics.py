"""GD as a dynamical system (issue 4): orbit search + certification, the period-doubling
cascade, Lyapunov throughput — each against a plain implementation timed in the same run.

* ``dynamics.orbits_blog8_p4``: every orbit of period ≤ 4 of GD on (1 − xy)²/2 at h = 1.9 in
  [−2.5, 2.5]², found and Krawczyk-certified (target < 5 s).  Baseline: plain mpmath Newton
  from each start (no vectorized float64 seeding) on 1/8 of the starts, with the same
  certification — it does less work than the operation, so the ratio understates the gain.
* ``dynamics.cascade_12_pd_50dps``: the first 12 period-doubling points of the double-well
  GD map at 50 digits (target < 30 s).  Baseline: the same continuation with a
  finite-difference Jacobian in the extended Newton (same 12 points).
* ``dynamics.lyapunov_float64``: Lyapunov spectra of 256 starts × 100 steps on (1 − xy)²/2;
  baseline: a per-start Python loop with ``numpy.linalg.qr`` (same number of steps);
  ``..._4096x1000``: throughput on a larger batch (no baseline).
"""
import mpmath
import numpy as np
import sympy as sp
from harness import Benchmark

from lrtheory.catalogue import double_well, factorization_vector
from lrtheory.dynamics import bifurcations as bif
from lrtheory.dynamics.lyapunov import lyapunov_exponents
from lrtheory.dynamics.orbits import (_classified, canonical_rotation, make_starts,
                                      minimal_period, newton_periodic, orbit_points,
                                      search_periodic_orbits)

_OBJ = factorization_vector(1, 1)
_H = sp.Rational(19, 10)


def _orbits():
    res = search_periodic_orbits(_OBJ, _H, 4, (-2.5, 2.5), starts=1000, dps=50, certify=True)
    assert all(o.certified for o in res.orbits)
    return res.orbits


def _orbits_naive():
    X0 = make_starts((-2.5, 2.5), 2, 1000, 0)[::8]
    found = []
    for p in range(1, 5):
        for x0 in X0:
            sol = newton_periodic(_OBJ, x0, _H, p, 50, maxiter=25)
            if sol is None:
                continue
            with mpmath.workdps(60):
                pts = orbit_points(_OBJ, sol[0], _H, p)[:-1]
            if any(abs(c) > 2.5 for pt in pts for c in pt):
                continue
            q = minimal_period(pts, 1e-20)
            pts = canonical_rotation(pts[:q])
            if all(max(abs(a - b) for a, b in zip(pts[0], o.points[0])) > 1e-20 or
                   o.period != q for o in found):
                try:
                    found.append(_classified(_OBJ, pts, _H, 50, True))
                except (ZeroDivisionError, ValueError):
                    pass
    return found


def _cascade():
    r = bif.period_doubling_cascade(double_well(1), 1, 1, 12, dps=50)
    assert r["regular"]
    return r


def _fd_solve_extended(obj, x0, h0, p, kind, dps=50, maxiter=40):
    """Newton on the extended system with a central finite-difference Jacobian."""
    sigma = bif.KINDS[kind]
    with mpmath.workdps(dps + 25):
        z = [mpmath.mpf(x0[0]), mpmath.mpf(h0)]
        eps = mpmath.mpf(10) ** (-(dps // 2 + 5))

        def F(v):
            return bif.extended_system(obj, v, p, sigma)[0]
        for _ in range(maxiter):
            f0 = F(z)
            J = mpmath.matrix(2, 2)
            for j in range(2):
                zp, zm = list(z), list(z)
                zp[j] += eps
                zm[j] -= eps
                fp, fm = F(zp), F(zm)
                for i in range(2):
                    J[i, j] = (fp[i] - fm[i]) / (2 * eps)
            dz = mpmath.lu_solve(J, -mpmath.matrix(f0))
            z = [z[0] + dz[0], z[1] + dz[1]]
            if max(abs(d) for d in dz) < mpmath.mpf(10) ** (-dps):
                return [z[0]], z[1]
    return None


def _cascade_naive():
    saved = bif.solve_extended
    bif.solve_extended = _fd_solve_extended
    try:
        return bif.period_doubling_cascade(double_well(1), 1, 1, 12, dps=50)
    finally:
        bif.solve_extended = saved


_X = np.random.default_rng(0).uniform(-1.3, 1.3, size=(256, 2))
_STEPS = 100


def _lyap():
    return lyapunov_exponents(_OBJ, 1.9, _X, _STEPS, transient=0)


def _lyap_naive():
    out = np.empty_like(_X)
    with np.errstate(all="ignore"):
        for j, x in enumerate(_X):
            Q, sums = np.eye(2), np.zeros(2)
            for _ in range(_STEPS):
                Q, R = np.linalg.qr(_OBJ.numpy.gd_jacobian(x, 1.9) @ Q)
                sums += np.log(np.abs(np.diag(R)))
                x = _OBJ.numpy.gd_step(x, 1.9)
            out[j] = sums / _STEPS
    return out


_XBIG = np.random.default_rng(1).uniform(-0.5, 0.5, size=(4096, 2))
_XBIG[:, 1] = _XBIG[:, 0] + 0.01


def _lyap_big():
    return lyapunov_exponents(_OBJ, 1.9, _XBIG, 1000, transient=0)


BENCHMARKS = [
    Benchmark("dynamics.orbits_blog8_p4", _orbits, _orbits_naive, repeat=1, target="< 5 s",
              extra=lambda r, s: {"orbits": len(r), "certified": sum(o.certified for o in r)}),
    Benchmark("dynamics.cascade_12_pd_50dps", _cascade, _cascade_naive, repeat=1,
              target="< 30 s", extra=lambda r, s: {"delta": mpmath.nstr(r["delta"], 12),
                                                    "delta_error": r["delta_error"]}),
    Benchmark("dynamics.lyapunov_float64", _lyap, _lyap_naive, repeat=2,
              target="report steps/s",
              extra=lambda r, s: {"steps_per_second": round(len(_X) * _STEPS / s)}),
    Benchmark("dynamics.lyapunov_float64_4096x1000", _lyap_big, None, repeat=1,
              target="report steps/s",
              extra=lambda r, s: {"steps_per_second": round(len(_XBIG) * 1000 / s)}),
]
