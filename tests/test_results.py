"""Result objects: exact JSON round trips, the readable JSON form and its schema, value
equality, pickling, display, enclosures."""
import json
import math
import pickle
from fractions import Fraction

import mpmath
import numpy as np
import jsonschema
import pytest
import sympy as sp
from flint import acb, arb
from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory.claims import ClaimRecord, Evidence
from lrtheory.falsify import FalsifyReport, Outcome, Tightness, falsify
from lrtheory.results import (Ball, ComplexBall, Opaque, Result, decode, encode, json_schema,
                              readable_real, result)


@result
class Sample(Result):
    """A result used only by these tests."""

    value: object = None
    items: tuple = ()


def roundtrip(r):
    text = json.dumps(r.to_json(exact=True), allow_nan=False)  # valid JSON: no NaN/Infinity
    back = type(r).from_json(text)
    assert back == r and hash(back) == hash(r)
    assert pickle.loads(pickle.dumps(r)) == r
    readable(r)
    return back


def readable(r):
    """The readable form is valid JSON, has no integer beyond 2**53 and no tagged number,
    matches the schema of its type, and reads back as an object of the same type."""
    doc = r.to_json()
    text = json.dumps(doc, allow_nan=False)
    assert '"man"' not in text and '"tree"' not in text and '"type": "mpf"' not in text
    assert all(abs(v) <= 2**53 for v in _json_ints(doc))
    jsonschema.validate(doc, json_schema(type(r)))
    assert type(type(r).from_json(text, exact=False)) is type(r)
    return doc


def _json_ints(v):
    if isinstance(v, bool):
        return
    if isinstance(v, int):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from _json_ints(x)
    elif isinstance(v, list):
        for x in v:
            yield from _json_ints(x)


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
    text = json.dumps(r.to_json(exact=True), allow_nan=False)
    assert Sample.from_json(text) == r
    assert Sample(value=1.0) != Sample(value=1.0 + 2 ** -52)
    assert r.to_json()["value"] == ["nan", "inf", "-inf", 0.1]


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


# ---- the readable form ---------------------------------------------------------------
def test_readable_numbers_follow_float64():
    """A JSON number where float64 holds the value exactly, else a decimal string that
    rounds back to it at its precision; exact numbers carry their exact text."""
    assert readable_real(mpmath.mpf(0.5)) == 0.5 and readable_real(2**53) == 2**53
    assert readable_real(2**53 + 1) == "9007199254740993"
    with mpmath.workprec(200):
        third = mpmath.mpf(1) / 3
        text = readable_real(third)
        assert isinstance(text, str) and len(text) > 55
        assert mpmath.mpf(text) == third  # round trip at its 200 bits
    assert encode(Fraction(19, 10), exact=False) == {"value": 1.9, "exact": "19/10"}
    assert encode(sp.Rational(19, 10), exact=False) == {"value": 1.9, "exact": "19/10"}
    assert encode(sp.sqrt(2), exact=False) == {"value": math.sqrt(2), "exact": "sqrt(2)"}
    assert encode((1 - x * y) ** 2 / 2, exact=False) == "(-x*y + 1)**2/2"
    assert decode(encode(sp.Rational(19, 10), exact=False), readable=True) == sp.Rational(19, 10)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(arbs)
def test_readable_ball_reads_back_as_an_enclosure_of_the_original(a):
    b = Ball.from_arb(a)
    doc = b.to_json()
    assert set(doc) == {"type", "mid", "rad"} and isinstance(doc["mid"], str)
    back = Ball.from_json(json.dumps(doc))
    assert back.to_arb().contains(a)  # decimal rounding went into the radius
    # the radius grew by at most its rounding up to 3 digits (< 1 %), the 30-bit radius of
    # python-flint (2**-29) and the decimal rounding of the midpoint (17+ digits)
    assert back.radius <= b.radius * (1 + 1e-2 + 2**-28) + abs(b.mid) * 1e-16 + 1e-300


def test_readable_arrays_and_mpf_fields_read_back_by_annotation():
    from lrtheory.gd import GDRun  # numpy fields
    r = Sample(value=np.array([[1.0, 2.5], [3.0, math.nan]]))
    assert r.to_json()["value"] == [[1.0, 2.5], [3.0, "nan"]]

    @result
    class Precise(Result):
        """A result used only by these tests."""

        x: mpmath.mpf = mpmath.mpf(0)
        xs: np.ndarray = None

    with mpmath.workprec(120):
        p = Precise(mpmath.mpf(2).sqrt(), np.arange(3.0))
        back = Precise.from_json(json.dumps(p.to_json()), exact=False)
        assert back.x == p.x and isinstance(back.xs, np.ndarray)
        assert back.xs.tolist() == [0.0, 1.0, 2.0]
    assert GDRun is not None


def test_html_caption_is_a_sentence_without_rest_markup():
    @result
    class Described(Result):
        """The :class:`~lrtheory.results.Ball` enclosure of ``x`` at step
        :func:`lrtheory.gd.run_gd` reaches. A second sentence.

        Details not shown."""

        x: int = 0

    caption = Described()._repr_html_().split("<caption", 1)[1].split("</caption>")[0]
    assert "The Ball enclosure of <code>x</code> at step run_gd reaches." in caption
    assert ":class:" not in caption and "``" not in caption and "second" not in caption


def test_readable_ball_with_a_large_exponent_is_written_and_read_quickly():
    b = Ball(3, 10**6, 5, 10**6 - 40)  # 3·2^(10^6) ± 5·2^(10^6 − 40)
    doc = b.to_json()
    # 3·2^(10^6) = 2.9703…·10^301030 (log10(3) + 10^6·log10(2) = 301030.47…)
    assert doc["mid"].startswith("2.97") and doc["mid"].endswith("e+301030")
    back = Ball.from_json(doc)
    assert back.to_arb().contains(b.to_arb())
