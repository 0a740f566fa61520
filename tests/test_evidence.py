"""Evidence is a result: typed key numbers in one JSON shape, the verdict enum, the JSON
round trip, the library result kept inside, the one judge, and baselines in the older
shape of key numbers still compared."""
from __future__ import annotations

import json
from fractions import Fraction

import jsonschema
import mpmath
import pytest
import sympy as sp
from flint import arb

from lrtheory import baseline as bl
from lrtheory.claims import CheckContext, Claim, ClaimRecord, Evidence, run_claim
from lrtheory.claims.evidence import (BallNumber, ExactNumber, FloatNumber, Verdict,
                                      key_number)
from lrtheory.claims.judge import judge
from lrtheory.results import Ball, json_schema


def sample_evidence() -> Evidence:
    ev = Evidence(precision="60 digits", tolerance="rel 1e-9")
    ev.exact("rate", Fraction(19, 10), "the rational")
    ev.ball("root", arb(2).sqrt(), "sqrt(2)")
    ev.approx("lyapunov", 0.6931471805599453, 1e-9, abs_tol=1e-12)
    ev.finding("an exact statement", "proved", "exact")
    ev.conclude()
    return ev


def test_key_numbers_have_one_shape():
    doc = sample_evidence().to_json()["numbers"]
    assert doc["rate"] == {"type": "ExactNumber", "kind": "exact", "value": 1.9,
                           "exact": "19/10", "note": "the rational"}
    assert set(doc["root"]) == {"type", "kind", "value", "mid", "rad", "note"}
    assert doc["root"]["kind"] == "ball" and isinstance(doc["root"]["mid"], str)
    # the enclosure read back contains sqrt(2), computed independently in mpmath
    with mpmath.workdps(60):
        lo = mpmath.mpf(doc["root"]["mid"]) - mpmath.mpf(doc["root"]["rad"])
        hi = mpmath.mpf(doc["root"]["mid"]) + mpmath.mpf(doc["root"]["rad"])
        assert lo <= mpmath.sqrt(2) <= hi
    assert doc["lyapunov"] == {"type": "FloatNumber", "kind": "float",
                               "value": 0.6931471805599453, "rel_tol": 1e-9,
                               "abs_tol": 1e-12, "note": ""}
    for entry in doc.values():
        jsonschema.validate(entry, json_schema(entry["type"]))


@pytest.mark.parametrize("value,exact,number", [
    (3, "3", 3), (Fraction(3, 20), "3/20", 0.15), (sp.Rational(-7, 2), "-7/2", -3.5),
    ("3/20", "3/20", 0.15), (sp.sqrt(2) / 2, "sqrt(2)/2", 0.7071067811865476),
    (True, "true", None), ("x = 2", "x = 2", None), (0.1, "0.1", 0.1),
    (2**60 + 1, str(2**60 + 1), str(2**60 + 1)),
])
def test_exact_numbers_keep_their_exact_text(value, exact, number):
    n = ExactNumber.of(value)
    assert (n.exact, n.value) == (exact, number)


def test_evidence_round_trips_through_json_readable_and_exact():
    ev = sample_evidence()
    text = json.dumps(ev.to_json(), allow_nan=False)
    back = Evidence.from_json(text)
    assert back == ev and back.verdict is Verdict.PROVED
    assert isinstance(back.numbers["root"], BallNumber)
    assert isinstance(back.numbers["lyapunov"], FloatNumber)
    assert back.numbers["rate"].exact == "19/10"
    assert Evidence.from_json(ev.to_json(exact=True), exact=True) == ev
    jsonschema.validate(json.loads(text), json_schema("Evidence"))


def test_the_verdict_is_a_string_enum():
    assert Verdict.PROVED == "proved" and json.dumps(Verdict.REFUTED) == '"refuted"'
    assert f"{Verdict.CONFIRMED}" == "confirmed" and str(Verdict.INCONCLUSIVE) == "inconclusive"
    ev = Evidence(verdict="refuted")
    assert ev.verdict is Verdict.REFUTED
    with pytest.raises(ValueError, match="unknown verdict"):
        Evidence(verdict="maybe")


def test_the_library_result_is_kept_and_serialised_by_its_own_to_json():
    ball = Ball.from_arb(arb(1) / 3)
    ev = Evidence().rests_on(ball)
    ev.finding("a third", "proved", "interval")
    doc = ev.to_json(exact=True)
    assert doc["result"] == ball.to_json(exact=True)
    assert Evidence.from_json(doc, exact=True).result == ball
    other = Evidence().rests_on(Ball.from_arb(arb(2)))
    ev.add(other)
    assert ev.result == (ball, Ball.from_arb(arb(2)))


_typed = Claim("EV-1", "a claim with typed numbers", "mine", "$x$",
               lambda ctx: sample_evidence())


