"""Claims and the :class:`Registry` that discovery builds from them.

A claim is declared where its check is written: ``@claim(ID, title=..., statement=...,
source=KEY)`` on a function ``check(ctx) -> Evidence`` (or ``claim(...)(expectation)``
with an expectation of :mod:`lrtheory.expect`), or a ``[[claim]]`` table of a TOML file.
The decorator records a :class:`ClaimSpec` — with the file and line it was written at —
in the declaring module (``__lrtheory_claims__``) and returns the function unchanged.
Discovery (:mod:`lrtheory.claims.discovery`) loads the modules and files of a project or
collection, resolves each spec's source against the declared sources and adds the
resulting :class:`Claim` objects to a new :class:`Registry`.  Nothing global is written
while discovering; a check only reads its :class:`~lrtheory.claims.CheckContext`.

Claim IDs are free-form: a letter, then letters, digits, ``_``, ``.`` and ``-``.  Two
claims with the same ID (compared case-insensitively) from different places are an
error naming both files and lines.

:data:`REGISTRY` holds claims registered by code that discovery does not load (a claim
declared in an interactive session or a test); discovery never writes to it, and the
registry of the built-in claims (outside any project) includes it.
"""
from __future__ import annotations

import re
import sys
from collections.abc import MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from ..errors import InputError
from .evidence import VERDICTS
from .sources import Source

#: A claim ID: a letter, then letters, digits, ``_``, ``.`` and ``-`` (at most 64).
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}\Z")
#: Separators after which a prefix selects: ``BLOG`` selects ``BLOG-1``, ``thm3`` ``thm3.1``.
_SEPARATORS = "-._"

_LOADING: ContextVar[bool] = ContextVar("lrtheory_claims_loading", default=False)
_ACTIVE: ContextVar["Registry | None"] = ContextVar("lrtheory_active_registry", default=None)


def check_id(cid, where: str = "") -> str:
    """``cid`` if it is a valid claim ID, else :class:`InputError`."""
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        raise InputError(f"{where + ': ' if where else ''}invalid claim ID {cid!r}: use a "
                         "letter followed by letters, digits, '_', '.' or '-' (at most 64)")
    return cid


def check_expected(expected, where: str = "") -> tuple[str, ...]:
    """The expected verdicts of a claim (a verdict or a list of them) as a tuple."""
    if expected is None:
        return ()
    items = [expected] if isinstance(expected, str) else expected
    if not isinstance(items, (list, tuple)) or not items or \
            any(not isinstance(v, str) or v not in VERDICTS for v in items):
        raise InputError(f"{where + ': ' if where else ''}expected must be one of "
                         f"{', '.join(VERDICTS)} (or a list of them), got {expected!r}")
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class ClaimSpec:
    """A claim as declared, before its source is resolved: ``source`` is the key named
    (None: the default of its collection); ``file`` and ``line`` where it was written."""

    id: str
    title: str
    statement: str
    source: str | None
    check: Callable
    tags: tuple = ()
    expected: tuple = ()
    file: str = ""
    line: int = 0
    kind: str = ""

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Claim:
    """A registered claim: ``id``, ``title``, ``source`` (the citation text), ``statement``
    (LaTeX), ``check(ctx) -> Evidence``, ``tags``; ``source_key`` the declared source's key,
    ``expected`` the verdicts the claim declares it expects (empty: none), ``origin``
    where it was declared (``file:line``), ``location`` the claims file or module
    discovery found it in, ``reference`` the declared :class:`Source`, and ``kind`` the
    kind of :mod:`lrtheory.expect` of a TOML claim ("" for a Python claim: see
    :func:`claim_kind`)."""

    id: str
    title: str
    source: str
    statement: str
    check: Callable
    tags: tuple = ()
    source_key: str = ""
    expected: tuple = ()
    origin: str = ""
    location: str = ""
    reference: Source | None = None
    kind: str = ""

    @property
    def prefix(self) -> str:
        return self.id.split("-")[0]

    def __reduce__(self):
        """A claim of a Python claims file loaded by path pickles by that file and its ID
        (the file is loaded again where it is unpickled); others pickle as dataclasses."""
        from .discovery import SYNTHETIC_PREFIX
        module = getattr(self.check, "__module__", "") or ""
        if self.location and module.startswith(SYNTHETIC_PREFIX):
            data = {k: v for k, v in self.__dict__.items() if k != "check"}
            return _restore_claim, (data,)
        return super().__reduce__()


def _restore_claim(data: dict) -> Claim:
    from .discovery import load_python_file
    specs = load_python_file(data["location"])[0]
    check = next(s.check for s in specs if s.id == data["id"])
    return Claim(check=check, **data)


