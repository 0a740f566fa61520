"""Regression baselines: recording, drift detection per number kind, and the CLI contract
(`verify --baseline` exits 3 on drift, `--update-baseline` records deliberately)."""
from __future__ import annotations

import copy
import json

import pytest

from lrtheory import baseline as bl
from lrtheory.claims import Claim, Evidence
from lrtheory.cli import cmd_verify, main
from lrtheory.errors import InputError


def record(cid="BLOG-2", verdict="proved", x=0.5, mid="1.4142135623730950488", rad="1e-20",
           exact="3/4"):
    return {"id": cid, "title": "t", "source": "s", "statement": "", "tags": [],
            "verdict": verdict, "method": "exact", "seconds": 0.1, "evidence": {"numbers": {
                "n_exact": {"value": exact, "kind": "exact", "note": ""},
                "n_ball": {"value": mid, "radius": rad, "kind": "ball", "note": ""},
                "n_float": {"value": x, "kind": "float", "rel_tol": 1e-6, "abs_tol": 0.0,
                            "note": ""}}}}


def results(*records, quick=True):
    return {"lrtheory": "0.1.0", "quick": quick, "environment": {}, "claims": list(records)}


@pytest.fixture
def base():
    return bl.make_baseline(results(record(), record("EOS-1")))


def test_baseline_keeps_verdicts_numbers_and_their_tolerances(base):
    entry = base["modes"]["quick"]["claims"]["BLOG-2"]
    assert entry["verdict"] == "proved"
    # recorded in the one shape of key numbers, from a run written in the older one
    assert entry["numbers"]["n_exact"] == {"kind": "exact", "value": 0.75, "exact": "3/4"}
    assert entry["numbers"]["n_ball"] == {"kind": "ball", "value": 1.4142135623730951,
                                          "mid": "1.4142135623730950488", "rad": "1e-20"}
    assert entry["numbers"]["n_float"]["rel_tol"] == 1e-6
    assert "full" not in base["modes"]


def test_an_identical_run_has_no_drift(base):
    assert bl.compare(results(record(), record("EOS-1")), base) == []


def test_a_flipped_verdict_is_a_drift(base):
    drifts = bl.compare(results(record(verdict="refuted"), record("EOS-1")), base)
    assert [(d.claim, d.what, d.expected, d.actual) for d in drifts] == \
        [("BLOG-2", "verdict", "proved", "refuted")]
    assert "BLOG-2 verdict: expected proved, got refuted" in str(drifts[0])


def test_an_exact_number_must_be_equal(base):
    drifts = bl.compare(results(record(exact="4/5"), record("EOS-1")), base)
    assert [(d.name, d.expected, d.actual) for d in drifts] == [("n_exact", "3/4", "4/5")]


@pytest.mark.parametrize("x,drifts", [(0.5 * (1 + 5e-7), 0), (0.5 * (1 + 2e-6), 1)])
def test_a_float_is_compared_at_its_relative_tolerance(base, x, drifts):
    found = bl.compare(results(record(x=x), record("EOS-1")), base)
    assert len(found) == drifts
    if drifts:
        assert found[0].name == "n_float" and "exceeds rel_tol 1e-06" in found[0].by
        assert "relative 2.000e-06" in found[0].by


@pytest.mark.parametrize("mid,rad,drifts", [
    ("1.4142135623730950488", "1e-20", 0),      # the same enclosure
    ("1.4142135623730950489", "1e-19", 0),      # gap 1e-19 <= radii 1.1e-19: overlap
    ("1.4142135623730950489", "1e-20", 1),      # gap 1e-19 > radii 2e-20: disjoint
    ("1.41421356237309504880", "5e-21", 0),     # nested
    ("1.4142135623730950500", "1e-20", 1),      # gap 1.2e-18: disjoint
])
def test_balls_must_overlap(base, mid, rad, drifts):
    found = bl.compare(results(record(mid=mid, rad=rad), record("EOS-1")), base)
    assert [d.name for d in found] == ["n_ball"] * drifts


def test_ball_drift_message_says_by_how_much(base):
    found = bl.compare(results(record(mid="1.4142135623730950500"), record("EOS-1")), base)
    assert "do not overlap" in found[0].by and "1.200e-18" in found[0].by


def test_a_missing_number_or_a_changed_kind_is_a_drift(base):
    r = record()
    del r["evidence"]["numbers"]["n_exact"]
    r["evidence"]["numbers"]["n_float"]["kind"] = "exact"
    found = {(d.what, d.name) for d in bl.compare(results(r, record("EOS-1")), base)}
    assert found == {("missing number", "n_exact"), ("kind", "n_float")}


def test_a_baselined_claim_missing_from_a_run_that_selected_it_is_a_drift(base):
    run = results(record())
    assert [(d.claim, d.what) for d in bl.compare(run, base)] == [("EOS-1", "missing claim")]
    assert [(d.claim, d.what) for d in bl.compare(run, base, selected=["EOS"])] == \
        [("EOS-1", "missing claim")]
    assert bl.compare(run, base, selected=["BLOG-2"]) == []


def test_new_claims_are_not_drifts_but_are_listed(base):
    run = results(record(), record("EOS-1"), record("KT-1"))
    assert bl.compare(run, base) == [] and bl.uncovered(run, base) == ["KT-1"]


def test_modes_are_separate_sections(base):
    with pytest.raises(InputError, match="no 'full' section"):
        bl.compare(results(record(), quick=False), base)
    both = bl.make_baseline(results(record(x=7.0), quick=False), base)
    assert both["modes"]["quick"] == base["modes"]["quick"]
    assert both["modes"]["full"]["claims"]["BLOG-2"]["numbers"]["n_float"]["value"] == 7.0


