"""One learning-rate box H = [lo, hi], one proved class.

For the GD map G_h(x) = x − h·f′(x) of a one-variable objective
(:mod:`lrtheory.atlas.maps`: for a polynomial, escape radius R, critical cover, negative
Schwarzian), every statement below holds for **every** h ∈ H at once: each ball
evaluation takes h as the ball H.  For a non-polynomial objective
(:class:`~lrtheory.atlas.maps.ElementaryGD`) ``attracting`` and ``chaotic`` can be
proved, with orbits searched in I = [−L, L], and uniqueness *in I* when G_H(I) ⊂ I is
proved (Singer's theorem for the restriction of G to I: the immediate basin of every
attracting or neutral cycle holds a critical point or an end of I, so both ends are
followed too); divergence is not proved.  Objectives of two variables are classified by
:mod:`lrtheory.atlas.plane`.

* ``attracting`` (period p) — the multiple-shooting system of a p-cycle passes the
  Krawczyk test with h = H (:func:`lrtheory.dynamics.krawczyk.certify_boxes`, one unique
  cycle in the boxes for each h), the boxes prove minimal period p and the multiplier
  ball ∏ G_H′(X_i) has modulus < 1.  A trapping interval T about a cycle point with
  G_H^p(T) ⊂ int T and |(G^p)′| < 1 on T × H lies in the cycle's immediate basin.
  *Uniqueness* (``unique=True``): Singer's theorem — for a map with negative Schwarzian
  derivative the immediate basin of every attracting (or neutral) cycle contains a
  critical point or a boundary point; here the immediate basin of a cycle of a polynomial
  map is a bounded interval inside [−R, R] (points with |x| ≥ R escape), so it contains a
  critical point.  When SG < 0 is proved on [−R, R] × H and every critical orbit is
  proved to enter T or to escape (|x| ≥ R), no other attracting or neutral cycle exists:
  the cycle is *the* attractor.  Otherwise the box is ``attracting`` with
  ``unique=False`` and the reason says which hypothesis failed.
* ``chaotic`` (period n) — a periodic orbit of minimal period n, n not a power of two,
  certified by the same parametric Krawczyk test: by Šarkovskii's theorem G_h has
  periodic orbits of infinitely many periods and positive topological entropy, at least
  the bound of :func:`lrtheory.atlas.entropy.entropy_lower_bound` (Block–Guckenheimer–
  Misiurewicz–Young), for every h ∈ H.  An attracting cycle of such a period also
  carries this bound.
* ``divergent`` — every piece of the critical cover is proved, in balls over H, to reach
  |x| ≥ R, where |G(x)| ≥ 2|x|: every critical orbit escapes to infinity (and, with SG <
  0, no attracting or neutral cycle exists, by Singer's theorem).  For an affine map
  (f quadratic) with |1 − h·f″| > 1 on H: every start except the fixed point diverges.
* ``undecided`` — none of these was proved; ``reason`` lists what failed.

Numerics at the midpoint of H (float64) only *propose* candidates (a period from the
critical orbit, orbit points from Newton's method); every class rests on the ball tests.
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
from flint import arb, arb_mat

from ..certify import mid_inverse
from ..dynamics.krawczyk import certify_boxes, shooting_jacobian, shooting_residual
from ..precision import precision
from ..results import Ball, Result, result
from .entropy import entropy_lower_bound, is_power_of_two
from .maps import GDMap, interval_ball, lr_ball

__all__ = ["BoxClass", "AtlasSettings", "classify_box", "CLASSES", "exact_text"]

ATTRACTING, CHAOTIC, DIVERGENT, UNDECIDED = "attracting", "chaotic", "divergent", "undecided"
#: The classes, in the order they are reported.
CLASSES = (ATTRACTING, CHAOTIC, DIVERGENT, UNDECIDED)


@result
class AtlasSettings(Result):
    """Budgets of the per-box tests: ``dps`` (digits of the ball arithmetic),
    ``orbit_steps`` (float64 steps of the critical orbit at mid-box), ``ball_steps`` (ball
    steps per critical piece before giving up), ``max_pieces`` (pieces a critical interval
    may be cut into while it is iterated), ``newton_starts`` (float64 Newton starts per
    period of the chaotic search)."""

    dps: int = 30
    orbit_steps: int = 3000
    ball_steps: int = 3000
    max_pieces: int = 64
    newton_starts: int = 400


@result
class BoxClass(Result):
    """The proved class of one learning-rate box [lo, hi].

    ``lo``, ``hi`` — the exact endpoints as text (a terminating decimal, else p/q);
    ``label`` — attracting, chaotic, divergent or undecided; ``period`` — of the attracting
    cycle, or of the orbit forcing chaos (0 otherwise); ``entropy_lower`` — a proved lower
    bound on the topological entropy (None if none); ``unique`` — for attracting boxes,
    the cycle is proved the only attracting or neutral cycle (Singer); ``reason`` — how
    the class was proved, or why nothing was; ``cycle`` — ball enclosures (over the whole
    box) of the points of the certified cycle; ``depth`` — bisections from the first
    split; ``candidate`` — the class the float64 numerics at the midpoint propose when
    the box proved another or none ("attracting p" or "divergent"; "" otherwise: the atlas
    bisects such boxes); ``no_attractor`` — proved: no attracting cycle at any h of the
    box (divergent with negative Schwarzian, by Singer, or an expanding affine map)."""

    lo: str
    hi: str
    label: str
    period: int = 0
    entropy_lower: float | None = None
    unique: bool = False
    reason: str = ""
    cycle: tuple = ()
    depth: int = 0
    candidate: str = ""
    no_attractor: bool = False
    _repr_skip = ("cycle",)

    @property
    def interval(self) -> tuple[Fraction, Fraction]:
        """The exact endpoints."""
        return Fraction(self.lo), Fraction(self.hi)

    @property
    def width(self) -> Fraction:
        lo, hi = self.interval
        return hi - lo


def exact_text(q: Fraction) -> str:
    """A rational as a terminating decimal when it is one, else as p/q."""
    den, twos, fives = q.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:
        return f"{q.numerator}/{q.denominator}"
    digits = max(twos, fives)
    scaled = abs(q.numerator) * 10 ** digits // q.denominator
    sign = "-" if q < 0 else ""
    text = str(scaled).rjust(digits + 1, "0")
    return sign + (text[:-digits] + "." + text[-digits:] if digits else text)


# ---- float64 proposals at the midpoint ---------------------------------------------------
def _attracting_candidate(gd, h: float, max_period: int, steps: int, R: float):
    """(p, points) of a cycle that a critical orbit settles on at h (float64), else None;
    "escape" if every critical orbit leaves [−R, R].  A map without critical points
    (monotone) is followed from seven starts evenly spread in (−R, R) instead, which
    propose a cycle but never escape."""
    G, dG = gd.float_map(h)
    escaped = 0
    crit = gd.float_critical_points(h, R)
    for x in crit or [float(v) for v in np.linspace(-R, R, 9)[1:-1]]:
        with np.errstate(all="ignore"):
            for _ in range(steps):
                x = G(x)
                if not abs(x) < R:
                    break
        if not abs(x) < R:
            escaped += 1
            continue
        for p in range(1, max_period + 1):
            y = x
            for _ in range(p):
                y = G(y)
            if abs(y - x) < 1e-7 * (1 + abs(x)):
                pts = [x]
                for _ in range(p - 1):
                    pts.append(G(pts[-1]))
                return p, _newton_cycle(G, dG, pts)
    return "escape" if crit and escaped == len(crit) else None


def _newton_cycle(G, dG, pts, iters: int = 30) -> list[float]:
    """Newton's method on G^p(x) − x from the first point; the orbit of the result."""
    x = pts[0]
    p = len(pts)
    for _ in range(iters):
        y, d = x, 1.0
        for _ in range(p):
            d *= dG(y)
            y = G(y)
        if not np.isfinite(y) or d == 1.0:
            break
        step = (y - x) / (d - 1.0)
        x -= step
        if abs(step) < 1e-15 * (1 + abs(x)):
            break
    out = [x]
    for _ in range(p - 1):
        out.append(G(out[-1]))
    return out if all(np.isfinite(out)) else pts


