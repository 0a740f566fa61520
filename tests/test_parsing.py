"""The restricted parser and the number coercion: good input parses exactly, bad input
raises InputError, and the limits are checked before any work."""
import re
import time
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import fmpq

from lrtheory import limits, numbers
from lrtheory.errors import InputError
from lrtheory.parsing import check_lr, parse_expression, parse_number, parse_variables, to_expr

x, y = sp.symbols("x y", real=True)


def test_parses_blog8_objective_exactly():
    e = parse_expression("(1 - x*y)**2/2", "x,y")
    assert sp.expand(e - (1 - x * y) ** 2 / 2) == 0


def test_decimals_become_rationals_and_caret_is_power():
    e = parse_expression("0.1*x^2", "x")
    assert e == sp.Rational(1, 10) * x**2


def test_functions_and_constants():
    e = parse_expression("log(cosh(x)) + sin(pi*y) + exp(E)", "x,y")
    assert e == sp.log(sp.cosh(x)) + sp.sin(sp.pi * y) + sp.exp(sp.E)


@pytest.mark.parametrize("text,fragment", [
    ("__import__('os').system('echo hi')", "not allowed"),
    ("__import__(x)", "unknown function '__import__'"),
    ("x.__class__", "character '.' is not allowed"),
    ("(x).real", "character '.' is not allowed"),
    ("x[0]", "character '[' is not allowed"),
    ("lambda: x", "not allowed"),
    ("x + z", "unknown name 'z'"),
    ("foo(x)", "unknown function 'foo'"),
    ("x +", "malformed"),
    ("", "empty"),
    ("sqrt(-1)*x", "not a finite real"),
    ("x/0", "not a finite real"),
    ("'abc'", "character \"'\" is not allowed"),
    ("sin(x, y)", "exactly one argument"),
    ("sin()", "exactly one argument"),
    ("exp(x=1)", "character '=' is not allowed"),
    ("[x, y]", "not allowed"),
    ("x if y else 1", "trailing text"),
    ("sin", "needs an argument"),
])
def test_bad_expressions_raise_input_error(text, fragment):
    with pytest.raises(InputError) as info:
        parse_expression(text, "x,y")
    assert fragment in str(info.value)


def test_import_attempt_never_executes(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError):
        parse_expression(f"__import__('pathlib').Path('{marker}').touch()", "x")
    assert not marker.exists()


@pytest.mark.parametrize("names", ["", " , ", "x,x", "1x", "x-y", "sin", "pi"])
def test_bad_variable_lists(names):
    with pytest.raises(InputError):
        parse_variables(names)


@pytest.mark.parametrize("h", [0, -1, "0", "-1/2", "abc", float("nan"), float("inf"), None])
def test_bad_learning_rates(h):
    with pytest.raises(InputError):
        check_lr(h)


def test_numbers_parse_exactly():
    assert parse_number("1/3") == sp.Rational(1, 3)
    assert parse_number("0.25") == sp.Rational(1, 4)
    with pytest.raises(InputError):
        parse_number("x")


# -- no wrong results: text is either read exactly as written or refused --------------------

@pytest.mark.parametrize("text,fragment", [
    ("x**2 # junk", "comments (#) are not allowed"),
    ("x**2 junk", "trailing text"),
    ("x**2)", "trailing text"),
    ("2x", "trailing text"),
    ("1_000*x", "trailing text"),
    ("1j*x", "trailing text"),
    ("\uff45\uff58\uff50(x)", "U+FF45"),            # full-width "exp"
    ("x\u00b2", "U+00B2"),                           # superscript two
    ("x\u2212y", "U+2212"),                          # minus sign
    ("x;y", "character ';'"),
    ("x**2\x00", "character '\\x00'"),
])
def test_comments_trailing_text_and_look_alikes_are_refused(text, fragment):
    with pytest.raises(InputError, match=re.escape(fragment)):
        parse_expression(text, "x,y")


