"""Every bifurcation in a box of (x, h), proved complete by branch and bound, or the
undecided boxes named.

For each period p ≤ P and each kind — period doubling (ψ = det(DG^p + I)), fold
(det(DG^p − I)) and, in dimension n ≥ 2, Neimark–Sacker (det(DG^p⊙DG^p − I)) — the zeros
of the extended system E(x, h) = (G_h^p(x) − x, ψ) of
:mod:`lrtheory.dynamics.bifurcations` in B = [lo, hi]^n × [a, b] are enclosed by the branch
and bound of :mod:`lrtheory.certify.branch_and_bound`: a box Z is

* **excluded** when the ball evaluation E(Z) (natural extension, every coordinate a ball
  over Z) excludes 0 in some component, or when the Krawczyk test proves Z empty;
* **accepted** when the Krawczyk test (:func:`lrtheory.certify.krawczyk_test`) proves a
  unique zero in Z (it is then a regular zero: a nondegenerate fold, doubling or
  Neimark–Sacker point);
* **split** across its widest side otherwise, down to ``max_depth``; a box left there (or
  unvisited when the budget ``max_boxes`` runs out) is **undecided**.

An accepted zero is kept when its minimal period is proved to be p: G^d(K) − K excludes 0
over its enclosure K for every proper divisor d of p.  It is dropped when it is proved to
be a point of smaller period d (a parametric Krawczyk test over the box Z: for every h in
the box's h-range G_h^p − id has exactly one zero in its x-range and G_h^d − id has one,
so the zero is d-periodic; such points, e.g. a doubling of period 1 seen by the period-3
doubling system, belong to the period-d lists).  A Neimark–Sacker zero (a pair µµ' = 1)
is kept when the multipliers are proved to be a complex pair (n = 2: |tr DG^p| < 2 over
the enclosure) and dropped when they are proved real (a neutral saddle).  Zeros are
grouped into orbits: zero i is the image of zero j when G^k(K_j) lies in Z_i.  Anything
not decided is named in the result.

When every box is decided and every zero classified the list of bifurcations of minimal
period ≤ P with h ∈ [a, b] whose orbit has a point in [lo, hi]^n is **proved complete**.
Degenerate zeros defeat the Krawczyk test and leave undecided boxes, which the result
names: the doubling of a period-d orbit is a degenerate zero of the period-2d fold system
(the doubled orbit is born there with multiplier +1), and a curve of fixed points (the
minimizers of (1 − xy)²/2) is a non-isolated zero set of the fold system — choose the box
to avoid such a curve.  Each located bifurcation is refined by Newton at ``certify_dps``
digits and certified again in a small box inside its accepted one (same zero, tighter
enclosure, closed form recognized).
"""
from __future__ import annotations

import dataclasses
from functools import partial

import mpmath
from flint import acb_mat, arb, arb_mat

from ..certify import (ACCEPT, EXCLUDE, SPLIT, ball_identity, bisect_widest, box_balls,
                       branch_and_bound, excludes_zero, krawczyk_test)
from ..dynamics.bifurcations import (SIGMA, bifurcation_record, extended_residual,
                                     extended_system, orbit_jet)
from ..dynamics.completeness import SPLIT_FRACTION, image_chain
from ..dynamics.orbits import exact_lr
from ..errors import InputError
from ..evaluators import to_arb
from ..objectives import Objective
from ..precision import precision
from ..results import Ball
from .exact import ball_mpf
from .results import NOT_PROVED, PROVED, Bifurcation, BifurcationSearch, SearchCompleteness

__all__ = ["box_bifurcations", "kinds_for", "MAX_BOXES"]

#: Default budget of boxes per (period, kind).
MAX_BOXES = 200_000


def kinds_for(dim: int) -> tuple:
    """The kinds sought in dimension ``dim``."""
    return ("period-doubling", "fold") + (("neimark-sacker",) if dim >= 2 else ())


