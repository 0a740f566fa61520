"""Fuzzing the restricted parser and the number coercion with hostile text.

Properties: parsing returns a bounded real expression in the declared variables or raises
InputError — nothing else — within a time bound; well-formed text parses to what an
independent parser (sympy's ``parse_expr``, on text generated here) reads; numbers are
converted exactly.  The same hostile search runs once more in a child interpreter under a
memory limit and the audit hook of test_security_entrypoints (no process, no exec of the
text, no file outside the test folder)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import (convert_xor, parse_expr, rationalize,
                                        standard_transformations)

from lrtheory import limits, numbers
from lrtheory.errors import InputError
from lrtheory.parsing import parse_expression, parse_number

X, Y = sp.symbols("x y", real=True)
#: Seconds one parse may take (limits are checked before the work, so this is generous).
TIME_BOUND = 2.0

TOKENS = ["x", "y", "z", "sin", "exp", "log", "sqrt", "asin", "pi", "E", "I", "oo", "nan",
          "__import__", "os", "system", "lambda", "exec", "eval", "open", "Symbol", "S",
          "__class__", "__globals__", "0", "1", "2", "9", "10", "1e400", "1e-999", ".5",
          "0.", "10**999", "**", "^", "*", "/", "+", "-", "(", ")", ",", ".", "[", "]", "'",
          '"', "#", ";", ":", "=", " ", "\n", "\t", "\x00", "\uff45", "\u00b2", "\u2212",
          "_", "j", "1_0", "0x1f", "@", "!", "~", "%", "&", "|", "<", ">", "{", "}",
          "PWNED_7c1e", "('PWNED_7c1e')"]  # the audit hook's marker: any exec of it is seen


def towers():
    return st.lists(st.integers(0, 30), min_size=2, max_size=6).map(
        lambda ks: "**".join(map(str, ks)) + "*x")


def big_numbers():
    return st.one_of(
        st.builds(lambda m, e: f"{m}e{e}*x", st.integers(0, 10**6), st.integers(-10**7, 10**7)),
        st.integers(0, 3000).map(lambda n: "7" * n + "*x"),
        st.builds(lambda b, k: f"{b}**{k}", st.integers(-50, 10**6), st.integers(-10**5, 10**5)),
        st.builds(lambda k: f"exp({k}*log(3))*x", st.integers(-10**6, 10**6)),
        st.builds(lambda k: f"x**({k})", st.integers(-10**6, 10**6)),
    )


def nestings():
    return st.builds(lambda n, w: w[0] * n + "x" + w[1] * n, st.integers(0, 400),
                     st.sampled_from([("(", ")"), ("sin(", ")"), ("-", ""), ("2**", ""),
                                      ("exp(", ")"), ("sqrt(", ")")]))


def hostile_text():
    """Arbitrary text, token soup, power towers, big numbers and deep nestings."""
    return st.one_of(st.text(max_size=120),
                     st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
                     towers(), big_numbers(), nestings())


def check_parse(text: str) -> None:
    """The property: an expression in x, y or InputError, within TIME_BOUND."""
    start = time.perf_counter()
    try:
        e = parse_expression(text, "x,y")
    except InputError:
        e = None
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BOUND, (text[:80], elapsed)
    if e is not None:
        assert isinstance(e, sp.Expr) and e.free_symbols <= {X, Y}
        assert not e.has(sp.I, sp.zoo, sp.nan, sp.oo)


@settings(max_examples=400, deadline=None)
@given(hostile_text())
def test_hostile_text_parses_or_raises_input_error_quickly(text):
    check_parse(text)


@settings(max_examples=200, deadline=None)
@given(hostile_text())
def test_hostile_numbers_convert_or_raise_input_error(text):
    start = time.perf_counter()
    try:
        v = parse_number(text)
        assert v.is_number and v.is_real
        numbers.to_float(v)
    except InputError:
        pass
    assert time.perf_counter() - start < TIME_BOUND


# -- well-formed text: compared with an independent parser -----------------------------------

def _leaf():
    return st.one_of(st.sampled_from(["x", "y", "pi", "E"]), st.integers(0, 999).map(str),
                     st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 99), st.integers(0, 99)),
                     st.builds(lambda a, e: f"{a}e{e}", st.integers(1, 9), st.integers(-3, 3)))


def _node(children):
    return st.one_of(
        st.builds(lambda a, b, op: f"({a} {op} {b})", children, children,
                  st.sampled_from(["+", "-", "*", "/"])),
        st.builds(lambda a, k, op: f"({a}){op}{k}", children, st.integers(-3, 4),
                  st.sampled_from(["**", "^"])),
        st.builds(lambda a: f"-{a}", children),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(["sin", "cos", "exp", "atan",
                                                            "tanh", "erf"]), children))


def well_formed():
    return st.recursive(_leaf(), _node, max_leaves=12)


def reference(text: str):
    """sympy's own parser on text generated by this test (never on user text)."""
    return parse_expr(text, local_dict={"x": X, "y": Y},
                      transformations=standard_transformations + (convert_xor, rationalize))


