"""The modified equation of GD for a given objective, to any order (BLOG-4, BLOG-5).

``modified_equation(obj, N)`` returns the fields ``F_0 = −∇f, F_1, …, F_N`` such that the
time-``h`` flow of ``F_0 + hF_1 + … + h^N F_N`` agrees with one GD step up to
``O(h^{N+2})``, with exact rational coefficients, and decides their gradient structure.

Representation: an objective that is a polynomial with rational coefficients is handled in
the polynomial ring ``Q[x_1, …, x_n]`` (fast, exact); any other objective (sin, exp,
log cosh, …) through the universal fields in the ring of jets
(:mod:`lrtheory.modeq.jets`), into which the derivatives of ``f`` are substituted.
"""
from __future__ import annotations

from functools import cached_property, lru_cache

import sympy as sp
from sympy import QQ
from sympy.polys.rings import PolyRing

from ..errors import ComputationError, InputError
from ..objectives import Objective
from .jets import JetRing
from .lie_series import lie_series_fields
from .structure import NotGradientError, curl, homotopy_split, is_identically_zero

MAX_ORDER = 30


@lru_cache(maxsize=None)
def universal_fields(names: tuple, order: int) -> tuple[JetRing, list[list]]:
    """The modified fields of an arbitrary ``f`` of the coordinates ``names``, as
    differential polynomials in its jets (Lie-series recursion)."""
    J = JetRing(names, order + 2)  # F_N uses jets up to N + 1; its curl one more
    return J, lie_series_fields([-g for g in J.gradient], order, J.d, J.zero)


def check_order(order) -> int:
    """Validate the truncation order N (an integer 0 ≤ N ≤ MAX_ORDER)."""
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
        raise InputError(f"order must be an integer between 0 and {MAX_ORDER}, got {order!r}")
    return order


def is_rational_polynomial(obj: Objective) -> bool:
    if not obj.expr.is_polynomial(*obj.vars):
        return False
    return sp.Poly(obj.expr, *obj.vars).domain in (sp.ZZ, sp.QQ)


