"""Branches of periodic orbits of GD in the learning rate, by pseudo-arclength continuation.

A period-p orbit through x at learning rate h is a zero of F(x, h) = G_h^p(x) − x, and
the zeros form curves (branches) in (x, h) ∈ R^{n+1}.  :func:`follow_branch` follows one
in both directions from a point, at ``dps`` digits (:mod:`.arclength`: predictor along the
tangent, Newton corrector orthogonal to it, so stable and unstable orbits alike are
followed and folds are passed).  At every point the multipliers µ (eigenvalues of DG_h^p)
and the test functions

    ψ_pd = det(DG^p + I),   ψ_fold = det(DG^p − I),   ψ_ns = det(DG^p⊙DG^p − I)  (n ≥ 2)

are evaluated; a sign change between two successive points is a bifurcation: period
doubling, fold (ψ_fold and the h-component of the tangent both change sign: a limit
point) or "degenerate +1" (ψ_fold changes sign, the tangent does not: a pitchfork or
transcritical point passed straight through), Neimark–Sacker (ψ_ns changes sign and the
multipliers on the unit circle are a complex pair).  Each is located by Newton on the
extended system from the secant guess (after bisection along the branch when that guess
is poor) and certified by the Krawczyk test in (x, h)
(:func:`lrtheory.dynamics.bifurcations.bifurcation_record`); a degenerate +1 point is
located by bisection only.  The step is halved whenever the multipliers move by more than
a quarter (of max(1, |µ|)) or the tangent turns by more than 0.3 rad, so a branch is
resolved where its multipliers change fast.

At a period doubling (x*, h*) of a period-p branch the period-2p branch is born: it is
started by Newton on {G^{2p}(x) = x, v·(x − x*) = ε} from (x* + εv, h*), v the
eigenvector of the multiplier −1 (the new branch leaves x* along v while h − h* = O(ε²);
the old branch meets that hyperplane only at distance O(ε)), and followed away from x*.

:func:`continue_branches` seeds branches from the orbit search
(:func:`lrtheory.dynamics.orbits.search_periodic_orbits`) at several learning rates, so
that branches born in folds (periodic windows) are found, follows each orbit not already
on a followed branch, switches at every period doubling, and returns a
:class:`~lrtheory.bifurcation.results.BifurcationSearch` with the branches.  Its
completeness is "not proved": an orbit that exists at none of the seeded learning rates
and is not reached by a period doubling is not seen (the reason says where the seeds
were).
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from ..aliases import lr_keyword, renamed
from ..dynamics.bifurcations import (SIGMA, bifurcation_condition, bifurcation_record,
                                     multipliers, orbit_jet, same_bifurcation, solve_extended)
from ..dynamics.orbits import exact_lr, mp_number, orbit_points, search_periodic_orbits, \
    same_orbit, stability
from ..errors import ComputationError, InputError
from ..objectives import Objective
from ..precision import precision
from .arclength import Marcher, bisect_on_curve, correct, dot, tangent, unit
from .results import NOT_PROVED, Bifurcation, BifurcationSearch, Branch, SearchCompleteness

__all__ = ["follow_branch", "continue_branches", "branch_from_doubling", "BranchFollower",
           "unique_bifurcations"]

#: Largest change of a multiplier in one continuation step, relative to max(1, |µ|).
MAX_MULTIPLIER_STEP = 0.25
#: Offset ε (relative to 1 + |x*|) of the start of a doubled branch.
SWITCH_OFFSET = 1e-3


class BranchFollower:
    """Continuation of period-``p`` branches of ``obj`` in h ∈ ``lr_range`` with orbits
    meeting the square ``box`` (see the module docstring).  ``dps`` — digits of the
    continuation; ``locate_dps`` — digits of the located bifurcations; ``certify`` — run
    the Krawczyk test on them; ``ds_max`` — largest step (default (b − a)/40);
    ``max_steps`` — steps per direction; ``seeds`` — learning rates at which the orbits met
    are recorded (:attr:`crossings`)."""

    def __init__(self, obj: Objective, p: int, lr_range, box=(-3, 3), dps: int = 30,
                 locate_dps: int = 50, certify: bool = True, ds_max=None,
                 max_steps: int = 3000, seeds=()):
        self.obj, self.p, self.n = obj, int(p), obj.dim
        self.dps, self.locate_dps, self.certify = int(dps), int(locate_dps), certify
        with precision(dps=self.dps + 10):
            self.a, self.b = (mp_number(exact_lr(v)) for v in lr_range)
            self.seeds = [mp_number(exact_lr(s)) for s in seeds]
        self.box = (float(box[0]), float(box[1]))
        span = float(self.b - self.a)
        self.ds_max = float(ds_max) if ds_max is not None else span / 40
        self.ds_min = span * 1e-13
        self.max_steps = int(max_steps)
        self.crossings: list = []   # (h, orbit points) at the seeded learning rates
        self.collapses: list = []   # (h, x) where the orbit collapsed onto a lower period
        self._cache: dict = {}

    # ---- the system and what is measured at a point ------------------------------------
    def system(self, z):
        """(F, J) of F(x, h) = G_h^p(x) − x; the jet is kept for :meth:`info`."""
        n = self.n
        jet = orbit_jet(self.obj, z[:n], z[n], self.p, second=False)
        if len(self._cache) > 8:
            self._cache.clear()
        self._cache[tuple(z)] = jet.A
        F = [jet.x[i] - z[i] for i in range(n)]
        J = [[jet.A[i][k] - (1 if i == k else 0) for k in range(n)] + [jet.b[i]]
             for i in range(n)]
        return F, J

    def monodromy(self, z):
        """DG_h^p at the branch point z (kept from the last evaluations)."""
        if tuple(z) not in self._cache:
            self.system(z)
        return self._cache[tuple(z)]

    def info(self, z) -> dict:
        """Multipliers, stability and the test functions ψ at the branch point z."""
        A = self.monodromy(z)
        mults = multipliers(A)
        kinds = ("period-doubling", "fold") + (("neimark-sacker",) if self.n >= 2 else ())
        tests = {k: bifurcation_condition(A, SIGMA[k])[0] for k in kinds}
        return {"mults": mults, "stable": stability(mults, self.dps), "tests": tests}

    def _accept(self, z_old, z_new) -> bool:
        old, new = multipliers(self.monodromy(z_old)), multipliers(self.monodromy(z_new))
        left = list(old)
        for m in new:
            k = min(range(len(left)), key=lambda i: abs(left[i] - m))
            if abs(left[k] - m) > MAX_MULTIPLIER_STEP * max(1, abs(left[k])):
                return False
            left.pop(k)
        return True

    def _stop(self, z):
        n = self.n
        h = z[n]
        if h < self.a or h > self.b:
            return "range"
        pts = orbit_points(self.obj, z[:n], h, self.p)[:-1]
        lo, hi = self.box
        if all(any(c < lo or c > hi for c in pt) for pt in pts):
            return f"the orbit left the box at h ≈ {mpmath.nstr(h, 10)}"
        gap = self._collapse_gap(pts)
        if gap is not None:
            self.collapses.append((h, z[:n]))
            return f"the orbit collapses onto period {gap} at h ≈ {mpmath.nstr(h, 10)}"
        return None

    def _collapse_gap(self, pts):
        """The proper divisor d of p with x_d ≈ x_0 (relative 10⁻⁶), else None."""
        scale = 1 + max(abs(c) for c in pts[0])
        for d in range(1, self.p):
            if self.p % d == 0 and max(abs(a - b) for a, b in zip(pts[0], pts[d])) \
                    < mpmath.mpf("1e-6") * scale:
                return d
        return None

    # ---- following ----------------------------------------------------------------------
    def _marcher(self) -> Marcher:
        return Marcher(self.system, self.ds_max / 4, self.ds_min, self.ds_max, self.max_steps,
                       mpmath.mpf(10) ** (-(self.dps - 5)), self._accept, self._stop)

    def march(self, z0, t0) -> tuple[list, str]:
        """One direction: points (z, t) and the reason it ended; a last point outside the
        learning-rate range is replaced by the branch point at the range's end."""
        points, end = self._marcher().march(z0, t0)
        if end == "range":
            boundary = self.a if points[-1][0][self.n] < self.a else self.b
            last = self._at_h(points[-2][0], points[-1][0], boundary)
            keep = last is not None and last[0][self.n] != points[-2][0][self.n]
            points = points[:-1] + ([last] if keep else [])
            end = f"reached h = {mpmath.nstr(boundary, 15)}, the end of the range"
        return points, end

    def _at_h(self, za, zb, h):
        """The branch point at learning rate h between the branch points za and zb, with its
        tangent (oriented from za to zb), or None."""
        n = self.n
        w = (h - za[n]) / (zb[n] - za[n])
        z_pred = [u + w * (v - u) for u, v in zip(za, zb)]
        z_pred[n] = h
        e = [0] * n + [1]
        out = correct(self.system, z_pred, e, mpmath.mpf(10) ** (-(self.dps - 5)))
        if out is None:
            return None
        z = out[0]
        z[n] = h   # the constraint fixes h; remove the rounding of the linear solve
        t = tangent(out[1], unit([v - u for u, v in zip(za, zb)]))
        return (z, t) if t is not None else None

    def start_tangent(self, z0):
        t = tangent(self.system(z0)[1])
        if t is None:
            raise ComputationError(f"the period-{self.p} branch is singular at its start "
                                   f"h = {mpmath.nstr(z0[self.n], 12)}")
        return t

    def build(self, points: list, origin: str, end: str, detect_from: int = 0) -> Branch:
        """The :class:`Branch` through ``points`` [(z, t)]: multipliers at each point, the
        bifurcations between successive points from index ``detect_from`` on (a doubled
        branch starts at its birth, where its multiplier is +1), the crossings of the
        seeded learning rates recorded."""
        n = self.n
        infos = [self.info(z) for z, _ in points]
        bifs = []
        for k in range(detect_from, len(points) - 1):
            (za, ta), (zb, tb) = points[k], points[k + 1]
            self._record_crossings(za, zb)
            for kind, psi_a in infos[k]["tests"].items():
                psi_b = infos[k + 1]["tests"][kind]
                if psi_a == 0 or psi_b == 0 or (psi_a > 0) == (psi_b > 0):
                    continue
                if kind == "fold" and (ta[n] > 0) == (tb[n] > 0):
                    kind = "degenerate +1"
                bf = self._locate(kind, za, zb, psi_a, psi_b)
                if bf is not None and self.a <= bf.lr <= self.b:
                    bifs.append(bf)
        self._record_crossings(points[-1][0])
        orbits = np.array([[[float(c) for c in pt]
                            for pt in orbit_points(self.obj, z[:n], z[n], self.p)[:-1]]
                           for z, _ in points], dtype=float).reshape(-1, self.p, n)
        return Branch(self.p, tuple(z[n] for z, _ in points),
                      tuple(tuple(z[:n]) for z, _ in points),
                      tuple(i["stable"] for i in infos),
                      tuple(float(max(abs(m) for m in i["mults"])) for i in infos),
                      tuple(bifs), origin, end, self.dps, orbits)

    def follow(self, z0, origin: str, directions=(1, -1), t0=None) -> Branch:
        """The branch through z0 = (x, h) in both directions (or those in ``directions``,
        +1 along ``t0``)."""
        with precision(dps=self.dps + 10):
            z0 = [mpmath.mpf(c) for c in z0]
            t0 = self.start_tangent(z0) if t0 is None else t0
            runs, ends = {}, []
            for sign in directions:
                runs[sign], end = self.march(z0, [sign * c for c in t0])
                ends.append(end)
            fwd = runs.get(1, [])
            back = [(z, [-c for c in t]) for z, t in reversed(runs.get(-1, []))]
            points = back[:-1] + fwd if fwd and back else fwd or back
            return self.build(points, origin, "; ".join(ends))

    # ---- crossings of the seeded learning rates -----------------------------------------
    def _record_crossings(self, za, zb=None):
        """Record the orbit at every seeded h equal to za's, or strictly between za's
        and zb's."""
        n = self.n
        for s in self.seeds:
            z = za if za[n] == s else None
            if z is None and zb is not None and (za[n] - s) * (zb[n] - s) < 0:
                z = (self._at_h(za, zb, s) or (None,))[0]
            if z is not None:
                self.crossings.append((s, orbit_points(self.obj, z[:n], s, self.p)[:-1]))

    @lr_keyword
    def covers(self, lr, points, tol=1e-8) -> bool:
        """Whether the orbit ``points`` at the seeded learning rate h was met."""
        return any(abs(s - lr) < tol and same_orbit(points, pts, tol)
                   for s, pts in self.crossings)

    # ---- locating a bifurcation between two branch points -------------------------------
    def _test(self, kind, z):
        return self.info(z)["tests"]["fold" if kind == "degenerate +1" else kind]

    def _bisect(self, kind, za, zb):
        """The branch point between za and zb where ψ_kind changes sign (bisection)."""
        return bisect_on_curve(self.system, za, zb, lambda z: self._test(kind, z),
                               mpmath.mpf(10) ** (-(self.dps - 5)))

    def _locate(self, kind, za, zb, psi_a, psi_b):
        n = self.n
        w = psi_a / (psi_a - psi_b)
        guess = [u + w * (v - u) for u, v in zip(za, zb)]
        sol = None
        if kind != "degenerate +1":
            sol = self._solve(kind, guess, za, zb)
            if sol is None:
                guess = self._bisect(kind, za, zb)
                sol = self._solve(kind, guess, za, zb)
        if sol is None:
            z = guess if kind != "degenerate +1" else self._bisect(kind, za, zb)
            with precision(dps=self.dps + 10):
                mults = multipliers(self.monodromy(z))
            if kind == "neimark-sacker" and not _complex_pair_on_circle(mults, self.dps):
                return None
            return Bifurcation(kind, self.p, z[n], tuple(z[:n]), self.dps,
                               multipliers=tuple(mults))
        x, h = sol
        bf = bifurcation_record(self.obj, kind, self.p, x, h, self.locate_dps, self.certify)
        if kind == "neimark-sacker" and not _complex_pair_on_circle(bf.multipliers,
                                                                    self.locate_dps):
            return None
        return bf

    def _solve(self, kind, guess, za, zb):
        """Newton on the extended system from ``guess``; the solution must lie near the
        segment [za, zb] (else it belongs to another branch)."""
        n = self.n
        sol = solve_extended(self.obj, guess[:n], guess[n], self.p, kind, self.locate_dps)
        if sol is None:
            return None
        x, h = sol
        slack = 2 * max(abs(v - u) for u, v in zip(za, zb)) + mpmath.mpf(10) ** (-self.dps // 2)
        if abs(h - guess[n]) > slack or max(abs(a - b) for a, b in zip(x, guess)) > slack:
            return None
        return sol


def _complex_pair_on_circle(mults, dps: int) -> bool:
    """Some non-real multiplier has modulus 1 (to 10^(−dps/3))."""
    eps = mpmath.mpf(10) ** (-(dps // 3))
    return any(isinstance(m, mpmath.mpc) and abs(m.imag) > eps and abs(abs(m) - 1) < eps
               for m in mults)


@renamed(h0="lr0")
def follow_branch(obj: Objective, x0, lr0, p: int, lr_range, box=(-3, 3), dps: int = 30,
                  certify: bool = True, origin: str = "", **options) -> Branch:
    """The period-``p`` branch through the orbit point ``x0`` at learning rate ``lr0``,
    followed both ways within ``lr_range`` while its orbit meets ``box``, with the
    bifurcations on it (module docstring; ``options`` go to :class:`BranchFollower`)."""
    f = BranchFollower(obj, p, lr_range, box, dps, certify=certify, **options)
    with precision(dps=dps + 10):
        h = mp_number(exact_lr(lr0))
    return f.follow(list(x0) + [h], origin or f"a period-{p} orbit at h = {lr0}")


def branch_from_doubling(follower: BranchFollower, doubling: Bifurcation) -> Branch | None:
    """The period-2p branch born at the period doubling ``doubling`` of a period-p branch
    (module docstring), followed away from it by ``follower`` (a BranchFollower of period
    2p); None when Newton does not find it."""
    n, p = follower.n, doubling.period
    with precision(dps=follower.dps + 10):
        x = [mpmath.mpf(c) for c in doubling.point]
        h = mpmath.mpf(doubling.lr)
        v = _doubling_direction(follower.obj, x, h, p)
        for scale in (1, 0.1, 0.01):
            eps = SWITCH_OFFSET * scale * (1 + max(abs(c) for c in x))
            z_pred = [xi + eps * vi for xi, vi in zip(x, v)] + [h]
            out = correct(follower.system, z_pred, list(v) + [0],
                          mpmath.mpf(10) ** (-(follower.dps - 5)), maxiter=20)
            if out is None:
                continue
            z = out[0]
            pts = orbit_points(follower.obj, z[:n], z[n], p)
            if max(abs(a - b) for a, b in zip(pts[0], pts[p])) < eps / 2 \
                    or abs(z[n] - h) > 100 * eps:
                continue
            t = tangent(out[1])
            if t is None:
                continue
            if dot(t[:n], v) < 0:
                t = [-c for c in t]
            start = ([*x, h], t)
            pts_, end = follower.march(z, t)
            origin = f"period doubling of the period-{p} branch at h = {mpmath.nstr(h, 15)}"
            return follower.build([start] + pts_, origin, end, detect_from=1)
    return None


def _doubling_direction(obj: Objective, x, h, p: int) -> list:
    """The unit eigenvector (real) of DG_h^p(x) for the multiplier nearest −1."""
    A = orbit_jet(obj, x, h, p, second=False).A
    if len(A) == 1:
        return [mpmath.mpf(1)]
    E, ER = mpmath.eig(mpmath.matrix(A), right=True)
    k = min(range(len(E)), key=lambda i: abs(E[i] + 1))
    return unit([mpmath.re(ER[i, k]) for i in range(len(A))])


# ---- the search --------------------------------------------------------------------------
def continue_branches(obj: Objective, lr_range, max_period: int, box=(-3, 3),
                      seeds: int = 5, starts: int = 100, dps: int = 30, locate_dps: int = 50,
                      certify: bool = True, from_period: int | None = None,
                      switch: bool = True, max_steps: int = 3000) -> BifurcationSearch:
    """Every bifurcation met on the branches of periodic orbits of period ≤ ``max_period``
    in h ∈ ``lr_range`` (module docstring): orbits are sought at ``seeds`` equally spaced
    learning rates (ends included) in ``box`` (``starts`` starts at period 1, doubling per
    period), each orbit not on a branch already followed seeds one (only those of period
    ``from_period`` when given), and every period doubling of period p with 2p ≤
    ``max_period`` starts the doubled branch (``switch``).  Returns a
    :class:`BifurcationSearch` with method "continuation", the branches, and
    completeness "not proved" with the seeds in the reason."""
    lo, hi = (exact_lr(v) for v in lr_range)
    if not lo < hi:
        raise InputError(f"the learning-rate range needs A < B, got {lo}, {hi}")
    if not 1 <= int(max_period) <= 12 or seeds < 2 or starts < 1:
        raise InputError("need 1 <= max_period <= 12, seeds >= 2 and starts >= 1")
    if from_period is not None and not 1 <= from_period <= max_period:
        raise InputError(f"from_period must be between 1 and max_period = {max_period}")
    seed_lrs = [lo + (hi - lo) * sp.Rational(k, seeds - 1) for k in range(seeds)]
    followers = {p: BranchFollower(obj, p, (lo, hi), box, dps, locate_dps, certify,
                                   max_steps=max_steps, seeds=seed_lrs)
                 for p in range(1, max_period + 1)}
    found = {h: search_periodic_orbits(obj, h, from_period or max_period, box, starts,
                                       dps).orbits for h in seed_lrs}
    branches = []
    for p in range(1, max_period + 1):
        f = followers[p]
        if p % 2 == 0 and switch:
            for bf in _doublings_to_switch(branches, p // 2, f):
                branch = branch_from_doubling(f, bf)
                if branch is not None:
                    branches.append(branch)
        if from_period is not None and p != from_period:
            continue
        for h in seed_lrs:
            for orbit in (o for o in found[h] if o.period == p):
                with precision(dps=dps + 10):
                    if f.covers(mp_number(h), orbit.points):
                        continue
                branches.append(f.follow(list(orbit.points[0]) + [mp_number(h)],
                                         f"orbit search at h = {h}"))
    bifs = unique_bifurcations(obj, [b for br in branches for b in br.bifurcations])
    seeded = from_period if from_period is not None else f"<= {max_period}"
    complete = SearchCompleteness(
        NOT_PROVED, "continuation",
        f"branches seeded from the orbits of period {seeded} found in "
        f"[{float(box[0]):g}, {float(box[1]):g}]^{obj.dim} at h = "
        f"{', '.join(str(h) for h in seed_lrs)} "
        "(orbit search: coverage estimated, not proved) and from every period doubling; "
        "an orbit that exists at none of these h and is not born in a doubling on a "
        "followed branch is not seen")
    return BifurcationSearch(tuple(bifs), (lo, hi), int(max_period),
                             (float(box[0]), float(box[1])), seeds, starts, int(locate_dps),
                             certify, complete, "continuation", str(obj.expr),
                             tuple(str(v) for v in obj.vars), tuple(branches))


def _doublings_to_switch(branches, p: int, follower: BranchFollower) -> list:
    """The distinct period doublings of the period-p branches, less those where a
    period-2p branch already followed collapses."""
    out = []
    for bf in unique_bifurcations(follower.obj, [
            b for br in branches if br.period == p for b in br.bifurcations
            if b.kind == "period-doubling"]):
        with precision(dps=follower.dps + 10):
            pts = orbit_points(follower.obj, bf.point, bf.lr, p)[:-1]
            if not any(abs(h - bf.lr) < 1e-6 and any(
                    max(abs(a - b) for a, b in zip(x, q)) < 1e-4 for q in pts)
                    for h, x in follower.collapses):
                out.append(bf)
    return out


def unique_bifurcations(obj: Objective, bifs) -> list:
    """Bifurcations with duplicates (same kind, period, h and orbit, within 10⁻¹⁰)
    removed, sorted by h; a certified copy is preferred."""
    out: list[Bifurcation] = []
    for bf in sorted(bifs, key=lambda b: (not b.certified, b.lr)):
        with precision(dps=bf.dps + 10):
            pts = orbit_points(obj, bf.point, bf.lr, bf.period)[:-1]
            if not any(same_bifurcation(o, bf.kind, bf.period, bf.lr, pts, 1e-10)
                       for o in out):
                out.append(bf)
    return sorted(out, key=lambda b: (b.lr, b.period, b.kind))
