"""Certified runs of GD from one start at one learning rate: what is proved of the orbit
x_{k+1} = G(x_k) = x_k − h∇f(x_k) of an exact start, in Arb balls.

The run is computed in float64 and in mpmath at :data:`DPS` digits and classified; then
the exact start is followed in balls until it meets a certificate:

* **convergence** — a box B about the numerical limit (of G^p for a p-cycle) on which G^p
  is a contraction mapping B into itself (‖DG^p(B)‖∞ = q < 1 and
  ‖G^p(c) − c‖∞ + q·r < r for the centre c and half-width r), entered by the ball orbit:
  the orbit converges to the unique fixed point of G^p in B (:func:`contraction_box`);
* **divergence** (one variable, f′ a polynomial over Q, h rational) — c > 1 and R with
  G(x)² − c²x² > 0 for |x| ≥ R, and the ball orbit reaches |x_k| ≥ R: then
  |x_{k+j}| ≥ c^j|x_k| → ∞ (:func:`escape_radius`);
* **boundedness** — a box I around the numerical tail with G(I) ⊂ I, entered by the ball
  orbit (:func:`invariant_box`).

:func:`study_run` gathers them in a :class:`RunFacts`; the claim kinds gd-converges,
gd-diverges, gd-bounded, limit-sharpness and lyapunov-sign
(:mod:`lrtheory.expect`) judge them.
"""
from __future__ import annotations

import math as _math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..aliases import lr_keyword, renamed
from ..objectives import Objective

__all__ = ["RunFacts", "study_run", "contraction_box", "escape_radius", "invariant_box",
           "image_chain", "norm_upper", "balls", "DPS", "BLOWUP", "RADII", "ESCAPE_FACTORS"]

DPS = 40
BLOWUP = 1e50
#: Escape factors tried for the divergence certificate.
ESCAPE_FACTORS = (2, sp.Rational(3, 2), sp.Rational(5, 4), sp.Rational(9, 8),
                  sp.Rational(17, 16))
#: Half-widths (relative to 1 + |c|) tried for the contraction box.
RADII = (1e-3, 1e-5, 1e-7, 1e-9)


@dataclass
class RunFacts:
    """What is known of one GD run: the float64 and mpmath labels and periods, the
    mpmath tail, and the certificates (None when not obtained)."""

    start: tuple
    h: sp.Expr
    labels: tuple
    periods: tuple
    last: np.ndarray
    tail: np.ndarray
    max_abs: float
    limit_box: tuple | None = None     # (centre, radius, period) of a contraction box
    entered: int | None = None         # step at which the ball orbit entered it
    escape: tuple | None = None        # (R, c, step) of a divergence certificate
    invariant: tuple | None = None     # (box, step) of an invariant box certificate
    outside: tuple | None = None       # (step, |x|) of a ball iterate beyond the radius

    @property
    def agree(self) -> bool:
        return self.labels[0] == self.labels[1] and self.periods[0] == self.periods[1]

    @property
    def label(self) -> str:
        lab, p = self.labels[1], self.periods[1]
        return f"periodic ({p})" if lab == "periodic" else lab


# ---- numerical runs ---------------------------------------------------------------------------
def _numerics(obj: Objective, x0, h, steps: int):
    from ..gd import Record, run_gd
    rec = Record(tail=256, classify=True)
    fast = run_gd(obj, [[float(c) for c in x0]], float(h), steps, rec)
    precise = run_gd(obj, [[str(c) if c.is_Rational else float(c) for c in x0]], h, steps,
                     rec, backend="mpmath", dps=DPS, blowup=BLOWUP)
    tail = np.array([[float(c) for c in s] for s in precise.tail[0]])
    finite = tail[np.all(np.isfinite(tail), axis=1)]
    max_abs = float(np.max(np.abs(finite))) if len(finite) else _math.inf
    return ((fast.labels[0], precise.labels[0]),
            (int(fast.periods[0]), int(precise.periods[0])),
            np.array([float(c) for c in precise.last[0]]), tail, max_abs)


# ---- ball arithmetic --------------------------------------------------------------------------
def balls(values):
    """Exact numbers as arb balls (:func:`lrtheory.evaluators.to_arb`)."""
    from ..evaluators import to_arb
    return [to_arb(v) for v in values]


@renamed(hb="lr")
def image_chain(obj: Objective, X, lr, p: int):
    """G(X), …, G^p(X) and DG^p(X) on a ball box (natural extensions)."""
    from flint import arb_mat
    n = obj.dim
    J = arb_mat(n, n, [1 if i == j else 0 for i in range(n) for j in range(n)])
    for _ in range(p):
        J = obj.arb.gd_jacobian(X, lr) * J
        X = obj.arb.gd_step(X, lr)
    return X, J


def norm_upper(J) -> float:
    """An upper bound of the ∞-norm max_i Σ_j |J_ij| of a ball matrix."""
    n = J.nrows()
    return max(sum(float(abs(J[i, j]).upper()) for j in range(n)) for i in range(n))


@lr_keyword
def contraction_box(obj: Objective, lr, centre, p: int = 1):
    """(centre, r) of a box B = centre ± r about ``centre`` on which G^p is a contraction
    into itself — ‖DG^p(B)‖∞ = q < 1 and ‖G^p(c) − c‖∞ + q·r < r (then G^p(B) ⊂ B and
    G^p has a unique fixed point in B, the limit of every orbit entering B) — for r in
    :data:`RADII` relative to 1 + |c|, or None."""
    from flint import arb
    hb = balls([lr])[0]
    c = balls(centre)
    image, _ = image_chain(obj, c, hb, p)
    d = max(float(abs(a - b).upper()) for a, b in zip(image, c))
    scale = 1 + max(abs(float(v)) for v in centre)
    for rel in RADII:
        r = rel * scale
        box = [v + arb(0, r) for v in c]
        _, J = image_chain(obj, box, hb, p)
        q = norm_upper(J)
        if q < 1 and d + q * r < r:
            return [float(v) for v in centre], r
    return None


