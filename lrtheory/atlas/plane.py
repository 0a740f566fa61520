"""The atlas of GD on objectives of two variables, G_h(z) = z − h∇f(z), z = (x, y): one
learning-rate box H, one proved class, every ball evaluation with h the ball H.

* ``attracting`` (period p) — the multiple-shooting system of a p-cycle passes the
  parametric Krawczyk test over H (:func:`lrtheory.dynamics.krawczyk.certify_boxes`: one
  cycle in the boxes for each h ∈ H, minimal period p) and the monodromy M =
  DG(z_{p−1})···DG(z_0), a ball matrix enclosing it for every h ∈ H and every point of
  the boxes, has both eigenvalues inside the unit disc by the Schur–Cohn–Jury criterion
  for a real 2×2 matrix,

      |det M| < 1   and   |tr M| < 1 + det M,

  exact for each matrix and decided in balls for all of them at once.  This proves *an*
  attracting cycle; it does not prove it the only attractor (Singer's theorem is a
  theorem about maps of the line), so ``unique`` stays False, and a cycle of a period
  that is not a power of two forces no entropy in the plane.
* ``chaotic`` (period n) — on an **invariant line** {t·v} (v = (1, 1), (1, −1), (1, 0) or
  (0, 1), kept when ∇f(t·v) ∥ v identically in t, checked symbolically) G_h restricts to
  GD on the one-variable objective φ(t) = f(t·v)/(v·v): G_h(t·v) = (t − h·φ′(t))·v.  The
  atlas of :mod:`lrtheory.atlas.classify` proves chaos of the restriction (a certified
  orbit of a period that is not a power of two); the entropy bound is the entropy of
  **the restriction to the line** — a lower bound for the entropy of G_h on that
  invariant set, not a statement about the rest of the plane.
* ``divergent`` — for a quadratic f (G affine, z ↦ (I − hA)z − hb with A = ∇²f constant)
  from the eigenvalues λ of A: |1 − hλ| > 1 for both proves that every start except the
  fixed point diverges; one above 1 and one below, that every start off the fixed point's
  stable line (a null set) diverges.  Both below 1 is ``attracting`` (period 1) and, the
  map being a contraction in the eigenbasis, the only attractor (``unique``).  For other
  objectives, from global bounds m ≤ λ(∇²f) ≤ M on the plane (:mod:`lrtheory.certify.
  curvature`, a quadratic part plus a bounded rest): h·m > 2 on H proves every start but
  the minimizer divergent, h·M < 2 with m > 0 every start convergent (``attracting``,
  period 1, ``unique``).  Otherwise escape of every start is not proved in the plane: such
  a box is ``undecided`` and the reason says so.
* ``undecided`` — nothing of the above; the reason lists what failed.

Float64 numerics at the midpoint of H (GD from a 6 × 6 grid of starts in [−L, L]², then
Newton on G^p(z) = z) only propose cycles; every class rests on the ball tests.
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import arb

from ..aliases import lr_keyword
from ..dynamics.krawczyk import monodromy_ball
from ..errors import InputError
from ..objectives import Objective
from ..results import Ball
from .maps import GlobalCurvature, lr_ball
from .classify import (ATTRACTING, CHAOTIC, DIVERGENT, UNDECIDED, _balls, _box,
                       _certify_cycle, classify_box, global_curvature_class)

__all__ = ["PlaneGD", "invariant_line", "classify_plane_box", "schur_stable", "stable_over",
           "transverse_multiplier"]

#: Candidate invariant lines through the origin: direction v and its equation.
LINES = (((1, 1), "y = x"), ((1, -1), "y = -x"), ((1, 0), "y = 0"), ((0, 1), "x = 0"))


def invariant_line(obj: Objective):
    """``(v, equation, φ)`` for the first line {t·v} of :data:`LINES` that GD leaves
    invariant for every h — ∇f(t·v) ∥ v, i.e. v_x·∂_y f(t·v) − v_y·∂_x f(t·v) ≡ 0 — with
    φ(t) = f(t·v)/(v·v) the objective whose GD is the restriction; None if none is."""
    t = sp.Symbol("t", real=True)
    x, y = obj.vars
    for v, equation in LINES:
        on_line = {x: v[0] * t, y: v[1] * t}
        gx, gy = (g.subs(on_line, simultaneous=True) for g in obj.gradient)
        if sp.simplify(v[0] * gy - v[1] * gx) == 0:
            phi = sp.expand(obj.expr.subs(on_line, simultaneous=True) /
                            (v[0] ** 2 + v[1] ** 2))
            return v, equation, Objective(phi, (t,))
    return None


class PlaneGD(GlobalCurvature):
    """G_h(z) = z − h∇f(z) for an objective of two variables (module docstring); cycles
    are searched from starts in [−``radius``, ``radius``]²."""

    polynomial = False
    dim = 2
    degree = None

    def __init__(self, obj: Objective, radius: float = 3.0):
        from .maps import gd_map
        if obj.dim != 2 or obj.params:
            raise InputError("the plane atlas needs an objective of two variables without "
                             "parameters")
        self.obj, self.radius = obj, float(radius)
        obj.arb  # noqa: B018 - compiles the ball evaluators now (unsupported functions fail)
        entries = list(obj.hessian)
        #: ∇²f as exact fractions (a, b, b, c) when f is quadratic, else None.
        self.hessian = tuple(Fraction(int(e.p), int(e.q)) for e in entries) \
            if all(e.is_Rational for e in entries) else None
        self.line = invariant_line(obj) if self.hessian is None else None
        self.line_gd = gd_map(self.line[2], radius) if self.line else None

    @lr_keyword
    def float_map(self, lr: float):
        """(G_h, DG_h) in float64 at h = ``lr`` on arrays of points of shape (k, 2)."""
        h = lr
        model = self.obj.numpy
        return (lambda Z: model.gd_step(Z, h)), (lambda Z: model.gd_jacobian(Z, h))


def schur_stable(M) -> bool:
    """Both eigenvalues of every real 2×2 matrix in the ball matrix M lie in the open unit
    disc: |det M| < 1 and |tr M| < 1 + det M (Schur–Cohn–Jury), decided in balls."""
    tr = M[0, 0] + M[1, 1]
    det = M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
    return bool(abs(det) < 1) and bool(abs(tr) < 1 + det)


def stable_over(gd: PlaneGD, boxes, lo: Fraction, hi: Fraction,
                splits=(1, 4, 16)) -> bool:
    """The monodromy over the cycle enclosures ``boxes`` (valid for every h of [lo, hi])
    is Schur stable for every h ∈ [lo, hi]: tried on the whole box, then on k equal
    sub-boxes of h for each k of ``splits`` (tr and det of a ball matrix lose the
    correlation of their entries through h; sub-boxes restore most of it)."""
    for k in splits:
        step = (hi - lo) / k
        if all(schur_stable(monodromy_ball(gd.obj, boxes, lr_ball(lo + i * step,
                                                                   lo + (i + 1) * step)))
               for i in range(k)):
            return True
    return False


# ---- float64 proposals at the midpoint ---------------------------------------------------
def _cycle_candidate(gd: PlaneGD, h: float, max_period: int, steps: int):
    """(p, points) of the first start of the grid (row by row) whose orbit settles on a
    cycle of period ≤ max_period, Newton-refined; None if none does.  The orbits run in
    blocks of 250 steps, up to ``steps``, and stop once every one has settled or left."""
    G, _ = gd.float_map(h)
    axis = np.linspace(-gd.radius, gd.radius, 6)
    Z = np.array([(a, b) for a in axis for b in axis], dtype=float)
    with np.errstate(all="ignore"):
        for done in range(0, steps, 250):
            for _ in range(min(250, steps - done)):
                Z = G(Z)
                Z[~np.all(np.abs(Z) < 1e6, axis=1)] = np.nan
            periods = _settled(G, Z, max_period)
            if all(p > 0 or not np.all(np.isfinite(z)) for p, z in zip(periods, Z)):
                break
        for p, z in zip(periods, Z):
            if p > 0:
                orbit = [z[None, :]]
                for _ in range(p - 1):
                    orbit.append(G(orbit[-1]))
                return p, _newton_cycle(gd, h, [o[0] for o in orbit])
    return None


def _settled(G, Z, max_period: int) -> list[int]:
    """For each row of Z the least p ≤ max_period with |G^p(z) − z| < 1e-7(1 + |z|), else
    0 (float64)."""
    scale = 1e-7 * (1 + np.linalg.norm(Z, axis=1))
    W, found = Z, np.zeros(len(Z), dtype=int)
    for p in range(1, max_period + 1):
        W = G(W)
        hit = (found == 0) & (np.linalg.norm(W - Z, axis=1) < scale)
        found[hit] = p
    return [int(p) for p in found]


def _newton_cycle(gd: PlaneGD, h: float, points, iters: int = 20) -> list:
    """Newton's method on G^p(z) − z from the first point; the orbit of the result."""
    G, DG = gd.float_map(h)
    z, p = np.array(points[0], dtype=float), len(points)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            w, D = z[None, :], np.eye(2)
            for _ in range(p):
                D = DG(w)[0] @ D
                w = G(w)
            try:
                step = np.linalg.solve(D - np.eye(2), w[0] - z)
            except np.linalg.LinAlgError:
                break
            if not np.all(np.isfinite(step)):
                break
            z = z - step
            if np.linalg.norm(step) < 1e-15 * (1 + np.linalg.norm(z)):
                break
        out = [z]
        for _ in range(p - 1):
            out.append(G(out[-1][None, :])[0])
    return [list(map(float, o)) for o in out] if np.all(np.isfinite(out)) else \
        [list(map(float, o)) for o in points]