class _Problem:
    """One (period, kind): the ball evaluations of E and the verdict for a box."""

    def __init__(self, obj: Objective, p: int, kind: str):
        self.obj, self.p, self.kind, self.n = obj, p, kind, obj.dim
        self.sigma = SIGMA[kind]

    def decide(self, box):
        Z = box_balls(box)
        if not Z[-1] > 0:
            return SPLIT, None   # never for h-ranges of [a, b] with a > 0
        end = image_chain(self.obj, Z[:-1], Z[-1], self.p)[-1]
        if excludes_zero([u - v for u, v in zip(end, Z[:-1])]):
            return EXCLUDE, None   # no p-periodic point: the cheap test (no Hessians)
        if excludes_zero(self._F(Z)):
            return EXCLUDE, None
        J = extended_system(self.obj, Z, self.p, self.sigma, "arb")[1]
        if not all(v.is_finite() for row in J for v in row):
            return SPLIT, None
        test = krawczyk_test(self._F, lambda _: J, Z)
        if test.proved:
            return ACCEPT, self.tighten(test.enclosure)
        return (EXCLUDE, None) if test.verdict == "empty" else (SPLIT, None)

    def _F(self, m):
        return extended_residual(self.obj, m, self.p, self.sigma, "arb")

    def tighten(self, enclosure, rounds: int = 8):
        """The Krawczyk test repeated on its own enclosure (each proved step contracts it,
        quadratically near the zero) while it keeps shrinking."""
        for _ in range(rounds):
            K = [c.to_arb() for c in enclosure]
            test = krawczyk_test(self._F, lambda X: extended_system(
                self.obj, X, self.p, self.sigma, "arb")[1], K)
            if not test.proved:
                break
            old = max(c.rad() for c in K)
            enclosure = test.enclosure
            if not max(c.to_arb().rad() for c in enclosure) < old / 2:
                break
        return enclosure

    # ---- classification of an accepted zero ---------------------------------------------
    def minimal(self, box, K):
        """"p" when the zero's minimal period is proved to be p, "lower" when it is proved
        smaller, else None."""
        x, h = K[:-1], K[-1]
        for d in range(1, self.p):
            if self.p % d:
                continue
            image = image_chain(self.obj, x, h, d)[-1]
            if excludes_zero([a - b for a, b in zip(image, x)]):
                continue
            return "lower" if self._lower(box, K, d) else None
        return "p"

    def _lower(self, box, K, d: int) -> bool:
        """Parametric Krawczyk: over the h-range of the box, G_h^p − id has a unique zero
        and G_h^d − id has one in the same x-range (tried on the box and on inflations of
        the enclosure K)."""
        Z = box_balls(box)
        candidates = [(Z[:-1], Z[-1])] + [
            ([arb(k.mid(), k.rad() * f + arb(2) ** -200) for k in K[:-1]],
             arb(K[-1].mid(), K[-1].rad() * f)) for f in (4, 64, 1024)]
        return any(_unique_periodic(self.obj, X, H, self.p)
                   and _unique_periodic(self.obj, X, H, d) for X, H in candidates)

    def complex_pair(self, K):
        """True when the multipliers over K are proved to contain a complex pair on the
        unit circle, False when proved real, None undecided (n = 2: the trace of DG^p;
        n ≥ 3: Arb's eigenvalue enclosures)."""
        A = orbit_jet(self.obj, K[:-1], K[-1], self.p, "arb", second=False).A
        if self.n == 2:
            tr = A[0][0] + A[1][1]
            if abs(tr) < 2:
                return True
            return False if abs(tr) > 2 else None
        try:
            eigs = acb_mat(arb_mat(A)).eig()
        except (ValueError, ZeroDivisionError):
            return None
        pairs = [(u, v) for i, u in enumerate(eigs) for v in eigs[i + 1:]
                 if (u * v - 1).contains(0)]
        if not pairs:
            return None
        if all(not u.imag.contains(0) for u, _ in pairs) and len(pairs) == 1:
            return True
        return False if all(u.imag == 0 and v.imag == 0 for u, v in pairs) else None


