"""An attracting cycle for at least X % of the learning rates of an interval, by the
certified atlas (:func:`lrtheory.atlas.atlas`).

The statement "GD has an attracting cycle for at least X % of h in [A, B]" is

* ``proved`` when the boxes proved ``attracting`` (a Krawczyk-certified cycle with
  |multiplier| < 1 at every h of the box) measure at least X % of B − A;
* ``refuted`` when the boxes proved free of attracting cycles (every critical orbit
  escapes and the Schwarzian is negative, so by Singer's theorem no attracting cycle
  exists; or an affine map — one variable, or two — with a multiplier outside the unit
  disc) measure more than (100 − X) % of B − A;
* ``inconclusive`` otherwise, naming the undecided measure.  Chaotic boxes count for
  neither side: positive entropy does not exclude an attracting cycle (the periodic
  windows of the quadratic family have both).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from ..objectives import Objective
from .base import (ArgumentError, Expectation, int_arg, number_arg, objective_arg, pair_arg,
                   show)

__all__ = ["attracting_measure", "AtlasExpectation"]


@dataclass(frozen=True, eq=False)
class AtlasExpectation(Expectation):
    """GD on ``objective`` has an attracting cycle for at least ``at_least`` % of the
    learning rates of ``lr_range`` (cycles of period ≤ ``max_period``)."""

    kind = "atlas"
    objective: Objective
    lr_range: tuple
    at_least: sp.Expr
    max_period: int = 8
    boxes: int = 16
    max_depth: int = 4

    def describe(self) -> str:
        a, b = self.lr_range
        return (f"GD on f = {self.objective.expr} has an attracting cycle for at least "
                f"{show(self.at_least)} % of h in [{show(a)}, {show(b)}]")

    def evaluate(self, ev, ctx) -> None:
        from ..atlas import atlas
        ctx.progress("certified learning-rate atlas")
        res = atlas(self.objective, lr_range=self.lr_range, boxes=self.boxes,
                    max_period=self.max_period, max_depth=self.max_depth)
        total = res.measure("attracting") + res.measure("chaotic") + \
            res.measure("divergent") + res.measure("undecided")
        share = Fraction(int(self.at_least.p), int(self.at_least.q)) / 100
        attracting, free = res.measure("attracting"), res.measure("no_attractor")
        ev.precision = "ball arithmetic (python-flint), parametric Krawczyk tests"
        ev.table("Certified atlas", ["h from", "h to", "class", "period", "entropy >=",
                                     "unique"], res.table(),
                 note="every h of each box has the class proved")
        for name in ("attracting", "chaotic", "divergent", "undecided", "no_attractor"):
            ev.exact(f"{name} measure", sp.Rational(res.summary[name]["measure"]),
                     f"proved measure of {name} learning rates")
        method = "interval"
        if attracting >= share * total:
            ev.finding(f"An attracting cycle is proved for h in boxes of total measure "
                       f"{res.summary['attracting']['measure']} "
                       f"({100 * float(attracting / total):.2f} % >= {show(self.at_least)} %)",
                       "proved", method, "parametric Krawczyk certificates, |multiplier| < 1")
        elif free > (1 - share) * total:
            ev.finding(f"No attracting cycle exists for h in boxes of total measure "
                       f"{res.summary['no_attractor']['measure']} "
                       f"({100 * float(free / total):.2f} % > {100 - float(share * 100):.2f}"
                       f" %)", "refuted", method,
                       "every critical orbit escapes with negative Schwarzian (Singer's "
                       "theorem), or an affine map with a multiplier of modulus > 1")
        else:
            ev.finding(f"Attracting cycles are proved on {100 * float(attracting / total):.2f}"
                       f" % of the interval, their absence on "
                       f"{100 * float(free / total):.2f} %; undecided: "
                       f"{res.summary['undecided']['measure']} (chaotic boxes, "
                       f"{res.summary['chaotic']['measure']}, decide neither)",
                       "inconclusive", method)


def attracting_measure(objective, vars=None, lr_range=None, at_least=None, max_period=8,
                       boxes=16, max_depth=4) -> AtlasExpectation:
    """GD has an attracting cycle for at least ``at_least`` % of h in ``lr_range``
    (module docstring); TOML kind ``atlas``."""
    obj = objective_arg(objective, vars)
    if lr_range is None:
        raise ArgumentError("lr_range", "give the learning rates [A, B]")
    a, b = pair_arg("lr_range", lr_range, positive=True)
    for key, v in (("lr_range", a), ("lr_range", b)):
        if not v.is_Rational:
            raise ArgumentError(key, f"must be rational, got {show(v)}")
    if at_least is None:
        raise ArgumentError("at_least", "give the percentage X")
    share = number_arg("at_least", at_least)
    if not share.is_Rational or not 0 <= share <= 100:
        raise ArgumentError("at_least", f"must be a rational percentage from 0 to 100, got "
                                        f"{at_least!r}")
    return AtlasExpectation(obj, (a, b), share, int_arg("max_period", max_period, 1, 12),
                            int_arg("boxes", boxes, 1, 100_000),
                            int_arg("max_depth", max_depth, 0, 20))
