"""Restricted parsing of user expressions.

User text such as ``"(1 - x*y)**2/2"`` is first checked against a whitelist of syntax
(numbers, the declared variables, arithmetic, and calls of sympy's mathematical functions)
with Python's :mod:`ast`, and only then handed to :func:`sympy.parsing.sympy_parser.parse_expr`
with an explicit namespace and no builtins.  There is no attribute access, no subscripts,
no keywords, no lambdas and no names beyond the whitelist; decimals become exact rationals.
"""
from __future__ import annotations

import ast
import re

import sympy as sp
from sympy.parsing.sympy_parser import (
    convert_xor,
    parse_expr,
    rationalize,
    standard_transformations,
)

from .errors import InputError

#: Functions a user expression may call, by the name used in the text.
FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "sech": sp.sech, "csch": sp.csch,
    "coth": sp.coth, "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "erf": sp.erf,
    "Abs": sp.Abs, "abs": sp.Abs,
}
#: Named constants a user expression may use.
CONSTANTS = {"pi": sp.pi, "E": sp.E}

_ALLOWED_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Load, ast.Constant,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.BitXor,
)
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NOT_DIFFERENTIABLE = (sp.sign, sp.Heaviside, sp.DiracDelta, sp.Derivative, sp.Subs)


def parse_variables(text) -> tuple[sp.Symbol, ...]:
    """Parse ``"x,y"`` (or a sequence of names) into real sympy symbols."""
    names = text.split(",") if isinstance(text, str) else list(text)
    names = [str(n).strip() for n in names if str(n).strip()]
    if not names:
        raise InputError("no variables given: declare them, e.g. --vars x,y")
    for n in names:
        if not _IDENT.match(n):
            raise InputError(f"invalid variable name {n!r}: use letters, digits and _")
        if n in FUNCTIONS or n in CONSTANTS:
            raise InputError(f"variable name {n!r} clashes with a function or constant")
    if len(set(names)) != len(names):
        raise InputError(f"duplicate variable names in {names}")
    return tuple(sp.Symbol(n, real=True) for n in names)


def _check_syntax(text: str, allowed_names: set[str]) -> None:
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise InputError(f"malformed expression {text!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise InputError(
                f"expression {text!r} uses {type(node).__name__}, which is not allowed "
                "(only numbers, declared variables, + - * / ** and math functions)")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)) \
                or isinstance(node, ast.Constant) and isinstance(node.value, bool):
            raise InputError(f"expression {text!r} contains a non-numeric literal {node.value!r}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise InputError(f"expression {text!r} uses {type(node.func).__name__}, which "
                                 "is not allowed (only calls of math functions by name)")
            if node.func.id not in FUNCTIONS:
                raise InputError(f"unknown function {node.func.id!r} in {text!r}; allowed: "
                                 + ", ".join(sorted(FUNCTIONS)))
            if node.keywords or len(node.args) != 1:
                raise InputError(f"function {node.func.id!r} takes exactly one argument")
        if isinstance(node, ast.Name) and node.id not in allowed_names:
            raise InputError(f"unknown name {node.id!r} in {text!r}; declared variables: "
                             + ", ".join(sorted(allowed_names - set(FUNCTIONS) - set(CONSTANTS))))


def parse_expression(text: str, variables) -> sp.Expr:
    """Parse ``text`` into a real sympy expression in ``variables`` (symbols or names).

    Raises :class:`InputError` for malformed text, unknown names or functions, attribute
    access or any other non-mathematical syntax, and for values that are not real numbers.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("empty expression")
    symbols = parse_variables(variables) if isinstance(variables, str) else tuple(variables)
    if not symbols:
        raise InputError("no variables given: declare them, e.g. --vars x,y")
    names = {s.name: s for s in symbols}
    _check_syntax(text, set(names) | set(FUNCTIONS) | set(CONSTANTS))
    local = {**FUNCTIONS, **CONSTANTS, **names}
    glob = {"__builtins__": {}, "Integer": sp.Integer, "Float": sp.Float,
            "Rational": sp.Rational, "Symbol": sp.Symbol}
    try:
        expr = parse_expr(text, local_dict=local, global_dict=glob,
                          transformations=standard_transformations + (convert_xor, rationalize))
    except (SyntaxError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise InputError(f"could not parse {text!r}: {exc}") from None
    return check_real(sp.sympify(expr), text)


def check_real(expr: sp.Expr, label: str = "") -> sp.Expr:
    """Reject expressions that are not finite real-valued (``I``, ``zoo``, ``nan``, ``oo``)."""
    if expr.has(sp.I) or expr.has(sp.zoo) or expr.has(sp.nan) or expr.has(sp.oo) \
            or expr.has(-sp.oo):
        raise InputError(f"expression {label or expr} is not a finite real expression")
    return expr


def check_differentiable(exprs, label: str = "") -> None:
    """Reject derivatives that contain sign/Heaviside/DiracDelta (a non-smooth objective)."""
    for e in exprs:
        if any(e.has(fn) for fn in _NOT_DIFFERENTIABLE):
            raise InputError(f"objective {label} is not differentiable everywhere "
                             f"(its derivative contains {e}); use a smooth expression")


def check_lr(h) -> None:
    """Learning rates must be positive finite numbers."""
    try:
        value = float(parse_number(h, "learning rate")) if isinstance(h, str) else float(h)
    except (TypeError, ValueError):
        raise InputError(f"learning rate must be a number, got {h!r}") from None
    ok = 0 < value < float("inf")
    if not ok:
        raise InputError(f"learning rate must be positive and finite, got h = {h}")


def parse_number(text, label: str = "number") -> sp.Rational | sp.Expr:
    """Parse a numeric literal or constant expression (``"1/2"``, ``"0.1"``, ``"pi/4"``)
    exactly; decimals become rationals."""
    if isinstance(text, (int, sp.Rational)):
        return sp.Rational(text)
    s = str(text).strip()
    try:
        _check_syntax(s, set(FUNCTIONS) | set(CONSTANTS))
    except InputError as exc:
        raise InputError(f"invalid {label} {s!r}: {exc}") from None
    glob = {"__builtins__": {}, "Integer": sp.Integer, "Float": sp.Float,
            "Rational": sp.Rational, "Symbol": sp.Symbol}
    try:
        val = parse_expr(s, local_dict={**FUNCTIONS, **CONSTANTS}, global_dict=glob,
                         transformations=standard_transformations + (convert_xor, rationalize))
    except (SyntaxError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise InputError(f"invalid {label} {s!r}: {exc}") from None
    val = check_real(sp.sympify(val), s)
    if val.free_symbols:
        raise InputError(f"invalid {label} {s!r}: not a number")
    return val
