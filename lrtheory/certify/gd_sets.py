"""GD over sets of learning rates and starts: convergence, divergence and boundedness
proved by branch and bound in ball arithmetic.

Statement: for every h in a set of rates S_h and every start x₀ in S_x (a finite list or a
box), GD x_{k+1} = G_h(x_k) = x_k − h∇f(x_k) converges / diverges / stays bounded (within a
radius).  :func:`prove_over_sets` covers S_h × S_x (closure, rounded outward) by boxes
(H, X₀) with :func:`lrtheory.certify.branch_and_bound`; on each box the ball orbit
X_{k+1} ⊇ G_H(X_k) — the intersection of the natural extension with the mean-value form
G_H(m) + DG_H(X_k)(X_k − m) — is followed until it meets a region certified for *every*
h ∈ H:

* **trapping region** (:func:`trapping_region`) about an isolated stationary point x*
  (enclosed by the Krawczyk test on ∇f = 0): T = m + P[−r, r]ⁿ, P the eigenvectors
  of ∇²f(m), with q = ‖P⁻¹DG_H(T)P‖∞ < 1 and ‖P⁻¹(G_H(m) − m)‖∞ + q·r < r.  Then
  G_h(T) ⊂ T and G_h contracts T in the norm ‖P⁻¹·‖∞, so every orbit entering T
  converges to the fixed point x* (contraction mapping theorem).  X_k ⊂ T proves
  convergence on the whole box.
* **escape region** (:func:`escape_region`; one variable, f′ a polynomial over Q): ρ > 1
  and R with G_h(x)² − ρ²x² > 0 for |x| ≥ R and every h ∈ H (Cauchy's root bound on the
  polynomial in x, its coefficients enclosed over H).  Then |x_{k+j}| ≥ ρ^j|x_k| → ∞ once
  |x_k| ≥ R: |X_k| ≥ R proves divergence on the whole box.  Otherwise (up to 4
  variables; ∇f a polynomial plus a part bounded on all of Rⁿ) the escape cone of
  :mod:`lrtheory.certify.escape`: ‖G_h(x)‖∞ ≥ ρ‖x‖∞ for ‖x‖∞ ≥ R and every h ∈ H
  (branch and bound over the directions, monotone in the radius); ‖X_k‖∞ ≥ R on the
  whole box proves divergence.
* **invariant box** (:func:`invariant_region`; "bounded", n ≤ 2): a box I with
  G_h(I) ⊂ I for every h ∈ H (chaotic regimes included) — X_k ⊂ I proves boundedness;
* **radius** — for "bounded within r": an iterate with |X_k| > r on the whole box;
* **regions of the caller** (``regions``): functions ``region(X, H)`` returning the text of
  a certificate that every orbit from the ball box X converges for every h ∈ H (to a
  point left unnamed: a non-isolated minimizer, for instance, which no trapping region
  encloses), or None — used for "converges" and "bounded" without ``target`` or radius.

With ``params`` the statement is quantified over the objective's parameters too: they are
further coordinates of the boxes (h, X₀, M), and every region above is computed with the
parameter balls M (:mod:`lrtheory.certify.parametric`), so it holds for every μ ∈ M.

A box whose orbit meets the region the statement asks for *holds*; one whose orbit meets
the opposite region (a trap for "diverges", an escape for "converges" or "bounded") is a
certified open set of counterexamples (*fails*); otherwise it is bisected (widest side),
and boxes left at the depth limit or the budget, or whose tight orbit enclosure meets no
region within the step limit, are *undecided* with their measure.  Once
a box of counterexamples is certified the remaining boxes are skipped (excluded).
The verdict is "proved" only when every box holds, "refuted" when some box fails (a
rational point of it, inside the set, is named), else "undecided".  An unbounded rate set
is covered up to :func:`rate_cap` and the rest is undecided (infinite measure).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from flint import arb, arb_mat

from ..objectives import Objective
from ..results import Result, result
from .branch_and_bound import ACCEPT, EXCLUDE, SPLIT, branch_and_bound
from .escape import escape_cone_model
from .krawczyk import ball_identity, krawczyk_test
from .sets import Interval, PointSet

__all__ = ["SetProof", "prove_over_sets", "trapping_region", "escape_region", "invariant_region",
           "stationary_enclosures", "ball_image", "rate_cap"]

#: Escape factors ρ tried, largest first.
ESCAPE_FACTORS = tuple(1 + sp.Rational(1, 2**k) for k in (0, 1, 2, 3, 5, 7, 10, 14, 20))
#: Half-widths of trapping regions tried (relative to 1 + |x*|), largest first.
TRAP_RADII = (1.0, 0.3, 0.1, 0.03, 1e-2, 1e-3, 1e-4, 1e-6)
BITS = 128
STATEMENTS = ("converges", "diverges", "bounded")


@result
class SetProof(Result):
    """Outcome of :func:`prove_over_sets`.

    ``statement`` — "converges", "diverges" or "bounded"; ``verdict`` — "proved",
    "refuted" or "undecided"; ``holds``/``boxes`` — boxes proved / decided in all;
    ``fails`` — (rate, start, reason) of certified counterexamples (a rational point
    inside the set and the certificate of the box it lies in); ``undecided`` — boxes
    ((h_lo, h_hi), (x_lo, x_hi), …) left; ``undecided_measure`` — their measure in the
    non-degenerate coordinates (inf when an unbounded part is left); ``certificates``
    — the distinct regions used (texts); ``fail_params`` — with ``params``, the
    parameter values ((name, value), …) of each entry of ``fails``; the boxes then end
    with the parameter coordinates."""

    statement: str
    verdict: str
    boxes: int = 0
    holds: int = 0
    fails: tuple = ()
    undecided: tuple = ()
    undecided_measure: float = 0.0
    certificates: tuple = ()
    fail_params: tuple = ()
    _repr_skip = ("undecided", "certificates")


# ---- regions ----------------------------------------------------------------------------------
def stationary_enclosures(obj: Objective, guesses, radii=(1e-10, 1e-7, 1e-4)) -> list:
    """Balls enclosing distinct isolated stationary points near the numerical ``guesses``
    (each proved unique in its box by the Krawczyk test on ∇f = 0), tried at the relative
    ``radii``."""
    out = []
    for g in guesses:
        g = [float(v) for v in g]
        if not np.all(np.isfinite(g)) or any(all(abs(float(b.mid()) - v) < 1e-6 * (1 + abs(v))
                                                 for b, v in zip(e, g)) for e in out):
            continue
        for rad in radii:
            X = [arb(v, rad * (1 + abs(v))) for v in g]
            test = krawczyk_test(obj.arb.grad, obj.arb.hess, X)
            if test.proved:
                out.append(test.balls())
                break
    return out


def _eigenbasis(obj: Objective, m) -> tuple:
    """(P, P⁻¹) as ball matrices, P the eigenvectors of the Hessian at ``m`` (floats)."""
    n = obj.dim
    H = obj.numpy.hess(np.array([float(v.mid()) for v in m]))
    if n == 1 or not np.all(np.isfinite(H)):
        return ball_identity(n), ball_identity(n)
    _, V = np.linalg.eigh((H + H.T) / 2)
    P = arb_mat(n, n, [float(V[i, j]) for i in range(n) for j in range(n)])
    try:
        return P, P.inv()
    except (ZeroDivisionError, ValueError):
        return ball_identity(n), ball_identity(n)


def _row_norm(M) -> float:
    n = M.nrows()
    return max(sum(float(abs(M[i, j]).upper()) for j in range(M.ncols())) for i in range(n))


def _col(values):
    return arb_mat(len(values), 1, list(values))


def trapping_region(obj: Objective, H, centre) -> tuple | None:
    """(m, P⁻¹, P, r, q) of a trapping region about the stationary point enclosed by
    ``centre`` (balls) valid for every h in the ball ``H`` (module docstring), or None.
    The enclosure lies inside T, so the unique fixed point of G_h in T is that point."""
    m = [arb(c.mid()) for c in centre]
    P, Pinv = _eigenbasis(obj, centre)
    n = obj.dim
    Gm = obj.arb.gd_step(m, H)
    d = max(float(abs(v).upper()) for v in
            [(Pinv * _col([g - c for g, c in zip(Gm, m)]))[i, 0] for i in range(n)])
    scale = 1 + max(abs(float(c.mid())) for c in centre)
    for rel in TRAP_RADII:
        r = rel * scale
        u = _col([arb(0, r)] * n)
        T = [m[i] + (P * u)[i, 0] for i in range(n)]
        q = _row_norm(Pinv * obj.arb.gd_jacobian(T, H) * P)
        if q < 1 and d + q * r < r and _in_trap(centre, (m, Pinv, P, r, q)):
            return m, Pinv, P, r, q    # x* ∈ T: the unique fixed point in T is x*
    return None


def _in_trap(X, trap) -> bool:
    m, Pinv, _, r, _ = trap
    v = Pinv * _col([x - c for x, c in zip(X, m)])
    return all(float(abs(v[i, 0]).upper()) < r for i in range(len(X)))


def _escape_polys(obj: Objective):
    """For each ρ: the coefficients (compiled in h, balls) of G_h(x)² − ρ²x² in x."""
    from ..bifurcation.exact import is_exact_applicable
    from ..evaluators import compile_exprs
    if not is_exact_applicable(obj):
        return []
    x, h = obj.vars[0], sp.Symbol("h", positive=True)
    g = sp.expand(x - h * obj.gradient[0])
    out = []
    for rho in ESCAPE_FACTORS:
        poly = sp.Poly(sp.expand(g**2 - rho**2 * x**2), x)
        if poly.degree() < 2:
            continue
        out.append((rho, compile_exprs(poly.all_coeffs(), (h,), "arb")))
    return out


def escape_region(polys, H) -> tuple | None:
    """(R, ρ) with |G_h(x)| > ρ|x| for |x| ≥ R and every h in the ball ``H`` (module
    docstring), from :func:`_escape_polys`; the smallest R found, or None."""
    best = None
    for rho, coeffs in polys:
        c = coeffs(H)
        lead = c[0]
        if not lead > 0:
            continue
        bound = max(float(abs(a).upper()) for a in c[1:]) / float(lead.lower())
        R = (1 + bound) * (1 + 2.0**-20)
        if best is None or R < best[0]:
            best = (R, rho)
    return best


def ball_image(obj: Objective, X, H) -> list:
    """An enclosure of G_h(x) over x ∈ X, h ∈ H: the natural extension intersected with the
    mean-value form G_H(m) + DG_H(X)(X − m)."""
    m = [arb(x.mid()) for x in X]
    natural = obj.arb.gd_step(X, H)
    Gm = obj.arb.gd_step(m, H)
    J = obj.arb.gd_jacobian(X, H)
    dx = _col([x - c for x, c in zip(X, m)])
    mv = J * dx
    out = []
    for i, (a, g) in enumerate(zip(natural, Gm)):
        b = g + mv[i, 0]
        out.append(a.intersection(b) if a.is_finite() and b.is_finite() and a.overlaps(b)
                   else (b if b.is_finite() else a))
    return out


def invariant_region(obj: Objective, H, tail, rounds: int = 20):
    """A box I ⊇ the points ``tail`` (an array of shape (k, n), n ≤ 2) with G_h(I) ⊂ I for
    every h in the ball ``H``, as ((lo, hi) per coordinate), or None.  I grows from the
    hull of the tail to the hull of I ∪ G_H(I) — images (:func:`ball_image`) of a grid of
    sub-boxes of I widened by a relative 10⁻⁹ — until the widened I holds all of them."""
    tail = np.asarray(tail, dtype=float)
    if obj.dim > 2 or not len(tail) or not np.all(np.isfinite(tail)):
        return None
    lo, hi = tail.min(axis=0), tail.max(axis=0)
    size = float(np.max(hi - lo)) + 1.0
    cells = 256 if obj.dim == 1 else 32
    for _ in range(rounds):
        pad = 1e-9 * (1 + np.abs(hi) + np.abs(lo))
        a, b = [float(v) for v in lo - pad], [float(v) for v in hi + pad]
        edges = [np.linspace(a[i], b[i], cells + 1) for i in range(obj.dim)]
        ymin, ymax, inside = np.full(obj.dim, np.inf), np.full(obj.dim, -np.inf), True
        for idx in np.ndindex(*(cells,) * obj.dim):
            X = [arb((edges[i][k] + edges[i][k + 1]) / 2, (edges[i][k + 1] - edges[i][k]) / 2)
                 for i, k in enumerate(idx)]
            for i, y in enumerate(ball_image(obj, X, H)):
                if not y.is_finite():
                    return None
                inside = inside and bool(y.lower() >= a[i] and y.upper() <= b[i])
                ymin[i] = min(ymin[i], float(y.lower()))
                ymax[i] = max(ymax[i], float(y.upper()))
        if inside:
            return tuple((float(a[i]), float(b[i])) for i in range(obj.dim))
        lo, hi = np.minimum(lo, ymin), np.maximum(hi, ymax)
        if float(np.max(hi - lo)) > 100 * size:
            return None
    return None


def _float_tail(obj: Objective, h: float, start, steps: int = 2000, keep: int = 500):
    """The last ``keep`` points of float64 GD from ``start`` at rate h (None if it blows up)."""
    x = np.array([float(c) for c in start])
    tail = []
    with np.errstate(all="ignore"):
        for k in range(steps):
            x = x - h * obj.numpy.grad(x)
            if not np.all(np.isfinite(x)) or np.max(np.abs(x)) > 1e12:
                return None
            if k >= steps - keep:
                tail.append(x.copy())
    return np.array(tail)


# ---- the branch and bound ------------------------------------------------------------------
def rate_cap(rates: Interval):
    """Upper end of the part of an unbounded rate set that is covered: 2(1 + lo)."""
    return rates.hi if rates.hi is not None else 2 * (1 + rates.lo)


class _Decider:
    """The ``decide`` callback of the branch and bound for one statement."""

    def __init__(self, obj, statement, radius, traps, polys, steps, target=None, regions=(),
                 cone=None, family=None):
        self.obj, self.statement, self.steps, self.target = obj, statement, steps, target
        # with a parameter family, ``traps`` are the numerical guesses of stationary points
        # (enclosed per parameter box by :meth:`_centres`)
        self.n, self.family, self.guesses = obj.dim, family, traps
        self.cone, self.cones = cone, {}   # escape cone model, regions per rate interval
        self.regions = tuple(regions) if radius is None and target is None else ()
        self.radius = None if radius is None else float(radius)
        self.traps, self.polys = traps, polys
        self.found: list = []      # (h_lo, h_hi, region): a region holds for sub-intervals
        self.refuted = False
        self.invariants: list = []  # (h_lo, h_hi, box) of invariant boxes found
        self.sets = (None, None)   # (rates, starts), for naming counterexamples

    def _key(self, fbox) -> tuple:
        """The rates and parameters of the box (what its regions depend on)."""
        return (fbox[0],) + tuple(fbox[1 + self.n:])

    def _centres(self, key) -> list:
        """Enclosures of the stationary points: for every parameter of the box when the
        objective has parameters (Krawczyk tests with the parameter balls)."""
        if self.family is None:
            return self.traps
        return stationary_enclosures(self.obj, self.obj.newton_guesses(self.guesses),
                                     (1e-10, 1e-7, 1e-4, 1e-3, 1e-2, 0.1))

    def _traps(self, fbox, H) -> list:
        """(region, enclosure of x*) of the trapping regions valid on the box's rates (and
        parameters): those found for an enclosing box if all are of the largest size, else
        computed for this one."""
        key = self._key(fbox)
        old = [t for k, t in self.found if _inside(key, k)]
        if old and all(t[0][3] == TRAP_RADII[0] * (1 + max(abs(float(c.mid())) for c in t[1]))
                       for t in old):
            return old
        new = [(t, c) for t, c in ((trapping_region(self.obj, H, c), c)
                                   for c in self._centres(key)) if t]
        self.found = [(k, t) for k, t in self.found if _inside(k, key)] + \
            [(key, t) for t in new]
        return new

    def _escape(self, fbox, H):
        """(R, ρ) of an escape region valid on the box's rates: Cauchy's bound (one
        variable, f′ over Q) or the escape cone (otherwise) found for an enclosing rate
        interval, else computed for this one; None if there is none."""
        if self.polys:
            return escape_region(self.polys, H)
        if self.cone is None:
            return None
        key = self._key(fbox)
        for k, region in self.cones.items():
            if region is not None and _inside(key, k):
                return region
        if key not in self.cones:
            from .escape import escape_cone
            balls = self.obj.balls if self.family is not None else ()
            self.cones[key] = escape_cone(self.cone, H, balls)
        return self.cones[key]

    def _invariant(self, fbox, H, X):
        """An invariant box for the rates of the box (bounded statements, n ≤ 2): one found
        for an enclosing rate interval, else built about the float tail at the middle rate
        from the box centre."""
        key = self._key(fbox)
        for k, region in self.invariants:
            if _inside(key, k):
                return region
        tail = _float_tail(self.obj, float(H.mid()), [float(x.mid()) for x in X])
        region = None if tail is None else invariant_region(self.obj, H, tail)
        if region is not None:
            self.invariants.append((key, region))
        return region

    def _limit(self, centre) -> str:
        """"converges" (to the stated point, or no point is stated), "elsewhere" (to a
        point proved different) or "undecided"."""
        if self.target is None:
            return "converges"
        from ..evaluators import to_arb
        t = [to_arb(v) for v in self.target]
        if all(c.contains(v) for c, v in zip(centre, t)):
            return "converges"
        return "elsewhere" if any(not c.overlaps(v) for c, v in zip(centre, t)) else "undecided"

    def __call__(self, fbox):
        verdict, value = self._decide(fbox)
        if verdict == ACCEPT and self.holds(value[0]) is False and \
                _witness(fbox, *self.sets, self.family) is not None:
            self.refuted = True    # a counterexample inside the set is certified
        return verdict, value

    def _decide(self, fbox):
        if self.refuted:
            return EXCLUDE, None   # a counterexample box is known: the rest is not needed
        H = arb(fbox[0][0]).union(arb(fbox[0][1]))
        starts = fbox[1:1 + self.n]
        if self.family is not None:
            self.obj = self.family.bind(fbox[1 + self.n:])
        X = [arb(lo).union(arb(hi)) for lo, hi in starts]
        self.escape_bound = 1e3 * (1 + max(max(abs(lo), abs(hi)) for lo, hi in starts))
        traps = self._traps(fbox, H)
        esc = self._escape(fbox, H)
        norm = "|x|" if self.obj.dim == 1 else "‖x‖∞"
        inv = self._invariant(fbox, H, X) if self.statement == "bounded" and \
            self.obj.dim <= 2 else None
        top = 0.0
        for k in range(self.steps + 1):
            low = max(float(abs(v).lower()) for v in X)
            top = max(top, max(float(abs(v).upper()) for v in X))
            if self.radius is not None and low > self.radius:
                return ACCEPT, ("outside", f"|x_{k}| > {self.radius:g}")
            if esc and max(abs(v).lower() for v in X) >= esc[0]:
                return ACCEPT, ("diverges", f"escape region {norm} >= {esc[0]:.3g}, where "
                                            f"{norm.replace('x', 'G(x)')} "
                                            f"{_rho_text(esc[1])}{norm} for every h in the "
                                            f"box, entered at step {k}")
            for region in self.regions:
                text = region(X, H)
                if text:
                    return ACCEPT, ("converges", f"{text} entered at step {k}")
            for t, centre in traps:
                if _in_trap(X, t):
                    m, _, _, r, q = t
                    within = self.radius is None or top <= self.radius and \
                        max(abs(float(c.mid())) for c in m) + r * 2 <= self.radius
                    if not within:
                        continue    # the region may reach beyond the radius: follow on
                    return ACCEPT, (self._limit(centre),
                                    f"trapping region about ({', '.join(c.str(6) for c in centre)})"
                                    f" (contraction q <= {q:.3g}) entered at step {k}")
            if inv and all(v.lower() >= a and v.upper() <= b for v, (a, b) in zip(X, inv)):
                within = self.radius is None or top <= self.radius and \
                    max(max(abs(a), abs(b)) for a, b in inv) <= self.radius
                shown = " × ".join(f"[{a:.6g}, {b:.6g}]" for a, b in inv)
                if within:
                    return ACCEPT, ("bounded", f"invariant box {shown} entered at step {k}")
            wide = max(float(v.rad()) for v in X) > \
                0.25 * (1 + max(abs(float(v.mid())) for v in X))
            if not all(v.is_finite() for v in X) or top > self.escape_bound or wide:
                return SPLIT, None  # lost (or grown beyond any region): cut the box
            X = ball_image(self.obj, X, H)
        # the enclosure stayed tight for all the steps: a smaller box would not decide
        # sooner (next to a bifurcation rate the orbit needs ever more steps)
        return ACCEPT, ("undecided", f"no region reached in {self.steps} steps")

    def holds(self, outcome: str) -> bool | None:
        """True (the box holds), False (a counterexample box) or None (undecided)."""
        if outcome == "undecided":
            return None
        if self.statement == "converges":
            return outcome == "converges"
        if self.statement == "diverges":
            return outcome == "diverges"
        return outcome in ("converges", "elsewhere", "bounded")


def _rho_text(rho) -> str:
    """"> ρ" as written in a certificate: exact for Cauchy's bound, else ">= " a lower
    bound of the cone's ρ with four decimals."""
    return f"> {rho}" if isinstance(rho, sp.Basic) else f">= {math.floor(rho * 1e4) / 1e4:g}"


