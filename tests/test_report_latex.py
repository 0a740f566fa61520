"""Escaping and vetting of text for the LaTeX report (no LaTeX installation needed)."""
from __future__ import annotations

import re

import pytest

from lrtheory.report import raw_block_at
from lrtheory.report.document import column_groups, fit_widths, show, table_view
from lrtheory.report.latex import (UNICODE_MAP, Latex, escape, escape_lines,
                                   escape_with_math, pdf_string, unicode_declarations, vet)
from lrtheory.report.summary import md_cell, summary_markdown

SPECIALS = "\\{}$&%#_^~<>|[]*"


def _live(latex: str) -> str:
    """The LaTeX with every command and escaped character removed: what remains is text
    that TeX reads literally."""
    return re.sub(r"\\[A-Za-z]+|\\.|[{}]", "", latex)


@pytest.mark.parametrize("ch", list(SPECIALS))
def test_every_special_character_is_escaped(ch):
    out = escape(f"a{ch}b")
    assert out != f"a{ch}b"
    assert ch not in _live(out) or ch in "[]*", out  # [ ] * are wrapped in braces


def test_escape_of_a_hostile_string_leaves_no_live_specials():
    out = escape("x\\y {z} $5 & 50% #1 a_b c^d e~f <g> h|i")
    assert not set("\\{}$&%#_^~") & set(_live(out)), out
    assert r"\textbackslash{}" in out and r"\$" in out and r"\%" in out


def test_escape_returns_latex_and_is_idempotent_on_latex():
    once = escape("a_b")
    assert isinstance(once, Latex)
    assert escape(once) == once
    assert escape(None) == ""


def test_unicode_symbols_are_kept_for_the_preamble_and_unknown_ones_marked():
    out = escape("µ ‖∇f‖² ≤ ε → ∞ 你 😀")
    for ch in "µ‖∇²≤ε→∞":
        assert ch in out and ch in UNICODE_MAP
    assert r"\lrU{4F60}" in out and r"\lrU{1F600}" in out
    assert "你" not in out and "😀" not in out
    decl = unicode_declarations()
    assert r"\DeclareUnicodeCharacter{00B5}{\ensuremath{\mu}}" in decl
    assert decl.count("\\DeclareUnicodeCharacter") == len(UNICODE_MAP)


def test_accented_latin_letters_pass_and_control_characters_go():
    assert "é" in escape("Poincaré")
    out = escape("bell\x07 nul\x00 esc\x1b")
    assert not any(ord(c) < 32 for c in out)


def test_long_tokens_get_break_points_and_short_ones_do_not():
    assert r"\allowbreak" in escape("x" * 100)
    assert escape("x" * 100).count(r"\allowbreak") >= 9
    assert r"\allowbreak" not in escape("short words only")
    huge = escape("7" * 5000)
    assert max(len(p) for p in huge.split(r"\allowbreak{}")) <= 10


def test_double_hyphen_and_bracket_after_row_end_are_neutralised():
    assert "--" not in escape("--quick")
    assert escape("[1, 2]").startswith("{[}")


def test_escape_lines_keeps_lines_and_indentation():
    out = escape_lines("Traceback:\n    1/0\n\nZeroDivisionError: x_y")
    lines = out.split("\\newline\n")
    assert len(lines) == 4
    assert lines[1].startswith(r"\hspace*{2em}")
    assert lines[2] == "~" and r"x\_y" in lines[3]


def test_pdf_string_is_plain_ascii():
    s = pdf_string("BLOG-2: µ ‖x‖ ≤ 1 \\ {} $ & % #")
    assert s.isascii() and not set("\\{}$&%#") & set(s)


@pytest.mark.parametrize("latex", [
    r"For $f = Lx^2/2$ and $0 < h < 1/L$, $x_k \to 0$.",
    r"\( \|\nabla f\| \) and \[ a = b \] with \% and \{ \}",
    r"Let $\mu \le 1$ and µ ≤ 1 (unicode).",
])
def test_vet_accepts_good_statements(latex):
    safe, reason = vet(latex)
    assert reason is None and safe == latex


@pytest.mark.parametrize("latex,why", [
    (r"$x^2", "$"), (r"\frac{1}{2", "braces"), (r"50% of it", "%"), (r"#1", "#"),
    (r"\input{/etc/passwd}", "input"), (r"\def\x{1}", "def"), (r"\end{document}", "document"),
    (r"\begin{itemize} x", "begin"), (r"\csname relax\endcsname", "csname"),
    (r"\write18{rm -rf /}", "write"), ("", "empty"), ("   ", "empty"),
    (r"\includegraphics{/etc/passwd}", "includegraphics"),
])
def test_vet_rejects_what_would_break_or_abuse_the_report(latex, why):
    safe, reason = vet(latex)
    assert safe is None and why in reason


