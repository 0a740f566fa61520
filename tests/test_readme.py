"""The README's examples run as written and print what the README shows.

* Every ``$ lrtheory ...`` line of a ```console block runs (in order, in one temporary
  folder); its exit status is 0 unless the line ends with ``# exit code N``, and its output
  (stdout and stderr, interleaved as on a terminal) is compared with the lines shown under
  it, up to the next ``$`` line.
* Every ```pycon block runs as a doctest (in the same folder): each ``>>>`` statement's
  output is compared with the lines shown under it.
* Every ```python block executes.
* Afterwards ``git status --porcelain`` of ``proofs_checks/``, ``docs/``, ``examples/``,
  the README and the top level is what it was before: no example writes into the repository.
* The quick start is what ``.ci/run`` runs: its lines are extracted from this README by
  ``.ci/readme_steps.py`` (tested here), and what they write is ignored by git.

Comparison (:func:`output_matches`): whitespace runs count as one space; a line ``...``
or ``…`` stands for any number of lines, and ``...`` or ``…`` inside a line for any text;
numbers agree within a relative :data:`REL_TOL` or an absolute :data:`ABS_TOL` (so small
integers such as counts and periods must be equal); durations — a number followed by
``s`` (seconds) or ``steps/s``, or in a table column headed ``seconds`` — are not compared.
"""
from __future__ import annotations

import doctest
import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: Numbers in shown outputs agree with the printed ones within this relative tolerance ...
REL_TOL = 0.01
#: ... or this absolute one (values that are 0 up to round-off).
ABS_TOL = 1e-9

_NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"(?P<wild>\.\.\.|…)|(?P<num>{_NUMBER})|(?P<space>\s+)")
_DURATION_AFTER = re.compile(r"\s*(?:s\b|GD steps/s|steps/s)")
_ELLIPSIS_LINE = re.compile(r"^\s*(?:\.\.\.|…)\s*$")


# ---- comparing shown output with printed output -------------------------------------------
def _numbers_agree(shown: str, got: str) -> bool:
    a, b = float(shown), float(got)
    return abs(a - b) <= max(REL_TOL * max(abs(a), abs(b)), ABS_TOL)


def _line_pattern(line: str, duration_from: int | None):
    """A regex for a shown line and, per number group, whether it is compared."""
    parts, compared, pos = [], [], 0
    for m in _TOKEN.finditer(line):
        parts.append(re.escape(line[pos:m.start()]))
        if m["wild"]:
            parts.append(".*?")
        elif m["space"]:
            parts.append(r"\s+")
        else:
            parts.append(f"({_NUMBER})")
            after = line[m.end():]
            compared.append(not (_DURATION_AFTER.match(after) or
                                 (duration_from is not None and m.start() >= duration_from)))
        pos = m.end()
    parts.append(re.escape(line[pos:]))
    return re.compile("".join(parts)), compared


def line_matches(shown: str, got: str, duration_from: int | None = None) -> bool:
    """Whether the printed line ``got`` is the shown line ``shown`` (module docstring)."""
    pattern, compared = _line_pattern(" ".join(shown.split()), duration_from)
    m = pattern.fullmatch(" ".join(got.split()))
    return m is not None and all(_numbers_agree(s, g) for s, g, c in
                                 zip(_number_tokens(shown), m.groups(), compared) if c)


def _number_tokens(line: str) -> list[str]:
    return [m["num"] for m in _TOKEN.finditer(" ".join(line.split())) if m["num"]]


def _duration_columns(shown: list[str]) -> list[int | None]:
    """Per shown line: the column from which numbers are durations (under a ``seconds``
    header of the same table), else None; positions are in whitespace-collapsed text."""
    out, start = [], None
    for line in shown:
        words = line.split()
        if "seconds" in words:
            idx = words.index("seconds")
            start = len(" ".join(words[:idx])) + (1 if idx else 0)
        elif not line.strip():
            start = None
        out.append(start)
    return out


