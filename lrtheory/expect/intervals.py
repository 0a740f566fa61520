"""A property for every learning rate of an interval, e.g. "an attracting orbit of period
p exists for every h in [a, b]".

* Proved by the interval methods of the exact bifurcation engine where they apply: for a
  periodic orbit (no box) of a 1-D polynomial GD map, when
  :func:`lrtheory.bifurcation.exact.exact_bifurcations` proves that no bifurcation of
  period p, and no period doubling of period p/2, occurs in [a, b].  An orbit's
  multiplier is then never ±1 on [a, b], so (implicit function theorem) the orbit
  continues over the whole interval with its minimal period, and its stability cannot
  change; the property, certified at one rate of the interval, holds at all of them.
* Otherwise confirmed on a sample: the property is checked at ``samples`` equally spaced
  rates a = h₀ < … < h_{n−1} = b; one refuted rate refutes the claim (it is a
  counterexample), and when every rate is proved or confirmed the claim is confirmed
  *at that resolution* (the evidence states the spacing; rates between samples are not
  checked).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .base import ArgumentError, Expectation, int_arg, math, pair_arg, show

MAX_SAMPLES = 201


def _sample_rates(a, b, n: int) -> list:
    """n exact rates from a to b, equally spaced (rational approximations inside [a, b]
    when an end is irrational)."""
    def inside(v):
        return v if v.is_Rational else sp.Rational(sp.floor(v * 10**12), 10**12)
    a, b = (a if a.is_Rational else sp.Rational(sp.ceiling(a * 10**12), 10**12)), inside(b)
    return [a + (b - a) * sp.Rational(k, n - 1) for k in range(n)]


def _simple_rate(a, b):
    from fractions import Fraction

    from .inequalities import simplest
    lo, hi = _sample_rates(a, b, 2)
    mid_lo, mid_hi = lo + (hi - lo) / 4, hi - (hi - lo) / 4
    q = simplest(Fraction(int(mid_lo.p), int(mid_lo.q)), Fraction(int(mid_hi.p), int(mid_hi.q)))
    return sp.Rational(q.numerator, q.denominator)


@dataclass(frozen=True, eq=False)
class ThroughoutExpectation(Expectation):
    """``property`` (an expectation with a learning rate) holds for every learning rate
    of ``lr_range``."""

    kind = "throughout"
    property: Expectation
    lr_range: tuple
    samples: int = 11

    def describe(self) -> str:
        a, b = self.lr_range
        return f"for every h in [{show(a)}, {show(b)}]: {self.property.describe()}"

    def evaluate(self, ev, ctx) -> None:
        if not self._proved_by_continuation(ev, ctx):
            self._sampled(ev, ctx)

    def _proved_by_continuation(self, ev, ctx) -> bool:
        from ..bifurcation.exact import exact_bifurcations, is_exact_applicable
        from .orbits import PeriodicOrbitExpectation
        prop = self.property
        if not (isinstance(prop, PeriodicOrbitExpectation) and prop.box is None
                and is_exact_applicable(prop.objective)
                and all(v.is_Rational for v in self.lr_range)):
            return False
        p = prop.period
        ctx.progress("bifurcations in the interval")
        found = exact_bifurcations(prop.objective, self.lr_range, p)
        blocking = [b for b in found.bifurcations if b.period == p or
                    (b.kind == "period-doubling" and 2 * b.period == p)]
        ev.table("Bifurcations that could change an orbit of period {}".format(p),
                 ["h", "type", "period"],
                 [[b.closed_form or str(b.lr_enclosure), b.kind, b.period]
                  for b in blocking],
                 note="proved complete" if found.complete.proved else
                 f"not proved complete: {found.complete.reason}")
        if not found.complete.proved or blocking:
            ev.note("The interval holds a bifurcation that could change the orbit (or the "
                    "list is not complete): checked on a sample of rates instead")
            return False
        h0 = _simple_rate(*self.lr_range)
        inner = prop.at_lr(h0)(ctx)
        verdict = inner.verdict
        ev.exact("rate_checked", str(h0))
        for f in inner.findings:
            ev.finding(f"at h = {math(h0)}: {f['statement']}", f["verdict"], f["method"],
                       f["detail"])
        if verdict == "proved":
            parent = f" (nor a period doubling of period {p // 2})" if p % 2 == 0 else ""
            ev.finding(f"For every h in [{show(self.lr_range[0])}, {show(self.lr_range[1])}]: "
                       f"the orbit continues with the same minimal period and stability — no "
                       f"bifurcation of period {p}{parent} occurs in the interval, a list "
                       "proved complete", "proved", "exact, interval")
        return True

    def _sampled(self, ev, ctx) -> None:
        a, b = self.lr_range
        rates = _sample_rates(a, b, self.samples)
        spacing = (rates[-1] - rates[0]) / (self.samples - 1)
        rows, verdicts = [], []
        for h in rates:
            ctx.progress(f"h = {show(h)}")
            inner = self.property.at_lr(h)(ctx)
            verdicts.append((h, inner.verdict, inner))
            first = inner.findings[0]["statement"] if inner.findings else ""
            rows.append([show(h), inner.verdict, first])
        ev.table(f"The property at {self.samples} rates (spacing {show(spacing)})",
                 ["h", "verdict", "finding"], rows)
        ev.exact("samples", self.samples)
        ev.exact("spacing", show(spacing))
        refuted = [(h, inner) for h, v, inner in verdicts if v == "refuted"]
        if refuted:
            h, inner = refuted[0]
            ev.finding(f"Counterexample: at h = {math(h)} the property fails — "
                       f"{inner.findings[-1]['statement'] if inner.findings else ''}",
                       "refuted", inner.method or "exact")
        elif all(v in ("proved", "confirmed") for _, v, _ in verdicts):
            ev.finding(f"The property holds at all {self.samples} sampled rates (spacing "
                       f"{show(spacing)}); rates between the samples are not checked",
                       "confirmed", ", ".join(sorted({i.method for _, _, i in verdicts
                                                       if i.method})) or "exact")
        else:
            ev.finding(f"The property is not decided at every sampled rate "
                       f"({sum(v in ('proved', 'confirmed') for _, v, _ in verdicts)} of "
                       f"{self.samples} hold)", "inconclusive", "float64")


def throughout(property, *, lr_range, samples=11) -> ThroughoutExpectation:
    """Expect ``property`` — an expectation with a learning rate, such as
    ``periodic_orbit(..., lr=..., ...)`` (its ``lr`` is replaced) — to hold for every
    learning rate of ``lr_range = [A, B]``: proved by continuation where the exact
    bifurcation engine applies, else confirmed on ``samples`` equally spaced rates."""
    if not hasattr(property, "at_lr"):
        raise ArgumentError("property", "must be an expectation with a learning rate lr "
                                        "(periodic_orbit, no_attracting_orbit, gd_*, "
                                        "lyapunov_sign)")
    return ThroughoutExpectation(property, pair_arg("lr_range", lr_range, positive=True),
                                 int_arg("samples", samples, 2, MAX_SAMPLES))


def throughout_kind(property, lr_range, samples=11, **args) -> ThroughoutExpectation:
    """:func:`throughout` for a TOML claim: ``property`` names a kind with a learning
    rate, whose other arguments are given alongside."""
    from .kinds import KINDS, lr_kinds
    if property not in lr_kinds():
        raise ArgumentError("property", f"must be one of {', '.join(lr_kinds())}, "
                                        f"got {property!r}")
    a, _ = pair_arg("lr_range", lr_range, positive=True)
    inner = KINDS[property].load()(lr=str(a), **args)
    return throughout(inner, lr_range=lr_range, samples=samples)
