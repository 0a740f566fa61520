"""Signed-permutation symmetries of an objective and what they do to GD orbits.

A signed permutation S acts on Rⁿ by (Sx)_i = s_i·x_{π(i)} (π a permutation, s_i = ±1); it is
orthogonal.  If f(Sx) = f(x) for all x, then Sᵀ∇f(Sx) = ∇f(x), i.e. ∇f(Sx) = S∇f(x), and the
GD map commutes with S:

    G_h(Sx) = Sx − h∇f(Sx) = S(x − h∇f(x)) = S·G_h(x).

So S maps every periodic orbit of G_h onto a periodic orbit of the same minimal period, with
conjugate monodromy (the same multipliers).  :func:`symmetry_group` finds every such S that
also maps the search box [lo, hi]ⁿ onto itself (permutations always do; sign changes only
when lo = −hi), deciding f(Sx) − f(x) = 0 exactly: on the exact coefficients of the
polynomial for polynomial f (equal coefficients compared structurally), by sympy's simplification otherwise (a symmetry sympy cannot
prove is not used, which only makes the closure smaller).  With the box mapped onto itself,
uniform starts are mapped to uniform starts, so symmetric orbits are equally likely to be
reached: the orbit search counts its captures per class {S·orbit : S ∈ group}.

All 2ⁿ·n! signed permutations are tried for n ≤ :data:`MAX_SYMMETRY_DIM`; beyond that the
group is not searched (reported as the trivial group).
"""
from __future__ import annotations

import itertools
import random

import sympy as sp

from ..objectives import Objective

#: Largest dimension in which all 2ⁿ·n! signed permutations are tried (384 for n = 4).
MAX_SYMMETRY_DIM = 4


def identity(n: int) -> tuple:
    """The identity signed permutation of Rⁿ: ((0, 1), (1, 1), …)."""
    return tuple((i, 1) for i in range(n))


def apply(S, x) -> list:
    """Sx for a point x (any numbers supporting negation): (Sx)_i = s_i·x_{π(i)}."""
    return [x[j] if c == 1 else -x[j] for j, c in S]


def describe(S, names) -> str:
    """``(x, y) -> (-y, -x)`` for the signed permutation S."""
    image = ", ".join(("" if c == 1 else "-") + str(names[j]) for j, c in S)
    return f"({', '.join(map(str, names))}) -> ({image})"


def _polynomial_invariant(poly: dict, S) -> bool:
    """f(Sx) = f(x) for f = Σ c_e xᵉ given as {exponents: exact coefficient}: the monomial
    ∏ x_iᵉⁱ becomes ∏ s_iᵉⁱ x_{π(i)}ᵉⁱ, so its exponents move to the places π(i) and its
    coefficient takes the sign ∏ s_iᵉⁱ."""
    image = {}
    for e, c in poly.items():
        moved = [0] * len(e)
        sign = 1
        for i, (j, s) in enumerate(S):
            moved[j] = e[i]
            if s == -1 and e[i] % 2:
                sign = -sign
        image[tuple(moved)] = sign * c
    return image == poly


def _expression_invariant(obj: Objective, S) -> bool:
    """f(Sx) = f(x) for a non-polynomial f: rejected at once if the two differ at a few
    exact rational points, else decided by ``sympy.simplify(f(Sx) − f(x)) == 0``."""
    v = obj.vars
    moved = obj.expr.xreplace({v[i]: s * v[j] for i, (j, s) in enumerate(S)})
    diff = moved - obj.expr
    rng = random.Random(0)
    for _ in range(3):
        point = {x: sp.Rational(rng.randint(-97, 97), rng.randint(1, 31)) for x in v}
        value = diff.xreplace(point).evalf(30)
        if value.is_number and value.is_zero is False and abs(value) > 1e-20:
            return False
    return sp.simplify(diff) == 0


def symmetry_group(obj: Objective, box) -> tuple:
    """The signed permutations S with f(Sx) = f(x) that map the cube ``box`` = [lo, hi]ⁿ onto
    itself, identity first (module docstring); only the identity for n >
    :data:`MAX_SYMMETRY_DIM`."""
    n = obj.dim
    if n > MAX_SYMMETRY_DIM:
        return (identity(n),)
    signs = (1, -1) if float(box[0]) == -float(box[1]) else (1,)
    try:
        poly = sp.Poly(obj.expr, *obj.vars)
        exact = all(c.is_number for c in poly.coeffs())
    except sp.PolynomialError:
        exact = False
    found = []
    for perm in itertools.permutations(range(n)):
        for sgn in itertools.product(signs, repeat=n):
            S = tuple(zip(perm, sgn))
            if S == identity(n):
                continue
            if (_polynomial_invariant(poly.as_dict(), S) if exact
                    else _expression_invariant(obj, S)):
                found.append(S)
    return (identity(n),) + tuple(found)