def _newton_orbits(gd, h: float, n: int, R: float, starts: int) -> list[list[float]]:
    """Float64 candidates for orbits of minimal period n at h: Newton on G^n(x) − x from
    a regular grid of starts in [−R, R], deduplicated."""
    G, dG = gd.float_map(h)
    x = np.linspace(-R, R, starts)
    with np.errstate(all="ignore"):
        for _ in range(40):
            y, d = x.copy(), np.ones_like(x)
            for _ in range(n):
                d = d * dG(y)
                y = G(y)
            step = (y - x) / (d - 1.0)
            x = x - np.clip(step, -0.1 * R, 0.1 * R)
            x = np.where(np.abs(x) <= R, x, np.nan)
        orbits = [x]
        for _ in range(n):
            orbits.append(G(orbits[-1]))
    P = np.stack(orbits, axis=1)
    ok = np.all(np.isfinite(P), axis=1) & (np.abs(P[:, n] - P[:, 0]) < 1e-8)
    for d in range(1, n):
        if n % d == 0:
            ok &= np.abs(P[:, d] - P[:, 0]) > 1e-6
    found, keys = [], set()
    for row in P[ok]:
        key = round(float(np.min(row[:n])), 6)
        if key not in keys:
            keys.add(key)
            found.append([float(v) for v in row[:n]])
    return found


