"""Compiling the report with latexmk/pdflatex in a sandbox, and reading the LaTeX log.

The report's LaTeX carries text from the results file, which may be hostile, so the
compile is confined (besides the allowlist of :func:`lrtheory.report.latex.vet`):

* it runs in a fresh private build folder ``.lrtheory-build-PID-RANDOM`` (mode 0700)
  inside the report folder, holding only the ``.tex`` and the figures it includes, copied
  there (never linked) from the report's own ``figures/`` folder;
* ``latexmk -norc`` (no ``latexmkrc`` is read, so no Perl from the report folder runs)
  with ``-no-shell-escape``, and kpathsea's ``openin_any``/``openout_any`` set to ``p``
  (paranoid) and ``shell_escape`` to ``f`` in the environment: TeX can read only its own
  tree and the build folder (no absolute paths, no ``..``, no dot files) and write only
  there; ``TEXMFOUTPUT`` and ``*INPUTS`` overrides are removed;
* each compile has a time-out (:data:`~lrtheory.limits.LATEX_TIMEOUT`; the whole process
  group is killed) and address-space, CPU and file-size limits
  (:data:`~lrtheory.limits.LATEX_MEMORY_BYTES`);
* the finished PDF is checked for active content (:func:`pdf_active_content`:
  JavaScript, open actions, launch actions, embedded files, ...) and refused if it has
  any; only a clean PDF is moved into place (``os.replace``), so an interrupted or failed
  build never leaves a truncated ``lrtheory-report.pdf`` behind.  The log is kept next
  to the report.  Build folders of killed runs are removed by the next build.
"""
from __future__ import annotations

import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..io import atomic_write_bytes, check_output_path, pid_alive, read_bytes

#: Seconds one latexmk run may take.
TIMEOUT = limits.LATEX_TIMEOUT
#: Bytes one file written by TeX may have.
MAX_OUTPUT_BYTES = 512 * 1024 * 1024
#: Environment variables removed for the compile (they could widen what TeX reads).
_DROPPED_ENV = re.compile(r"^(TEXMFOUTPUT|TEXMF_OUTPUT_DIRECTORY|TEXMFCNF|[A-Z]*INPUTS|"
                          r"LATEXMKRC.*|shell_escape_commands)$")
_BUILD_PREFIX = ".lrtheory-build-"
#: PDF names that make a viewer act (run code, open or submit something) on its own.
ACTIVE_PDF_NAMES = ("JavaScript", "JS", "OpenAction", "AA", "Launch", "EmbeddedFile",
                    "EmbeddedFiles", "SubmitForm", "ImportData", "RichMedia", "GoToR",
                    "GoToE", "XFA", "Sound", "Movie", "Rendition")
_ACTIVE = re.compile(rb"/(" + b"|".join(n.encode() for n in ACTIVE_PDF_NAMES)
                     + rb")(?![A-Za-z0-9#._-])")
_STREAM = re.compile(rb"(?<!end)stream\r?\n(.*?)\r?\n?endstream", re.S)


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
    timed_out: bool = False


# -- the sandbox --------------------------------------------------------------------------

