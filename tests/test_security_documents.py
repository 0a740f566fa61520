"""Validated documents: baselines, results files and the pytest plugin's baseline option
are checked against their schema before any work, so that a malformed document is one
line of bad input (exit 2) and never a run that reports "no drift" or a traceback."""
from __future__ import annotations

import copy
import json
import os
import textwrap
from pathlib import Path

import pytest

from cli_run import one_line_error, run_cli
from lrtheory import baseline as bl
from lrtheory.errors import InputError
from lrtheory.io import loads

pytest_plugins = ["pytester"]

GOOD = {"lrtheory_baseline": 1, "modes": {"quick": {"updated": "2026-01-01", "lrtheory": "0.1",
        "claims": {"Z-1": {"verdict": "proved", "numbers": {
            "x": {"kind": "float", "value": 1.008, "rel_tol": 1e-6, "abs_tol": 0.0},
            "b": {"kind": "ball", "value": "1.5", "radius": "1e-20"},
            "e": {"kind": "exact", "value": "3/4"}}}}}}}


def mutated(path: list, value):
    data = copy.deepcopy(GOOD)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


Z1 = ["modes", "quick", "claims", "Z-1"]
X = Z1 + ["numbers", "x"]


def test_the_good_baseline_passes():
    bl.validate(GOOD)


@pytest.mark.parametrize("path, value, said", [
    (X + ["rel_tol"], "1e999", "rel_tol must be a finite number >= 0"),
    (X + ["rel_tol"], "1e-6", "rel_tol must be a finite number >= 0"),
    (X + ["abs_tol"], float("inf"), "abs_tol must be a finite number >= 0"),
    (X + ["rel_tol"], True, "rel_tol must be a finite number >= 0"),
    (X + ["rel_tol"], 10 ** 400, "rel_tol must be a finite number >= 0"),
    (Z1 + ["numbers", "b", "radius"], "1e999", "radius must be a finite number >= 0"),
    (X + ["kind"], "fuzzy", "kind among exact, ball, float"),
    (X + ["value"], [1, 2], "value must be a number"),
    (X + ["extra"], 1, "unknown key 'extra'"),
    (Z1 + ["verdict"], "passed", "verdict must be one of"),
    (Z1 + ["numbers"], [1], "'numbers' must be a table"),
    (Z1, "proved", "must be a table with 'verdict'"),
    (["modes", "quick", "claims", "Z-1\n"], {"verdict": "proved"}, "invalid claim ID"),
    (["modes", "quick", "claims", "Z 1"], {"verdict": "proved"}, "invalid claim ID"),
    (["modes", "slow"], {"claims": {}}, "unknown mode \"slow\""),
    (["modes", "quick", "claims"], [], "must be a table with a 'claims' table"),
    (["lrtheory_baseline"], 7, "unknown format 7"),
    (["modes"], KeyError, "no 'modes' section"),
])
def test_a_malformed_baseline_is_named(path, value, said):
    with pytest.raises(InputError, match=said.replace("(", r"\(")):
        bl.validate(mutated(path, value))


def test_a_string_tolerance_beyond_floats_never_hides_a_drift(tmp_path):
    """A baseline of 12345 with rel_tol "1e999" must not say "no drift" against 1.008."""
    path = tmp_path / "b.json"
    path.write_text(json.dumps(mutated(X + ["rel_tol"], "1e999")).replace("1.008", "12345"))
    with pytest.raises(InputError, match=r"rel_tol must be a finite number >= 0, got "
                                         r"\"1e999\""):
        bl.load(path)


def test_json_keys_given_twice_and_lone_surrogates_are_refused():
    with pytest.raises(InputError, match="gives the key 'Z-1' twice"):
        loads('{"Z-1": 1, "Z-1": 2}')
    with pytest.raises(InputError, match="lone UTF-16 surrogate"):
        loads('{"claims": [{"id": "\\udc80"}]}')
    assert loads('{"a": "\\ud83d\\ude00"}') == {"a": "\U0001F600"}   # a pair is text


# ---- the CLI: validated before the run ----------------------------------------------------
MARKER_CLAIMS = '''
from pathlib import Path
from lrtheory.claims import Evidence, claim, source
source("m", authors=["A. Author"], title="t", year=2024)
@claim("M-1", title="t", statement="s", source="m")
def f(ctx):
    Path({marker!r}).write_text("ran")
    ev = Evidence()
    ev.finding("1 = 1", "proved", "exact")
    return ev
'''


@pytest.mark.parametrize("baseline, said", [
    (mutated(Z1 + ["verdict"], 5), "verdict must be one of"),
    (mutated(X + ["rel_tol"], "1e999"), "rel_tol must be a finite number"),
    ('{"modes": {"quick": {"claims": {"Z-1": 1, "Z-1": 2}}}}', "twice"),
])
def test_verify_refuses_a_malformed_baseline_before_running(tmp_path, baseline, said):
    marker = tmp_path / "marker"
    (tmp_path / "c.py").write_text(MARKER_CLAIMS.format(marker=str(marker)))
    (tmp_path / "b.json").write_text(baseline if isinstance(baseline, str)
                                     else json.dumps(baseline))
    line = one_line_error(run_cli("verify", "--quick", "--claims", "c.py", "--baseline",
                                  "b.json", "--json", "out/r.json", cwd=tmp_path))
    assert said in line
    assert not marker.exists()


