"""Inequalities over boxes, tight ones included: g(x) ≥ 0 (or > 0) for every x of a box.

Branch and bound (:func:`lrtheory.certify.branch_and_bound`) with the margin g enclosed
in Arb balls on each sub-box B (natural extension ∩ mean-value form):

* g(B) > 0 (≥ 0 for a non-strict inequality) — B holds;
* g(B) < 0 — every point of B is a counterexample; its centre, a rational point, is named
  and re-checked exactly (sympy) or in balls.  Before the search, a falsifier evaluates g
  exactly at a grid of rational points of the box (corners included) and names the
  least value when it is negative;
* **second-order certificate** at a touching point c — a rational point of the box with
  g(c) = 0 and ∇g(c) = 0 *exactly* (found by Newton's method on ∇g from the best points
  of a grid, rounded to nearby simple rationals and checked in exact arithmetic): on a
  sub-box B ∋ c where the Hessian enclosure ∇²g(B) is positive definite (Gershgorin: each
  diagonal entry exceeds its row's off-diagonal moduli), g is convex on B and so
  g(x) ≥ g(c) + ∇g(c)·(x − c) = 0 there.  A tight inequality (equality at an interior
  point, e.g. 1/a² + 1/b² + a²b² ≥ 3 at (1, 1)) is thus proved, not left at the
  resolution of the search; for the strict relation the touching point is a counterexample.

Boxes left at the depth limit or the budget are undecided, with their measure.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import sympy as sp

from ..evaluators import compile_exprs
from ..results import Result, result
from .branch_and_bound import ACCEPT, EXCLUDE, SPLIT, branch_and_bound
from .sets import Box

__all__ = ["MarginProof", "prove_nonnegative", "touching_points", "local_minima",
           "convex_quadratic"]


@result
class MarginProof(Result):
    """Outcome of :func:`prove_nonnegative`: ``verdict`` "proved", "refuted" or
    "undecided"; ``counterexample`` — a rational point with g < 0 (g ≤ 0 when strict) and
    the value there (text); ``touching`` — the exact touching points used; ``convex_boxes``
    — sub-boxes proved by the second-order certificate; ``undecided`` / ``measure``."""

    verdict: str
    counterexample: tuple | None = None
    touching: tuple = ()
    convex_boxes: int = 0
    boxes: int = 0
    undecided: tuple = ()
    measure: float = 0.0
    _repr_skip = ("undecided",)


def convex_quadratic(g: sp.Expr, variables) -> bool:
    """Whether ∇²g is constant, rational and positive semidefinite (decided exactly): then
    g is a convex quadratic and g(x) ≥ g(p) + ∇g(p)·(x − p) for all x, p ∈ Rⁿ, so a point p
    with g(p) = 0 and ∇g(p) = 0 exactly (a touching point) proves g ≥ 0 everywhere."""
    H = sp.hessian(g, variables)
    return all(e.is_Rational for e in H) and bool(H.is_positive_semidefinite)


def touching_points(g: sp.Expr, variables, box: Box) -> list:
    """Rational points c of the box with g(c) = 0 and ∇g(c) = 0 exactly (among the
    :func:`local_minima`)."""
    grad = [sp.diff(g, v) for v in variables]
    found = []
    for c in local_minima(g, variables, box):
        sub = dict(zip(variables, c))
        if sp.simplify(g.subs(sub)) == 0 and all(sp.simplify(d.subs(sub)) == 0 for d in grad):
            found.append(c)
    return found


def local_minima(g: sp.Expr, variables, box: Box, grid: int = 9) -> list:
    """Simple rational points of the box near critical points of g: Newton's method on ∇g
    from the five lowest points of a grid, each limit rounded to the nearest fraction of
    denominator ≤ 1000 (a local optimisation of the margin, for the falsifier and the
    touching points)."""
    grad = [sp.diff(g, v) for v in variables]
    f_np = sp.lambdify(variables, g, "numpy")
    gr_np = sp.lambdify(variables, grad, "numpy")
    he_np = sp.lambdify(variables, [[sp.diff(d, v) for v in variables] for d in grad], "numpy")
    axes = [np.linspace(float(s.lo), float(s.hi), grid) for s in box.sides]
    pts = np.array(list(itertools.product(*axes)), dtype=float)
    with np.errstate(all="ignore"):
        vals = np.array([float(f_np(*p)) for p in pts])
    found = []
    for p in pts[np.argsort(np.where(np.isfinite(vals), vals, np.inf))[:5]]:
        x = p.copy()
        with np.errstate(all="ignore"):
            for _ in range(50):
                step = _newton_step(he_np, gr_np, x)
                if step is None:
                    break
                x = x - step
                if not np.all(np.isfinite(x)) or np.max(np.abs(step)) < 1e-14:
                    break
        if not np.all(np.isfinite(x)):
            continue
        c = tuple(sp.Rational(Fraction(v).limit_denominator(1000)) for v in x)
        if c not in found and box.contains(c):
            found.append(c)
    return found


def _newton_step(hessian, gradient, x):
    """The least-squares Newton step H(x)⁺∇g(x), or None where H or ∇g is not finite
    (an overflow of an elementary function far from the box) or the solver fails."""
    H = np.array(hessian(*x), dtype=float)
    d = np.array(gradient(*x), dtype=float)
    if not (np.all(np.isfinite(H)) and np.all(np.isfinite(d))):
        return None
    try:
        return np.linalg.lstsq(H, d, rcond=None)[0]
    except np.linalg.LinAlgError:
        return None


def _grid_counterexample(g, variables, box: Box, strict: bool, grid: int = 5):
    """(point, value) of the grid point (exact rationals, corners included) or local
    minimum (:func:`local_minima`) where g is least, when g < 0 there (≤ 0 when strict) in
    exact arithmetic; else None."""
    axes = [s.grid(grid) if s.lo != s.hi else [s.lo] for s in box.sides]
    best = None
    for c in list(itertools.product(*axes)) + local_minima(g, variables, box):
        if not box.contains(c):
            continue
        at = g.subs(dict(zip(variables, c)))
        if at.is_Rational and (best is None or at < best[1]):
            best = (c, at)
    if best is not None and (best[1] < 0 or (strict and best[1] <= 0)):
        return tuple(best[0]), str(best[1])
    return None


def _enclose(value, gradient, X):
    """g over the box X: the natural extension intersected with the mean-value form
    g(m) + ∇g(X)·(X − m)."""
    from flint import arb
    m = [arb(x.mid()) for x in X]
    natural = value(*X)[0]
    mv = value(*m)[0] + sum((d * (x - c) for d, x, c in zip(gradient(*X), X, m)), arb(0))
    if natural.is_finite() and mv.is_finite() and natural.overlaps(mv):
        return natural.intersection(mv)
    return mv if mv.is_finite() else natural


def _positive_definite(H) -> bool:
    n = len(H)
    return all(float(H[i][i].lower()) > sum(float(abs(H[i][j]).upper())
                                           for j in range(n) if j != i) for i in range(n))


def prove_nonnegative(g, variables, box: Box, strict: bool = False, max_depth: int = 30,
                      max_boxes: int = 20000) -> MarginProof:
    """Prove g ≥ 0 (g > 0 when ``strict``) on the bounded ``box``, refute it with a named
    rational point, or name the undecided part (module docstring).  ``g`` is a sympy
    expression in ``variables`` (polynomial or elementary)."""
    from ..evaluators import to_arb
    variables = tuple(variables)
    n = len(variables)
    value = compile_exprs([g], variables, "arb")
    gradient = compile_exprs([sp.diff(g, a) for a in variables], variables, "arb")
    hess = compile_exprs([sp.diff(g, a, b) for a in variables for b in variables],
                         variables, "arb")
    touching = touching_points(g, variables, box)
    if strict and touching:
        return MarginProof("refuted", (touching[0], "0"), tuple(touching))
    point = _grid_counterexample(g, variables, box, strict)
    if point is not None:
        return MarginProof("refuted", point, tuple(touching))
    convex = {"boxes": 0, "refuted": False}

    def decide(fbox):
        if convex["refuted"]:
            return EXCLUDE, None        # a counterexample box is known
        X = [to_arb(lo).union(to_arb(hi)) for lo, hi in fbox]
        v = _enclose(value, gradient, X)
        if v.is_finite() and (v > 0 or (not strict and v >= 0)):
            return EXCLUDE, None
        if v.is_finite() and (v < 0 or (strict and v <= 0)):
            convex["refuted"] = True
            return ACCEPT, "counterexample"
        for c in touching:
            if all(lo <= float(ci) <= hi for ci, (lo, hi) in zip(c, fbox)):
                h = hess(*X)
                if all(e.is_finite() for e in h) and \
                        _positive_definite([h[i * n:(i + 1) * n] for i in range(n)]):
                    convex["boxes"] += 1
                    return EXCLUDE, None
        return SPLIT, None

    search = branch_and_bound(box.float_box(), decide, max_depth=max_depth,
                              max_boxes=max_boxes)
    for fbox, _ in search.accepted:
        c = tuple(sp.Rational(Fraction((lo + hi) / 2)) for lo, hi in fbox)
        if box.contains(c):
            at = g.subs(dict(zip(variables, c)))
            exact = sp.nsimplify(at) if at.is_Rational else sp.N(at, 15)
            return MarginProof("refuted", (c, str(exact)), tuple(touching), convex["boxes"],
                               search.boxes)
    undecided = tuple(search.undecided)
    measure = float(sum(np.prod([hi - lo for lo, hi in b]) for b in undecided))
    return MarginProof("undecided" if undecided else "proved", None, tuple(touching),
                       convex["boxes"], search.boxes, undecided, measure)
