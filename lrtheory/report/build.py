"""Compiling the report with latexmk/pdflatex and reading the LaTeX log.

The build runs in a private folder inside the report folder; only a finished PDF is moved
into place (``os.replace``), so an interrupted or failed build never leaves a truncated
``lrtheory-report.pdf`` behind.  The log is kept next to the report."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..io import atomic_write_bytes

#: Seconds one latexmk run may take.
TIMEOUT = 600


def latexmk_available() -> bool:
    return shutil.which("latexmk") is not None


@dataclass
class LogSummary:
    """What the LaTeX log says: errors (with the .tex line), box warnings, pages."""

    errors: list = field(default_factory=list)
    error_line: int | None = None
    error_context: str = ""      # the source text where TeX stopped
    overfull_hbox: int = 0
    overfull_vbox: int = 0
    underfull: int = 0
    undefined_references: int = 0
    missing_characters: int = 0
    pages: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__)


def summarize_log(text: str, tex_name: str = "lrtheory-report.tex") -> LogSummary:
    """Errors, the .tex line of the first, box warnings and the page count of a log."""
    s = LogSummary()
    line_error = re.compile(r"^(?:\./)?([^\s:]+\.[a-z]+):(\d+): (.*)$")
    for line in text.splitlines():
        m = line_error.match(line)
        if m:
            s.errors.append(m.group(3))
            if m.group(1) == tex_name:
                s.error_line = s.error_line or int(m.group(2))
        elif line.startswith("! "):
            s.errors.append(line[2:])
        elif s.errors and re.match(r"^l\.(\d+) ", line):
            s.error_line = s.error_line or int(line.split()[0][2:])
            s.error_context = s.error_context or line.split(" ", 1)[1].strip()[-80:]
    s.overfull_hbox = len(re.findall(r"^Overfull \\hbox", text, re.M))
    s.overfull_vbox = len(re.findall(r"^Overfull \\vbox", text, re.M))
    s.underfull = len(re.findall(r"^Underfull \\[hv]box", text, re.M))
    s.undefined_references = len(re.findall(r"^LaTeX Warning: (Reference|Citation) .* undefined",
                                            text, re.M))
    s.missing_characters = len(re.findall(r"^Missing character: ", text, re.M))
    pages = re.search(r"Output written on .* \((\d+) pages?", text)
    s.pages = int(pages.group(1)) if pages else 0
    return s


@dataclass
class BuildResult:
    ok: bool
    pdf: Path | None
    log: Path | None
    summary: LogSummary
    message: str = ""


def compile_pdf(tex: Path, timeout: int = TIMEOUT) -> BuildResult:
    """Compile ``tex`` to a PDF beside it; never raises for LaTeX errors."""
    tex = Path(tex)
    folder, stem = tex.parent, tex.stem
    build = Path(tempfile.mkdtemp(dir=folder, prefix=".lrtheory-build-"))
    try:
        cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", f"-outdir={build.name}", tex.name]
        env = dict(os.environ, max_print_line="10000")
        try:
            done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True,
                                  timeout=timeout, env=env, stdin=subprocess.DEVNULL)
            message = "" if done.returncode == 0 else f"latexmk exited with {done.returncode}"
        except subprocess.TimeoutExpired:
            message = f"latexmk did not finish within {timeout} s"
        log_text = _read(build / f"{stem}.log")
        summary = summarize_log(log_text, tex.name)
        log = atomic_write_bytes(folder / f"{stem}.log", log_text.encode()) if log_text else None
        built = build / f"{stem}.pdf"
        if message or summary.errors or not built.is_file():
            return BuildResult(False, None, log, summary,
                               message or "; ".join(summary.errors[:3]) or "no PDF produced")
        pdf = folder / f"{stem}.pdf"
        os.replace(built, pdf)
        return BuildResult(True, pdf, log, summary)
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