def split_rate_first(fbox) -> tuple:
    """Bisect the side of largest relative width: the rate side's width relative to its
    lower end, a start side's relative to 1 + its magnitude (the orbit depends on h
    through h∇f, on x₀ directly)."""
    def score(i):
        lo, hi = fbox[i]
        return (hi - lo) / max(lo, 1e-300) if i == 0 else (hi - lo) / (1 + max(abs(lo), abs(hi)))
    i = max(range(len(fbox)), key=score)
    lo, hi = fbox[i]
    cut = lo + (hi - lo) / 2
    return fbox[:i] + ((lo, cut),) + fbox[i + 1:], fbox[:i] + ((cut, hi),) + fbox[i + 1:]


def _guesses(obj: Objective, rates: Interval, starts, steps: int = 4000) -> list:
    """Numerical limits of float GD at a few rates and starts (candidates for x*), and for
    one variable with polynomial f′ the exact stationary points."""
    from .falsifier import stationary_points_1d
    pts = [[float(sp.N(r))] for r in stationary_points_1d(obj)]
    hs = [float(h) for h in Interval(rates.lo, rate_cap(rates), True, True).grid(5)] \
        if rates.lo != rate_cap(rates) else [float(rates.lo)]
    x0s = [[float(c) for c in p] for p in (starts.points if isinstance(starts, PointSet)
                                           else starts.corners() + [starts.centre()])]
    X = np.array([x for _ in hs for x in x0s], dtype=float)
    hv = np.repeat(np.array(hs), len(x0s))[:, None]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            X = X - hv * obj.numpy.grad(X)
            X[~np.all(np.isfinite(X), axis=1)] = np.nan
            X[np.any(np.abs(X) > 1e12, axis=1)] = np.nan
    pts += [list(x) for x in X if np.all(np.isfinite(x))]
    return pts


