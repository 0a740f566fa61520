"""Differential polynomials in the jets of an unspecified objective ``f`` (BLOG-5).

The ring ``Q[f_α : |α| ≤ K]`` has one generator per partial derivative
``f_α = ∂^α f`` (``α`` a multi-index over the ``n`` coordinates); the partial derivation
``∂_i`` acts by ``∂_i f_α = f_{α+e_i}`` and the Leibniz rule.  Jets of an analytic ``f`` at
a point are algebraically independent (every finite jet is realised by a polynomial), so
an identity that holds in this ring holds for every ``f``, and a non-zero element is
non-zero for some ``f`` at some point: this is how generic statements are decided exactly.
Substituting ``f_α ↦ ∂^α f`` for a concrete ``f`` (polynomial or not: sin, exp, log cosh …)
gives explicit formulas.
"""
from __future__ import annotations

from functools import cached_property
from itertools import combinations_with_replacement

import sympy as sp
from sympy import QQ
from sympy.polys.rings import PolyRing

from ..errors import ComputationError


def multi_indices(n: int, max_order: int) -> list[tuple[int, ...]]:
    """All multi-indices α ∈ N^n with |α| ≤ max_order, by order then lexicographically."""
    out = []
    for k in range(max_order + 1):
        for combo in combinations_with_replacement(range(n), k):
            alpha = [0] * n
            for i in combo:
                alpha[i] += 1
            out.append(tuple(alpha))
    return out


def jet_name(alpha, names) -> str:
    """``f_xxy`` for α = (2, 1) over names (x, y); ``f`` for α = 0."""
    if not any(alpha):
        return "f"
    return "f_" + "".join(name * a for name, a in zip(names, alpha))


class JetRing:
    """Differential polynomials in the jets ``f_α``, ``|α| ≤ max_order``, of a function of
    the coordinates ``names``."""

    def __init__(self, names, max_order: int):
        self.names = tuple(str(v) for v in names)
        self.n = len(self.names)
        self.max_order = max_order
        self.alphas = multi_indices(self.n, max_order)
        self.index = {a: k for k, a in enumerate(self.alphas)}
        self.symbols = tuple(sp.Symbol(jet_name(a, self.names), real=True) for a in self.alphas)
        self.ring = PolyRing(self.symbols, QQ)
        self.zero = self.ring.zero
        # _shift[i][k] = position of α_k + e_i (None when beyond max_order)
        self._shift = [[self.index.get(tuple(a[j] + (j == i) for j in range(self.n)))
                        for a in self.alphas] for i in range(self.n)]

    def jet(self, alpha):
        """The generator ``f_α``."""
        return self.ring.gens[self.index[tuple(alpha)]]

    def unit(self, i: int) -> tuple[int, ...]:
        return tuple(int(j == i) for j in range(self.n))

    @cached_property
    def gradient(self) -> list:
        """``∇f = (f_{e_1}, …, f_{e_n})``."""
        return [self.jet(self.unit(i)) for i in range(self.n)]

    def d(self, p, i: int):
        """The total partial derivative ``∂_i p`` (Leibniz rule, ``∂_i f_α = f_{α+e_i}``)."""
        shift = self._shift[i]
        out: dict = {}
        for exps, coeff in p.items():
            for k, e in enumerate(exps):
                if not e:
                    continue
                s = shift[k]
                if s is None:
                    raise ComputationError(
                        f"jet order {self.max_order} too low for this derivative")
                new = list(exps)
                new[k] -= 1
                new[s] += 1
                key = tuple(new)
                out[key] = out.get(key, 0) + coeff * e
        return self.ring.from_dict({k: v for k, v in out.items() if v})

    def order_of(self, p) -> int:
        """Highest derivative order of a jet occurring in ``p``."""
        return max((sum(self.alphas[k]) for exps in p.itermonoms()
                    for k, e in enumerate(exps) if e), default=0)

    def substitution(self, expr: sp.Expr, variables, max_order: int | None = None) -> dict:
        """``{f_α: ∂^α expr}`` for the jets up to ``max_order`` (default all)."""
        top = self.max_order if max_order is None else max_order
        out, cache = {}, {}
        for a in self.alphas:
            if sum(a) > top:
                continue
            if not any(a):
                val = expr
            else:
                i = max(j for j in range(self.n) if a[j])
                prev = tuple(a[j] - (j == i) for j in range(self.n))
                val = sp.diff(cache[prev], variables[i])
            cache[a] = val
            out[self.symbols[self.index[a]]] = val
        return out

    def evaluate(self, p, values: dict):
        """Evaluate ``p`` with the jets replaced by ``values`` (``{symbol: value}``), as a
        plain sum of products (no expansion)."""
        terms = []
        for exps, coeff in p.items():
            factors = [values[self.symbols[k]] ** e for k, e in enumerate(exps) if e]
            terms.append(sp.Rational(int(coeff.numerator), int(coeff.denominator))
                         * sp.Mul(*factors))
        return sp.Add(*terms)
