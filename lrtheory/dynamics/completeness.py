"""Rigorous completeness of a list of periodic orbits by branch and bound (BLOG-8).

The period-p points of G_h(z) = z − h∇f(z) are the zeros of E_p(z) = G_h^p(z) − z.  A
box X (python-flint balls) of a cover of the search region is

* **discarded** when it provably holds no zero of interest: X lies in an excluded region
  (proved free of the orbits counted, see :func:`curve_expansion_bound`), some image
  G^k(X), 1 ≤ k < p, misses the box B (the orbit would leave B), or some component of
  E_p over X excludes 0 — by the natural extension G^p(X) − X, by the mean-value form
  E_p(m) + DE_p(X)(X − m), or because the Krawczyk image misses X;
* **accepted** when the Krawczyk test K(X) ⊂ int X proves a unique zero of E_p in X, with

      K(X) = m − C E_p(m) + (I − C DE_p(X))(X − m),   C ≈ DE_p(m)^{-1},
      DE_p(X) = DG_h(G^{p−1}(X)) ··· DG_h(X) − I;

* **split** in two along its widest side otherwise, down to a depth limit; boxes left at
  the limit (or beyond the box budget) are *undecided* and reported, never dropped.

The Krawczyk test is the one of :mod:`lrtheory.certify.krawczyk`, the search the branch and
bound of :mod:`lrtheory.certify.branch_and_bound`.

Only the short composition G^p (p ≤ 3 in BLOG-8) is evaluated on balls.  Each accepted box
holds exactly one zero; it is identified with a known certified orbit point when that
point's enclosure lies inside the box (the point is then that zero).  An accepted box with
no known point inside is a zero missing from the list, unless its orbit provably leaves B.

For f(x, y) = (1 − xy)²/2 the excluded region is U = {|xy − 1| < δ}: with r = xy − 1 one
GD step maps r to r' = r·(1 − h(x² + y²) + h² r(r + 1)), and in U the factor has modulus
at least c = 2h(1 − δ) − 1 − h²δ(1 + δ); when c > 1 no periodic orbit lies entirely in U
except the fixed points on xy = 1 (non-isolated), so every other periodic orbit in B has a
point in B \\ U.
"""
from __future__ import annotations

from functools import partial

import sympy as sp
from flint import arb

from ..certify import (ACCEPT, EXCLUDE, SPLIT, BoxSearch, ball_identity, bisect_widest,
                       box_balls, branch_and_bound, excludes_zero, krawczyk_test)
from ..errors import InputError
from ..evaluators import to_arb
from ..numbers import convert, parameter
from ..objectives import Objective
from ..precision import precision
from ..results import Result, result
from .krawczyk import image_chain, monodromy_ball

#: Split point of a box side as a fraction of its width: off-centre, so that points with
#: simple dyadic coordinates (the origin, the symmetry lines) do not fall on box edges.
SPLIT_FRACTION = 0.484375


# ---- step 1: the minimizer curve of (1 − xy)²/2 --------------------------------------------
def curve_residual_map(obj: Objective, h) -> tuple[sp.Expr, sp.Expr]:
    """(r', r·(1 − h(x² + y²) + h² r(r + 1))) for r = xy − 1, r' = x'y' − 1 after one
    exact GD step of f(x, y) = (1 − xy)²/2; the two agree identically."""
    x, y = obj.vars
    r = x * y - 1
    h = parameter(h, "learning rate")
    G = obj.gd_map_exprs(h)
    lhs = sp.expand(G[0] * G[1] - 1)
    return lhs, sp.expand(r * (1 - h * (x**2 + y**2) + h**2 * r * (r + 1)))


def curve_expansion_bound(h, delta) -> sp.Rational:
    """c = 2h(1 − δ) − 1 − h²δ(1 + δ), exact.

    For |r| < δ ≤ 1/2: x² + y² ≥ 2|xy| = 2|1 + r| ≥ 2(1 − δ) and r(r + 1) < δ(1 + δ), so
    φ = 1 − h(x² + y²) + h² r(r + 1) < 1 − 2h(1 − δ) + h²δ(1 + δ) = −c, i.e. |φ| > c."""
    h, delta = convert(h, "learning rate"), convert(delta, "delta")
    if not 0 < delta <= sp.Rational(1, 2):
        raise InputError("the bound needs 0 < delta <= 1/2")
    return 2 * h * (1 - delta) - 1 - h**2 * delta * (1 + delta)


class near_curve:
    """Box predicate: |xy − 1| < δ holds on the whole ball box (x, y).  A plain object (it
    pickles) whose ``str`` names the region."""

    def __init__(self, delta):
        self.delta = convert(delta, "delta")

    def __call__(self, X) -> bool:
        d = to_arb(self.delta)
        r = X[0] * X[1] - 1
        return bool(r > -d and r < d)

    def __str__(self):
        return f"|xy - 1| < {self.delta}"


# ---- step 2: branch and bound on E_p = G^p − id ------------------------------------------
def _misses(z, lo: arb, hi: arb) -> bool:
    """Some coordinate of the ball point ``z`` lies certainly outside [lo, hi]."""
    return any(c > hi or c < lo for c in z)


