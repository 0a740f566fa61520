"""The report's content, built from a results document: what the templates print.

Everything here is plain data; strings are escaped by the template unless they are
:class:`~lrtheory.report.latex.Latex`.  The functions accept anything the results JSON
contract allows — error records, missing keys, empty or ragged tables, huge values — and
never raise on odd content.
"""
from __future__ import annotations

import json
import math
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from ..claims import SOURCES
from ..results import Result
from .latex import (LONG_TOKEN, Latex, escape, escape_key, escape_with_math, pdf_string,
                    vet)

VERDICT_COLORS = {"proved": "lrproved", "confirmed": "lrconfirmed", "refuted": "lrrefuted",
                  "inconclusive": "lrinconclusive", "error": "lrerror"}
#: Values longer than this are abbreviated in the report (the results JSON has them whole).
MAX_VALUE_CHARS = 160
#: Prose (findings, notes, summaries) longer than this is abbreviated.
MAX_PROSE_CHARS = 3000
#: Rows of one evidence table printed in the report.
MAX_TABLE_ROWS = 400
#: Columns of one printed table; wider tables are split, repeating the first column.
MAX_TABLE_COLUMNS = 8


def _dict(x) -> dict:
    return x if isinstance(x, dict) else {}


def _list(x) -> list:
    return x if isinstance(x, list) else []