def _caller(depth: int = 2):
    frame = sys._getframe(depth)
    return frame.f_globals, frame.f_code.co_filename, frame.f_lineno


def claim(id: str, title: str, statement: str, source: str | None = None, tags=(),
          expected=None):
    """Decorator declaring ``check(ctx) -> Evidence`` (or an expectation of
    :mod:`lrtheory.expect`) as the check of claim ``id``.

    ``source`` is the key of a declared source (default: the source whose key is the ID's
    prefix, or the only source declared); ``expected`` the verdict (or verdicts) the
    claim expects — the pytest plugin fails the claim when it gets another."""
    check_id(id)
    if not isinstance(title, str) or not isinstance(statement, str):
        raise InputError(f"claim {id}: title and statement must be text")
    if source is not None and not isinstance(source, str):
        raise InputError(f"claim {id}: source must be a source key (text)")
    wanted = check_expected(expected, f"claim {id}")
    module_globals, file, line = _caller()

    def register(fn):
        if not callable(fn):
            raise InputError(f"claim {id}: the check must be callable (a function "
                             f"check(ctx) -> Evidence or an expectation), got {fn!r}")
        spec = ClaimSpec(id, title, statement, source, fn, tuple(tags), wanted, file, line)
        module_globals.setdefault("__lrtheory_claims__", []).append(spec)
        if not _LOADING.get():
            REGISTRY.add(resolve_legacy(spec))
        return fn
    return register


def source(key: str, *, authors, title: str, year: int, venue: str = "", doi: str = "",
           url: str = "", citation: str = "") -> Source:
    """Declare a source in a Python claims file (module level); claims of the same
    project or collection name it by ``key``."""
    from .sources import source_from_table
    module_globals, file, line = _caller()
    table = {"authors": authors, "title": title, "year": year}
    table.update({k: v for k, v in (("venue", venue), ("doi", doi), ("url", url),
                                    ("citation", citation)) if v})
    src = source_from_table(key, table, f"{file}:{line}")
    module_globals.setdefault("__lrtheory_sources__", []).append(src)
    return src


@contextmanager
def loading():
    """While discovery loads claims: declarations go only to their modules."""
    token = _LOADING.set(True)
    try:
        yield
    finally:
        _LOADING.reset(token)


# ---- resolution of sources -----------------------------------------------------------------
@lru_cache(maxsize=1)
def builtin_sources() -> dict[str, Source]:
    """The sources of lrtheory's built-in collection, by key (read from its files)."""
    from .discovery import builtin_collection_sources
    return {s.key: s for s in builtin_collection_sources()}


def resolve_legacy(spec: ClaimSpec) -> Claim:
    """A claim declared outside discovery: its source is a built-in key (the ID's prefix
    by default) or, otherwise, taken as the citation text."""
    known = builtin_sources()
    key = spec.source if spec.source is not None else spec.id.split("-")[0]
    src = known.get(key)
    text = src.citation() if src else (spec.source or "")
    return Claim(spec.id, spec.title, text, spec.statement, spec.check, spec.tags,
                 src.key if src else "", spec.expected, spec.origin, "", src, spec.kind)


def resolve(spec: ClaimSpec, sources: dict[str, Source], location: str = "",
            local=()) -> Claim:
    """The claim of ``spec`` with its source resolved against ``sources`` (by key; by
    default the key equal to the ID's prefix, else the only source declared in the
    claim's own file (``local``), else the only source declared at all);
    :class:`InputError` naming the file and line when it names none of them."""
    key = spec.source
    if key is None:
        prefix = spec.id.split("-")[0]
        if prefix in sources:
            key = prefix
        elif len(local) == 1:
            key = local[0]
        elif len(sources) == 1:
            key = next(iter(sources))
        else:
            raise InputError(f"{spec.origin}: claim {spec.id} names no source; add "
                             f"source = KEY ({_declared(sources)})")
    src = sources.get(key)
    if src is None:
        raise InputError(f"{spec.origin}: claim {spec.id} names source {key!r}, which is "
                         f"not declared ({_declared(sources)})")
    return Claim(spec.id, spec.title, src.citation(), spec.statement, spec.check, spec.tags,
                 src.key, spec.expected, spec.origin, location, src, spec.kind)


def _declared(sources) -> str:
    if not sources:
        return "no source is declared: declare one in [tool.lrtheory.sources.KEY] of " \
               "pyproject.toml or [sources.KEY] of a claims file"
    return "declared: " + ", ".join(sorted(sources))


# ---- the registry --------------------------------------------------------------------------
def natural_key(cid: str) -> tuple:
    """Sort key of an ID: digit runs compare as numbers (``BLOG-2`` < ``BLOG-10``)."""
    return tuple((1, int(t), "") if t.isdigit() else (0, 0, t.lower())
                 for t in re.findall(r"\d+|\D+", cid))


