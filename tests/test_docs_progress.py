"""Progress lines (README "Progress"): `lrtheory verify` shows one line per claim and the
stages a check reports through ``ctx.progress`` on stderr when stderr is a terminal or with
``--progress``, and nothing of the kind otherwise."""
import re
import subprocess
import sys

from lrtheory.cli.common import ProgressLines


def _verify(tmp_path, *extra):
    return subprocess.run([sys.executable, "-m", "lrtheory", "verify", "BLOG-4", "--quick",
                           "--json", str(tmp_path / "r.json"), *extra],
                          capture_output=True, text=True, timeout=300)


def test_verify_is_quiet_when_stderr_is_not_a_terminal(tmp_path):
    p = _verify(tmp_path)
    assert p.returncode == 0, p.stderr
    assert "[1/1]" not in p.stderr and "BLOG-4:" not in p.stderr
    assert "results written to" in p.stderr            # messages are not progress


def test_verify_progress_shows_claims_and_the_stages_of_a_check(tmp_path):
    p = _verify(tmp_path, "--progress")
    assert p.returncode == 0, p.stderr
    lines = p.stderr.splitlines()
    assert lines[0].startswith("[1/1] BLOG-4 ")
    stages = [ln for ln in lines if ln.startswith("BLOG-4: ")]
    assert any("one-step order" in ln for ln in stages) and \
        any("global error" in ln for ln in stages)
    assert any(re.match(r"\[1/1\] BLOG-4: \w+ \(\d+\.\d s\)$", ln) for ln in lines)


def test_progress_lines_follow_the_terminal_unless_told(capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    ProgressLines()("on a terminal")
    ProgressLines(False)("silenced")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    ProgressLines()("not a terminal")
    ProgressLines(True)("asked")
    assert capsys.readouterr().err.splitlines() == ["on a terminal", "asked"]