def _unique_periodic(obj: Objective, X, H, p: int) -> bool:
    """For every h in the ball H, G_h^p − id has exactly one zero in the box X (the
    Krawczyk test with h as a ball parameter)."""
    n = len(X)

    def F(m):
        end = image_chain(obj, m, H, p)[-1]
        return [a - b for a, b in zip(end, m)]

    def J(B):
        A = orbit_jet(obj, B, H, p, "arb", second=False).A
        return arb_mat(A) - ball_identity(n)
    return krawczyk_test(F, J, list(X)).proved


def _inside(inner, outer) -> bool:
    return all(o.contains(i) for i, o in zip(inner, outer))


def _orbits(problem: _Problem, zeros: list) -> list:
    """Group accepted zeros [(box, K)] into orbits: zero i is the image of zero j when
    G^k(K_j) (0 ≤ k < p) and K_j's h lie in box_i (the image is a zero of the same system
    in box_i, where the zero is unique; k = 0 catches a zero accepted in two adjacent
    boxes).  Returns lists of indices."""
    parent = list(range(len(zeros)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i
    for j, (_, K) in enumerate(zeros):
        chain = image_chain(problem.obj, K[:-1], K[-1], problem.p - 1)
        for i, (box, _) in enumerate(zeros):
            Z = box_balls(box)
            if i != j and Z[-1].contains(K[-1]) and any(_inside(y, Z[:-1]) for y in chain):
                parent[root(i)] = root(j)
    groups: dict = {}
    for i in range(len(zeros)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def box_bifurcations(obj: Objective, lr_range, max_period: int, box=(-3, 3), dps: int = 20,
                     certify_dps: int = 50, max_depth: int | None = None,
                     max_boxes: int = MAX_BOXES, kinds=None) -> BifurcationSearch:
    """Every bifurcation of minimal period ≤ ``max_period`` with h ∈ ``lr_range`` whose
    orbit has a point in [lo, hi]^n (``box = (lo, hi)``), by branch and bound over boxes of
    (x, h) in ball arithmetic at ``dps`` digits (module docstring); proved complete, or
    not proved with the undecided boxes and unresolved zeros named.  ``max_depth``
    defaults to 20·(n + 1); ``max_boxes`` is the budget per (period, kind)."""
    a, b = (exact_lr(v) for v in lr_range)
    if not a < b:
        raise InputError(f"the learning-rate range needs A < B, got {a}, {b}")
    lo, hi = float(box[0]), float(box[1])
    if not lo < hi:
        raise InputError(f"the box needs LO < HI, got {box}")
    if not 1 <= int(max_period) <= 12 or max_boxes < 1:
        raise InputError("need 1 <= max_period <= 12 and max_boxes >= 1")
    kinds = tuple(kinds) if kinds is not None else kinds_for(obj.dim)
    depth = int(max_depth) if max_depth is not None else 20 * (obj.dim + 1)
    with precision(dps=dps):
        ha, hb = to_arb(a), to_arb(b)
        root = ((lo, hi),) * obj.dim + ((float(ha.lower()), float(hb.upper())),)
    found, undecided, problems = [], [], []
    for p in range(1, int(max_period) + 1):
        for kind in kinds:
            prob = _Problem(obj, p, kind)
            with precision(dps=dps):
                search = branch_and_bound(
                    root, prob.decide, split=partial(bisect_widest, fraction=SPLIT_FRACTION),
                    max_depth=depth, max_boxes=max_boxes)
                zeros, issues = _classify(prob, search.accepted, a, b)
            problems += issues
            undecided += [{"period": p, "kind": kind, "box": bx} for bx in search.undecided]
            found += [_record(obj, prob, zs, certify_dps) for zs in zeros]
    found.sort(key=lambda bf: (bf.lr, bf.period, bf.kind))
    reason = "; ".join(problems + _describe(undecided, found))
    method = (f"branch and bound over boxes of (x, h) in [{lo:g}, {hi:g}]^{obj.dim} x "
              f"[{a}, {b}], Krawczyk test (ball arithmetic, {dps} digits); complete for "
              "orbits with a point in the box")
    complete = SearchCompleteness(PROVED if not reason else NOT_PROVED, method, reason)
    return BifurcationSearch(tuple(found), (a, b), int(max_period), (lo, hi), 0, 0,
                             int(certify_dps), True, complete, "boxes", str(obj.expr),
                             tuple(str(v) for v in obj.vars), (), tuple(undecided))


def _classify(prob: _Problem, accepted, a, b):
    """(orbits as lists of (box, K), problems) from the accepted boxes of one search."""
    zeros, problems = [], []
    for bx, enclosure in accepted:
        K = [c.to_arb() for c in enclosure]
        h, A, B = K[-1], to_arb(a), to_arb(b)
        if h < A or h > B:
            continue   # the root box's h-range is rounded outward: a zero just outside
        label = (f"period {prob.p} {prob.kind} near h = {float(h.mid()):.12g}, "
                 f"x = ({', '.join(f'{float(c.mid()):.6g}' for c in K[:-1])})")
        if not (h >= A and h <= B):
            problems.append(f"{label}: cannot decide whether h lies in the range")
            continue
        period = prob.minimal(bx, K)
        if period == "lower":
            continue
        if period is None:
            problems.append(f"{label}: minimal period not decided")
            continue
        if prob.kind == "neimark-sacker":
            pair = prob.complex_pair(K)
            if pair is False:
                continue
            if pair is None:
                problems.append(f"{label}: complex pair of multipliers not decided")
                continue
        zeros.append((bx, K))
    return [[zeros[i] for i in g] for g in _orbits(prob, zeros)], problems


def _record(obj: Objective, prob: _Problem, members: list, certify_dps: int) -> Bifurcation:
    """The bifurcation of one orbit: refined by Newton at ``certify_dps`` digits and
    certified in a small box when that box lies in the accepted one (the same zero);
    otherwise the branch-and-bound enclosure itself."""
    from ..dynamics.bifurcations import solve_extended
    box, K = members[0]
    Z = box_balls(box)
    orbit = tuple(tuple(Ball.from_arb(c) for c in y)
                  for y in image_chain(obj, K[:-1], K[-1], prob.p - 1))
    x0 = [ball_mpf(Ball.from_arb(c)) for c in K[:-1]]
    h0 = ball_mpf(Ball.from_arb(K[-1]))
    sol = solve_extended(obj, x0, h0, prob.p, prob.kind, certify_dps)
    if sol is not None:
        bf = bifurcation_record(obj, prob.kind, prob.p, sol[0], sol[1], certify_dps, True)
        if bf.certified and _inside([c.to_arb() for c in bf.enclosure], Z):
            return _with_orbit(bf, orbit)
    return Bifurcation(prob.kind, prob.p, h0, tuple(x0), certify_dps, True,
                       float(max(c.rad() for c in K)), tuple(Ball.from_arb(c) for c in K),
                       orbit=orbit)


def _with_orbit(bf: Bifurcation, orbit) -> Bifurcation:
    return dataclasses.replace(bf, orbit=orbit)


def _describe(undecided: list, found: list) -> list:
    """One line per (period, kind) with undecided boxes: their number and hull, and the
    known doubling of half the period inside the hull (a degenerate zero of the fold
    system)."""
    lines, groups = [], {}
    for u in undecided:
        groups.setdefault((u["period"], u["kind"]), []).append(u["box"])
    for (p, kind), boxes in sorted(groups.items()):
        hull = [(min(bx[i][0] for bx in boxes), max(bx[i][1] for bx in boxes))
                for i in range(len(boxes[0]))]
        text = (f"{len(boxes)} undecided boxes of the period-{p} {kind} system in "
                + " x ".join(f"[{lo_:.6g}, {hi_:.6g}]" for lo_, hi_ in hull))
        parents = [bf for bf in found if kind == "fold" and bf.kind == "period-doubling"
                   and 2 * bf.period == p and hull[-1][0] <= bf.lr <= hull[-1][1]]
        if parents:
            text += (f" (around the period-{p // 2} doubling at h = "
                     f"{mpmath.nstr(parents[0].lr, 12)}: the doubled orbit is born there "
                     "with multiplier +1, a degenerate zero of this system)")
        lines.append(text)
    return lines
