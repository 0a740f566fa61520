"""Every `$ lrtheory ...` line in the README runs as written (in a scratch folder, in order),
and every ```python block executes."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def console_commands():
    text = README.read_text()
    cmds = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ lrtheory"):
                cmd, _, comment = line[2:].partition("#")
                m = re.search(r"exit code (\d+)", comment)
                cmds.append((cmd.strip(), int(m.group(1)) if m else 0))
    return cmds


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("readme")


def test_readme_has_quick_start_of_two_commands():
    text = README.read_text()
    block = re.search(r"## Quick start\n+```sh\n(.*?)```", text, flags=re.S).group(1)
    lines = [ln for ln in block.strip().splitlines() if ln.strip()]
    assert len(lines) == 2
    assert "lrtheory verify" in lines[0] and "pytest" in lines[1]


@pytest.mark.slow
def test_console_examples_run(scratch):
    cmds = console_commands()
    assert len(cmds) >= 5
    for cmd, expected in cmds:
        argv = shlex.split(cmd)
        p = subprocess.run([sys.executable, "-m", "lrtheory", *argv[1:]], cwd=scratch,
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == expected, f"{cmd}: exit {p.returncode}\n{p.stderr[-2000:]}"
        assert "Traceback" not in p.stderr, cmd


@pytest.mark.slow
def test_python_examples_run(scratch, monkeypatch):
    monkeypatch.chdir(scratch)
    for i, code in enumerate(python_blocks()):
        exec(compile(code, f"README python block {i}", "exec"), {"__name__": "readme"})