# ---- ball tests over the whole box ---------------------------------------------------------
def _certify_cycle(gd, points, H: arb, width: float):
    """Parametric Krawczyk certificate of the cycle near ``points`` (numbers, or
    coordinate sequences for an objective of several variables) for every h ∈ H; None
    if no box works.  The box radii are multiples of r₀ = ‖C·F(Z, H)‖ (C the inverse
    midpoint Jacobian): how far the Newton step moves the points over H, i.e. how far
    the cycle moves across the box, plus the points' own error."""
    points = [[float(c) for c in np.atleast_1d(p)] for p in points]
    Z = [[arb(c) for c in p] for p in points]
    C = mid_inverse(shooting_jacobian(gd.obj, Z, arb(H.mid())))
    if C is None:
        return None
    F = shooting_residual(gd.obj, Z, H)
    step = C * arb_mat(len(F), 1, F)
    r0 = max(float(abs(step[i, 0]).upper()) for i in range(len(F)))
    radii = [r0 * k for k in (1.25, 1.6, 2, 2.5, 3.2, 4, 6, 10, 20)] + [width * 16]
    for r in sorted({min(max(r, 1e-12), 0.25) for r in radii}):
        cert = certify_boxes(gd.obj, [[arb(c, r) for c in p] for p in points], H)
        if cert.proved and cert.minimal:
            return cert
    return None


def _multiplier(gd, cert, H: arb) -> arb:
    m = arb(1)
    for (b,) in cert.boxes:
        m = m * gd.derivative(b.to_arb(), H)
    return m


def _trapping_interval(gd, cert, H: arb, p: int):
    """An interval T ∋ x_0 with G_H^p(T) ⊂ int T and |(G^p)′| < 1 on T × H, or None."""
    x0 = cert.boxes[0][0].to_arb()
    lo, hi = x0.lower(), x0.upper()
    base = max(float(x0.rad()), 1e-15)
    for scale in (0.25, 1, 2, 4, 8, 16, 32, 64, 256, 2048):
        T = (lo - base * scale).union(hi + base * scale)
        image, deriv = gd.iterate_derivative(T, H, p)
        if T.contains_interior(image) and abs(deriv) < 1:
            return T
    return None


def _drive_pieces(gd, pieces, H: arb, done, steps: int, max_pieces: int) -> str:
    """Iterate every interval of ``pieces`` under G_H until ``done(X)`` holds for each
    piece (cutting a piece in two when it grows wide); "" on success, else why not."""
    work = [(interval_ball(a, b), 0) for a, b in pieces]
    count = len(work)
    while work:
        X, n = work.pop()
        while not done(X):
            if n >= steps or not X.is_finite():
                return f"a critical piece was not resolved within {steps} ball steps"
            X, n = gd.step(X, H), n + 1
            if X.rad() > 0.05 and count < max_pieces:
                a, b = X.lower(), X.upper()
                m = (a + b) / 2
                work.append((a.union(m), n))
                X, count = m.union(b), count + 1
    return ""


def _escaped(R: Fraction):
    Rb = arb(R.numerator) / R.denominator

    def done(X: arb) -> bool:
        return bool(abs(X) >= Rb) or bool(X >= Rb) or bool(X <= -Rb)
    return done


def _uniqueness(gd, R, H, cover, T, schwarzian, settings) -> tuple[bool, str]:
    """Singer's theorem: for a polynomial (escape radius R) every critical orbit enters T
    or escapes; without R (G maps I = [−L, L] into itself) every critical orbit and both
    ends of I (``cover`` holds them) enter T: T's cycle is the only attracting or neutral
    cycle (in I)."""
    where = "[-R, R]" if R is not None else f"[-{gd.radius:g}, {gd.radius:g}]"
    if not schwarzian:
        return False, f"uniqueness not proved: negative Schwarzian not proved on {where}"
    escaped = _escaped(R) if R is not None else (lambda X: False)
    problem = _drive_pieces(gd, cover, H, lambda X: T.contains(X) or escaped(X),
                            settings.ball_steps, settings.max_pieces)
    if problem:
        return False, f"uniqueness not proved: {problem}"
    if R is None:
        return True, (f"the only attracting or neutral cycle in the invariant interval "
                      f"{where} (Singer for G restricted to it: "
                      f"{schwarzian.replace('[-R, R]', where)}; every critical orbit and "
                      f"both ends of the interval enter the trapping interval)")
    return True, (f"the only attracting cycle (Singer: {schwarzian}; every critical orbit "
                  f"enters the trapping interval or escapes |x| >= {R})")


