"""Counterexamples to statements about GD over a set, each re-checked exactly or in balls.

Run before any proof attempt over a set of learning rates and starts (the statements of
:mod:`lrtheory.certify.gd_sets`):

* :func:`exact_orbit` — the GD orbit x_{k+1} = x_k − h∇f(x_k) of a rational start at a
  rational rate in exact rational arithmetic (python-flint ``fmpq``, the objective's exact
  model), until a point repeats: an **exact eventually periodic orbit** x_{m+p} = x_m.
  Such an orbit is a counterexample to divergence (it is bounded), and, when p ≥ 2, to
  convergence (it never settles).  Example: f = x²/2 + x⁴/4 at h = 1 maps 1 → −1 → 1.
* :func:`crossings` — for one variable and a polynomial f′ (the map is then continuous in
  (h, x)), sign changes in h of ψ_n(h) = T_h^n(x₀) − x* for a stationary point x* of f
  (a fixed point of every T_h), each sign proven in ball arithmetic at two rational
  rates h₁ < h₂.  By the intermediate value theorem some h* ∈ (h₁, h₂) has
  T_{h*}^n(x₀) = x*: from x₀ the orbit at h* lands on the fixed point x* at step n and
  stays there.  This is a rigorous counterexample to divergence (and to convergence to
  another point) even though the failing rates form a set of measure zero — no sample
  would ever hit h* (issue: GD on x³/3 + x²/2 from 1/5 for h ∈ [31/10, 4], where
  T_h⁴(1/5) crosses 1/h, whose image is the fixed point −1).  Adaptive refinement:
  every sign change found on the grid is bisected (``refine`` times) to localise h*.
* What the falsifier tries over a set (:func:`falsifier_rates`, :func:`sample_starts`):
  the closed ends of a rate interval, its simplest rate and three grid rates; the points
  of a start list or the corners and centre of a start box.  :func:`exact_cycle` is the
  exact orbit where the data are rational, :func:`crossings_over` the crossings over a
  grid of :data:`CROSSING_GRID` rates of an interval (up to
  :func:`lrtheory.certify.gd_sets.rate_cap` when it is unbounded).
* :class:`PointMargin` — an inequality g = rhs − lhs ≥ 0 (> 0 when strict) at an exact
  point: exactly in rationals (fmpq) when g, lhs and rhs are rational functions, else in
  Arb balls whose sign is certain or left undecided; and :func:`shrink_counterexample`,
  which replaces each coordinate of a counterexample in turn by the first of the simplest
  rationals of its side of the box (:func:`simple_rationals`) that keeps it one.
"""
from __future__ import annotations

import sympy as sp
from flint import fmpq

from ..aliases import lr_keyword
from ..objectives import Objective
from ..results import Result, result

__all__ = ["ExactOrbit", "exact_orbit", "Crossing", "crossings", "stationary_points_1d",
           "PointMargin", "simple_rationals", "shrink_counterexample", "falsifier_rates",
           "sample_starts", "exact_cycle", "crossings_over", "CROSSING_GRID"]

#: Digits of a numerator or denominator beyond which an exact orbit is abandoned.
MAX_DIGITS = 2000
#: Rates of the grid on which crossings of the orbit with a fixed point are searched.
CROSSING_GRID = 129


@result
class ExactOrbit(Result):
    """An exact rational GD orbit (:func:`exact_orbit`).

    ``start``, ``h`` — exact data; ``points`` — x_0, …, x_k as texts (p/q); ``preperiod``
    m and ``period`` p when x_{m+p} = x_m (None when no repetition was met); ``stopped``
    — why the orbit ended ("cycle", "steps", "size")."""

    start: tuple
    h: sp.Rational
    points: tuple
    preperiod: int | None = None
    period: int | None = None
    stopped: str = "steps"

    @property
    def periodic(self) -> bool:
        return self.period is not None

    def describe(self) -> str:
        """The orbit in words: "1 → -1 → 1 (exact 2-cycle)"."""
        if not self.periodic:
            return f"no exact repetition within {len(self.points) - 1} steps ({self.stopped})"
        shown = self.points[:self.preperiod + self.period + 1]
        what = "fixed point" if self.period == 1 else f"{self.period}-cycle"
        return " → ".join(shown) + f" (exact {what}, from step {self.preperiod})"


def _text(x) -> str:
    return str(x[0]) if len(x) == 1 else "(" + ", ".join(map(str, x)) + ")"


