"""What every expectation shares: the :class:`Expectation` base class, reading of its
arguments (each error names its argument, so a TOML claim's error names the key), and the
verdict of a comparison of a stated expression with a computed one
(:func:`lrtheory.identities.compare`).

Verdicts follow the claims' semantics: ``proved`` only from exact arithmetic, symbolic
identities or rigorous enclosures; ``confirmed`` only when a numerical result is the same
at a raised precision; ``refuted`` with the counterexample (or the rigorous contradiction)
in the evidence; ``inconclusive`` with the reason.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from ..errors import InputError
from ..identities import Comparison, compare  # noqa: F401 - the judge of modified equations
from ..objectives import Objective



class ArgumentError(InputError):
    """Bad value of one argument ``key`` of an expectation."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@contextmanager
def argument(key: str):
    """Turn an :class:`InputError` raised while reading argument ``key`` into an
    :class:`ArgumentError` naming it."""
    try:
        yield
    except ArgumentError:
        raise
    except InputError as exc:
        raise ArgumentError(key, str(exc)) from None


# ---- arguments -------------------------------------------------------------------------------
def objective_arg(objective, variables) -> Objective:
    """An :class:`Objective` from an Objective, or from text/sympy with ``vars``."""
    if isinstance(objective, Objective):
        return objective
    if variables is None:
        raise ArgumentError("vars", "give the variables of the objective, e.g. 'x,y'")
    with argument("vars"):
        from ..parsing import parse_variables
        symbols = parse_variables(variables)
    with argument("objective"):
        obj = Objective(objective, symbols)
        obj.hessian  # noqa: B018 - checks differentiability now
    return obj


def number_arg(key: str, value, *, positive: bool = False) -> sp.Expr:
    """An exact real number (text through the restricted parser)."""
    from ..numbers import convert
    with argument(key):
        v = convert(value, key)
    if positive and not v.is_positive:
        raise ArgumentError(key, f"must be positive, got {value!r}")
    return v