def _balls(cert) -> tuple:
    """The cycle's enclosures, the coordinates of each point one after the other."""
    return tuple(b for point in cert.boxes for b in point)


def _box(lo, hi, depth, label, **kw) -> BoxClass:
    return BoxClass(exact_text(lo), exact_text(hi), label, depth=depth, **kw)


def _affine(gd, lo, hi, depth, H) -> BoxClass:
    """f quadratic (or linear): G_h(x) = (1 − h·p_1)x − h·p_0."""
    if gd.degree < 1:
        why = "f' is a non-zero constant: every start drifts off" if gd.degree == 0 \
            else "f' is zero: G is the identity"
        if gd.degree == 0:
            return _box(lo, hi, depth, DIVERGENT, no_attractor=True, reason=why)
        return _box(lo, hi, depth, UNDECIDED, reason=why)
    slope = 1 - H * (arb(gd.coeffs[1].numerator) / gd.coeffs[1].denominator)
    if abs(slope) < 1:
        return _box(lo, hi, depth, ATTRACTING, period=1, unique=True,
                    reason="affine map with |1 - h f''| < 1 on the box: every start "
                           "converges to the fixed point")
    if abs(slope) > 1:
        return _box(lo, hi, depth, DIVERGENT, no_attractor=True,
                    reason="affine map with |1 - h f''| > 1 on the box: every start except "
                           "the fixed point diverges")
    return _box(lo, hi, depth, UNDECIDED, reason="|1 - h f''| contains 1 on the box")


def classify_box(gd: GDMap, lo: Fraction, hi: Fraction, max_period: int,
                 settings: AtlasSettings = AtlasSettings(), depth: int = 0) -> BoxClass:
    """The class of the learning-rate box [lo, hi] (module docstring)."""
    with precision(dps=settings.dps):
        H = lr_ball(lo, hi)
        if gd.dim == 2:
            from .plane import classify_plane_box
            return classify_plane_box(gd, lo, hi, max_period, settings, depth, H)
        if gd.polynomial and gd.degree < 2:
            return _affine(gd, lo, hi, depth, H)
        return _classify(gd, lo, hi, max_period, settings, depth, H)


def global_curvature_class(gd, lo, hi, depth, H) -> BoxClass | None:
    """The class from global bounds m ≤ λ(∇²f) ≤ M on the whole space
    (:func:`lrtheory.certify.curvature.global_gd_class`): ``divergent`` when h·m > 2 on H
    (every start but the minimizer diverges), ``attracting`` period 1, unique, when
    h·M < 2 (G contracts the whole space); None otherwise."""
    from ..certify.curvature import DIVERGES, global_gd_class
    found = global_gd_class(gd.curvature, H)
    if found is None:
        return None
    label, why = found
    if label == DIVERGES:
        return _box(lo, hi, depth, DIVERGENT, no_attractor=True, reason=why)
    cycle = gd.minimizer
    if cycle is None:  # the contraction proves the fixed point; its enclosure failed
        return None
    return _box(lo, hi, depth, ATTRACTING, period=1, unique=True, cycle=cycle,
                reason=f"{why} (x* enclosed by a Krawczyk test of ∇f = 0)")


