"""Rooted trees and the B-series of the modified equation of explicit Euler (BLOG-5).

A rooted tree is stored canonically as the sorted tuple of its children's trees (the leaf
``•`` is ``()``).  For a field ``F₀`` the elementary differentials are

    F(•) = F₀,        F([τ₁, …, τ_m]) = F₀^{(m)}(F(τ₁), …, F(τ_m)),

and the modified field of explicit Euler is the B-series (Hairer–Lubich–Wanner,
*Geometric Numerical Integration*, §IX.9)

    F̃ = Σ_τ h^{|τ|−1} b(τ)/σ(τ) F(τ),   i.e.  F_n = Σ_{|τ| = n+1} b(τ)/σ(τ) F(τ),

with ``σ`` the symmetry coefficient.  The coefficients follow from matching the time-``h``
flow of ``F̃``, whose B-series is ``Σ_{k≥1} ∂_b^{k−1} b / k!``, with explicit Euler
(``a(•) = 1``, ``a(τ) = 0`` for ``|τ| ≥ 2``):

    b(τ) = a(τ) − Σ_{k=2}^{|τ|} (∂_b^{k−1} b)(τ) / k!,
    (∂_b c)(τ) = Σ_{edges e of τ} c(θ_e) b(δ_e),

where cutting the edge ``e`` leaves ``θ_e`` (containing the root) and ``δ_e``.  Thus
``b(•) = 1, b([•]) = −1/2, b([•,•]) = 1/6, b([[•]]) = 1/3`` and with ``F₀ = −g``:
``F₁ = −½Hg``, ``F₂ = −⅓H²g − (1/12)T(g, g)``.

This is a derivation independent of :mod:`lrtheory.modeq.lie_series` (it never forms the
flow of a concrete field) and it gives the coordinate-free form: ``F(τ)`` with
``F₀ = −∇f`` is ``(−1)^{|τ|}`` times a contraction of the derivative tensors ``∇^k f``.
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import lru_cache
from itertools import product
from math import factorial

import sympy as sp
from flint import fmpq

Tree = tuple


@lru_cache(maxsize=None)
def trees(order: int) -> tuple[Tree, ...]:
    """All rooted trees with ``order`` vertices, canonical and sorted."""
    if order == 1:
        return ((),)
    return tuple(sorted(set(_forests(order - 1, None))))


def _forests(size: int, largest):
    """Canonical (sorted) tuples of trees with ``size`` vertices in total, each tree ≤
    ``largest`` in the canonical order (so each multiset is produced once)."""
    if size == 0:
        yield ()
        return
    for k in range(1, size + 1):
        for t in trees(k):
            if largest is not None and t > largest:
                continue
            for rest in _forests(size - k, t):
                yield tuple(sorted(rest + (t,)))


def tree_order(t: Tree) -> int:
    """Number of vertices |τ|."""
    return 1 + sum(tree_order(c) for c in t)


@lru_cache(maxsize=None)
def symmetry(t: Tree) -> int:
    """σ(τ) = Π_children m! σ(child)^m over the distinct children with multiplicity m."""
    out = 1
    for child, m in Counter(t).items():
        out *= factorial(m) * symmetry(child) ** m
    return out


@lru_cache(maxsize=None)
def edge_cuts(t: Tree) -> tuple[tuple[Tree, Tree], ...]:
    """For every edge of τ: (θ, δ) where θ keeps the root and δ is the cut-off subtree."""
    out = []
    for pos, child in enumerate(t):
        others = t[:pos] + t[pos + 1:]
        out.append((others, child))
        for theta_c, delta in edge_cuts(child):
            out.append((tuple(sorted(others + (theta_c,))), delta))
    return tuple(out)


@lru_cache(maxsize=None)
def euler_coefficients(max_order: int) -> dict[Tree, Fraction]:
    """``{τ: b(τ)}`` for all trees with at most ``max_order`` vertices."""
    b: dict[Tree, Fraction] = {}
    lie: list[dict[Tree, Fraction]] = [b]  # lie[k] = ∂_b^k b
    for n in range(1, max_order + 1):
        while len(lie) < n:
            lie.append({})
        for t in trees(n):
            total = Fraction(0)
            for k in range(1, n):
                prev = lie[k - 1]
                val = sum((prev.get(theta, 0) * b[delta] for theta, delta in edge_cuts(t)),
                          Fraction(0))
                lie[k][t] = val
                total += val / factorial(k + 1)
            b[t] = Fraction(int(n == 1)) - total
    return dict(b)


def field_coefficients(order: int) -> list[tuple[Tree, Fraction]]:
    """``[(τ, b(τ)/σ(τ))]`` over the trees with ``order + 1`` vertices: the terms of F_order."""
    b = euler_coefficients(order + 1)
    return [(t, b[t] / symmetry(t)) for t in trees(order + 1) if b[t]]


# ---- evaluation in a differential ring ---------------------------------------------------
class ElementaryDifferentials:
    """``F(τ)`` for a field ``F0`` over a differential ring with derivation ``d(p, i)``
    (python-flint polynomials: elements are multiplied by ``fmpq`` coefficients)."""

    def __init__(self, F0, d, zero):
        self.F0, self.d, self.zero, self.n = list(F0), d, zero, len(F0)
        self._partials: dict[tuple[int, tuple], object] = {}
        self._values: dict[Tree, list] = {(): self.F0}

    def partial(self, i: int, idx: tuple):
        """∂_{idx} F0_i (idx a sorted tuple of coordinate indices)."""
        key = (i, idx)
        if key not in self._partials:
            self._partials[key] = self.F0[i] if not idx else \
                self.d(self.partial(i, idx[:-1]), idx[-1])
        return self._partials[key]

    def __call__(self, t: Tree) -> list:
        if t not in self._values:
            kids = [self(c) for c in t]
            out = []
            for i in range(self.n):
                acc = self.zero
                for js in product(range(self.n), repeat=len(t)):
                    term = self.partial(i, tuple(sorted(js)))
                    if not term:
                        continue
                    for kid, j in zip(kids, js):
                        term = term * kid[j]
                    acc = acc + term
                out.append(acc)
            self._values[t] = out
        return self._values[t]


def bseries_fields(F0, order: int, d, zero) -> list[list]:
    """``[F_0, …, F_order]`` from the B-series, evaluated in a differential ring."""
    ed = ElementaryDifferentials(F0, d, zero)
    fields = []
    for m in range(order + 1):
        acc = [zero] * len(F0)
        for t, c in field_coefficients(m):
            acc = [a + v * _qq(c) for a, v in zip(acc, ed(t))]
        fields.append(acc)
    return fields


def _qq(c: Fraction) -> fmpq:
    return fmpq(c.numerator, c.denominator)


# ---- coordinate-free form -----------------------------------------------------------------
G = sp.Symbol("g")
_TENSOR_NAMES = {2: "H", 3: "T"}


def derivative_tensor(k: int) -> sp.Function:
    """The symmetric tensor ``∇^k f`` as an undefined function: H (k=2), T (k=3), D4, …"""
    return sp.Function(_TENSOR_NAMES.get(k, f"D{k}"))


def tensor_term(t: Tree) -> sp.Expr:
    """The contraction ``G(τ)`` of derivative tensors with ``F(τ) = (−1)^{|τ|} G(τ)``:
    ``G(•) = g``, ``G([τ₁…τ_m]) = ∇^{m+1} f (G(τ₁), …, G(τ_m))``."""
    if not t:
        return G
    return derivative_tensor(len(t) + 1)(*[tensor_term(c) for c in t])


def tensor_field(order: int) -> sp.Expr:
    """F_order in coordinate-free form, e.g. ``-H(g)/2`` for order 1."""
    return sp.Add(*[sp.Rational(c.numerator, c.denominator) * (-1) ** tree_order(t)
                    * tensor_term(t) for t, c in field_coefficients(order)])
