"""Compiled evaluators of sympy expressions in four arithmetics.

One printer (sympy's ``MpmathPrinter``) turns an expression into Python source that calls
``mpmath.<fn>`` and writes rationals as ``mpmath.mpf(p)/mpmath.mpf(q)``; we then bind the
name ``mpmath`` to a namespace of the chosen arithmetic:

* ``mpmath``  — mpmath at the working precision of the caller (``mp.workdps``);
* ``arb``     — python-flint balls: every operation is a rigorous enclosure, constants
  such as 1/3 and pi are enclosed, not rounded, integer powers are expanded into products
  (a ball containing 0 to an integer power is nan in python-flint); inputs are converted
  exactly by :func:`to_arb` (use for anything called *proved*);
* ``fmpq``    — exact rationals (polynomial/rational expressions only).

The float64 path uses ``lambdify(..., "numpy")`` and broadcasts over a batch of points.
"""
from __future__ import annotations

from typing import Callable, Sequence

import flint
import mpmath
import numpy as np
import sympy as sp
from flint import arb, fmpq
from sympy.printing.pycode import MpmathPrinter

from .errors import InputError


class _ArbNamespace:
    """Stands in for the ``mpmath`` module inside generated code, in ball arithmetic."""

    mpf = staticmethod(lambda v: arb(v))

    @property
    def pi(self):
        return arb.pi()

    @property
    def e(self):
        return arb.const_e()

    def __getattr__(self, name):
        method = getattr(arb, name, None)
        if method is None:
            raise InputError(f"function {name!r} has no ball-arithmetic implementation")
        return lambda v: method(v if isinstance(v, arb) else arb(v))


class _ExactNamespace:
    """Stands in for ``mpmath`` in exact rational arithmetic (fmpq)."""

    mpf = staticmethod(lambda v: fmpq(v))

    def __getattr__(self, name):
        raise InputError(f"{name} is not a rational function: no exact rational evaluation")


class _BallPrinter(MpmathPrinter):
    """Prints x**k (integer |k| ≥ 2) as the product x*x*…*x: python-flint returns nan for a
    ball containing 0 raised to an integer power, while the product encloses correctly."""

    def _print_Pow(self, expr, rational=False):
        k = expr.exp
        if k.is_Integer and abs(int(k)) >= 2:
            prod = "*".join([f"({self._print(expr.base)})"] * abs(int(k)))
            return f"({prod})" if k > 0 else f"(1/({prod}))"
        return super()._print_Pow(expr, rational=rational)


def to_arb(v) -> arb:
    """A ball containing ``v``: exact (radius 0) for mpmath numbers, floats, ints and
    rationals; an enclosure for other sympy numbers (a correctly rounded decimal expansion
    with a safety radius)."""
    if isinstance(v, arb):
        return v
    if isinstance(v, fmpq):
        return arb(v)
    if isinstance(v, sp.Basic):
        if isinstance(v, sp.Rational):
            return arb(fmpq(int(v.p), int(v.q)))
        digits = int(flint.ctx.prec / 3.32) + 10
        return arb(str(sp.N(v, digits + 10)), 10.0 ** (-digits))
    if isinstance(v, str):
        from .numbers import to_rational
        r = to_rational(v)
        return arb(fmpq(int(r.p), int(r.q)))
    if not isinstance(v, mpmath.mpf):  # mpf(mpf) would round to the working precision
        v = mpmath.mpf(v) if not isinstance(v, int) else mpmath.mpf(v, prec=v.bit_length() + 1)
    num, den = mpmath.libmp.to_rational(v._mpf_)
    return arb(fmpq(int(num), int(den)))


def _abs(v):
    return v if not hasattr(v, "__abs__") else abs(v)


class _MpfrNamespace:
    """The ``mpmath.*`` names sympy's mpmath printer writes, as gmpy2 ``mpfr`` functions:
    numbers at the precision of gmpy2's context, rounded to nearest like mpmath's (a
    field evaluated in C, no Python object per operation).  ``mpf`` is gmpy2's ``mpfr``,
    sympy's exact Floats go through :meth:`float_`; ``pi`` and ``e`` are computed at the
    precision in force."""

    FUNCTIONS = ("sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "atan2",
                 "sinh", "cosh", "tanh", "sech", "csch", "coth", "asinh", "acosh", "atanh",
                 "exp", "expm1", "log", "log1p", "log10", "log2", "sqrt", "cbrt", "erf",
                 "erfc", "gamma")

    def __init__(self):
        import gmpy2
        self._gmpy2 = gmpy2
        for name in self.FUNCTIONS:
            setattr(self, name, getattr(gmpy2, name))
        self.mpf = gmpy2.mpfr     # integers of rationals: mpf(p)/mpf(q), in C

    def float_(self, v):
        """sympy's exact Float, printed as (sign, man, exp, bc) by :class:`_MpfrPrinter`."""
        sign, man, exp, _ = v
        return self._gmpy2.mul_2exp(self._gmpy2.mpfr(-man if sign else man), exp)

    @property
    def pi(self):
        return self._gmpy2.const_pi()

    @property
    def e(self):
        return self._gmpy2.exp(1)


class _MpfrPrinter(MpmathPrinter):
    """Prints a Float as ``mpmath.float_((sign, man, exp, bc))`` (exact), so that
    ``mpmath.mpf`` is gmpy2's own ``mpfr`` for the integers of rationals."""

    def _print_Float(self, e):
        return super()._print_Float(e).replace("mpmath.mpf(", "mpmath.float_(", 1)


_NAMESPACES = {"mpmath": mpmath, "arb": _ArbNamespace(), "fmpq": _ExactNamespace(),
               "mpfr": _MpfrNamespace()}


def compile_exprs(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol],
                  backend: str) -> Callable:
    """Return ``fn(*coords) -> list`` evaluating ``exprs`` in ``backend``.

    ``backend`` is one of ``"numpy"``, ``"mpmath"``, ``"arb"``, ``"fmpq"``, ``"mpfr"``
    (gmpy2 numbers at the precision of gmpy2's context).
    """
    exprs = list(exprs)
    if backend == "numpy":
        raw = sp.lambdify(list(variables), exprs, modules="numpy")

        def numpy_fn(*coords):
            shape = np.broadcast(*coords).shape if coords else ()
            with np.errstate(all="ignore"):
                vals = raw(*coords)
            return [np.broadcast_to(np.asarray(v, dtype=float), shape) for v in vals]
        return numpy_fn
    if backend not in _NAMESPACES:
        raise InputError(f"unknown backend {backend!r}")
    settings = {"fully_qualified_modules": True, "allow_unknown_functions": False}
    printer = {"arb": _BallPrinter, "mpfr": _MpfrPrinter}.get(backend, MpmathPrinter)(settings)
    raw = sp.lambdify(list(variables), exprs, modules=[{"mpmath": _NAMESPACES[backend],
                                                        "abs": _abs}], printer=printer)
    if backend == "arb":
        return lambda *coords: [to_arb(v) for v in raw(*[to_arb(c) for c in coords])]
    convert = {"mpmath": mpmath.mpf, "fmpq": fmpq, "mpfr": _NAMESPACES["mpfr"].mpf}[backend]

    def fn(*coords):
        return list(raw(*[c if not isinstance(c, (int, float)) else convert(c) for c in coords]))
    return fn
