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
    """An fmpq, an integer or the midpoint of an arb as a float."""
    if hasattr(v, "mid"):
        return float(v.mid())
    if hasattr(v, "p"):
        return float(Fraction(int(v.p), int(v.q)))
    return float(v)


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
        status, data = self._branch_and_bound()
        touching = []
        if status == "undecided":
            ctx.progress("touching points")
            touching = self._touching_points(data.undecided)
            zeros = [c for c, _ in touching]
            if self.strict and zeros:
                return self._counterexample(ev, zeros[0], "a point where lhs = rhs exactly, "
                                                          "found by local minimisation")
            regions = [r for _, r in touching if r is not None]
            if regions:
                status, data = self._branch_and_bound(regions)
        if status == "proved":
            ev.exact("boxes", data.boxes, "sub-boxes of the proof")
            touch = "" if not touching else (
                f"; near the {len(touching)} point(s) where lhs = rhs exactly ("
                + "; ".join(point_text(self.variables, c) for c, _ in touching[:3])
                + ("; …" if len(touching) > 3 else "")
                + ") g lies above its tangent plane, which is ≥ 0 on the box (g convex "
                "there: its Hessian is certainly positive definite, or exactly positive "
                "semidefinite and constant)")
            ev.finding(f"{self.describe()}: every one of {data.boxes} sub-boxes has g "
                       f"certainly {'>' if self.strict else '≥'} 0 in ball arithmetic{touch}",
                       "proved", "interval")
            return
        if status == "refuted":
            return self._counterexample(ev, data, "found by branch and bound, checked at "
                                                  "the point")
        return self._falsify(ev, ctx, data)

    def _counterexample(self, ev, point, how: str) -> None:
        ev.exact("counterexample", point_text(self.variables, point))
        ev.finding(f"Counterexample at {point_text(self.variables, point)}: "
                   f"{self._values(point)}", "refuted",
                   "exact" if self._evaluators[1] else "interval", how)

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

    def _branch_and_bound(self, regions=()):
        """("proved" | "refuted" | "undecided", the search or the counterexample): branch
        and bound on g in balls; a sub-box inside one of ``regions`` (where g lies above a
        tangent plane that is ≥ 0, see :meth:`_touching_points`) is settled."""
        from ..certify import ACCEPT, EXCLUDE, SPLIT, branch_and_bound, box_balls
        from ..evaluators import compile_exprs
        from ..precision import precision
        fn = compile_exprs([self.gap], self.variables, "arb")
        strict = self.strict

        def decide(box):
            if any(all(a <= lo and hi <= b for (lo, hi), (a, b) in zip(box, r))
                   for r in regions):
                return EXCLUDE, None
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
            return "proved", search
        return "undecided", search

    # -- touching points: g = 0 at a point, g ≥ 0 around it by convexity ----------------
    @cached_property
    def _derivatives(self):
        g, v = self.gap, self.variables
        grad = [sp.diff(g, x) for x in v]
        return grad, sp.Matrix([[sp.diff(d, y) for y in v] for d in grad])

    def _touching_points(self, undecided) -> list:
        """[(c, region)]: rational points c of the box with g(c) = 0 exactly, where g may
        touch 0 — a local minimum of g (scipy, from the centres of up to 20 undecided
        boxes) rounded to the simplest rational within 10⁻⁶ — and ``region``, a box about
        c on which g is certainly convex (None when none was found).  When moreover
        ∂g/∂x_i(c) is 0 at an interior coordinate, ≥ 0 at a lower end and ≤ 0 at an upper
        end of the box (exactly), then for x in the box and the region
        g(x) ≥ g(c) + ∇g(c)·(x − c) ≥ 0; points failing that condition are dropped."""
        import numpy as np
        from scipy.optimize import minimize

        from ..evaluators import compile_exprs
        g_np = compile_exprs([self.gap], self.variables, "numpy")
        bounds = [(float(lo), float(hi)) for lo, hi in self.box]
        found = []
        for box in list(undecided)[:20]:
            x0 = np.array([(lo + hi) / 2 for lo, hi in box])
            with np.errstate(all="ignore"):
                res = minimize(lambda x: float(g_np(*x)[0]), x0, bounds=bounds,
                               method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
            if not np.all(np.isfinite(res.x)) or abs(res.fun) > 1e-6:
                continue
            c = tuple(sp.Rational(simplest(Fraction(v) - Fraction(1, 10**6),
                                           Fraction(v) + Fraction(1, 10**6)))
                      for v in res.x)
            c = tuple(min(max(ci, lo), hi) for ci, (lo, hi) in zip(c, self.box))
            if c not in [f for f, _ in found] and self._touches(c):
                found.append((c, None if self.strict else self._convex_region(c)))
        return found

    def _touches(self, c) -> bool:
        """g(c) = 0 exactly and the first-order condition of the box holds at c."""
        at = dict(zip(self.variables, c))
        if sp.simplify(self.gap.xreplace(at)) != 0:
            return False
        for d, ci, (lo, hi) in zip(self._derivatives[0], c, self.box):
            dv = sp.simplify(d.xreplace(at))
            need = dv.is_zero if lo < ci < hi else \
                dv.is_nonnegative if ci == lo else dv.is_nonpositive
            if not need:
                return False
        return True

    def _convex_region(self, c):
        """A float box about c (containing c) on which the Hessian of g is positive
        definite for certain (Sylvester's criterion in balls) — the whole box when the
        Hessian is constant, rational and positive semidefinite (exactly) — or None."""
        import math as m

        from ..certify import box_balls
        from ..evaluators import compile_exprs
        from ..precision import precision
        H = self._derivatives[1]
        whole = tuple(_outward(lo, hi) for lo, hi in self.box)
        if all(e.is_Rational for e in H):
            return whole if H.is_positive_semidefinite else None
        fn = compile_exprs(list(H), self.variables, "arb")
        n = len(self.variables)
        width = max(hi - lo for lo, hi in whole)
        for k in range(2, 40):
            r = width * 2.0 ** -k
            region = tuple((m.nextafter(float(ci) - r, -m.inf), m.nextafter(float(ci) + r, m.inf))
                           for ci in c)
            if not all(sp.Rational(a) <= ci <= sp.Rational(b) for ci, (a, b) in zip(c, region)):
                continue
            with precision(DPS):
                Hb = fn(*box_balls(region))
                if all(_minor(Hb, n, j) > 0 for j in range(1, n + 1)):
                    return region
        return None

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
            share = _measure(search.undecided) / _measure(
                [tuple(_outward(lo, hi) for lo, hi in self.box)])
            worst = f"; smallest relative slack {-rep.worst_held:.3g}" if rep.held else ""
            ev.exact("undecided_boxes", len(search.undecided))
            ev.finding(f"Not decided on {len(search.undecided)} sub-box(es) covering "
                       f"{share:.3g} of the box (the first: {_box_text(search.undecided[0])}); "
                       f"no counterexample among {rep.held} rational points checked exactly"
                       f"{worst} — samples are not a proof", "inconclusive", "interval")


def _minor(Hb: list, n: int, k: int):
    """The leading k × k principal minor of the n × n matrix of balls ``Hb`` (row-major)."""
    from flint import arb_mat
    return arb_mat(k, k, [Hb[i * n + j] for i in range(k) for j in range(k)]).det()


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
