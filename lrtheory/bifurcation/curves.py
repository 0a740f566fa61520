"""Curves of bifurcations in (parameter, h): a period doubling, fold or Neimark–Sacker
point continued in a parameter a of the objective, with its codimension-two points.

The bifurcation is a zero of the extended system E_σ(x, h; a) of
:mod:`lrtheory.dynamics.bifurcations` (n + 1 equations); with a free the zeros form a
curve in (x, h, a) ∈ R^{n+2}, followed by pseudo-arclength continuation
(:mod:`.arclength`) with the exact column ∂E/∂a (the orbit recursion carries ∂x_k/∂a and
∂A_k/∂a), so the curve is followed through turning points in a as well as in h.  Every
point (x_k, h_k, a_k) is then certified at the exact parameter value a_k (a binary
number): Newton at ``certify_dps`` digits on E_σ in (x, h) and the Krawczyk test in a box
about it (:func:`lrtheory.dynamics.bifurcations.bifurcation_enclosure`), which encloses
h*(a_k).

Codimension-two points are sign changes, between successive curve points, of

* on a period-doubling curve: the cubic normal-form coefficient
  c = ⟨w, C(v,v,v) + 3B(v, (I − A)⁻¹B(v,v))⟩/6 (Kuznetsov, *Elements of Applied
  Bifurcation Theory*, §9.5; A = DG^p, Av = −v, Aᵀw = −w, ⟨w, v⟩ = 1, B and C the second
  and third derivatives of G^p) — "degenerate period-doubling"; det(A − I) — "fold-flip"
  (a multiplier +1 meets the −1); tr adj(A + I) = ∏_{j≠crit}(µ_j + 1) — "1:2 resonance";
* on a fold curve: a = ⟨w, B(v, v)⟩/2 (Av = v, Aᵀw = w) — "cusp"; det(A + I) —
  "fold-flip"; tr adj(A − I) — "1:1 resonance";
* on a Neimark–Sacker curve (n = 2): tr A − 2 — "1:1 resonance", tr A + 2 — "1:2 resonance".

B comes from the exact second derivatives of the orbit recursion, C(v, v, v) from
mpmath's numerical differentiation of t ↦ ⟨w, G^p(x + tv)⟩ at raised precision.  Each
codimension-two point is located by bisection along the curve (not certified).
"""
from __future__ import annotations

import mpmath

from ..aliases import lr_keyword
from ..dynamics.bifurcations import (SIGMA, adjugate, bifurcation_enclosure, det,
                                     extended_system, orbit_jet, solve_extended)
from ..dynamics.orbits import exact_lr, mp_number
from ..errors import ComputationError, InputError
from ..numbers import convert
from ..objectives import Objective
from ..precision import precision
from .arclength import Marcher, bisect_on_curve, correct, tangent, unit
from .results import Bifurcation, CodimTwoPoint, ParameterCurve, TwoParameterCurves

__all__ = ["continue_bifurcation", "bifurcation_curves", "with_parameter",
           "normal_form_coefficient", "codim2_tests"]


def with_parameter(expr, variables, param: str) -> Objective:
    """The objective ``expr`` in ``variables`` with the symbolic parameter ``param``."""
    from ..parsing import parse_variables, to_expr
    syms = parse_variables(variables) if isinstance(variables, str) else \
        parse_variables(list(map(str, variables)))
    (a,) = parse_variables(param)
    if a in syms:
        raise InputError(f"parameter {param!r} is also a variable")
    e = to_expr(expr, syms + (a,), "objective")
    if a not in e.free_symbols:
        raise InputError(f"parameter {param!r} does not occur in the objective")
    return Objective(e, syms, params=(a,))


def fixed(obj: Objective, value) -> Objective:
    """``obj`` with its one parameter replaced by the exact ``value``."""
    (a,) = obj.params
    return Objective(obj.expr.subs(a, convert(value, str(a))), obj.vars)


# ---- normal forms and test functions -------------------------------------------------------
def _eigvectors(A, target):
    """Right and left unit eigenvectors (real) of A for the eigenvalue nearest ``target``,
    scaled so that ⟨w, v⟩ = 1."""
    n = len(A)
    if n == 1:
        return [mpmath.mpf(1)], [mpmath.mpf(1)]
    M = mpmath.matrix(A)
    E, ER = mpmath.eig(M, right=True)
    k = min(range(n), key=lambda i: abs(E[i] - target))
    v = unit([mpmath.re(ER[i, k]) for i in range(n)])
    E2, EL = mpmath.eig(M.T, right=True)
    k2 = min(range(n), key=lambda i: abs(E2[i] - target))
    w = [mpmath.re(EL[i, k2]) for i in range(n)]
    s = sum(a * b for a, b in zip(w, v))
    return v, [c / s for c in w]