def test_vet_of_formulas_rejects_delimiters_and_marks_unknown_characters():
    assert vet(r"$x$", math=True)[0] is None
    assert vet(r"\[x\]", math=True)[0] is None
    safe, reason = vet("x + 😀", math=True)
    assert reason is None and r"\lrU{1F600}" in safe


def test_inline_math_in_prose_is_kept_only_when_vetted():
    out = escape_with_math(r"multiplier $m = 1 - hL$ costs $5")
    assert "$m = 1 - hL$" in out and r"\$5" in out
    bad = escape_with_math(r"broken $\frac{1}{2$ and $a \\ b$")
    assert r"\$" in bad and r"\textbackslash{}frac" in bad


def test_raw_block_at_attributes_error_lines():
    tex = "a\n%% lrtheory:raw 3/statement\n\\bad\n%% lrtheory:endraw\n}\nb\nc\nd\n"
    assert raw_block_at(tex, 3) == "3/statement"
    assert raw_block_at(tex, 5) == "3/statement"     # error reported at the closing brace
    assert raw_block_at(tex, 8) is None
    assert raw_block_at(tex, 1) is None and raw_block_at(tex, None) is None


def test_tables_pad_ragged_rows_cut_long_ones_and_split_wide_ones():
    view = table_view({"title": "t", "columns": ["a"], "rows": [[1, 2, 3], []]}, 1)
    assert [len(r) for r in view.parts[0].rows] == [3, 3]
    wide = table_view({"title": "w", "columns": [str(i) for i in range(20)],
                       "rows": [list(range(20))]}, 1)
    assert len(wide.parts) == len(column_groups(20)) > 1
    assert all(p.header[0] == "0" for p in wide.parts)
    covered = sorted({h for p in wide.parts for h in p.header})
    assert covered == sorted(str(i) for i in range(20))
    assert table_view({"title": "e", "columns": [], "rows": []}, 1).empty
    long = table_view({"columns": ["k"], "rows": [[k] for k in range(1000)]}, 1)
    assert long.omitted_rows == 1000 - len(long.parts[0].rows) > 0


def test_column_widths_fill_the_line_and_respect_short_columns():
    widths = fit_widths(["k", "a long column"], [["100", "word " * 40]], 100)
    assert abs(sum(widths) - 1) < 1e-9
    assert widths[0] * 100 >= len("100")


def test_huge_values_are_abbreviated_with_a_count():
    text = show("9" * 10_000)
    assert len(text) < 300 and "characters omitted" in text


def test_markdown_summary_escapes_cells():
    assert md_cell("a|b\nc_d") == "a\\|b c\\_d"
    md = summary_markdown({"lrtheory": "0.1", "quick": True, "claims": [
        {"id": "X-1", "title": "t|*", "verdict": "refuted", "method": "exact",
         "seconds": 1.0, "evidence": {"precision": "exact"}},
        {"id": "X-2", "title": "e", "verdict": "error", "method": "", "seconds": 0,
         "evidence": {"error": "ValueError: bad | thing"}}]})
    rows = [l for l in md.splitlines() if l.startswith("| X-")]
    assert len(rows) == 2 and all(l.count(" | ") == 5 for l in rows)
    assert "**refuted**" in md and "ValueError: bad \\| thing" in md


def test_log_summary_reads_errors_boxes_and_pages():
    from lrtheory.report.build import summarize_log
    log = ("Overfull \\hbox (1.0pt too wide) in paragraph\nOverfull \\hbox (2pt too wide)\n"
           "Underfull \\vbox (badness 10000)\n"
           "./lrtheory-report.toc:3: Undefined control sequence.\n"
           "./lrtheory-report.tex:42: Missing $ inserted.\n"
           "Output written on x.pdf (7 pages, 1234 bytes).\n")
    s = summarize_log(log)
    assert (s.overfull_hbox, s.underfull, s.pages) == (2, 1, 7)
    assert s.errors == ["Undefined control sequence.", "Missing $ inserted."]
    assert s.error_line == 42


def test_non_finite_floats_stored_as_tagged_json_are_shown_as_numbers():
    assert show({"type": "float", "value": "nan"}) == "nan"
    assert show({"type": "float", "value": "-inf"}) == "-inf"
    assert show({"type": "mpf", "value": "x"}).startswith("{")


@pytest.mark.parametrize("latex,why", [
    (r"^^5cinput{/etc/passwd}", r"\input"), (r"^^5c^^69nput{x}", r"\input"),
    (r"\pdffiledump length 9 {x}", r"\pdffiledump"), (r"\scantokens{x}", r"\scantokens"),
    (r"\begin{filecontents}{a}x\end{filecontents}", "filecontents"),
    ("\\\u00ednput{x}", "\u00ed"), ("x^^", "^^"),
])
def test_vet_checks_tokens_after_decoding_carets(latex, why):
    safe, reason = vet(latex)
    assert safe is None and why in reason
