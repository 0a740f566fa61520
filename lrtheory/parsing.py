"""Restricted parsing of user expressions: the one way text becomes a sympy expression.

User text such as ``"(1 - x*y)**2/2"`` is read by a small recursive-descent parser written
here, never by Python's ``eval``/``compile``, ``sympify`` or ``parse_expr``.  The grammar is

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := ("+" | "-") unary | power
    power   := atom (("**" | "^") unary)?          (right associative, as in Python)
    atom    := NUMBER | NAME | NAME "(" sum ")" | "(" sum ")"

over ASCII only: numbers (``2``, ``0.1``, ``1e-3``: decimals are exact rationals), the
declared variables, the constants of :data:`CONSTANTS` and calls of the functions of
:data:`FUNCTIONS` with one argument.  Anything else — attribute access, subscripts,
keywords, strings, comments, trailing text, non-ASCII look-alikes such as ``ｅｘｐ`` — is
an :class:`~lrtheory.errors.InputError` that says what and where.

The sympy expression is built node by node, and every step is bounded *before* sympy
does the work (see :mod:`lrtheory.limits`): the text length, the nesting depth, the
digits of every exact integer, the exponent of every power (``9**9**9`` and
``exp(10**9*log(2))`` are refused instead of folded), and the size of the tree.  The
result must be real: constants such as ``asin(2)`` or ``(-2)**(1/3)``, ``I``, ``oo``,
``zoo`` and ``nan`` are refused.
"""
from __future__ import annotations

import keyword
import math
import re

import sympy as sp

