"""``SUMMARY.md``: the verdict table of a results document in Markdown."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..claims import VERDICTS
from ..io import atomic_write_text


def md_cell(value) -> str:
    """A value as one Markdown table cell: one line, pipes and markup characters escaped."""
    text = " ".join(str("" if value is None else value).split())
    for ch in "\\`*_[]<>|#~$":
        text = text.replace(ch, "\\" + ch)
    return text or " "


def _seconds(value) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) else str(value)


def _evidence(record: dict) -> dict:
    ev = record.get("evidence")
    return ev if isinstance(ev, dict) else {}


def summary_markdown(results: dict) -> str:
    """The Markdown summary: verdict counts and one row per claim."""
    claims = [c for c in (results.get("claims") or []) if isinstance(c, dict)]
    counts = Counter(str(c.get("verdict")) for c in claims)
    order = [*VERDICTS, "error"]
    counts = {v: counts[v] for v in sorted(counts, key=lambda v: (
        order.index(v) if v in order else len(order), v))}
    mode = "quick" if results.get("quick") else "full"
    env = results.get("environment")
    date = env.get("date", "") if isinstance(env, dict) else ""
    project = results.get("project") if isinstance(results.get("project"), dict) else {}
    title = md_cell(project.get("title")) if project.get("title") else ""
    lines = [f"# {title + ': ' if title else ''}lrtheory verification summary", "",
             f"lrtheory {md_cell(results.get('lrtheory') or '?')}, {mode} run"
             + (f", results of {md_cell(date)}." if date else "."),
             "", "Verdicts: " + (", ".join(f"{md_cell(v)} {n}" for v, n in counts.items())
                                 or "no claims") + ".", ""]
    if claims:
        lines += ["| Claim | Title | Verdict | Method | Precision | Seconds |",
                  "|---|---|---|---|---|---|"]
        for c in claims:
            ev = _evidence(c)
            verdict = md_cell(c.get("verdict"))
            if verdict in ("refuted", "error"):
                verdict = f"**{verdict}**"
            lines.append("| " + " | ".join([
                md_cell(c.get("id")), md_cell(c.get("title")), verdict,
                md_cell(c.get("method") or "-"), md_cell(ev.get("precision") or "-"),
                md_cell(_seconds(c.get("seconds")))]) + " |")
    errors = [c for c in claims if c.get("verdict") == "error"]
    if errors:
        lines += ["", "## Checks that failed to run", ""]
        lines += [f"- {md_cell(c.get('id'))}: {md_cell(_evidence(c).get('error'))}"
                  for c in errors]
    return "\n".join(lines) + "\n"


def write_summary(results: dict, path) -> Path:
    """Write :func:`summary_markdown` atomically to ``path``."""
    return atomic_write_text(Path(path), summary_markdown(results))