@pytest.mark.parametrize("text", [
    "asin(2)*x", "acos(3) + x", "(-2)**(1/3)*x", "acosh(0)*x", "log(-1)*x", "atanh(2)*x",
    "sqrt(exp(3) - 21)*x", "sqrt(-1 - x**2)", "log(0)*x", "tan(pi/2)*x", "x**2 + 1/0",
])
def test_complex_or_infinite_values_are_refused(text):
    with pytest.raises(InputError, match="real|finite"):
        parse_expression(text, "x,y")


def test_real_constants_are_kept_exactly():
    e = parse_expression("asin(1/2)*x + sqrt(2)*y + acosh(2)", "x,y")
    assert e == sp.pi / 6 * x + sp.sqrt(2) * y + sp.acosh(2)
    assert parse_expression("2**-1*x - -x", "x") == sp.Rational(3, 2) * x
    assert parse_expression("x/y/2", "x,y") == x / (2 * y)
    assert parse_expression("-x**2", "x") == -x**2              # ** binds tighter than -
    assert parse_expression("2**3**2*x", "x") == 512 * x        # right associative
    assert parse_expression(".5*x + 1.e3 + 1.25e-2", "x") == x / 2 + 1000 + sp.Rational(1, 80)


# -- resource limits: refused before any work starts, naming the limit ----------------------

@pytest.mark.parametrize("text,limit", [
    ("9**9**9", "MAX_INTEGER_DIGITS"),
    ("x**(10**10)", "MAX_EXPONENT"),
    ("2**2**2**2**2*x", "MAX_INTEGER_DIGITS"),
    ("x**600*x**600", "MAX_EXPONENT"),
    ("(x**500)**3", "MAX_EXPONENT"),
    ("exp(10**9*log(2))", "MAX_INTEGER_DIGITS"),
    ("exp(10**9*log(x))", "MAX_EXPONENT"),
    ("E**(10**6*log(3))*x", "MAX_INTEGER_DIGITS"),
    ("x**(1/1001)", "MAX_EXPONENT"),
    ("2**3500*x", "MAX_INTEGER_DIGITS"),
    ("1e1000*x", "MAX_INTEGER_DIGITS"),
    ("1e-1001*x", "MAX_INTEGER_DIGITS"),
    ("1e99999999999999*x", "MAX_INTEGER_DIGITS"),
    ("1" * 1001 + "*x", "MAX_INTEGER_DIGITS"),
    ("10**999*(10**999*x + 1)", "MAX_INTEGER_DIGITS"),
    ("sin(exp(exp(exp(10))))*x", "MAX_INTEGER_DIGITS"),
    ("exp(3000)*x", "MAX_INTEGER_DIGITS"),
    ("(" * 101 + "x" + ")" * 101, "MAX_DEPTH"),
    ("-" * 101 + "x", "MAX_DEPTH"),
    ("sin(" * 101 + "x" + ")" * 101, "MAX_DEPTH"),
    ("x" + "+x" * 6000, "MAX_TEXT_CHARS"),
    ("+".join(f"x**{j}*y**{k}" for j in range(2, 40) for k in range(2, 40))[:9990] + "*x",
     "MAX_NODES"),
])
def test_limits_are_checked_before_the_work(text, limit):
    start = time.perf_counter()
    with pytest.raises(InputError, match=limit):
        parse_expression(text, "x,y")
    assert time.perf_counter() - start < 2.0


def test_inputs_just_inside_the_limits_parse():
    assert parse_expression("x**1000", "x") == x**1000
    assert parse_expression("2**3000*x", "x") == 2**3000 * x      # 904 digits
    assert parse_expression("1e999*x", "x") == sp.Integer(10)**999 * x
    assert parse_expression("(" * 99 + "x" + ")" * 99, "x") == x
    assert parse_expression("exp(200*log(3))*x", "x") == 3**200 * x


