"""Result objects: exact JSON round trips, value equality, pickling, display, enclosures."""
import json
import math
import pickle
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import acb, arb
from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory.claims import ClaimRecord, Evidence
from lrtheory.falsify import FalsifyReport, Outcome, Tightness, falsify
from lrtheory.results import Ball, ComplexBall, Opaque, Result, decode, encode, result


@result
class Sample(Result):
    """A result used only by these tests."""

    value: object = None
    items: tuple = ()


def roundtrip(r):
    text = json.dumps(r.to_json(), allow_nan=False)  # valid JSON: no bare NaN/Infinity
    back = type(r).from_json(text)
    assert back == r and hash(back) == hash(r)
    assert pickle.loads(pickle.dumps(r)) == r
    return back


# ---- hypothesis strategies for field values ------------------------------------------
x, y = sp.symbols("x y", real=True)
floats = st.floats(allow_nan=True, allow_infinity=True)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40), floats,
                    st.text(max_size=20),
                    st.fractions().map(Fraction))
arbs = st.builds(lambda m, r, e: arb(m) * arb(2) ** e + arb(0, abs(r)),
                 st.floats(-1e6, 1e6), st.floats(0, 1e3), st.integers(-200, 200))
balls = arbs.map(Ball.from_arb)
mpfs = st.builds(lambda m, e: mpmath.mpf(m) * mpmath.mpf(2) ** e,
                 st.integers(-10**30, 10**30), st.integers(-300, 300))
exprs = st.builds(lambda a, b, k: a * x ** k + sp.Rational(b, 7) * sp.sin(y) - sp.sqrt(2) * sp.pi,
                  st.integers(-50, 50), st.integers(-50, 50), st.integers(0, 6))
arrays = st.lists(floats, min_size=0, max_size=12).map(lambda v: np.array(v, dtype=float))
leaves = st.one_of(scalars, balls, mpfs, exprs, arrays,
                   st.tuples(balls, balls).map(lambda p: ComplexBall(*p)))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4).map(tuple),
    st.dictionaries(st.text(max_size=8).filter(lambda k: k != "type"), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(values, st.lists(values, max_size=3).map(tuple))
def test_generic_result_roundtrips_exactly(value, items):
    roundtrip(Sample(value=value, items=items))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(arbs)
def test_ball_converts_to_arb_and_back_without_loss(a):
    b = Ball.from_arb(a)
    back = b.to_arb()
    assert Ball.from_arb(back) == b  # same midpoint and radius, bit for bit
    assert back.contains(a)
    roundtrip(b)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(arbs, arbs)
def test_complex_ball_roundtrip(re_, im_):
    z = acb(re_, im_)
    cb = ComplexBall.from_acb(z)
    assert cb.to_acb().contains(z) and ComplexBall.from_acb(cb.to_acb()) == cb
    roundtrip(cb)


def test_ball_exact_views_and_specials():
    b = Ball.from_arb(arb(1) / 3)
    assert b.contains(Fraction(1, 3)) and not b.contains("0.3334")
    assert b.lower < Fraction(1, 3) < b.upper and b.radius < 1e-15
    assert Ball.from_arb(arb.nan()).special == "nan"
    unbounded = Ball.from_arb(arb(0, arb.pos_inf()))
    assert unbounded.special == "unbounded" and unbounded.contains(10**100)
    assert unbounded.to_arb().contains(arb(10) ** 100)


def test_sympy_values_rebuild_structurally_without_evaluating_text():
    e = (1 - x * y) ** 2 / 2 + sp.Float("0.1", 30) * sp.tanh(x) + sp.E ** y
    back = decode(encode(e))
    assert sp.srepr(back) == sp.srepr(e)
    assert back.free_symbols == {x, y} and all(s.is_real for s in back.free_symbols)
    M = sp.Matrix([[x, 1], [sp.Rational(2, 3), y]])
    assert decode(encode(M)) == M
    # a tree naming something outside the fixed node set is refused, not evaluated
    with pytest.raises(ValueError):
        decode({"type": "sympy", "text": "", "tree": ["__import__", ["Integer", "1"]]})


def test_floats_and_nan_are_valid_json_and_compare_by_value():
    r = Sample(value=(math.nan, math.inf, -math.inf, 0.1))
    text = json.dumps(r.to_json(), allow_nan=False)
    assert Sample.from_json(text) == r
    assert Sample(value=1.0) != Sample(value=1.0 + 2 ** -52)


def test_unknown_fields_and_wrong_types_are_refused():
    with pytest.raises(ValueError):
        decode({"type": "Sample", "value": 1, "bogus": 2})
    with pytest.raises(TypeError):
        Ball.from_json(Sample(value=1).to_json())
    with pytest.raises(TypeError):
        Sample(value=object()).to_json()


def test_repr_and_html_are_readable():
    r = Sample(value=tuple(range(50)), items=(Ball.from_arb(arb(2).sqrt()),))
    text = repr(r)
    assert text.startswith("Sample(") and "50 × int" in text and "0x" not in text
    html = r._repr_html_()
    assert "<table>" in html and "Sample" in html


class Inst:
    """An instance type of a user's own, unknown to lrtheory."""

    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return f"Inst({self.v})"


def test_falsify_report_is_a_result_and_keeps_foreign_instances_as_opaque():
    rep = falsify(st.integers(0, 10 ** 6).map(Inst), lambda i: i.v < 1000, max_examples=200)
    assert rep.refuted and rep.counterexample.v == 1000  # the live object stays
    back = roundtrip(rep)
    assert isinstance(back.counterexample, Opaque) and back.counterexample.text == "Inst(1000)"
    assert back.outcome == Outcome(False, 1.0)
    t = Tightness(1, 2, rep, rep)
    assert roundtrip(t).sensitive is False


def test_claim_record_roundtrip():
    ev = Evidence()
    ev.exact("n", 3)
    ev.finding("a statement", "proved", "exact")
    ev.conclude()
    rec = ClaimRecord("X-1", "title", "src", "$x$", ("t",), "proved", "exact", ev.to_json(), 0.5)
    assert roundtrip(rec).verdict == "proved"