@lr_keyword
def exact_orbit(obj: Objective, start, lr, max_steps: int = 64) -> ExactOrbit:
    """The exact orbit of ``start`` at rate ``lr`` (rational objective and data) until a
    point repeats, ``max_steps`` pass, or a coordinate exceeds :data:`MAX_DIGITS` digits
    (module docstring)."""
    from ..objectives import to_fmpq
    h = sp.Rational(lr)
    x = tuple(to_fmpq(c) for c in start)
    seen = {x: 0}
    points = [x]
    for k in range(1, max_steps + 1):
        x = tuple(fmpq(v) for v in obj.exact.gd_step(list(x), h))
        if any(len(str(v)) > MAX_DIGITS for v in x):
            return ExactOrbit(tuple(start), h, tuple(_text(p) for p in points), stopped="size")
        points.append(x)
        if x in seen:
            m = seen[x]
            return ExactOrbit(tuple(start), h, tuple(_text(p) for p in points), m, k - m,
                              "cycle")
        seen[x] = k
    return ExactOrbit(tuple(start), h, tuple(_text(p) for p in points))


@result
class Crossing(Result):
    """A proven sign change of ψ_n(h) = T_h^n(x₀) − x* between two rational rates
    (:func:`crossings`): some h* ∈ (``h_lo``, ``h_hi``) sends ``start`` onto the fixed
    point ``target`` at step ``step``.  ``values`` — ψ_n at the two rates, as texts of
    balls (each excludes 0, with opposite signs)."""

    start: tuple
    step: int
    target: str
    h_lo: sp.Rational
    h_hi: sp.Rational
    values: tuple

    def describe(self) -> str:
        return (f"T_h^{self.step}(x0) − ({self.target}) changes sign between h = "
                f"{sp.sstr(self.h_lo)} ({self.values[0]}) and h = {sp.sstr(self.h_hi)} "
                f"({self.values[1]}): by the intermediate value theorem some h* in between "
                f"sends x0 = {_text(self.start)} onto the fixed point {self.target} at step "
                f"{self.step}, where it stays")


def stationary_points_1d(obj: Objective) -> list:
    """The real stationary points of a one-variable objective with polynomial f′ over Q,
    exact (sympy algebraic numbers); [] otherwise."""
    from ..bifurcation.exact import is_exact_applicable
    if not is_exact_applicable(obj):
        return []
    return list(dict.fromkeys(sp.Poly(obj.gradient[0], obj.vars[0]).real_roots()))


def _psi(obj: Objective, x0, h, steps: int):
    """[T_h^1(x0), …, T_h^steps(x0)] in balls (stops early if not finite)."""
    from ..evaluators import to_arb
    hb, x = to_arb(h), [to_arb(c) for c in x0]
    out = []
    for _ in range(steps):
        x = obj.arb.gd_step(x, hb)
        if not x[0].is_finite():
            break
        out.append(x[0])
    return out


def _sign(ball) -> int:
    return 0 if ball.contains(0) else (1 if ball > 0 else -1)


def crossings(obj: Objective, start, rates: list, max_step: int = 12, refine: int = 24,
              limit: int = 4, bits: int = 256) -> list:
    """Proven crossings (module docstring) of the orbit of ``start`` with the stationary
    points of ``obj``, searched between consecutive rates of ``rates`` (rational,
    increasing) for n = 1, …, ``max_step``; at most ``limit`` are returned, each
    localised by ``refine`` bisections."""
    from ..evaluators import to_arb
    from ..precision import precision
    targets = stationary_points_1d(obj)
    if not targets:
        return []
    found = []
    with precision(bits=bits):
        balls = [to_arb(t) for t in targets]
        table = [_psi(obj, start, h, max_step) for h in rates]
        for n in range(1, max_step + 1):
            for t, tb in zip(targets, balls):
                for i in range(len(rates) - 1):
                    a, b = table[i], table[i + 1]
                    if len(a) < n or len(b) < n:
                        continue
                    sa, sb = _sign(a[n - 1] - tb), _sign(b[n - 1] - tb)
                    if sa * sb < 0 and not any(c.target == sp.sstr(t) and c.h_lo <= rates[i + 1]
                                               and rates[i] <= c.h_hi for c in found):
                        found.append(_localise(obj, start, n, t, tb, rates[i], rates[i + 1],
                                               sa, refine))
                        if len(found) >= limit:
                            return found
    return found


def _localise(obj, start, n, target, tb, lo, hi, s_lo, refine: int) -> Crossing:
    """Bisect [lo, hi] keeping a proven sign change of ψ_n."""
    def value(h):
        seq = _psi(obj, start, h, n)
        return seq[n - 1] - tb if len(seq) == n else None
    v_lo, v_hi = value(lo), value(hi)
    for _ in range(refine):
        mid = (lo + hi) / 2
        v = value(mid)
        s = _sign(v) if v is not None else 0
        if s == 0:
            break
        if s == s_lo:
            lo, v_lo = mid, v
        else:
            hi, v_hi = mid, v
    return Crossing(tuple(start), n, sp.sstr(target), sp.Rational(lo), sp.Rational(hi),
                    (v_lo.str(5), v_hi.str(5)))