from .aliases import lr_keyword
from . import limits
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
#: Names no variable may have: sympy reads them as something else (``I`` is the imaginary
#: unit, ``oo`` infinity, ``S``/``N``/``O``/``Q`` are sympy objects), so printed results
#: would not read back.  Python keywords and every name of sympy's namespace are refused too.
RESERVED_NAMES = frozenset({"I", "E", "S", "N", "O", "Q", "oo", "zoo", "nan", "pi", "inf",
                            "infinity", "Infinity", "NaN", "true", "false", "True", "False",
                            "None"})

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_NOT_DIFFERENTIABLE = (sp.sign, sp.Heaviside, sp.DiracDelta, sp.Derivative, sp.Subs)
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
""", re.VERBOSE)
_DECIMAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?\Z")


# -- variables ----------------------------------------------------------------------------

def _reserved(name: str) -> str | None:
    """Why ``name`` cannot be a variable, or None."""
    if name in FUNCTIONS or name in CONSTANTS:
        return "clashes with a function or constant"
    if name in RESERVED_NAMES:
        return "is reserved (sympy reads it as a constant or object)"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if hasattr(sp, name):
        return f"clashes with sympy's {name!r}, so printed results would not read back"
    return None


def parse_variables(text) -> tuple[sp.Symbol, ...]:
    """Parse ``"x,y"`` (or a sequence of names) into real sympy symbols.

    Names are ASCII letters, digits and ``_`` starting with a letter; at most
    :data:`~lrtheory.limits.MAX_VARIABLES`; no reserved names (:data:`RESERVED_NAMES`,
    Python keywords, sympy's namespace)."""
    if isinstance(text, str):
        if len(text) > limits.MAX_TEXT_CHARS:
            raise InputError(f"variable list longer than {limits.MAX_TEXT_CHARS} characters")
        names = text.split(",")
    elif isinstance(text, (list, tuple)):
        names = list(text)
    else:
        raise InputError(f"variables must be names such as 'x,y', got {type(text).__name__}")
    names = [(n.name if isinstance(n, sp.Symbol) else n) for n in names]
    if not all(isinstance(n, str) for n in names):
        raise InputError("variables must be given as names, e.g. 'x,y'")
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise InputError("no variables given: declare them, e.g. --vars x,y")
    if len(names) > limits.MAX_VARIABLES:
        raise InputError(f"{len(names)} variables: at most {limits.MAX_VARIABLES} are allowed")
    for n in names:
        if not _IDENT.match(n):
            raise InputError(f"invalid variable name {n!r}: use ASCII letters, digits and _, "
                             "starting with a letter")
        why = _reserved(n)
        if why:
            raise InputError(f"variable name {n!r} {why}")
    if len(set(names)) != len(names):
        raise InputError(f"duplicate variable names in {names}")
    return tuple(sp.Symbol(n, real=True) for n in names)


def symbols(names) -> tuple[sp.Symbol, ...]:
    """The sympy symbols lrtheory uses for the variables ``names`` (``"x,y"``, ``"x y"`` or
    a sequence of names): ``sp.Symbol(name, real=True)`` for each name, checked like
    :func:`parse_variables`.

    Every objective and result built from variable *names* is written in these symbols,
    so user expressions in them compare, substitute and differentiate as expected::

        x, y = lrtheory.symbols("x y")
        me = modified_equation("(1 - x*y)**2/2", 1, variables="x,y")
        me.fields[0][0] == -x*y**2 + y        # True

    A plain ``sp.Symbol("x")`` or ``sp.symbols("x")`` (no assumption) is a *different*
    symbol to sympy: an expression in it differentiates to 0 in lrtheory's ``x`` and never
    equals one written in lrtheory's ``x``.  Either build with these symbols, take them from
    the result (``me.variables``, ``me.symbol("x")``, ``Objective.variables``), or pass your
    own symbols to :class:`~lrtheory.objectives.Objective` (its results then use yours)."""
    if isinstance(names, str):
        names = names.replace(" ", ",")
    return parse_variables(names)


def symbol_named(variables, name: str) -> sp.Symbol:
    """The symbol called ``name`` among ``variables``; :class:`InputError` naming the
    variables when there is none."""
    for v in variables:
        if v.name == name:
            return v
    raise InputError(f"no variable {name!r}; the variables are "
                     f"{', '.join(v.name for v in variables)}")


# -- bounds on what sympy builds ----------------------------------------------------------

_TEN_POWER = 10 ** limits.MAX_INTEGER_DIGITS


def _too_big(n: int) -> bool:
    """More than MAX_INTEGER_DIGITS decimal digits."""
    return abs(int(n)) >= _TEN_POWER


def _check_number(v: sp.Basic, label: str) -> None:
    """An exact rational within the integer-size limit."""
    if isinstance(v, sp.Rational) and (_too_big(v.p) or _too_big(v.q)):
        raise InputError(f"{label}: an exact integer has more than {limits.MAX_INTEGER_DIGITS} "
                         "digits (limit MAX_INTEGER_DIGITS)")


def _check_power(base: sp.Basic, exponent: sp.Basic, label: str) -> None:
    """Refuse ``base**exponent`` before sympy computes it when it would build an integer
    beyond :data:`~lrtheory.limits.MAX_INTEGER_DIGITS` (a rational base), or when the
    exponent of a symbolic base is beyond :data:`~lrtheory.limits.MAX_EXPONENT`."""
    if base is sp.E:
        _check_exp(exponent, label)
        return
    if not isinstance(exponent, sp.Rational):
        return
    if not isinstance(base, sp.Rational):
        _check_exponent(exponent, label)
        return
    if exponent.q > limits.MAX_EXPONENT:
        raise InputError(f"{label}: root of order {_short(exponent.q)} is beyond the limit "
                         f"{limits.MAX_EXPONENT} (MAX_EXPONENT)")
    if base not in (0, 1, -1):
        size = max(math.log10(abs(int(base.p))), math.log10(int(base.q))) * abs(exponent)
        if size >= limits.MAX_INTEGER_DIGITS:
            raise InputError(f"{label}: {_short(base)}**{_short(exponent)} has more than "
                             f"{limits.MAX_INTEGER_DIGITS} digits (limit MAX_INTEGER_DIGITS)")


def _check_exponent(k: sp.Rational, label: str) -> None:
    if abs(k) > limits.MAX_EXPONENT or k.q > limits.MAX_EXPONENT:
        raise InputError(f"{label}: exponent {_short(k)} is beyond the limit "
                         f"|k| <= {limits.MAX_EXPONENT} (MAX_EXPONENT)")


def _check_exp(arg: sp.Basic, label: str) -> None:
    """sympy folds ``exp(k*log(b))`` into ``b**k``: bound it like that power."""
    if not arg.has(sp.log):
        return
    for term in sp.Add.make_args(arg):
        coeff, rest = term.as_coeff_Mul()
        logs = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.log)]
        if logs:
            _check_power(logs[0].args[0], coeff if isinstance(coeff, sp.Rational)
                         else sp.Integer(1), label)


