"""Differential polynomials in the jets of an unspecified objective ``f`` (BLOG-5).

The ring ``Q[f_α : |α| ≤ K]`` has one generator per partial derivative
``f_α = ∂^α f`` (``α`` a multi-index over the ``n`` coordinates); the partial derivation
``∂_i`` acts by ``∂_i f_α = f_{α+e_i}`` and the Leibniz rule.  Jets of an analytic ``f`` at
a point are algebraically independent (every finite jet is realised by a polynomial), so
an identity that holds in this ring holds for every ``f``, and a non-zero element is
non-zero for some ``f`` at some point: this is how generic statements are decided exactly.
Substituting ``f_α ↦ ∂^α f`` for a concrete ``f`` (polynomial or not: sin, exp, log cosh …)
gives explicit formulas.  Elements are python-flint ``fmpq_mpoly`` polynomials.

Antiderivatives.  ``∂_i`` is injective up to constants, and ``Q = ∂_i R`` can be solved for
``R`` without any integration of functions: order the jets of a chain ``f_{α + k e_i}``
(``k = 0, 1, …``) by ``k``.  If ``R``'s highest jet in a chain is ``f_β``, then ``∂_i R``
contains ``f_{β+e_i}`` linearly with coefficient ``∂R/∂f_β``, and no higher jet of that
chain.  So take the jet ``v = f_{β+e_i}`` of ``Q`` with the largest ``k``; ``Q`` must be
linear in it, with a coefficient ``A`` free of the top jets of all chains; then
``R₁ = ∫ A df_β`` (polynomial integration in one generator) removes ``v`` from
``Q − ∂_i R₁`` and raises no chain.  Repeating until ``Q = 0`` gives ``R``; when a test
fails, ``Q`` is not an ``x_i``-derivative.  The modified fields of order 0 and 1 are
derivatives (potentials ``f`` and ``‖∇f‖²/4``), but already ``F₂ = −f′²f‴/12 − f′f″²/3`` in
one dimension is not: it reduces to ``∂(−f′²f″/12) − f′f″²/6``, and the Euler operator of
``f′f″²`` is ``4f″f‴ + 2f′f⁗ ≠ 0``.  A one-dimensional ``F_n`` is a derivative of a
function of ``x`` for each concrete ``f``, not of a universal polynomial in its jets (see
:mod:`lrtheory.modeq.integration`).
"""

from __future__ import annotations

from functools import cached_property
from itertools import combinations_with_replacement

import sympy as sp

from ..errors import ComputationError
from . import poly


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
        self.ctx = poly.context([s.name for s in self.symbols])
        self.gens = self.ctx.gens()
        self.zero = poly.zero(self.ctx)
        # _shift[i][k] = position of α_k + e_i (None when beyond max_order), _unshift: α_k − e_i
        self._shift = [[self.index.get(self._moved(a, i, 1)) for a in self.alphas]
                       for i in range(self.n)]
        self._unshift = [[self.index.get(self._moved(a, i, -1)) for a in self.alphas]
                         for i in range(self.n)]

    @staticmethod
    def _moved(alpha, i: int, step: int) -> tuple:
        return tuple(a + step * (j == i) for j, a in enumerate(alpha))

    def jet(self, alpha):
        """The generator ``f_α``."""
        return self.gens[self.index[tuple(alpha)]]

    def unit(self, i: int) -> tuple[int, ...]:
        return tuple(int(j == i) for j in range(self.n))

    @cached_property
    def gradient(self) -> list:
        """``∇f = (f_{e_1}, …, f_{e_n})``."""
        return [self.jet(self.unit(i)) for i in range(self.n)]

    def d(self, p, i: int):
        """The total partial derivative ``∂_i p = Σ_α ∂p/∂f_α · f_{α+e_i}``."""
        shift = self._shift[i]
        out = self.zero
        for k, e in enumerate(p.degrees()):
            if not e:
                continue
            if shift[k] is None:
                raise ComputationError(f"jet order {self.max_order} too low for this derivative")
            out += p.derivative(k) * self.gens[shift[k]]
        return out

    def reduce(self, q, i: int = 0) -> tuple:
        """``(R, rest)`` with ``q = ∂_i R + rest``, by the steps of the module docstring
        until ``rest = 0`` or a step is impossible (then ``rest`` is not an
        ``x_i``-derivative).  ``R`` has no constant term."""
        r = self.zero
        while not q.is_zero():
            step = self._antiderivative_step(q, i)
            if step is None:
                break
            r += step
            q -= self.d(step, i)
        return r, q

    def antiderivative(self, q, i: int = 0):
        """``R`` with ``∂_i R = q`` and no constant term, or None when ``q`` is not an
        ``x_i``-derivative."""
        r, rest = self.reduce(q, i)
        return r if rest.is_zero() else None

    def _antiderivative_step(self, q, i: int):
        """``∫ A df_β`` for the highest jet ``f_{β+e_i}`` of ``q`` (None if ``q`` fails the
        tests of the module docstring)."""
        degrees = q.degrees()
        tops: dict = {}  # chain (α without its i-th entry) -> its highest jet in q
        for k in (k for k, e in enumerate(degrees) if e):
            a = self.alphas[k]
            chain = a[:i] + a[i + 1:]
            if chain not in tops or a[i] > self.alphas[tops[chain]][i]:
                tops[chain] = k
        if any(self.alphas[k][i] == 0 for k in tops.values()):
            return None
        top = max(tops.values(), key=lambda k: self.alphas[k][i])
        if degrees[top] != 1:
            return None
        coeff = q.derivative(top)
        if any(coeff.degrees()[k] for k in tops.values()):
            return None
        return coeff.integral(self._unshift[i][top])

    def order_of(self, p) -> int:
        """Highest derivative order of a jet occurring in ``p``."""
        return max((sum(self.alphas[k]) for k, e in enumerate(p.degrees()) if e), default=0)

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
        for exps, coeff in p.terms():
            factors = [values[self.symbols[k]] ** e for k, e in enumerate(exps) if e]
            terms.append(poly.rational(coeff) * sp.Mul(*factors))
        return sp.Add(*terms)

    def as_expr(self, p) -> sp.Expr:
        """``p`` as a sympy polynomial in the jet symbols ``f, f_x, f_xx, …``."""
        return poly.to_expr(p, self.symbols)
