"""Escape regions of GD for polynomial objectives of several variables, proved in balls.

Statement: for every h in a rate ball H, ‖G_h(x)‖∞ ≥ ρ‖x‖∞ whenever ‖x‖∞ ≥ R, with ρ > 1,
for G_h(x) = x − h∇f(x) and f a polynomial in n variables.  Then an orbit with
‖x_k‖∞ ≥ R satisfies ‖x_{k+j}‖∞ ≥ ρ^j‖x_k‖∞ → ∞: it diverges.

Method (a cone argument in the radius): write ∇f = Σ_k g_k with g_k homogeneous of degree
k (k = 0, …, p), and x = r·u with r = ‖x‖∞ and u on a face of the unit cube (u_i = ±1,
the other coordinates in [−1, 1]).  Each component of the map is a Laurent polynomial in r:

    G_h(ru)_j / r = Σ_k a_{k,j}(u, h) r^{k−1},
    a_{1,j} = u_j − h g_{1,j}(u),   a_{k,j} = −h g_{k,j}(u)  (k ≠ 1).

Let t ≥ 1 be the largest k with a_{k,j} not identically 0.  On a box U × H of directions
and rates where the enclosure of a_{t,j} excludes 0, for every r ≥ R

    |G_h(ru)_j| / r ≥ r^{t−1} (|a_t| − Σ_{k<t} |a_k| r^{k−t})
                    ≥ R^{t−1} (|a_t| − Σ_{k<t} |a_k| R^{k−t}) =: β_j(U, H, R),

both factors being nondecreasing in r (t ≥ 1, k − t < 0).  So β_j > 1 proves
‖G_h(x)‖∞ ≥ β_j‖x‖∞ on the cone of the directions U beyond R.  :func:`escape_cone` covers
the 2n faces by branch and bound over the directions (H kept whole,
:func:`lrtheory.certify.branch_and_bound`), each box with the smallest R of a geometric
ladder that gives some β_j > 1; the region is R = the largest of these, ρ = the smallest β
(a box proved at R_b is proved at every R ≥ R_b with the same β).  The search stops with
no region as soon as the centre direction of a box fails at the largest R of the ladder:
then no region of this form exists for H (e.g. a quadratic f with h < 2/λ_max, or a
direction along which f grows slower than quadratically).

Elementary objectives are covered when ∇f = P + B with P polynomial and B bounded on all
of Rⁿ — sin, cos of anything, enclosed by Arb over the whole space (balls of infinite
radius): B joins the constant term a_0 with its enclosure, f = x⁴/4 + y²/2 + cos x for
instance.  When B is not bounded there (exp, x·sin x, tanh, whose Arb enclosure over Rⁿ is
not finite) a bound at infinity needs an argument on the whole unbounded set that ball
arithmetic on boxes does not give: :func:`escape_cone` returns None and divergence stays
undecided.
"""
from __future__ import annotations

import sympy as sp
from flint import arb

from ..aliases import lr_keyword
from ..objectives import Objective
from .branch_and_bound import ACCEPT, SPLIT, branch_and_bound

__all__ = ["EscapeModel", "escape_cone_model", "escape_cone", "split_polynomial_part", "LADDER",
           "MAX_DIM"]

#: Radii R tried on each box, smallest first: 2^(k/2), k = −20, …, 80.
LADDER = tuple(2.0 ** (k / 2) for k in range(-20, 81))
#: Objectives of up to this many variables get a cone search.
MAX_DIM = 4


class EscapeModel:
    """The coefficients a_{k,j}(u, h) of the module docstring, compiled in balls.

    ``tops[j]`` is t for component j; ``coeffs(u, lr)`` returns, per component j, the list
    of balls a_{0,j}, …, a_{t,j}.  The terms of ∇f that are not polynomial (the
    ``rest``, e.g. cos x) join a_0 through their enclosure over the whole space, which must
    be bounded (sin, cos of anything): ∇f = P + B with |B_j| ≤ b_j everywhere gives
    a_{0,j} = −h(g_{0,j} + B_j), and |a_0| ≤ h(|g_{0,j}| + b_j) is all the bound uses."""

    def __init__(self, obj: Objective):
        from ..evaluators import compile_exprs
        self.dim, self.params = obj.dim, tuple(obj.params)
        self.u = sp.symbols(f"u0:{obj.dim}", real=True)
        h = sp.Symbol("h", positive=True)
        rows, self.tops, rests = [], [], []
        self.r = sp.symbols(f"r0:{obj.dim}", real=True)
        for j, g in enumerate(obj.gradient):
            poly, rest = split_polynomial_part(g, obj.vars)
            rests.append(rest)
            parts = _homogeneous_parts(poly, obj.vars, self.u)
            a = [-h * parts.get(k, 0) for k in range(max(parts, default=0) + 1)]
            a[0] = a[0] - h * self.r[j]
            a += [0] * (2 - len(a))
            a[1] = self.u[j] + a[1]
            a = [sp.expand(c) for c in a]
            top = max(k for k, c in enumerate(a) if c != 0)
            self.tops.append(top)
            rows.append(a[:top + 1])
        self._sizes = [len(r) for r in rows]
        self._fn = compile_exprs([c for r in rows for c in r],
                                 self.u + (h,) + self.params + self.r, "arb")
        self._rest = compile_exprs(rests, tuple(obj.vars) + self.params, "arb")

    def rest_bounds(self, params=()) -> list | None:
        """Balls enclosing each B_j over every x ∈ Rⁿ (and the parameter balls), or None
        when some B_j is not bounded there."""
        whole = [arb("0 +/- inf")] * self.dim
        bounds = self._rest(*whole, *params)
        return bounds if all(b.is_finite() for b in bounds) else None

    @lr_keyword
    def coeffs(self, u, lr, params=(), rest=None) -> list:
        """The balls a_{k,j} at the directions ``u``, the rates ``lr`` (a ball), the
        parameter balls ``params`` (in the order of the objective's ``params``) and the
        enclosures ``rest`` of :meth:`rest_bounds` (default: zero rest)."""
        rest = [arb(0)] * self.dim if rest is None else rest
        flat = self._fn(*u, lr, *params, *rest)
        out, i = [], 0
        for size in self._sizes:
            out.append(flat[i:i + size])
            i += size
        return out