def _short(v) -> str:
    big = isinstance(v, sp.Rational) and max(abs(int(v.p)), int(v.q)) > 10**60
    text = "<a big number>" if big else str(v)
    return text if len(text) <= 40 else text[:37] + "..."


def check_bounded(expr: sp.Basic, label: str = "expression", max_nodes: int | None = None):
    """Walk ``expr`` once: at most ``max_nodes`` nodes (when given), every exact integer
    within :data:`~lrtheory.limits.MAX_INTEGER_DIGITS` and every numeric exponent within
    :data:`~lrtheory.limits.MAX_EXPONENT`.  Returns ``expr``."""
    count = 0
    for node in sp.preorder_traversal(expr):
        count += 1
        if max_nodes is not None and count > max_nodes:
            raise InputError(f"{label} has more than {max_nodes} nodes (limit MAX_NODES)")
        if isinstance(node, sp.Rational):
            _check_number(node, label)
        elif isinstance(node, sp.Pow) and isinstance(node.exp, sp.Rational):
            _check_exponent(node.exp, label)
    return expr


# -- the parser ---------------------------------------------------------------------------

def _tokens(text: str) -> list[tuple[str, str, int]]:
    """``(kind, text, position)`` of every token; InputError at the first character that
    is not part of the grammar."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch == "#":
                why = "comments (#) are not allowed"
            elif not ch.isascii():
                why = (f"character {ch!r} (U+{ord(ch):04X}) is not allowed: expressions are "
                       "plain ASCII")
            else:
                why = f"character {ch!r} is not allowed"
            raise InputError(f"{why} (at position {pos} of {_excerpt(text)})")
        if m.lastgroup != "space":
            out.append((m.lastgroup, m.group(), pos))
        pos = m.end()
    return out


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _decimal(token: str, label: str) -> sp.Rational:
    """A decimal literal as an exact rational, its size checked before it is built."""
    whole, frac, exp = _DECIMAL.match(token).groups()
    frac = frac or ""
    if exp is not None and len(exp.lstrip("+-").lstrip("0")) > 6:
        raise InputError(f"{label}: exponent of {token[:20]}... is beyond the limit "
                         f"({limits.MAX_INTEGER_DIGITS} digits, MAX_INTEGER_DIGITS)")
    shift = int(exp or 0) - len(frac)
    digits = (whole + frac).lstrip("0")
    too_long = len(digits) + max(shift, 0) > limits.MAX_INTEGER_DIGITS
    if too_long or -shift > limits.MAX_INTEGER_DIGITS:
        raise InputError(f"{label}: the number {_excerpt(token)} has more than "
                         f"{limits.MAX_INTEGER_DIGITS} digits (limit MAX_INTEGER_DIGITS)")
    mant = int(digits or "0")
    return sp.Integer(mant * 10**shift) if shift >= 0 else sp.Rational(mant, 10**-shift)


class _Parser:
    """Recursive descent over the tokens, building bounded sympy expressions."""

    def __init__(self, text: str, names: dict, label: str):
        self.text, self.names, self.label = text, names, label
        self.toks = _tokens(text)
        self.i, self.depth = 0, 0

    # -- token access --
    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else ("end", "", len(self.text))

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def error(self, msg: str, tok=None) -> InputError:
        kind, txt, pos = tok or self.peek()
        where = "at the end" if kind == "end" else f"at position {pos}"
        return InputError(f"malformed expression {_excerpt(self.text)}: {msg} {where}")

    def expect(self, op: str) -> None:
        tok = self.take()
        if tok[1] != op or tok[0] != "op":
            got = "the end" if tok[0] == "end" else repr(tok[1])
            raise self.error(f"expected {op!r}, found {got}", tok)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise InputError(f"{self.label} is nested more than {limits.MAX_DEPTH} levels deep "
                             "(limit MAX_DEPTH)")

    # -- grammar --
    def parse(self) -> sp.Expr:
        if not self.toks:
            raise InputError(f"empty {self.label}")
        expr = self.sum()
        tok = self.peek()
        if tok[0] != "end":
            raise self.error(f"unexpected {tok[1]!r} after a complete expression "
                             "(trailing text is not allowed)", tok)
        return expr

    def sum(self) -> sp.Expr:
        terms = [self.product()]
        while self.peek()[:2] in (("op", "+"), ("op", "-")):
            sign = self.take()[1]
            t = self.product()
            terms.append(t if sign == "+" else self.build(sp.Mul, sp.S.NegativeOne, t))
        return terms[0] if len(terms) == 1 else self.build(sp.Add, *terms)

    def product(self) -> sp.Expr:
        factors = [self.unary()]
        while self.peek()[:2] in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            f = self.unary()
            if op == "/":
                _check_power(f, sp.S.NegativeOne, self.label)
                f = self.build(sp.Pow, f, sp.S.NegativeOne)
            factors.append(f)
        return factors[0] if len(factors) == 1 else self.build(sp.Mul, *factors)

    def unary(self) -> sp.Expr:
        if self.peek()[:2] in (("op", "-"), ("op", "+")):
            sign = self.take()[1]
            self.enter()
            inner = self.unary()
            self.depth -= 1
            return inner if sign == "+" else self.build(sp.Mul, sp.S.NegativeOne, inner)
        return self.power()

    def power(self) -> sp.Expr:
        base = self.atom()
        if self.peek()[:2] in (("op", "**"), ("op", "^")):
            self.take()
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            _check_power(base, exponent, self.label)
            return self.build(sp.Pow, base, exponent)
        return base

    def atom(self) -> sp.Expr:
        tok = self.take()
        kind, txt, _ = tok
        if kind == "number":
            return _decimal(txt, self.label)
        if kind == "name":
            if self.peek()[:2] == ("op", "("):
                return self.call(tok)
            if txt in self.names:
                return self.names[txt]
            if txt in FUNCTIONS:
                raise self.error(f"function {txt!r} needs an argument in parentheses", tok)
            declared = sorted(n for n in self.names if n not in CONSTANTS)
            raise InputError(f"unknown name {txt!r} in {_excerpt(self.text)}; declared "
                             f"variables: {', '.join(declared) or 'none'}")
        if (kind, txt) == ("op", "("):
            self.enter()
            inner = self.sum()
            self.expect(")")
            self.depth -= 1
            return inner
        found = "the end of the text" if kind == "end" else repr(txt)
        raise self.error(f"expected a number, a name or '(', found {found}", tok)

    def call(self, tok) -> sp.Expr:
        name = tok[1]
        if name not in FUNCTIONS:
            raise InputError(f"unknown function {name!r} in {_excerpt(self.text)}; allowed: "
                             + ", ".join(sorted(FUNCTIONS)))
        self.take()  # "("
        self.enter()
        if self.peek()[:2] == ("op", ")"):
            raise self.error(f"function {name!r} takes exactly one argument, got none")
        arg = self.sum()
        if self.peek()[:2] == ("op", ","):
            raise self.error(f"function {name!r} takes exactly one argument, got more")
        self.expect(")")
        self.depth -= 1
        if FUNCTIONS[name] is sp.exp:
            _check_exp(arg, self.label)
        return self.build(FUNCTIONS[name], arg)

    def build(self, fn, *args) -> sp.Expr:
        """Apply a sympy constructor and check the numbers it made (shallowly: the node,
        its arguments and theirs; the whole tree is checked once at the end)."""
        try:
            node = fn(*args)
        except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
            raise InputError(f"could not build {self.label} {_excerpt(self.text)}: "
                             f"{type(exc).__name__}: {exc}") from None
        for sub in (node, *node.args, *(a for arg in node.args for a in arg.args)):
            if isinstance(sub, sp.Rational):
                _check_number(sub, self.label)
            elif isinstance(sub, sp.Pow) and isinstance(sub.exp, sp.Rational):
                _check_exponent(sub.exp, self.label)
        return node


def _parse(text, names: dict, label: str) -> sp.Expr:
    if not isinstance(text, str):
        raise InputError(f"{label} must be text, got {type(text).__name__}")
    if len(text) > limits.MAX_TEXT_CHARS:
        raise InputError(f"{label} is longer than {limits.MAX_TEXT_CHARS} characters "
                         "(limit MAX_TEXT_CHARS)")
    if not text.strip():
        raise InputError(f"empty {label}")
    expr = _Parser(text, names, label).parse()
    check_bounded(expr, label, limits.MAX_NODES)
    return check_real(expr, text)


def parse_expression(text: str, variables) -> sp.Expr:
    """Parse ``text`` into a real sympy expression in ``variables`` (symbols or names).

    Raises :class:`InputError` for malformed text, unknown names or functions, any
    non-mathematical syntax, values that are not real, and input beyond the limits of
    :mod:`lrtheory.limits`.
    """
    symbols = parse_variables(variables) if isinstance(variables, str) else tuple(variables)
    if not symbols:
        raise InputError("no variables given: declare them, e.g. --vars x,y")
    if not all(isinstance(s, sp.Symbol) for s in symbols):
        symbols = parse_variables(list(symbols))
    names = {**CONSTANTS, **{s.name: s for s in symbols}}
    return _parse(text, names, "expression")


def parse_number(text, label: str = "number") -> sp.Expr:
    """Parse a numeric literal or constant expression (``"1/2"``, ``"0.1"``, ``"pi/4"``)
    exactly; decimals become rationals.  Other values go through
    :func:`lrtheory.numbers.convert`, the one coercion of numbers."""
    if not isinstance(text, str):
        from .numbers import convert
        return convert(text, label)
    try:
        val = _parse(text, dict(CONSTANTS), label)
    except InputError as exc:
        why = str(exc).removeprefix(f"{label}: ")
        raise InputError(f"invalid {label} {_excerpt(text.strip())}: {why}") from None
    if val.free_symbols:
        raise InputError(f"invalid {label} {_excerpt(text.strip())}: not a number")
    return val


def to_expr(value, variables, label: str = "expression") -> sp.Expr:
    """The one coercion of an expression given by a caller: text goes through
    :func:`parse_expression`; a sympy expression is checked (bounded, real, only the
    declared symbols are up to the caller); a number goes through
    :func:`lrtheory.numbers.convert`.  Anything else (lists, arbitrary objects) is an
    :class:`InputError` — nothing is handed to ``sympify``."""
    if isinstance(value, str):
        return parse_expression(value, variables)
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise InputError(f"{label} must be a scalar expression, got {type(value).__name__}")
        return check_real(check_bounded(value, label))
    from .numbers import convert
    return convert(value, label)


# -- checks on expressions ----------------------------------------------------------------

def check_real(expr: sp.Expr, label: str = "") -> sp.Expr:
    """Reject expressions that are not real and finite: ``I``, ``oo``, ``zoo``, ``nan``;
    terms that sympy proves non-real (``asin(2)``, ``(-2)**(1/3)``, ``sqrt(-1 - x**2)``);
    and constant parts that are not a finite real number below 10**MAX_INTEGER_DIGITS in
    magnitude (evaluated in ball arithmetic, so ``sin(exp(exp(exp(10))))`` is refused
    instead of costing any later evaluation an astronomically precise argument
    reduction)."""
    what = _excerpt(label) if label else _short(expr)
    if not isinstance(expr, sp.Expr):
        raise InputError(f"expression {what} is not a scalar expression")
    if expr.has(sp.I, sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError(f"expression {what} is not a finite real expression")
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Function, sp.Pow)) and node.is_extended_real is False:
            where = " for any real value of the variables" if node.free_symbols else ""
            raise InputError(f"expression {what} is not real: {_short(node)} is not a "
                             f"real number{where}")
    _check_constants(expr, what, {})
    return expr


_ARB_FUNCTIONS = {f: f.__name__ for f in (
    sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.asin, sp.acos, sp.atan, sp.sinh,
    sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth, sp.asinh, sp.acosh, sp.atanh, sp.exp,
    sp.log, sp.erf)}


def _check_constants(node: sp.Basic, what: str, memo: dict):
    """The ball value of ``node`` when it is constant (None when it is not, or has a
    function without a ball implementation), checking each constant part on the way."""
    if node in memo:
        return memo[node]
    values = [_check_constants(a, what, memo) for a in node.args]
    value = None
    if not node.free_symbols and all(v is not None for v in values):
        value = _ball(node, values)
        if value is not None:
            bound = _magnitude_bound()
            if not value.is_finite() or value.abs_upper() > bound:
                raise InputError(f"expression {what}: the constant {_short(node)} is not a "
                                 f"finite real number below 10**{limits.MAX_INTEGER_DIGITS} "
                                 "in magnitude (limit MAX_INTEGER_DIGITS)")
    memo[node] = value
    return value


def _magnitude_bound():
    from flint import arb
    return arb(10) ** limits.MAX_INTEGER_DIGITS


def _ball(node: sp.Basic, values: list):
    """A python-flint ball for a constant node whose arguments have balls ``values``."""
    from flint import arb, fmpq
    if isinstance(node, sp.Rational):
        return arb(fmpq(int(node.p), int(node.q)))
    if node is sp.pi:
        return arb.pi()
    if node is sp.E:
        return arb.const_e()
    if isinstance(node, sp.Add):
        return sum(values[1:], values[0])
    if isinstance(node, sp.Mul):
        out = values[0]
        for v in values[1:]:
            out = out * v
        return out
    if isinstance(node, sp.Pow):
        base, k = node.args
        if isinstance(k, sp.Integer):
            return values[0] ** int(k)
        return (values[1] * values[0].log()).exp()
    if isinstance(node, sp.Abs):
        return abs(values[0])
    name = _ARB_FUNCTIONS.get(type(node))
    return getattr(values[0], name)() if name else None


def check_differentiable(exprs, label: str = "") -> None:
    """Reject derivatives that contain sign/Heaviside/DiracDelta (a non-smooth objective)."""
    for e in exprs:
        if any(e.has(fn) for fn in _NOT_DIFFERENTIABLE):
            raise InputError(f"objective {label} is not differentiable everywhere "
                             f"(its derivative contains {_short(e)}); use a smooth expression")


@lr_keyword
def check_lr(lr) -> None:
    """Learning rates must be positive finite numbers."""
    from .numbers import to_float
    if lr is None or isinstance(lr, bool):
        raise InputError(f"learning rate must be a number, got {lr!r}")
    try:
        value = to_float(lr, "learning rate")
    except InputError as exc:
        raise InputError(f"learning rate must be positive and finite: {exc}") from None
    if not 0 < value < float("inf"):
        raise InputError(f"learning rate must be positive and finite, got h = {lr}")