def sandbox_env(base: dict | None = None) -> dict:
    """The environment of a compile: the caller's, without variables that widen what TeX
    reads or writes, with kpathsea in paranoid mode and shell escape off."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if not _DROPPED_ENV.match(k)}
    env.update(openin_any="p", openout_any="p", shell_escape="f", max_print_line="10000")
    return env


def _limit_resources(timeout: float) -> None:  # runs in the child before exec
    os.setsid()
    for res, value in ((resource.RLIMIT_AS, limits.LATEX_MEMORY_BYTES),
                       (resource.RLIMIT_CPU, int(timeout) + 5),
                       (resource.RLIMIT_FSIZE, MAX_OUTPUT_BYTES),
                       (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass


def remove_stale_builds(folder: Path) -> None:
    """Remove build folders left in ``folder`` by killed runs (their process is gone)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        m = re.match(re.escape(_BUILD_PREFIX) + r"(\d+)-[0-9a-f]+\Z", entry.name)
        if not m or entry.is_symlink() or not entry.is_dir():
            continue
        if not pid_alive(int(m.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _make_build_folder(folder: Path) -> Path:
    remove_stale_builds(folder)
    build = folder / f"{_BUILD_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    build.mkdir(mode=0o700)
    return build


def _copy_inputs(folder: Path, build: Path, files) -> None:
    """Copy ``files`` (paths relative to ``folder``, e.g. ``figures/x.pdf``) into the build
    folder: only regular files inside ``folder/figures``, never through a link."""
    own = (folder / "figures").resolve()
    for rel in files:
        rel = Path(rel)
        if rel.is_absolute() or ".." in rel.parts or rel.parts[:1] != ("figures",):
            continue
        src = folder / rel
        if src.is_symlink() or not src.resolve().is_relative_to(own):
            continue
        try:
            data = read_bytes(src, "figure")
        except (OSError, ValueError):
            continue
        dest = build / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


def _run(cmd: list, cwd: Path, timeout: float) -> tuple[int | None, str]:
    """Run ``cmd`` in its own process group under the resource limits; on time-out the
    whole group is killed.  Returns (exit status or None on time-out, output)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=sandbox_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: _limit_resources(timeout))
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return None, ""
    except BaseException:
        _kill_group(proc)
        raise


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.communicate()


def latexmk_command(tex_name: str) -> list[str]:
    """The compile command: no rc files, no shell escape, stop at the first error."""
    return ["latexmk", "-norc", "-pdf", "-no-shell-escape", "-interaction=nonstopmode",
            "-halt-on-error", "-file-line-error", tex_name]


def pdf_active_content(data: bytes) -> list[str]:
    """The names of :data:`ACTIVE_PDF_NAMES` that a PDF uses in its objects (outside
    content streams; object streams are inflated and searched too)."""
    found = set()
    outside = _STREAM.sub(b"stream endstream", data)
    found.update(m.group(1).decode() for m in _ACTIVE.finditer(outside))
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 300):m.start()]
        if b"/ObjStm" not in head.rsplit(b"obj", 1)[-1]:
            continue
        try:
            inflated = zlib.decompressobj().decompress(m.group(1), 64 * 1024 * 1024)
        except zlib.error:
            found.add("undecodable object stream")
            continue
        found.update(x.group(1).decode() for x in _ACTIVE.finditer(inflated))
    return sorted(found)


def compile_pdf(tex: Path, timeout: float = TIMEOUT, inputs=()) -> BuildResult:
    """Compile ``tex`` in the sandbox to a PDF beside it; never raises for LaTeX errors.
    ``inputs``: files (relative to the .tex's folder, under ``figures/``) the document
    includes; they are copied into the build folder."""
    tex = Path(tex)
    folder, stem = tex.parent, tex.stem
    build = _make_build_folder(folder)
    try:
        (build / tex.name).write_bytes(read_bytes(tex, "report source"))
        _copy_inputs(folder, build, inputs)
        status, _ = _run(latexmk_command(tex.name), build, timeout)
        timed_out = status is None
        message = (f"LaTeX did not finish within {timeout:g} s (limit LATEX_TIMEOUT)"
                   if timed_out else "" if status == 0 else f"latexmk exited with {status}")
        log_text = _read(build / f"{stem}.log")
        summary = summarize_log(log_text, tex.name)
        log = atomic_write_bytes(folder / f"{stem}.log", log_text.encode()) if log_text else None
        built = build / f"{stem}.pdf"
        if message or summary.errors or not built.is_file():
            return BuildResult(False, None, log, summary,
                               message or "; ".join(summary.errors[:3]) or "no PDF produced",
                               timed_out)
        active = pdf_active_content(built.read_bytes())
        if active:
            return BuildResult(False, None, log, summary, "the PDF has active content ("
                               + ", ".join(active) + "): refused")
        pdf = folder / f"{stem}.pdf"
        try:
            os.replace(built, check_output_path(pdf, "report PDF"))
        except InputError as exc:
            return BuildResult(False, None, log, summary, str(exc))
        return BuildResult(True, pdf, log, summary)
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


class Budget:
    """The time left for the compiles of one report (:data:`~lrtheory.limits.
    LATEX_TOTAL_SECONDS` in all, at most :data:`TIMEOUT` per compile)."""

    def __init__(self, total: float = limits.LATEX_TOTAL_SECONDS, each: float = TIMEOUT):
        self.deadline, self.each = time.monotonic() + total, each

    def next_timeout(self) -> float:
        return max(0.0, min(self.each, self.deadline - time.monotonic()))