def _second(jet, u, v):
    """B(u, v) = D²G^p[u, v] from the exact ∂A/∂x_j of the jet: B_i = Σ_jk ∂_jA_ik u_k v_j."""
    n = len(u)
    return [sum(jet.dA[j][i][k] * u[k] * v[j] for j in range(n) for k in range(n))
            for i in range(n)]


@lr_keyword
def normal_form_coefficient(obj: Objective, x, lr, p: int, kind: str, param=None):
    """The quadratic (fold: a = ⟨w, B(v,v)⟩/2) or cubic (period doubling:
    c = ⟨w, C(v,v,v) + 3B(v,(I − A)⁻¹B(v,v))⟩/6) normal-form coefficient of G_h^p at the
    bifurcation point x (module docstring), at the working precision."""
    x = [mpmath.mpf(c) for c in x]
    jet = orbit_jet(obj, x, lr, p, param=param)
    target = 1 if kind == "fold" else -1
    v, w = _eigvectors(jet.A, target)
    Bvv = _second(jet, v, v)
    if kind == "fold":
        return sum(a * b for a, b in zip(w, Bvv)) / 2
    n = len(x)
    IA = mpmath.matrix([[(1 if i == j else 0) - jet.A[i][j] for j in range(n)]
                        for i in range(n)])
    u = mpmath.lu_solve(IA, mpmath.matrix(Bvv))
    Bvu = _second(jet, v, [u[i] for i in range(n)])

    def phi(t):
        end = orbit_jet(obj, [xi + t * vi for xi, vi in zip(x, v)], lr, p, param=param,
                        second=False).x
        return sum(a * b for a, b in zip(w, end))
    with mpmath.workdps(mpmath.mp.dps + 20):
        C = mpmath.diff(phi, 0, 3)
    return (C + 3 * sum(a * b for a, b in zip(w, Bvu))) / 6


@lr_keyword
def codim2_tests(obj: Objective, x, lr, p: int, kind: str, param=None) -> dict:
    """{codimension-two kind: test function value} at a point of a ``kind`` curve (module
    docstring)."""
    A = orbit_jet(obj, [mpmath.mpf(c) for c in x], lr, p, param=param, second=False).A
    n = len(A)

    def shifted(s):
        return [[A[i][j] + (s if i == j else 0) for j in range(n)] for i in range(n)]

    def trace_adj(B):
        return sum(adjugate(B)[i][i] for i in range(n)) if n > 1 else None
    tests = {}
    if kind == "period-doubling":
        tests["degenerate period-doubling"] = normal_form_coefficient(obj, x, lr, p, kind,
                                                                       param)
        if n > 1:
            tests["fold-flip"] = det(shifted(-1))
            tests["1:2 resonance"] = trace_adj(shifted(1))
    elif kind == "fold":
        tests["cusp"] = normal_form_coefficient(obj, x, lr, p, kind, param)
        if n > 1:
            tests["fold-flip"] = det(shifted(1))
            tests["1:1 resonance"] = trace_adj(shifted(-1))
    elif kind == "neimark-sacker" and n == 2:
        tr = A[0][0] + A[1][1]
        tests["1:1 resonance"], tests["1:2 resonance"] = tr - 2, tr + 2
    return tests


# ---- the curve ---------------------------------------------------------------------------
class _Curve:
    """The extended system with the parameter free, its stops and its tests."""

    def __init__(self, obj, kind, p, param_range, lr_range, dps):
        if len(obj.params) != 1:
            raise InputError("a two-parameter curve needs an objective with exactly one "
                             f"parameter, got {[str(q) for q in obj.params]}")
        self.obj, self.kind, self.p, self.n = obj, kind, p, obj.dim
        self.a = obj.params[0]
        self.sigma = SIGMA[kind]
        self.dps = dps
        self.lo, self.hi = sorted(param_range)
        self.h_lo, self.h_hi = lr_range

    def system(self, z):
        return extended_system(self.obj, z, self.p, self.sigma, param=(self.a, None),
                               free_param=True)

    def param(self, z):
        return (self.a, z[self.n + 1])

    def stop(self, z):
        n = self.n
        if z[n + 1] < self.lo or z[n + 1] > self.hi:
            return "param"
        if z[n] < self.h_lo or z[n] > self.h_hi:
            return f"h left the learning-rate range at {self.a} ≈ {mpmath.nstr(z[n + 1], 10)}"
        return None

    def tests(self, z):
        n = self.n
        return codim2_tests(self.obj, z[:n], z[n], self.p, self.kind, self.param(z))


