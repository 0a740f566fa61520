"""Lists of the periodic orbits of GD at one learning rate, with whether they are proved
complete, and superstable orbits decided exactly.  The learning rate h of the formulas is
the parameter ``lr`` of the functions.

* one variable, f′ a polynomial over Q, h rational (:func:`exact_applicable`) — every
  real point of minimal period p is a root of g^p(x) − x, g(x) = x − h f′(x), isolated by
  FLINT, grouped into orbits and each certified by a Krawczyk test with its multiplier
  enclosed: :func:`exact_orbits` is **complete** (in the box, or on the whole line within
  :func:`cauchy_bound`);
* otherwise — :func:`lrtheory.dynamics.orbits.search_periodic_orbits` with Krawczyk
  certificates (:func:`searched_orbits`); complete only where its branch-and-bound proof
  succeeds (attempted in one dimension);
* :func:`superstable_orbit` — a critical point c of g with g^p(c) = c of minimal period p
  (multiplier ∏ g′(x_i) = 0), decided exactly for any algebraic h.

The claim kinds "periodic-orbit" and "no-attracting-orbit" (:mod:`lrtheory.expect.orbits`)
judge these lists.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from ..aliases import lr_keyword
from ..objectives import Objective
from ..results import Result, result

__all__ = ["OrbitList", "exact_applicable", "cauchy_bound", "exact_orbits", "searched_orbits",
           "orbits_of_period", "superstable_orbit", "DEFAULT_BOX", "DPS", "STARTS"]

#: The box searched when none is given (outside the exact one-dimensional case).
DEFAULT_BOX = (sp.Integer(-5), sp.Integer(5))
DPS = 50
STARTS = 400


@result
class OrbitList(Result):
    """The orbits of minimal period ``period`` found in the box: ``orbits``
    (:class:`~lrtheory.dynamics.orbits.PeriodicOrbit`), ``complete`` (proved to be all of
    them), ``method``, ``where`` (the region, in words)."""

    period: int
    orbits: tuple
    complete: bool
    method: str
    where: str


@lr_keyword
def exact_applicable(obj: Objective, lr) -> bool:
    """Whether the orbits of GD at ``lr`` (h) are found exactly: one variable, f′ a polynomial
    over Q, h rational."""
    from ..bifurcation.exact import is_exact_applicable
    return obj.dim == 1 and sp.sympify(lr).is_Rational and is_exact_applicable(obj)


@lr_keyword
def cauchy_bound(obj: Objective, lr, p: int) -> sp.Rational:
    """A bound on |x| for every real root of g^p(x) − x, g(x) = x − h f′(x) (Cauchy's bound
    1 + max |a_i/a_n| over the coefficients of the polynomial g^p(x) − x, in FLINT)."""
    from flint import fmpq, fmpq_poly
    poly = sp.Poly(sp.expand(obj.gd_map_exprs(lr)[0]), obj.vars[0])
    g = fmpq_poly([fmpq(int(c.p), int(c.q)) for c in reversed(poly.all_coeffs())])
    q = fmpq_poly([0, 1])
    for _ in range(p):
        q = g(q)
    q = q - fmpq_poly([0, 1])
    coeffs = [sp.Rational(int(c.p), int(c.q)) for c in q.coeffs()]
    lead = coeffs[-1]
    return 1 + max(abs(c / lead) for c in coeffs[:-1]) if len(coeffs) > 1 else sp.Integer(1)


@lr_keyword
def exact_orbits(obj: Objective, lr, p: int, box=None) -> OrbitList:
    """All orbits of minimal period ``p`` of a 1-D polynomial GD map g(x) = x − h f′(x) at
    rational ``lr`` = h whose points lie in ``box`` (default: all real orbits, within
    :func:`cauchy_bound`): the real roots of g^p(x) − x isolated by FLINT
    (:func:`lrtheory.dynamics.orbits.real_periodic_points`), grouped into orbits, each
    certified by a Krawczyk test with its multiplier enclosed — a complete list."""
    from ..dynamics.orbits import classify_orbit, real_periodic_points
    from ..precision import precision
    lo, hi = box if box is not None else (-cauchy_bound(obj, lr, p), cauchy_bound(obj, lr, p))
    x = obj.vars[0]
    with precision(DPS + 10):
        points = real_periodic_points(obj.gd_map_exprs(lr)[0], x, p, (lo, hi))
        mids = [mpmath.mpf(r.mid().str(DPS + 5, radius=False)) for r in points]
        step = obj.mpmath.gd_step
        hm = mpmath.mpf(sp.Rational(lr).p) / sp.Rational(lr).q
        orbits, used = [], set()
        for i, m in enumerate(mids):
            if i in used:
                continue
            pts, ok, z = [], True, m
            for _ in range(p):
                k = min(range(len(mids)), key=lambda j: abs(mids[j] - z))
                if abs(mids[k] - z) > mpmath.mpf(10) ** (-DPS // 2):
                    ok = False  # the orbit leaves the box
                    break
                used.add(k)
                pts.append([mids[k]])
                z = step([z], hm)[0]
            if ok:
                orbits.append(classify_orbit(obj, pts, lr, DPS, certify=True))
    where = f"[{sp.sstr(lo)}, {sp.sstr(hi)}]" if box is not None else \
        f"the real line (all roots lie in |x| <= {sp.sstr(hi)})"
    orbits.sort(key=lambda o: float(o.points[0][0]))
    return OrbitList(p, tuple(orbits), True,
                     "exact root isolation of g^p(x) - x (FLINT), Krawczyk certificates",
                     where)


@lr_keyword
def searched_orbits(obj: Objective, lr, max_period: int, box) -> list[OrbitList]:
    """Orbits of minimal period 1..``max_period`` by the certified search of
    :func:`lrtheory.dynamics.orbits.search_periodic_orbits` in the square ``box``."""
    from ..dynamics.orbits import search_periodic_orbits
    lo, hi = box
    search = search_periodic_orbits(obj, lr, max_period, (float(lo), float(hi)), STARTS, DPS,
                                    seed=0, certify=True,
                                    prove=max_period if obj.dim == 1 else 0)
    out = []
    for p in range(1, max_period + 1):
        cov = search.coverage[p - 1]
        out.append(OrbitList(p, search.by_period(p), cov.complete == "proved",
                             "Newton search with Krawczyk certificates"
                             + (", branch-and-bound completeness" if cov.complete == "proved"
                                else f" ({cov.summary()})"),
                             f"the box [{sp.sstr(lo)}, {sp.sstr(hi)}]^{obj.dim}"))
    return out


@lr_keyword
def orbits_of_period(obj: Objective, lr, p: int, box) -> OrbitList:
    """The orbits of minimal period ``p``: :func:`exact_orbits` where it applies
    (:func:`exact_applicable`), else :func:`searched_orbits` in ``box`` (default
    :data:`DEFAULT_BOX`)."""
    if exact_applicable(obj, lr):
        return exact_orbits(obj, lr, p, box)
    return searched_orbits(obj, lr, p, box or DEFAULT_BOX)[-1]


@lr_keyword
def superstable_orbit(obj: Objective, lr, p: int):
    """A critical point c of the GD map G(x) = x − h f'(x) (G'(c) = 0) with G^p(c) = c and
    minimal period p, decided exactly (one variable, f' a polynomial over Q; h any exact
    algebraic number): the orbit through c has multiplier ∏ G'(x_i) = 0.  None when
    there is none or the case does not apply."""
    from ..bifurcation.exact import is_exact_applicable
    if obj.dim != 1 or not is_exact_applicable(obj) or not sp.sympify(lr).is_algebraic:
        return None
    x = obj.vars[0]
    g = obj.gd_map_exprs(lr)[0]
    z = sp.Dummy("z")
    try:
        crit = [c for c in sp.solve(sp.diff(g, x), x) if c.is_real]
    except NotImplementedError:
        return None
    for c in crit:
        orbit = [c]
        for _ in range(p):
            orbit.append(sp.expand(g.subs(x, orbit[-1])))
        try:
            back = [sp.minimal_polynomial(orbit[k] - c, z) == z for k in range(1, p + 1)]
        except (NotImplementedError, ValueError):
            continue
        if back[-1] and not any(back[:-1]):
            return c
    return None