def int_arg(key: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ArgumentError(key, f"must be an integer from {lo} to {hi}, got {value!r}")
    return value


def bool_arg(key: str, value) -> bool:
    if not isinstance(value, bool):
        raise ArgumentError(key, f"must be true or false, got {value!r}")
    return value


def choice_arg(key: str, value, choices) -> str:
    if value not in choices:
        raise ArgumentError(key, f"must be one of {', '.join(map(repr, choices))}, "
                                 f"got {value!r}")
    return value


def _items(key: str, value, what: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise ArgumentError(key, f"must be {what}, got {value!r}")
    return list(value)


def pair_arg(key: str, value, *, positive: bool = False) -> tuple:
    """Two exact numbers ``[A, B]`` with A < B."""
    items = _items(key, value, "two numbers [A, B]")
    if len(items) != 2:
        raise ArgumentError(key, f"must be two numbers [A, B], got {value!r}")
    a, b = (number_arg(key, v, positive=positive) for v in items)
    if not (b - a).is_positive:
        raise ArgumentError(key, f"must have A < B, got {value!r}")
    return a, b


def point_arg(key: str, value, dim: int) -> tuple:
    """A point: ``dim`` numbers (one number when dim = 1)."""
    items = [value] if dim == 1 and not isinstance(value, (list, tuple)) else \
        _items(key, value, f"a point of {dim} numbers")
    if len(items) != dim:
        raise ArgumentError(key, f"must have {dim} coordinate(s), got {value!r}")
    return tuple(number_arg(key, v) for v in items)


def points_arg(key: str, value, dim: int) -> tuple:
    """One or more points: a list of points (for dim = 1 also a list of numbers, or one
    number)."""
    if not isinstance(value, (list, tuple)):
        return (point_arg(key, value, dim),)
    items = list(value)
    if not items:
        raise ArgumentError(key, "must name at least one point")
    if all(not isinstance(v, (list, tuple)) for v in items):
        return tuple((number_arg(key, v),) for v in items) if dim == 1 else \
            (point_arg(key, items, dim),)
    return tuple(point_arg(key, v, dim) for v in items)


def starts_or_box(starts, start_box, dim: int) -> tuple:
    """(points, None) from ``starts`` or ((), a bounded :class:`~lrtheory.certify.sets.Box`)
    from ``start_box`` — exactly one of them (:func:`lrtheory.certify.sets.start_set`)."""
    from ..certify.sets import start_set
    if start_box is None:
        if starts is None:
            raise ArgumentError("starts", "give starts (a list of points) or start_box (one "
                                          "interval per variable)")
        return points_arg("starts", starts, dim), None
    if starts is not None:
        raise ArgumentError("start_box", "give either starts or start_box, not both")
    with argument("start_box"):
        return (), start_set(None, start_box, dim)


def numbers_arg(key: str, value, *, positive: bool = False) -> tuple:
    """One number or a list of numbers."""
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise ArgumentError(key, "must name at least one number")
    return tuple(number_arg(key, v, positive=positive) for v in items)


def expr_arg(key: str, value, variables) -> sp.Expr:
    """An expression in ``variables`` (text through the restricted parser)."""
    from ..parsing import to_expr
    with argument(key):
        e = to_expr(value, variables, key)
    extra = e.free_symbols - set(variables)
    if extra:
        raise ArgumentError(key, f"uses undeclared symbols {sorted(map(str, extra))}")
    return e


def exprs_arg(key: str, value, variables, n: int) -> tuple:
    """``n`` expressions (one may be given as text when n = 1)."""
    items = [value] if isinstance(value, (str, sp.Basic)) else \
        _items(key, value, f"a list of {n} expressions")
    if len(items) != n:
        raise ArgumentError(key, f"must have {n} component(s), got {len(items)}")
    return tuple(expr_arg(key, v, variables) for v in items)


def box_arg(key: str, value, dim: int) -> tuple:
    """A box: ``[LO, HI]`` (the same for every coordinate) or one ``[LO, HI]`` per
    coordinate; returns one (lo, hi) pair per coordinate."""
    items = _items(key, value, "[LO, HI] or one [LO, HI] per variable")
    if all(isinstance(v, (list, tuple)) for v in items):
        if len(items) != dim:
            raise ArgumentError(key, f"must have one [LO, HI] per variable ({dim})")
        return tuple(pair_arg(key, v) for v in items)
    return (pair_arg(key, items),) * dim


def undecided_starts(ev, name: str, boxes, measure: float) -> str:
    """Record the total ``measure`` of the float ``boxes`` of starts left undecided as the
    key number ``name`` of ``ev``; the text naming them (the first four)."""
    ev.approx(name, measure, rel_tol=1e-9,
              note="total measure of the boxes of starts left undecided")
    left = "; ".join(" × ".join(f"[{a:.6g}, {b:.6g}]" for a, b in fbox) for fbox in boxes[:4])
    return (f"{len(boxes)} box(es) of starts of total measure {measure:.3g} "
            f"({left}{'; …' if len(boxes) > 4 else ''})")


# ---- display -----------------------------------------------------------------------------------
def show(v) -> str:
    """An exact number or expression as text."""
    return sp.sstr(v) if isinstance(v, sp.Basic) else str(v)


def math(v) -> str:
    """An exact number or expression as inline LaTeX math."""
    return f"${sp.latex(v)}$" if isinstance(v, sp.Basic) else f"${v}$"


def canonical(e: sp.Expr) -> str:
    """A printed form of ``e`` that does not depend on the order terms were built in."""
    return sp.sstr(e, order="lex")


def point_text(variables, values) -> str:
    return ", ".join(f"{v} = {show(c)}" for v, c in zip(variables, values))


# ---- comparing a stated expression with a computed one -------------------------------------
#: The verdict of each status of a :class:`~lrtheory.identities.Comparison`.
VERDICT_OF = {"equal": "proved", "different": "refuted", "close": "confirmed",
              "undecided": "inconclusive"}


# ---- the base class ----------------------------------------------------------------------------
class Expectation:
    """A reusable check: calling it with a :class:`~lrtheory.claims.CheckContext` returns
    the :class:`~lrtheory.claims.Evidence` (findings with verdicts, key numbers with their
    kinds and tolerances).  Use one as the check of a claim —
    ``claim("ID", ...)(expectation)`` — or return one from a check function."""

    kind: ClassVar[str] = ""
    is_expectation: ClassVar[bool] = True

    def __call__(self, ctx=None):
        from ..claims import CheckContext, Evidence
        ev = Evidence(summary=self.describe())
        self.evaluate(ev, ctx if ctx is not None else CheckContext())
        ev.conclude()
        return ev

    def evaluate(self, ev, ctx) -> None:
        """Add findings and key numbers to ``ev``."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line: what is expected."""
        return self.kind


# ---- stated values with a tolerance ----------------------------------------------------------
#: The relations a stated value may be held to: the keys that state them.
RELATION_OF = {"value": "=", "equals": "=", "multiplier": "=", "at_most": "<=",
               "at_least": ">="}
_WORDS = {"=": "=", "<=": "≤", ">=": "≥"}


@dataclass(frozen=True)
class Stated:
    """A stated number ``value`` held to ``relation`` ("=", "<=" or ">=") up to the absolute
    ``tolerance`` (0: exactly): "=" means |q − value| ≤ tolerance, "<=" means
    q ≤ value + tolerance, ">=" means q ≥ value − tolerance."""

    key: str
    value: sp.Expr
    tolerance: sp.Expr = sp.Integer(0)

    @property
    def relation(self) -> str:
        return RELATION_OF[self.key]

    def text(self) -> str:
        """"= v", "≤ v" or "≥ v", with "± t" when there is a tolerance."""
        tol = f" ± {show(self.tolerance)}" if self.tolerance else ""
        return f"{_WORDS[self.relation]} {show(self.value)}{tol}"

    def decide(self, enclosure) -> str | None:
        """"proved" when the rigorous enclosure (an arb ball) of the quantity lies inside
        the stated set, "refuted" when it lies outside it, None when it straddles an
        end."""
        from ..evaluators import to_arb
        lo, hi = to_arb(self.value - self.tolerance), to_arb(self.value + self.tolerance)
        if not enclosure.is_finite():
            return None
        below, above = enclosure.upper() <= hi, enclosure.lower() >= lo
        if self.relation == "=":
            if below and above:
                return "proved"
            return "refuted" if enclosure.upper() < lo or enclosure.lower() > hi else None
        if self.relation == "<=":
            return "proved" if below else "refuted" if enclosure.lower() > hi else None
        return "proved" if above else "refuted" if enclosure.upper() < lo else None


def tolerance_arg(tolerance=None, digits=None) -> sp.Expr:
    """The absolute tolerance of the stated values: ``tolerance`` (an exact number ≥ 0), or
    ``digits = n`` — the value given correctly rounded to n decimals, i.e. a tolerance of
    ½·10⁻ⁿ; 0 when neither is given (the value is stated exactly)."""
    if tolerance is not None and digits is not None:
        raise ArgumentError("digits", "give either tolerance or digits, not both")
    if digits is not None:
        return sp.Rational(1, 2 * 10 ** int_arg("digits", digits, 0, 100))
    if tolerance is None:
        return sp.Integer(0)
    t = number_arg("tolerance", tolerance)
    if t.is_negative:
        raise ArgumentError("tolerance", f"must be 0 or positive, got {tolerance!r}")
    return t


def stated_arg(key: str, value, tolerance=sp.Integer(0)) -> Stated | None:
    """The stated value of ``key`` (None when not given) with its tolerance."""
    if value is None:
        return None
    return Stated(key, number_arg(key, value), tolerance)


def stated_values(*, tolerance=None, digits=None, **values) -> tuple:
    """The stated values given (keys ``equals``, ``at_most``, ``at_least``, ``value``,
    ``multiplier``; None: not stated) with the common tolerance; at least one is
    required."""
    tol = tolerance_arg(tolerance, digits)
    stated = tuple(stated_arg(k, v, tol) for k, v in values.items() if v is not None)
    if not stated:
        raise ArgumentError(next(iter(values)), f"give {', '.join(values)}")
    return stated
