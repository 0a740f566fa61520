"""The one place numbers from outside are converted (like sympy's ``Domain.convert``).

:func:`convert` turns any number a caller may give — text (read by the restricted parser
of :mod:`lrtheory.parsing`), ``int``, ``float``, :class:`fractions.Fraction`,
:class:`decimal.Decimal`, numpy scalars, mpmath ``mpf``, python-flint ``fmpz``/``fmpq``,
or a sympy number — into an exact, real, finite sympy number within the limits of
:mod:`lrtheory.limits`, and raises :class:`~lrtheory.errors.InputError` for anything
else.  Nothing is handed to ``sympify``, ``nsimplify`` or ``eval``.

**The number rule.**  A Python ``float`` means the decimal it prints as (``repr``: the
shortest decimal that rounds to it), not its binary value: ``0.1`` is 1/10 and ``1.9`` is
19/10, as when they are typed, everywhere lrtheory reads an exact number —
:func:`to_fmpq`, :func:`to_rational`, :func:`to_mpf` (rounded once to the working
precision), the exact and mpmath GD backends, ``Objective`` data.  The binary value
``Fraction(0.1)`` = 3602879701896397/2^55 is what the float64 computations use; to give
it exactly, pass ``Fraction(x)`` or ``x.as_integer_ratio()``.  Values that are already
exact (``int``, ``Fraction``, python-flint ``fmpz``/``fmpq``, sympy ``Rational``) are kept
as they are.  The other functions are views of :func:`convert`: :func:`to_rational`,
:func:`to_fraction`, :func:`to_fmpq`, :func:`to_float`, :func:`to_mpf`.
"""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from numbers import Integral

import mpmath
import sympy as sp

from . import limits
from .errors import InputError
from .parsing import _check_number, _too_big, check_bounded, check_real, parse_number

__all__ = ["convert", "parameter", "to_matrix", "to_rational", "to_fraction", "to_fmpq", "to_float",
           "to_mpf", "positive", "nstr"]


def _rational(p: int, q: int, label: str) -> sp.Rational:
    if _too_big(p) or _too_big(q):
        raise InputError(f"{label}: an exact integer has more than {limits.MAX_INTEGER_DIGITS} "
                         "digits (limit MAX_INTEGER_DIGITS)")
    return sp.Rational(int(p), int(q))


def _from_float(v: float, label: str) -> sp.Rational:
    if not math.isfinite(v):
        raise InputError(f"{label} must be a finite number, got {v!r}")
    return parse_number(repr(float(v)), label)


def _from_mpf(v, label: str) -> sp.Rational:
    if not mpmath.isfinite(v):
        raise InputError(f"{label} must be a finite number, got {v}")
    sign, man, exp, _ = v._mpf_ if v else (0, 0, 0, 0)
    if abs(exp) > limits.MAX_INTEGER_BITS:
        raise InputError(f"{label}: binary exponent {exp} beyond the limit "
                         f"({limits.MAX_INTEGER_DIGITS} digits, MAX_INTEGER_DIGITS)")
    num = (-1) ** sign * int(man)
    return _rational(num * 2**exp, 1, label) if exp >= 0 else _rational(num, 2**-exp, label)


def _from_sympy(v: sp.Basic, label: str) -> sp.Expr:
    if not isinstance(v, sp.Expr) or not v.is_number:
        raise InputError(f"{label} must be a number, got {str(v)[:60]!r}")
    if isinstance(v, sp.Float):
        return _from_mpf(mpmath.mpf(v._mpf_), label)
    return check_real(check_bounded(v, label, limits.MAX_NODES))


def _flint(v, label: str):
    name = type(v).__name__
    if name == "fmpz":
        return _rational(int(v), 1, label)
    if name == "fmpq":
        return _rational(int(v.p), int(v.q), label)
    return None


