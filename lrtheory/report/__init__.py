"""The LaTeX/PDF verification report and the Markdown summary of a results document.

:func:`write_report` writes ``lrtheory-report.tex`` (from the Jinja2 templates in
``templates/``), the figures as PDF and PNG under ``figures/``, ``SUMMARY.md``, and —
when latexmk is installed — compiles ``lrtheory-report.pdf``.

Claim statements and derived formulas are LaTeX by contract.  Each is vetted before it is
typeset (:func:`lrtheory.report.latex.vet`); if one still breaks the compile, the LaTeX
log names its line, that block is shown as escaped source text with the error, and the
report is compiled again (at most :data:`MAX_FALLBACKS` times).  So one bad statement
never costs the whole PDF, and the report says which statement was not typeset.

Prose (titles, findings, notes, captions, table titles and headers) is escaped text in
which ``$...$`` segments that pass vetting are typeset as inline math, as the checks
write them.  If the compile fails at a line that is not a vetted block, the report is
rebuilt once with all prose escaped; if that fails too, or a compile times out, the last
rebuild shows every statement and formula as source.  The compile itself runs in the
sandbox of :mod:`lrtheory.report.build`, within a time budget.
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import limits
from ..io import atomic_write_text
from . import document
from . import build as latex_build
from .figures import place_figures
from .render import render
from .summary import write_summary

__all__ = ["write_report", "TEX_NAME", "PDF_NAME"]

TEX_NAME = "lrtheory-report.tex"
PDF_NAME = "lrtheory-report.pdf"
#: How many statements or formulas a build may fall back to source text for.
MAX_FALLBACKS = 10

_RAW_START = re.compile(r"^%% lrtheory:raw (\S+)$")


def raw_block_at(tex: str, line: int | None, slack: int = 2) -> str | None:
    """The key of the vetted LaTeX block at (or just before) 1-based ``line`` of ``tex``."""
    if not line:
        return None
    key, end = None, None
    for n, text in enumerate(tex.splitlines()[:line], 1):
        m = _RAW_START.match(text)
        if m:
            key, end = m.group(1), None
        elif text == "%% lrtheory:endraw" and key:
            end = n
    if key is None or (end is not None and line > end + slack):
        return None
    return key


def describe_block(key: str, results: dict) -> str:
    """``"3/formula/2"`` as ``"KT-3 formula 2"`` for messages."""
    index, _, what = key.partition("/")
    claims = results.get("claims") if isinstance(results, dict) else None
    try:
        cid = claims[int(index) - 1].get("id")
    except (TypeError, ValueError, IndexError, AttributeError):
        return key
    return f"{cid} {what.replace('/', ' ')}"


def write_report(results: dict, out_dir, compile_pdf: bool = True, *,
                 base_dirs=()) -> dict:
    """Write the report of ``results`` into ``out_dir``.

    ``base_dirs``: folders (the results file's folder) whose ``figures/`` subfolder holds
    the figures the results name (besides ``out_dir/figures``); figure paths that are
    absolute, contain ``..`` or lead out of those folders are refused.  Returns the paths
    written, whether the PDF was built (and why not), the blocks shown as source, and the
    LaTeX log summary."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = place_figures(results, out, base_dirs)
    info = {"tex": str(out / TEX_NAME), "pdf": None,
            "summary_md": str(write_summary(results, out / "SUMMARY.md")),
            "figures": sorted({f.path for f in figures.values() if f.path}),
            "compiled": False, "pdf_built": False, "reason": "", "fallbacks": [], "log": None}
    if not compile_pdf:
        info["reason"] = "PDF not requested"
    elif not latex_build.latexmk_available():
        info["reason"] = "latexmk is not installed: the .tex was written, no PDF"
    else:
        info["compiled"] = True
        return _compile(results, figures, out, info)
    atomic_write_text(out / TEX_NAME, render(document.build(results, {}, figures)))
    return info


def _compile(results: dict, figures: dict, out: Path, info: dict) -> dict:
    """Render and compile, falling back to source text for the block that breaks LaTeX
    (or for all inline math when the error is elsewhere, and at last for every statement
    and formula) until the PDF builds, within the time budget of
    :class:`~lrtheory.report.build.Budget` and at most :data:`MAX_FALLBACKS` rebuilds."""
    forced, inline_math, fallbacks = {}, True, info["fallbacks"]
    budget = latex_build.Budget()
    while True:
        tex = render(document.build(results, forced, figures, inline_math))
        atomic_write_text(out / TEX_NAME, tex)
        timeout = budget.next_timeout()
        if timeout < 1:
            built = latex_build.BuildResult(False, None, None, latex_build.LogSummary(),
                                            "the LaTeX time budget of "
                                            f"{limits.LATEX_TOTAL_SECONDS} s is "
                                            "spent (limit LATEX_TOTAL_SECONDS)")
            break
        built = latex_build.compile_pdf(out / TEX_NAME, timeout, inputs=info["figures"])
        info.update(log=str(built.log) if built.log else None,
                    log_summary=built.summary.to_json())
        if built.ok or len(fallbacks) >= MAX_FALLBACKS or isinstance(forced,
                                                                      document.AllBlocks):
            break
        errors = built.summary.errors
        reason = f"LaTeX error: {errors[0] if errors else built.message}"
        if re.search(r"[A-Za-z]", built.summary.error_context):
            reason += f" at {built.summary.error_context}"
        key = None if built.timed_out else raw_block_at(tex, built.summary.error_line)
        last = len(fallbacks) == MAX_FALLBACKS - 1
        if key is not None and key not in forced and not last:
            forced[key] = reason
            fallbacks.append({"block": key, "where": describe_block(key, results),
                              "reason": reason})
        elif inline_math and not built.timed_out and not last:
            inline_math = False
            fallbacks.append({"block": "inline math", "where": "all $...$ in prose",
                              "reason": reason})
        else:
            forced, inline_math = document.AllBlocks(reason), False
            fallbacks.append({"block": "all", "where": "every statement, formula and "
                              "$...$ in prose", "reason": reason})
    info.update(pdf=str(built.pdf) if built.ok else None, pdf_built=built.ok,
                reason="" if built.ok else built.message)
    if not built.ok:
        (out / PDF_NAME).unlink(missing_ok=True)  # a PDF of an older .tex would mislead
    return info