class ModifiedEquation:
    """Modified fields ``F_0 … F_N`` of GD on ``obj`` with their gradient structure."""

    def __init__(self, obj: Objective, order: int):
        self.objective = obj
        self.order = check_order(order)
        self.vars = obj.vars
        self.polynomial = is_rational_polynomial(obj)
        self._curls: dict[int, dict] = {}
        if self.polynomial:
            self.ring = PolyRing(obj.vars, QQ)
            fpoly = self.ring.from_expr(obj.expr)
            F0 = [-fpoly.diff(x) for x in self.ring.gens]
            self._ring_fields = lie_series_fields(F0, order, self.d, self.ring.zero)
        else:
            self.jets, self._jet_fields = universal_fields(tuple(map(str, obj.vars)), order)

    # -- calculus in the representation ---------------------------------------------
    def d(self, p, i: int):
        """∂p/∂x_i in the polynomial ring."""
        return p.diff(self.ring.gens[i])

    @cached_property
    def _jet_values(self) -> dict:
        return self.jets.substitution(self.objective.expr, self.vars)

    def _to_expr(self, p) -> sp.Expr:
        if self.polynomial:
            return p.as_expr()
        return self.jets.evaluate(p, self._jet_values)

    # -- results ----------------------------------------------------------------------
    @cached_property
    def fields(self) -> list[tuple[sp.Expr, ...]]:
        """``[F_0, …, F_N]`` as tuples of sympy expressions (explicit form)."""
        src = self._ring_fields if self.polynomial else self._jet_fields
        return [tuple(self._to_expr(c) for c in F) for F in src]

    def staged_truncation(self, h, order: int | None = None) -> tuple[list, tuple, list]:
        """``(exprs, symbols, values)``: ``Σ_{n≤order} h^n F_n`` written in intermediate
        ``symbols`` that stand for ``values`` (expressions in the coordinates).  For a
        non-polynomial objective the symbols are the jets of ``f``, so numerical evaluation
        computes each derivative of ``f`` once and then a polynomial (no expression swell)."""
        order = self.order if order is None else order
        if self.polynomial:
            return [sp.Add(*[h**n * self.fields[n][i] for n in range(order + 1)])
                    for i in range(len(self.vars))], (), []
        exprs = [sp.Add(*[h**n * self._jet_fields[n][i].as_expr() for n in range(order + 1)])
                 for i in range(len(self.vars))]
        used = tuple(s for s in self.jets.symbols if any(e.has(s) for e in exprs))
        return exprs, used, [self._jet_values[s] for s in used]

    def curl(self, n: int) -> dict:
        """Non-vanishing curl components ``{(i, j): ∂_i F_j − ∂_j F_i}`` of ``F_n``."""
        if n not in self._curls:
            self._curls[n] = self._compute_curl(n)
        return dict(self._curls[n])

    def _compute_curl(self, n: int) -> dict:
        if self.polynomial:
            return {k: c.as_expr() for k, c in curl(self._ring_fields[n], self.d).items() if c}
        generic = curl(self._jet_fields[n], self.jets.d)
        out = {}
        for k, c in generic.items():
            if c:
                e = self._to_expr(c)
                if not is_identically_zero(e, self.vars):
                    out[k] = e
        return out

    def is_gradient(self, n: int) -> bool:
        """Exact decision whether ``F_n`` is a gradient field."""
        return not self.curl(n)

    def potential(self, n: int) -> sp.Expr:
        """``f_n`` with ``F_n = −∇f_n`` (``f_0 = f``).  Raises :class:`NotGradientError`
        (carrying the curl) when ``F_n`` is not a gradient, :class:`ComputationError` when
        no closed form is found for a non-polynomial objective."""
        c = self.curl(n)
        if c:
            raise NotGradientError(n, c, self.vars)
        if n == 0:
            return self.objective.expr
        if self.polynomial:
            return homotopy_split(self._ring_fields[n], self.ring)[0].as_expr()
        return self._potential_by_integration(n)

    def _potential_by_integration(self, n: int) -> sp.Expr:
        """Potential of a non-polynomial gradient field by integrating coordinate by
        coordinate (φ = −∫F_1 dx_1, then the x_2-dependence missing from ∂_2φ, …), verified
        by differentiation."""
        F = self.fields[n]
        phi = sp.Integer(0)
        for i, x in enumerate(self.vars):
            rest = -F[i] - sp.diff(phi, x)
            if i and is_identically_zero(rest, self.vars):
                continue
            term = sp.integrate(sp.simplify(rest), x)
            if term.has(sp.Integral):
                raise ComputationError(f"no closed-form potential found for F_{n}")
            phi += term
        if not all(is_identically_zero(sp.diff(phi, x) + Fi, self.vars)
                   for x, Fi in zip(self.vars, F)):
            raise ComputationError(f"integrated potential of F_{n} failed verification")
        return sp.simplify(phi)

    def gradient_split(self, n: int) -> tuple[sp.Expr, tuple[sp.Expr, ...]]:
        """``(φ, R)`` with ``F_n = −∇φ + R``, ``R·x ≡ 0`` (homotopy operator; polynomial
        objectives), ``R ≡ 0`` exactly when ``F_n`` is a gradient."""
        if not self.polynomial:
            raise InputError("the gradient/remainder split needs a polynomial objective")
        phi, R = homotopy_split(self._ring_fields[n], self.ring)
        return phi.as_expr(), tuple(r.as_expr() for r in R)

    def modified_potential(self, h=sp.Symbol("h", positive=True)) -> sp.Expr:
        """``f + h f_1 + … + h^N f_N``; raises :class:`NotGradientError` at the first order
        that is not a gradient."""
        return sp.Add(*[h**n * self.potential(n) for n in range(self.order + 1)])


def modified_equation(obj, order: int, variables=None) -> ModifiedEquation:
    """The modified equation of GD on ``obj`` (an :class:`Objective`, or text with
    ``variables``) truncated at order ``order``."""
    if not isinstance(obj, Objective):
        if variables is None:
            raise InputError("give the variables of the objective, e.g. variables='x,y'")
        obj = Objective(obj, variables)
    return ModifiedEquation(obj, order)


def one_dimensional_form(order: int, name: str = "x") -> list[sp.Expr]:
    """1-D coordinate-free form: F_n as a polynomial in ``f_x, f_xx, …`` (n = 0..order)."""
    J, fields = universal_fields((name,), check_order(order))
    return [F[0].as_expr() for F in fields]
