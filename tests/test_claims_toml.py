"""TOML claims files: the contract of the kinds, and every error an exit 2 that names the
file, the claim and the key (with the valid choices) — from the API and the CLI."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lrtheory.claims import discover
from lrtheory.claims.toml_claims import load_toml_file
from lrtheory.cli import main
from lrtheory.errors import InputError

SOURCE = """
[sources.mine]
authors = ["A. Author"]
title = "Large steps"
year = 2025
venue = "preprint"
doi = "10.1000/example"
"""

FOLD = """
[[claim]]
id = "P-1"
title = "Period-3 window"
statement = "GD on $x^3/3 - x$ has a fold of period 3 at $h = \\\\sqrt{2}$."
source = "mine"
kind = "bifurcation"
objective = "x**3/3 - x"
vars = "x"
lr_range = ["1.3", "1.5"]
type = "fold"
period = 3
value = "sqrt(2)"
"""

ORBIT = """
[[claim]]
id = "P-2"
title = "A repelling 2-cycle"
statement = "At $h = 3/2$ GD on $x^3/3 - x$ has a repelling orbit of period 2 in $[-2, 2]$."
source = "mine"
kind = "periodic-orbit"
objective = "x**3/3 - x"
vars = "x"
lr = "3/2"
period = 2
stable = false
box = ["-2", "2"]
"""

POTENTIAL = """
[[claim]]
id = "P-3"
title = "First-order modified potential"
statement = "For $f = x^4/4$, $f_1 = x^6/4$."
source = "mine"
kind = "modified-potential"
objective = "x**4/4"
vars = "x"
order = 1
equals = "x**6/4"
"""


def write(tmp_path: Path, body: str, name: str = "claims.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def test_the_three_kinds_of_the_contract_run(tmp_path):
    path = write(tmp_path, SOURCE + FOLD + ORBIT + POTENTIAL)
    registry = discover(claims=[str(path)], cwd=tmp_path)
    assert [c.id for c in registry.claims()] == ["P-1", "P-2", "P-3"]
    c = registry["P-1"]
    assert c.source == 'A. Author, "Large steps" (preprint, 2025)' and c.source_key == "mine"
    assert c.origin == f"{path.resolve()}:9"     # the line of its [[claim]] header
    verdicts = {c.id: c.check(None).conclude() for c in registry.claims()}
    assert verdicts == {"P-1": "proved", "P-2": "proved", "P-3": "proved"}


def test_expected_verdict_and_tags_are_read(tmp_path):
    path = write(tmp_path, SOURCE + FOLD.replace('value = "sqrt(2)"',
                                                 'value = "3/2"\nexpected = "refuted"\n'
                                                 'tags = ["window"]'))
    c = discover(claims=[str(path)], cwd=tmp_path)["P-1"]
    assert c.expected == ("refuted",) and c.tags == ("window",)


def test_throughout_takes_the_arguments_of_its_property(tmp_path):
    path = write(tmp_path, SOURCE + """
        [[claim]]
        id = "T-1"
        title = "An attracting 2-cycle on an interval"
        statement = "For every $h$ in $[1.05, 1.2]$ GD has an attracting 2-cycle."
        kind = "throughout"
        property = "periodic-orbit"
        lr_range = ["1.05", "1.2"]
        objective = "x**3/3 - x"
        vars = "x"
        period = 2
        stable = true
    """)
    c = discover(claims=[str(path)], cwd=tmp_path)["T-1"]
    assert c.source_key == "mine"          # the only source declared is the default
    assert c.check(None).conclude() == "proved"


ERRORS = [
    ("unknown kind", FOLD.replace('kind = "bifurcation"', 'kind = "bifurcaton"'),
     ["claim 'P-1'", "key 'kind'", "'bifurcaton'", "did you mean 'bifurcation'",
      "periodic-orbit"]),
    ("misspelled key", FOLD.replace("lr_range", "lr_rang"),
     ["claim 'P-1'", "'lr_rang'", "did you mean 'lr_range'"]),
    ("missing key", FOLD.replace('type = "fold"\n', ""),
     ["claim 'P-1'", "missing key 'type'", "required: objective, vars, lr_range, type"]),
    ("bad choice", FOLD.replace('type = "fold"', 'type = "flip"'),
     ["claim 'P-1'", "key 'type'", "'period-doubling', 'fold', 'neimark-sacker'"]),
    ("bad expression", FOLD.replace('objective = "x**3/3 - x"', 'objective = "x**3/3 -"'),
     ["claim 'P-1'", "key 'objective'"]),
    ("code in an expression", FOLD.replace('value = "sqrt(2)"',
                                           'value = "__import__(\'os\').getcwd()"'),
     ["claim 'P-1'", "key 'value'"]),
    ("bad number", FOLD.replace("period = 3", "period = 0"),
     ["claim 'P-1'", "key 'period'", "from 1 to 12"]),
    ("bad interval", FOLD.replace('["1.3", "1.5"]', '["1.5", "1.3"]'),
     ["claim 'P-1'", "key 'lr_range'", "A < B"]),
    ("bad id", FOLD.replace('id = "P-1"', 'id = "1-P"'), ["invalid claim ID '1-P'"]),
    ("bad expected", FOLD + 'expected = "true"\n', ["key 'expected'", "proved"]),
    ("undeclared source", FOLD.replace('source = "mine"', 'source = "yours"'),
     ["claim P-1", "'yours'", "declared: mine"]),
    ("top-level key", "[[claims]]\nid = \"P-1\"\n", ["unknown top-level key 'claims'",
                                                    "did you mean 'claim'"]),
    ("bad source table", SOURCE.replace("year = 2025", "yaer = 2025") + FOLD,
     ["source 'mine'", "unknown key 'yaer'", "authors, title, year"]),
    ("invalid TOML", FOLD.replace('period = 3', 'period = '), ["invalid TOML"]),
]


@pytest.mark.parametrize("body,needles", [(b, n) for _, b, n in ERRORS],
                         ids=[e[0] for e in ERRORS])
def test_errors_name_the_file_the_claim_and_the_key(tmp_path, body, needles):
    path = write(tmp_path, SOURCE + body if "sources.mine" not in body else body)
    with pytest.raises(InputError) as err:
        discover(claims=[str(path)], cwd=tmp_path)
    message = str(err.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize("command", ["list", "verify"])
def test_cli_exit_2_with_one_line(tmp_path, capsys, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, SOURCE + FOLD.replace("lr_range", "lr_rang"))
    assert main([command, "--claims", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert str(path) in err and "'lr_rang'" in err and "lr_range" in err


def test_list_checks_keys_without_reading_values(tmp_path):
    """`lrtheory list` reads a TOML file's keys only: a bad expression is reported by
    `verify` (exit 2), the listing still works."""
    path = write(tmp_path, SOURCE + FOLD.replace('value = "sqrt(2)"', 'value = "sqrt("'))
    specs, sources = load_toml_file(path, values=False)
    assert [s.id for s in specs] == ["P-1"] and specs[0].check is None
    assert [s.key for s in sources] == ["mine"]
    with pytest.raises(InputError, match="key 'value'"):
        load_toml_file(path, values=True)


def test_a_bibliography_declares_sources(tmp_path):
    (tmp_path / "refs.bib").write_text(textwrap.dedent("""
        @article{tw22,
          author = {Tao, Molei and Wang, Yuqing},
          title = {Fun facts about {large} learning rates},
          journal = {Blog},
          year = {2022},
          doi = {10.0000/x}
        }
        @comment{ignored}
    """))
    path = write(tmp_path, 'bibliography = "refs.bib"\n' +
                 FOLD.replace('source = "mine"', 'source = "tw22"'))
    c = discover(claims=[str(path)], cwd=tmp_path)["P-1"]
    assert c.reference.authors == ("Tao, Molei", "Wang, Yuqing")
    assert c.reference.title == "Fun facts about large learning rates"
    assert c.source == 'Tao, Molei & Wang, Yuqing, "Fun facts about large learning rates" ' \
                       '(Blog, 2022)'
    assert c.reference.doi == "10.0000/x"
