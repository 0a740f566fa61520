"""Claim projects: `lrtheory init` scaffolds one that verifies and tests at once; the
project's report and summary carry its title, authors and sources and only its claims;
the README section "Verify your own paper" runs as written."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from lrtheory.claims import discover
from lrtheory.claims.project import read_project
from lrtheory.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: Where the walk-through "Verify your own paper" is written: the README's section of that
#: name, or the claim-projects guide of the documentation.
WALKTHROUGH = (ROOT / "README.md", ROOT / "docs" / "guide" / "projects.md")


def run(argv, cwd: Path, expected: int = 0) -> subprocess.CompletedProcess:
    tool, *rest = argv
    cmd = [sys.executable, "-m", tool, *rest] + (["-p", "no:cacheprovider"]
                                                 if tool == "pytest" else [])
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert p.returncode == expected, f"{argv}: exit {p.returncode}\n{p.stdout[-3000:]}" \
                                     f"\n{p.stderr[-3000:]}"
    assert "Traceback" not in p.stderr
    return p


def test_init_scaffolds_the_project(tmp_path, capsys):
    folder = tmp_path / "mypaper"
    assert main(["init", str(folder), "--title", 'On "large" steps', "--author", "A. B",
                 "--author", "C. D"]) == 0
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == ["claims/example.py", "claims/example.toml", "pyproject.toml",
                     "tests/test_claims.py"]
    project = read_project(folder / "pyproject.toml")
    assert project.title == 'On "large" steps' and project.authors == ("A. B", "C. D")
    assert project.claims == ("claims",) and project.baseline == folder / "lrtheory-baseline.json"
    assert project.report == folder / "report"
    assert [s.key for s in project.sources] == ["paper"]
    registry = discover(cwd=folder)
    assert [c.id for c in registry.claims()] == ["EX-1", "EX-2"]
    assert all(c.source_key == "paper" for c in registry.claims())
    assert "next: cd" in capsys.readouterr().err


def test_init_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    assert main(["init", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_a_new_project_verifies_and_tests_at_once(tmp_path):
    run(["lrtheory", "init", "mypaper"], tmp_path)
    folder = tmp_path / "mypaper"
    p = run(["lrtheory", "verify"], folder)
    assert re.search(r"EX-1\s+proved", p.stdout) and re.search(r"EX-2\s+proved", p.stdout)
    doc = json.loads((folder / "report" / "results.json").read_text())
    assert doc["project"] == {"title": "mypaper", "authors": ["Your Name"]}
    p = run(["pytest", "-q"], folder)
    assert "2 passed" in p.stdout
    # claims of files loaded by path reach worker processes (they pickle by file and ID)
    run(["lrtheory", "verify", "--jobs", "2", "--json", "par.json"], folder)
    parallel = json.loads((folder / "par.json").read_text())
    assert [(c["id"], c["verdict"]) for c in parallel["claims"]] == \
        [(c["id"], c["verdict"]) for c in doc["claims"]]


def test_the_project_report_and_summary(tmp_path):
    run(["lrtheory", "init", "mypaper", "--title", "Steps & stability", "--author",
         "A. Author"], tmp_path)
    folder = tmp_path / "mypaper"
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'venue = "manuscript"', 'venue = "preprint"\ndoi = "10.1000/xyz"'))
    run(["lrtheory", "verify", "--update-baseline"], folder)
    assert set(json.loads((folder / "lrtheory-baseline.json").read_text())["modes"]["full"]
               ["claims"]) == {"EX-1", "EX-2"}
    p = subprocess.run([sys.executable, "-m", "lrtheory", "verify", "--report", "report"],
                       cwd=folder, capture_output=True, text=True, timeout=600)
    assert p.returncode in (0, 1), p.stderr       # 1 only when LaTeX is broken here
    assert "no drift from baseline" in p.stderr
    tex = (folder / "report" / "lrtheory-report.tex").read_text()
    assert r"{\LARGE\bfseries Steps \& stability\par}" in tex
    assert r"{\large A. Author\par}" in tex
    assert r'\item[paper] A. Author, "Steps \& stability" (preprint, ' in tex
    assert "doi:10.1000/xyz" in tex
    assert "EX-{}1" in tex and "BLOG-" not in tex
    summary = (folder / "report" / "SUMMARY.md").read_text()
    assert summary.startswith("# Steps & stability: lrtheory verification summary")
    assert "| EX-2 |" in summary and "BLOG" not in summary
    p = run(["lrtheory", "report", "--no-pdf"], folder)
    assert "report/lrtheory-report.tex" in p.stderr


# ---- the walk-through, as written ---------------------------------------------------------
def readme_section() -> str:
    """The README's section "Verify your own paper", or the claim-projects guide."""
    for path in WALKTHROUGH:
        text = path.read_text() if path.is_file() else ""
        start = text.find("## Verify your own paper")
        if start >= 0:
            end = text.find("\n## ", start + 10)
            return text[start:end if end > 0 else len(text)]
        if "lrtheory init" in text and path.name == "projects.md":
            return text
    raise AssertionError(f"no walk-through 'Verify your own paper' in {WALKTHROUGH}")


def steps(section: str):
    """("run", argv, exit code) for each line of the ```sh blocks and ("write", path,
    text) for each ```py / ```toml block whose first line names its file."""
    for lang, body in re.findall(r"```(\w+)\n(.*?)```", section, flags=re.S):
        if lang == "sh":
            for line in body.splitlines():
                cmd, _, comment = line.partition("#")
                if cmd.strip():
                    m = re.search(r"exit code (\d+)", comment)
                    yield "run", shlex.split(cmd), int(m.group(1)) if m else 0
        elif lang in ("py", "toml"):
            first = body.splitlines()[0]
            m = re.match(r"# (\S+\.(?:py|toml))$", first)
            assert m, f"a {lang} block of the section does not name its file: {first!r}"
            yield "write", m.group(1), body


@pytest.mark.slow
def test_readme_section_runs_as_written(tmp_path):
    section = readme_section()
    kinds = [s[0] for s in steps(section)]
    assert kinds.count("write") >= 3 and kinds.count("run") >= 7
    cwd = tmp_path
    results = []
    for kind, what, detail in steps(section):
        if kind == "write":
            (cwd / what).write_text(detail)
        elif what[0] == "cd":
            cwd = cwd / what[1]
        else:
            p = subprocess.run([sys.executable, "-m", *what], cwd=cwd, capture_output=True,
                               text=True, timeout=600)
            allowed = (detail, 1) if what[:2] == ["lrtheory", "verify"] and "--report" in what \
                and not detail else (detail,)      # 1: the PDF failed (no LaTeX)
            assert p.returncode in allowed, f"{what}: {p.returncode}\n{p.stdout}\n{p.stderr}"
            results.append((what, p))
    verify = [p for what, p in results if what[:2] == ["lrtheory", "verify"]]
    assert re.search(r"P-1\s+proved", verify[0].stdout)
    assert re.search(r"ORB-1\s+proved", verify[0].stdout)
    assert (cwd / "report" / "lrtheory-report.tex").is_file()
    assert (cwd / "lrtheory-baseline.json").is_file()
    drift = results[-1][1]
    assert "drift: P-1 verdict: expected proved, got refuted" in drift.stderr
    pytest_run = results[-2][1]
    assert "P-1: drift from the baseline" in pytest_run.stdout
    doc = json.loads((cwd / "report" / "results.json").read_text())
    p1 = next(c for c in doc["claims"] if c["id"] == "P-1")
    assert p1["verdict"] == "refuted"
    assert "occurs at h = sqrt(2)" in p1["evidence"]["findings"][0]["statement"]
