"""The sharpness at the limit of GD — the edge-of-stability statement "GD at learning rate
h converges to a point whose sharpness λ_max(∇²f) is at most 2/h" (Cohen et al., ICLR
2021; Lewkowycz et al., 2020), or equal to / at least a stated value.

For each start and learning rate, :func:`lrtheory.expect.gd.study_run` runs GD and seeks
a contraction certificate: a box B about the numerical limit on which G is a contraction
into itself, entered by the ball orbit of the exact start — GD then converges to the unique
fixed point x* of G in B.  λ_max(∇²f(x*)) is then compared with the stated value for every
point of B at once (:func:`lrtheory.expect.hessian.ball_compare`: Sylvester's criterion on
cI − ∇²f(B) for "below", a Rayleigh quotient for "above"), so the verdict holds for x*.

Stated values may use the learning rate ``h`` (``at_most = "2/h"``).  A run certified to
diverge or to converge to a cycle refutes the statement; a run without certificate leaves
it inconclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from ..objectives import Objective
from .base import (ArgumentError, Expectation, Stated, expr_arg, int_arg, numbers_arg,
                   objective_arg, point_text, points_arg, show, tolerance_arg)

#: The learning rate as it may appear in stated values.
H = sp.Symbol("h", positive=True)
STEPS = 10_000


def tight_limit(obj: Objective, centre, radius: float):
    """Balls enclosing the limit x* of a contraction certificate (the unique fixed point of
    G in the box ``centre`` ± ``radius``) tightly: Newton's method on ∇f = 0 in mpmath from
    the centre, then a Krawczyk test (:func:`lrtheory.certify.krawczyk_test`) on a box of
    half-width 10^(−DPS/2) about the result; a zero of ∇f in that box inside the
    certificate's box is x*.  Falls back to the certificate's box."""
    import mpmath
    from flint import arb

    from ..certify import krawczyk_test
    from .gd import DPS
    box = [arb(str(c)) + arb(0, radius) for c in centre]
    x = mpmath.matrix([mpmath.mpf(str(c)) for c in centre])
    with mpmath.workdps(DPS + 10):
        for _ in range(60):
            try:
                step = mpmath.lu_solve(obj.mpmath.hess(list(x)),
                                       mpmath.matrix(obj.mpmath.grad(list(x))))
            except ZeroDivisionError:
                return box
            x -= step
            if mpmath.norm(step) < mpmath.mpf(10) ** (-DPS):
                break
        small = [arb(mpmath.nstr(c, DPS + 5)) + arb(0, 10.0 ** (-DPS // 2)) for c in x]
    if not all(b.contains(s) for b, s in zip(box, small)):
        return box
    test = krawczyk_test(lambda z: obj.arb.grad(z), lambda z: obj.arb.hess(z), small)
    return test.balls() if test.proved else box


def box_sharpness(obj: Objective, box):
    """(ball Hessian on ``box`` (balls), approximate top eigenvector, approximate λ_max
    at its midpoint)."""
    import mpmath
    from flint import arb
    Hb = obj.arb.hess(box)
    M = obj.mpmath.hess([mpmath.mpf(arb(b.mid()).str(30, radius=False)) for b in box])
    E, Q = mpmath.eigsy(M)
    k = max(range(len(E)), key=lambda i: E[i])
    return Hb, [sp.Float(str(Q[i, k]), 30) for i in range(obj.dim)], float(E[k])


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

    def at_lr(self, h) -> "LimitSharpnessExpectation":
        return replace(self, lrs=(h,))

    def describe(self) -> str:
        return (f"GD on f = {self.objective.expr} from {len(self.starts)} start(s) with h in "
                f"{{{', '.join(map(show, self.lrs))}}} converges to a point of sharpness "
                + " and ".join(s.text() for s in self.stated))

    def evaluate(self, ev, ctx) -> None:
        from ..precision import precision
        from .gd import DPS, study_run
        from .hessian import ball_compare, decide_stated
        obj = self.objective
        ev.precision = f"float64 and mpmath at {DPS} digits; Arb balls at {DPS} digits"
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
            with precision(DPS):
                Hb, vec, top = box_sharpness(obj, tight_limit(obj, centre, r))
                ev.approx(f"run{i}_sharpness", top, rel_tol=1e-9, abs_tol=1e-12,
                          note=f"λ_max at the limit of {run}")
                for s in self.stated:
                    s = replace(s, value=s.value.subs(H, h))
                    verdict, method, _ = decide_stated(
                        lambda c: ball_compare(Hb, c, vec, top), s)
                    limit = ", ".join(f"{c:.12g}" for c in centre)
                    ev.finding(f"{run} converges (contraction certificate, entered at step "
                               f"{facts.entered}) to x* ≈ ({limit}) with λ_max ≈ {top:.12g}; "
                               f"stated λ_max {s.text()}",
                               verdict, method, "λ_max compared on the whole certified box")
            rows.append([point_text(obj.vars, x0), show(h), facts.label, f"{top:.12g}"])
        ev.table(f"GD runs ({self.steps} steps)", ["start", "h", "mpmath", "λ_max at the limit"],
                 rows)

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


def limit_sharpness(objective, vars=None, *, starts, lr, equals=None, at_most=None,
                    at_least=None, tolerance=None, digits=None, steps=STEPS
                    ) -> LimitSharpnessExpectation:
    """Expect GD on ``objective`` from every start of ``starts`` with every learning rate
    of ``lr`` (one or a list) to converge (certified) to a point whose sharpness equals
    ``equals``, is at most ``at_most`` and/or at least ``at_least`` — values may use the
    learning rate ``h`` (``at_most="2/h"``), held to ``tolerance`` (or ``digits``
    decimals) when given."""
    obj = objective_arg(objective, vars)
    return LimitSharpnessExpectation(
        obj, points_arg("starts", starts, obj.dim), numbers_arg("lr", lr, positive=True),
        _stated_in_h(equals=equals, at_most=at_most, at_least=at_least,
                     tolerance=tolerance, digits=digits),
        int_arg("steps", steps, 1, 1_000_000))
