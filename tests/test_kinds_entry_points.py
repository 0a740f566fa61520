"""Kinds from other packages: the entry-point group ``lrtheory.kinds``.  A tiny
distribution is installed (its metadata written into a folder on the import path) with a
kind whose check decides an integer statement exactly; a TOML claim of that kind is then
listed, run and judged like a built-in one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lrtheory.claims import CheckContext, discover, run_claim
from lrtheory.errors import InputError
from lrtheory.expect import kinds

KIND_MODULE = '''
from lrtheory.claims import Evidence
from lrtheory.expect.kinds import Kind


def divides(a, b):
    """a divides b: decided exactly by the remainder b mod a."""
    def check(ctx):
        ev = Evidence(summary=f"{a} divides {b}")
        ev.exact("remainder", b % a)
        ev.finding(f"{b} mod {a} = {b % a}", "proved" if b % a == 0 else "refuted", "exact")
        return ev
    return check


DIVIDES = Kind("divides", "divkinds:divides", ("a", "b"), (), "a divides b")


NOT_A_KIND = 42


def make_kind():
    return Kind("divides-too", "divkinds:divides", ("a", "b"))
'''

TOML = '''
[sources.D]
authors = ["T. L. Heath"]
title = "The thirteen books of Euclid's Elements"
year = 1908

[[claim]]
id = "D-1"
title = "3 divides 12"
statement = "$3 \\\\mid 12$"
kind = "divides"
a = 3
b = 12

[[claim]]
id = "D-2"
title = "5 divides 12"
statement = "$5 \\\\mid 12$"
kind = "divides-too"
a = 5
b = 12
expected = "refuted"
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def install(site: Path, entry_points: str) -> Path:
    """The distribution `divkinds` installed in `site` with `entry_points` in
    lrtheory.kinds."""
    write(site / "divkinds.py", KIND_MODULE)
    info = site / "divkinds-1.0.dist-info"
    write(info / "METADATA", "Metadata-Version: 2.1\nName: divkinds\nVersion: 1.0\n")
    write(info / "entry_points.txt", f"[lrtheory.kinds]\n{entry_points}\n")
    return site


ENTRY_POINTS = "divides = divkinds:DIVIDES\ndivides-too = divkinds:make_kind"


def test_an_installed_kind_is_found_beside_the_built_in_ones(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(install(tmp_path / "site", ENTRY_POINTS)))
    found = kinds.installed_kinds()
    assert set(found) == {"divides", "divides-too"}
    assert kinds.find_kind("divides").required == ("a", "b")
    assert kinds.find_kind("monotone") is kinds.KINDS["monotone"]
    assert set(kinds.all_kinds()) == set(kinds.KINDS) | {"divides", "divides-too"}


def test_a_toml_claim_of_an_installed_kind_runs_and_is_judged(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(install(tmp_path / "site", ENTRY_POINTS)))
    write(tmp_path / "claims" / "div.toml", TOML)
    registry = discover(claims=[str(tmp_path / "claims")], cwd=tmp_path)
    records = {c.id: run_claim(c, CheckContext()) for c in registry.claims()}
    # 12 = 3·4 and 12 = 5·2 + 2: the remainders, computed independently
    assert records["D-1"].verdict == "proved"
    assert records["D-1"].evidence.numbers["remainder"].exact == "0"
    assert records["D-2"].verdict == "refuted"
    assert records["D-2"].evidence.numbers["remainder"].exact == str(12 % 5)


def test_a_toml_claim_of_an_unknown_kind_names_the_installed_ones(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(install(tmp_path / "site", ENTRY_POINTS)))
    write(tmp_path / "claims" / "div.toml", TOML.replace('kind = "divides"\n',
                                                          'kind = "divide"\n'))
    with pytest.raises(InputError, match="divides"):
        discover(claims=[str(tmp_path / "claims")], cwd=tmp_path).claims()


@pytest.mark.parametrize("entry,message", [
    ("bad = divkinds:nothing", "does not load"),
    ("bad = divkinds:NOT_A_KIND", "must name a lrtheory.expect.kinds.Kind"),
    ("monotone = divkinds:make_kind\nagain = divkinds:make_kind", "already defined"),
])
def test_a_broken_kind_entry_point_is_bad_input(tmp_path, monkeypatch, entry, message):
    monkeypatch.syspath_prepend(str(install(tmp_path / "site", entry)))
    with pytest.raises(InputError, match=message):
        kinds.installed_kinds()


def test_lrtheory_list_sees_the_installed_kind(tmp_path):
    site = install(tmp_path / "site", ENTRY_POINTS)
    write(tmp_path / "claims" / "div.toml", TOML)
    env = {**os.environ, "PYTHONPATH": str(site)}
    p = subprocess.run([sys.executable, "-m", "lrtheory", "list", "--claims",
                        str(tmp_path / "claims"), "--json"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    listed = {c["id"]: c["kind"] for c in json.loads(p.stdout)}
    assert listed == {"D-1": "divides", "D-2": "divides-too"}
