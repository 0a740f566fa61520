"""The result types of every bifurcation method: one record, one list, one completeness.

Every method of :mod:`lrtheory.bifurcation` (exact elimination, branch and bound over boxes,
continuation, grid sampling) returns a :class:`BifurcationSearch`: the bifurcations found
(:class:`Bifurcation`, sorted by learning rate) and ``complete``, a
:class:`SearchCompleteness` that says whether the list is **proved** complete, by which
method, or why not (the sampled resolution, the undecided boxes, the learning rates where
branches were seeded).  Continuation adds the followed branches (:class:`Branch`); the
continuation of a bifurcation in a parameter of the objective gives a
:class:`ParameterCurve` with its codimension-two points (:class:`CodimTwoPoint`), collected
in :class:`TwoParameterCurves`.

The kinds of bifurcation (``Bifurcation.kind``): ``"period-doubling"`` (a multiplier −1),
``"fold"`` (a multiplier +1, a limit point in h), ``"degenerate +1"`` (a multiplier +1 that
is not a proved fold: pitchfork or transcritical), ``"neimark-sacker"`` (a complex pair of
multipliers on the unit circle; maps of dimension ≥ 2).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from ..precision import precision
from ..results import Ball, Result, result

__all__ = ["SearchCompleteness", "AlgebraicNumber", "Bifurcation", "BifurcationSearch",
           "Branch", "CodimTwoPoint", "ParameterCurve", "TwoParameterCurves", "KINDS",
           "PROVED", "NOT_PROVED"]

#: The kinds of bifurcation, in the order used when sorting bifurcations at equal h.
KINDS = ("period-doubling", "fold", "degenerate +1", "neimark-sacker")
PROVED, NOT_PROVED = "proved", "not proved"


@result
class SearchCompleteness(Result):
    """Whether a list of bifurcations is complete: ``status`` ``"proved"`` or
    ``"not proved"``, the ``method`` used and, when not proved, the ``reason`` (what was not
    excluded: the sampled resolution, the undecided boxes, the seeds of the branches)."""

    status: str
    method: str
    reason: str = ""

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    def __str__(self):
        return f"{self.status} ({self.method})" + (f": {self.reason}" if self.reason else "")


@result
class AlgebraicNumber(Result):
    """A real algebraic number: the root of ``minpoly`` (integer coefficients, constant
    term first, irreducible over Q) inside ``enclosure``; ``closed_form`` is a radical
    expression (sympy text) when the degree is at most 2, else ``""``."""

    minpoly: tuple
    enclosure: Ball
    closed_form: str = ""

    def polynomial(self, symbol: sp.Symbol) -> sp.Expr:
        return sum(int(c) * symbol ** k for k, c in enumerate(self.minpoly))

    def equals(self, value: sp.Expr) -> bool | None:
        """Exactly whether this number equals the real constant ``value``: True when value
        is a root of the minimal polynomial inside the enclosure, False when it is not a
        root or lies outside; None when sympy cannot decide whether it is a root."""
        t = sp.Dummy("t")
        residual = sp.simplify(self.polynomial(t).subs(t, value))
        if residual != 0:
            return False if residual.is_zero is False or residual.is_number and \
                sp.N(residual, 30) != 0 else None
        with precision(bits=max(128, -self.enclosure.rad_exp + 64)):
            from ..evaluators import to_arb
            ball = to_arb(value)
            inside = self.enclosure.to_arb().overlaps(ball)
        return bool(inside)

    def __str__(self):
        return self.closed_form or str(self.enclosure)


@result
class Bifurcation(Result):
    """A bifurcation of a periodic orbit of G_h(x) = x − h∇f(x).

    ``kind`` — see the module docstring (also readable as ``type``); ``period`` — the
    minimal period p of the orbit; ``lr`` — the learning rate h* and ``point`` — a point x*
    of the orbit (mpmath numbers, Newton at ``dps`` digits, or the midpoints of the
    enclosures); ``certified`` — a Krawczyk test in (x, h) proved a unique solution of the
    extended system in a box of half-width ``radius`` about (x*, h*) (the exact method:
    in a box about each root); ``enclosure`` — then its enclosure, one :class:`Ball` per
    coordinate of (x, h) (None otherwise); ``closed_form`` — an algebraic number equal to
    h* (sympy text), or None; ``orbit`` — enclosures of the orbit's points (one tuple of
    Balls per point, when known); ``lr_exact`` — h* as an :class:`AlgebraicNumber` (exact
    method); ``multipliers`` — the multipliers of the orbit at (x*, h*) (mpmath numbers,
    when computed)."""

    kind: str
    period: int
    lr: mpmath.mpf
    point: tuple
    dps: int
    certified: bool = False
    radius: float | None = None
    enclosure: tuple | None = None
    closed_form: str | None = None
    orbit: tuple = ()
    lr_exact: AlgebraicNumber | None = None
    multipliers: tuple = ()
    _repr_skip = ("enclosure", "orbit", "multipliers")
    _readable_floats = ("lr", "point", "multipliers")  # to_json(): tables of floats

    @property
    def type(self) -> str:
        """The ``kind`` (the name of this field before bifurcations were result objects)."""
        return self.kind

    @property
    def h(self) -> float:
        """h* as a float."""
        return float(self.lr)

    @property
    def lr_enclosure(self) -> Ball | None:
        """The certified enclosure of h* (None when not certified)."""
        if self.lr_exact is not None:
            return self.lr_exact.enclosure
        return self.enclosure[-1] if self.enclosure else None

    def decimal(self, digits: int | None = None) -> dict:
        """``lr`` and ``point`` as decimal strings of ``digits`` (default ``dps``) digits."""
        d = digits or self.dps
        return {"lr": mpmath.nstr(self.lr, d), "point": [mpmath.nstr(c, d) for c in self.point]}


#: The method name recorded by the grid-sampling scan (results written before the methods
#: were unified say ``complete = "unknown"``; they are read as this).
_SAMPLED = "grid sampling"


@result
class BifurcationSearch(Result):
    """All bifurcations found of orbits of minimal period ≤ ``max_period`` with learning
    rate in ``lr_range`` (exact numbers), sorted by learning rate, and whether the list is
    ``complete`` (:class:`SearchCompleteness`).

    ``method`` — ``"exact"``, ``"boxes"``, ``"continuation"`` or ``"sample"``; ``box`` —
    (lo, hi): orbits are sought with a point in [lo, hi]^n (the exact method: all of R);
    ``samples`` / ``starts`` — learning rates sampled and starts per orbit search (sampling;
    continuation: the learning rates where branches were seeded); ``dps`` — working digits;
    ``certify`` — Krawczyk certification requested; ``objective`` / ``variables`` — the
    objective; ``branches`` — the branches followed (continuation, :class:`Branch`);
    ``undecided`` — boxes (x_1..x_n, h) as (lo, hi) pairs that the branch and bound left
    undecided, with the period and kind of the system (``boxes``)."""

    bifurcations: tuple = ()
    lr_range: tuple = ()
    max_period: int = 0
    box: tuple = ()
    samples: int = 0
    starts: int = 0
    dps: int = 0
    certify: bool = True
    complete: SearchCompleteness | None = None
    method: str = "sample"
    objective: str = ""
    variables: tuple = ()
    branches: tuple = ()
    undecided: tuple = ()
    _repr_skip = ("objective", "branches", "undecided")

    def __post_init__(self):
        if self.complete is None or isinstance(self.complete, str):
            object.__setattr__(self, "complete", SearchCompleteness(
                NOT_PROVED, _SAMPLED, f"learning rates sampled at {self.samples} points: a "
                "bifurcation is found only when an orbit near it is found at a sample"))


@result
class Branch(Result):
    """A branch of period-``period`` orbits followed in the learning rate by
    pseudo-arclength continuation (:mod:`lrtheory.bifurcation.continuation`).

    ``lr`` and ``points`` — the continuation points (h_k, x_k): x_k is one point of the
    orbit at h_k (mpmath numbers, Newton at ``dps`` digits); ``stable`` — per point, True
    (attracting: every |µ| < 1), False (repelling) or None (|µ| = 1 within 10^(−dps/2));
    ``spectral_radius`` — max |µ| per point (float); ``bifurcations`` — the bifurcations
    detected on the branch, in the order met; ``origin`` — where the branch was started
    (an orbit search at some h, or a period doubling); ``end`` — why each direction of the
    continuation stopped; ``orbits`` — every point of the orbit at each branch point,
    x_k, G(x_k), …, G^{p−1}(x_k), as a float64 array of shape (points, p, n) (for
    plotting)."""

    period: int
    lr: tuple
    points: tuple
    stable: tuple
    spectral_radius: tuple
    bifurcations: tuple = ()
    origin: str = ""
    end: str = ""
    dps: int = 0
    orbits: object = None
    _repr_skip = ("lr", "points", "stable", "spectral_radius", "orbits")

    def segments(self, coordinate: int = 0, iterate: int = 0) -> list:
        """Runs of equal stability as (stable, [h…], [x…]) lists of floats, x the
        ``coordinate`` of the orbit's point G^iterate(x_k) (``iterate`` > 0 needs
        ``orbits``); each run shares its first point with the previous run's last, so the
        curve is unbroken."""
        out = []
        for k, (h, x, s) in enumerate(zip(self.lr, self.points, self.stable)):
            hk = float(h)
            xk = float(self.orbits[k, iterate, coordinate]) if iterate else float(x[coordinate])
            if not out or out[-1][0] != bool(s):
                prev = out[-1] if out else None
                out.append((bool(s), [], []))
                if prev is not None:
                    out[-1][1].append(prev[1][-1])
                    out[-1][2].append(prev[2][-1])
            out[-1][1].append(hk)
            out[-1][2].append(xk)
        return out

    @property
    def lr_span(self) -> tuple:
        """(min h, max h) over the branch, floats."""
        hs = [float(h) for h in self.lr]
        return (min(hs), max(hs)) if hs else (float("nan"), float("nan"))

    def __repr__(self):
        lo, hi = self.lr_span
        return (f"Branch(period={self.period}, points={len(self.lr)}, h=[{lo:.6g}, {hi:.6g}], "
                f"bifurcations={len(self.bifurcations)}, origin={self.origin!r})")


@result
class CodimTwoPoint(Result):
    """A codimension-two point on a curve of bifurcations in (parameter, h).

    ``kind`` — ``"degenerate period-doubling"`` (the cubic normal-form coefficient of the
    doubling vanishes: super- and subcritical meet), ``"cusp"`` (the quadratic coefficient
    of the fold vanishes), ``"fold-flip"`` (a fold meets a period doubling: multipliers +1
    and −1 at once), ``"1:1 resonance"`` / ``"1:2 resonance"`` (a second multiplier +1 /
    −1); ``value``, ``lr``, ``point`` — the parameter, h and x where the test function
    vanishes (located by bisection along the curve, not certified); ``bracket`` — the
    parameter values of the two curve points between which its sign changes; ``test`` —
    the test function."""

    kind: str
    value: mpmath.mpf
    lr: mpmath.mpf
    point: tuple
    bracket: tuple
    test: str = ""


@result
class ParameterCurve(Result):
    """A curve h*(``param``) of bifurcations of one ``kind`` and ``period``, continued in
    (x, h, param) by pseudo-arclength (:mod:`lrtheory.bifurcation.curves`).

    ``values``, ``lr``, ``points`` — the curve points (param_k, h_k, x_k) (mpmath numbers);
    ``certified`` — per point, a Krawczyk test in (x, h) at the exact parameter value
    param_k proved a unique bifurcation in the box; ``enclosures`` — then the enclosure of
    h* there (a :class:`Ball`, else None); ``codim2`` — the codimension-two points met
    (:class:`CodimTwoPoint`); ``end`` — why the continuation stopped; ``dps`` — digits."""

    kind: str
    period: int
    param: str
    values: tuple
    lr: tuple
    points: tuple
    certified: tuple
    enclosures: tuple
    codim2: tuple = ()
    end: str = ""
    dps: int = 0
    _repr_skip = ("values", "lr", "points", "certified", "enclosures")

    def __repr__(self):
        vs = [float(v) for v in self.values]
        span = f"[{min(vs):.6g}, {max(vs):.6g}]" if vs else "[]"
        return (f"ParameterCurve({self.kind}, period={self.period}, {self.param} in {span}, "
                f"points={len(vs)}, certified={sum(map(bool, self.certified))}, "
                f"codim2={[c.kind for c in self.codim2]})")


@result
class TwoParameterCurves(Result):
    """The bifurcations of period ``period`` at ``param`` = ``param_range[0]`` (found by
    ``start``, a :class:`BifurcationSearch`), each continued in (``param``, h) over
    ``param_range`` within ``lr_range`` (:class:`ParameterCurve`)."""

    objective: str
    variables: tuple
    param: str
    param_range: tuple
    lr_range: tuple
    period: int
    start: BifurcationSearch
    curves: tuple = ()
    _repr_skip = ("objective",)
