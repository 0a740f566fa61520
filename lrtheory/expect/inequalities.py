"""Inequalities: ``lhs ≤ rhs`` (or <, ≥, >) on a box, and any statement over a hypothesis
strategy (the falsifier, :func:`lrtheory.falsify.falsify`).

:func:`inequality` works on g = rhs − lhs (≥ 0 wanted; for ≥ and >, g = lhs − rhs):

1. :func:`lrtheory.certify.margins.prove_nonnegative` — branch and bound with g in Arb
   balls, a second-order (convexity) certificate about the rational points where g and
   ∇g vanish exactly (a tight inequality), and a grid falsifier — **proves** it, or
   **refutes** it with a rational counterexample, which is checked exactly (or by a
   certain ball sign, :class:`lrtheory.certify.falsifier.PointMargin`) and shrunk to
   simple coordinates (:func:`lrtheory.certify.falsifier.shrink_counterexample`);
2. a g with a constant, exactly positive semidefinite Hessian that vanishes with its
   gradient at such a point is convex, so ≥ 0 everywhere (AM-GM touching along a line);
3. otherwise the falsifier searches rational points of the box, each decided exactly (or
   by a ball whose sign is certain), shrinking a counterexample to a simple one:
   **refuted** with it, else **inconclusive**, naming the undecided sub-boxes and their
   share of the box (samples are not a proof).

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
DPS = 40


def _inner(v: sp.Expr, rounding) -> Fraction:
    """``v`` as a Fraction, rounded inward to a multiple of 1/64 when not rational."""
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return Fraction(int(rounding(v * 64)), 64)


def _float(v) -> float:
    """An fmpq, an integer or the midpoint of an arb as a float."""
    if hasattr(v, "mid"):
        return float(v.mid())
    if hasattr(v, "p"):
        return float(Fraction(int(v.p), int(v.q)))
    return float(v)


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
        proof = self._proof()
        ev.rests_on(proof)
        touch = "; ".join(point_text(self.variables, c) for c in proof.touching[:3]) + \
            ("; …" if len(proof.touching) > 3 else "")
        if proof.verdict == "proved":
            ev.exact("boxes", proof.boxes, "sub-boxes of the proof")
            extra = "" if not proof.convex_boxes else (
                f"; {proof.convex_boxes} sub-box(es) about the point(s) where lhs = rhs "
                f"exactly ({touch}) by convexity: g lies above its tangent plane, which is 0")
            ev.finding(f"{self.describe()}: every one of {proof.boxes} sub-boxes has g "
                       f"certainly {'>' if self.strict else '≥'} 0 in ball arithmetic{extra}",
                       "proved", "interval", "lrtheory.certify.prove_nonnegative")
            return
        if proof.verdict == "refuted":
            point = tuple(sp.Rational(c) for c in proof.counterexample[0])
            if self._sign(point)[0] is False:
                return self._counterexample(ev, self._shrunk(point),
                                            "found by branch and bound, checked and shrunk "
                                            "at the point")
        from ..certify.margins import convex_quadratic
        if not self.strict and proof.touching and convex_quadratic(self.gap, self.variables):
            ev.finding(f"{self.describe()}: g = rhs − lhs has a constant Hessian, exactly "
                       f"positive semidefinite, so g is convex and lies above its tangent "
                       f"plane at a point where g = 0 and ∇g = 0 exactly ({touch}): g ≥ 0",
                       "proved", "exact")
            return
        self._falsify(ev, ctx, proof)

    def _proof(self):
        """:func:`lrtheory.certify.prove_nonnegative` for g on the box (irrational ends
        rounded outward to rationals: a proof covers the box, a counterexample is checked
        inside it)."""
        from ..certify.margins import prove_nonnegative
        from ..certify.sets import box
        ends = [[_rational_out(lo, sp.floor), _rational_out(hi, sp.ceiling)]
                for lo, hi in self.box]
        with _precision():
            return prove_nonnegative(self.gap, self.variables, box(ends, len(ends)),
                                     strict=self.strict)

    def _shrunk(self, point) -> tuple:
        """A simpler counterexample
        (:func:`lrtheory.certify.falsifier.shrink_counterexample`)."""
        from ..certify.falsifier import shrink_counterexample
        return shrink_counterexample(point, self.box, lambda p: self._sign(p)[0] is False)

    def _counterexample(self, ev, point, how: str) -> None:
        ev.exact("counterexample", point_text(self.variables, point))
        ev.finding(f"Counterexample at {point_text(self.variables, point)}: "
                   f"{self._values(point)}", "refuted",
                   "exact" if self._sign.exact else "interval", how)

    def _values(self, point) -> str:
        _, _, lhs, rhs = self._sign(point)
        num = lambda v: str(v) if self._sign.exact else \
            v.mid().str(15, radius=False)  # noqa: E731
        return f"lhs = {num(lhs)}, rhs = {num(rhs)}"

    @cached_property
    def _sign(self):
        """(holds, g, lhs, rhs) at an exact point
        (:class:`lrtheory.certify.falsifier.PointMargin`)."""
        from ..certify.falsifier import PointMargin
        return PointMargin(self.gap, self.lhs, self.rhs, self.variables, self.strict, DPS)

    def _falsify(self, ev, ctx, search) -> None:
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
        else:
            whole = _measure([tuple((float(lo), float(hi)) for lo, hi in self.box)])
            share = search.measure / whole if whole else 1.0
            worst = f"; smallest relative slack {-rep.worst_held:.3g}" if rep.held else ""
            ev.exact("undecided_boxes", len(search.undecided))
            ev.finding(f"Not decided on {len(search.undecided)} sub-box(es) covering "
                       f"{share:.3g} of the box (the first: {_box_text(search.undecided[0])}); "
                       f"no counterexample among {rep.held} rational points checked exactly"
                       f"{worst} — samples are not a proof", "inconclusive", "interval")


def _rational_out(v: sp.Expr, rounding) -> sp.Rational:
    """``v`` itself when rational, else rounded outward to a multiple of 2^-40."""
    return v if v.is_Rational else sp.Rational(int(rounding(v * 2**40)), 2**40)


def _precision():
    from ..precision import precision
    return precision(DPS)


def _measure(boxes) -> float:
    return sum(_math.prod(hi - lo for lo, hi in b) for b in boxes)


def _box_text(box) -> str:
    return " × ".join(f"[{lo:.6g}, {hi:.6g}]" for lo, hi in box)


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
