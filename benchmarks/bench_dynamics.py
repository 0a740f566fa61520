"""GD as a dynamical system (issue 4): orbit search + certification, the period-doubling
cascade, Lyapunov throughput — each against a plain implementation timed in the same run.

* ``dynamics.orbits_blog8_p4``: every orbit of period ≤ 4 of GD on (1 − xy)²/2 at h = 1.9 in
  [−2.5, 2.5]², found and Krawczyk-certified (target < 5 s).  Baseline: plain mpmath Newton
  from each start (no vectorized float64 seeding) on 1/8 of the starts, with the same
  certification — it does less work than the operation, so the ratio understates the gain.
* ``dynamics.orbits_blog8_p7_coverage``: every orbit of period ≤ 7 of the same map with the
  coverage of each period (found, estimate and 95 % upper bound, status), from the default
  2000 starts at period 1, doubling per period (target < 60 s).  Baseline: the
  search as it was before starts scaled with the period and orbits were deduplicated by
  hashing — the same 1000 starts plus a grid for every period, a per-seed scan of the
  refined points and an all-pairs orbit comparison; it finds far fewer long orbits (121 of
  period 7, against about 408) and says nothing about the shortfall.
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
from lrtheory.dynamics.orbits import (_float_newton_seeds, _float_non_isolated, _refine,
                                      _unique_rows, canonical_rotation, classify_orbit,
                                      make_starts, minimal_period, newton_periodic,
                                      orbit_points, same_orbit, search_periodic_orbits)
from lrtheory.precision import precision

_OBJ = factorization_vector(1, 1)
_H = sp.Rational(19, 10)


def _orbits():
    res = search_periodic_orbits(_OBJ, _H, 4, (-2.5, 2.5), starts=2000, dps=50, certify=True)
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
            with precision(dps=60):
                pts = orbit_points(_OBJ, sol[0], _H, p)[:-1]
            if any(abs(c) > 2.5 for pt in pts for c in pt):
                continue
            q = minimal_period(pts, 1e-20)
            pts = canonical_rotation(pts[:q])
            if all(max(abs(a - b) for a, b in zip(pts[0], o.points[0])) > 1e-20 or
                   o.period != q for o in found):
                try:
                    found.append(classify_orbit(_OBJ, pts, _H, 50, True))
                except (ZeroDivisionError, ValueError):
                    pass
    return found


def _orbits_p7():
    return search_periodic_orbits(_OBJ, _H, 7, (-2.5, 2.5), starts=2000, dps=50)


def _orbits_p7_previous():
    """The search before coverage: one set of starts for every period, a per-seed scan of
    the refined points ("done") and an all-pairs orbit comparison."""
    lo, hi = -2.5, 2.5
    X0 = make_starts((lo, hi), 2, 1000, 0)
    tol = mpmath.mpf(10) ** -16
    orbits = []
    for p in range(1, 8):
        seeds = _float_newton_seeds(_OBJ, 1.9, p, X0)
        seeds = _unique_rows(seeds[np.all((seeds >= lo - 1e-9) & (seeds <= hi + 1e-9), axis=1)])
        done = []
        for s in seeds[~_float_non_isolated(_OBJ, 1.9, p, seeds)]:
            if any(np.max(np.abs(d - s)) < 1e-6 for d in done):
                continue
            refined = _refine(_OBJ, s, _H, p, 50)
            if refined is None:
                continue
            pts, M, isolated = refined
            done.extend(np.array([[float(c) for c in pt] for pt in pts]))
            if not isolated or any(not (lo <= c <= hi) for pt in pts for c in pt):
                continue
            pts = canonical_rotation(pts[:minimal_period(pts, tol)])
            if not any(same_orbit(pts, o.points, tol) for o in orbits):
                orbits.append(classify_orbit(_OBJ, pts, _H, 50))
    return orbits


def _coverage_extra(res, seconds):
    return {f"period_{c.period}": {"found": c.found, "estimate": round(c.estimate, 1),
                                   "complete": c.complete} for c in res.coverage}


def _cascade():
    r = bif.period_doubling_cascade(double_well(1), 1, 1, 12, dps=50)
    assert r.regular
    return r


def _fd_solve_extended(obj, x0, h0, p, kind, dps=50, maxiter=40):
    """Newton on the extended system with a central finite-difference Jacobian."""
    sigma = bif.KINDS[kind]
    with precision(dps=dps + 25):
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
    Benchmark("dynamics.orbits_blog8_p7_coverage", _orbits_p7, _orbits_p7_previous, repeat=1,
              target="< 60 s", extra=_coverage_extra),
    Benchmark("dynamics.cascade_12_pd_50dps", _cascade, _cascade_naive, repeat=1,
              target="< 30 s", extra=lambda r, s: {"delta": mpmath.nstr(r.delta, 12),
                                                    "delta_error": r.delta_error}),
    Benchmark("dynamics.lyapunov_float64", _lyap, _lyap_naive, repeat=2,
              target="report steps/s",
              extra=lambda r, s: {"steps_per_second": round(len(_X) * _STEPS / s)}),
    Benchmark("dynamics.lyapunov_float64_4096x1000", _lyap_big, None, repeat=1,
              target="report steps/s",
              extra=lambda r, s: {"steps_per_second": round(len(_XBIG) * 1000 / s)}),
]