def convert(value, label: str = "number") -> sp.Expr:
    """``value`` as an exact real finite sympy number (a Rational, or an exact constant
    such as ``pi/4`` or ``sqrt(2)`` when given as text or sympy); :class:`InputError`
    when it is not one or is beyond the limits."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"{label} must be a number, got {value!r}")
    if isinstance(value, str):
        return parse_number(value, label)
    if isinstance(value, sp.Basic):
        return _from_sympy(value, label)
    if isinstance(value, Integral):
        return _rational(int(value), 1, label)
    if isinstance(value, Fraction):
        return _rational(value.numerator, value.denominator, label)
    if isinstance(value, float):
        return _from_float(value, label)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"{label} must be a finite number, got {value}")
        return parse_number(format(value, "e") if value else "0", label)
    if isinstance(value, mpmath.mpf):
        return _from_mpf(value, label)
    flint = _flint(value, label) if type(value).__module__.startswith("flint") else None
    if flint is not None:
        return flint
    if type(value).__module__ == "numpy" and hasattr(value, "item") and \
            getattr(value, "shape", None) == ():
        item = value.item()
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            return convert(item, label)
    raise InputError(f"{label} must be a number (text such as '1/2', an int, a float, a "
                     f"Fraction or a sympy number), got {type(value).__name__}")


def parameter(value, label: str = "parameter") -> sp.Expr:
    """A parameter that may be symbolic: a sympy expression with free symbols is kept as
    given (checked against the size limits and for realness), anything else goes through
    :func:`convert`."""
    if isinstance(value, sp.Expr) and value.free_symbols:
        return check_real(check_bounded(value, label))
    return convert(value, label)


def to_matrix(A, label: str = "matrix") -> sp.Matrix:
    """A sympy matrix from a sympy matrix, a numpy array or a sequence of rows, each entry
    read by :func:`parameter` (entries may be symbols; text goes through the restricted
    parser, never ``sympify``)."""
    try:
        rows = A.tolist() if hasattr(A, "tolist") else [list(r) for r in A]
        rows = [list(r) for r in rows]
    except TypeError:
        raise InputError(f"{label} must be a matrix (a list of rows)") from None
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise InputError(f"{label} must be a non-empty rectangular matrix")
    return sp.Matrix([[parameter(v, f"{label}[{i}][{j}]") for j, v in enumerate(r)]
                      for i, r in enumerate(rows)])


def to_rational(value, label: str = "number") -> sp.Rational:
    """:func:`convert`, and the result must be rational."""
    v = convert(value, label)
    if not isinstance(v, sp.Rational):
        raise InputError(f"{label} must be a rational number, got {str(v)[:60]}")
    _check_number(v, label)
    return v


def to_fraction(value, label: str = "number") -> Fraction:
    """:func:`to_rational` as a :class:`fractions.Fraction`."""
    v = to_rational(value, label)
    return Fraction(int(v.p), int(v.q))


def to_fmpq(value, label: str = "number"):
    """:func:`to_rational` as a python-flint ``fmpq`` (the number rule of the module
    docstring: ``0.1`` is 1/10).  Exact values (``fmpq``, ``fmpz``, ``int``, ``Fraction``,
    sympy ``Rational``) convert directly, whatever their size: they are results of exact
    computations, not text to be parsed."""
    from flint import fmpq, fmpz
    if isinstance(value, fmpq):
        return value
    if isinstance(value, (fmpz, Integral)) and not isinstance(value, bool):
        return fmpq(int(value))
    if isinstance(value, Fraction):
        return fmpq(value.numerator, value.denominator)
    if isinstance(value, sp.Rational):
        return fmpq(int(value.p), int(value.q))
    v = to_rational(value, label)
    return fmpq(int(v.p), int(v.q))


def to_float(value, label: str = "number") -> float:
    """:func:`convert` rounded to float64; :class:`InputError` when the value is outside
    the float64 range (e.g. ``1e400``)."""
    if isinstance(value, float) and math.isfinite(value):
        return value
    v = convert(value, label)
    try:
        out = float(v) if isinstance(v, sp.Rational) else float(sp.N(v, 20))
    except (OverflowError, TypeError, ValueError):
        out = math.inf
    if not math.isfinite(out):
        raise InputError(f"{label} = {str(value)[:40]} is outside the float64 range "
                         "(|x| < 1.8e308)")
    return out


def to_mpf(value, label: str = "number") -> mpmath.mpf:
    """:func:`convert` as an mpmath number at the caller's working precision (an ``mpf``
    is rounded to it; a float is its shortest decimal, ``0.1`` is 1/10 rounded once)."""
    if isinstance(value, mpmath.mpf):
        return +value
    v = convert(value, label)
    if isinstance(v, sp.Rational):
        return mpmath.mpf(int(v.p)) / int(v.q)
    return mpmath.mpf(sp.N(v, mpmath.mp.dps + 10)._mpf_)


def positive(value, label: str = "number") -> sp.Expr:
    """:func:`convert`, and the result must be > 0."""
    v = convert(value, label)
    if not v.is_positive:
        raise InputError(f"{label} must be positive, got {str(v)[:60]}")
    return v


def nstr(value, digits: int) -> str:
    """``value`` (an mpmath, float or exact number) as a decimal with ``digits`` significant
    digits (:func:`mpmath.nstr`); a zero prints as ``0``, not ``0.0``, so that an orbit
    point proved to be exactly 0 reads as such."""
    if value == 0:
        return "0"
    return mpmath.nstr(value, digits)