# ---- ball tests over the whole box ---------------------------------------------------------
#: What a Schur-stable monodromy proves, and what it does not.
STABLE = ("its monodromy has |det| < 1 and |tr| < 1 + det (Schur-Cohn-Jury) throughout: an "
          "attracting cycle, not proved the only attractor (Singer's theorem is "
          "one-dimensional)")


def _attracting(gd, lo, hi, depth, H, p, points):
    """The attracting box of the p-cycle near ``points``, or why not."""
    cert = _certify_cycle(gd, points, H, float(hi - lo))
    if cert is None:
        return f"the period-{p} cycle was not certified over the box (Krawczyk)"
    if not stable_over(gd, cert.balls(), lo, hi):
        return (f"the period-{p} cycle's monodromy is not proved to have both eigenvalues "
                f"in the unit disc on the box")
    return _box(lo, hi, depth, ATTRACTING, period=p, cycle=_balls(cert),
                reason=f"Krawczyk-certified {p}-cycle for every h in the box; {STABLE}")


def transverse_multiplier(gd: PlaneGD, v, cycle, H: arb) -> arb:
    """∏ w·DG_H(tᵢv)w / (w·w), w = (−v_y, v_x), over the points tᵢ (balls) of a cycle on
    the invariant line {t·v}.  DG(tv)v = g′(t)v (the line is invariant), so in the basis
    (v, w) every DG(tᵢv) is upper triangular and the monodromy's eigenvalues are the
    line's multiplier ∏g′(tᵢ) and this product."""
    w0, w1 = -v[1], v[0]
    m = arb(1)
    for b in cycle:
        t = b.to_arb()
        J = gd.obj.arb.gd_jacobian([t * v[0], t * v[1]], H)
        m = m * (w0 * (J[0, 0] * w0 + J[0, 1] * w1) + w1 * (J[1, 0] * w0 + J[1, 1] * w1)) \
            / (w0 * w0 + w1 * w1)
    return m


