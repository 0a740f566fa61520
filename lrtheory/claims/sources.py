"""Sources: the papers, notes and posts whose statements the claims check.

A source is declared once — in a ``[tool.lrtheory.sources.KEY]`` table of a project's
``pyproject.toml``, a ``[sources.KEY]`` table of a claims TOML file, a BibTeX file, or a
call of :func:`lrtheory.claims.source` in a Python claims file — and a claim names it by
its key.  The citation shown by ``lrtheory list`` and in reports is
``Authors, "Title" (Venue, Year)`` unless the declaration gives its own ``citation``.

Reading sources imports nothing heavy: ``lrtheory list`` resolves them from the files.
"""
from __future__ import annotations

import difflib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from ..errors import InputError

#: Keys of a source table; ``authors``, ``title`` and ``year`` are required.
SOURCE_FIELDS = ("authors", "title", "year", "venue", "doi", "url", "citation")
REQUIRED_FIELDS = ("authors", "title", "year")
#: A source key: as a claim ID, a letter then letters, digits, ``_ . -``.
KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}\Z")


@dataclass(frozen=True)
class Source:
    """One source: ``key`` (what claims name), ``authors`` (as written, e.g.
    ``"A. Author"``), ``title``, ``year``, and optionally ``venue``, ``doi``, ``url`` and
    a ``citation`` text that replaces the formatted one; ``origin`` says where it was
    declared (``file:line`` or ``file``)."""

    key: str
    authors: tuple[str, ...]
    title: str
    year: int
    venue: str = ""
    doi: str = ""
    url: str = ""
    citation_text: str = ""
    origin: str = field(default="", compare=False)

    def citation(self) -> str:
        """The one-line citation: the declared ``citation`` or
        ``Authors, "Title" (Venue, Year)``."""
        if self.citation_text:
            return self.citation_text
        where = ", ".join(p for p in (self.venue, str(self.year)) if p)
        return f"{format_authors(self.authors)}, \"{self.title}\" ({where})"

    def to_json(self) -> dict:
        """The source as stored in a results document."""
        return {"key": self.key, "authors": list(self.authors), "title": self.title,
                "year": self.year, "venue": self.venue, "doi": self.doi, "url": self.url,
                "citation": self.citation()}


def format_authors(authors) -> str:
    """``A``; ``A & B``; ``A, B, C``; more than four: ``A et al.``."""
    authors = [a for a in authors if a]
    if len(authors) <= 1:
        return "".join(authors)
    if len(authors) == 2:
        return " & ".join(authors)
    return ", ".join(authors) if len(authors) <= 4 else f"{authors[0]} et al."