def test_the_limits_module_describes_every_limit():
    text = limits.describe()
    for value in (limits.MAX_TEXT_CHARS, limits.MAX_INTEGER_DIGITS, limits.MAX_EXPONENT,
                  limits.MAX_DEPTH, limits.MAX_NODES, limits.MAX_VARIABLES,
                  limits.MAX_JSON_DEPTH, limits.LATEX_TIMEOUT):
        assert str(value) in text


# -- variables ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["I", "E", "S", "N", "O", "Q", "oo", "zoo", "nan", "pi",
                                  "lambda", "match", "beta", "gamma", "sin", "abs", "True"])
def test_reserved_names_are_refused_as_variables(name):
    with pytest.raises(InputError, match=re.escape(repr(name))):
        parse_variables(f"x,{name}")


def test_variable_count_is_bounded():
    names = ",".join(f"x{i}" for i in range(limits.MAX_VARIABLES))
    assert len(parse_variables(names)) == limits.MAX_VARIABLES
    with pytest.raises(InputError, match=f"at most {limits.MAX_VARIABLES}"):
        parse_variables(names + ",extra")


def test_variables_print_and_read_back():
    """Every accepted name prints as itself, so JSON output reads back with the parser."""
    vs = parse_variables("x,y1,theta,X_1_2,lr")
    e = parse_expression("x*y1 + theta**2 - X_1_2/lr", vs)
    assert parse_expression(str(e), vs) == e


# -- numbers: the one coercion ----------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("1/3", sp.Rational(1, 3)), ("0.1", sp.Rational(1, 10)), ("1e-3", sp.Rational(1, 1000)),
    ("pi/4", sp.pi / 4), (3, sp.Integer(3)), (Fraction(2, 7), sp.Rational(2, 7)),
    (1.9, sp.Rational(19, 10)), (0.25, sp.Rational(1, 4)), (Decimal("2.50"), sp.Rational(5, 2)),
    (np.float64(0.5), sp.Rational(1, 2)), (np.int32(-4), sp.Integer(-4)),
    (fmpq(3, 8), sp.Rational(3, 8)), (mpmath.mpf(0.375), sp.Rational(3, 8)),
    (sp.Float(0.5), sp.Rational(1, 2)), (sp.sqrt(2), sp.sqrt(2)),
])
def test_convert_reads_every_number_type_exactly(value, expected):
    assert numbers.convert(value) == expected


@pytest.mark.parametrize("value", [
    True, None, [1], {"a": 1}, "x", "1/0", "nan", float("nan"), float("inf"),
    mpmath.mpf("inf"), Decimal("NaN"), sp.Symbol("t"), sp.I, sp.oo, "9**9**9", 10**1000,
    "1e400000", "__import__('os').getcwd()", object(),
])
def test_convert_refuses_what_is_not_a_finite_real_number(value):
    with pytest.raises(InputError):
        numbers.convert(value, "value")


def test_number_views():
    assert numbers.to_fraction("0.125") == Fraction(1, 8)
    assert numbers.to_fmpq("-3/4") == fmpq(-3, 4)
    assert numbers.to_float("1/4") == 0.25
    with mpmath.workdps(30):
        assert numbers.to_mpf("1/3") == mpmath.mpf(1) / 3
    with pytest.raises(InputError, match="float64 range"):
        numbers.to_float("1e400")
    with pytest.raises(InputError, match="rational"):
        numbers.to_rational("sqrt(2)")
    with pytest.raises(InputError, match="positive"):
        numbers.positive("-1")


def test_to_expr_refuses_containers_instead_of_evaluating_them():
    marker = "__import__('os').system('true')"
    for value in ([marker], (marker,), {marker: 1}, object()):
        with pytest.raises(InputError):
            to_expr(value, "x")
    assert to_expr(x**2 / 2, "x") == x**2 / 2
    with pytest.raises(InputError, match="MAX_EXPONENT"):
        to_expr(x**(10**10), "x")
