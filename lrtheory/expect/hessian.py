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

The decisions are :mod:`lrtheory.certify.spectra`'s; this module holds the parameters and
the judge (:func:`decide_stated`).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..certify.spectra import (DPS, characteristic_polynomial, compare_top_eigenvalue,
                               eigenvalues_in, is_rational, not_eigenvalues, spectrum_is)
from ..objectives import Objective
from .base import (ArgumentError, Expectation, numbers_arg, objective_arg,
                   point_arg, point_text, show, stated_values, tolerance_arg)


def _point(obj: Objective, at) -> tuple:
    if isinstance(at, dict):
        names = [v.name for v in obj.vars]
        unknown = sorted(set(at) - set(names))
        if unknown or len(at) != len(names):
            raise ArgumentError("at", f"must give a value for each of {', '.join(names)}")
        at = [at[n] for n in names]
    return point_arg("at", at, obj.dim)


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
        elif is_rational(H):
            self._exact(ev, H)
        else:
            self._balls(ev, H, spec)

    def _within(self, ev, H) -> None:
        """Each stated value v (multiplicity m) held to ± tolerance t: the eigenvalues in
        [v − t, v + t], counted with multiplicity by Sturm sequences of the square-free
        factors of the exact characteristic polynomial (rational Hessians), must be m for
        every v — proved when the intervals are disjoint, refuted when some interval holds
        fewer than m."""
        if not is_rational(H):
            ev.finding("Eigenvalues to a tolerance are decided for rational Hessians only "
                       "(a polynomial objective at a rational point)", "inconclusive",
                       "interval")
            return
        t = self.tolerance
        wanted = {v: self.equals.count(v) for v in dict.fromkeys(self.equals)}
        found = {v: eigenvalues_in(H, v - t, v + t) for v in wanted}
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
        same, wrong = spectrum_is(H, self.equals)
        P = characteristic_polynomial(H).as_expr()
        if same:
            ev.finding("The eigenvalues are the stated ones: ∏(λ − v_i) equals the "
                       f"characteristic polynomial {show(P)}", "proved", "exact")
            return
        why = (f"{', '.join(map(show, wrong))} "
               f"{'is not a root' if len(wrong) == 1 else 'are not roots'} of the "
               "characteristic polynomial") if wrong else \
            "the multiplicities differ"
        ev.finding(f"The eigenvalues are not the stated ones: {why} "
                   f"(det(λI − ∇²f) = {show(P)})", "refuted", "exact")

    def _balls(self, ev, H, spec) -> None:
        wrong = not_eigenvalues(H, self.equals)
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
                lambda c: compare_top_eigenvalue(H, c), s)
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