def continue_bifurcation(obj: Objective, start: Bifurcation, start_value, param_range,
                         lr_range, dps: int = 30, certify: bool = True,
                         certify_dps: int = 50, ds_max=None, max_steps: int = 2000
                         ) -> ParameterCurve:
    """The curve of ``start``'s kind and period through ``start`` (a bifurcation of
    ``obj`` with its parameter at ``start_value``), continued in (x, h, a) while a stays in
    ``param_range`` and h in ``lr_range`` — away from ``start_value`` towards the other
    end when it is an end of ``param_range``, else both ways (module docstring)."""
    if start.kind not in ("period-doubling", "fold", "neimark-sacker"):
        raise InputError(f"cannot continue a {start.kind!r} point")
    with precision(dps=dps + 10):
        lo, hi = (mp_number(convert(v, "parameter")) for v in param_range)
        a0 = mp_number(convert(start_value, "parameter"))
        h_range = tuple(mp_number(exact_lr(v)) for v in lr_range)
        curve = _Curve(obj, start.kind, start.period, (lo, hi), h_range, dps)
        z0 = [mpmath.mpf(c) for c in start.point] + [mpmath.mpf(start.lr), a0]
        t0 = tangent(curve.system(z0)[1])
        if t0 is None:
            raise ComputationError(f"the {start.kind} curve is singular at its start")
        towards = +1 if a0 <= min(lo, hi) else -1 if a0 >= max(lo, hi) else 0
        if towards and t0[-1] * towards < 0:
            t0 = [-c for c in t0]
        span = float(abs(hi - lo))
        marcher = Marcher(curve.system, span / 80, span * 1e-12, float(ds_max or span / 20),
                          max_steps, mpmath.mpf(10) ** (-(dps - 5)), None, curve.stop)
        runs, ends = [], []
        for sign in ((1,) if towards else (1, -1)):
            pts, end = marcher.march(z0, [sign * c for c in t0])
            if end == "param":
                pts, end = _clip(curve, pts)
            runs.append(pts)
            ends.append(end)
        points = runs[0] if len(runs) == 1 else \
            [(z, t) for z, t in reversed(runs[1])][:-1] + runs[0]
        return _build(curve, [z for z, _ in points], "; ".join(ends), certify, certify_dps)


def _clip(curve: _Curve, pts):
    """Replace a last point beyond the parameter range by the curve point at its end."""
    n = curve.n
    (za, _), (zb, _) = pts[-2], pts[-1]
    edge = curve.lo if zb[n + 1] < curve.lo else curve.hi
    w = (edge - za[n + 1]) / (zb[n + 1] - za[n + 1])
    z_pred = [u + w * (v - u) for u, v in zip(za, zb)]
    z_pred[n + 1] = edge
    e = [0] * (n + 1) + [1]
    out = correct(curve.system, z_pred, e, mpmath.mpf(10) ** (-(curve.dps - 5)))
    end = f"reached {curve.a} = {mpmath.nstr(edge, 15)}, the end of its range"
    if out is None:
        return pts[:-1], end
    z = out[0]
    z[n + 1] = edge
    return pts[:-1] + [(z, None)], end


def _build(curve: _Curve, zs: list, end: str, certify: bool, certify_dps: int):
    n = curve.n
    tests = [curve.tests(z) for z in zs]
    codim2 = []
    for k in range(len(zs) - 1):
        for name, ta in tests[k].items():
            tb = tests[k + 1][name]
            if ta is not None and tb is not None and ta != 0 and (ta > 0) != (tb > 0):
                codim2.append(_locate(curve, name, zs[k], zs[k + 1]))
    certs = [_certify_point(curve, z, certify_dps) if certify else (False, None) for z in zs]
    return ParameterCurve(curve.kind, curve.p, str(curve.a), tuple(z[n + 1] for z in zs),
                          tuple(z[n] for z in zs), tuple(tuple(z[:n]) for z in zs),
                          tuple(c[0] for c in certs), tuple(c[1] for c in certs),
                          tuple(codim2), end, curve.dps)


