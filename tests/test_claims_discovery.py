"""Discovery: every way claims are found — `--claims` (a .py file, a .toml file, a folder, a
module name), a project's `[tool.lrtheory]` (found upward, or `--config`), installed
collections (entry points, the built-in one among them) — each honoured by `list`,
`verify` and `report`; a folder named like an installed module hides nothing."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lrtheory.claims import REGISTRY, Registry, discover
from lrtheory.cli import main
from lrtheory.errors import InputError

BUILTIN_PREFIXES = {"BLOG", "WCZT", "KT", "REG", "EOS"}

PY_CLAIMS = '''
from lrtheory import expect
from lrtheory.claims import Evidence, claim, source

source("notes", authors=["B. Writer"], title="Notes on steps", year=2024)


@claim("N-1", title="GD converges on x^2/2", statement=r"$x_k \\to 0$", source="notes")
def converges(ctx):
    return expect.gd_converges("x**2/2", "x", starts=["1"], lr="1/2", to="0")


@claim("n.2", title="A hand-written check", statement=r"$1 + 1 = 2$")
def arithmetic(ctx):
    ev = Evidence()
    ev.finding("1 + 1 = 2", "proved" if 1 + 1 == 2 else "refuted", "exact")
    return ev
'''

TOML_CLAIMS = '''
[sources.paper]
authors = ["C. Author"]
title = "The paper"
year = 2025

[[claim]]
id = "T-1"
title = "Hessian spectrum"
statement = "$\\\\nabla^2 f(1, 1)$ has eigenvalues $2$ and $0$."
source = "paper"
kind = "hessian-spectrum"
objective = "(1 - x*y)**2/2"
vars = "x,y"
at = ["1", "1"]
equals = ["2", "0"]
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def project(root: Path, section: str = "", claims=True) -> Path:
    write(root / "pyproject.toml", '[tool.lrtheory]\ntitle = "A paper"\nauthors = ["C. Author"]\n'
          'claims = ["claims"]\n' + section)
    if claims:
        write(root / "claims" / "steps.py", PY_CLAIMS)
        write(root / "claims" / "paper.toml", TOML_CLAIMS)
    return root


def cli(*argv, cwd: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lrtheory", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def ids(registry) -> list[str]:
    return [c.id for c in registry.claims()]


# ---- the four kinds of --claims location -------------------------------------------------------
def test_python_file(tmp_path):
    path = write(tmp_path / "steps.py", PY_CLAIMS)
    registry = discover(claims=[str(path)], cwd=tmp_path)
    assert ids(registry) == ["N-1", "n.2"]
    assert registry["N-1"].source == 'B. Writer, "Notes on steps" (2024)'
    assert registry["n.2"].source_key == "notes"     # the only source declared
    assert registry["N-1"].origin == f"{path.resolve()}:8"


def test_toml_file_folder_and_module(tmp_path, monkeypatch):
    write(tmp_path / "c" / "steps.py", PY_CLAIMS)
    write(tmp_path / "c" / "more" / "paper.toml", TOML_CLAIMS)
    write(tmp_path / "c" / "_helpers.py", "raise RuntimeError('never loaded')\n")
    assert ids(discover(claims=[str(tmp_path / "c" / "more" / "paper.toml")],
                        cwd=tmp_path)) == ["T-1"]
    # claims are ordered by their source (in the order the sources are declared: the
    # files in name order), then by ID
    assert ids(discover(claims=["c"], cwd=tmp_path)) == ["T-1", "N-1", "n.2"]
    pkg = tmp_path / "site" / "paperclaims"
    write(pkg / "__init__.py", "")
    write(pkg / "steps.py", PY_CLAIMS)
    write(pkg / "paper.toml", TOML_CLAIMS)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert set(ids(discover(claims=["paperclaims"], cwd=tmp_path))) == {"N-1", "n.2", "T-1"}


def test_cli_list_verify_and_report_honour_claims(tmp_path):
    path = write(tmp_path / "steps.py", PY_CLAIMS)
    p = cli("list", "--claims", str(path), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [
        'N-1\tGD converges on x^2/2\tB. Writer, "Notes on steps" (2024)',
        'n.2\tA hand-written check\tB. Writer, "Notes on steps" (2024)']
    p = cli("verify", "--claims", str(path), "--json", "out/r.json", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "out" / "r.json").read_text())
    assert [(c["id"], c["verdict"]) for c in doc["claims"]] == [("N-1", "proved"),
                                                                 ("n.2", "proved")]
    assert doc["sources"][0]["key"] == "notes"
    p = cli("report", "--results", "out/r.json", "--out", "rep", "--no-pdf", "--claims",
            str(path), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert r"\item[notes] B. Writer" in (tmp_path / "rep" / "lrtheory-report.tex").read_text()


# ---- projects -----------------------------------------------------------------------------------
def test_project_found_upward_and_by_config(tmp_path):
    root = project(tmp_path / "paper")
    below = root / "notes" / "deeper"
    below.mkdir(parents=True)
    registry = discover(cwd=below)
    assert ids(registry) == ["T-1", "N-1", "n.2"]
    assert registry.project.title == "A paper" and registry.project.root == str(root)
    assert registry.project.baseline == str(root / "lrtheory-baseline.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert ids(discover(cwd=elsewhere, config=root / "pyproject.toml")) == ids(registry)
    p = cli("list", "--config", str(root / "pyproject.toml"), cwd=elsewhere)
    assert [line.split("\t")[0] for line in p.stdout.splitlines()] == ids(registry)


def test_claims_replace_the_project_claims_but_keep_its_sources(tmp_path):
    root = project(tmp_path / "paper", '[tool.lrtheory.sources.extra]\nauthors = ["D"]\n'
                                       'title = "E"\nyear = 2020\n')
    other = write(tmp_path / "paper" / "other.toml", "[[claim]]" + TOML_CLAIMS.split(
        "[[claim]]")[1].replace('source = "paper"', 'source = "extra"'))
    registry = discover(claims=[str(other)], cwd=root)
    assert ids(registry) == ["T-1"] and registry["T-1"].source == 'D, "E" (2020)'


def test_builtins_outside_a_project_and_included_in_one(tmp_path):
    outside = discover(cwd=tmp_path)
    assert {c.prefix for c in outside.claims()} == BUILTIN_PREFIXES
    assert len(outside) >= 27 and "BLOG-1" in outside
    root = project(tmp_path / "paper")
    assert "BLOG-1" not in discover(cwd=root)
    write(root / "pyproject.toml", (root / "pyproject.toml").read_text()
          .replace('claims = ["claims"]', 'claims = ["claims"]\ninclude = ["lrtheory"]'))
    both = discover(cwd=root)
    assert ids(both)[:3] == ["T-1", "N-1", "n.2"] and "BLOG-1" in both and "EOS-2" in both
    static = discover(cwd=root, static=True)
    assert ids(static) == ids(both)
    assert [c.source for c in static.claims()] == [c.source for c in both.claims()]


def test_unknown_include_and_missing_location_are_bad_input(tmp_path):
    root = project(tmp_path / "paper", 'include = ["nothing-here"]\n')
    with pytest.raises(InputError, match="no installed claim collection 'nothing-here'"):
        discover(cwd=root)
    with pytest.raises(InputError, match="no claims file"):
        discover(claims=["missing.py"], cwd=tmp_path)
    with pytest.raises(InputError, match=r"unknown key 'claim' \(did you mean 'claims'\?\); valid keys: title"):
        write(root / "pyproject.toml", '[tool.lrtheory]\nclaim = ["claims"]\n')
        discover(cwd=root)


# ---- installed collections ----------------------------------------------------------------------
def make_distribution(site: Path) -> Path:
    """A package `stepclaims` installed in `site` with an entry point in lrtheory.claims."""
    write(site / "stepclaims" / "__init__.py", "")
    write(site / "stepclaims" / "claims.py", PY_CLAIMS.replace('"N-1"', '"STEP-1"')
          .replace('"n.2"', '"STEP-2"'))
    info = site / "stepclaims-1.0.dist-info"
    write(info / "METADATA", "Metadata-Version: 2.1\nName: stepclaims\nVersion: 1.0\n")
    write(info / "entry_points.txt", "[lrtheory.claims]\nsteps = stepclaims\n")
    return site


def test_an_installed_entry_point_is_discovered(tmp_path, monkeypatch):
    site = make_distribution(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    registry = discover(cwd=tmp_path)
    assert "STEP-1" in registry and "BLOG-1" in registry
    root = project(tmp_path / "paper", 'include = ["steps"]\n')
    assert ids(discover(cwd=root)) == ["T-1", "N-1", "n.2", "STEP-1", "STEP-2"]


def test_an_installed_entry_point_from_the_cli(tmp_path):
    site = make_distribution(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(site)}
    p = cli("list", cwd=tmp_path, env=env)
    assert p.returncode == 0, p.stderr
    listed = [line.split("\t")[0] for line in p.stdout.splitlines()]
    assert "STEP-1" in listed and "BLOG-1" in listed
    p = cli("verify", "STEP", "--json", "r.json", cwd=tmp_path, env=env)
    assert p.returncode == 0, p.stderr
    assert "STEP-1  proved" in p.stdout and "STEP-2  proved" in p.stdout


# ---- shadowing ------------------------------------------------------------------------------
def test_a_local_folder_named_like_the_builtin_package_hides_nothing(tmp_path):
    """`python -m lrtheory` puts the current folder first on the import path; a folder
    `proofs_checks/` there must not replace the built-in claims."""
    write(tmp_path / "proofs_checks" / "__init__.py", "")
    write(tmp_path / "proofs_checks" / "fake.py",
          'from lrtheory.claims import claim\n@claim("FAKE-1", title="t", statement="s")\n'
          "def f(ctx): ...\n")
    reference = discover(cwd=Path(__file__).parent)
    p = cli("list", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert [line.split("\t")[0] for line in p.stdout.splitlines()] == ids(reference)
    p = cli("verify", "BLOG-2", "--quick", "--json", "r.json", cwd=tmp_path)
    assert p.returncode == 0 and "BLOG-2  proved" in p.stdout, p.stderr
    root = project(tmp_path, 'include = ["lrtheory"]\n')
    p = cli("list", cwd=root)
    assert "FAKE-1" not in p.stdout and "BLOG-1" in p.stdout and "T-1" in p.stdout


def _installed_builtin_copy(site: Path) -> Path:
    """A copy of the built-in package installed in `site` as a wheel installs it: the files
    listed in the RECORD of a distribution that registers it as the entry point."""
    write(site / "proofs_checks" / "__init__.py",
          'from lrtheory.claims import claim, source\n'
          'source("copy", authors=["A. Author"], title="Copy", year=2024)\n'
          '@claim("COPY-1", title="t", statement="s", source="copy")\n'
          "def f(ctx): ...\n")
    info = site / "lrtheory-0.1.0.dist-info"
    write(info / "METADATA", "Metadata-Version: 2.1\nName: lrtheory\nVersion: 0.1.0\n")
    write(info / "entry_points.txt", "[lrtheory.claims]\nlrtheory = proofs_checks\n")
    write(info / "RECORD", "proofs_checks/__init__.py,,\nlrtheory-0.1.0.dist-info/RECORD,,\n")
    return site


@pytest.fixture
def fresh_builtin_import(monkeypatch):
    """proofs_checks imported afresh from the import path (restored afterwards)."""
    for name in [m for m in sys.modules if m.split(".")[0] == "proofs_checks"]:
        monkeypatch.delitem(sys.modules, name)


def test_the_installed_distribution_copy_is_no_shadowing(tmp_path, monkeypatch,
                                                          fresh_builtin_import):
    """Python started in a checkout imports lrtheory from it while the built-in claims
    come from the installed distribution (a venv outside the checkout): that copy is the
    distribution's own file, found through its entry point, and loads."""
    site = _installed_builtin_copy(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.chdir(tmp_path)
    assert ids(discover("proofs_checks")) == ["COPY-1"]
    assert ids(discover("proofs_checks", static=True)) == ["COPY-1"]


def test_build_metadata_of_the_checkout_does_not_hide_the_installed_copy(
        tmp_path, monkeypatch, fresh_builtin_import):
    """`pip install .` leaves lrtheory.egg-info in the checkout; with Python started there
    it is the first `lrtheory` distribution on the path (its files are the checkout's),
    yet the copy imported is the installed one, which must still be recognised."""
    site = _installed_builtin_copy(tmp_path / "site")
    checkout = tmp_path / "checkout"
    info = checkout / "lrtheory.egg-info"
    write(info / "PKG-INFO", "Metadata-Version: 2.1\nName: lrtheory\nVersion: 0.1.0\n")
    write(info / "entry_points.txt", "[lrtheory.claims]\nlrtheory = proofs_checks\n")
    write(info / "SOURCES.txt", "proofs_checks/__init__.py\npyproject.toml\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(checkout))
    monkeypatch.chdir(checkout)
    assert ids(discover("proofs_checks")) == ["COPY-1"]
    assert ids(discover("proofs_checks", static=True)) == ["COPY-1"]


def test_a_genuine_shadowing_names_the_copy_in_the_way(tmp_path, monkeypatch,
                                                       fresh_builtin_import):
    site = _installed_builtin_copy(tmp_path / "site")
    stray = tmp_path / "stray"
    write(stray / "proofs_checks" / "__init__.py", "")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(stray))
    monkeypatch.chdir(tmp_path)
    for static in (False, True):
        with pytest.raises(InputError) as err:
            discover("proofs_checks", static=static)
        message = str(err.value)
        assert f"shadowed by {(stray / 'proofs_checks' / '__init__.py').resolve()}" in message
        assert f"import path entry {stray}" in message
        assert f"installed copy {(site / 'proofs_checks' / '__init__.py').resolve()}" in message


# ---- the registry object ----------------------------------------------------------------------
def test_discovery_builds_a_new_registry_and_writes_no_shared_state(tmp_path):
    path = write(tmp_path / "steps.py", PY_CLAIMS)
    before = dict(REGISTRY)
    a, b = (discover(claims=[str(path)], cwd=tmp_path) for _ in range(2))
    assert isinstance(a, Registry) and a is not b and ids(a) == ids(b)
    assert dict(REGISTRY) == before
    ev = a["N-1"].check(None)
    assert ev(None).verdict == "proved"
    assert ids(discover(claims=[str(path)], cwd=tmp_path)) == ids(a)    # unchanged


def test_duplicate_ids_name_both_places(tmp_path):
    write(tmp_path / "c" / "a.py", PY_CLAIMS)
    write(tmp_path / "c" / "b.toml", TOML_CLAIMS.replace('id = "T-1"', 'id = "n-1"'))
    with pytest.raises(InputError) as err:
        discover(claims=["c"], cwd=tmp_path)
    message = str(err.value)
    assert "claim ID n-1 is declared twice" in message or \
        "claim ID N-1 is declared twice" in message
    assert f"{(tmp_path / 'c' / 'a.py').resolve()}:8" in message
    assert f"{(tmp_path / 'c' / 'b.toml').resolve()}:7" in message


def test_a_python_claims_file_error_is_named(tmp_path):
    path = write(tmp_path / "bad.py", "from lrtheory.claims import claim\n\nundefined_name\n")
    with pytest.raises(InputError, match=rf"{path.resolve()}:3: NameError"):
        discover(claims=[str(path)], cwd=tmp_path)
    path = write(tmp_path / "nosource.py", PY_CLAIMS.replace(
        'source("notes", authors=["B. Writer"], title="Notes on steps", year=2024)', ""))
    with pytest.raises(InputError, match="claim N-1 names source 'notes', which is not "
                                         "declared"):
        discover(claims=[str(path)], cwd=tmp_path)


def test_claims_of_a_file_pickle_for_worker_processes(tmp_path):
    path = write(tmp_path / "steps.py", PY_CLAIMS)
    c = discover(claims=[str(path)], cwd=tmp_path)["n.2"]
    again = pickle.loads(pickle.dumps(c))
    assert again.id == "n.2" and again.check(None).findings[0]["verdict"] == "proved"


def test_list_of_a_project_imports_nothing_heavy(tmp_path):
    root = project(tmp_path / "paper")
    probe = textwrap.dedent("""
        import contextlib, io, json, sys
        from lrtheory.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(["list"])
        heavy = {"sympy", "numpy", "mpmath", "flint", "scipy", "hypothesis"}
        print(json.dumps({"code": code, "out": out.getvalue(),
                          "heavy": sorted(m for m in sys.modules if m.split(".")[0] in heavy)}))
    """)
    p = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True,
                       text=True, timeout=120)
    result = json.loads(p.stdout)
    assert result["code"] == 0 and result["heavy"] == []
    assert [line.split("\t")[0] for line in result["out"].splitlines()] == ["T-1", "N-1", "n.2"]
