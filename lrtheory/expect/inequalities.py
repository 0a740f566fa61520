"""Inequalities: ``lhs ≤ rhs`` (or <, ≥, >) on a box, and any statement over a hypothesis
strategy (the falsifier, :func:`lrtheory.falsify.falsify`).

:func:`inequality` works on g = rhs − lhs (≥ 0 wanted; for ≥ and >, g = lhs − rhs):

1. branch and bound on the box (:func:`lrtheory.certify.branch_and_bound`) with g in Arb
   balls: a sub-box where g is certainly ≥ 0 (> 0 when strict) is settled, one where it
   is certainly < 0 (≤ 0 when strict) holds counterexamples (the simplest rational point
   of such boxes is reported, checked exactly); when every sub-box is settled the
   inequality is **proved**;
2. otherwise the falsifier searches rational points of the box, each decided exactly (or
   by a ball whose sign is certain), steered toward violation and shrinking a
   counterexample to a simple one: **refuted** with it, else **confirmed** on the
   instances checked, with the worst (smallest) relative slack (g/(|lhs| + |rhs|)).

Instance counts and slacks of the falsifier depend on hypothesis's generator; they are
given in the findings and notes, not as key numbers.
"""
from __future__ import annotations

import math as _math
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction
from typing import Any, Callable

import sympy as sp

from .base import (ArgumentError, Expectation, box_arg, choice_arg, expr_arg, int_arg,
                   point_text, show)

RELATIONS = ("<=", "<", ">=", ">")
MAX_BOXES = 20_000
DPS = 40


def _inner(v: sp.Expr, rounding) -> Fraction:
    """``v`` as a Fraction, rounded inward to a multiple of 1/64 when not rational."""
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return Fraction(int(rounding(v * 64)), 64)


def simplest(a: Fraction, b: Fraction) -> Fraction:
    """The rational with the smallest denominator (then numerator) in [a, b]."""
    if a <= 0 <= b:
        return Fraction(0)
    if b < 0:
        return -simplest(-b, -a)
    whole = a.numerator // a.denominator
    if whole == a or whole + 1 <= b:
        return Fraction(whole if whole == a else whole + 1)
    return whole + 1 / simplest(1 / (b - whole), 1 / (a - whole))


def _float(v) -> float:
    """An fmpq or the midpoint of an arb as a float."""
    return float(v.mid()) if hasattr(v, "mid") else float(v.p) / float(v.q)


def _outward(lo, hi) -> tuple[float, float]:
    a, b = float(lo), float(hi)
    return (_math.nextafter(a, -_math.inf) if sp.Rational(a) > lo else a,
            _math.nextafter(b, _math.inf) if sp.Rational(b) < hi else b)


