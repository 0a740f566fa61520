"""A bifurcation of a given type and period in a learning-rate interval, optionally at a
stated closed form.

* One variable, f′ a polynomial over Q: :func:`lrtheory.bifurcation.exact.
  exact_bifurcations` lists every period doubling and fold of period ≤ p in the interval,
  proved complete, each learning rate an algebraic number whose
  :meth:`~lrtheory.bifurcation.exact.AlgebraicNumber.equals` decides a stated closed form
  exactly.  Existence is proved, a wrong closed form or a missing bifurcation refuted
  with the true values in the evidence.  A map of the line has real multipliers, so a
  Neimark–Sacker bifurcation (a complex pair on the unit circle) is impossible there.
* Otherwise: :func:`lrtheory.dynamics.bifurcations.find_bifurcations` (a sampled scan,
  certified by a Krawczyk test in (x, h)).  A certified bifurcation proves existence; a
  stated value inside its enclosure is confirmed (equal to the enclosure's digits), one
  outside is not a refutation (other bifurcations of the type are not excluded), so the
  verdict is then inconclusive.  Neimark–Sacker bifurcations are not searched for.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..objectives import Objective
from .base import (ArgumentError, Expectation, choice_arg, int_arg, math, number_arg,
                   objective_arg, pair_arg, show, tolerance_arg)

TYPES = ("period-doubling", "fold", "neimark-sacker")


def _value_text(b) -> str:
    """The learning rate of a bifurcation: its closed form when known, else its
    enclosure, else its decimal value."""
    if b.closed_form:
        return b.closed_form
    return str(b.lr_enclosure) if b.lr_enclosure is not None else show(sp.Float(b.lr, 20))


@dataclass(frozen=True, eq=False)
class BifurcationExpectation(Expectation):
    """GD on ``objective`` has a bifurcation of ``type`` of an orbit of minimal period
    ``period`` at a learning rate in ``lr_range`` (at ``value`` when given)."""

    kind = "bifurcation"
    objective: Objective
    lr_range: tuple
    type: str
    period: int
    value: sp.Expr | None = None
    tolerance: sp.Expr = sp.Integer(0)

    def describe(self) -> str:
        a, b = self.lr_range
        at = f" at h = {show(self.value)}" if self.value is not None else ""
        at += f" ± {show(self.tolerance)}" if self.value is not None and self.tolerance else ""
        return (f"GD on f = {self.objective.expr} has a {self.type} of period {self.period} "
                f"with h in [{show(a)}, {show(b)}]{at}")

    def _stated(self) -> str:
        at = (f" at h = {math(self.value)}" + (f" ± {math(self.tolerance)}"
                                               if self.tolerance else "")) \
            if self.value is not None else \
            f" with h in [{show(self.lr_range[0])}, {show(self.lr_range[1])}]"
        return f"a {self.type} of period {self.period}{at}"

    def evaluate(self, ev, ctx) -> None:
        from ..bifurcation.exact import is_exact_applicable
        if is_exact_applicable(self.objective) and all(v.is_Rational for v in self.lr_range):
            self._exact(ev, ctx)
        else:
            self._numerical(ev, ctx)

    # -- one variable, polynomial ------------------------------------------------------------
    def _exact(self, ev, ctx) -> None:
        from ..bifurcation.exact import exact_bifurcations
        ctx.progress("bifurcations by exact elimination")
        found = exact_bifurcations(self.objective, self.lr_range, self.period)
        ev.rests_on(found)
        complete = found.complete.proved
        method = "exact, interval"
        ev.precision = "exact resultants over Q; Arb root isolation"
        ev.table("Bifurcations of period <= {} with h in [{}, {}]".format(
            self.period, show(self.lr_range[0]), show(self.lr_range[1])),
            ["h", "type", "period", "minimal polynomial of h"],
            [[_value_text(b), b.kind, b.period, str(b.lr_exact.polynomial(sp.Symbol("h")))]
             for b in found.bifurcations],
            note=("proved complete" if complete else f"not proved complete: "
                  f"{found.complete.reason}") + f" ({found.complete.method})")
        ev.exact("bifurcations", len(found.bifurcations), "in the interval, period <= p")
        if self.type == "neimark-sacker":
            ev.finding(f"There is no {self.type} bifurcation: GD on one variable has real "
                       "multipliers, never a complex pair on the unit circle", "refuted",
                       "symbolic")
            return
        same = [b for b in found.bifurcations if b.period == self.period and
                (b.kind == self.type or (self.type == "fold" and b.kind == "degenerate +1"))]
        if same:
            ev.ball("h", same[0].lr_enclosure.to_arb(), f"the first {self.type} of period "
                                                         f"{self.period}")
        if self.value is None:
            self._existence(ev, same, complete, method)
        else:
            self._closed_form(ev, same, complete, method)

    def _existence(self, ev, same, complete, method) -> None:
        folds = [b for b in same if b.kind == self.type]
        if folds:
            ev.finding(f"There is {self._stated()}: at h = {_value_text(folds[0])}",
                       "proved", method, "Krawczyk certificate in (x, h)")
        elif same:
            ev.finding(f"A multiplier +1 of period {self.period} at h = "
                       f"{_value_text(same[0])}, but whether it is a fold (not a "
                       "pitchfork or transcritical point) is not decided", "inconclusive",
                       method)
        elif complete:
            ev.finding(f"There is no {self.type} of period {self.period} in the interval "
                       "(the list of bifurcations there is complete)", "refuted", method)
        else:
            ev.finding(f"No {self.type} of period {self.period} was found and the list is "
                       "not proved complete", "inconclusive", method)

    def _within(self, ev, same, complete, method) -> None:
        """A stated value with a tolerance: proved when the enclosure of a bifurcation of
        the type lies in value ± tolerance, refuted when the list is complete and every
        enclosure lies outside."""
        from .base import Stated
        stated = Stated("value", self.value, self.tolerance)
        decisions = [(b, stated.decide(b.lr_enclosure.to_arb()) if b.lr_enclosure
                      else None) for b in same if b.kind == self.type]
        hit = [b for b, d in decisions if d == "proved"]
        found = ", ".join(f"h = {_value_text(b)}" for b in same) or "none"
        if hit:
            ev.finding(f"There is {self._stated()}: its learning rate lies in "
                       f"{hit[0].lr_enclosure}", "proved", method,
                       "the rigorous enclosure lies inside value ± tolerance")
        elif complete and all(d == "refuted" for _, d in decisions):
            ev.finding(f"Refuted: no {self.type} of period {self.period} lies within "
                       f"{math(self.tolerance)} of {math(self.value)}; in the interval it "
                       f"occurs at {found}", "refuted", method,
                       "every enclosure lies outside value ± tolerance; the list is complete")
        else:
            ev.finding(f"Whether a {self.type} of period {self.period} lies within "
                       f"{show(self.tolerance)} of {show(self.value)} is not decided "
                       f"({found}{'' if complete else '; the list is not proved complete'})",
                       "inconclusive", method)

    def _closed_form(self, ev, same, complete, method) -> None:
        if self.tolerance:
            return self._within(ev, same, complete, method)
        decisions = [(b, b.lr_exact.equals(self.value)) for b in same]
        equal = [b for b, eq in decisions if eq]
        hit = [b for b in equal if b.kind == self.type]
        true_values = ", ".join(f"h = {_value_text(b)}" for b in same) or "none"
        if hit:
            ev.finding(f"There is {self._stated()}: h is the root of "
                       f"{hit[0].lr_exact.polynomial(sp.Symbol('h'))} in "
                       f"{hit[0].lr_enclosure}, which equals the stated value exactly",
                       "proved", method)
        elif equal or any(eq is None for _, eq in decisions):
            ev.finding(f"Whether there is a {self.type} of period {self.period} at the "
                       f"stated value is not decided ({true_values})", "inconclusive", method)
        elif complete:
            ev.finding(f"Refuted: the stated value h = {math(self.value)} is not where "
                       f"a {self.type} of period {self.period} occurs; in the interval "
                       f"it occurs at {true_values}", "refuted", method,
                       "the minimal polynomial of each h, evaluated exactly at the stated "
                       "value, is not zero (or the value lies outside the enclosure)")
        else:
            ev.finding(f"The {self.type} found is at {true_values}, not at the stated value; "
                       "the list is not proved complete", "inconclusive", method)

    # -- any other objective -------------------------------------------------------------------
    def _numerical(self, ev, ctx) -> None:
        from ..dynamics.bifurcations import find_bifurcations
        if self.type == "neimark-sacker":
            ev.finding("Neimark–Sacker bifurcations are not searched for", "inconclusive",
                       "float64")
            return
        ctx.progress("bifurcation scan")
        search = find_bifurcations(self.objective, self.lr_range, self.period)
        ev.rests_on(search)
        ev.precision = f"{search.dps} digits (mpmath), Arb balls"
        ev.table("Bifurcations found by the sampled scan",
                 ["h", "type", "period", "certified"],
                 [[show(sp.Float(b.lr, 20)), b.kind, b.period, b.certified]
                  for b in search.bifurcations],
                 note=f"{search.samples} sampled learning rates, {search.starts} starts: "
                      "the scan is not complete")
        same = [b for b in search.bifurcations if b.kind == self.type
                and b.period == self.period]
        certified = [b for b in same if b.certified]
        method = "interval"
        if not same:
            ev.finding(f"No {self.type} of period {self.period} was found (the scan is "
                       "sampled, not complete)", "inconclusive", "float64")
            return
        best = (certified or same)[0]
        if best.certified:
            ev.ball("h", best.lr_enclosure.to_arb(), f"the {self.type} found")
        if self.value is None:
            ev.finding(f"There is {self._stated()}: at h ≈ {show(sp.Float(best.lr, 20))}",
                       "proved" if best.certified else "confirmed",
                       method if best.certified else "mpmath")
            return
        if self.tolerance:
            return self._within(ev, certified, False, method)
        from ..evaluators import to_arb
        from ..precision import precision
        with precision(best.dps):
            inside = [b for b in certified if b.lr_enclosure.to_arb().overlaps(
                to_arb(self.value))]
        if inside:
            ev.finding(f"There is {self._stated()}: the stated value lies in the certified "
                       f"enclosure {inside[0].lr_enclosure}", "confirmed", method,
                       "equal to the enclosure's digits; equality is not proved")
        else:
            ev.finding(f"The {self.type} found is at h ≈ {show(sp.Float(best.lr, 20))}, "
                       "not at the stated value; other bifurcations of this type are not "
                       "excluded", "inconclusive", method)


def bifurcation(objective, vars=None, *, lr_range, type, period, value=None, tolerance=None,
                digits=None) -> BifurcationExpectation:
    """Expect a bifurcation of ``type`` ("period-doubling", "fold" or "neimark-sacker") of
    an orbit of minimal ``period`` of GD on ``objective`` with learning rate in
    ``lr_range = [A, B]``, at ``value`` (a closed form, or a decimal held to the absolute
    ``tolerance`` or to ``digits`` decimals) when given."""
    obj = objective_arg(objective, vars)
    tol = tolerance_arg(tolerance, digits)
    if tol and value is None:
        raise ArgumentError("tolerance", "applies to a stated value; give value")
    return BifurcationExpectation(obj, pair_arg("lr_range", lr_range, positive=True),
                                  choice_arg("type", type, TYPES),
                                  int_arg("period", period, 1, 12),
                                  None if value is None else number_arg("value", value), tol)