def _pieces(side, n: int) -> list:
    """``side`` (lo, hi) cut into n equal float pieces (the ends kept exactly)."""
    lo, hi = side
    if lo == hi or n == 1:
        return [side]
    cuts = [lo] + [lo + (hi - lo) * k / n for k in range(1, n)] + [hi]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


def _inside(inner, outer) -> bool:
    """Each (lo, hi) side of ``inner`` lies in the matching side of ``outer``."""
    return all(a <= lo and hi <= b for (lo, hi), (a, b) in zip(inner, outer))


def _measure(fbox, free) -> float:
    return float(np.prod([fbox[i][1] - fbox[i][0] for i in free])) if free else 0.0


def _witness(fbox, rates: Interval, starts, family=None):
    """A rational point of the float box inside the set (rate, start) — and (rate, start,
    parameters) with a parameter ``family`` — or None."""
    if family is not None:
        from .parametric import parameter_witness
        n = len(fbox) - len(family.names)
        point, values = _witness(fbox[:n], rates, starts), parameter_witness(fbox[n:], family)
        return None if point is None or values is None else point + (values,)
    lo, hi = sp.Rational(fbox[0][0]), sp.Rational(fbox[0][1])
    h = Interval(lo, hi, lo == hi, lo == hi).simplest() if lo != hi else lo
    if not rates.contains(h):
        return None
    if isinstance(starts, PointSet):
        x = tuple(sp.Rational(lo) for lo, _ in fbox[1:])
        x = next((p for p in starts.points if all(float(a) == float(b) for a, b in zip(p, x))), x)
    else:
        x = tuple(Interval(sp.Rational(a), sp.Rational(b), a == b, a == b).simplest()
                  if a != b else sp.Rational(a) for a, b in fbox[1:])
        if not starts.contains(x):
            return None
    return h, x


