"""Sets as values: intervals with open, closed or unbounded ends, boxes, finite point lists.

A statement "for every h in S" or "from every start in S" names its set S with one of
three result types (frozen, JSON round-trip, exact rational ends):

* :class:`Interval` — ``{x : lo ◁ x ◁ hi}`` with each end closed, open or infinite
  (``lo = None`` is −∞, ``hi = None`` is +∞; infinite ends are open).  Read from text by
  :func:`interval`: ``"(2, inf)"``, ``"(0, 1]"``, ``"[1/10, 1/2]"``, ``"[-inf, 3)"`` is
  refused (an infinite end is open); a two-element list ``["1/10", "1/2"]`` is the closed
  interval, a bare number ``"1/2"`` the one-point interval ``[1/2, 1/2]``.  Ends go
  through :func:`lrtheory.numbers.to_rational` (the restricted parser): exact rationals,
  decimals read as written (``0.1`` is 1/10).
* :class:`Box` — a product of intervals, one per coordinate; :func:`box` reads
  ``[["-1", "1"], "(0, 2]"]`` (TOML ``start_box = [["-1", "1"], ["-1", "1"]]``).
* :class:`PointSet` — finite list of points; :func:`point_set` reads ``["1", "-1/2"]`` (one
  variable) or ``[["1", "0"], ["0", "1"]]``.

Every set has ``dim``, ``measure()`` (Lebesgue measure, exact; ``sympy.oo`` when
unbounded, 0 for points), ``contains(point)`` (exact membership), ``bounded``, and
``float_box()`` — the closure as ((lo, hi), …) of floats rounded *outward*, the box
format of :func:`lrtheory.certify.branch_and_bound` (a proof on it covers the set).
Intervals and boxes bisect (:meth:`Interval.bisect`, :meth:`Box.bisect`: two pieces that
partition the set, the cut point in the first) and give exact sample points
(:meth:`Interval.grid`, :meth:`Box.corners`, ``centre()``) and a simplest rational inside
(:meth:`Interval.simplest`).  :meth:`Interval.balls` gives the python-flint ball of a
bounded interval's closure.

:func:`learning_rates` and :func:`start_set` are the readers the claim kinds use
(``lr_range`` of every kind that takes one, ``start_box`` and ``starts``).
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy as sp

from ..errors import InputError
from ..results import Result, result

__all__ = ["Interval", "Box", "PointSet", "interval", "box", "point_set", "learning_rates",
           "start_set", "outward"]

_INF = {"inf", "+inf", "oo", "+oo", "infinity", "+infinity", "∞", "+∞"}
_NEG_INF = {"-inf", "-oo", "-infinity", "-∞"}
_TEXT = re.compile(r"^\s*([\[\(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\]\)])\s*$")


def _end(text, label: str, side: str):
    """An end from text or a number: a Rational, or None for ±∞ on its own side."""
    if isinstance(text, str) and text.strip().lower() in (_INF | _NEG_INF):
        t = text.strip().lower()
        if (t in _INF) != (side == "hi"):
            which = "lower" if side == "lo" else "upper"
            raise InputError(f"{label}: {text!r} cannot be the {which} end")
        return None
    from ..numbers import to_rational
    return to_rational(text, label)


def outward(q, down: bool) -> float:
    """The float nearest to the rational ``q`` on the safe side (≤ q if ``down``)."""
    fr = Fraction(int(q.p), int(q.q)) if isinstance(q, sp.Rational) else Fraction(q)
    f = float(fr)
    if down and Fraction(f) > fr:
        f = math.nextafter(f, -math.inf)
    if not down and Fraction(f) < fr:
        f = math.nextafter(f, math.inf)
    return f


def _simplest_between(a: Fraction, b: Fraction | None) -> Fraction:
    """The rational of least denominator in the open interval (a, b) (b = None: +∞), by
    the continued-fraction (Stern–Brocot) recursion."""
    n = math.floor(a) + 1
    if b is None or n < b:
        return Fraction(n)
    n -= 1      # a, b in [n, n + 1]: q = n + 1/(simplest in (1/(b − n), 1/(a − n)))
    inner = _simplest_between(1 / (b - n), None if a == n else 1 / (a - n))
    return n + 1 / inner


@result
class Interval(Result):
    """An interval of the real line with exact rational ends (module docstring).

    ``lo``/``hi`` — the ends (sympy Rationals; None for −∞/+∞); ``lo_closed``/``hi_closed``
    — whether each end belongs to the interval (False for an infinite end)."""

    lo: sp.Rational | None
    hi: sp.Rational | None
    lo_closed: bool = True
    hi_closed: bool = True

    def __post_init__(self):
        if self.lo is None and self.lo_closed or self.hi is None and self.hi_closed:
            raise InputError("an infinite end of an interval is open")
        if self.lo is not None and self.hi is not None:
            if self.hi < self.lo or (self.hi == self.lo and not (self.lo_closed and
                                                                 self.hi_closed)):
                raise InputError(f"empty interval {self}: need lo < hi (or [a, a])")

    dim = 1

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def measure(self):
        """hi − lo (exact), ``sympy.oo`` when unbounded."""
        return self.hi - self.lo if self.bounded else sp.oo

    def contains(self, x) -> bool:
        """Exact membership of the number ``x`` (or a one-coordinate point)."""
        x = sp.Rational(x[0] if isinstance(x, (tuple, list)) else x)
        above = self.lo is None or bool(x > self.lo) or (self.lo_closed and x == self.lo)
        below = self.hi is None or bool(x < self.hi) or (self.hi_closed and x == self.hi)
        return bool(above and below)

    def cut_point(self):
        """Where :meth:`bisect` cuts: the midpoint; for an unbounded interval a finite
        point inside (0, or lo + max(1, |lo|), or hi − max(1, |hi|))."""
        if self.bounded:
            return (self.lo + self.hi) / 2
        if self.lo is None and self.hi is None:
            return sp.Integer(0)
        if self.hi is None:
            return self.lo + max(1, abs(self.lo))
        return self.hi - max(1, abs(self.hi))

    def bisect(self) -> tuple["Interval", "Interval"]:
        """Two intervals partitioning this one, cut at :meth:`cut_point` (kept in the
        first)."""
        if self.bounded and self.lo == self.hi:
            raise InputError(f"{self}: a one-point interval cannot be bisected")
        c = self.cut_point()
        return (Interval(self.lo, c, self.lo_closed, True),
                Interval(c, self.hi, False, self.hi_closed))

    def simplest(self) -> sp.Rational:
        """The rational of least denominator strictly inside (the end of a one-point
        interval), e.g. a representative learning rate."""
        if self.bounded and self.lo == self.hi:
            return self.lo
        lo = self.lo if self.lo is not None else (self.hi - 2 * max(1, abs(self.hi)))
        hi = self.hi if self.hi is not None else (lo + 2 * max(1, abs(lo)))
        q = _simplest_between(Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q)))
        return sp.Rational(q.numerator, q.denominator)

    def grid(self, n: int) -> list:
        """n ≥ 2 exact points of the set, equally spaced over its closure (a bounded
        interval), ends included where closed and replaced by a point 1/(4(n−1)) of a
        spacing inside where open."""
        if not self.bounded:
            raise InputError(f"{self}: an unbounded interval has no grid")
        if self.lo == self.hi:
            return [self.lo]
        step = (self.hi - self.lo) / (n - 1)
        pts = [self.lo + step * k for k in range(n)]
        if not self.lo_closed:
            pts[0] = self.lo + step / 4
        if not self.hi_closed:
            pts[-1] = self.hi - step / 4
        return pts

    def float_box(self) -> tuple:
        """((lo, hi),) of floats enclosing the closure (outward rounding; ±inf ends)."""
        return ((-math.inf if self.lo is None else outward(self.lo, True),
                 math.inf if self.hi is None else outward(self.hi, False)),)

    def balls(self):
        """[ball] enclosing the closure of a bounded interval (python-flint arb)."""
        from ..evaluators import to_arb
        if not self.bounded:
            raise InputError(f"{self}: an unbounded interval has no ball")
        return [to_arb(self.lo).union(to_arb(self.hi))]

    def __str__(self):
        lo = "-inf" if self.lo is None else sp.sstr(self.lo)
        hi = "inf" if self.hi is None else sp.sstr(self.hi)
        if self.bounded and self.lo == self.hi:
            return f"{{{lo}}}"
        return f"{'[' if self.lo_closed else '('}{lo}, {hi}{']' if self.hi_closed else ')'}"

    def __repr__(self):
        return f"Interval({str(self)!r})"


def interval(value, label: str = "interval") -> Interval:
    """An :class:`Interval` from text ``"(a, b]"`` (``inf``/``-inf`` ends open), a list
    ``[a, b]`` (closed), a single number (a one-point interval) or an Interval."""
    if isinstance(value, Interval):
        return value
    if isinstance(value, str) and value.strip()[:1] in "[(":
        m = _TEXT.match(value)
        if m is None:
            raise InputError(f"{label}: expected an interval such as '(0, 1]' or "
                             f"'[1/10, inf)', got {value!r}")
        lo, hi = _end(m.group(2), label, "lo"), _end(m.group(3), label, "hi")
        lo_closed, hi_closed = m.group(1) == "[", m.group(4) == "]"
        if (lo is None and lo_closed) or (hi is None and hi_closed):
            raise InputError(f"{label}: an infinite end is open, write '(' or ')' "
                             f"(got {value!r})")
        try:
            return Interval(lo, hi, lo_closed, hi_closed)
        except InputError as exc:
            raise InputError(f"{label}: {exc}") from None
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise InputError(f"{label}: an interval is two numbers [A, B], got {value!r}")
        lo, hi = _end(value[0], label, "lo"), _end(value[1], label, "hi")
        try:
            return Interval(lo, hi, lo is not None, hi is not None)
        except InputError as exc:
            raise InputError(f"{label}: {exc}") from None
    v = _end(value, label, "lo")
    return Interval(v, v)


@result
class Box(Result):
    """A product of intervals, one per coordinate (``sides``)."""

    sides: tuple

    @property
    def dim(self) -> int:
        return len(self.sides)

    @property
    def bounded(self) -> bool:
        return all(s.bounded for s in self.sides)

    def measure(self):
        """The product of the side lengths (exact; ``sympy.oo`` if unbounded with no
        degenerate side)."""
        sizes = [s.measure() for s in self.sides]
        if any(v == 0 for v in sizes):
            return sp.Integer(0)
        return sp.Mul(*sizes)

    def contains(self, point) -> bool:
        return len(point) == self.dim and all(s.contains(x) for s, x in zip(self.sides, point))

    def bisect(self) -> tuple["Box", "Box"]:
        """Two boxes partitioning this one, the widest side bisected (an unbounded side
        first)."""
        i = max(range(self.dim), key=lambda k: (not self.sides[k].bounded,
                                                self.sides[k].measure() if
                                                self.sides[k].bounded else 0))
        a, b = self.sides[i].bisect()
        return (Box(self.sides[:i] + (a,) + self.sides[i + 1:]),
                Box(self.sides[:i] + (b,) + self.sides[i + 1:]))

    def centre(self) -> tuple:
        return tuple(s.cut_point() for s in self.sides)

    def corners(self) -> list:
        """The 2^dim corners of the closure of a bounded box (exact)."""
        import itertools
        return [tuple(c) for c in itertools.product(*[(s.lo, s.hi) if s.lo != s.hi
                                                      else (s.lo,) for s in self.sides])]

    def float_box(self) -> tuple:
        return tuple(s.float_box()[0] for s in self.sides)

    def balls(self) -> list:
        return [s.balls()[0] for s in self.sides]

    def __str__(self):
        return " × ".join(map(str, self.sides))

    def __repr__(self):
        return f"Box({str(self)!r})"


def box(value, dim: int | None = None, label: str = "box") -> Box:
    """A :class:`Box` from a list of intervals (texts or pairs), one per coordinate; a
    single interval when ``dim`` is 1 (or for every coordinate when given as one pair of
    numbers with ``dim`` > 1)."""
    if isinstance(value, Box):
        sides = value.sides
    elif isinstance(value, Interval) or isinstance(value, str):
        sides = (interval(value, label),) * (dim or 1)
    elif isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (list, tuple, str, Interval)) for v in value) and not (
            len(value) == 2 and all(isinstance(v, str) and v.strip()[:1] not in "[("
                                    for v in value)):
        sides = tuple(interval(v, label) for v in value)
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        sides = (interval(list(value), label),) * (dim or 1)
    else:
        raise InputError(f"{label}: expected one interval per coordinate, such as "
                         f"[[\"-1\", \"1\"], \"(0, 2]\"], got {value!r}")
    if dim is not None and len(sides) != dim:
        raise InputError(f"{label}: needs {dim} interval(s), one per variable, got "
                         f"{len(sides)}")
    return Box(tuple(sides))


@result
class PointSet(Result):
    """A finite set of points (``points``: tuples of sympy Rationals)."""

    points: tuple

    @property
    def dim(self) -> int:
        return len(self.points[0])

    bounded = True

    def measure(self):
        return sp.Integer(0)

    def contains(self, point) -> bool:
        return tuple(sp.Rational(c) for c in point) in self.points

    def float_box(self) -> tuple:
        return tuple((min(outward(p[i], True) for p in self.points),
                      max(outward(p[i], False) for p in self.points))
                     for i in range(self.dim))

    def __str__(self):
        return "{" + ", ".join("(" + ", ".join(map(sp.sstr, p)) + ")" if len(p) > 1
                               else sp.sstr(p[0]) for p in self.points) + "}"

    def __repr__(self):
        return f"PointSet({str(self)!r})"


def point_set(value, dim: int, label: str = "starts") -> PointSet:
    """A :class:`PointSet` from one number, a list of numbers (dim 1) or a list of points."""
    from ..numbers import to_rational
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise InputError(f"{label}: name at least one point")
    if all(not isinstance(v, (list, tuple)) for v in items):
        items = [[v] for v in items] if dim == 1 else [items]
    pts = []
    for p in items:
        if len(p) != dim:
            raise InputError(f"{label}: a point needs {dim} coordinate(s), got {p!r}")
        pts.append(tuple(to_rational(c, label) for c in p))
    return PointSet(tuple(dict.fromkeys(pts)))


def learning_rates(value, label: str = "lr_range") -> Interval:
    """A set of learning rates: an :func:`interval` inside (0, ∞)."""
    s = interval(value, label)
    if s.lo is None or s.lo < 0 or (s.lo == 0 and s.lo_closed):
        raise InputError(f"{label}: learning rates are positive, got {s}")
    return s


def start_set(starts, start_box, dim: int):
    """The start set of a GD claim: ``starts`` (a :class:`PointSet`) or ``start_box`` (a
    bounded :class:`Box`), exactly one of them."""
    if (starts is None) == (start_box is None):
        raise InputError("starts: give either starts (a list of points) or start_box "
                         "(one interval per variable)")
    if starts is not None:
        return point_set(starts, dim, "starts")
    b = box(start_box, dim, "start_box")
    if not b.bounded:
        raise InputError(f"start_box: must be bounded, got {b}")
    return b
