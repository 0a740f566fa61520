"""A quantity along GD: q(x_k) is nonincreasing, nondecreasing or conserved for
k = 0, …, steps — e.g. the balance x² − y² of a scalar factorization, the loss, a
distance.

The orbit x_{k+1} = x_k − h∇f(x_k) from each start is computed

* exactly, in rationals (:meth:`lrtheory.objectives.Objective.exact`), while the objective
  is a rational function, h and the start are rational and the iterates stay below
  :data:`EXACT_BITS` bits — every difference q(x_{k+1}) − q(x_k) then has an exact sign;
* then in Arb balls at :data:`DPS` digits from the last exact iterate (the ball orbit
  encloses the true one): a difference whose ball lies on the wanted side settles the step,
  one on the wrong side refutes it, one containing 0 leaves the step undecided.

Conservation is also tried symbolically first: q(G_h(x)) − q(x) ≡ 0 as a function of x
proves it for every start at once.  So float noise is never a counterexample: a refuting
step is one whose sign is exact or certain in ball arithmetic, named in the evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from ..objectives import Objective
from .base import (Expectation, choice_arg, expr_arg, int_arg, numbers_arg, objective_arg,
                   point_text, points_arg, show)

DIRECTIONS = ("nonincreasing", "nondecreasing", "conserved")
DPS = 60
#: Size (bits of numerators and denominators) up to which iterates are kept exact.
EXACT_BITS = 4000
MAX_STEPS = 100_000


def _bits(x) -> int:
    return max(max(int(c.p).bit_length(), int(c.q).bit_length()) for c in x)


def quantity_differences(obj: Objective, q: sp.Expr, x0, h, steps: int, dps: int = DPS):
    """The differences d_k = q(x_{k+1}) − q(x_k), k < steps, along GD from ``x0`` at
    ``h``: a list of (d_k, exact) — an fmpq while the orbit is exact, then an arb ball at
    ``dps`` digits."""
    from flint import fmpq

    from ..evaluators import compile_exprs, to_arb
    from ..objectives import to_fmpq
    from ..precision import precision
    rational = all(sp.sympify(c).is_Rational for c in (*x0, h)) and \
        all(e.is_rational_function(*obj.vars) for e in (*obj.gradient, q))
    out = []
    if rational:
        qx = compile_exprs([q], obj.vars, "fmpq")
        x = [to_fmpq(c) for c in x0]
        hq = to_fmpq(h)
        prev = fmpq(qx(*x)[0])
        while len(out) < steps and _bits(x) <= EXACT_BITS:
            try:
                x = obj.exact.gd_step(x, hq)
                cur = fmpq(qx(*x)[0])
            except ZeroDivisionError:
                return out
            out.append((cur - prev, True))
            prev = cur
        x0 = [sp.Rational(int(c.p), int(c.q)) for c in x]
    if len(out) < steps:
        qb = compile_exprs([q], obj.vars, "arb")
        with precision(dps):
            x = [to_arb(c) for c in x0]
            hb = to_arb(h)
            prev = qb(*x)[0]
            while len(out) < steps:
                x = obj.arb.gd_step(x, hb)
                cur = qb(*x)[0]
                out.append((cur - prev, False))
                prev = cur
                if not cur.is_finite():
                    out += [(cur, False)] * (steps - len(out))
    return out


def _sign(d, exact: bool):
    """+1, 0 or −1 when certain (0 only exactly), None when the ball holds 0."""
    if exact:
        return (d > 0) - (d < 0)
    if not d.is_finite() or d.contains(0):
        return None
    return 1 if d > 0 else -1


@dataclass(frozen=True, eq=False)
class MonotoneExpectation(Expectation):
    """``quantity`` is ``direction`` along GD on ``objective`` from every start of
    ``starts`` with every learning rate of ``lrs`` for ``steps`` steps."""

    kind = "monotone"
    objective: Objective
    quantity: sp.Expr
    starts: tuple
    lrs: tuple
    direction: str
    steps: int

    def at_lr(self, h) -> "MonotoneExpectation":
        return replace(self, lrs=(h,))

    def describe(self) -> str:
        return (f"{show(self.quantity)} is {self.direction} along GD on f = "
                f"{self.objective.expr} from {len(self.starts)} start(s) with h in "
                f"{{{', '.join(map(show, self.lrs))}}} for {self.steps} steps")

    def evaluate(self, ev, ctx) -> None:
        ev.precision = f"exact rationals, then Arb balls at {DPS} digits (up to {16 * DPS} " \
            "when a step is undecided)"
        if self.direction == "conserved" and self._identity(ev):
            return
        rows = []
        for x0, h in ((x0, h) for h in self.lrs for x0 in self.starts):
            ctx.progress(f"GD from {point_text(self.objective.vars, x0)}, h = {show(h)}")
            diffs = self._differences(x0, h)
            rows.append(self._run(ev, x0, h, diffs))
        ev.table(f"{show(self.quantity)} along GD ({self.steps} steps)",
                 ["start", "h", "exact steps", "steps decided", "first failing step"], rows)

    def _differences(self, x0, h) -> list:
        """The differences along the run, at :data:`DPS` digits and — while a ball step is
        undecided and none is refuted — at 4 and 16 times as many (differences shrink
        geometrically as the orbit converges)."""
        for dps in (DPS, 4 * DPS, 16 * DPS):
            diffs = quantity_differences(self.objective, self.quantity, x0, h, self.steps, dps)
            signs = [_sign(d, exact) for d, exact in diffs]
            if None not in signs or self.direction == "conserved":
                return diffs
        return diffs

    def _identity(self, ev) -> bool:
        """q(G_h(x)) − q(x) ≡ 0 for each learning rate: proved for every start."""
        obj = self.objective
        ok = []
        for h in self.lrs:
            image = dict(zip(obj.vars, obj.gd_map_exprs(h)))
            ok.append(sp.simplify(self.quantity.xreplace(image) - self.quantity) == 0)
        if not all(ok):
            return False
        ev.finding(f"q(x − h∇f(x)) − q(x) ≡ 0 for q = {show(self.quantity)}: q is conserved "
                   "by every GD step, from every start", "proved", "symbolic")
        return True

    def _run(self, ev, x0, h, diffs) -> list:
        want = {"nonincreasing": (-1, 0), "nondecreasing": (1, 0), "conserved": (0,)}[
            self.direction]
        run = f"GD from {point_text(self.objective.vars, x0)} with h = {show(h)}"
        signs = [_sign(d, exact) for d, exact in diffs]
        exact_steps = sum(1 for _, e in diffs if e)
        bad = next((k for k, s in enumerate(signs) if s is not None and s not in want), None)
        undecided = [k for k, s in enumerate(signs) if s is None]
        if bad is not None:
            d, exact = diffs[bad]
            value = str(d) if exact else d.str(10)
            ev.finding(f"{run}: q(x_{bad + 1}) − q(x_{bad}) = {value}, so "
                       f"{show(self.quantity)} is not {self.direction}", "refuted",
                       "exact" if exact else "interval",
                       "the sign of the difference is exact" if exact else
                       "the ball of the difference excludes 0")
        elif undecided:
            ev.finding(f"{run}: {len(signs) - len(undecided)} of {len(signs)} steps are "
                       f"{self.direction}; the sign of q(x_(k+1)) − q(x_k) is not decided at "
                       f"{len(undecided)} step(s), first k = {undecided[0]}", "inconclusive",
                       "interval",
                       "a ball difference contains 0" + (" (conservation is proved only "
                                                          "exactly)" if 0 in want else ""))
        else:
            ev.finding(f"{run}: {show(self.quantity)} is {self.direction} at each of the "
                       f"{len(signs)} steps", "proved",
                       "exact" if exact_steps == len(signs) else "exact, interval",
                       f"{exact_steps} steps in exact rationals, {len(signs) - exact_steps} "
                       "in Arb balls")
        return [point_text(self.objective.vars, x0), show(h), exact_steps,
                len(signs) - len(undecided), "-" if bad is None else bad]


def monotone(objective, vars=None, *, quantity, starts, lr, steps, direction
             ) -> MonotoneExpectation:
    """Expect ``quantity`` (an expression in the variables) to be ``direction``
    ("nonincreasing", "nondecreasing" or "conserved") along GD on ``objective`` from every
    start of ``starts`` with every learning rate of ``lr`` for ``steps`` steps (see the
    module docstring for how each step is decided)."""
    obj = objective_arg(objective, vars)
    return MonotoneExpectation(obj, expr_arg("quantity", quantity, obj.vars),
                               points_arg("starts", starts, obj.dim),
                               numbers_arg("lr", lr, positive=True),
                               choice_arg("direction", direction, DIRECTIONS),
                               int_arg("steps", steps, 1, MAX_STEPS))
