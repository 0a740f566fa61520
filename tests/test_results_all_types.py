"""Every registered result type round-trips through exact JSON and pickle, and writes
readable JSON that reads back, property-tested.

The JSON layer is generic (``lrtheory.results.encode``/``decode``), so each type is built
from arbitrary field values of the kinds a result may hold; a type whose constructor
validates its fields (``__post_init__``) and refuses such values is exercised through
values it accepts, drawn the same way."""
import dataclasses
import importlib
import json
import pickle
import pkgutil
from pathlib import Path

import jsonschema
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lrtheory
from lrtheory.results import RESULT_TYPES

from test_results import values  # the field-value strategy of the generic tests

#: Valid values of required fields for types whose constructors validate them.
_x = sp.Symbol("x", real=True)
_exp = st.integers(-4096, 4096)
REQUIRED = {"Ball": {"mid_man": st.integers(-2**200, 2**200), "mid_exp": _exp,
                     "rad_man": st.integers(0, 2**30), "rad_exp": _exp,
                     "special": st.sampled_from(["", "nan", "unbounded"])},
            # the ends of an interval are sympy Rationals (or None), by its contract
            "Interval": {end: st.one_of(st.none(), st.builds(
                sp.Rational, st.integers(-2**70, 2**70), st.integers(1, 2**70)))
                for end in ("lo", "hi")},
            "Finding": {"verdict": st.sampled_from(["proved", "confirmed", "refuted",
                                                    "inconclusive"])},
            "ModifiedEquation": {"objective": st.sampled_from([_x**2 / 2, _x**4 / 4 - _x**2]),
                                 "variables": st.just((_x,)),
                                 "order": st.integers(0, 3)}}


#: Types whose constructors need values only the exact form keeps (sympy symbols).
NOT_REBUILT_FROM_READABLE = {"ModifiedEquation"}


def field_values(cls, f):
    """Arbitrary values, or the field's own default (valid for validating constructors)."""
    if f.name in REQUIRED.get(cls.__name__, {}):
        return REQUIRED[cls.__name__][f.name]
    if f.default is not dataclasses.MISSING:
        return st.one_of(st.just(f.default), values)
    if f.default_factory is not dataclasses.MISSING:
        return st.one_of(st.builds(f.default_factory), values)
    return values


def _import_everything():
    for pkg in (lrtheory, importlib.import_module("proofs_checks")):
        for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if "pytest" not in m.name and not m.name.endswith("__main__"):
                importlib.import_module(m.name)


def _exact_encodings(doc):
    """The exact-only encodings (an mpf's mantissa and exponent, a sympy tree) in a
    parsed JSON document; a user's own dict key named ``man`` or ``tree`` is not one."""
    if isinstance(doc, list):
        return [e for item in doc for e in _exact_encodings(item)]
    if not isinstance(doc, dict):
        return []
    here = [doc] if (doc.get("type") == "mpf" and "man" in doc) or \
        (doc.get("type") == "sympy" and "tree" in doc) else []
    return here + [e for v in doc.values() for e in _exact_encodings(v)]


_import_everything()
EXACT_FORM = jsonschema.Draft202012Validator(json.loads(
    (Path(lrtheory.__file__).parent / "schemas" / "ExactForm.json").read_text()))
TYPES = sorted(RESULT_TYPES.items())


def test_every_result_module_registered_its_types():
    assert len(TYPES) >= 60
    for name, cls in TYPES:
        assert cls.__doc__ and cls.__doc__.strip(), f"{name} has no docstring"


@pytest.mark.parametrize("name,cls", TYPES, ids=[n for n, _ in TYPES])
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_roundtrip_of_every_type(name, cls, data):
    kwargs = {f.name: data.draw(field_values(cls, f), label=f.name)
              for f in dataclasses.fields(cls)}
    try:
        r = cls(**kwargs)
        r.to_json()
    except Exception:  # a validating constructor refused these values
        assume(False)
    text = json.dumps(r.to_json(exact=True), allow_nan=False)
    back = cls.from_json(text, exact=True)
    assert back == r and hash(back) == hash(r)
    assert pickle.loads(pickle.dumps(r)) == r
    # the readable form is valid JSON and reads back as the same type
    readable = json.dumps(r.to_json(), allow_nan=False)
    assert not _exact_encodings(json.loads(readable))
    if name in NOT_REBUILT_FROM_READABLE:
        with pytest.raises(ValueError, match="exact=True"):
            cls.from_json(readable, exact=False)
    else:
        assert type(cls.from_json(readable, exact=False)) is cls