def _inside(x, centre, r) -> bool:
    from flint import arb
    return all((xi - arb(ci)).abs_upper() < r for xi, ci in zip(x, centre))


@lr_keyword
def escape_radius(obj: Objective, lr):
    """(R, c) with |G(x)| ≥ c|x| for |x| ≥ R, c > 1, for a 1-D polynomial GD map at
    rational h: G(x)² − c²x² is a polynomial with positive leading coefficient whose
    real roots lie within R (Cauchy's bound), positive at ±R; then an orbit reaching
    |x_k| ≥ R diverges, |x_{k+j}| ≥ c^j|x_k|.  None when no factor of
    :data:`ESCAPE_FACTORS` works."""
    from ..bifurcation.exact import is_exact_applicable
    if obj.dim != 1 or not sp.sympify(lr).is_Rational or not is_exact_applicable(obj):
        return None
    x = obj.vars[0]
    g = sp.expand(obj.gd_map_exprs(lr)[0])
    for c in ESCAPE_FACTORS:
        q = sp.Poly(sp.expand(g**2 - c**2 * x**2), x)
        if q.degree() < 1 or q.LC() <= 0:
            continue
        coeffs = q.all_coeffs()
        R = 1 + max(abs(a / coeffs[0]) for a in coeffs[1:])
        if q.eval(R) > 0 and q.eval(-R) > 0:
            return R, c
    return None


@lr_keyword
def invariant_box(obj: Objective, lr, tail: np.ndarray, rounds: int = 20):
    """A box I ⊇ the numerical tail with G(I) ⊂ I, as ((lo, hi) per coordinate), or None
    (:func:`lrtheory.certify.gd_sets.invariant_region` at the single rate h)."""
    from ..certify.gd_sets import invariant_region
    return invariant_region(obj, balls([lr])[0], tail, rounds)


def _ball_orbit(obj: Objective, facts: RunFacts, steps: int, radius) -> None:
    """Follow the exact start in balls and record which certificate it meets first; with
    a ``radius``, also the first iterate certainly beyond it (the orbit is followed past
    a certified region that does not lie within the radius)."""
    from ..precision import precision
    with precision(DPS):
        hb = balls([facts.h])[0]
        x = balls(facts.start)
        escape = balls([facts.escape[0]])[0] if facts.escape else None
        for k in range(steps + 1):
            low = max(float(abs(v).lower()) for v in x)
            if radius is not None and low > float(radius):
                facts.outside = (k, low)
                return
            if escape is not None and abs(x[0]) >= escape:
                facts.escape = (*facts.escape[:2], k)
                return
            if facts.limit_box and facts.entered is None and _inside(x, *facts.limit_box[:2]):
                facts.entered = k
            if facts.invariant and facts.invariant[1] is None and all(
                    v.lower() >= lo and v.upper() <= hi
                    for v, (lo, hi) in zip(x, facts.invariant[0])):
                facts.invariant = (facts.invariant[0], k)
            if _settled(facts, radius):
                return
            if max(float(v.rad()) for v in x) > 1e-3:
                return  # the enclosure has lost the orbit
            x = obj.arb.gd_step(x, hb)


def _settled(facts: RunFacts, radius) -> bool:
    """Whether the ball orbit need not be followed further: it entered a certified region
    that lies within the radius (or no radius is stated)."""
    r = None if radius is None else float(radius)
    if facts.entered is not None:
        centre, half, _ = facts.limit_box
        return r is None or max(abs(c) for c in centre) + half <= r
    if facts.invariant and facts.invariant[1] is not None:
        return r is None or all(max(abs(lo), abs(hi)) <= r for lo, hi in facts.invariant[0])
    return False


@lr_keyword
def study_run(obj: Objective, x0, lr, steps: int, radius=None) -> RunFacts:
    """One GD run from ``x0`` at ``lr`` for ``steps`` steps: float64 and mpmath runs
    (:func:`lrtheory.gd.run_gd`, classified), then the certificate that applies to the
    numerical label — a contraction box about the limit (converged / periodic), an escape
    radius (divergent), an invariant box (aperiodic) — kept only when the ball orbit of
    the exact start enters it (module docstring)."""
    from ..precision import precision
    labels, periods, last, tail, max_abs = _numerics(obj, x0, lr, steps)
    facts = RunFacts(tuple(x0), lr, labels, periods, last, tail, max_abs)
    with precision(DPS):
        if labels[1] in ("converged", "periodic") and np.all(np.isfinite(last)):
            p = max(1, periods[1])
            box = contraction_box(obj, lr, [sp.Float(v, 17) for v in last], p)
            facts.limit_box = (*box, p) if box else None
        elif labels[1] == "divergent":
            esc = escape_radius(obj, lr)
            facts.escape = (esc[0], esc[1], None) if esc else None
        elif labels[1] == "aperiodic":
            inv = invariant_box(obj, lr, tail)
            facts.invariant = (inv, None) if inv else None
    _ball_orbit(obj, facts, steps, radius)
    if facts.escape and facts.escape[2] is None:
        facts.escape = None
    if facts.invariant and facts.invariant[1] is None:
        facts.invariant = None
    if facts.limit_box and facts.entered is None:
        facts.limit_box = None
    return facts
