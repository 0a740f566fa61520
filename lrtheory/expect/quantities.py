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
proves it for every start at once
(:func:`lrtheory.dynamics.quantities.conserved_identically`).  So float noise is never a
counterexample: a refuting step is one whose sign is exact or certain in ball arithmetic,
named in the evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from ..dynamics.quantities import (DPS, EXACT_BITS, conserved_identically,  # noqa: F401
                                   difference_sign, quantity_differences,
                                   refined_differences)
from ..objectives import Objective
from .base import (Expectation, choice_arg, expr_arg, int_arg, numbers_arg, objective_arg,
                   point_text, show, starts_or_box, undecided_starts)

DIRECTIONS = ("nonincreasing", "nondecreasing", "conserved")
MAX_STEPS = 100_000


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
    start_box: object = None  # a Box of starts (lrtheory.certify.sets) instead of starts

    def at_lr(self, lr) -> "MonotoneExpectation":
        return replace(self, lrs=(lr,))

    def describe(self) -> str:
        where = f"every start of {self.start_box}" if self.start_box is not None else \
            f"{len(self.starts)} start(s)"
        return (f"{show(self.quantity)} is {self.direction} along GD on f = "
                f"{self.objective.expr} from {where} with h in "
                f"{{{', '.join(map(show, self.lrs))}}} for {self.steps} steps")

    def evaluate(self, ev, ctx) -> None:
        ev.precision = f"exact rationals, then Arb balls at {DPS} digits (up to {16 * DPS} " \
            "when a step is undecided)"
        if self.direction == "conserved" and self._identity(ev):
            return
        if self.start_box is not None:
            self._over_box(ev, ctx)
            return
        rows = []
        for x0, h in ((x0, h) for h in self.lrs for x0 in self.starts):
            ctx.progress(f"GD from {point_text(self.objective.vars, x0)}, h = {show(h)}")
            diffs = refined_differences(self.objective, self.quantity, x0, h, self.steps,
                                        self.direction != "conserved")
            rows.append(self._run(ev, x0, h, diffs))
        ev.table(f"{show(self.quantity)} along GD ({self.steps} steps)",
                 ["start", "h", "exact steps", "steps decided", "first failing step"], rows)

    def _over_box(self, ev, ctx) -> None:
        """Every start of the box (:func:`lrtheory.certify.monotone_sets.
        prove_monotone_over_box`); "conserved" is refuted at exact starts (the corners and
        centre of the box) or left undecided — balls never prove a difference is 0."""
        from ..certify.monotone_sets import prove_monotone_over_box
        box = self.start_box
        if self.direction == "conserved":
            starts = tuple(dict.fromkeys([box.centre(), *box.corners()]))
            inside = tuple(x for x in starts if box.contains(x))
            checked = replace(self, starts=inside, start_box=None)
            sub = type(ev)()
            checked.evaluate(sub, ctx)
            sub.conclude()
            if sub.verdict == "refuted":
                ev.add(sub)
                return
            ev.finding(f"q = {show(self.quantity)} is not conserved identically (q(G_h(x)) − "
                       f"q(x) is not 0 as a function); conservation from every start of "
                       f"{box} is not decided in balls (runs from {len(inside)} exact starts "
                       "of the box found no change)", "inconclusive", "symbolic")
            return
        for h in self.lrs:
            ctx.progress(f"branch and bound over {box}, h = {show(h)}")
            proof = prove_monotone_over_box(self.objective, self.quantity, h, box,
                                            self.steps, self.direction)
            ev.rests_on(proof)
            self._report_box(ev, proof, h)

    def _report_box(self, ev, proof, h) -> None:
        q, box = show(self.quantity), self.start_box
        run = f"GD with h = {show(h)} from every start of {box}"
        tag = "" if len(self.lrs) == 1 else f"h={show(h)} "
        ev.exact(f"{tag}boxes", proof.boxes, "boxes of starts decided by the branch and bound")
        if proof.verdict == "proved":
            ev.finding(f"{run}: {q} is {self.direction} at each of the {self.steps} steps",
                       "proved", "interval", "ball images of every box of starts (mean-value "
                       "form), the difference q(G(x)) − q(x) enclosed on each")
        elif proof.verdict == "refuted":
            x0 = ", ".join(f"{v} = {c}" for v, c in zip(self.objective.vars,
                                                        proof.counterexample))
            k = proof.failing_step
            ev.exact(f"{tag}counterexample", x0)
            ev.finding(f"{run}: from {x0} (inside the box), q(x_{k + 1}) − q(x_{k}) = "
                       f"{proof.difference}, so {q} is not {self.direction}", "refuted",
                       proof.recheck, "the sign re-checked at that start alone "
                       f"({'exact rationals' if proof.recheck == 'exact' else 'Arb balls'})")
        else:
            left = undecided_starts(ev, f"{tag}undecided_measure", proof.undecided,
                                    proof.undecided_measure)
            ev.finding(f"{run}: {q} is {self.direction} from the starts outside {left}, "
                       "which are undecided", "inconclusive",
                       "interval", "a difference enclosure there holds 0 (near a stationary "
                       "point the difference vanishes) or the box budget ran out")

    def _identity(self, ev) -> bool:
        """q(G_h(x)) − q(x) ≡ 0 for each learning rate
        (:func:`lrtheory.dynamics.quantities.conserved_identically`): proved for every
        start."""
        if not all(conserved_identically(self.objective, self.quantity, h) for h in self.lrs):
            return False
        ev.finding(f"q(x − h∇f(x)) − q(x) ≡ 0 for q = {show(self.quantity)}: q is conserved "
                   "by every GD step, from every start", "proved", "symbolic")
        return True

    def _run(self, ev, x0, h, diffs) -> list:
        want = {"nonincreasing": (-1, 0), "nondecreasing": (1, 0), "conserved": (0,)}[
            self.direction]
        run = f"GD from {point_text(self.objective.vars, x0)} with h = {show(h)}"
        signs = [difference_sign(d, exact) for d, exact in diffs]
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


def monotone(objective, vars=None, *, quantity, lr, steps, direction, starts=None,
             start_box=None) -> MonotoneExpectation:
    """Expect ``quantity`` (an expression in the variables) to be ``direction``
    ("nonincreasing", "nondecreasing" or "conserved") along GD on ``objective`` from every
    start of ``starts`` — or of the bounded box ``start_box`` (one interval per variable)
    — with every learning rate of ``lr`` for ``steps`` steps (see the module docstring
    for how each step is decided)."""
    obj = objective_arg(objective, vars)
    points, box = starts_or_box(starts, start_box, obj.dim)
    return MonotoneExpectation(obj, expr_arg("quantity", quantity, obj.vars), points,
                               numbers_arg("lr", lr, positive=True),
                               choice_arg("direction", direction, DIRECTIONS),
                               int_arg("steps", steps, 1, MAX_STEPS), box)
