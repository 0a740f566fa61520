"""An attracting p-cycle of GD for every learning rate of an interval: parametric Krawczyk
test plus a multiplier bound, by bisection of the rates.

Statement: for every h ∈ [a, b] the GD map G_h(x) = x − h∇f(x) has an attracting orbit of
minimal period p (in a box, when given).  For a sub-interval H of rates,

* the multiple-shooting system F(Z, h) = (G_h(z_i) − z_{i+1 mod p})_i
  (:func:`lrtheory.dynamics.krawczyk.shooting_residual`) is Krawczyk-tested on a box X
  about a numerical orbit at the middle rate with h *enclosed by the ball H* (parametric
  Krawczyk): K(X, H) ⊂ int X proves that for every h ∈ H, F(·, h) has exactly one zero in
  X — one orbit, continuing over H;
* the monodromy matrix DG_h^p = ∏ DG_h(z_i) is enclosed over X and H, and its eigenvalue
  enclosures (or ‖·‖∞) all of modulus < 1 prove the orbit attracting for every h ∈ H
  (:func:`lrtheory.dynamics.krawczyk.multiplier_enclosures`); disjoint boxes of z_0 and
  z_d (d | p, d < p) prove the minimal period p.

:func:`attracting_cycle_over_rates` covers [a, b] by such sub-intervals with
:func:`lrtheory.certify.branch_and_bound` (one coordinate, h); a sub-interval where no
orbit is found or certified is split, and those left at the depth limit are undecided,
with their measure.  It proves, never refutes: a failed certificate is no counterexample
(another attracting p-cycle may exist elsewhere).  Any number of variables; the objective
may be elementary (Arb).
"""
from __future__ import annotations

import numpy as np
from flint import arb

from ..objectives import Objective
from ..results import Result, result
from .branch_and_bound import ACCEPT, SPLIT, branch_and_bound
from .sets import Interval

__all__ = ["CycleProof", "attracting_cycle_over_rates"]

#: Half-widths of the shooting boxes tried, relative to 1 + |orbit|.
RADII = (1e-10, 1e-7, 1e-5, 1e-3, 1e-2, 5e-2)


@result
class CycleProof(Result):
    """Outcome of :func:`attracting_cycle_over_rates`.

    ``verdict`` — "proved" or "undecided"; ``pieces`` — (h_lo, h_hi, orbit text) of the
    certified sub-intervals; ``undecided`` — (h_lo, h_hi) left; ``undecided_measure`` —
    their total length."""

    period: int
    verdict: str
    pieces: tuple = ()
    undecided: tuple = ()
    undecided_measure: float = 0.0
    _repr_skip = ("pieces", "undecided")


def _numerical_cycle(obj: Objective, h: float, p: int, starts, hint):
    """A period-p orbit at rate h: Newton from the hint (the orbit of a neighbouring
    interval), else from the tails of float GD runs from ``starts``; or None."""
    if hint is not None:
        pts = _newton_cycle(obj, h, p, hint)
        if pts is not None:
            return pts
    X = np.array(starts, dtype=float)
    with np.errstate(all="ignore"):
        for _ in range(3000):
            X = X - h * obj.numpy.grad(X)
            X[~np.all(np.isfinite(X), axis=1) | np.any(np.abs(X) > 1e8, axis=1)] = np.nan
    tails = [list(x) for x in X if np.all(np.isfinite(x))]
    seeds = [t for i, t in enumerate(tails)
             if all(max(abs(a - b) for a, b in zip(t, u)) > 1e-6 for u in tails[:i])]
    for seed in seeds[:4]:
        pts = _newton_cycle(obj, h, p, seed)
        if pts is not None:
            return pts
    return None


def _newton_cycle(obj: Objective, h: float, p: int, seed):
    """The orbit of minimal period p Newton's method reaches from ``seed``, or None."""
    from ..dynamics.orbits import newton_periodic, orbit_points
    sol = newton_periodic(obj, seed, repr(h), p, dps=30, maxiter=30)
    if sol is None:
        return None
    pts = [[float(c) for c in pt] for pt in orbit_points(obj, sol[0], repr(h), p)[:p]]
    if all(max(abs(a - b) for a, b in zip(pts[0], pts[d])) > 1e-8
           for d in range(1, p) if p % d == 0):
        return pts      # minimal period p (numerically; the certificate proves it)
    return None


def _certify(obj: Objective, pts, H, box):
    """An OrbitCertificate proving an attracting minimal p-cycle in boxes about ``pts``
    for every h in the ball H (inside ``box`` when given), or None.  Half-widths tried:
    :data:`RADII` and multiples of the width of H (the orbit moves with h)."""
    from ..dynamics.krawczyk import certify_boxes
    scale = 1 + max(abs(c) for pt in pts for c in pt)
    width = 2 * float(H.rad())
    for r in sorted({rel * scale for rel in RADII} | {k * width * scale for k in (2, 8, 32)}):
        cert = certify_boxes(obj, [[arb(c, r) for c in pt] for pt in pts], H)
        if cert.proved and cert.minimal and cert.stable is True and _inside(cert, box):
            return cert
    return None


def _inside(cert, box) -> bool:
    if box is None:
        return True
    lo, hi = (float(v) for v in box)
    return all(lo <= float(b.to_arb().lower()) and float(b.to_arb().upper()) <= hi
               for pt in cert.boxes for b in pt)


def attracting_cycle_over_rates(obj: Objective, rates: Interval, period: int, starts=None,
                                box=None, max_depth: int = 12, max_boxes: int = 200,
                                bits: int = 128) -> CycleProof:
    """Prove an attracting orbit of minimal period ``period`` for every rate of the bounded
    interval ``rates`` (its closure), optionally inside ``box`` = (lo, hi) in every
    coordinate (module docstring).  ``starts``: float points whose GD orbits find the
    cycle (default: a small grid in the box or in [−2, 2]ⁿ)."""
    from ..precision import precision
    if not rates.bounded:
        raise ValueError("attracting_cycle_over_rates needs a bounded interval of rates")
    lo, hi = box if box is not None else (-2, 2)
    if starts is None:
        grid = np.linspace(float(lo), float(hi), 7)[1:-1]
        starts = [list(p) for p in np.array(np.meshgrid(*[grid] * obj.dim)).reshape(obj.dim, -1).T]
    memo = {"hint": None}

    def decide(fbox):
        (a, b), = fbox
        H = arb(a).union(arb(b))
        mid = (a + b) / 2
        pts = _numerical_cycle(obj, mid, period, starts, memo["hint"])
        if pts is None:
            return SPLIT, None
        cert = _certify(obj, pts, H, box)
        if cert is None:
            return SPLIT, None
        memo["hint"] = pts[0]
        return ACCEPT, ", ".join("(" + ", ".join(f"{c:.6g}" for c in pt) + ")" for pt in pts)

    with precision(bits=bits):
        search = branch_and_bound(rates.float_box(), decide, max_depth=max_depth,
                                  max_boxes=max_boxes)
    pieces = tuple((fb[0][0], fb[0][1], text) for fb, text in search.accepted)
    undecided = tuple(fb[0] for fb in search.undecided)
    measure = float(sum(b - a for a, b in undecided))
    return CycleProof(period, "undecided" if undecided else "proved", pieces, undecided,
                      measure)