@dataclass(frozen=True, eq=False)
class InequalityExpectation(Expectation):
    """``lhs relation rhs`` for every point of ``box`` (one (lo, hi) per variable)."""

    kind = "inequality"
    lhs: sp.Expr
    rhs: sp.Expr
    variables: tuple
    box: tuple
    relation: str = "<="
    max_examples: int = 200

    def describe(self) -> str:
        where = ", ".join(f"{v} in [{show(lo)}, {show(hi)}]"
                          for v, (lo, hi) in zip(self.variables, self.box))
        return f"{show(self.lhs)} {self.relation} {show(self.rhs)} for {where}"

    @property
    def gap(self) -> sp.Expr:
        """g ≥ 0 (> 0 when strict) is the statement."""
        return self.rhs - self.lhs if self.relation in ("<=", "<") else self.lhs - self.rhs

    @property
    def strict(self) -> bool:
        return self.relation in ("<", ">")

    def evaluate(self, ev, ctx) -> None:
        ev.precision = f"Arb balls at {DPS} digits; exact rationals at sample points"
        ctx.progress("branch and bound")
        found = self._branch_and_bound()
        if found is None:
            return self._falsify(ev, ctx)
        status, data = found
        if status == "proved":
            ev.exact("boxes", data, "sub-boxes of the proof")
            ev.finding(f"{self.describe()}: every one of {data} sub-boxes has g certainly "
                       f"{'>' if self.strict else '≥'} 0 in ball arithmetic", "proved",
                       "interval")
            return
        point = data
        ev.exact("counterexample", point_text(self.variables, point))
        ev.finding(f"Counterexample at {point_text(self.variables, point)}: "
                   f"{self._values(point)}", "refuted",
                   "exact" if self._evaluators[1] else "interval",
                   "found by branch and bound, checked at the point")

    def _values(self, point) -> str:
        _, _, lhs, rhs = self._sign(point)
        num = lambda v: str(v) if self._evaluators[1] else \
            v.mid().str(15, radius=False)  # noqa: E731
        return f"lhs = {num(lhs)}, rhs = {num(rhs)}"

    @cached_property
    def _evaluators(self):
        """g, lhs and rhs at a point: exactly (fmpq) for rational functions, else in
        balls."""
        from ..evaluators import compile_exprs
        exprs = [self.gap, self.lhs, self.rhs]
        exact = all(e.is_rational_function(*self.variables) for e in exprs)
        return compile_exprs(exprs, self.variables, "fmpq" if exact else "arb"), exact

    def _sign(self, point):
        """(holds, g, lhs, rhs) at an exact point: holds True/False/None (undecided),
        the values as fmpq or arb."""
        from flint import fmpq

        from ..precision import precision
        fn, exact = self._evaluators
        with precision(DPS):
            try:
                g, lhs, rhs = fn(*[fmpq(int(c.p), int(c.q)) for c in point])
            except ZeroDivisionError:
                return None, None, None, None
            if exact:
                return bool(g > 0 if self.strict else g >= 0), g, lhs, rhs
            if not g.is_finite():
                return None, g, lhs, rhs
            if g > 0 or (not self.strict and g >= 0):
                return True, g, lhs, rhs
            if g < 0 or (self.strict and g <= 0):
                return False, g, lhs, rhs
        return None, g, lhs, rhs

    def _branch_and_bound(self):
        from ..certify import ACCEPT, EXCLUDE, SPLIT, branch_and_bound, box_balls
        from ..evaluators import compile_exprs
        from ..precision import precision
        fn = compile_exprs([self.gap], self.variables, "arb")
        strict = self.strict

        def decide(box):
            value = fn(*box_balls(box))[0]
            if not value.is_finite():
                return SPLIT, None
            if value > 0 or (not strict and value >= 0):
                return EXCLUDE, None
            if value < 0 or (strict and value <= 0):
                return ACCEPT, None
            return SPLIT, None

        with precision(DPS):
            search = branch_and_bound([_outward(lo, hi) for lo, hi in self.box], decide,
                                      max_depth=12 * len(self.variables) + 8,
                                      max_boxes=MAX_BOXES)
        candidates = sorted((tuple(simplest(Fraction(a), Fraction(b)) for a, b in box)
                             for box, _ in search.accepted),
                            key=lambda pt: (sum(c.denominator for c in pt),
                                            sum(abs(c.numerator) for c in pt)))
        for pt in candidates:
            point = tuple(sp.Rational(c.numerator, c.denominator) for c in pt)
            inside = all(lo <= c <= hi for c, (lo, hi) in zip(point, self.box))
            if inside and self._sign(point)[0] is False:
                return "refuted", point
        if search.decided and not search.accepted:
            return "proved", search.boxes
        return None

    def _falsify(self, ev, ctx) -> None:
        from hypothesis import strategies as st

        from ..falsify import Outcome, falsify
        ctx.progress("falsifier")
        strategy = st.tuples(*[st.fractions(_inner(lo, sp.ceiling), _inner(hi, sp.floor),
                                            max_denominator=64) for lo, hi in self.box])

        def statement(instance):
            point = tuple(sp.Rational(c.numerator, c.denominator) for c in instance)
            if not all(lo <= c <= hi for c, (lo, hi) in zip(point, self.box)):
                return Outcome(None, 0.0, {"reason": "outside the box"})
            holds, g, lhs, rhs = self._sign(point)
            if holds is None:
                return Outcome(None, 0.0, {"reason": "sign not decided"})
            scale = abs(_float(lhs)) + abs(_float(rhs)) or 1.0
            return Outcome(holds, -_float(g) / scale)

        rep = falsify(strategy, statement, max_examples=self.max_examples,
                      name=self.describe())
        ev.note(f"falsifier: {rep.examples} instances, {rep.held} held, {rep.undecided} "
                "undecided (counts depend on hypothesis's generator)")
        if rep.refuted:
            point = tuple(sp.Rational(c.numerator, c.denominator) for c in rep.counterexample)
            ev.finding(f"Counterexample at {point_text(self.variables, point)}: "
                       f"{self._values(point)}", "refuted", "exact",
                       "found by the falsifier and shrunk")
        elif rep.held:
            ev.finding(f"No counterexample in {rep.held} rational points of the box, each "
                       f"decided exactly or by a certain ball sign; smallest relative slack "
                       f"{-rep.worst_held:.3g} (the branch and bound did not settle every "
                       "sub-box, so this is not a proof)", "confirmed", "exact")
        else:
            ev.finding("No instance could be decided", "inconclusive", "interval")