def test_update_rewrites_only_the_claims_run_and_never_records_an_error(base):
    errored = {"id": "EOS-1", "verdict": "error", "evidence": {"error": "boom"}}
    new = bl.make_baseline(results(record(x=0.75), errored), base)
    claims = new["modes"]["quick"]["claims"]
    assert claims["BLOG-2"]["numbers"]["n_float"]["value"] == 0.75
    assert claims["EOS-1"] == base["modes"]["quick"]["claims"]["EOS-1"]
    assert base["modes"]["quick"]["claims"]["BLOG-2"]["numbers"]["n_float"]["value"] == 0.5


def test_an_errored_run_drifts_on_its_verdict_with_the_error(base):
    errored = {"id": "EOS-1", "verdict": "error", "evidence": {"error": "ValueError: boom"}}
    found = bl.compare(results(record(), errored), base)
    assert [(d.what, d.actual, d.by) for d in found] == [("verdict", "error", "ValueError: boom")]


def test_load_rejects_missing_and_malformed_files(tmp_path):
    with pytest.raises(InputError, match="--update-baseline"):
        bl.load(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{oops")
    with pytest.raises(InputError, match="not readable JSON"):
        bl.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text("[]")
    with pytest.raises(InputError, match="not an lrtheory baseline"):
        bl.load(tmp_path / "other.json")


def test_save_is_atomic(tmp_path, base, monkeypatch):
    path = tmp_path / "baseline.json"
    bl.save(base, path)
    before = path.read_bytes()

    def crash(*args):
        raise KeyboardInterrupt

    import lrtheory.io
    monkeypatch.setattr(lrtheory.io.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        bl.save(bl.make_baseline(results(record(x=9.0)), base), path)
    assert path.read_bytes() == before and bl.load(path) == base
    assert sorted(p.name for p in tmp_path.iterdir()) == [".baseline.json.lock", "baseline.json"]


# -- the CLI --------------------------------------------------------------------------------

STATE = {"verdict": "proved", "x": 0.5}


def fake_check(ctx):
    ev = Evidence(verdict=STATE["verdict"], method="exact")
    ev.exact("n_exact", "3/4")
    ev.approx("n_float", STATE["x"], rel_tol=1e-9)
    return ev


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """`lrtheory verify` on one deterministic claim, writing under tmp_path."""
    fake = Claim("BLOG-99", "fake claim", "test", "$x$", fake_check)
    monkeypatch.setattr(cmd_verify, "select", lambda ids: [fake])
    monkeypatch.setitem(STATE, "verdict", "proved")
    monkeypatch.setitem(STATE, "x", 0.5)
    paths = {"json": str(tmp_path / "r.json"), "baseline": str(tmp_path / "baseline.json")}

    def verify(*extra):
        return main(["verify", "--quick", "--json", paths["json"], *extra])
    verify.paths = paths
    return verify


def test_cli_update_then_compare_then_catch_tampering(cli, capsys):
    b = cli.paths["baseline"]
    assert cli("--baseline", b) == 2                              # no baseline yet
    assert "--update-baseline" in capsys.readouterr().err
    assert cli("--update-baseline", "--baseline", b) == 0
    assert cli("--baseline", b) == 0
    assert "no drift" in capsys.readouterr().err

    data = json.loads(open(b).read())
    tampered = copy.deepcopy(data)
    tampered["modes"]["quick"]["claims"]["BLOG-99"]["numbers"]["n_float"]["value"] = 0.6
    open(b, "w").write(json.dumps(tampered))
    assert cli("--baseline", b) == 3
    err = capsys.readouterr().err
    assert "drift: BLOG-99 number 'n_float': expected 0.6, got 0.5" in err
    assert "|difference| 1.000e-01" in err

    flipped = copy.deepcopy(data)
    flipped["modes"]["quick"]["claims"]["BLOG-99"]["verdict"] = "refuted"
    open(b, "w").write(json.dumps(flipped))
    assert cli("--baseline", b) == 3
    assert "drift: BLOG-99 verdict: expected refuted, got proved" in capsys.readouterr().err


def test_cli_catches_a_changed_result_and_update_accepts_it(cli, capsys, monkeypatch):
    b = cli.paths["baseline"]
    assert cli("--update-baseline", "--baseline", b) == 0
    monkeypatch.setitem(STATE, "verdict", "refuted")
    monkeypatch.setitem(STATE, "x", 0.5 + 1e-6)
    assert cli("--baseline", b) == 3
    err = capsys.readouterr().err
    assert "verdict: expected proved, got refuted" in err and "'n_float'" in err
    assert cli("--update-baseline", "--baseline", b) == 0
    assert cli("--baseline", b) == 0


def test_cli_writes_summary_beside_the_results(cli, tmp_path):
    assert cli() == 0
    md = (tmp_path / "SUMMARY.md").read_text()
    assert "| BLOG-99 | fake claim | proved | exact |" in md


def test_cli_fails_fast_on_a_baseline_without_this_mode(cli, capsys, monkeypatch):
    b = cli.paths["baseline"]
    bl.save(bl.make_baseline(results(record(), quick=False)), b)
    ran = []
    monkeypatch.setattr(cmd_verify, "run_claims", lambda *a, **k: ran.append(1))
    assert cli("--baseline", b) == 2 and not ran
    assert "no 'quick' section" in capsys.readouterr().err