def matches(claim_id: str, pattern: str) -> bool:
    """Whether ``claim_id`` is selected by ``pattern``: the same ID (case-insensitive) or a
    prefix ending at a separator (``BLOG`` selects BLOG-1, BLOG-10, …; ``BLOG-1`` only
    BLOG-1; ``thm3`` selects thm3.1)."""
    cid, key = str(claim_id).casefold(), str(pattern).casefold().rstrip(_SEPARATORS)
    return bool(key) and (cid == key or (cid.startswith(key) and len(cid) > len(key)
                                         and cid[len(key)] in _SEPARATORS))


@dataclass
class ProjectInfo:
    """What a registry knows of the project it was built for: ``title``, ``authors``,
    ``root`` (the folder of its pyproject.toml, "" outside a project), the ``baseline``
    file and ``report`` folder (absolute paths, "" for the defaults)."""

    title: str = ""
    authors: tuple = ()
    root: str = ""
    baseline: str = ""
    report: str = ""

    def to_json(self) -> dict:
        return {"title": self.title, "authors": list(self.authors)}


class Registry(MutableMapping):
    """Claims by ID, with the sources they cite and the project they belong to.

    ``registry["BLOG-1"]`` (IDs compare case-insensitively), iteration in report order
    (by declared source, then ID with numbers compared as numbers), :meth:`select` for
    ID patterns, :meth:`add` to register a claim (a second claim with the same ID from
    another place is an :class:`InputError` naming both)."""

    def __init__(self, claims=(), sources=(), project: ProjectInfo | None = None):
        self._claims: dict[str, Claim] = {}
        self.sources: dict[str, Source] = {}
        self.project = project or ProjectInfo()
        for s in sources:
            self.add_source(s)
        for c in claims:
            self.add(c)

    # -- mapping ----------------------------------------------------------------------------
    def __getitem__(self, cid: str) -> Claim:
        return self._claims[str(cid).casefold()]

    def __setitem__(self, cid: str, c: Claim) -> None:
        if str(cid).casefold() != c.id.casefold():
            raise InputError(f"registry key {cid!r} is not the claim's ID {c.id!r}")
        self._claims[c.id.casefold()] = c

    def __delitem__(self, cid: str) -> None:
        del self._claims[str(cid).casefold()]

    def __iter__(self):
        return iter([c.id for c in self.claims()])

    def __len__(self) -> int:
        return len(self._claims)

    def __repr__(self) -> str:
        return f"Registry({len(self)} claims, {len(self.sources)} sources)"

    # -- building ---------------------------------------------------------------------------
    def add(self, c: Claim) -> None:
        """Register ``c``; the same declaration again is ignored, another claim with the
        same ID is an :class:`InputError` naming both places."""
        old = self._claims.get(c.id.casefold())
        if old is not None and not (old.origin and old.origin == c.origin):
            raise InputError(f"claim ID {c.id} is declared twice: at "
                             f"{old.origin or 'an unknown place'} and at "
                             f"{c.origin or 'an unknown place'}")
        self._claims[c.id.casefold()] = c

    def add_source(self, s: Source) -> None:
        """Declare ``s``; a different source under the same key is an :class:`InputError`
        naming both declarations."""
        old = self.sources.get(s.key)
        if old is not None and old != s:
            raise InputError(f"source {s.key!r} is declared twice, differently: at "
                             f"{old.origin} and at {s.origin}")
        self.sources.setdefault(s.key, s)

    def merged(self, other: "Registry") -> "Registry":
        """A new registry with the claims and sources of both (duplicates checked)."""
        out = Registry(self._claims.values(), self.sources.values(), replace(self.project))
        for s in other.sources.values():
            out.add_source(s)
        for c in other._claims.values():
            out.add(c)
        return out

    # -- reading ----------------------------------------------------------------------------
    def _order(self, c: Claim) -> tuple:
        """By the declared source (or, for a claim citing none, the source named by its
        ID's prefix), then by ID."""
        keys = list(self.sources)
        key = c.source_key if c.source_key in self.sources else c.prefix
        return (keys.index(key) if key in self.sources else len(keys), natural_key(c.id))

    def claims(self) -> list[Claim]:
        """Every claim, in report order."""
        return sorted(self._claims.values(), key=self._order)

    def select(self, ids=None) -> list[Claim]:
        """The claims named by ``ids`` (IDs or prefixes, see :func:`matches`), all when
        empty; :class:`InputError` for a name that matches nothing."""
        claims = self.claims()
        if not ids:
            return claims
        chosen, unknown = [], []
        for name in ids:
            hits = [c for c in claims if matches(c.id, name)]
            if not hits:
                unknown.append(str(name))
            chosen += [c for c in hits if c not in chosen]
        if unknown:
            import difflib
            ids = [c.id for c in claims]
            close = [m for name in unknown
                     for m in difflib.get_close_matches(name.upper(), ids, n=1, cutoff=0.6)]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(f"unknown claim IDs: {', '.join(unknown)} "
                             f"(see `lrtheory list`){hint}")
        return sorted(chosen, key=self._order)

    def sources_of(self, claims) -> list[Source]:
        """The declared sources the given claims cite, in declaration order."""
        used = {c.source_key for c in claims}
        return [s for k, s in self.sources.items() if k in used]

    @contextmanager
    def active(self):
        """Make this the registry that :func:`select` and :func:`all_claims` read."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)


#: Claims declared by code that discovery does not load (see the module docstring).
REGISTRY = Registry()


def active_registry() -> Registry:
    """The registry made active by :meth:`Registry.active`, else the one discovered from
    the current folder (:func:`lrtheory.claims.discover`)."""
    reg = _ACTIVE.get()
    if reg is not None:
        return reg
    from .discovery import discover
    return discover()


def select(ids=None, registry: Registry | None = None) -> list[Claim]:
    """Claims named by ``ids`` (exact IDs or prefixes such as ``BLOG``); all when empty —
    of ``registry``, else of :func:`active_registry`.  :class:`InputError` for a name that
    matches nothing."""
    return (registry or active_registry()).select(ids)


def all_claims(registry: Registry | None = None) -> list[Claim]:
    """Every claim of ``registry`` (default :func:`active_registry`), in report order."""
    return (registry or active_registry()).claims()


# ---- the kind of a claim -------------------------------------------------------------------
def _python_names() -> dict[str, str]:
    """Functions of :mod:`lrtheory.expect` by name → the kind they build."""
    from ..expect.kinds import KINDS, installed_kinds
    try:
        kinds = [*installed_kinds().values(), *KINDS.values()]  # built-in names win
    except InputError:  # a broken kind of another package is named where it is used
        kinds = list(KINDS.values())
    names = {k.function.partition(":")[2]: k.name for k in kinds}
    names.update(throughout="throughout", holds_for_all="holds-for-all", all_of="all-of",
                 any_of="any-of")
    return names


def _file_tree(path: str):
    """The module's syntax tree (None when it cannot be read), cached by path and
    modification time."""
    import os
    try:
        return _parsed(path, os.stat(path).st_mtime_ns)
    except OSError:
        return None


@lru_cache(maxsize=64)
def _parsed(path: str, mtime: int):
    import ast
    try:
        with open(path, encoding="utf-8") as fh:
            return ast.parse(fh.read())
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def _returned_kind(fn) -> str:
    """The kind of the expectation a check function returns when its body (after a
    docstring) is one ``return expect.NAME(...)`` or ``return NAME(...)``, else
    "python"."""
    import ast
    body = [b for b in fn.body if not (isinstance(b, ast.Expr)
                                       and isinstance(b.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or \
            not isinstance(body[0].value, ast.Call):
        return "python"
    func = body[0].value.func
    name = func.attr if isinstance(func, ast.Attribute) else \
        func.id if isinstance(func, ast.Name) else ""
    return _python_names().get(name, "python")


def claim_kind(c) -> str:
    """The kind of a claim (a :class:`Claim` or :class:`ClaimSpec`): the kind of a TOML
    claim; for a Python claim, the kind of the expectation it is, or that its check
    function returns as its only statement (read from the file's text with :mod:`ast`,
    nothing is imported); ``"python"`` for a check of its own."""
    if c.kind:
        return c.kind
    check = getattr(c, "check", None)
    if getattr(check, "is_expectation", False):
        return getattr(check, "kind", "") or "python"
    file, _, line = c.origin.rpartition(":")
    tree = _file_tree(file) if file and line.isdigit() else None
    if tree is None:
        return "python"
    import ast
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                d.lineno == int(line) for d in node.decorator_list):
            return _returned_kind(node)
    return "python"


def kind_counts(claims) -> dict[str, int]:
    """How many of ``claims`` are of each kind (:func:`claim_kind`), the most frequent
    first (then by name) — the per-kind table of the claim catalogue."""
    counts: dict[str, int] = {}
    for c in claims:
        k = claim_kind(c)
        counts[k] = counts.get(k, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def kind_table(claims) -> str:
    """The per-kind count of ``claims`` (:func:`kind_counts`) as a Markdown table — the
    claim catalogue's table of built-in claims per kind."""
    counts = kind_counts(claims)
    rows = [f"| `{k}` | {n} |" for k, n in counts.items()]
    return "\n".join(["| kind | claims |", "| --- | --- |", *rows,
                      f"| total | {sum(counts.values())} |"]) + "\n"
