"""The Hessian at a point: its spectrum equals stated values; its sharpness (largest
eigenvalue) equals, or is bounded by, a stated value.

* Rational Hessian (a polynomial objective at a rational point): the characteristic
  polynomial P(λ) = det(λI − ∇²f) is exact.  A stated spectrum v₁…v_n is proved when
  ∏(λ − v_i) = P(λ) identically (multiplicities included) and refuted otherwise (a stated
  value with P(v) ≠ 0 is named).  The sharpness is the largest real root of P, isolated
  by exact rational intervals (sympy's ``Poly.intervals``) and compared with the stated
  value rigorously (equality when P(v) = 0 with v in its isolating interval).
* Any other Hessian: its entries are enclosed in Arb balls.  A stated eigenvalue v with
  det(∇²f − vI) ≠ 0 (certain) is refuted; λ_max < c is proved when every leading principal
  minor of cI − ∇²f is certainly positive (Sylvester), λ_max > c when the Rayleigh quotient
  of the numerical top eigenvector certainly exceeds c; agreement of the mpmath
  eigenvalues, stable under a precision increase
  (:func:`lrtheory.factorization.hessian_spectrum_at`), with the stated values confirms.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..objectives import Objective
from .base import (ArgumentError, Expectation, numbers_arg, objective_arg,
                   point_arg, point_text, show, stated_values, tolerance_arg)

DPS = 40
LAMBDA = sp.Symbol("lambda")


def _point(obj: Objective, at) -> tuple:
    if isinstance(at, dict):
        names = [v.name for v in obj.vars]
        unknown = sorted(set(at) - set(names))
        if unknown or len(at) != len(names):
            raise ArgumentError("at", f"must give a value for each of {', '.join(names)}")
        at = [at[n] for n in names]
    return point_arg("at", at, obj.dim)


def _ball_matrix(H: sp.Matrix):
    from flint import arb_mat

    from ..evaluators import to_arb
    return arb_mat(H.rows, H.cols, [to_arb(e) for e in H])


def _rational_top(P: sp.Poly):
    """The isolating interval (a, b) of the largest real root of ``P``, refined."""
    intervals = P.intervals(eps=sp.Rational(1, 10**30))
    return max((iv for iv, _ in intervals), key=lambda iv: iv[1])


def _ball(v):
    from ..evaluators import to_arb
    return to_arb(v)


def compare_sharpness(obj: Objective, H: sp.Matrix, c) -> tuple[str, str]:
    """How λ_max(H) compares with c: ("<" | "=" | ">" | "≈" | "?", method)."""
    from ..precision import precision
    with precision(DPS):
        if all(e.is_Rational for e in H):
            P = sp.Poly(H.charpoly(LAMBDA).as_expr(), LAMBDA)
            a, b = _rational_top(P)
            cb = _ball(c)
            if cb > _ball(b):
                return "<", "exact"
            if cb < _ball(a):
                return ">", "exact"
            at_c = sp.simplify(P.as_expr().subs(LAMBDA, c))
            if at_c == 0:
                return "=", "exact"
            # one root in [a, b]: it lies below c when P has the same sign at c and at b
            at_b = P.eval(b)
            if at_b == 0:
                return ("<" if cb > _ball(b) else ">"), "exact"
            same = (_ball(at_c) > 0) == (at_b > 0)
            return ("<" if same else ">"), "exact"
        top, vec = _top_eigenpair(H)
        return ball_compare(_ball_matrix(H), c, vec, top)


def ball_compare(Hb, c, vec, top: float) -> tuple[str, str]:
    """How λ_max compares with ``c`` for every symmetric matrix in the ball matrix ``Hb``:
    "<" when every leading principal minor of cI − Hb is certainly positive (Sylvester),
    ">" when the Rayleigh quotient of ``vec`` (an approximate top eigenvector) certainly
    exceeds c, "≈" when the numerical top eigenvalue ``top`` equals c to 20 digits, else
    "?"."""
    n = Hb.nrows()
    M = _ball_matrix(sp.eye(n) * c) - Hb
    if all(_leading(M, k).det() > 0 for k in range(1, n + 1)):
        return "<", "interval"
    v = _ball_matrix(sp.Matrix(vec))
    rayleigh = (v.transpose() * Hb * v)[0, 0] / (v.transpose() * v)[0, 0]
    if rayleigh > _ball(c):
        return ">", "interval"
    if abs(top - float(sp.N(c, 30))) <= 1e-20 * (1 + abs(top)):
        return "≈", "mpmath"
    return "?", "interval"


def decide_stated(compare, stated) -> tuple[str, str, str]:
    """(verdict, method, relation text) of a stated bound on λ_max, from ``compare(c)``
    (how λ_max compares with c: "<", "=", ">", "≈" or "?"): with a tolerance t the
    comparisons are made at value − t and value + t (see :class:`~.base.Stated`)."""
    v, t = stated.value, stated.tolerance
    if t == 0:
        rel, method = compare(v)
        accept = {"=": ("=",), "<=": ("<", "="), ">=": (">", "=")}[stated.relation]
        verdict = "proved" if rel in accept else "confirmed" if rel == "≈" else \
            "inconclusive" if rel == "?" else "refuted"
        return verdict, method, {"?": "vs"}.get(rel, rel)
    checks = {"=": ((v + t, "<="), (v - t, ">=")), "<=": ((v + t, "<="),),
              ">=": ((v - t, ">="),)}[stated.relation]
    outcomes, methods = [], []
    for c, want in checks:
        rel, method = compare(c)
        methods.append(method)
        good = ("<", "=") if want == "<=" else (">", "=")
        bad = ">" if want == "<=" else "<"
        outcomes.append("proved" if rel in good else "refuted" if rel == bad else
                        "confirmed" if rel == "≈" else "inconclusive")
    from ..claims.evidence import combine_verdicts
    verdict = combine_verdicts(outcomes)
    return verdict, ", ".join(dict.fromkeys(methods)), \
        "within" if verdict == "proved" else "vs"


def _leading(M, k: int):
    """The leading k × k block of an arb matrix."""
    from flint import arb_mat
    return arb_mat(k, k, [M[i, j] for i in range(k) for j in range(k)])


def _top_eigenpair(H: sp.Matrix):
    """The largest eigenvalue and its eigenvector (mpmath, :data:`DPS` digits)."""
    import mpmath

    from ..precision import precision
    with precision(DPS):
        M = mpmath.matrix([[mpmath.mpf(str(sp.N(e, DPS + 10))) for e in row]
                           for row in H.tolist()])
        E, Q = mpmath.eigsy(M)
        k = max(range(len(E)), key=lambda i: E[i])
        return float(E[k]), [sp.Float(str(Q[i, k]), DPS) for i in range(H.rows)]


@dataclass(frozen=True, eq=False)
class HessianSpectrumExpectation(Expectation):
    """The eigenvalues of ∇²f at ``at`` are ``equals`` (with multiplicity, any order)."""

    kind = "hessian-spectrum"
    objective: Objective
    at: tuple
    equals: tuple
    tolerance: sp.Expr = sp.Integer(0)

    def describe(self) -> str:
        tol = f" (each ± {show(self.tolerance)})" if self.tolerance else ""
        return (f"the Hessian of f = {self.objective.expr} at "
                f"{point_text(self.objective.vars, self.at)} has eigenvalues "
                f"{', '.join(map(show, self.equals))}{tol}")

    def evaluate(self, ev, ctx) -> None:
        spec, H = _spectrum_evidence(self.objective, self.at, ev)
        ev.table("Hessian eigenvalues", ["eigenvalue", "numerical value"],
                 [[e, v] for e, v in zip(spec.eigenvalues, spec.numeric)])
        if spec.exact:
            ev.exact("eigenvalues", list(spec.eigenvalues))
        else:
            for i, v in enumerate(spec.numeric):
                ev.approx(f"eigenvalue{i}", float(v), rel_tol=1e-12, abs_tol=1e-15)
        if len(self.equals) != H.rows:
            ev.finding(f"The Hessian has {H.rows} eigenvalues, the statement names "
                       f"{len(self.equals)}", "refuted", "exact")
            return
        if self.tolerance:
            self._within(ev, H)
        elif all(e.is_Rational for e in H):
            self._exact(ev, H)
        else:
            self._balls(ev, H, spec)

    def _within(self, ev, H) -> None:
        """Each stated value v (multiplicity m) held to ± tolerance t: the eigenvalues in
        [v − t, v + t], counted with multiplicity by Sturm sequences of the square-free
        factors of the exact characteristic polynomial (rational Hessians), must be m for
        every v — proved when the intervals are disjoint, refuted when some interval holds
        fewer than m."""
        if not all(e.is_Rational for e in H):
            ev.finding("Eigenvalues to a tolerance are decided for rational Hessians only "
                       "(a polynomial objective at a rational point)", "inconclusive",
                       "interval")
            return
        t = self.tolerance
        P = sp.Poly(H.charpoly(LAMBDA).as_expr(), LAMBDA)
        wanted = {v: self.equals.count(v) for v in dict.fromkeys(self.equals)}
        found = {}
        for v in wanted:
            a, b = v - t, v + t
            if not (a.is_Rational and b.is_Rational):
                a, b = sp.Rational(str(sp.N(a, 40))) - sp.Rational(1, 10**35), \
                    sp.Rational(str(sp.N(b, 40))) + sp.Rational(1, 10**35)
            found[v] = sum(e * q.count_roots(a, b) for q, e in P.sqf_list()[1])
        text = "; ".join(f"{found[v]} in [{show(v)} ± {show(t)}] (stated {m})"
                         for v, m in wanted.items())
        ends = sorted((v - t, v + t) for v in wanted)
        disjoint = all((ends[i + 1][0] - ends[i][1]).is_positive for i in range(len(ends) - 1))
        if any(found[v] < m for v, m in wanted.items()):
            ev.finding(f"Too few eigenvalues within the tolerance: {text}", "refuted", "exact",
                       "Sturm counts of the exact characteristic polynomial")
        elif disjoint and all(found[v] == m for v, m in wanted.items()):
            ev.finding(f"The eigenvalues are the stated ones to ± {show(t)}: {text}", "proved",
                       "exact", "Sturm counts of the exact characteristic polynomial")
        else:
            ev.finding(f"The stated intervals overlap; counts {text}", "inconclusive", "exact")

    def _exact(self, ev, H) -> None:
        P = sp.Poly(H.charpoly(LAMBDA).as_expr(), LAMBDA)
        stated = sp.Poly(sp.expand(sp.prod([LAMBDA - v for v in self.equals])), LAMBDA)
        diff = [sp.simplify(c) for c in (P - stated).all_coeffs()]
        if all(c == 0 for c in diff):
            ev.finding("The eigenvalues are the stated ones: ∏(λ − v_i) equals the "
                       f"characteristic polynomial {show(P.as_expr())}", "proved", "exact")
            return
        wrong = [v for v in self.equals if sp.simplify(P.as_expr().subs(LAMBDA, v)) != 0]
        why = (f"{', '.join(map(show, wrong))} "
               f"{'is not a root' if len(wrong) == 1 else 'are not roots'} of the "
               "characteristic polynomial") if wrong else \
            "the multiplicities differ"
        ev.finding(f"The eigenvalues are not the stated ones: {why} "
                   f"(det(λI − ∇²f) = {show(P.as_expr())})", "refuted", "exact")

    def _balls(self, ev, H, spec) -> None:
        from ..precision import precision
        with precision(DPS):
            Hb = _ball_matrix(H)
            n = H.rows
            wrong = [v for v in self.equals
                     if not (Hb - _ball_matrix(sp.eye(n) * v)).det().contains(0)]
        if wrong:
            ev.finding(f"{', '.join(map(show, wrong))} "
                       f"{'is not an eigenvalue' if len(wrong) == 1 else 'are not eigenvalues'}"
                       ": det(∇²f − vI) is certainly not 0", "refuted", "interval")
            return
        computed = sorted(float(v) for v in spec.numeric)
        stated = sorted(float(sp.N(v, 30)) for v in self.equals)
        if all(abs(a - b) <= 1e-20 * (1 + abs(a)) for a, b in zip(computed, stated)):
            ev.finding("The eigenvalues agree with the stated ones to the digits of the "
                       "computation (stable under a precision increase)", "confirmed",
                       "mpmath")
        else:
            ev.finding("Every stated value is an eigenvalue up to the enclosures, but the "
                       "multiplicities are not decided", "inconclusive", "interval")


@dataclass(frozen=True, eq=False)
class SharpnessExpectation(Expectation):
    """The largest eigenvalue of ∇²f at ``at`` satisfies each of ``stated``
    (:class:`~.base.Stated`: equals, at most or at least a value, with a tolerance)."""

    kind = "sharpness"
    objective: Objective
    at: tuple
    stated: tuple

    def describe(self) -> str:
        return (f"the sharpness λ_max of f = {self.objective.expr} at "
                f"{point_text(self.objective.vars, self.at)} is "
                + " and ".join(s.text() for s in self.stated))

    def evaluate(self, ev, ctx) -> None:
        spec, H = _spectrum_evidence(self.objective, self.at, ev)
        if spec.exact:
            ev.exact("sharpness", spec.sharpness)
        else:
            ev.approx("sharpness", float(spec.numeric[0]), rel_tol=1e-12, abs_tol=1e-15)
        for s in self.stated:
            verdict, method, rel = decide_stated(
                lambda c: compare_sharpness(self.objective, H, c), s)
            ev.finding(f"stated λ_max {s.text()}; computed λ_max = {spec.sharpness} "
                       f"({rel} {s.text()[2:]})", verdict, method)


def hessian_spectrum(objective, vars=None, *, at, equals, tolerance=None, digits=None
                     ) -> HessianSpectrumExpectation:
    """Expect the Hessian of ``objective`` at the point ``at`` (a list in the order of
    the variables, or a table of name = value) to have the eigenvalues ``equals`` (with
    multiplicity, in any order) — each to the absolute ``tolerance`` (or ``digits``
    decimals) when given."""
    obj = objective_arg(objective, vars)
    return HessianSpectrumExpectation(obj, _point(obj, at), numbers_arg("equals", equals),
                                      tolerance_arg(tolerance, digits))


def sharpness(objective, vars=None, *, at, equals=None, at_most=None, at_least=None,
              tolerance=None, digits=None) -> SharpnessExpectation:
    """Expect the largest Hessian eigenvalue of ``objective`` at ``at`` to equal
    ``equals``, or to be at most ``at_most`` and/or at least ``at_least`` — up to the
    absolute ``tolerance`` (or to ``digits`` decimals) when given."""
    obj = objective_arg(objective, vars)
    return SharpnessExpectation(obj, _point(obj, at),
                                stated_values(equals=equals, at_most=at_most,
                                              at_least=at_least, tolerance=tolerance,
                                              digits=digits))


def _spectrum_evidence(obj, at, ev):
    """The Hessian H of ``obj`` at the point ``at`` (exact) and its spectrum (exact where
    possible, else :data:`DPS` digits with Arb balls), H and the precision recorded in
    ``ev``; returns (spectrum, H)."""
    from ..factorization import hessian_spectrum_at
    H = obj.hessian.subs(dict(zip(obj.vars, at)))
    spec = hessian_spectrum_at(obj, dict(zip((v.name for v in obj.vars), at)), DPS)
    ev.precision = "exact" if spec.exact else f"{DPS} digits (mpmath), Arb balls"
    ev.formula("Hessian at the point", sp.latex(H))
    return spec, H
