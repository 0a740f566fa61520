"""A property for every learning rate of an interval, e.g. "an attracting orbit of period
p exists for every h in [a, b]".

The interval ``lr_range`` is a set like any other (:func:`lrtheory.certify.sets.learning_rates`):
``"(2, inf)"``, ``"(0, 1]"``, ``"[1/10, 1/2]"`` or a two-element list (closed).  The
statement is quantified over it, so it ends ``proved`` (an argument over the whole set),
``refuted`` (a counterexample rate, named) or ``inconclusive`` naming what is left — never
``confirmed`` from sampled rates.

* GD statements (``gd_converges``, ``gd_diverges``, ``gd_bounded``) are decided over the
  set by :meth:`lrtheory.expect.gd.GDExpectation.evaluate_over`: a falsifier (exact
  cycles, certified runs, crossings with a fixed point by the intermediate value theorem)
  and then a proof by branch and bound over (h, x₀) in ball arithmetic.

* Proved by the interval methods of the exact bifurcation engine where they apply: for a
  periodic orbit (no box) of a 1-D polynomial GD map, when
  :func:`lrtheory.bifurcation.exact.exact_bifurcations` proves that no bifurcation of
  period p, and no period doubling of period p/2, occurs in [a, b].  An orbit's
  multiplier is then never ±1 on [a, b], so (implicit function theorem) the orbit
  continues over the whole interval with its minimal period, and its stability cannot
  change; the property, certified at one rate of the interval, holds at all of them.
* An attracting orbit of period p (any objective) is proved by parametric Krawczyk tests
  with multiplier bounds over sub-intervals (:mod:`lrtheory.certify.cycles`), once the
  sampled rates below found no counterexample.
* Otherwise the property is checked at ``samples`` equally spaced rates of the interval
  (of its part below 2(1 + a) when unbounded); one refuted rate refutes the claim (it is
  a counterexample, named), and when every sampled rate holds the claim stays
  ``inconclusive``: the evidence names the rates left unchecked (the whole interval but
  the samples) and their measure.
"""
from __future__ import annotations

from dataclasses import dataclass

from .base import ArgumentError, Expectation, int_arg, math, show

MAX_SAMPLES = 201


def _covered(rates):
    """The bounded part of the rate set that samples and continuation work on."""
    from ..certify.gd_sets import rate_cap
    from ..certify.sets import Interval
    return rates if rates.bounded else Interval(rates.lo, rate_cap(rates), rates.lo_closed,
                                                True)


