"""Identities: whether two expressions a and b are the same function of the variables
(or the same number), decided exactly when possible.

:func:`compare` expands d = a − b, then simplifies it (sympy): d ≡ 0 is an exact
identity.  Otherwise d is evaluated at rational sample points (:data:`SAMPLES`, the
coordinates taken in turn) in Arb balls (:func:`lrtheory.evaluators.to_arb`) at
:data:`DPS` and :data:`DPS_CHECK` digits (:func:`difference_ball`):

* a ball excluding 0 — a certain difference: a ≠ b, with the point and the value of d
  there (exact when d is rational at the point);
* balls holding 0, of radius below 10^(−DPS/2) at every defined sample — "close": equal to
  DPS/2 digits at two precisions (not a proof);
* a wide ball, or no defined sample — "undecided".

The claim kinds modified-field, modified-potential and modified-gradient
(:mod:`lrtheory.expect.modified`) judge a stated modified equation with it.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Comparison", "compare", "difference_ball", "SAMPLES", "DPS", "DPS_CHECK"]

#: Precision (decimal digits) of the numerical comparisons, and the raised one.
DPS = 40
DPS_CHECK = 80
#: Rational sample points for numerical comparison (coordinates taken in turn).
SAMPLES = ("1/3", "-2/7", "5/11", "3/5", "-4/9", "7/13", "2/3", "-1/5")


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare`: ``status`` is "equal" (an exact identity), "different"
    (at ``point`` the difference is exactly, or by a rigorous enclosure, not 0), "close"
    (equal to ``digits`` digits at two precisions at every sample point) or "undecided";
    ``method`` says how, ``difference`` the value of a − b at ``point``."""

    status: str
    method: str
    point: tuple = ()
    difference: str = ""
    digits: int = 0


def difference_ball(d: sp.Expr, variables, values, dps: int):
    """An arb ball enclosing d(values) at ``dps`` digits — exact (radius 0) when the value
    is rational — or None where d is not defined or not finite there."""
    from flint import arb

    from .evaluators import to_arb
    from .precision import precision
    v = d.subs(dict(zip(variables, values))) if variables else d
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or v.free_symbols:
        return None
    if v.is_Rational:
        return arb(0) if v == 0 else to_arb(v)
    with precision(dps):
        try:
            ball = to_arb(sp.N(v, dps + 10)) if not v.is_number else to_arb(v)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
    return ball if ball.is_finite() else None


def _sample_points(n: int) -> list:
    """The rational sample points of n coordinates (:data:`SAMPLES` taken in turn)."""
    if not n:
        return [()]
    return [tuple(sp.Rational(SAMPLES[(i + k) % len(SAMPLES)]) for k in range(n))
            for i in range(len(SAMPLES))]


def compare(a: sp.Expr, b: sp.Expr, variables=()) -> Comparison:
    """Whether ``a`` and ``b`` are the same function of ``variables`` (or the same number):
    exactly (expansion, then simplification of a − b), else by evaluation of a − b at
    rational sample points with rigorous balls at :data:`DPS` and :data:`DPS_CHECK`
    digits (module docstring)."""
    variables = tuple(variables)
    d = sp.expand(a - b)
    if d == 0:
        return Comparison("equal", "symbolic")
    if sp.count_ops(d) <= 400 and sp.simplify(d) == 0:
        return Comparison("equal", "symbolic")
    decided = 0
    for pt in _sample_points(len(variables)):
        balls = [difference_ball(d, variables, pt, dps) for dps in (DPS, DPS_CHECK)]
        if balls[0] is None or balls[1] is None:
            continue
        decided += 1
        for ball in balls:
            if not ball.contains(0):
                value = d.subs(dict(zip(variables, pt))) if variables else d
                exact = value.is_Rational
                return Comparison("different", "exact" if exact else "interval", pt,
                                  sp.sstr(value if exact else sp.N(value, 15)))
        if max(b.rad() for b in balls) > 10 ** (-DPS // 2):
            return Comparison("undecided", "interval", pt)
    if decided == 0:
        return Comparison("undecided", "interval")
    return Comparison("close", "interval", digits=DPS // 2)
