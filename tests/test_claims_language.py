"""Claims written in the language: TOML claims of the new kinds and keys, `lrtheory list
--json` with each claim's kind, the one judge of verify and pytest, and the project that
`lrtheory init` writes (installable with a test extra that brings pytest)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lrtheory.claims import CheckContext, discover
from lrtheory.claims.judge import judge, judge_results
from lrtheory.claims.registry import claim_kind, kind_counts, kind_table
from lrtheory.cli import main
from lrtheory.errors import InputError

PYPROJECT = """
[tool.lrtheory]
title = "Language test"
authors = ["A. Author"]
claims = ["claims"]

[tool.lrtheory.sources.mine]
authors = ["A. Author"]
title = "Language test"
year = 2025
"""

# the superstable 2-cycle of GD on x^2/2 - x^3/3 at h = sqrt(5) (see test_expect_language),
# the limit sharpness 2 of (x^2 - 1)^2/4 at h = 1/2, and a false tolerance
TOML = r'''
[[claim]]
id = "L-1"
title = "Superstable 2-cycle"
statement = "GD on $x^2/2 - x^3/3$ at $h = \\sqrt5$ has a superstable 2-cycle."
kind = "periodic-orbit"
objective = "x**2/2 - x**3/3"
vars = "x"
lr = "sqrt(5)"
period = 2
multiplier = "0"

[[claim]]
id = "L-2"
title = "Edge of stability"
statement = "GD on $(x^2-1)^2/4$ at $h = 1/2$ converges to a point of sharpness at most $2/h$."
kind = "limit-sharpness"
objective = "(x**2 - 1)**2/4"
vars = "x"
starts = ["1/2"]
lr = "1/2"
at_most = "2/h"

[[claim]]
id = "L-3"
title = "Sharpness to four decimals"
statement = "The sharpness of $x^2$ is $2.001$ to three decimals."
kind = "sharpness"
objective = "x**2"
vars = "x"
at = ["0"]
equals = "2.001"
digits = 3
expected = "refuted"

[[claim]]
id = "L-4"
title = "Balance along GD"
statement = "$(x^2 - y^2)^2$ does not increase along GD on $(1 - xy)^2/2$ at $h = 1/10$."
kind = "monotone"
objective = "(1 - x*y)**2/2"
vars = "x,y"
quantity = "(x**2 - y**2)**2"
starts = [["1/2", "3/2"]]
lr = "1/10"
steps = 50
direction = "nonincreasing"
'''

PYTHON = '''
from lrtheory import expect
from lrtheory.claims import Evidence, claim


@claim("Q-1", title="An expectation", statement="$x^2$ has sharpness 2 at 0")
def sharp(ctx):
    """The one statement is an expectation."""
    return expect.sharpness("x**2", "x", at=["0"], equals="2")


@claim("Q-2", title="Two at once", statement="both")
def both(ctx):
    return expect.all_of(expect.sharpness("x**2", "x", at=["0"], equals="2"),
                         expect.sharpness("x**2", "x", at=["1"], equals="2"))


@claim("Q-3", title="A check of its own", statement="$2^{10} = 1024$")
def power(ctx):
    ev = Evidence()
    ev.finding("2^10 = 1024", "proved", "exact")
    return ev
'''


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "lang.toml").write_text(TOML)
    (tmp_path / "claims" / "mine.py").write_text(PYTHON)
    return tmp_path


def test_toml_claims_of_the_new_kinds(project):
    registry = discover(cwd=project)
    ctx = CheckContext()
    verdicts = {c.id: c.check(ctx).verdict for c in registry.claims() if c.id.startswith("L")}
    assert verdicts == {"L-1": "proved", "L-2": "proved", "L-3": "refuted", "L-4": "proved"}


def test_toml_tolerance_keys_are_checked(project):
    bad = TOML.replace('equals = "2.001"\ndigits = 3', 'equals = "2.001"\ndigits = "three"')
    (project / "claims" / "lang.toml").write_text(bad)
    with pytest.raises(InputError, match=r"claim 'L-3'.*key 'digits'.*integer"):
        discover(cwd=project)
    bad = TOML.replace('at_most = "2/h"', 'at_most = "2/h"\ndigit = 3')
    (project / "claims" / "lang.toml").write_text(bad)
    with pytest.raises(InputError, match=r"'digit'.*digits"):
        discover(cwd=project)


def test_list_json_names_each_claims_kind_and_file(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    kinds = {r["id"]: r["kind"] for r in rows}
    assert kinds == {"L-1": "periodic-orbit", "L-2": "limit-sharpness", "L-3": "sharpness",
                     "L-4": "monotone", "Q-1": "sharpness", "Q-2": "all-of",
                     "Q-3": "python"}
    assert all(set(r) == {"id", "title", "source", "kind", "file"} for r in rows)
    files = {r["id"]: r["file"] for r in rows}
    def line_of(text, at):
        return text[:text.index(at)].count("\n") + 1
    l2, q3 = line_of(TOML, 'id = "L-2"') - 1, line_of(PYTHON, '@claim("Q-3"')
    assert files["L-2"].endswith(f"lang.toml:{l2}") and files["Q-3"].endswith(f"mine.py:{q3}")
    assert rows[0]["source"].startswith("A. Author")
    # the kinds read from the text agree with those of the imported checks
    imported = discover(cwd=project)
    assert {c.id: claim_kind(c) for c in imported.claims()} == kinds
    assert kind_counts(imported.claims()) == {"sharpness": 2, "all-of": 1,
                                              "limit-sharpness": 1, "monotone": 1,
                                              "periodic-orbit": 1, "python": 1}


# ---- the judge ------------------------------------------------------------------------------
def entry(verdict, expected=(), numbers=None):
    return {"id": "J-1", "verdict": verdict, "expected": list(expected),
            "evidence": {"numbers": numbers or {}, "error": "ValueError: x"}}


def test_judge_rules():
    assert judge(entry("refuted")).status == "refuted"
    assert not judge(entry("refuted"), refuted_fails=False).failed
    assert judge(entry("refuted", ["refuted"])).status == "ok"
    j = judge(entry("proved", ["refuted"]), refuted_fails=False)
    assert j.failed and "expects refuted" in j.problems[0]
    assert judge(entry("error")).status == "error"
    assert judge(entry("inconclusive")).status == "ok"
    old = {"verdict": "proved", "numbers": {"n": {"value": 3, "kind": "exact"}}}
    j = judge(entry("proved", numbers={"n": {"value": 4, "kind": "exact"}}), old)
    assert j.status == "drift" and j.drifted and "expected 3, got 4" in j.drifts[0]
    assert judge(entry("proved"), None, compare=True).baselined is False
    assert judge(entry("proved")).baselined is None


def test_judge_results_names_missing_claims():
    results = {"quick": True, "claims": [entry("proved")]}
    base = {"modes": {"quick": {"claims": {"J-1": {"verdict": "proved", "numbers": {}},
                                           "J-2": {"verdict": "proved", "numbers": {}}}}}}
    judged, missing = judge_results(results, base)
    assert [j.status for j in judged] == ["ok"] and [d.claim for d in missing] == ["J-2"]
    assert judge_results(results, base, selected=["J-1"])[1] == []


def test_verify_fails_on_an_unexpected_verdict(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    toml = project / "claims" / "lang.toml"
    toml.write_text(TOML.replace('expected = "refuted"', 'expected = "proved"'))
    assert main(["verify", "L-3", "--json", str(project / "out" / "r.json")]) == 1
    assert "L-3: verdict 'refuted', the claim expects proved" in capsys.readouterr().err
    toml.write_text(TOML)
    assert main(["verify", "L-3", "--json", str(project / "out" / "r.json")]) == 0
    # a refutation the claim does not declare is a result for verify (pytest fails it)
    toml.write_text(TOML.replace('expected = "refuted"\n', ""))
    assert main(["verify", "L-3", "--json", str(project / "out" / "r.json")]) == 0


def test_kind_table_of_the_builtin_claims():
    claims = discover(cwd=Path("/")).claims()
    table = kind_table(claims)
    counts = kind_counts(claims)
    assert sum(counts.values()) == len(claims) and table.endswith(f"| total | {len(claims)} |\n")
    assert counts.get("all-of", 0) >= 11 and "| `all-of` |" in table


# ---- init -----------------------------------------------------------------------------------
def test_init_project_installs_with_a_test_extra(tmp_path, capsys):
    folder = tmp_path / "My Paper"
    assert main(["init", str(folder)]) == 0
    assert "pip install -e '.[test]'" in capsys.readouterr().err
    # setuptools reads the project's metadata: lrtheory, and pytest with the test extra
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()",
                    "egg_info", "--egg-base", str(tmp_path)], cwd=folder, check=True,
                   capture_output=True)
    requires = (tmp_path / "my_paper.egg-info" / "requires.txt").read_text()
    lines = [ln.strip() for ln in requires.splitlines() if ln.strip()]
    assert lines[0].startswith("lrtheory>=") and lines[1:] == ["[test]", "pytest>=7"]
    # the template returns expectations unevaluated: the one calling convention
    text = (folder / "claims" / "example.py").read_text()
    assert "return expect.gd_converges(" in text and ")(ctx)" not in text