@dataclass(frozen=True, eq=False)
class ThroughoutExpectation(Expectation):
    """``property`` (an expectation with a learning rate) holds for every learning rate
    of ``lr_range``."""

    kind = "throughout"
    property: Expectation
    lr_range: object          # a lrtheory.certify.sets.Interval
    samples: int = 11

    def describe(self) -> str:
        return f"for every h in {self.lr_range}: {self.property.describe()}"

    def evaluate(self, ev, ctx) -> None:
        from .gd import GDExpectation
        if isinstance(self.property, GDExpectation):
            self.property.evaluate_over(self.lr_range, ev, ctx)
        elif not self._proved_by_continuation(ev, ctx):
            self._sampled(ev, ctx)

    def _proved_by_continuation(self, ev, ctx) -> bool:
        from ..bifurcation.exact import exact_bifurcations, is_exact_applicable
        from .orbits import PeriodicOrbitExpectation
        prop = self.property
        rates = self.lr_range
        if not (isinstance(prop, PeriodicOrbitExpectation) and prop.box is None
                and is_exact_applicable(prop.objective) and rates.bounded):
            return False
        p = prop.period
        ctx.progress("bifurcations in the interval")
        found = exact_bifurcations(prop.objective, (rates.lo, rates.hi), p)
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
        h0 = rates.simplest()
        inner = prop.at_lr(h0)(ctx)
        verdict = inner.verdict
        ev.exact("rate_checked", str(h0))
        for f in inner.findings:
            ev.finding(f"at h = {math(h0)}: {f['statement']}", f["verdict"], f["method"],
                       f["detail"])
        if verdict == "proved":
            parent = f" (nor a period doubling of period {p // 2})" if p % 2 == 0 else ""
            ev.finding(f"For every h in {rates} (its closure): "
                       f"the orbit continues with the same minimal period and stability — no "
                       f"bifurcation of period {p}{parent} occurs in the interval, a list "
                       "proved complete", "proved", "exact, interval")
        return True

    def _sampled(self, ev, ctx) -> None:
        part = _covered(self.lr_range)
        rates = part.grid(self.samples)
        spacing = part.measure() / (self.samples - 1)
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
            if self._proved_by_cycle_certificates(ev, ctx):
                return
            ev.exact("undecided_measure", show(self.lr_range.measure()),
                     "measure of the rates left unchecked")
            ev.finding(f"The property holds at all {self.samples} sampled rates (spacing "
                       f"{show(spacing)}); every other rate of {self.lr_range} is undecided "
                       f"(measure {show(self.lr_range.measure())}): samples do not prove a "
                       "statement over an interval", "inconclusive",
                       ", ".join(sorted({i.method for _, _, i in verdicts if i.method}))
                       or "exact")
        else:
            ev.finding(f"The property is not decided at every sampled rate "
                       f"({sum(v in ('proved', 'confirmed') for _, v, _ in verdicts)} of "
                       f"{self.samples} hold)", "inconclusive", "float64")


    def _proved_by_cycle_certificates(self, ev, ctx) -> bool:
        """An attracting p-cycle for every rate: parametric Krawczyk tests with multiplier
        bounds over sub-intervals (:func:`lrtheory.certify.cycles.attracting_cycle_over_rates`),
        tried once no sampled rate refutes."""
        from ..certify.cycles import attracting_cycle_over_rates
        from .orbits import PeriodicOrbitExpectation
        prop, rates = self.property, self.lr_range
        if not (isinstance(prop, PeriodicOrbitExpectation) and prop.stable is True
                and rates.bounded and getattr(prop, "multiplier", None) is None):
            return False
        ctx.progress("attracting cycle over the rates (parametric Krawczyk)")
        proof = attracting_cycle_over_rates(prop.objective, rates, prop.period, box=prop.box,
                                            max_boxes=64)
        ev.rests_on(proof)
        if proof.verdict != "proved":
            left = ", ".join(f"[{a:.9g}, {b:.9g}]" for a, b in proof.undecided[:4])
            ev.note(f"Parametric Krawczyk certificates cover all but "
                    f"{proof.undecided_measure:.3g} of the rates (undecided: {left})")
            return False
        ev.exact("pieces", len(proof.pieces), "sub-intervals of rates, each certified")
        ev.finding(f"For every h in {rates} (its closure): an attracting orbit of minimal "
                   f"period {prop.period} — {len(proof.pieces)} sub-intervals, each with a "
                   "parametric Krawczyk test (one orbit for every h of it) and multiplier "
                   "enclosures of modulus < 1", "proved", "interval")
        return True


def _rates(lr_range):
    from ..certify.sets import learning_rates
    from .base import argument
    with argument("lr_range"):
        return learning_rates(lr_range)


def throughout(property, *, lr_range, samples=11) -> ThroughoutExpectation:
    """Expect ``property`` — an expectation with a learning rate, such as
    ``periodic_orbit(..., lr=..., ...)`` (its ``lr`` is replaced) — to hold for every
    learning rate of ``lr_range`` (``[A, B]`` or an interval string such as ``"(2, inf)"``
    or ``"(0, 1]"``): GD statements are proved or refuted over the set, periodic orbits
    proved by continuation where the exact bifurcation engine applies; otherwise checked
    at ``samples`` equally spaced rates, which can refute but never prove (module
    docstring)."""
    if not hasattr(property, "at_lr"):
        raise ArgumentError("property", "must be an expectation with a learning rate lr "
                                        "(periodic_orbit, no_attracting_orbit, gd_*, "
                                        "lyapunov_sign)")
    return ThroughoutExpectation(property, _rates(lr_range),
                                 int_arg("samples", samples, 2, MAX_SAMPLES))


def throughout_kind(property, lr_range, samples=11, **args) -> ThroughoutExpectation:
    """:func:`throughout` for a TOML claim: ``property`` names a kind with a learning
    rate, whose other arguments are given alongside."""
    from .kinds import KINDS, lr_kinds
    if property not in lr_kinds():
        raise ArgumentError("property", f"must be one of {', '.join(lr_kinds())}, "
                                        f"got {property!r}")
    inner = KINDS[property].load()(lr=str(_rates(lr_range).simplest()), **args)
    return throughout(inner, lr_range=lr_range, samples=samples)