def _on_line(gd: PlaneGD, points) -> bool:
    """The proposed cycle lies on the invariant line (float64): its certificate is the
    line's, whose 1-D Krawczyk test holds on wider boxes than the plane's."""
    if gd.line is None:
        return False
    v = gd.line[0]
    return all(abs(v[0] * y - v[1] * x) <= 1e-9 * (1 + abs(x) + abs(y)) for x, y in points)


def _embedded(v, balls) -> tuple:
    """The balls t of points of the line {t·v} as enclosures of (t·v_x, t·v_y)."""
    return tuple(Ball.from_arb(b.to_arb() * c) for b in balls for c in v)


def _on_the_line(gd, lo, hi, depth, H, max_period, settings):
    """The class of the restriction to the invariant line, as a box of the plane map when
    it proves one (chaos; an attracting cycle of the line with transverse multiplier
    < 1 in modulus), else (why not, candidate)."""
    v, equation, phi = gd.line
    line = classify_box(gd.line_gd, lo, hi, max_period, settings, depth)
    where = f" on the invariant line {equation} (GD on phi(t) = {phi.expr})"
    if line.label == CHAOTIC:
        return dataclasses.replace(
            line, cycle=_embedded(v, line.cycle), unique=False,
            reason=f"{line.reason}; the orbit lies{where}: the entropy bound is that of the "
                   f"restriction of G to the line, a lower bound for G on that invariant "
                   f"set")
    if line.label == ATTRACTING:
        across = transverse_multiplier(gd, v, line.cycle, H)
        if abs(across) < 1:
            return _box(lo, hi, depth, ATTRACTING, period=line.period,
                        cycle=_embedded(v, line.cycle),
                        reason=f"on the invariant line {equation} (GD on phi(t) = "
                               f"{phi.expr}): {line.reason.split(';')[0]}; a cycle of G whose "
                               f"monodromy is triangular in the basis (v, w), w normal to "
                               f"the line, with the line's multiplier and the transverse "
                               f"one as eigenvalues, the transverse |.| <= "
                               f"{float(across.abs_upper()):.3g}: an attracting cycle, not "
                               f"proved the only attractor (Singer's theorem is "
                               f"one-dimensional)")
        return (f"the period-{line.period} cycle{where} is not proved attracting across "
                f"the line (transverse multiplier)", f"{ATTRACTING} {line.period}")
    return f"{line.label}{where}: {line.reason}", line.candidate


