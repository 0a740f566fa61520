"""The sharpness at the limit of GD — the edge-of-stability statement "GD at learning rate
h converges to a point whose sharpness λ_max(∇²f) is at most 2/h" (Cohen et al., ICLR
2021; Lewkowycz et al., 2020), or equal to / at least a stated value.

For each start and learning rate, :func:`lrtheory.expect.gd.study_run` runs GD and seeks
a contraction certificate: a box B about the numerical limit on which G is a contraction
into itself, entered by the ball orbit of the exact start — GD then converges to the unique
fixed point x* of G in B.  λ_max(∇²f(x*)) is then compared with the stated value for every
point of B at once (:func:`lrtheory.certify.spectra.compare_top_eigenvalue_on_balls`:
Sylvester's criterion on cI − ∇²f(B) for "below", a Rayleigh quotient for "above"), so the
verdict holds for x*.

Stated values may use the learning rate ``h`` (``at_most = "2/h"``).  A run certified to
diverge or to converge to a cycle refutes the statement; a run without certificate leaves
it inconclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from ..certify.stationary import box_sharpness, tight_limit  # noqa: F401
from ..objectives import Objective
from .base import (ArgumentError, Expectation, Stated, expr_arg, int_arg, numbers_arg,
                   objective_arg, point_text, show, starts_or_box, tolerance_arg,
                   undecided_starts)

#: The learning rate as it may appear in stated values.
H = sp.Symbol("h", positive=True)
STEPS = 10_000


@dataclass(frozen=True, eq=False)
class LimitSharpnessExpectation(Expectation):
    """GD on ``objective`` from every start of ``starts`` with every learning rate of
    ``lrs`` converges to a point whose sharpness satisfies each of ``stated``
    (:class:`~.base.Stated`, values possibly in ``h``)."""

    kind = "limit-sharpness"
    objective: Objective
    starts: tuple
    lrs: tuple
    stated: tuple
    steps: int = STEPS
    start_box: object = None  # a Box of starts (lrtheory.certify.sets) instead of starts

    def at_lr(self, lr) -> "LimitSharpnessExpectation":
        return replace(self, lrs=(lr,))

    def describe(self) -> str:
        where = f"every start of {self.start_box}" if self.start_box is not None else \
            f"{len(self.starts)} start(s)"
        return (f"GD on f = {self.objective.expr} from {where} with h in "
                f"{{{', '.join(map(show, self.lrs))}}} converges to a point of sharpness "
                + " and ".join(s.text() for s in self.stated))

    def evaluate(self, ev, ctx) -> None:
        from ..certify.gd_runs import DPS, study_run
        obj = self.objective
        ev.precision = f"float64 and mpmath at {DPS} digits; Arb balls at {DPS} digits"
        if self.start_box is not None:
            self._over_box(ev, ctx)
            return
        rows = []
        for i, (x0, h) in enumerate((x0, h) for h in self.lrs for x0 in self.starts):
            ctx.progress(f"run {i + 1}: h = {show(h)}")
            facts = study_run(obj, x0, h, self.steps)
            run = f"GD from {point_text(obj.vars, x0)} with h = {show(h)}"
            if facts.limit_box is None or facts.limit_box[2] != 1:
                verdict, method, text = self._no_limit(facts)
                ev.finding(f"{run}: {text}", verdict, method)
                rows.append([point_text(obj.vars, x0), show(h), facts.label, "-"])
                continue
            centre, r, _ = facts.limit_box
            top = self._judge_limit(ev, f"run{i}", h, centre, r,
                                    f"{run} converges (contraction certificate, entered at "
                                    f"step {facts.entered})")
            rows.append([point_text(obj.vars, x0), show(h), facts.label, f"{top:.12g}"])
        ev.table(f"GD runs ({self.steps} steps)", ["start", "h", "mpmath", "λ_max at the limit"],
                 rows)

    def _judge_limit(self, ev, name: str, h, centre, r, run: str) -> float:
        """The stated values against λ_max(∇²f(x*)) for the fixed point x* of the
        contraction box ``centre`` ± ``r`` (enclosed by :func:`tight_limit`, compared on
        the whole enclosure); the numerical λ_max."""
        from ..certify.gd_runs import DPS
        from ..precision import precision
        from ..certify.spectra import compare_top_eigenvalue_on_balls
        from .hessian import decide_stated
        obj = self.objective
        with precision(DPS):
            Hb, vec, top = box_sharpness(obj, tight_limit(obj, centre, r))
            ev.approx(f"{name}_sharpness", top, rel_tol=1e-9, abs_tol=1e-12,
                      note=f"λ_max at the limit: {run}")
            for s in self.stated:
                s = replace(s, value=s.value.subs(H, h))
                verdict, method, _ = decide_stated(
                    lambda c: compare_top_eigenvalue_on_balls(Hb, c, vec, top), s)
                limit = ", ".join(f"{c:.12g}" for c in centre)
                ev.finding(f"{run} to x* ≈ ({limit}) with λ_max ≈ {top:.12g}; stated λ_max "
                           f"{s.text()}", verdict, method,
                           "λ_max compared on the whole certified box")
        return top

    def _over_box(self, ev, ctx) -> None:
        """Every start of the box: its pieces converge to certified limits
        (:func:`lrtheory.certify.limit_sets.limits_over_box`), each limit judged."""
        from ..certify.limit_sets import limits_over_box
        box, obj, rows = self.start_box, self.objective, []
        for i, h in enumerate(self.lrs):
            ctx.progress(f"starts of {box} at h = {show(h)} (branch and bound)")
            cover = limits_over_box(obj, h, box, steps=min(self.steps, 2000))
            ev.rests_on(cover)
            tag = "" if len(self.lrs) == 1 else f"h{i}_"
            ev.exact(f"{tag}boxes", cover.boxes, "boxes of starts decided by the branch "
                                                 "and bound")
            run = f"GD with h = {show(h)} from every start of {box}"
            if cover.counterexample:
                x0 = point_text(obj.vars, cover.counterexample)
                ev.exact(f"{tag}counterexample", x0)
                ev.finding(f"{run}: from {x0} (inside the box) GD {cover.why}, so it does not "
                           "converge to a point", "refuted", "interval")
                continue
            for j, (centre, r) in enumerate(cover.limits):
                pieces = [b for b, k in cover.pieces if k == j]
                if not pieces:
                    continue
                top = self._judge_limit(
                    ev, f"{tag}limit{j}", h, centre, r,
                    f"{run}: the starts of {len(pieces)} box(es) converge (their ball orbits "
                    "enter a contraction box)")
                rows.append([show(h), ", ".join(f"{c:.12g}" for c in centre), len(pieces),
                             f"{top:.12g}"])
            if cover.undecided:
                left = undecided_starts(ev, f"{tag}undecided_measure", cover.undecided,
                                        cover.undecided_measure)
                ev.finding(f"{run}: {left} are not proved to converge", "inconclusive",
                           "interval", "their ball orbits enter no certified contraction box "
                           "(near a non-attracting stationary point, or the box budget ran out)")
        ev.table(f"Limits of GD from the starts of {box}",
                 ["h", "limit x*", "boxes of starts", "λ_max at the limit"], rows)

    @staticmethod
    def _no_limit(facts):
        if facts.limit_box is not None:
            return ("refuted", "interval", f"converges to a cycle of period "
                    f"{facts.limit_box[2]}, not to a point (contraction certificate)")
        if facts.escape:
            return "refuted", "exact, interval", "diverges to infinity (escape certificate)"
        return ("inconclusive", "float64", f"{facts.labels[0]} in float64, {facts.labels[1]} "
                "in mpmath; no convergence certificate, so the limit's sharpness is not "
                "decided")


def _stated_in_h(tolerance=None, digits=None, **values) -> tuple:
    tol = tolerance_arg(tolerance, digits)
    stated = tuple(Stated(k, expr_arg(k, v, (H,)), tol) for k, v in values.items()
                   if v is not None)
    if not stated:
        raise ArgumentError("equals", "give equals, at_most or at_least")
    return stated


def limit_sharpness(objective, vars=None, *, lr, starts=None, start_box=None, equals=None,
                    at_most=None, at_least=None, tolerance=None, digits=None, steps=STEPS
                    ) -> LimitSharpnessExpectation:
    """Expect GD on ``objective`` from every start of ``starts`` — or of the bounded box
    ``start_box`` (one interval per variable; decided over the whole box in balls) — with
    every learning rate of ``lr`` (one or a list) to converge (certified) to a point whose
    sharpness equals
    ``equals``, is at most ``at_most`` and/or at least ``at_least`` — values may use the
    learning rate ``h`` (``at_most="2/h"``), held to ``tolerance`` (or ``digits``
    decimals) when given."""
    obj = objective_arg(objective, vars)
    points, box = starts_or_box(starts, start_box, obj.dim)
    return LimitSharpnessExpectation(
        obj, points, numbers_arg("lr", lr, positive=True),
        _stated_in_h(equals=equals, at_most=at_most, at_least=at_least,
                     tolerance=tolerance, digits=digits),
        int_arg("steps", steps, 1, 1_000_000), box)
