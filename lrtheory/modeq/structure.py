"""Gradient structure of the modified fields: curl, potentials, gradient part (BLOG-5).

A field ``F`` on R^n is a gradient, ``F = −∇φ``, exactly when its Jacobian is symmetric,
i.e. every curl component ``∂_i F_j − ∂_j F_i`` (i < j) vanishes identically.  Decisions
are exact: in a polynomial ring the components are compared with zero; for expressions in
transcendental functions a non-zero verdict is certified by ball arithmetic at a point and
a zero verdict by symbolic simplification (otherwise :class:`ComputationError`).

For a polynomial field the homotopy (Poincaré) operator gives a canonical split

    φ(x) = −∫₀¹ F(tx)·x dt,   F = −∇φ + R,   R(x)·x ≡ 0,

with ``R ≡ 0`` exactly when ``F`` is a gradient (each homogeneous part ``F_d`` of degree
``d`` contributes ``−(F_d·x)/(d+1)`` to ``φ``; Euler's identity gives ``R·x = 0``).
"""
from __future__ import annotations

import sympy as sp
from flint import arb, fmpq

from ..errors import ComputationError, LRTheoryError
from ..evaluators import compile_exprs


class NotGradientError(LRTheoryError):
    """The modified field of order ``order`` is not a gradient; ``curl`` maps ``(i, j)`` to
    the non-vanishing component ``∂_i F_j − ∂_j F_i`` (sympy expressions)."""

    def __init__(self, order: int, curl: dict, variables):
        self.order, self.curl, self.variables = order, curl, tuple(variables)
        parts = ", ".join(f"d{variables[i]} F[{j}] - d{variables[j]} F[{i}] = {c}"
                          for (i, j), c in curl.items())
        super().__init__(f"modified field F_{order} is not a gradient: {parts}")


def curl(F, d) -> dict:
    """``{(i, j): ∂_i F_j − ∂_j F_i}`` for i < j (ring elements)."""
    n = len(F)
    return {(i, j): d(F[j], i) - d(F[i], j) for i in range(n) for j in range(i + 1, n)}


def homotopy_split(F, ring) -> tuple:
    """``(φ, R)`` with ``F = −∇φ + R`` and ``R·x = 0`` for a polynomial field ``F`` over the
    polynomial ring ``ring`` (whose generators are the coordinates)."""
    radial = sum((Fi * xi for Fi, xi in zip(F, ring.gens)), ring.zero)
    phi = ring.from_dict({m: -c / (sum(m)) for m, c in radial.items() if sum(m)})
    R = [Fi + phi.diff(xi) for Fi, xi in zip(F, ring.gens)]
    return phi, R


_PROBES = ((fmpq(3, 7), fmpq(-5, 11), fmpq(2, 13), fmpq(-7, 17)),
           (fmpq(-4, 9), fmpq(6, 19), fmpq(-1, 5), fmpq(8, 23)),
           (fmpq(11, 10), fmpq(-13, 12), fmpq(9, 14), fmpq(1, 3)))


def certified_nonzero_at(expr: sp.Expr, variables) -> tuple | None:
    """A rational point where a ball enclosure of ``expr`` excludes 0, or None."""
    fn = compile_exprs([expr], variables, "arb")
    for probe in _PROBES:
        pt = [probe[k % len(probe)] * (1 + k // len(probe)) for k in range(len(variables))]
        try:
            val = arb(fn(*[arb(p) for p in pt])[0])
        except (ValueError, ZeroDivisionError, LRTheoryError):
            continue
        if val.is_finite() and not val.contains(0):
            return tuple(pt)
    return None


def is_identically_zero(expr: sp.Expr, variables) -> bool:
    """Exact decision whether ``expr`` vanishes identically (see module docstring)."""
    if sp.expand(expr) == 0:
        return True
    if certified_nonzero_at(expr, variables) is not None:
        return False
    if sp.simplify(expr) == 0:
        return True
    raise ComputationError(f"could not decide whether {expr} vanishes identically")
