"""The sign of the largest Lyapunov exponent λ₁ of GD at a learning rate.

* Rigorous (negative sign): when the orbit of a start provably converges to a cycle of
  period p on a box B where ‖DG^p(B)‖∞ ≤ q < 1 (the convergence certificate of
  :mod:`lrtheory.certify.gd_runs`), λ₁ ≤ log(q)/p < 0 for that start
  (:func:`lrtheory.certify.lyapunov_bounds.negative_exponent_bound`).
* Numerical: :func:`lrtheory.dynamics.lyapunov.largest_exponent_estimate` in float64 and
  in mpmath at :data:`DPS` digits (the precision increase), over ``steps`` steps after a
  ``transient``.  The uncertainty u of λ₁ is the largest of the difference between the
  two precisions, the spread over the starts and the change of the running mean over the
  second half of the run; the sign is decided when |λ₁| > 3u at both precisions, and
  "zero" is confirmed when |λ₁| ≤ 3u ≤ :data:`ZERO_TOLERANCE`.

A numerical estimate contradicting the stated sign is reported, but it is not a
refutation (Lyapunov exponents are not certified): the verdict is then inconclusive.
"""
from __future__ import annotations

import math as _math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..objectives import Objective
from .base import (Expectation, choice_arg, int_arg, number_arg, objective_arg, point_text,
                   points_arg, show)

SIGNS = ("positive", "negative", "zero")
DPS = 30
ZERO_TOLERANCE = 0.01


@dataclass(frozen=True, eq=False)
class LyapunovSignExpectation(Expectation):
    """The largest Lyapunov exponent of GD on ``objective`` at ``lr`` from ``starts`` has
    the stated ``sign``."""

    kind = "lyapunov-sign"
    objective: Objective
    lr: sp.Expr
    starts: tuple
    sign: str
    steps: int = 20_000
    transient: int = 1_000

    def at_lr(self, lr) -> "LyapunovSignExpectation":
        from dataclasses import replace
        return replace(self, lr=lr)

    def describe(self) -> str:
        return (f"the largest Lyapunov exponent of GD on f = {self.objective.expr} at "
                f"h = {show(self.lr)} is {self.sign}")

    def evaluate(self, ev, ctx) -> None:
        obj = self.objective
        ev.precision = f"float64 and mpmath at {DPS} digits"
        bound = self._certified_negative(ctx)
        if bound is not None:
            p, q = bound
            ev.approx("lambda1_upper_bound", _math.log(q) / p, rel_tol=1e-6,
                      note="log(q)/p from the contraction certificate")
            ev.finding(f"λ₁ ≤ log({q:.6g})/{p} = {_math.log(q) / p:.6g} < 0: every start "
                       f"converges to an attracting cycle of period {p} (contraction "
                       "certificate)", "proved" if self.sign == "negative" else "refuted",
                       "interval")
            return
        from ..dynamics.lyapunov import largest_exponent_estimate
        ctx.progress("Lyapunov exponents")
        X = np.array([[float(c) for c in x] for x in self.starts])
        fast, precise = (largest_exponent_estimate(obj, self.lr, X, self.steps, self.transient,
                                                   backend, DPS)
                         for backend in ("float64", "mpmath"))
        ev.table("Largest Lyapunov exponent", ["precision", "mean λ₁", "spread over starts",
                                               "drift of the running mean", "diverged"],
                 [["float64", *fast], [f"mpmath {DPS}", *precise]],
                 note=f"{self.steps} steps after {self.transient}; starts: "
                      + "; ".join(point_text(obj.vars, x) for x in self.starts))
        if fast[3] or precise[3] or not _math.isfinite(fast[0] + precise[0]):
            ev.finding("Some runs diverged: no Lyapunov exponent", "inconclusive", "float64")
            return
        u = max(abs(fast[0] - precise[0]), fast[1], precise[1], fast[2], precise[2])
        lam = fast[0]
        ev.approx("lambda1", lam, rel_tol=0.0, abs_tol=3 * u + 1e-12,
                  note="float64 estimate; tolerance 3u")
        found = "positive" if min(fast[0], precise[0]) > 3 * u else \
            "negative" if max(fast[0], precise[0]) < -3 * u else \
            "zero" if max(abs(fast[0]), abs(precise[0])) <= 3 * u <= ZERO_TOLERANCE else None
        text = f"λ₁ ≈ {lam:.6g} (mpmath {precise[0]:.6g}), uncertainty u = {u:.2g}"
        if found == self.sign:
            ev.finding(f"λ₁ is {self.sign}: {text}", "confirmed", "float64, mpmath")
        elif found is None:
            ev.finding(f"The sign of λ₁ is not decided: {text}", "inconclusive", "float64")
        else:
            ev.finding(f"λ₁ looks {found}, not {self.sign}: {text} (a numerical estimate, "
                       "not a certificate)", "inconclusive", "float64, mpmath")

    def _certified_negative(self, ctx):
        """(p, q) when every start provably converges to a contracting p-cycle
        (:func:`lrtheory.certify.lyapunov_bounds.negative_exponent_bound`)."""
        from ..certify.lyapunov_bounds import negative_exponent_bound
        return negative_exponent_bound(
            self.objective, self.starts, self.lr, min(self.steps, 10_000),
            lambda x0: ctx.progress("convergence certificate from "
                                    f"{point_text(self.objective.vars, x0)}"))


def lyapunov_sign(objective, vars=None, *, lr, starts, sign, steps=20_000, transient=1_000
                  ) -> LyapunovSignExpectation:
    """Expect the largest Lyapunov exponent of GD on ``objective`` at learning rate ``lr``
    from ``starts`` to be ``sign`` ("positive", "negative" or "zero")."""
    obj = objective_arg(objective, vars)
    return LyapunovSignExpectation(obj, number_arg("lr", lr, positive=True),
                                   points_arg("starts", starts, obj.dim),
                                   choice_arg("sign", sign, SIGNS),
                                   int_arg("steps", steps, 100, 10**6),
                                   int_arg("transient", transient, 0, 10**6))