def falsifier_rates(rates) -> list:
    """The exact rates the falsifier tries in the rate interval ``rates``
    (:class:`~lrtheory.certify.sets.Interval`), increasing: its closed ends, its simplest
    rate and, when it is bounded and not a point, the three inner rates of its 5-point
    grid."""
    pts = [rates.simplest()]
    if rates.lo is not None and rates.lo_closed:
        pts.append(rates.lo)
    if rates.hi is not None and rates.hi_closed:
        pts.append(rates.hi)
    if rates.bounded and rates.lo != rates.hi:
        pts += rates.grid(5)[1:-1]
    return sorted(set(pts))


def sample_starts(starts) -> list:
    """The starts the falsifier tries: the points of a
    :class:`~lrtheory.certify.sets.PointSet`, or the corners and centre of a
    :class:`~lrtheory.certify.sets.Box` (each once)."""
    from .sets import PointSet
    return list(starts.points) if isinstance(starts, PointSet) else \
        list(dict.fromkeys(starts.corners() + [starts.centre()]))


def exact_cycle(obj: Objective, start, lr) -> ExactOrbit | None:
    """:func:`exact_orbit` of ``start`` at ``lr`` when both are rational and the objective
    has an exact rational model; None otherwise."""
    from ..errors import InputError
    if not (lr.is_Rational and all(c.is_Rational for c in start)):
        return None
    try:
        return exact_orbit(obj, start, lr)
    except InputError:
        return None


def crossings_over(obj: Objective, starts, rates, count: int = CROSSING_GRID):
    """The proven :func:`crossings` of a one-variable objective from each start of
    :func:`sample_starts` over the ``count``-point grid of the rate interval ``rates``
    (capped at :func:`lrtheory.certify.gd_sets.rate_cap`), start by start, as a
    generator; nothing for several variables or a single rate."""
    from .gd_sets import rate_cap
    from .sets import Interval
    if obj.dim != 1 or rates.lo == rates.hi:
        return
    part = Interval(rates.lo, rate_cap(rates), rates.lo_closed,
                    rates.hi_closed if rates.hi is not None else True)
    grid = part.grid(count)
    for x0 in sample_starts(starts):
        yield from crossings(obj, x0, grid)


class PointMargin:
    """g = rhs − lhs of an inequality g ≥ 0 (g > 0 when ``strict``) at exact points of
    ``variables``: ``margin(point)`` is (holds, g, lhs, rhs), holds True or False when
    certain and None when undecided.  When g, lhs and rhs are rational functions
    (``exact``) the values are fmpq and the sign is exact; else they are arb balls at
    ``dps`` digits and holds is None while the ball of g straddles the bound (or is not
    finite).  A pole at the point is undecided, (None, None, None, None)."""

    def __init__(self, g: sp.Expr, lhs: sp.Expr, rhs: sp.Expr, variables, strict: bool,
                 dps: int = 40):
        from ..evaluators import compile_exprs
        exprs = [g, lhs, rhs]
        self.exact = all(e.is_rational_function(*variables) for e in exprs)
        self.strict, self.dps = strict, dps
        self._fn = compile_exprs(exprs, variables, "fmpq" if self.exact else "arb")

    def __call__(self, point) -> tuple:
        from ..precision import precision
        with precision(self.dps):
            try:
                g, lhs, rhs = self._fn(*[fmpq(int(c.p), int(c.q)) for c in point])
            except ZeroDivisionError:
                return None, None, None, None
            if self.exact:
                return bool(g > 0 if self.strict else g >= 0), g, lhs, rhs
            if not g.is_finite():
                return None, g, lhs, rhs
            if g > 0 or (not self.strict and g >= 0):
                return True, g, lhs, rhs
            if g < 0 or (self.strict and g <= 0):
                return False, g, lhs, rhs
        return None, g, lhs, rhs


def simple_rationals(lo, hi) -> list:
    """The rationals k/q of [lo, hi] with denominator q = 1, 2, 3, 4 (a denominator with
    more than 201 of them is skipped), the simplest first: by denominator, then by |k/q|;
    each once."""
    out = []
    for q in (1, 2, 3, 4):
        k0, k1 = int(sp.ceiling(lo * q)), int(sp.floor(hi * q))
        if k1 - k0 > 200:
            continue
        out += sorted((sp.Rational(k, q) for k in range(k0, k1 + 1)
                       if sp.Rational(k, q) not in out), key=abs)
    return out


def shrink_counterexample(point, box, is_counterexample, rounds: int = 2) -> tuple:
    """A simpler counterexample than ``point`` in ``box`` (one (lo, hi) per coordinate):
    in each of ``rounds`` passes, each coordinate in turn is replaced by the first of
    :func:`simple_rationals` of its side that keeps ``is_counterexample(point)`` true (it
    stays when it is met first)."""
    point = list(point)
    for _ in range(rounds):
        for i, (lo, hi) in enumerate(box):
            for v in simple_rationals(lo, hi):
                if v == point[i]:
                    break
                trial = tuple(point[:i] + [v] + point[i + 1:])
                if is_counterexample(trial):
                    point[i] = v
                    break
    return tuple(point)