def prove_over_sets(obj: Objective, rates: Interval, starts, statement: str, radius=None,
                    steps: int = 200, max_depth: int = 24, max_boxes: int = 1500,
                    pieces: int = 8, bits: int = BITS, target=None, regions=(),
                    params=None) -> SetProof:
    """Prove ``statement`` ("converges", "diverges", "bounded" [within ``radius``]) for GD
    on ``obj`` for every rate of ``rates`` and start of ``starts`` (a
    :class:`~lrtheory.certify.sets.PointSet` or a bounded
    :class:`~lrtheory.certify.sets.Box`) — for "converges" to the point ``target`` when
    given — or
    find a certified box of counterexamples, or name what is left undecided (module
    docstring); ``regions`` adds convergence certificates of the caller.  The rates are
    cut into ``pieces`` equal parts, each searched depth first with its share of
    ``max_boxes``, so that a hard spot (a bifurcation rate) cannot use up the budget of the
    whole interval.  ``params`` ({name: bounded Interval}, one per parameter of ``obj``)
    quantifies over the parameters too: they are coordinates of the boxes (after the
    starts), and every certificate holds for all values of a box's parameter balls
    (:mod:`lrtheory.certify.parametric`)."""
    from ..precision import precision
    if statement not in STATEMENTS:
        raise ValueError(f"statement must be one of {STATEMENTS}")
    cap = rate_cap(rates)
    covered = Interval(rates.lo, cap, rates.lo_closed, True if rates.hi is None
                       else rates.hi_closed)
    family = _family(obj, params)
    with precision(bits=bits):
        if family is None:
            traps = stationary_enclosures(obj, _guesses(obj, covered, starts))
        else:   # numerical guesses at the centre; enclosures per parameter box
            traps = _guesses(family.bind(family.float_box()), covered, starts)
        polys = _escape_polys(obj)     # one variable, f′ over Q: Cauchy's bound instead
        cone = None if polys else escape_cone_model(obj)
        decide = _Decider(obj, statement, radius, traps, polys, steps, target, regions, cone,
                          family)
        decide.sets = (rates, starts)
        hboxes = _pieces(covered.float_box()[0], pieces)
        pbox = () if family is None else family.float_box()
        components = [(hb,) + tuple((float(c), float(c)) for c in p) + pbox
                      for p in starts.points for hb in hboxes] \
            if isinstance(starts, PointSet) else \
            [(hb,) + starts.float_box() + pbox for hb in hboxes]
        free = ([0] if covered.lo != covered.hi else []) + \
            ([] if isinstance(starts, PointSet) else list(range(1, starts.dim + 1))) + \
            [1 + obj.dim + i for i, (lo, hi) in enumerate(pbox) if lo != hi]
        boxes = holds = 0
        fails, undecided, certs, fail_params = [], [], [], []
        for comp in components:
            search = branch_and_bound(comp, decide, split_rate_first, max_depth=max_depth,
                                      max_boxes=max(1, max_boxes // len(components)))
            boxes += search.boxes
            undecided += list(search.undecided)
            for fbox, (outcome, text) in search.accepted:
                ok = decide.holds(outcome)
                if ok is None:
                    undecided.append(fbox)
                elif ok:
                    holds += 1
                    certs.append(text.split(" (contraction")[0].split(", where")[0]
                                 .split(" entered")[0])
                else:
                    w = _witness(fbox, rates, starts, family)
                    if w is not None:
                        fails.append((w[0], w[1], f"{outcome}: {text} (on h in "
                                                    f"[{fbox[0][0]:.6g}, {fbox[0][1]:.6g}]"
                                                    f"{_params_text(fbox, family)})"))
                        fail_params.append(w[2] if family is not None else ())
                    else:
                        undecided.append(fbox)
    measure = sum(_measure(b, free) for b in undecided)
    if rates.hi is None:
        measure = float("inf")
    verdict = "refuted" if fails else ("proved" if not undecided and rates.hi is not None
                                       else "undecided")
    return SetProof(statement, verdict, boxes, holds, tuple(fails[:5]), tuple(undecided),
                    measure, tuple(dict.fromkeys(certs))[:6], tuple(fail_params[:5]))


def _family(obj: Objective, params):
    """The :class:`~lrtheory.certify.parametric.ParameterFamily` of ``obj`` over the
    intervals ``params``, or None without parameters."""
    if not params and not obj.params:
        return None
    from ..errors import InputError
    from .parametric import ParameterFamily
    if not params:
        raise InputError(f"objective has parameters {[str(p) for p in obj.params]}: give "
                         "an interval for each (params)")
    return ParameterFamily(obj, params)


def _params_text(fbox, family) -> str:
    """The parameter sides of a box, as text (empty without parameters)."""
    if family is None:
        return ""
    sides = fbox[len(fbox) - len(family.names):]
    return "".join(f", {name} in [{lo:.6g}, {hi:.6g}]"
                   for name, (lo, hi) in zip(family.names, sides))
