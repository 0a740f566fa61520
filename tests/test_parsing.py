"""The restricted parser: good input parses exactly, bad input raises InputError."""
import pytest
import sympy as sp

from lrtheory.errors import InputError
from lrtheory.parsing import check_lr, parse_expression, parse_number, parse_variables

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
    ("__import__('os')", "unknown function '__import__'"),
    ("x.__class__", "Attribute"),
    ("(x).real", "Attribute"),
    ("x[0]", "Subscript"),
    ("lambda: x", "Lambda"),
    ("x + z", "unknown name 'z'"),
    ("foo(x)", "unknown function 'foo'"),
    ("x +", "malformed"),
    ("", "empty"),
    ("sqrt(-1)*x", "not a finite real"),
    ("x/0", "not a finite real"),
    ("'abc'", "non-numeric literal"),
    ("sin(x, y)", "exactly one argument"),
    ("exp(x=1)", "exactly one argument"),
    ("[x, y]", "not allowed"),
    ("x if y else 1", "not allowed"),
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