def abbreviate(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` cut in the middle when longer than ``limit``, saying how much is left out."""
    if len(text) <= limit:
        return text
    head, tail = text[: limit * 2 // 3], text[-(limit // 4):]
    return f"{head} ... [{len(text) - len(head) - len(tail)} characters omitted] ... {tail}"


def show(value, limit: int = MAX_VALUE_CHARS) -> str:
    """A value as report text: JSON scalars as written, containers as JSON, abbreviated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dict) and set(value) == {"type", "value"} and \
            value["type"] == "float" and isinstance(value["value"], str):
        return abbreviate(value["value"], limit)  # a non-finite float as stored in JSON
    if isinstance(value, dict) and set(value) == {"mid", "rad"}:  # an enclosure
        return abbreviate(f"{value['mid']} ± {value['rad']}", limit)
    if isinstance(value, dict) and set(value) == {"value", "exact"}:  # an exact number
        return abbreviate(str(value["exact"]), limit)
    if isinstance(value, (dict, list)):
        value = json.dumps(value, default=str, ensure_ascii=False)
    return abbreviate(str(value), limit)


def float_text(value: float, digits: int = 12) -> str:
    """A float to ``digits`` significant digits, without the noise of its binary
    value (0.010000000000000002 is 0.01)."""
    if not math.isfinite(value):
        return str(value)
    return format(value, f".{max(1, min(digits, 17))}g")


def tolerance_digits(rel_tol) -> int:
    """The significant digits a value compared at relative tolerance ``rel_tol`` carries
    (two beyond the tolerance, at least 3, at most 17)."""
    try:
        tol = float(rel_tol)
    except (TypeError, ValueError):
        return 12
    if not math.isfinite(tol) or tol <= 0:
        return 12
    return max(3, min(17, math.ceil(-math.log10(tol)) + 2))


def one_line_reason(text) -> str:
    """The first line of an error message, with file paths cut to their file names."""
    import re
    first = next((ln.strip() for ln in str(text or "").splitlines() if ln.strip()), "")
    return re.sub(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'\"()]+)+[\\/]([^\s\\/:'\"()]+)", r"\1", first)


#: A run of an expression written in Python syntax (``x**2/2``, ``sqrt(6)/2``).
_EXPRESSION = re.compile(r"[\w.()]*(?:\*\*|\*|sqrt\(|exp\(|log\()[\w.()*/+\-]*")
_LATEX_COMMAND = re.compile(r"\\(?:left|right|frac|sqrt|cdot|infty|pi|mathrm|operatorname)"
                            r"|[_^]\{")


def expression_math(text) -> Latex | None:
    """``$...$`` for an expression in Python syntax, parsed by the restricted parser of
    :mod:`lrtheory.parsing` and typeset by sympy's LaTeX printer, vetted like every formula
    of the results; None when ``text`` is not such an expression."""
    import sympy as sp

    from ..errors import InputError
    from ..parsing import CONSTANTS, FUNCTIONS, parse_expression
    text = str(text).strip()
    if not text or len(text) > 300 or text.count("(") != text.count(")"):
        return None
    names = sorted({n for n in re.findall(r"[A-Za-z_]\w*", text)
                    if n not in FUNCTIONS and n not in CONSTANTS}) or ["x"]
    try:
        expr = parse_expression(text, names)
    except (InputError, ValueError, TypeError, RecursionError):
        return None
    safe, _ = vet(sp.latex(expr), math=True)
    return Latex(f"${safe}$") if safe is not None else None


def math_cell(value):
    """A table cell: an expression typeset as mathematics, LaTeX as mathematics (vetted),
    anything else as text (:func:`show`)."""
    text = show(value)
    if isinstance(value, str) and text == value:
        if _LATEX_COMMAND.search(text):
            safe, _ = vet(text.strip("$"), math=True)
            if safe is not None and "\\\\" not in safe:
                return Latex(f"${safe}$")
        elif re.fullmatch(r"[\w.()*/+\- ]+", text) and re.search(r"[A-Za-z]", text) \
                and _EXPRESSION.search(text):
            return expression_math(text) or text
        elif _is_float_repr(text):
            return float_text(float(text))
    return text


def _is_float_repr(text: str) -> bool:
    """Whether ``text`` is the ``repr`` of a float64 with more digits than it carries
    (``0.30000000000000004``): printed as a float."""
    try:
        return len(re.sub(r"\D", "", text.split("e")[0]).lstrip("0")) >= 16 and \
            repr(float(text)) == text
    except ValueError:
        return False


def _typeset_expressions(text: str) -> str:
    """Prose with its Python-syntax expressions (those with ``**`` or ``sqrt(``) as
    ``$...$`` math."""
    def repl(m):
        math = expression_math(m.group(0).rstrip(".,;:"))
        tail = m.group(0)[len(m.group(0).rstrip(".,;:")):]
        return (str(math) + tail) if math is not None else m.group(0)
    def python_syntax(t):
        return "**" in t or "sqrt(" in t

    if not python_syntax(text):
        return text
    return re.sub(r"[\w.()]+(?:\s*(?:\*\*|[-+*/])\s*[\w.()]+)+",
                  lambda m: repl(m) if python_syntax(m.group(0)) else m.group(0), text)


def plain(value) -> str:
    """Running text that is never math (sources, error messages), abbreviated."""
    return show(value, MAX_PROSE_CHARS)


#: Whether prose may carry inline math ``$...$`` (off for the all-escaped retry build).
INLINE_MATH: ContextVar[bool] = ContextVar("INLINE_MATH", default=True)


def prose(value) -> Latex:
    """Running text (titles, findings, notes, captions) as LaTeX: escaped, with vetted
    ``$...$`` inline math kept as math unless :data:`INLINE_MATH` is off."""
    text = plain(value)
    if not INLINE_MATH.get():
        return escape(text)
    return escape_with_math(_typeset_expressions(text))


def badge(color: str, verdict) -> Latex:
    """The coloured verdict badge (an unknown verdict's label is cut to fit a column)."""
    label = str(verdict).upper()
    label = label if len(label) <= 12 else label[:9] + "…"
    return Latex(rf"\lrverdict{{{color}}}{{{escape(label)}}}")


def verdict_color(verdict) -> str:
    return VERDICT_COLORS.get(str(verdict), "lrother")


@dataclass
class RawBlock:
    """LaTeX from the results (a statement or a formula), or its escaped fallback."""

    key: str
    latex: Latex | None
    source: str
    reason: str | None = None


class AllBlocks(dict):
    """A ``forced`` mapping that sends every raw block to source text with one reason (the
    last fallback of a build that fails where no single block can be blamed)."""

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason

    def __contains__(self, key) -> bool:
        return True

    def __getitem__(self, key) -> str:
        return self.reason


def raw_block(key: str, latex, math: bool, forced: dict) -> RawBlock:
    """Vet ``latex``; fall back to source text when vetting or an earlier compile of this
    block (``forced[key]``) failed."""
    text = "" if latex is None else str(latex)
    if key in forced:
        return RawBlock(key, None, abbreviate(text, 2000), forced[key])
    safe, reason = vet(text, math=math)
    return RawBlock(key, safe, abbreviate(text, 2000), reason)


# -- tables ---------------------------------------------------------------------------------

@dataclass
class TablePart:
    colspec: Latex
    header: list
    rows: list
    caption: str


@dataclass
class TableView:
    title: str
    note: str
    parts: list = field(default_factory=list)
    omitted_rows: int = 0
    empty: bool = False


def column_spec(widths: list[float]) -> Latex:
    """``p{}`` columns whose widths (fractions of the line) sum to the line width."""
    return Latex("".join(
        rf">{{\raggedright\arraybackslash}}p{{\dimexpr {w:.4f}\linewidth-2\tabcolsep\relax}}"
        for w in widths))


def _longest_word(text: str) -> int:
    """Length of the longest piece of ``text`` a line cannot break (the escaper gives
    tokens longer than LONG_TOKEN break points)."""
    words = [len(w) for w in str(text).split()] or [0]
    return min(max(words), LONG_TOKEN)


def fit_widths(header, rows, chars_per_line: float = 100.0) -> list[float]:
    """Column widths (fractions of the line) that give each column at least its longest
    unbreakable word, and share what is left in proportion to the content length."""
    pad = 2.5  # the column separation, in characters
    need, want = [], []
    for i, h in enumerate(header):
        cells = [str(r[i]) for r in rows if i < len(r)]
        need.append(max([_longest_word(h) * 1.15] + [_longest_word(c) for c in cells]) + pad)
        want.append(min(max([len(str(h)) * 1.15] + [len(c) for c in cells]), 45) + pad)
    if sum(want) <= chars_per_line:
        return [w / sum(want) for w in want]
    spare = chars_per_line - sum(need)
    if spare <= 0:
        return [n / sum(need) for n in need]
    extra = [w - n for w, n in zip(want, need)]
    total = sum(extra) or 1
    return [(n + spare * e / total) / chars_per_line for n, e in zip(need, extra)]


def table_view(table: dict, index: int) -> TableView:
    """Printable parts of an evidence table: ragged rows padded, long ones cut, wide ones
    split into column groups that repeat the first column."""
    table = _dict(table)
    columns = [prose(c) for c in _list(table.get("columns"))]
    rows = [[math_cell(c) for c in (r if isinstance(r, list) else [r])]
            for r in _list(table.get("rows"))]
    view = TableView(prose(table.get("title")) or f"Table {index}", prose(table.get("note")))
    width = max([len(columns)] + [len(r) for r in rows])
    if not rows or width == 0:
        view.empty = True
        return view
    columns += [""] * (width - len(columns))
    view.omitted_rows = max(0, len(rows) - MAX_TABLE_ROWS)
    rows = [r + [""] * (width - len(r)) for r in rows[:MAX_TABLE_ROWS]]
    groups = column_groups(width)
    for n, cols in enumerate(groups, 1):
        header = [columns[i] for i in cols]
        body = [[r[i] for i in cols] for r in rows]
        caption = (f"columns {cols[1] + 1}-{cols[-1] + 1} of {width}, part {n} of {len(groups)}"
                   if len(groups) > 1 else "")
        view.parts.append(TablePart(column_spec(fit_widths(header, body, 110)), header, body,
                                    caption))
    return view


def column_groups(width: int) -> list[list[int]]:
    """Column indices of each printed part; parts after the first repeat column 0."""
    if width <= MAX_TABLE_COLUMNS:
        return [list(range(width))]
    step = MAX_TABLE_COLUMNS - 1
    return [[0] + list(range(s, min(s + step, width))) for s in range(1, width, step)]


# -- claims ---------------------------------------------------------------------------------

@dataclass
class ClaimView:
    index: int
    id: str
    bookmark: str
    title: str
    source: str
    source_key: str
    verdict: str
    color: str
    method: str
    precision: str
    tolerance: str
    seconds: str
    summary: str
    statement: RawBlock
    numbers: list
    tables: list
    formulas: list
    figures: list
    findings: list
    notes: list
    error: str = ""
    traceback: str = ""


def source_keys(records: list) -> dict[str, str]:
    """A short citation key per source text: the declared source's key (``source_key`` of
    the record), else the ID prefix (``BLOG``, ...) for a built-in source, ``S1``, ``S2``,
    ... for any other."""
    keys: dict[str, str] = {}
    others = 0
    for r in records:
        prefix = str(_dict(r).get("id", "")).split("-")[0]
        source = plain(_dict(r).get("source"))
        declared = plain(_dict(r).get("source_key"))
        if source in keys:
            continue
        if declared:
            keys[source] = declared
            continue
        if SOURCES.get(prefix) != source:
            others += 1
        keys[source] = prefix if SOURCES.get(prefix) == source else f"S{others}"
    return keys


def source_entries(results: dict, keys: dict[str, str]) -> list[tuple[str, str]]:
    """(key, text) of the sources section: the declared sources of the results document
    (citation, with DOI or URL) where known, else the citation text of the records."""
    declared = {plain(_dict(s).get("key")): _dict(s) for s in _list(results.get("sources"))}
    out = []
    for text, key in keys.items():
        s = declared.get(key)
        if s:
            link = f"doi:{s['doi']}" if s.get("doi") else s.get("url") or ""
            text = plain(s.get("citation") or text) + (f", {plain(link)}" if link else "")
        out.append((key, text))
    return out


def number_rows(numbers: dict) -> list[list[str]]:
    """Rows (name, value, uncertainty, note) of the key numbers."""
    rows = []
    for name, entry in _dict(numbers).items():
        entry = entry if isinstance(entry, dict) else {"value": entry}
        kind = str(entry.get("kind", ""))
        if kind == "ball":
            unc = f"ball, radius {show(entry.get('rad', entry.get('radius')))}"
            entry = {**entry, "value": entry.get("mid", entry.get("value"))}
        elif kind == "float":
            unc = f"float, rel tol {show(entry.get('rel_tol'))}"
            if isinstance(entry.get("value"), float):
                entry = {**entry, "value": float_text(entry["value"],
                                                      tolerance_digits(entry.get("rel_tol")))}
            if entry.get("abs_tol"):
                unc += f", abs tol {show(entry.get('abs_tol'))}"
        else:
            unc = kind or "-"
            if "exact" in entry:
                entry = {**entry, "value": entry["exact"]}
        rows.append([show(name), show(entry.get("value")), unc, prose(entry.get("note"))])
    return rows


def claim_view(index: int, record: dict, forced: dict, figures: dict,
               keys: dict) -> ClaimView:
    """Everything the report prints about one claim record."""
    record = _dict(record)
    ev = _dict(record.get("evidence"))
    cid = show(record.get("id")) or f"claim {index}"
    verdict = show(record.get("verdict")) or "error"
    seconds = record.get("seconds")
    view = ClaimView(
        index=index, id=cid, bookmark=pdf_string(f"{cid} {show(record.get('title'))}"),
        title=prose(record.get("title")), source=prose(record.get("source")),
        source_key=keys.get(plain(record.get("source")), ""),
        verdict=verdict, color=verdict_color(verdict),
        method=show(record.get("method")) or "-", precision=prose(ev.get("precision")),
        tolerance=prose(ev.get("tolerance")),
        seconds=f"{seconds:.2f}" if isinstance(seconds, (int, float)) else show(seconds),
        summary=prose(ev.get("summary")),
        statement=raw_block(f"{index}/statement", record.get("statement"), False, forced),
        numbers=number_rows(ev.get("numbers")),
        tables=[table_view(t, i) for i, t in enumerate(_list(ev.get("tables")), 1)],
        formulas=[(prose(_dict(f).get("label")),
                   raw_block(f"{index}/formula/{i}", _dict(f).get("latex"), True, forced))
                  for i, f in enumerate(_list(ev.get("formulas")), 1)],
        figures=[replace(figures[index, j], caption=prose(figures[index, j].caption))
                 for j in range(len(_list(ev.get("figures")))) if (index, j) in figures],
        findings=[finding_view(f) for f in _list(ev.get("findings"))],
        notes=[prose(n) for n in _list(ev.get("notes"))])
    if "error" in ev or verdict == "error":
        # one line, no machine paths; the traceback stays in the results JSON
        view.error = plain(one_line_reason(ev.get("error"))) or "the check produced no verdict"
    return view


def finding_view(finding) -> dict:
    f = _dict(finding) if isinstance(finding, dict) else dict(finding.to_json()) \
        if isinstance(finding, Result) else {"statement": finding}
    verdict = show(f.get("verdict")) or "-"
    return {"statement": prose(f.get("statement")), "verdict": verdict,
            "color": verdict_color(verdict), "method": show(f.get("method")),
            "detail": prose(f.get("detail"))}


# -- the whole document ---------------------------------------------------------------------

def source_groups(claims: list[ClaimView]) -> list[tuple[str, list[ClaimView]]]:
    """Claims grouped by source key (else ID prefix), in order of first appearance."""
    groups: dict[str, list] = {}
    for c in claims:
        groups.setdefault(c.source_key or c.id.split("-")[0], []).append(c)
    return list(groups.items())


def verdict_counts(claims: list[ClaimView]) -> list[tuple[str, str, int]]:
    order = list(VERDICT_COLORS)
    seen = sorted({c.verdict for c in claims},
                  key=lambda v: (order.index(v) if v in order else len(order), v))
    return [(v, verdict_color(v), sum(c.verdict == v for c in claims)) for v in seen]


def summary_rows(claims: list[ClaimView]) -> list[list]:
    """The summary table: claim (linked), source, verdict, method, precision, seconds."""
    return [[Latex(rf"\hyperref[claim:{c.index}]{{\textbf{{{escape(c.id)}}}}} {escape(c.title)}"),
             escape_key(c.source_key), badge(c.color, c.verdict), c.method, c.precision,
             c.seconds]
            for c in claims]


def environment_rows(results: dict) -> list[list[str]]:
    env = _dict(results.get("environment"))
    rows = [[show(k), show(v)] for k, v in env.items()]
    rows.append(["mode", "quick" if results.get("quick") else "full"])
    rows.append(["report generated",
                 datetime.now(timezone.utc).isoformat(timespec="seconds")])
    return rows


def build(results: dict, forced: dict | None = None, figures: dict | None = None,
          inline_math: bool = True) -> dict:
    """The template context of a results document.  ``forced`` maps raw-block keys to the
    reason they are shown as source; ``figures`` maps (claim number, figure number) to
    the placed figure (see :func:`lrtheory.report.figures.place_figures`);
    ``inline_math``: whether ``$...$`` in prose is typeset as math."""
    token = INLINE_MATH.set(inline_math)
    try:
        return _context(_dict(results), {} if forced is None else forced, figures or {})
    finally:
        INLINE_MATH.reset(token)


def _context(results: dict, forced: dict, figures: dict) -> dict:
    records = _list(results.get("claims"))
    keys = source_keys(records)
    claims = [claim_view(i, r, forced, figures, keys) for i, r in enumerate(records, 1)]
    project = _dict(results.get("project"))
    return {
        "title": show(project.get("title")) or "lrtheory verification report",
        "authors": ", ".join(show(a) for a in _list(project.get("authors"))),
        "version": show(results.get("lrtheory")),
        "mode": "quick" if results.get("quick") else "full",
        "date": show(_dict(results.get("environment")).get("date")),
        "claims": claims,
        "groups": source_groups(claims),
        "counts": verdict_counts(claims),
        "refuted": [c for c in claims if c.verdict == "refuted"],
        "errored": [c for c in claims if c.error],
        "sources": source_entries(results, keys),
        "environment": environment_rows(results),
        "summary_rows": summary_rows(claims),
        "precision_rows": [[c.id, c.precision or "-", c.tolerance or "-"] for c in claims],
        "summary_spec": column_spec([0.29, 0.10, 0.16, 0.15, 0.20, 0.10]),
        "numbers_spec": column_spec([0.22, 0.30, 0.18, 0.30]),
        "env_spec": column_spec([0.3, 0.7]),
        "precision_spec": column_spec([0.16, 0.42, 0.42]),
    }
