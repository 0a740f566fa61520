"""The pytest plugin: each project claim is a test item that fails on a check error, on a
refutation the claim does not expect, on a drift from the project baseline and on an
unexpected verdict; options record the baseline and select claims.  Run with pytester in
a scratch project."""
from __future__ import annotations

import json
import textwrap
from importlib.metadata import entry_points

import pytest

pytest_plugins = ["pytester"]

PYPROJECT = """
[tool.lrtheory]
title = "Plugin test"
authors = ["A. Author"]
claims = ["claims"]

[tool.lrtheory.sources.mine]
authors = ["A. Author"]
title = "Plugin test"
year = 2025
"""

FOLD = """
[[claim]]
id = "P-1"
title = "Period-3 window"
statement = "A fold of period 3 at $h = \\\\sqrt{2}$."
kind = "bifurcation"
objective = "x**3/3 - x"
vars = "x"
lr_range = ["1.3", "1.5"]
type = "fold"
period = 3
value = "sqrt(2)"
"""

PYTHON = '''
from lrtheory.claims import Evidence, claim


@claim("Q-1", title="Exact arithmetic", statement="$2^{10} = 1024$")
def power(ctx):
    ev = Evidence()
    ev.exact("value", 2**10)
    ev.finding("2^10 = 1024", "proved" if 2**10 == 1024 else "refuted", "exact")
    return ev
'''

TESTS = """
from lrtheory.pytest_plugin import claim_tests

test_claims = claim_tests()
"""


@pytest.fixture(scope="module", autouse=True)
def _modules_of_the_inner_runs(tmp_path_factory):
    """Verify the scratch project once in this process before any in-process pytest run.

    pytester restores ``sys.modules`` after each inner run: a module first imported there
    would be dropped and imported again by the next run (or by a later test file), so two
    copies of its classes would meet (``isinstance`` fails on a key number) and an
    extension module would refuse to load twice.  Importing them here first keeps them."""
    import numpy.fft  # noqa: F401  (extension modules the inner runs import through
    import scipy.optimize  # noqa: F401  the plugins pytest loads; loaded twice they fail)
    import scipy.stats  # noqa: F401

    import lrtheory.pytest_plugin  # noqa: F401
    from lrtheory.cli import main
    root = tmp_path_factory.mktemp("warm")
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "claims").mkdir()
    (root / "claims" / "window.toml").write_text(textwrap.dedent(FOLD))
    (root / "claims" / "arith.py").write_text(textwrap.dedent(PYTHON))
    assert main(["verify", "--config", str(root / "pyproject.toml"), "--quick",
                 "--json", str(root / "out" / "results.json")]) == 0


@pytest.fixture
def paper(pytester):
    pytester.makefile(".toml", pyproject=PYPROJECT)
    claims = pytester.mkdir("claims")
    (claims / "window.toml").write_text(textwrap.dedent(FOLD))
    (claims / "arith.py").write_text(textwrap.dedent(PYTHON))
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_claims.py").write_text(textwrap.dedent(TESTS))
    return pytester


def baseline(pytester) -> dict:
    return json.loads((pytester.path / "lrtheory-baseline.json").read_text())


def test_the_plugin_is_a_pytest11_entry_point():
    eps = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert eps.get("lrtheory") == "lrtheory.pytest_shim"


def test_each_claim_is_an_item_and_missing_baseline_entries_warn(paper):
    result = paper.runpytest("-v")
    result.assert_outcomes(passed=2, warnings=2)
    result.stdout.fnmatch_lines(["*test_claims.py::test_claims::P-1 PASSED*",
                                 "*test_claims.py::test_claims::Q-1 PASSED*",
                                 "*P-1 is not in the full section of the baseline*"])


def test_update_then_compare_then_catch_a_drift(paper):
    paper.runpytest("--lrtheory-update-baseline").assert_outcomes(passed=2)
    data = baseline(paper)
    assert data["modes"]["full"]["claims"]["P-1"]["verdict"] == "proved"
    assert data["modes"]["full"]["claims"]["Q-1"]["numbers"]["value"]["value"] == 1024
    paper.runpytest().assert_outcomes(passed=2)
    window = paper.path / "claims" / "window.toml"
    window.write_text(window.read_text().replace('value = "sqrt(2)"', 'value = "3/2"'))
    result = paper.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*P-1: verdict 'refuted' (declare expected = *",
                                 "*P-1: drift from the baseline: *verdict: expected proved, "
                                 "got refuted*", "*[[]refuted[]] Refuted: the stated value*"])


