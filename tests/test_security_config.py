"""Trust boundaries of configuration: a project found by searching upward runs code only
when its pyproject.toml (and its Python claims files) belong to the current user and
nobody else may write to them; files a project names are read only inside it, only when
regular and bounded; malformed TOML in a parent folder is one line of bad input."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_run import one_line_error
from cli_run import run_cli as cli
from lrtheory.claims import discover
from lrtheory.claims.project import SAFE_DIRECTORIES, find_project
from lrtheory.errors import InputError

OTHER_USER = 65534   # nobody
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")

EVIL = '''
from pathlib import Path
Path({marker!r}).write_text("ran")
from lrtheory.claims import claim, source
source("evil", authors=["E. Vil"], title="t", year=2024)
@claim("EVIL-1", title="t", statement="s", source="evil")
def f(ctx): ...
'''


def plant(root: Path, marker: Path, section: str = "") -> Path:
    """A project in ``root`` whose Python claims file writes ``marker`` when it runs."""
    (root / "evil").mkdir(parents=True)
    (root / "evil" / "x.py").write_text(EVIL.format(marker=str(marker)))
    (root / "pyproject.toml").write_text(f'[tool.lrtheory]\nclaims = ["evil"]\n{section}')
    (root / "below").mkdir()
    return root / "pyproject.toml"




@as_root
def test_a_parent_project_of_another_user_runs_nothing(tmp_path):
    marker = tmp_path / "marker"
    config = plant(tmp_path, marker)
    os.chown(config, OTHER_USER, OTHER_USER)
    for argv in (("list",), ("verify", "BLOG-2", "--quick", "--json",
                             str(tmp_path / "out" / "r.json"))):
        line = one_line_error(cli(*argv, cwd=tmp_path / "below"))
        assert f"refusing the project file {config}" in line
        assert f"user id {OTHER_USER}" in line
        assert f"--config {config}" in line and SAFE_DIRECTORIES in line
        assert not marker.exists()
    assert not (tmp_path / "out").exists()


def test_a_project_file_others_may_write_is_refused(tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    config = plant(tmp_path, marker)
    config.chmod(0o666)
    monkeypatch.delenv(SAFE_DIRECTORIES, raising=False)
    with pytest.raises(InputError, match=r"others may write to it \(mode -rw-rw-rw-\)"):
        discover(cwd=tmp_path / "below")
    config.chmod(0o664)       # the owner's private group may write: nobody else
    assert find_project(tmp_path / "below").file == config
    if os.geteuid() == 0:     # a shared group may write
        os.chown(config, 0, OTHER_USER)
        with pytest.raises(InputError, match="refusing the project file"):
            find_project(tmp_path / "below")
    assert not marker.exists()


@as_root
def test_explicit_config_and_safe_directories_are_the_users_choice(tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    config = plant(tmp_path, marker)
    os.chown(config, OTHER_USER, OTHER_USER)
    monkeypatch.delenv(SAFE_DIRECTORIES, raising=False)
    assert "EVIL-1" in discover(config=config, cwd=tmp_path / "below")
    assert marker.read_text() == "ran"
    marker.unlink()
    monkeypatch.setenv(SAFE_DIRECTORIES, f"/nonexistent{os.pathsep}{tmp_path}")
    assert find_project(tmp_path / "below").file == config
    monkeypatch.setenv(SAFE_DIRECTORIES, "*")
    assert find_project(tmp_path / "below").file == config


@as_root
def test_a_trusted_project_does_not_run_a_claims_file_of_another_user(tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    plant(tmp_path, marker)
    os.chown(tmp_path / "evil" / "x.py", OTHER_USER, OTHER_USER)
    monkeypatch.delenv(SAFE_DIRECTORIES, raising=False)
    with pytest.raises(InputError, match=rf"refusing the claims file {tmp_path}"
                                         rf"/evil/x.py: it belongs to user id {OTHER_USER}"):
        discover(cwd=tmp_path / "below")
    assert not marker.exists()
    assert "EVIL-1" in discover(claims=[str(tmp_path / "evil")], cwd=tmp_path / "below")


# ---- files a project names -----------------------------------------------------------------
def project_with_bibliography(root: Path, bib: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "claims").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(f'[tool.lrtheory]\nbibliography = "{bib}"\n')
    return root


@pytest.mark.parametrize("bib", ["/dev/zero", "fifo.bib", "folder.bib", "../outside.bib"])
def test_a_bibliography_is_a_bounded_regular_file_inside_the_project(tmp_path, bib):
    root = project_with_bibliography(tmp_path / "paper", bib)
    os.mkfifo(root / "fifo.bib")
    (root / "folder.bib").mkdir()
    (tmp_path / "outside.bib").write_text("@misc{x, author={A}, title={T}, year={2020}}\n")
    line = one_line_error(cli("list", cwd=root))
    assert ("not a regular file" in line or "is a FIFO" in line or "is a directory" in line
            or "lies outside the project folder" in line), line


def test_a_large_bibliography_is_refused_before_parsing(tmp_path):
    root = project_with_bibliography(tmp_path / "paper", "big.bib")
    with open(root / "big.bib", "wb") as fh:
        fh.truncate(5 * 1024 * 1024)
    line = one_line_error(cli("list", cwd=root))
    assert "big.bib has 5242880 bytes, more than the limit" in line


def test_a_toml_claims_file_reads_no_bibliography_outside_its_folder(tmp_path):
    (tmp_path / "outside.bib").write_text("@misc{x, author={A}, title={T}, year={2020}}\n")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "claims.toml").write_text('bibliography = "../outside.bib"\n')
    with pytest.raises(InputError, match="lies outside the project folder"):
        discover(claims=["c/claims.toml"], cwd=tmp_path)


# ---- malformed TOML in a parent folder -----------------------------------------------------
@pytest.mark.parametrize("body, said", [
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "invalid TOML"),
    ("x = " + "9" * 5000 + "\n", "invalid TOML"),
    ("x = [1,\n", "invalid TOML"),
])
def test_malformed_toml_in_a_parent_project_is_one_line(tmp_path, body, said):
    (tmp_path / "pyproject.toml").write_text("[tool.lrtheory]\n" + body)
    (tmp_path / "below").mkdir()
    line = one_line_error(cli("list", cwd=tmp_path / "below"))
    assert f"{tmp_path / 'pyproject.toml'}: {said}" in line