def _locate(curve: _Curve, name: str, za, zb) -> CodimTwoPoint:
    """The codimension-two point where the test function ``name`` changes sign between
    za and zb, by bisection along the curve."""
    n = curve.n
    z = bisect_on_curve(curve.system, za, zb, lambda v: curve.tests(v)[name],
                        mpmath.mpf(10) ** (-(curve.dps - 5)), iterations=50)
    return CodimTwoPoint(name, z[n + 1], z[n], tuple(z[:n]), (za[n + 1], zb[n + 1]),
                         _TESTS[name])


_TESTS = {"degenerate period-doubling": "cubic normal-form coefficient of the doubling",
          "cusp": "quadratic normal-form coefficient of the fold",
          "fold-flip": "det(A - I) on a doubling curve, det(A + I) on a fold curve",
          "1:2 resonance": "tr adj(A + I), or tr A + 2 on a Neimark-Sacker curve",
          "1:1 resonance": "tr adj(A - I), or tr A - 2 on a Neimark-Sacker curve"}


def _certify_point(curve: _Curve, z, certify_dps: int):
    """(proved, Ball of h*) at the exact parameter value z[-1]: Newton in (x, h) at
    ``certify_dps`` digits, then the Krawczyk test about the solution."""
    n = curve.n
    param = curve.param(z)
    sol = solve_extended(curve.obj, z[:n], z[n], curve.p, curve.kind, certify_dps,
                         param=param)
    if sol is None or abs(sol[1] - z[n]) > mpmath.mpf(10) ** (-(curve.dps // 2)):
        return False, None
    test = bifurcation_enclosure(curve.obj, sol[0], sol[1], curve.p, curve.kind,
                                 certify_dps, param=param)
    return (True, test.enclosure[-1]) if test.proved else (False, None)


def bifurcation_curves(obj: Objective, param_range, lr_range, period: int,
                       method: str = "auto", box=(-3, 3), dps: int = 30,
                       certify: bool = True, kinds=None, **options) -> TwoParameterCurves:
    """The bifurcations of minimal period ``period`` at a = ``param_range[0]`` (found by
    :func:`lrtheory.bifurcation.search.search_bifurcations` with ``method`` on the
    objective at that value, periods ≤ ``period``), each continued in (a, h) over
    ``param_range`` within ``lr_range`` (:func:`continue_bifurcation`).  A start that lies
    on a curve already followed (it ends there) is not followed again."""
    from .search import search_bifurcations
    if len(obj.params) != 1:
        raise InputError("bifurcation_curves needs an objective with exactly one parameter")
    a0, a1 = (convert(v, "parameter") for v in param_range)
    if a0 == a1:
        raise InputError("the parameter range needs two different values")
    start = search_bifurcations(fixed(obj, a0), lr_range, period, method=method, box=box,
                                **options)
    kinds = kinds or ("period-doubling", "fold", "neimark-sacker")
    todo = [b for b in start.bifurcations if b.period == period and b.kind in kinds]
    curves = []
    while todo:
        bf = todo.pop(0)
        curve = continue_bifurcation(obj, bf, a0, (a0, a1), lr_range, dps, certify)
        curves.append(curve)
        todo = [b for b in todo if not _ends_at(obj, curve, b, a0)]
    return TwoParameterCurves(str(obj.expr), tuple(str(v) for v in obj.vars),
                              str(obj.params[0]), (a0, a1), tuple(exact_lr(v) for v in
                                                                  lr_range),
                              int(period), start, tuple(curves))


def _ends_at(obj: Objective, curve: ParameterCurve, bf: Bifurcation, a0) -> bool:
    """Whether ``curve`` has an end (besides its start) at the bifurcation ``bf`` (same
    kind, h and orbit at a = a0)."""
    if bf.kind != curve.kind or len(curve.values) < 2:
        return False
    with precision(dps=curve.dps + 10):
        target = mp_number(a0)
        z = curve.values[-1], curve.lr[-1], curve.points[-1]
        if abs(z[0] - target) > mpmath.mpf(10) ** -20 or abs(z[1] - bf.lr) > 1e-10:
            return False
        pts, x = [], [mpmath.mpf(c) for c in bf.point]
        for _ in range(bf.period):
            pts.append(x)
            x = orbit_jet(obj, x, bf.lr, 1, param=(obj.params[0], target), second=False).x
        return any(max(abs(u - v) for u, v in zip(q, z[2])) < 1e-10 for q in pts)
