"""Rigorous completeness of a list of periodic orbits by branch and bound (BLOG-8).  The
learning rate h of the formulas is the parameter ``lr`` of the functions.

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

from ..aliases import lr_keyword
from ..certify import (ACCEPT, EXCLUDE, SPLIT, BoxSearch, ball_identity, bisect_widest,
                       box_balls, branch_and_bound, excludes_zero, krawczyk_test)
from ..errors import InputError
from ..evaluators import compile_exprs, to_arb
from ..numbers import convert, parameter
from ..objectives import Objective
from ..parsing import to_expr
from ..precision import precision
from ..results import Result, result
from .krawczyk import image_chain, monodromy_ball

#: Split point of a box side as a fraction of its width: off-centre, so that points with
#: simple dyadic coordinates (the origin, the symmetry lines) do not fall on box edges.
SPLIT_FRACTION = 0.484375


# ---- step 1: the minimizer curve of (1 − xy)²/2 --------------------------------------------
@lr_keyword
def curve_residual_map(obj: Objective, lr) -> tuple[sp.Expr, sp.Expr]:
    """(r', r·(1 − h(x² + y²) + h² r(r + 1))) for r = xy − 1, r' = x'y' − 1 after one
    exact GD step of f(x, y) = (1 − xy)²/2; the two agree identically."""
    x, y = obj.vars
    r = x * y - 1
    lr = parameter(lr, "learning rate")
    G = obj.gd_map_exprs(lr)
    lhs = sp.expand(G[0] * G[1] - 1)
    return lhs, sp.expand(r * (1 - lr * (x**2 + y**2) + lr**2 * r * (r + 1)))


@lr_keyword
def curve_expansion_bound(lr, delta) -> sp.Rational:
    """c = 2h(1 − δ) − 1 − h²δ(1 + δ), exact.

    For |r| < δ ≤ 1/2: x² + y² ≥ 2|xy| = 2|1 + r| ≥ 2(1 − δ) and r(r + 1) < δ(1 + δ), so
    φ = 1 − h(x² + y²) + h² r(r + 1) < 1 − 2h(1 − δ) + h²δ(1 + δ) = −c, i.e. |φ| > c."""
    lr, delta = convert(lr, "learning rate"), convert(delta, "delta")
    if not 0 < delta <= sp.Rational(1, 2):
        raise InputError("the bound needs 0 < delta <= 1/2")
    return 2 * lr * (1 - delta) - 1 - lr**2 * delta * (1 + delta)


class Band:
    """Box predicate: |s(x)| < δ holds on the whole ball box X, for a polynomial s in the
    objective's variables.  A plain object (it pickles; the ball evaluator is compiled on
    first use) whose ``str`` names the region."""

    def __init__(self, s, variables, delta, label: str = ""):
        self.s, self.variables = s, tuple(variables)
        self.delta = convert(delta, "delta")
        self.label = label or str(s)

    def __call__(self, X) -> bool:
        if getattr(self, "_eval", None) is None:
            self._eval = compile_exprs([self.s], self.variables, "arb")
        d = to_arb(self.delta)
        r = self._eval(*X)[0]
        return bool(r > -d and r < d)

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_eval"}

    def __str__(self):
        return f"|{self.label}| < {self.delta}"


def near_curve(delta) -> Band:
    """The band |xy − 1| < δ about the minimizer curve of (1 − xy)²/2."""
    x, y = sp.symbols("x y", real=True)
    return Band(x * y - 1, (x, y), delta, "xy - 1")


@result
class MinimizerBand(Result):
    """Outcome of :func:`minimizer_band`: ``proved`` — no periodic orbit other than fixed
    points on {s = 0} lies entirely in the band |s| < δ inside the box; ``curve`` — s as
    text; ``delta``; ``factor`` — φ = s(G_h(x))/s(x) as text; ``boxes`` — boxes of the
    branch and bound; ``undecided`` — boxes left undecided; ``reason`` — why not proved."""

    proved: bool
    curve: str = ""
    delta: object = None
    factor: str = ""
    boxes: int = 0
    undecided: int = 0
    reason: str = ""

    def region(self, obj: Objective):
        """The band as a box predicate (:class:`Band`) for ``excluded``; None unless
        proved."""
        if not self.proved:
            return None
        s = to_expr(self.curve, obj.vars, "curve")
        return Band(s, obj.vars, self.delta)


def square_root_polynomial(obj: Objective):
    """s with f = a·s², a > 0 a constant and s a polynomial (its zero set is the minimizer
    set, f = 0), from the exact factorization of f; None if f has no such form."""
    try:
        coeff, factors = sp.factor_list(obj.expr, *obj.vars)
    except sp.PolynomialError:
        return None
    if not factors or not coeff.is_number or not coeff > 0 \
            or any(m % 2 for _, m in factors):
        return None
    return sp.expand(sp.Mul(*[g ** (m // 2) for g, m in factors]))


@lr_keyword
def minimizer_band(obj: Objective, lr, box, delta="1/10", max_depth: int = 30,
                   dps: int = 20) -> MinimizerBand:
    """Certify that the band U = {|s| < δ} about the minimizer set {s = 0} of f = a·s²
    holds no periodic orbit of G_h except the (non-isolated) fixed points on s = 0, inside
    the square ``box`` (BLOG-8; the ``excluded`` region of :func:`prove_complete`).

    GD moves x by a multiple of s(x) (∇f = 2a·s∇s), so s(G_h(x)) − s(x) is divisible by s
    as a polynomial: s(G_h(x)) = s(x)·φ(x) exactly (sympy division, zero remainder).  A
    branch and bound in ball arithmetic over the box excludes each sub-box X where s(X)
    misses (−δ, δ) or |φ(X)| > 1.  When every box is excluded, |φ| ≥ c > 1 on U ∩ box, so
    a periodic orbit with all points in U has |s(x_0)| = |s(x_p)| ≥ c^p |s(x_0)|, i.e.
    s = 0 along it: it consists of fixed points (∇f = 0 where s = 0).  For
    (1 − xy)²/2, φ = 1 − h(x² + y²) + h² r(r + 1) with r = xy − 1
    (:func:`curve_residual_map`)."""
    s = square_root_polynomial(obj)
    if s is None:
        return MinimizerBand(False, reason="f is not a positive constant times the square "
                             "of a polynomial: no minimizer band to exclude")
    lr = parameter(lr, "learning rate")
    delta = convert(delta, "delta")
    v = obj.vars
    image = sp.expand(s.xreplace(dict(zip(v, obj.gd_map_exprs(lr)))) - s)
    q, rem = sp.div(image, s, *v)
    if rem != 0:
        return MinimizerBand(False, str(s), delta, reason="s(G(x)) - s(x) is not divisible "
                             "by s")
    phi = sp.expand(1 + q)
    with precision(dps=dps):
        values = compile_exprs([s, phi], v, "arb")
        d = to_arb(delta)

        def decide(b):
            r, f = values(*box_balls(b))
            if r >= d or r <= -d or f > 1 or f < -1:
                return EXCLUDE, None
            return SPLIT, None
        root = ((float(box[0]), float(box[1])),) * obj.dim
        search = branch_and_bound(root, decide, split=partial(bisect_widest,
                                                              fraction=SPLIT_FRACTION),
                                  max_depth=max_depth)
    proved = search.decided
    reason = "" if proved else (f"|phi| > 1 not shown on {len(search.undecided)} boxes of "
                                f"the band (depth {max_depth})")
    return MinimizerBand(proved, str(s), delta, str(phi), search.boxes,
                         len(search.undecided), reason)


# ---- step 2: branch and bound on E_p = G^p − id ------------------------------------------
def _misses(z, lo: arb, hi: arb) -> bool:
    """Some coordinate of the ball point ``z`` lies certainly outside [lo, hi]."""
    return any(c > hi or c < lo for c in z)


@lr_keyword
def classify_box(obj: Objective, X, lr: arb, p: int, bounds, excluded=None):
    """The branch-and-bound verdict for one ball box X: (EXCLUDE, None), (SPLIT, None) or
    (ACCEPT, enclosure of the unique zero of E_p as Balls) — see the module docstring."""
    if excluded is not None and excluded(X):
        return EXCLUDE, None
    chain = image_chain(obj, X, lr, p)
    if any(_misses(z, *bounds) for z in chain[1:p]):
        return EXCLUDE, None
    if excludes_zero([a - b for a, b in zip(chain[p], X)]):
        return EXCLUDE, None
    n = len(X)
    test = krawczyk_test(
        lambda m: [a - b for a, b in zip(image_chain(obj, m, lr, p)[-1], m)],
        lambda _: monodromy_ball(obj, chain[:p], lr) - ball_identity(n), X)
    if test.proved:
        return ACCEPT, test.enclosure
    return (EXCLUDE, None) if test.verdict == "empty" else (SPLIT, None)


@lr_keyword
def zeros_in_box(obj: Objective, lr, p: int, box, excluded=None, max_depth: int = 40,
                 dps: int = 20, max_boxes: int = 10**6) -> BoxSearch:
    """All zeros of E_p = G_h^p − id in the square ``box = (lo, hi)`` whose orbits stay in
    it, outside the ``excluded`` region (a predicate on ball boxes), by branch and bound
    (:func:`lrtheory.certify.branch_and_bound`; accepted values are the zeros' enclosures
    K(X) ∩ X as Balls).  Depth-first, deterministic: the box counts are reproducible."""
    with precision(dps=dps):
        hb, bounds = to_arb(convert(lr, "learning rate")), (to_arb(box[0]), to_arb(box[1]))
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


@lr_keyword
def prove_complete(obj: Objective, lr, p: int, box, orbits, excluded=None,
                   max_depth: int = 40, dps: int = 20, max_boxes: int = 10**6
                   ) -> OrbitCompleteness:
    """Branch and bound for E_p (:func:`zeros_in_box`), then each accepted zero is
    identified with a point of a known certified orbit (``orbits``: PeriodicOrbit with
    Krawczyk certificates) or classified as missing / leaving B / unresolved."""
    search = zeros_in_box(obj, lr, p, box, excluded, max_depth, dps, max_boxes)
    matched, missing, unresolved = set(), [], []
    seen: list = []   # boxes of unmatched zeros: a K inside one is the same zero
    with precision(dps=dps):
        hb, bounds = to_arb(convert(lr, "learning rate")), (to_arb(box[0]), to_arb(box[1]))
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


def undecided_measure(search: BoxSearch) -> tuple[float, tuple]:
    """Total volume of the undecided boxes of a branch and bound and their bounding box
    ((lo, hi) per coordinate; () when none)."""
    boxes = search.undecided
    if not boxes:
        return 0.0, ()
    volume = sum(_volume(b) for b in boxes)
    hull = tuple((min(b[i][0] for b in boxes), max(b[i][1] for b in boxes))
                 for i in range(len(boxes[0])))
    return volume, hull


def _volume(box) -> float:
    v = 1.0
    for lo, hi in box:
        v *= hi - lo
    return v


def proof_note(r: OrbitCompleteness) -> str:
    """One line for a table: how the completeness proof of one period ended — the boxes
    and the excluded region when proved, else what is missing, unresolved or undecided
    (count, total measure and where)."""
    where = f" outside {r.excluded_region}" if r.excluded_region else ""
    if r.complete:
        return f"branch and bound{where}: {r.search.boxes} boxes"
    parts = []
    if r.missing:
        parts.append(f"{len(r.missing)} zeros of G^{r.period} - id belong to no orbit found")
    if r.unresolved:
        parts.append(f"{len(r.unresolved)} zeros unresolved")
    if r.search.undecided:
        volume, hull = undecided_measure(r.search)
        span = " x ".join(f"[{lo:.3g}, {hi:.3g}]" for lo, hi in hull)
        parts.append(f"{len(r.search.undecided)} boxes undecided (measure {volume:.2g}, "
                     f"within {span})")
    if len(r.matched) < r.known:
        parts.append(f"{r.known - len(r.matched)} known orbits not matched")
    return f"not proved{where}: " + "; ".join(parts)