def _classify(gd, lo, hi, max_period, settings, depth, H) -> BoxClass:
    if not gd.polynomial and (box := global_curvature_class(gd, lo, hi, depth, H)):
        return box
    if gd.polynomial:
        R = gd.escape_radius(lo, hi)
        cover, schwarzian, radius = gd.critical_cover(R, H), gd.negative_schwarzian(R, H), \
            float(R)
    else:
        R, cover, schwarzian, radius = None, (), "", gd.radius
    mid, width = float((lo + hi) / 2), float(hi - lo)
    reasons = []
    candidate = _attracting_candidate(gd, mid, max_period, settings.orbit_steps, radius)
    if candidate == "escape" and R is None:
        reasons.append(f"the critical orbits leave [-{radius:g}, {radius:g}] at the midpoint "
                       f"(divergence of a non-polynomial objective is proved only from "
                       f"global curvature bounds, inf f'' > 2/h: {gd.curvature.how})")
    elif candidate == "escape":
        problem = _drive_pieces(gd, cover, H, _escaped(R), settings.ball_steps,
                                settings.max_pieces)
        if not problem:
            note = " (no attracting or neutral cycle, by Singer)" if schwarzian else ""
            return _box(lo, hi, depth, DIVERGENT, no_attractor=bool(schwarzian),
                        reason=f"every critical orbit escapes: |x| >= {R} is reached, where "
                               f"|G(x)| >= 2|x|{note}")
        reasons.append(f"divergence not proved: {problem}")
    elif candidate is not None:
        box = _attracting(gd, lo, hi, depth, H, R, cover, schwarzian, settings, *candidate)
        if isinstance(box, BoxClass):
            return box
        reasons.append(box)
    else:
        reasons.append(f"no critical orbit settles on a cycle of period <= {max_period} at "
                       f"the midpoint")
    seen = f"{ATTRACTING} {candidate[0]}" if isinstance(candidate, tuple) else \
        DIVERGENT if candidate == "escape" and R is not None else ""
    chaotic = _chaotic(gd, lo, hi, depth, H, radius, max_period, mid, width, settings)
    if isinstance(chaotic, BoxClass):
        return dataclasses.replace(chaotic, candidate=seen or _window_inside(
            gd, lo, hi, max_period, settings, radius))
    reasons.append(chaotic)
    return _box(lo, hi, depth, UNDECIDED, reason="; ".join(reasons), candidate=seen)


def _window_inside(gd, lo, hi, max_period, settings, radius) -> str:
    """"attracting p" when the critical orbit settles on a p-cycle at the quarter points
    of a box proved chaotic (a periodic window inside it: the atlas bisects the box)."""
    for t in (Fraction(1, 4), Fraction(3, 4)):
        found = _attracting_candidate(gd, float(lo + t * (hi - lo)), max_period,
                                      settings.orbit_steps, radius)
        if isinstance(found, tuple):
            return f"{ATTRACTING} {found[0]}"
    return ""


def _attracting(gd, lo, hi, depth, H, R, cover, schwarzian, settings, p, points):
    cert = _certify_cycle(gd, points, H, float(hi - lo))
    if cert is None:
        return f"the period-{p} cycle was not certified over the box (Krawczyk)"
    mult = _multiplier(gd, cert, H)
    if not abs(mult) < 1:
        return f"the period-{p} cycle's multiplier is not proved < 1 in modulus on the box"
    if R is None and not gd.invariant(H):
        L = f"{gd.radius:g}"
        unique, why = False, (f"uniqueness not proved: [-{L}, {L}] is not proved invariant "
                              f"(Singer's theorem needs a map of an interval into itself)")
    elif (T := _trapping_interval(gd, cert, H, p)) is None:
        unique, why = False, "uniqueness not proved: no trapping interval"
    elif R is None:
        L = gd.radius
        cover = gd.critical_cover(L, H) + [(-L, -L), (L, L)]
        unique, why = _uniqueness(gd, R, H, cover, T, gd.negative_schwarzian(L, H),
                                  settings)
    else:
        unique, why = _uniqueness(gd, R, H, cover, T, schwarzian, settings)
    bound = mult.abs_upper()
    return _box(lo, hi, depth, ATTRACTING, period=p, unique=unique,
                entropy_lower=entropy_lower_bound(p), cycle=_balls(cert),
                reason=f"Krawczyk-certified {p}-cycle for every h in the box, |multiplier| "
                       f"<= {float(bound):.3g}; {why}")


def _chaotic_periods(max_period: int) -> list[int]:
    """Periods ≤ max_period that are not powers of two, strongest entropy bound first."""
    periods = [n for n in range(3, max_period + 1) if not is_power_of_two(n)]
    return sorted(periods, key=lambda n: -entropy_lower_bound(n))


def _chaotic(gd, lo, hi, depth, H, radius, max_period, mid, width, settings):
    tried = []
    for n in _chaotic_periods(max_period):
        for points in _newton_orbits(gd, mid, n, radius, settings.newton_starts)[:4]:
            cert = _certify_cycle(gd, points, H, width)
            if cert is not None:
                return _box(lo, hi, depth, CHAOTIC, period=n,
                            entropy_lower=entropy_lower_bound(n), cycle=_balls(cert),
                            reason=f"Krawczyk-certified orbit of minimal period {n} (not a "
                                   f"power of 2) for every h in the box: Sarkovskii, "
                                   f"entropy >= log(lambda)/2^k (BGMY)")
        tried.append(n)
    if not tried:
        return f"no period <= {max_period} is not a power of two: chaos not tested"
    return f"no orbit of period {', '.join(map(str, tried))} certified over the box"
