"""Quantities along GD: the differences q(x_{k+1}) − q(x_k) of a function q of the
iterates x_{k+1} = G(x_k) = x_k − lr∇f(x_k), exactly in rationals while the orbit is
rational and small, then in Arb balls — so that each difference has a certain sign or is
named undecided (:func:`quantity_differences`, :func:`difference_sign`; the precision
raised while a sign is undecided by :func:`refined_differences`).  Conservation for every
start at once is the identity q(G(x)) − q(x) ≡ 0 (:func:`conserved_identically`).  The
claim kind "monotone" (:mod:`lrtheory.expect.quantities`) decides "q is nonincreasing /
nondecreasing / conserved along GD" with them.
"""
from __future__ import annotations

import sympy as sp

from ..aliases import lr_keyword
from ..objectives import Objective

__all__ = ["quantity_differences", "refined_differences", "difference_sign",
           "conserved_identically", "EXACT_BITS", "DPS"]

DPS = 60
#: Size (bits of numerators and denominators) up to which iterates are kept exact.
EXACT_BITS = 4000


def _bits(x) -> int:
    """The largest bit size of the numerators and denominators of a rational point."""
    return max(max(int(c.p).bit_length(), int(c.q).bit_length()) for c in x)


@lr_keyword
def quantity_differences(obj: Objective, q: sp.Expr, x0, lr, steps: int, dps: int = DPS):
    """The differences d_k = q(x_{k+1}) − q(x_k), k < steps, of a quantity ``q`` along GD
    x_{k+1} = x_k − lr∇f(x_k) from ``x0`` at ``lr``: a list of (d_k, exact) — an fmpq while
    the orbit is exact (rational f, q, h and start, iterates below :data:`EXACT_BITS`
    bits), then an arb ball at ``dps`` digits enclosing the true difference (the ball
    orbit from the last exact iterate encloses the true one).  The start may be a point of
    balls (a box of starts): the differences then enclose those of every start in it."""
    from flint import fmpq

    from ..evaluators import compile_exprs, to_arb
    from ..objectives import to_fmpq
    from ..precision import precision
    balls = any(type(c).__name__ == "arb" for c in x0)
    h = lr
    rational = not balls and all(sp.sympify(c).is_Rational for c in (*x0, h)) and \
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
            x = [c if type(c).__name__ == "arb" else to_arb(c) for c in x0]
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


def difference_sign(d, exact: bool):
    """The sign of a difference of :func:`quantity_differences`: +1, 0 or −1 when certain
    (0 only for an exact fmpq, never from a ball), None when the ball ``d`` holds 0 or is
    not finite."""
    if exact:
        return (d > 0) - (d < 0)
    if not d.is_finite() or d.contains(0):
        return None
    return 1 if d > 0 else -1


@lr_keyword
def refined_differences(obj: Objective, q: sp.Expr, x0, lr, steps: int,
                        raise_precision: bool = True) -> list:
    """:func:`quantity_differences` at :data:`DPS` digits and — with ``raise_precision``,
    while the sign of some ball difference is undecided (:func:`difference_sign`) — at 4
    and 16 times as many: as the orbit converges to a limit where q ≠ 0 the differences
    shrink geometrically while the balls of q(x_k) keep a width of about 10^(−dps)·|q|."""
    for dps in (DPS, 4 * DPS, 16 * DPS):
        diffs = quantity_differences(obj, q, x0, lr, steps, dps)
        if not raise_precision or None not in [difference_sign(d, e) for d, e in diffs]:
            return diffs
    return diffs


@lr_keyword
def conserved_identically(obj: Objective, q: sp.Expr, lr) -> bool:
    """Whether q(x − lr∇f(x)) − q(x) simplifies to 0 as a function of x (sympy): then q is
    conserved by every GD step from every start.  False means only that sympy did not
    show it."""
    image = dict(zip(obj.vars, obj.gd_map_exprs(lr)))
    return sp.simplify(q.xreplace(image) - q) == 0