def inequality(lhs, rhs, vars, *, box, relation="<=", max_examples=200
               ) -> InequalityExpectation:
    """Expect ``lhs relation rhs`` (relation "<=", "<", ">=" or ">") for every point of
    ``box`` (``[LO, HI]`` for every variable, or one ``[LO, HI]`` per variable)."""
    from ..parsing import parse_variables
    if vars is None:
        raise ArgumentError("vars", "give the variables, e.g. 'x,y'")
    try:
        variables = parse_variables(vars)
    except Exception as exc:
        raise ArgumentError("vars", str(exc)) from None
    return InequalityExpectation(expr_arg("lhs", lhs, variables),
                                 expr_arg("rhs", rhs, variables), variables,
                                 box_arg("box", box, len(variables)),
                                 choice_arg("relation", relation, RELATIONS),
                                 int_arg("max_examples", max_examples, 1, 100_000))


@dataclass(frozen=True, eq=False)
class HoldsForAllExpectation(Expectation):
    """``statement(instance)`` (an Outcome or a bool) holds for every instance of the
    hypothesis ``strategy``, searched by the falsifier."""

    kind = "holds-for-all"
    strategy: Any
    statement: Callable
    max_examples: int = 200
    name: str = ""

    def describe(self) -> str:
        return self.name or getattr(self.statement, "__name__", "statement")

    def evaluate(self, ev, ctx) -> None:
        from ..falsify import falsify
        ctx.progress("falsifier")
        rep = falsify(self.strategy, self.statement, max_examples=self.max_examples,
                      name=self.describe())
        ev.note(f"falsifier: {rep.examples} instances, {rep.held} held, {rep.undecided} "
                "undecided (counts depend on hypothesis's generator)")
        if rep.refuted:
            ev.finding(f"Counterexample: {rep.counterexample!r}", "refuted", "exact",
                       f"shrunk by the falsifier; {rep.outcome.detail}")
        elif rep.held:
            slack = f"; worst score {rep.worst_held:.6g} at {rep.worst_instance!r}" \
                if rep.worst_held > -_math.inf else ""
            ev.finding(f"No counterexample in {rep.held} decided instances{slack}",
                       "confirmed", "exact")
        else:
            ev.finding("No instance could be decided", "inconclusive", "exact",
                       str(rep.undecided_reasons))


def holds_for_all(strategy, statement, *, max_examples=200, name=""
                  ) -> HoldsForAllExpectation:
    """Expect ``statement(instance)`` — returning a bool or a
    :class:`lrtheory.falsify.Outcome` — for every instance of the hypothesis
    ``strategy``: refuted with the shrunk counterexample the falsifier finds, else
    confirmed with the worst score (slack) seen."""
    if not callable(statement):
        raise ArgumentError("statement", "must be callable: statement(instance) -> bool")
    return HoldsForAllExpectation(strategy, statement,
                                  int_arg("max_examples", max_examples, 1, 100_000), name)