def _text(value, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: '{name}' must be non-empty text, got {value!r}")
    return value.strip()


def check_key(key, where: str) -> str:
    """``key`` if it is a valid source key, else :class:`InputError`."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise InputError(f"{where}: invalid source key {key!r}: use a letter followed by "
                         "letters, digits, '_', '.', ':' or '-'")
    return key


def unknown_error(where: str, what: str, word, choices, context: str = "") -> InputError:
    """The error for an unknown ``what`` (a key, a kind) in a TOML file: names ``where``,
    the word, the closest valid choice and all of them."""
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return InputError(f"{where}: unknown {what} {word!r}{context}{hint}; "
                      f"valid {what}s: {', '.join(choices)}")


def source_from_table(key: str, table, where: str) -> Source:
    """A :class:`Source` from the TOML table of source ``key`` (``where`` names the file
    and table in messages).  Unknown keys, missing required ones and bad values are
    :class:`InputError` listing the valid keys."""
    where = f"{where}: source {key!r}"
    check_key(key, where)
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table with keys {', '.join(SOURCE_FIELDS)}")
    unknown = sorted(set(table) - set(SOURCE_FIELDS))
    if unknown:
        raise unknown_error(where, "key", unknown[0], SOURCE_FIELDS)
    missing = [k for k in REQUIRED_FIELDS if k not in table]
    if missing:
        raise InputError(f"{where}: missing key {missing[0]!r} (required: "
                         f"{', '.join(REQUIRED_FIELDS)})")
    authors = table["authors"]
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not authors:
        raise InputError(f"{where}: 'authors' must be a list of names, got {authors!r}")
    year = table["year"]
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or not 0 < year < 10000:
        raise InputError(f"{where}: 'year' must be a year such as 2024, got {year!r}")
    opt = {k: _text(table[k], where, k) for k in ("venue", "doi", "url", "citation")
           if k in table}
    return Source(key, tuple(_text(a, where, "authors") for a in authors),
                  _text(table["title"], where, "title"), year, opt.get("venue", ""),
                  opt.get("doi", ""), opt.get("url", ""), opt.get("citation", ""), where)


def sources_from_tables(tables, where: str) -> list[Source]:
    """Sources from a ``{KEY: table}`` mapping (``[sources.KEY]`` tables)."""
    if not isinstance(tables, dict):
        raise InputError(f"{where}: 'sources' must be a table of [sources.KEY] tables")
    return [source_from_table(k, v, where) for k, v in tables.items()]


# ---- BibTeX ----------------------------------------------------------------------------------
_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*\{")
_BIB_VENUE = ("journal", "booktitle", "publisher", "howpublished", "institution", "school")
#: Bytes of a BibTeX file read.
MAX_BIB_BYTES = 4 * 1024 * 1024
#: The folder bibliographies named by the claims being read must lie in (None: anywhere).
_BIB_ROOT: ContextVar = ContextVar("lrtheory_bibliography_root", default=None)


@contextmanager
def bibliography_root(folder):
    """Bibliographies read meanwhile must lie inside ``folder`` (or a folder of
    ``LRTHEORY_SAFE_DIRECTORIES``); None lifts the check."""
    token = _BIB_ROOT.set(folder)
    try:
        yield
    finally:
        _BIB_ROOT.reset(token)


def _bib_value(text: str, i: int, where: str) -> tuple[str, int]:
    """The value starting at ``text[i]``: ``{...}`` (nested), ``"..."`` or a number."""
    if text[i] == "{":
        depth, j = 0, i
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return text[i + 1:j], j + 1
            j += 1
        raise InputError(f"{where}: unbalanced braces in a field value")
    if text[i] == '"':
        j = text.find('"', i + 1)
        if j < 0:
            raise InputError(f"{where}: unterminated quoted field value")
        return text[i + 1:j], j + 1
    m = re.compile(r"\d+").match(text, i)
    if not m:
        raise InputError(f"{where}: field values must be {{...}}, \"...\" or a number "
                         "(BibTeX @string macros are not supported)")
    return m.group(0), m.end()


def _bib_clean(value: str) -> str:
    value = re.sub(r"\\[`'^\"~=.]\{?([A-Za-z])\}?", r"\1", value)   # accents: keep the letter
    return " ".join(value.replace("{", "").replace("}", "").split())


def _bib_fields(body: str, where: str) -> dict[str, str]:
    fields, i = {}, 0
    field_re = re.compile(r"\s*,?\s*([A-Za-z][\w-]*)\s*=\s*", re.S)
    while True:
        m = field_re.match(body, i)
        if not m:
            break
        value, i = _bib_value(body, m.end(), where)
        fields[m.group(1).lower()] = _bib_clean(value)
    return fields


def parse_bibtex(text: str, where: str) -> list[Source]:
    """The entries of a BibTeX file as sources: key, ``author`` (split at ``and``),
    ``title``, ``year``, the venue from ``journal``/``booktitle``/``publisher``/
    ``howpublished``, ``doi`` and ``url``.  ``@comment``, ``@preamble`` and ``@string``
    entries are skipped."""
    out, pos = [], 0
    while True:
        m = _ENTRY.search(text, pos)
        if not m:
            return out
        kind = m.group(1).lower()
        start = m.end() - 1
        _, end = _bib_value(text, start, where)
        pos = end
        if kind in ("comment", "preamble", "string"):
            continue
        body = text[start + 1:end - 1]
        key, _, rest = body.partition(",")
        key = key.strip()
        entry = f"{where}: entry {key!r}"
        check_key(key, entry)
        f = _bib_fields(rest, entry)
        authors = [a.strip() for a in re.split(r"\s+and\s+", f.get("author", "")) if a.strip()]
        table = {"authors": authors or [f.get("editor", "")], "title": f.get("title", ""),
                 "year": f.get("year", "")}
        venue = next((f[k] for k in _BIB_VENUE if f.get(k)), "")
        table.update({k: v for k, v in (("venue", venue), ("doi", f.get("doi", "")),
                                        ("url", f.get("url", ""))) if v})
        out.append(source_from_table(key, table, where))


def read_bibtex(path) -> list[Source]:
    """The sources of the BibTeX file at ``path`` (:func:`parse_bibtex`): a regular file
    of at most :data:`MAX_BIB_BYTES` bytes, inside the folder of :func:`bibliography_root`
    when one is set."""
    from pathlib import Path
    from ..io import read_bytes
    path = Path(path)
    root = _BIB_ROOT.get()
    if root is not None:
        from .project import check_inside
        check_inside(path, root, "bibliography")
    try:
        data = read_bytes(path, "bibliography", MAX_BIB_BYTES)
    except FileNotFoundError:
        raise InputError(f"no bibliography {path}") from None
    return parse_bibtex(data.decode("utf-8", errors="replace"), str(path))