def test_a_drifted_number_fails(paper):
    paper.runpytest("--lrtheory-update-baseline").assert_outcomes(passed=2)
    data = baseline(paper)
    data["modes"]["full"]["claims"]["Q-1"]["numbers"]["value"]["exact"] = "1000"
    (paper.path / "lrtheory-baseline.json").write_text(json.dumps(data))
    result = paper.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*Q-1 number 'value': expected 1000, got 1024*"])


def test_an_unexpected_verdict_fails_and_an_expected_refutation_passes(paper):
    window = paper.path / "claims" / "window.toml"
    window.write_text(window.read_text() + 'expected = "refuted"\n')
    result = paper.runpytest()
    result.assert_outcomes(passed=1, failed=1, warnings=2)
    result.stdout.fnmatch_lines(["*P-1: verdict 'proved', the claim expects refuted*"])
    window.write_text(window.read_text().replace('value = "sqrt(2)"', 'value = "3/2"'))
    paper.runpytest().assert_outcomes(passed=2, warnings=2)


def test_a_check_that_raises_fails_with_its_error(paper):
    (paper.path / "claims" / "boom.py").write_text(textwrap.dedent('''
        from lrtheory.claims import claim

        @claim("B-1", title="boom", statement="$x$")
        def boom(ctx):
            raise RuntimeError("deliberate failure")
    '''))
    result = paper.runpytest()
    result.assert_outcomes(passed=2, failed=1, warnings=2)
    result.stdout.fnmatch_lines(["*B-1: the check raised RuntimeError: deliberate failure*"])


def test_claims_are_selected_by_option_and_by_keyword(paper):
    paper.runpytest("--lrtheory-claims", "Q").assert_outcomes(passed=1, warnings=1)
    paper.runpytest("-k", "P-1").assert_outcomes(passed=1, deselected=1, warnings=1)
    result = paper.runpytest("--lrtheory-claims", "NOPE")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown claim IDs: NOPE*"])


def test_the_quick_section_is_used_with_the_quick_option(paper):
    paper.runpytest("--lrtheory-update-baseline", "--lrtheory-quick").assert_outcomes(passed=2)
    assert set(baseline(paper)["modes"]) == {"quick"}
    paper.runpytest("--lrtheory-quick").assert_outcomes(passed=2)


def test_a_bad_claims_file_is_a_collection_error_naming_file_and_key(paper):
    window = paper.path / "claims" / "window.toml"
    window.write_text(window.read_text().replace("lr_range", "lr_rang"))
    result = paper.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*window.toml*claim 'P-1'*'lr_rang'*did you mean 'lr_range'*"])


def test_without_the_plugin_the_claims_test_fails_loudly(paper):
    result = paper.runpytest("-p", "no:lrtheory")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the lrtheory pytest plugin is not active*"])


def test_a_refuted_claim_fails_unless_it_expects_refutation(paper):
    # x^2 - x has its minimum -1/4 at x = 1/2, so "x^2 - x >= 0 on [0, 1]" is false
    (paper.path / "claims" / "false.toml").write_text(textwrap.dedent("""
        [[claim]]
        id = "F-1"
        title = "A false inequality"
        statement = "$x^2 - x$ is nonnegative on $[0, 1]$."
        source = "mine"
        kind = "inequality"
        lhs = "x**2 - x"
        rhs = "0"
        vars = "x"
        box = ["0", "1"]
        relation = ">="
    """))
    result = paper.runpytest("--lrtheory-claims", "F")
    result.assert_outcomes(failed=1, warnings=1)
    result.stdout.fnmatch_lines(["*F-1: verdict 'refuted' (declare expected*",
                                 "*[[]refuted[]] Counterexample at x = *"])
    false = paper.path / "claims" / "false.toml"
    false.write_text(false.read_text() + 'expected = "refuted"\n')
    paper.runpytest("--lrtheory-claims", "F").assert_outcomes(passed=1, warnings=1)
