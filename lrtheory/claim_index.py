"""Claim declarations read from the source text of Python claims files, without running
them (what ``lrtheory list`` uses, so that it imports no check module and none of sympy,
numpy or flint).

A Python claim is declared by a module-level decorator ``@claim("ID", title=..., ...)``
(see :func:`lrtheory.claims.claim`) and a source by a module-level call
``source("key", authors=..., title=..., year=...)``.  :func:`read_python_file` finds
these calls in the text (under the names imported from ``lrtheory.claims``), parses only
them with :mod:`ast`, and reads the ID, title, source and the source's fields when they
are literals.

When the text does not say them plainly — a non-literal ID, title or source, a
``claim(...)`` call that is not a module-level decorator, a name ``claim`` not imported
from lrtheory.claims — it raises :class:`Unreadable`, and the caller imports the modules
instead (:func:`lrtheory.claims.discover` with ``static=False``), so the answer is always
the registry's.
"""
from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

_PARAMS = ("id", "title", "statement", "source")
_SOURCE_PARAMS = ("key",)


class Unreadable(Exception):
    """A claims file whose declarations cannot be read without running it."""


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


def _literal(node, what: str):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise Unreadable(what) from None


_IMPORT = re.compile(r"^from[ \t]+lrtheory\.claims[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_MODULE_USE = re.compile(r"import[ \t]+lrtheory\.claims\b|from[ \t]+lrtheory[ \t]+import[^\n]*"
                         r"\bclaims\b")
_CALL = re.compile(r"(?<![\w.])(\w+)\s*\(")
_DECORATED = re.compile(r"^(?:async[ \t]+def|def|class)[ \t]", re.M)
_ASSIGNED = re.compile(r"^(?:\w+[ \t]*=[ \t]*)?$")


def _aliases(text: str) -> dict[str, str]:
    """Local name -> "claim" | "source" for the names imported from lrtheory.claims."""
    if _MODULE_USE.search(text):
        raise Unreadable("the module lrtheory.claims is used by another name")
    names = {}
    for m in _IMPORT.finditer(text):
        try:
            node = ast.parse("from lrtheory.claims import " + m.group(1).strip()).body[0]
        except SyntaxError:
            raise Unreadable("import") from None
        names.update((a.asname or a.name, a.name) for a in node.names
                     if a.name in ("claim", "source"))
    return names


def _statement(lines: list[str], first: int):
    """The statement starting at line index ``first`` (it may span lines), parsed."""
    for last in range(first, min(first + 80, len(lines))):
        try:
            return ast.parse("".join(lines[first:last + 1]).strip() + "\n").body[0]
        except SyntaxError:
            continue
    raise Unreadable("statement")


def _call_of(node):
    """The call of ``claim``/``source`` in a parsed decorator or statement."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.decorator_list[0]
    return node.value if isinstance(node, (ast.Expr, ast.Assign)) else None


def _claim_spec(call: ast.Call, path: Path, line: int):
    from .claims.registry import ClaimSpec
    args = _arguments(call, _PARAMS)
    values = {k: _literal(args[k], k) for k in ("id", "title", "source") if k in args}
    if not isinstance(values.get("id"), str) or not isinstance(values.get("title"), str):
        raise Unreadable("id")
    if values.get("source") is not None and not isinstance(values["source"], str):
        raise Unreadable("source")
    return ClaimSpec(values["id"], values["title"], "", values.get("source"), None, (), (),
                     str(path), line)


def _arguments(call, names: tuple) -> dict:
    if not isinstance(call, ast.Call):
        raise Unreadable("call")
    found = dict(zip(names, call.args))
    found.update((k.arg, k.value) for k in call.keywords if k.arg)
    return found


def _source(call, path: Path, line: int):
    from .claims.sources import source_from_table
    values = {k: _literal(v, k) for k, v in _arguments(call, _SOURCE_PARAMS).items()}
    key = values.pop("key", None)
    if not isinstance(key, str):
        raise Unreadable("source key")
    return source_from_table(key, values, f"{path}:{line}")


def read_python_file(path) -> tuple[list, list]:
    """The claim specs (without their checks) and the sources declared in the Python
    claims file at ``path``; :class:`Unreadable` when the text does not state them
    plainly (see the module docstring).  Only the declarations are parsed, not the
    whole file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(str(exc)) from None
    if "claim" not in text and "source" not in text:
        return [], []
    aliases = _aliases(text)
    lines = text.splitlines(keepends=True)
    specs, sources = [], []
    for m in _CALL.finditer(text):
        name = m.group(1)
        kind = aliases.get(name)
        if kind is None:
            if name in ("claim", "source"):
                raise Unreadable(f"{name} is not imported from lrtheory.claims")
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()]
        index = text.count("\n", 0, line_start)
        if kind == "claim":
            if before != "@":
                raise Unreadable("a claim(...) call that is not a module-level decorator")
            end = _DECORATED.search(text, m.end())
            if end is None:
                raise Unreadable("decorator")
            try:
                node = ast.parse(text[line_start:end.start()] + "def _decorated(): pass\n")
            except SyntaxError:
                raise Unreadable("syntax") from None
            specs.append(_claim_spec(node.body[0].decorator_list[0], path, index + 1))
        else:
            if not _ASSIGNED.match(before):
                raise Unreadable("a source(...) call that is not a module-level statement")
            sources.append(_source(_call_of(_statement(lines, index)), path, index + 1))
    return specs, sources


def module_files(package: str):
    """``(module name, path)`` of every ``.py`` file of a package (or the module), found
    without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise Unreadable(f"no module {package}")
    if not spec.submodule_search_locations:
        if not spec.origin or not spec.origin.endswith(".py"):
            raise Unreadable(f"module {package} is not a Python source file")
        yield package, Path(spec.origin)
        return
    for root in map(Path, spec.submodule_search_locations):
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join((package, *parts)), path


def read_claim_index(package: str = "proofs_checks") -> list[ClaimInfo] | None:
    """The claims declared in ``package``, sorted as the registry sorts them, or None when
    the source does not say them plainly.  A claim without a source cites the source of
    its ID's prefix (built-in or declared in the package); a ``source`` that is not a
    declared key is shown as written."""
    from .claims.discovery import load_location
    from .claims.registry import Claim, Registry, builtin_sources, resolve
    from .errors import InputError
    try:
        found = load_location("module", package, static=True)
        registry = Registry(sources=[*builtin_sources().values(), *found.sources])
        for spec, module in found.specs:
            if spec.source is not None and spec.source not in registry.sources:
                registry.add(Claim(spec.id, spec.title, spec.source, "", None, (), "", (),
                                   spec.origin, module))
            else:
                registry.add(resolve(spec, registry.sources, module))
    except (Unreadable, InputError, OSError, UnicodeDecodeError):
        return None
    return [ClaimInfo(c.id, c.title, c.source, c.location) for c in registry.claims()]