def split_polynomial_part(g, variables) -> tuple:
    """(P, B): the terms of g (expanded) polynomial in the variables, and the rest."""
    terms = sp.Add.make_args(sp.expand(g))
    poly = [t for t in terms if t.is_polynomial(*variables)]
    return sp.Add(*poly), sp.Add(*[t for t in terms if t not in poly])


def _homogeneous_parts(g, variables, u) -> dict:
    """{k: g_k(u)}: the homogeneous parts of the polynomial g, written in u."""
    poly = sp.Poly(g, *variables)
    parts: dict = {}
    for monom, c in poly.terms():
        k = sum(monom)
        parts[k] = parts.get(k, 0) + c * sp.Mul(*[ui**e for ui, e in zip(u, monom)])
    return parts


def escape_cone_model(obj: Objective) -> EscapeModel | None:
    """The :class:`EscapeModel` of ``obj``, or None when the cone search does not apply
    (more than :data:`MAX_DIM` variables, no polynomial part).  Parameters may enter the
    coefficients in any way (they are given as balls); whether the non-polynomial rest is
    bounded is decided by :func:`escape_cone` with the parameter balls."""
    if obj.dim > MAX_DIM:
        return None
    polys = [split_polynomial_part(g, obj.vars)[0] for g in obj.gradient]
    if all(p == 0 for p in polys) or any(
            not c.free_symbols <= set(obj.params)
            for p in polys for c in sp.Poly(p, *obj.vars).coeffs()):
        return None
    return EscapeModel(obj)


def _beta(a, top: int, R: float):
    """β_j(U, H, R) of the module docstring as a ball, or None if a_t may vanish."""
    lead = a[top]
    if lead.contains(0):
        return None
    rest = sum((abs(a[k]) * arb(R) ** (k - top) for k in range(top)), arb(0))
    return arb(R) ** (top - 1) * (abs(lead) - rest)


def _smallest_radius(coeffs, tops):
    """(R, β) for the smallest R of :data:`LADDER` at which some component has β > 1."""
    for R in LADDER:
        best = None
        for a, top in zip(coeffs, tops):
            b = _beta(a, top, R)
            if b is not None and b > 1 and (best is None or b.lower() > best.lower()):
                best = b
        if best is not None:
            return R, float(best.lower())
    return None


class _Hopeless(Exception):
    """A direction fails at every radius: no escape region of this form for the rates."""


def escape_cone(model: EscapeModel, H, params=(), max_boxes: int = 4000,
                max_depth: int = 18):
    """(R, ρ) with ‖G_h(x)‖∞ ≥ ρ‖x‖∞ for ‖x‖∞ ≥ R, every h in the ball ``H`` and every
    value of the parameter balls ``params``, ρ > 1 (module docstring), or None."""
    n = model.dim
    found = []
    rest = model.rest_bounds(params)
    if rest is None:
        return None     # an unbounded non-polynomial part: no bound at infinity here

    def decide(fbox, i, sign):
        u = _directions(fbox, i, sign, n)
        got = _smallest_radius(model.coeffs(u, H, params, rest), model.tops)
        if got is not None:
            return ACCEPT, got
        centre = _directions(tuple((m, m) for m in ((lo + hi) / 2 for lo, hi in fbox)), i,
                             sign, n)
        if _smallest_radius(model.coeffs(centre, H, params, rest), model.tops) is None:
            raise _Hopeless
        return SPLIT, None

    try:
        for i in range(n):
            for sign in (-1, 1):
                face = ((-1.0, 1.0),) * (n - 1)
                if n == 1:
                    verdict, value = decide((), i, sign)
                    if verdict != ACCEPT:
                        return None
                    found.append(value)
                    continue
                search = branch_and_bound(face, lambda b: decide(b, i, sign),
                                          max_depth=max_depth, max_boxes=max_boxes)
                if search.undecided:
                    return None
                found += [value for _, value in search.accepted]
    except _Hopeless:
        return None
    return max(R for R, _ in found), min(b for _, b in found)


def _directions(fbox, i: int, sign: int, n: int) -> list:
    """Balls of u: u_i = sign, the other coordinates from the (n − 1)-box ``fbox``."""
    free = [arb(lo).union(arb(hi)) for lo, hi in fbox]
    return free[:i] + [arb(sign)] + free[i:]
