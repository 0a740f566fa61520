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
  the limit are *undecided* and reported, never dropped.

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

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from flint import arb, arb_mat

from ..objectives import Objective
from ..evaluators import to_arb
from .krawczyk import ball_identity, mid_inverse, arb_precision, monodromy_ball

#: Split point of a box side as a fraction of its width: off-centre, so that points with
#: simple dyadic coordinates (the origin, the symmetry lines) do not fall on box edges.
SPLIT = 0.484375


# ---- step 1: the minimizer curve of (1 − xy)²/2 --------------------------------------------
def curve_residual_map(obj: Objective, h) -> tuple[sp.Expr, sp.Expr]:
    """(r', r·(1 − h(x² + y²) + h² r(r + 1))) for r = xy − 1, r' = x'y' − 1 after one
    exact GD step of f(x, y) = (1 − xy)²/2; the two agree identically."""
    x, y = obj.vars
    r = x * y - 1
    G = obj.gd_map_exprs(sp.nsimplify(h))
    lhs = sp.expand(G[0] * G[1] - 1)
    return lhs, sp.expand(r * (1 - h * (x**2 + y**2) + h**2 * r * (r + 1)))


def curve_expansion_bound(h, delta) -> sp.Rational:
    """c = 2h(1 − δ) − 1 − h²δ(1 + δ), exact.

    For |r| < δ ≤ 1/2: x² + y² ≥ 2|xy| = 2|1 + r| ≥ 2(1 − δ) and r(r + 1) < δ(1 + δ), so
    φ = 1 − h(x² + y²) + h² r(r + 1) < 1 − 2h(1 − δ) + h²δ(1 + δ) = −c, i.e. |φ| > c."""
    h, delta = sp.nsimplify(h), sp.nsimplify(delta)
    if not 0 < delta <= sp.Rational(1, 2):
        raise ValueError("the bound needs 0 < delta <= 1/2")
    return 2 * h * (1 - delta) - 1 - h**2 * delta * (1 + delta)


def near_curve(delta) -> Callable[[list], bool]:
    """Box predicate: |xy − 1| < δ holds on the whole ball box (x, y)."""
    d = to_arb(sp.nsimplify(delta))

    def inside(X) -> bool:
        r = X[0] * X[1] - 1
        return bool(r > -d and r < d)
    return inside


# ---- step 2: branch and bound on E_p = G^p − id ------------------------------------------
@dataclass
class BoxSearch:
    """Outcome of :func:`zeros_in_box`: ``accepted`` — (box, K(X) ∩ X) pairs, each with a
    unique zero of E_p; ``undecided`` — boxes left at the depth limit; ``boxes`` — boxes
    processed; ``depth`` — the deepest box processed."""

    period: int
    accepted: list = field(default_factory=list)
    undecided: list = field(default_factory=list)
    boxes: int = 0
    depth: int = 0


def _ball_box(lo, hi) -> list:
    """Balls containing the real box ∏[lo_i, hi_i] (float endpoints, exact)."""
    return [arb(a).union(arb(b)) for a, b in zip(lo, hi)]


def _misses(z, lo: arb, hi: arb) -> bool:
    """Some coordinate of the ball point ``z`` lies certainly outside [lo, hi]."""
    return any(c > hi or c < lo for c in z)


def image_chain(obj: Objective, X, h: arb, p: int) -> list:
    """X, G(X), …, G^p(X) in ball arithmetic (natural extension, p + 1 boxes)."""
    chain = [list(X)]
    for _ in range(p):
        chain.append(obj.arb.gd_step(chain[-1], h))
    return chain


def _excludes_zero(vec) -> bool:
    return any(not v.contains(0) for v in vec)


def _krawczyk(obj: Objective, X, chain, h: arb):
    """('out' | 'unique' | 'split', K(X) ∩ X or None) from the mean-value form and the
    Krawczyk operator of E_p on X (``chain`` = :func:`image_chain` of X)."""
    p, n = len(chain) - 1, len(X)
    m = [arb(x.mid()) for x in X]
    Em = [a - b for a, b in zip(image_chain(obj, m, h, p)[-1], m)]
    J = monodromy_ball(obj, chain[:p], h) - ball_identity(n)
    dX = arb_mat(n, 1, [x - c for x, c in zip(X, m)])
    Em_col = arb_mat(n, 1, Em)
    if _excludes_zero([(Em_col + J * dX)[i, 0] for i in range(n)]):
        return "out", None
    C = mid_inverse(J)
    if C is None:
        return "split", None
    K = arb_mat(n, 1, m) - C * Em_col + (ball_identity(n) - C * J) * dX
    K = [K[i, 0] for i in range(n)]
    if any(not k.overlaps(x) for k, x in zip(K, X)):
        return "out", None
    if all(x.contains_interior(k) for k, x in zip(K, X)):
        return "unique", [k.intersection(x) for k, x in zip(K, X)]
    return "split", None