def output_matches(shown: list[str], got: list[str]) -> bool:
    """Whether the printed lines ``got`` are the shown lines ``shown`` (module docstring)."""
    shown = [s for s in shown if s.strip()]
    got = [g for g in got if g.strip()]
    cols = _duration_columns(shown)

    @functools.lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(got)
        if _ELLIPSIS_LINE.match(shown[i]):
            return any(match(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and line_matches(shown[i], got[j], cols[i]) and match(i + 1, j + 1)

    return match(0, 0)


# ---- the README's examples ----------------------------------------------------------------
def console_examples(text: str) -> list[tuple[str, int, list[str]]]:
    """``(command, expected exit status, shown output lines)`` of every ``$ lrtheory`` line
    of the ```console blocks, in order."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                cmd, _, comment = line[2:].partition("  #")
                m = re.search(r"exit code (\d+)", comment)
                out.append((cmd.strip(), int(m.group(1)) if m else 0, []))
            elif out:
                out[-1][2].append(line)
    return [c for c in out if c[0].startswith("lrtheory ")]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def pycon_blocks(text: str) -> list[str]:
    return re.findall(r"```pycon\n(.*?)```", text, flags=re.S)


def run_console(cmd: str, cwd: Path) -> tuple[int, list[str]]:
    """Run ``lrtheory ...`` (this interpreter's lrtheory) in ``cwd``: its exit status and
    its stdout and stderr interleaved as written (both unbuffered into one pipe)."""
    argv = shlex.split(cmd)
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="100")
    p = subprocess.run([sys.executable, "-m", "lrtheory", *argv[1:]], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    return p.returncode, p.stdout.splitlines()


class NumberTolerantChecker(doctest.OutputChecker):
    """Doctest output compared by :func:`output_matches`."""

    def check_output(self, want, got, optionflags):
        return output_matches(want.splitlines(), got.splitlines())


def run_pycon(code: str, name: str, globs: dict) -> doctest.TestResults:
    test = doctest.DocTestParser().get_doctest(code, globs, name, str(README), 0)
    runner = doctest.DocTestRunner(checker=NumberTolerantChecker(),
                                   optionflags=doctest.ELLIPSIS)
    runner.run(test, clear_globs=False)
    globs.update(test.globs)  # the names a block defines are there for the next block
    return runner.summarize(verbose=False)


def tool_missing(cmd: str) -> str | None:
    """Why ``cmd``'s shown output cannot be reproduced here (an optional tool missing)."""
    if (" report " in f" {cmd} " or "--report" in cmd) and "--no-pdf" not in cmd \
            and shutil.which("latexmk") is None:
        return "latexmk is not installed: the output differs (no PDF)"
    return None


#: Where an example could write into the repository: the stored baseline and reference run,
#: the documentation, and new files or folders at the top level (``demo/``, ``sweep.nc``).
_WATCHED = ("proofs_checks/", "docs/", "examples/", "README.md", "mkdocs.yml")


def git_status() -> str | None:
    """The ``git status --porcelain`` lines of the places an example could write into
    (:data:`_WATCHED`, and untracked entries at the top level); None outside a checkout."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    lines = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                           text=True).stdout.splitlines()
    return "\n".join(ln for ln in lines if ln[3:].startswith(_WATCHED) or
                     (ln.startswith("??") and "/" not in ln[3:].rstrip("/")))


def check_console(examples, folder: Path) -> list[str]:
    """Run each example in ``folder``; the problems found (empty: all as shown)."""
    problems = []
    for cmd, expected, shown in examples:
        status, got = run_console(cmd, folder)
        if status != expected:
            problems.append(f"$ {cmd}\nexit {status}, expected {expected}:\n" + "\n".join(got[-30:]))
        elif any("Traceback" in g for g in got):
            problems.append(f"$ {cmd}\nprinted a traceback")
        elif shown and not tool_missing(cmd) and not output_matches(shown, got):
            problems.append(f"$ {cmd}\nshown:\n" + "\n".join(shown) + "\nprinted:\n" +
                            "\n".join(got))
    return problems


# ---- tests --------------------------------------------------------------------------------
def readme_steps():
    """``.ci/readme_steps.py``, the extraction of the README's lines that CI runs."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("readme_steps", ROOT / ".ci" / "readme_steps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quick_start_is_two_commands_with_the_apt_line_for_every_test_tool():
    text = README.read_text()
    steps = readme_steps()
    lines = steps.steps(text, "quick-start")
    assert lines == ["pip install . && lrtheory verify --report reports/",
                     "pip install '.[test]' && pytest -q"]
    (apt,) = steps.steps(text, "apt")
    assert apt.startswith("apt-get update && apt-get install -y")
    for package in ("latexmk", "texlive-latex-base", "texlive-latex-recommended",
                    "poppler-utils", "chromium"):
        assert package in apt.split()
    assert steps.steps(text, "docs") == ["pip install '.[docs]'", "mkdocs build --strict"]


def test_ci_is_the_newcomer_following_the_readme():
    """.ci/run clones, builds its venv outside the clone, runs the extracted lines in the
    README's order and then requires a clean ``git status``."""
    ci = (ROOT / ".ci" / "run").read_text()
    ci = ci[ci.index("set -euo pipefail"):]  # the script, after its header comment
    order = [ci.index(marker) for marker in
             ("steps apt", "git clone", "python3 -m venv \"$work/venv\"",
              "steps quick-start", "steps docs", "git status --porcelain")]
    assert order == sorted(order)
    assert "pip install" not in ci.replace("python -m pip install --upgrade pip", "")
    assert "pytest" not in ci.replace("pytest: $passed", "").replace("# pytest's", "")
    out = subprocess.run([sys.executable, str(ROOT / ".ci" / "readme_steps.py"), "quick-start",
                          str(README)], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == readme_steps().steps(README.read_text(), "quick-start")


def test_what_the_quick_start_writes_is_ignored_by_git():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for path in ("reports/results.json", "reports/lrtheory-report.pdf", "reports/figures/a.png",
                 "site/index.html"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path
    tracked = subprocess.run(["git", "ls-files", "reports"], cwd=ROOT, capture_output=True,
                             text=True).stdout
    assert tracked == ""


def test_no_path_outside_the_repository_and_no_example_writes_reports():
    text = README.read_text()
    assert "../" not in text and "shared/" not in text
    for cmd, _, _ in console_examples(text):
        assert not re.search(r"(--json|--out|--report|--baseline|--figures)[ =]reports/", cmd), cmd
        if cmd.startswith("lrtheory verify") and not re.search(r"--json|--config|NOPE", cmd):
            raise AssertionError(f"{cmd}: name where the results go (--json, or a "
                                 "project's --config)")


def test_the_matcher():
    assert output_matches(["a  b 1.000", "...", "z"], ["a b 1.004", "x", "y", "z"])
    assert not output_matches(["a b 1.0"], ["a b 1.1"])
    assert output_matches(["ID  verdict  seconds", "B-2  proved  0.35"],
                          ["ID  verdict  seconds", "B-2  proved  12.7"])
    assert not output_matches(["B-2  proved  0.35"], ["B-2  refuted  0.35"])
    assert output_matches(["in 0.8 s, 1.5e+06 GD steps/s; engine …"],
                          ["in 2.1 s, 9e+05 GD steps/s; engine numba"])
    assert not output_matches(["period 2"], ["period 3"])
    assert output_matches(["x = (1 + ..., ...)"], ["x = (1 + 2*y, 3)"])


@pytest.mark.slow
def test_readme_examples_print_what_the_readme_shows(tmp_path):
    text = README.read_text()
    examples = console_examples(text)
    assert len(examples) >= 5
    before = git_status()
    problems = check_console(examples, tmp_path)
    assert not problems, "\n\n".join(problems)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for i, code in enumerate(python_blocks(text)):
            exec(compile(code, f"README python block {i}", "exec"), {"__name__": "readme"})
        globs: dict = {"__name__": "readme"}
        for i, code in enumerate(pycon_blocks(text)):
            failed, attempted = run_pycon(code, f"README pycon block {i}", globs)
            assert failed == 0, f"README pycon block {i}: {failed} of {attempted} differ"
    finally:
        os.chdir(cwd)
    after = git_status()
    assert after == before, ("a README example changed the repository:\n" +
                             "\n".join(sorted(set(after.splitlines()) ^ set(before.splitlines()))))