def test_a_claim_record_holds_the_evidence_and_the_judge_reads_it():
    record = run_claim(_typed, CheckContext(quick=True))
    assert isinstance(record.evidence, Evidence) and record.verdict == "proved"
    entry = record.to_json()
    assert entry["evidence"]["numbers"]["rate"]["exact"] == "19/10"
    jsonschema.validate(entry, json_schema("ClaimRecord"))
    # the same judgement from the record and from its entry in a results document
    base = bl.claim_entry(record)
    assert judge(record, base).status == judge(entry, base).status == "ok"
    assert ClaimRecord.from_json(json.dumps(entry)).evidence == record.evidence


OLD_SHAPE = {"verdict": "proved", "numbers": {
    "rate": {"kind": "exact", "value": "19/10"},
    "root": {"kind": "ball", "value": "1.4142135623730950488016887", "radius": "1e-20"},
    "lyapunov": {"kind": "float", "value": 0.69314718, "rel_tol": 1e-6, "abs_tol": 0.0}}}


def test_a_baseline_in_the_older_shape_is_still_compared():
    record = run_claim(_typed, CheckContext(quick=True))
    assert judge(record, OLD_SHAPE).status == "ok"
    changed = json.loads(json.dumps(OLD_SHAPE))
    changed["numbers"]["rate"]["value"] = "2"
    changed["numbers"]["root"]["value"] = "1.4143"
    drifts = judge(record, changed).drifts
    assert len(drifts) == 2
    assert "rate': expected 2, got 19/10" in drifts[0]
    assert "do not overlap" in drifts[1]
    # an integer recorded by the older shape as a float is the same exact number
    assert bl.compare_claim("X", {"verdict": "proved", "numbers": {
        "n": {"kind": "exact", "value": 3.0}}}, _record_with(n=3)) == []
    assert bl.compare_claim("X", {"verdict": "proved", "numbers": {
        "n": {"kind": "exact", "value": 4}}}, _record_with(n=3))[0].what == "number"


def _record_with(**exact) -> dict:
    ev = Evidence(verdict="proved")
    for k, v in exact.items():
        ev.exact(k, v)
    return {"id": "X", "verdict": "proved", "evidence": ev.to_json()}


def test_key_number_reads_every_shape():
    assert key_number({"kind": "exact", "value": True}).exact == "true"
    assert key_number({"kind": "ball", "value": "1.5", "radius": "1e-3"}).rad == "1e-3"
    n = key_number({"kind": "ball", "value": 1.5, "mid": "1.5", "rad": "1e-3"})
    assert n.to_arb().contains(arb("1.5009"))


def test_a_baseline_made_from_typed_numbers_compares_with_its_run():
    record = run_claim(_typed, CheckContext(quick=True))
    doc = {"lrtheory": "0", "quick": True, "claims": [record.to_json()]}
    base = bl.make_baseline(doc)
    bl.validate(json.loads(json.dumps(dict(base))))
    entry = base["modes"]["quick"]["claims"]["EV-1"]["numbers"]
    assert entry["rate"] == {"kind": "exact", "value": 1.9, "exact": "19/10"}
    assert set(entry["root"]) == {"kind", "value", "mid", "rad"}
    assert bl.compare(doc, base) == []
    # a ball moved by more than the radii drifts; a float within its tolerance does not
    moved = sample_evidence()
    moved.ball("root", arb(2).sqrt() + arb("1e-10"))
    moved.approx("lyapunov", 0.6931471805599453 * (1 + 1e-10), 1e-9, abs_tol=1e-12)
    drifts = bl.compare_claim("EV-1", base["modes"]["quick"]["claims"]["EV-1"],
                              {"id": "EV-1", "verdict": "proved", "evidence": moved})
    assert [(d.what, d.name) for d in drifts] == [("number", "root")]


def test_findings_are_results_read_like_dicts_and_from_older_documents():
    import dataclasses
    import json

    import pytest

    from lrtheory.claims import Evidence, Finding
    ev = Evidence()
    ev.finding("x* = 0 attracts", "proved", "interval", "Krawczyk")
    f = ev.findings[0]
    assert isinstance(f, Finding) and f["verdict"] == f.verdict == "proved"
    assert list(f.keys()) == ["statement", "verdict", "method", "detail"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.verdict = "refuted"
    with pytest.raises(ValueError, match="unknown verdict"):
        ev.finding("s", "passed", "exact")
    doc = json.loads(json.dumps(ev.to_json()))
    assert doc["findings"][0] == {"type": "Finding", "statement": "x* = 0 attracts",
                                  "verdict": "proved", "method": "interval",
                                  "detail": "Krawczyk"}
    assert Evidence.from_json(json.dumps(doc)).findings == [f]
    # a results document written before findings carried their type tag
    del doc["findings"][0]["type"]
    assert Evidence.of(doc).findings == [f]
    with pytest.raises(ValueError, match="unknown fields"):
        Finding.of({"statement": "s", "verdict": "proved", "weight": 1})