def classify_box(obj: Objective, X, h: arb, p: int, bounds, excluded=None):
    """('out' | 'unique' | 'split', enclosure) for one box X (see the module docstring)."""
    if excluded is not None and excluded(X):
        return "out", None
    chain = image_chain(obj, X, h, p)
    if any(_misses(z, *bounds) for z in chain[1:p]):
        return "out", None
    if _excludes_zero([a - b for a, b in zip(chain[p], X)]):
        return "out", None
    return _krawczyk(obj, X, chain, h)


def _halves(lo, hi):
    """The two halves of [lo, hi] split across the widest side at the fraction SPLIT."""
    i = max(range(len(lo)), key=lambda k: hi[k] - lo[k])
    cut = lo[i] + (hi[i] - lo[i]) * SPLIT
    return (lo, hi[:i] + [cut] + hi[i + 1:]), (lo[:i] + [cut] + lo[i + 1:], hi)


def zeros_in_box(obj: Objective, h, p: int, box, excluded=None, max_depth: int = 40,
                 dps: int = 20) -> BoxSearch:
    """All zeros of E_p = G_h^p − id in the square ``box = (lo, hi)`` whose orbits stay in
    it, outside the ``excluded`` region (a predicate on ball boxes), by branch and bound.

    Depth-first, deterministic: the box counts are reproducible."""
    res = BoxSearch(p)
    with arb_precision(dps):
        hb, bounds = to_arb(sp.nsimplify(h)), (to_arb(box[0]), to_arb(box[1]))
        stack = [([float(box[0])] * obj.dim, [float(box[1])] * obj.dim, 0)]
        while stack:
            lo, hi, depth = stack.pop()
            res.boxes, res.depth = res.boxes + 1, max(res.depth, depth)
            X = _ball_box(lo, hi)
            verdict, K = classify_box(obj, X, hb, p, bounds, excluded)
            if verdict == "unique":
                res.accepted.append((X, K))
            elif verdict == "split" and depth >= max_depth:
                res.undecided.append(X)
            elif verdict == "split":
                stack.extend((a, b, depth + 1) for a, b in reversed(_halves(lo, hi)))
    return res


# ---- step 3: identify the zeros with a list of certified orbits ---------------------------
@dataclass
class Completeness:
    """Outcome of :func:`prove_complete` for one period p: ``matched`` — indices of the
    known orbits of minimal period p owning an accepted zero; ``missing`` — enclosures of
    zeros of E_p whose orbits stay in B but belong to no known orbit of period dividing p;
    ``unresolved`` — accepted zeros neither matched, nor missing, nor leaving B;
    ``complete`` — every orbit of minimal period p in B (off the excluded region) is known."""

    period: int
    search: BoxSearch
    known: int = 0
    matched: set = field(default_factory=set)
    missing: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return (not self.search.undecided and not self.missing and not self.unresolved
                and len(self.matched) == self.known)


def _inside(inner, outer) -> bool:
    return all(o.contains(i) for i, o in zip(inner, outer))


def _owner(X, orbits, p: int):
    """(index, period) of a known orbit, certified with its minimal period dividing p,
    having a point whose enclosure lies in X (it is then X's unique zero of E_p), else
    None."""
    for k, o in enumerate(orbits):
        cert = o.certificate
        if (cert is not None and cert.proved and cert.minimal and p % o.period == 0
                and any(_inside(b, X) for b in cert.boxes)):
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
                   max_depth: int = 40, dps: int = 20) -> Completeness:
    """Branch and bound for E_p (:func:`zeros_in_box`), then each accepted zero is
    identified with a point of a known certified orbit (``orbits``: PeriodicOrbit with
    Krawczyk certificates) or classified as missing / leaving B / unresolved."""
    res = Completeness(p, zeros_in_box(obj, h, p, box, excluded, max_depth, dps),
                       known=sum(o.period == p for o in orbits))
    seen: list = []   # boxes of unmatched zeros: a K inside one is the same zero
    with arb_precision(dps):
        hb, bounds = to_arb(sp.nsimplify(h)), (to_arb(box[0]), to_arb(box[1]))
        for X, K in res.search.accepted:
            owner = _owner(X, orbits, p)
            if owner is not None:
                if owner[1] == p:
                    res.matched.add(owner[0])
                continue
            if any(_inside(K, S) for S in seen):
                continue
            seen.append(X)
            fate = _orbit_fate(obj, K, hb, p, bounds)
            if fate == "stays":
                res.missing.append(K)
            elif fate == "unknown":
                res.unresolved.append(K)
    return res
