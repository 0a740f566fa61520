"""Fuzzing the vetting of LaTeX from the results (no LaTeX installation needed).

Properties: whatever the text, ``vet`` answers quickly; what it accepts is exactly what TeX
will read (no ``^^`` left to decode), uses only allowlisted control sequences and
environments, and has balanced groups and no live comment or parameter characters; a
dangerous command spelled in any mixture of TeX's ``^^`` notations is refused."""
from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory.report.latex import (ALLOWED_COMMANDS, ALLOWED_SYMBOLS, TEXT_ENVIRONMENTS,
                                   decode_carets, escape, escape_with_math, vet)

DANGEROUS = ["input", "include", "openin", "read", "write", "immediate", "def", "edef",
             "let", "csname", "expandafter", "catcode", "scantokens", "special", "pdfcatalog",
             "pdfobj", "pdffiledump", "pdfstartlink", "directlua", "href", "url",
             "includegraphics", "usepackage", "makeatletter", "lowercase", "string",
             "everyeof", "ExplSyntaxOn", "newcommand", "loop", "openout", "pdfximage"]
ALPHABET = st.sampled_from(list("\\{}$%#^_&~[]()!@=:;.,'`\"|<>*+-/ 0123456789abcdefxyzAIMZ")
                           + ["\n", "\t", "\x00", "\x7f", "\r", "µ", "≤", "😀", "\u00ed"])


def tex_soup():
    words = st.sampled_from(sorted(ALLOWED_COMMANDS)[:80] + DANGEROUS).map(lambda w: "\\" + w)
    carets = st.builds(lambda h: "^^" + h, st.sampled_from(["5c", "5e", "7b", "7d", "25", "23",
                                                            "M", "@", "?", "\\", "i", "69"]))
    return st.lists(st.one_of(ALPHABET, words, carets), max_size=60).map("".join)


def _caret_spellings(word: str):
    """``\\word`` with each character written plainly, as ^^xx or as ^^c (when possible)."""
    def spell(ch):
        options = [st.just(ch), st.just(f"^^{ord(ch):02x}")]
        if 64 <= ord(ch) < 128:
            options.append(st.just("^^" + chr(ord(ch) - 64)))
        elif ord(ch) < 64:
            options.append(st.just("^^" + chr(ord(ch) + 64)))
        return st.one_of(*options)
    return st.tuples(*[spell(c) for c in "\\" + word]).map("".join)


def _accepted_is_safe(safe: str, math: bool) -> None:
    assert "^^" not in safe and decode_carets(safe) == safe
    for m in re.finditer(r"\\([A-Za-z]+|.)", safe):
        name = m.group(1)
        assert name in ALLOWED_COMMANDS or (len(name) == 1 and name in ALLOWED_SYMBOLS), name
    for name in re.findall(r"\\(?:begin|end)\s*\{([^{}]*)\}", safe):
        assert name.strip() in TEXT_ENVIRONMENTS
    live = re.sub(r"\\[^A-Za-z]", "", safe)
    assert "%" not in live and "#" not in live
    depth = 0
    for c in live:
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    assert not any(ord(c) < 32 and c not in "\n\t" for c in safe)


@settings(max_examples=500, deadline=None)
@given(tex_soup(), st.booleans())
def test_vet_accepts_only_what_is_safe_to_typeset(text, math):
    start = time.perf_counter()
    safe, reason = vet(text, math=math)
    assert time.perf_counter() - start < 1.0
    assert (safe is None) != (reason is None)
    if safe is not None:
        _accepted_is_safe(safe, math)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DANGEROUS).flatmap(_caret_spellings), st.text(max_size=20),
       st.booleans())
def test_dangerous_commands_are_refused_in_every_caret_spelling(cmd, tail, math):
    safe, reason = vet(cmd + "{" + tail.replace("}", "").replace("{", "") + "}", math=math)
    assert safe is None and reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_escaped_text_has_no_live_specials(text):
    out = escape(text)
    live = re.sub(r"\\[A-Za-z]+(\{\})?|\\.|[{}]", "", out)
    assert not set("\\$&%#_^~") & set(live)
    assert "^^" not in out


@settings(max_examples=300, deadline=None)
@given(tex_soup())
def test_prose_with_math_keeps_only_vetted_math(text):
    out = escape_with_math(text)
    for m in re.finditer(r"(?<!\\)\$([^$]*)(?<!\\)\$", out):
        assert vet(m.group(1), math=True)[0] is not None, m.group(1)
    assert "^^" not in out