def classify_box(obj: Objective, X, h: arb, p: int, bounds, excluded=None):
    """The branch-and-bound verdict for one ball box X: (EXCLUDE, None), (SPLIT, None) or
    (ACCEPT, enclosure of the unique zero of E_p as Balls) — see the module docstring."""
    if excluded is not None and excluded(X):
        return EXCLUDE, None
    chain = image_chain(obj, X, h, p)
    if any(_misses(z, *bounds) for z in chain[1:p]):
        return EXCLUDE, None
    if excludes_zero([a - b for a, b in zip(chain[p], X)]):
        return EXCLUDE, None
    n = len(X)
    test = krawczyk_test(
        lambda m: [a - b for a, b in zip(image_chain(obj, m, h, p)[-1], m)],
        lambda _: monodromy_ball(obj, chain[:p], h) - ball_identity(n), X)
    if test.proved:
        return ACCEPT, test.enclosure
    return (EXCLUDE, None) if test.verdict == "empty" else (SPLIT, None)


def zeros_in_box(obj: Objective, h, p: int, box, excluded=None, max_depth: int = 40,
                 dps: int = 20, max_boxes: int = 10**6) -> BoxSearch:
    """All zeros of E_p = G_h^p − id in the square ``box = (lo, hi)`` whose orbits stay in
    it, outside the ``excluded`` region (a predicate on ball boxes), by branch and bound
    (:func:`lrtheory.certify.branch_and_bound`; accepted values are the zeros' enclosures
    K(X) ∩ X as Balls).  Depth-first, deterministic: the box counts are reproducible."""
    with precision(dps=dps):
        hb, bounds = to_arb(convert(h, "learning rate")), (to_arb(box[0]), to_arb(box[1]))
        root = ((float(box[0]), float(box[1])),) * obj.dim
        return branch_and_bound(
            root, lambda b: classify_box(obj, box_balls(b), hb, p, bounds, excluded),
            split=partial(bisect_widest, fraction=SPLIT_FRACTION), max_depth=max_depth,
            max_boxes=max_boxes)


# ---- step 3: identify the zeros with a list of certified orbits ---------------------------
@result
class OrbitCompleteness(Result):
    """Outcome of :func:`prove_complete` for one period p.

    ``search`` — the branch and bound (:class:`~lrtheory.certify.BoxSearch`); ``known`` —
    known orbits of minimal period p; ``matched`` — indices (into the orbit list given) of
    those owning an accepted zero; ``missing`` — enclosures (Balls) of zeros of E_p whose
    orbits stay in B but belong to no known orbit of period dividing p; ``unresolved`` —
    accepted zeros neither matched, nor missing, nor leaving B; ``excluded_region`` — the
    region left out ("" for none).  ``complete``: every orbit of minimal period p in B (off
    the excluded region) is known."""

    period: int
    search: BoxSearch
    known: int = 0
    matched: tuple = ()
    missing: tuple = ()
    unresolved: tuple = ()
    excluded_region: str = ""

    @property
    def complete(self) -> bool:
        return (self.search.decided and not self.missing and not self.unresolved
                and len(self.matched) == self.known)


#: The name used before completeness results were result objects.
Completeness = OrbitCompleteness


def _inside(inner, outer) -> bool:
    return all(o.contains(i) for i, o in zip(inner, outer))


def _owner(X, orbits, p: int):
    """(index, period) of a known orbit, certified with its minimal period dividing p,
    having a point whose enclosure lies in X (it is then X's unique zero of E_p), else
    None."""
    for k, o in enumerate(orbits):
        cert = o.certificate
        if (cert is not None and cert.proved and cert.minimal and p % o.period == 0
                and any(_inside(b, X) for b in cert.balls())):
            return k, o.period
    return None


def _orbit_fate(obj: Objective, K, h: arb, p: int, bounds) -> str:
    """'leaves' if some G^k(K), k < p, lies certainly outside B; 'stays' if all lie in B;
    otherwise 'unknown' (K encloses the unique zero of an accepted box)."""
    chain = image_chain(obj, K, h, p)[:p]
    if any(_misses(z, *bounds) for z in chain):
        return "leaves"
    lo, hi = bounds
    return "stays" if all(c >= lo and c <= hi for z in chain for c in z) else "unknown"


def prove_complete(obj: Objective, h, p: int, box, orbits, excluded=None,
                   max_depth: int = 40, dps: int = 20, max_boxes: int = 10**6
                   ) -> OrbitCompleteness:
    """Branch and bound for E_p (:func:`zeros_in_box`), then each accepted zero is
    identified with a point of a known certified orbit (``orbits``: PeriodicOrbit with
    Krawczyk certificates) or classified as missing / leaving B / unresolved."""
    search = zeros_in_box(obj, h, p, box, excluded, max_depth, dps, max_boxes)
    matched, missing, unresolved = set(), [], []
    seen: list = []   # boxes of unmatched zeros: a K inside one is the same zero
    with precision(dps=dps):
        hb, bounds = to_arb(convert(h, "learning rate")), (to_arb(box[0]), to_arb(box[1]))
        for box_k, enclosure in search.accepted:
            X, K = box_balls(box_k), [b.to_arb() for b in enclosure]
            owner = _owner(X, orbits, p)
            if owner is not None:
                if owner[1] == p:
                    matched.add(owner[0])
                continue
            if any(_inside(K, S) for S in seen):
                continue
            seen.append(X)
            fate = _orbit_fate(obj, K, hb, p, bounds)
            if fate == "stays":
                missing.append(enclosure)
            elif fate == "unknown":
                unresolved.append(enclosure)
    return OrbitCompleteness(p, search, sum(o.period == p for o in orbits),
                             tuple(sorted(matched)), tuple(missing), tuple(unresolved),
                             "" if excluded is None else str(excluded))