def _affine(gd, lo, hi, depth, H):
    """f quadratic: multipliers 1 − hλ for the eigenvalues λ of the constant ∇²f."""
    a, b, _, c = gd.hessian
    tr, disc = a + c, (a - c) ** 2 + 4 * b * b  # disc = tr² − 4 det ≥ 0 exactly
    root = arb(disc.numerator).sqrt() / arb(disc.denominator).sqrt()
    trace = arb(tr.numerator) / tr.denominator
    mults = [1 - H * (trace + s * root) / 2 for s in (1, -1)]
    inside = [bool(abs(m) < 1) for m in mults]
    outside = [bool(abs(m) > 1) for m in mults]
    if all(inside):
        return _box(lo, hi, depth, ATTRACTING, period=1, unique=True,
                    reason="affine map with |1 - h lambda| < 1 for both eigenvalues lambda "
                           "of the Hessian on the box: every start converges to the fixed "
                           "point")
    if all(outside):
        return _box(lo, hi, depth, DIVERGENT, no_attractor=True,
                    reason="affine map with |1 - h lambda| > 1 for both eigenvalues lambda "
                           "of the Hessian on the box: every start except the fixed point "
                           "diverges")
    if all(i or o for i, o in zip(inside, outside)):
        return _box(lo, hi, depth, DIVERGENT, no_attractor=True,
                    reason="affine saddle (|1 - h lambda| < 1 for one eigenvalue of the "
                           "Hessian, > 1 for the other, on the box): every start off the "
                           "stable line through the fixed point diverges")
    return _box(lo, hi, depth, UNDECIDED, reason="|1 - h lambda| contains 1 on the box for "
                                                 "an eigenvalue lambda of the Hessian")


def classify_plane_box(gd: PlaneGD, lo: Fraction, hi: Fraction, max_period: int, settings,
                       depth: int, H: arb):
    """The class of the learning-rate box [lo, hi] for GD on two variables (module
    docstring); called by :func:`lrtheory.atlas.classify.classify_box`."""
    if gd.hessian is not None:
        return _affine(gd, lo, hi, depth, H)
    if (box := global_curvature_class(gd, lo, hi, depth, H)) is not None:
        return box
    reasons, seen = [], ""
    found = _cycle_candidate(gd, float((lo + hi) / 2), max_period, settings.orbit_steps)
    if found is None:
        reasons.append(f"no orbit from the grid of starts in [-{gd.radius:g}, "
                       f"{gd.radius:g}]^2 settles on a cycle of period <= {max_period} at "
                       f"the midpoint")
    elif _on_line(gd, found[1]):
        seen = f"{ATTRACTING} {found[0]}"  # certified through the line, below
    else:
        box = _attracting(gd, lo, hi, depth, H, *found)
        if not isinstance(box, str):
            return box
        reasons.append(box)
        seen = f"{ATTRACTING} {found[0]}"
    if gd.line is None:
        reasons.append("chaos not tested: no invariant line y = x, y = -x, y = 0 or x = 0")
    else:
        line = _on_the_line(gd, lo, hi, depth, H, max_period, settings)
        if not isinstance(line, tuple):
            return dataclasses.replace(line, candidate=seen or line.candidate)
        reasons.append(line[0])
        seen = seen or line[1]
    reasons.append(f"divergence is proved in the plane for quadratic objectives and from "
                   f"global curvature bounds (λ_min(∇²f) > 2/h; here "
                   f"{gd.curvature.how})")
    return _box(lo, hi, depth, UNDECIDED, reason="; ".join(reasons), candidate=seen)
