"""TOML claims files: each ``[[claim]]`` names a kind of :mod:`lrtheory.expect` with its
arguments, plus ``id``, ``title``, ``statement`` (LaTeX), ``source`` (a source key) and
optionally ``expected`` (the verdict, or verdicts, the claim expects) and ``tags``::

    [[claim]]
    id = "P-1"
    title = "Period-3 window"
    statement = "GD on $x^3/3 - x$ has a fold of period 3 at $h = \\\\sqrt{2}$."
    source = "mine"
    kind = "bifurcation"
    objective = "x**3/3 - x"
    vars = "x"
    lr_range = ["1.3", "1.5"]
    type = "fold"
    period = 3
    value = "sqrt(2)"

    [sources.mine]
    authors = ["A. Author"]
    title = "Large learning rates, revisited"
    year = 2025

A file may also declare ``[sources.KEY]`` tables and ``bibliography = "refs.bib"``.
Expressions and numbers are read by the restricted parser (:mod:`lrtheory.parsing`): no
code runs from a TOML file.  An unknown kind, a missing or misspelled key, or a bad value
is an :class:`~lrtheory.errors.InputError` naming the file, the claim and the key, with
the valid choices.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .project import read_toml
from .registry import ClaimSpec, check_expected, check_id
from .sources import read_bibtex, sources_from_tables, unknown_error

#: Top-level keys of a claims file.
FILE_KEYS = ("claim", "sources", "bibliography")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*claim[ \t]*\]\]", re.M)


def claim_lines(text: str) -> list[int]:
    """Line numbers of the ``[[claim]]`` headers of a claims file, in order."""
    return [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]


def load_toml_file(path, values: bool = True) -> tuple[list[ClaimSpec], list]:
    """The claims and sources declared in the claims file at ``path``.  With ``values``
    each claim's check (an expectation) is built — reading every expression and number;
    without, only the keys are checked (nothing heavy is imported)."""
    path = Path(path)
    data = read_toml(path, "claims file")
    bad = [k for k in data if k not in FILE_KEYS]
    if bad:
        raise unknown_error(str(path), "top-level key", bad[0], FILE_KEYS)
    sources = sources_from_tables(data.get("sources", {}), str(path))
    bibs = data.get("bibliography", [])
    for bib in [bibs] if isinstance(bibs, str) else bibs:
        if not isinstance(bib, str):
            raise InputError(f"{path}: 'bibliography' must be a file name or a list of them")
        sources += read_bibtex(path.parent / bib)
    tables = data.get("claim", [])
    if not isinstance(tables, list) or any(not isinstance(t, dict) for t in tables):
        raise InputError(f"{path}: claims are [[claim]] tables (an array of tables)")
    lines = claim_lines(path.read_text(encoding="utf-8", errors="replace"))
    specs = [claim_spec(t, path, lines[i] if i < len(lines) else 0, values, i)
             for i, t in enumerate(tables)]
    return specs, sources


def claim_spec(table: dict, path: Path, line: int, values: bool, index: int = 0) -> ClaimSpec:
    """One ``[[claim]]`` table as a :class:`ClaimSpec` (see :func:`load_toml_file`)."""
    from ..expect.kinds import CLAIM_KEYS, CLAIM_REQUIRED, all_kinds, find_kind, kind_keys
    cid = table.get("id")
    where = f"{path}:{line}: claim {cid!r}" if isinstance(cid, str) else \
        f"{path}:{line}: claim number {index + 1}"
    for key in CLAIM_REQUIRED:
        if key not in table:
            raise InputError(f"{where}: missing key {key!r}")
    check_id(cid, where)
    kind = find_kind(table["kind"])
    if kind is None:
        raise unknown_error(f"{where}: key 'kind'", "kind", table["kind"], list(all_kinds()))
    required, optional = kind_keys(kind, table)
    allowed = CLAIM_KEYS + required + optional
    for key in table:
        if key not in allowed:
            raise unknown_error(where, "key", key, allowed, f" for kind {kind.name!r}")
    for key in required:
        if key not in table:
            raise InputError(f"{where}: missing key {key!r} for kind {kind.name!r} "
                             f"(required: {', '.join(required)}; optional: "
                             f"{', '.join(optional) or 'none'})")
    for key in ("title", "statement", "source"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise InputError(f"{where}: key {key!r} must be non-empty text")
    tags = table.get("tags", [])
    if not isinstance(tags, list) or any(not isinstance(t, str) for t in tags):
        raise InputError(f"{where}: key 'tags' must be a list of strings")
    expected = check_expected(table.get("expected"), f"{where}: key 'expected'")
    args = {k: v for k, v in table.items() if k not in CLAIM_KEYS}
    check = build_check(kind, args, where) if values else None
    return ClaimSpec(cid, table["title"], table["statement"], table.get("source"), check,
                     tuple(tags), expected, str(path), line, kind.name)


def build_check(kind, args: dict, where: str):
    """The expectation of ``kind`` built from the TOML ``args``; errors name the key."""
    from ..expect.base import ArgumentError
    try:
        return kind.load()(**args)
    except ArgumentError as exc:
        raise InputError(f"{where}: key {exc.key!r}: {exc.message}") from None
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