def results_doc(*records) -> dict:
    return {"lrtheory": "0.1.0", "quick": True, "environment": {}, "claims": list(records)}


def rec(cid, figures=()) -> dict:
    return {"id": cid, "title": "t", "statement": "", "verdict": "proved",
            "evidence": {"figures": list(figures)}}


@pytest.mark.parametrize("doc, said", [
    (results_doc(rec("Z-1"), rec("Z-1\n")), "invalid ID 'Z-1\\n'"),
    (results_doc(rec("Z-1"), rec("Z-1")), "claim Z-1 appears twice"),
    (results_doc(rec("Z-1", [{"name": f"f{i}", "pdf": f"f{i}.pdf"} for i in range(3000)])),
     "3000 figure entries, more than the limit"),
    ('{"claims": [{"id": "\\ud800"}]}', "lone UTF-16 surrogate"),
])
def test_report_refuses_a_malformed_results_file_before_writing(tmp_path, doc, said):
    (tmp_path / "r.json").write_text(doc if isinstance(doc, str) else json.dumps(doc))
    line = one_line_error(run_cli("report", "--results", "r.json", "--out", "rep",
                                  "--no-pdf", cwd=tmp_path))
    assert said in line
    assert not (tmp_path / "rep" / "lrtheory-report.tex").exists()


def test_report_refuses_a_figure_folder_that_is_a_link(tmp_path):
    from lrtheory.report.figures import place_figures
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    (src / "figures" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "rep").mkdir()
    os.symlink(outside, tmp_path / "rep" / "figures")
    with pytest.raises(InputError, match="figure folder .* is a symbolic link"):
        place_figures(results_doc(rec("Z-1", [{"name": "a", "png": "figures/a.png"}])),
                      tmp_path / "rep", [src])
    assert list(outside.iterdir()) == []


# ---- the pytest plugin's baseline option ---------------------------------------------------
@pytest.fixture
def paper(pytester):
    pytester.makefile(".toml", pyproject='[tool.lrtheory]\nclaims = ["claims"]\n')
    (pytester.mkdir("claims") / "c.py").write_text(
        MARKER_CLAIMS.format(marker=str(pytester.path / "marker")))
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_claims.py").write_text(textwrap.dedent("""
        from lrtheory.pytest_plugin import claim_tests
        test_claims = claim_tests()
    """))
    return pytester


def _bad_baselines(root: Path) -> dict:
    (root / "folder.json").mkdir()
    os.mkfifo(root / "fifo.json")
    (root / "bad.json").write_text(json.dumps(mutated(X + ["rel_tol"], "1e999")))
    return {"missing.json": "no baseline at", "folder.json": "is not a regular file",
            "fifo.json": "is not a regular file", "/dev/zero": "is not a regular file",
            "bad.json": "rel_tol must be a finite number"}


def test_the_plugin_refuses_a_missing_or_irregular_baseline(paper):
    for name, said in _bad_baselines(paper.path).items():
        result = paper.runpytest("--lrtheory-baseline", name)
        result.assert_outcomes(errors=1)
        assert result.ret != 0
        result.stdout.fnmatch_lines([f"*lrtheory: *{said}*"])
        assert "Traceback" not in result.stdout.str()
        assert not (paper.path / "marker").exists()


def test_the_plugin_records_a_missing_baseline_only_when_asked(paper):
    paper.runpytest("--lrtheory-baseline", "new.json",
                    "--lrtheory-update-baseline").assert_outcomes(passed=1)
    assert bl.load(paper.path / "new.json")["modes"]["full"]["claims"]["M-1"]["verdict"] \
        == "proved"
    (paper.path / "folder.json").mkdir()
    paper.runpytest("--lrtheory-baseline", "folder.json",
                    "--lrtheory-update-baseline").assert_outcomes(errors=1)


# ---- bounded decoders ----------------------------------------------------------------------
@pytest.mark.parametrize("doc", [
    {"type": "mpf", "man": 3, "exp": 10 ** 18},
    {"type": "Ball", "mid_man": 1, "mid_exp": 10 ** 18, "rad_man": 1, "rad_exp": 0},
    {"type": "Ball", "mid_man": 1, "mid_exp": 0, "rad_man": 1, "rad_exp": -10 ** 18},
    {"type": "sympy", "text": "x", "tree": ["Add", ["Float", "3", "0", 10 ** 9],
                                            ["Integer", "1"]]},
    {"type": "sympy", "text": "x", "tree": ["Float", "3", str(10 ** 18), 53]},
])
def test_decoders_refuse_numbers_beyond_the_limits_before_building_them(doc):
    import time

    from lrtheory.results import decode
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="beyond the decoding limits"):
        decode(doc)
    assert time.perf_counter() - t0 < 1.0


def test_decoders_still_rebuild_numbers_within_the_limits():
    import mpmath

    from lrtheory.results import decode
    assert decode({"type": "mpf", "man": 3, "exp": -4}) == mpmath.mpf(3) / 16


def test_the_plugin_refuses_an_empty_baseline_option(paper):
    result = paper.runpytest("--lrtheory-baseline=")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*lrtheory: --lrtheory-baseline: empty path*"])
    assert not (paper.path / "marker").exists()
