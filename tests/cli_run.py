"""Running ``python -m lrtheory`` in a subprocess, and the bad-input contract of the CLI:
exit code 2 and exactly one line ``lrtheory: error: …`` on stderr."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(*argv, cwd: Path, env=None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m lrtheory ARGV`` in ``cwd``, with its output captured."""
    return subprocess.run([sys.executable, "-m", "lrtheory", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(p: subprocess.CompletedProcess) -> str:
    """The one error line of a run that must have exited 2 for bad input."""
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lrtheory: error: "), p.stderr
    return lines[0]
