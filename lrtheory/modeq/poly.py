"""Exact multivariate polynomials over Q for the modified equations (python-flint).

The recursions of :mod:`lrtheory.modeq` run on python-flint's ``fmpq_mpoly`` (sparse
polynomials with rational coefficients, arithmetic in C); sympy is used only to read an
objective in and to write fields out (display, LaTeX, JSON).  Contexts are created once per
tuple of generator names (python-flint caches them), in lexicographic order.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import sympy as sp
from flint import fmpq, fmpq_mpoly_ctx
from sympy import QQ
from sympy.polys.rings import PolyRing

from ..errors import InputError
from ..parsing import to_expr as checked_expr


def context(names: Sequence[str]) -> fmpq_mpoly_ctx:
    """The python-flint context ``Q[names]`` (lexicographic order)."""
    return fmpq_mpoly_ctx.get(tuple(str(n) for n in names), "lex")


def zero(ctx: fmpq_mpoly_ctx):
    """The zero polynomial of ``ctx``."""
    return ctx.from_dict({})


def from_expr(expr: sp.Expr, symbols: Sequence[sp.Symbol], ctx: fmpq_mpoly_ctx):
    """The sympy polynomial ``expr`` in ``symbols`` (rational coefficients) as an element
    of ``ctx`` (whose generators correspond to ``symbols`` in order)."""
    poly = sp.Poly(checked_expr(expr, tuple(symbols), "polynomial"), *symbols)
    if poly.domain not in (sp.ZZ, sp.QQ):
        raise InputError(f"{expr} is not a polynomial with rational coefficients in "
                         f"{', '.join(map(str, symbols))}")
    return ctx.from_dict({m: fmpq(int(c.p), int(c.q)) for m, c in poly.terms()})


@lru_cache(maxsize=64)
def _sympy_ring(symbols: tuple) -> PolyRing:
    return PolyRing(symbols, QQ)


def to_expr(p, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """The polynomial ``p`` as a sympy expression in ``symbols`` (one per generator)."""
    ring = _sympy_ring(tuple(symbols))
    return ring.from_dict({m: QQ(int(c.p), int(c.q)) for m, c in p.terms()}).as_expr()


def to_str(p, names: Sequence[str]) -> str | None:
    """``str()`` of the polynomial ``p`` as sympy prints it (``-5*x**5*y**2/6 + y/3``),
    written from FLINT's terms without making a sympy expression — or None when sympy would
    order the terms differently (one generator, or generators not in sympy's sorted order
    of their names).
    Both list the terms by decreasing exponents in lexicographic order."""
    names = [str(n) for n in names]
    if len(names) < 2 or names != sorted(names):  # one variable: sympy may put a constant first
        return None
    out = []
    for exps, c in p.terms():
        num, den = int(c.p), int(c.q)
        mono = "*".join(v if e == 1 else f"{v}**{e}" for v, e in zip(names, exps) if e)
        if not mono:
            body = str(abs(num)) + (f"/{den}" if den != 1 else "")
        else:
            body = (f"{abs(num)}*" if abs(num) != 1 else "") + mono + \
                (f"/{den}" if den != 1 else "")
        out.append(("-" if num < 0 else "+", body))
    if not out:
        return "0"
    text = ("-" if out[0][0] == "-" else "") + out[0][1]
    return text + "".join(f" {sign} {body}" for sign, body in out[1:])


def rational(c) -> sp.Rational:
    """A python-flint ``fmpq`` as a sympy Rational."""
    return sp.Rational(int(c.p), int(c.q))
