"""Claim metadata (ID, title, source) read from the check modules' source text, without
importing them.

A built-in claim is registered by a module-level decorator ``@claim("ID", title=..., ...)``
(see :func:`lrtheory.claims.claim`).  :func:`read_claim_index` finds each such decorator
in the ``.py`` files of a package, parses only the decorator with :mod:`ast` and reads
its ID, title and source when they are literals.  The source defaults to the reference of
the ID's prefix (:data:`lrtheory.claims.SOURCES`), as in the registry.

When the text cannot be read this way (a non-literal ID or title, a ``claim(...)`` call
that is not a module-level decorator, an unknown prefix, a duplicate ID), the function
returns None and the caller imports the modules instead (:func:`lrtheory.claims.all_claims`),
so the answer is always the registry's.
"""
from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

_DECORATOR = re.compile(r"^@claim\(", re.M)
_DECORATED = re.compile(r"^(?:async\s+def|def|class)\s", re.M)
_OTHER_CALL = re.compile(r"(?<![@\w])claim\(|[.]claim\(|^[ \t]+@claim\(", re.M)
_PARAMS = ("id", "title", "statement", "source")


@dataclass(frozen=True)
class ClaimInfo:
    """What ``lrtheory list`` shows of a claim, and the module that registers it."""

    id: str
    title: str
    source: str
    module: str

    @property
    def prefix(self) -> str:
        return self.id.split("-")[0]


class _Unreadable(Exception):
    pass


def _literal_args(call: ast.Call) -> dict:
    """ID, title and source of one ``claim(...)`` call (literals only)."""
    named = dict(zip(_PARAMS, call.args))
    named.update((k.arg, k.value) for k in call.keywords if k.arg in _PARAMS)
    out = {}
    for key in ("id", "title", "source"):
        if key not in named:
            continue
        try:
            out[key] = ast.literal_eval(named[key])
        except ValueError:
            raise _Unreadable(key) from None
    if not isinstance(out.get("id"), str) or not isinstance(out.get("title"), str):
        raise _Unreadable("id")
    return out


def _claims_in(text: str) -> list[dict]:
    if _OTHER_CALL.search(text):
        raise _Unreadable("call")
    found = []
    for m in _DECORATOR.finditer(text):
        end = _DECORATED.search(text, m.end())
        if end is None:
            raise _Unreadable("decorator")
        try:
            tree = ast.parse(text[m.start():end.start()] + "def _decorated(): pass\n")
        except SyntaxError:
            raise _Unreadable("syntax") from None
        found += [_literal_args(d) for d in tree.body[0].decorator_list
                  if isinstance(d, ast.Call) and isinstance(d.func, ast.Name)
                  and d.func.id == "claim"]
    return found


def _module_files(package: str):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise _Unreadable("package")
    for root in map(Path, spec.submodule_search_locations):
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join((package, *parts)), path


def read_claim_index(package: str = "proofs_checks") -> list[ClaimInfo] | None:
    """The claims registered in ``package``, sorted as :func:`lrtheory.claims.all_claims`
    sorts them, or None when the source does not say them plainly (see the module
    docstring)."""
    from .claims import SOURCES, _sort_key
    infos = {}
    try:
        for module, path in _module_files(package):
            for args in _claims_in(path.read_text(encoding="utf-8")):
                prefix = args["id"].split("-")[0]
                if prefix not in SOURCES or args["id"] in infos:
                    return None
                infos[args["id"]] = ClaimInfo(args["id"], args["title"],
                                              args.get("source") or SOURCES[prefix], module)
    except (_Unreadable, OSError, UnicodeDecodeError):
        return None
    return sorted(infos.values(), key=_sort_key)