@settings(max_examples=300, deadline=None)
@given(well_formed())
def test_well_formed_text_reads_as_sympy_reads_it(text):
    ref = reference(text)
    if ref.has(sp.zoo, sp.nan, sp.oo, sp.I):
        with pytest.raises(InputError):
            parse_expression(text, "x,y")
        return
    try:
        mine = parse_expression(text, "x,y")
    except InputError as exc:            # only for a limit, never for well-formed text
        assert "limit" in str(exc), (text, str(exc))
        return
    assert mine == ref or sp.simplify(mine - ref) == 0, (text, mine, ref)


# -- numbers: exact and independent of sympy's own conversions -----------------------------

@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_read_as_the_decimal_they_print_as(f):
    v = numbers.convert(f)
    assert v == sp.Rational(Fraction(repr(f)))
    assert numbers.to_float(f) == f and float(Fraction(int(v.p), int(v.q))) == f


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: abs(d.adjusted()) < limits.MAX_INTEGER_DIGITS // 2
    and len(d.as_tuple().digits) < 400))
def test_decimal_text_is_exact(d):
    text = format(d, "e") if d else "0"
    expected = Fraction(Decimal(text))
    got = parse_number(text)
    assert Fraction(int(got.p), int(got.q)) == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(), st.integers(min_value=1))
def test_fractions_within_the_limit_are_exact_and_others_refused(p, q):
    fr = Fraction(p, q)
    small = max(abs(fr.numerator), fr.denominator) < 10 ** limits.MAX_INTEGER_DIGITS
    if small:
        assert numbers.to_fraction(fr) == fr
    else:
        with pytest.raises(InputError, match="MAX_INTEGER_DIGITS"):
            numbers.convert(fr)


# -- the same search in a child under a memory limit and the audit hook ----------------------

FUZZ_CHILD = r'''
import resource
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
sys.path.insert(0, TESTS)
import test_fuzz_parsing as fz
from hypothesis import given, settings, HealthCheck
sys.addaudithook(hook)

@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(fz.hostile_text())
def run(text):
    fz.check_parse(text)

run()
print(json.dumps({"violations": violations}))
'''


def test_hostile_search_runs_clean_under_audit_and_memory_limit(tmp_path):
    from test_security_entrypoints import HOOK, MARK, _roots
    tests = str(Path(__file__).resolve().parent)
    roots = _roots(tmp_path) + [tests]
    script = tmp_path / "fuzz_child.py"
    script.write_text(HOOK + f"TESTS = {tests!r}\nEXAMPLES = 1500\n" + FUZZ_CHILD)
    args = json.dumps([roots, MARK, str(tmp_path / "unused.json")])
    done = subprocess.run([sys.executable, str(script), args], capture_output=True,
                          text=True, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"violations": []}
