"""Discovery: from the places claims are declared to a :class:`~lrtheory.claims.Registry`.

Claims are found in *locations*: a Python claims file (``.py``), a TOML claims file
(``.toml``), a folder of them (searched recursively; names starting with ``_`` or ``.``
are skipped) or an installed module or package given by its dotted name.  Which
locations are read:

* ``claims=`` (``--claims PATH``, repeatable) names them;
* otherwise, inside a project (:mod:`lrtheory.claims.project`), the project's ``claims``
  locations, plus the installed collections its ``include`` lists;
* otherwise every installed *collection*: a package registered in the entry-point group
  ``lrtheory.claims`` (``name = "module"``).  lrtheory's own claims are the collection
  ``lrtheory`` (the package ``proofs_checks``).

A project's or a collection's sources are those declared in its files (and, for a project,
in its ``pyproject.toml``); every claim names one of them (:func:`resolve`).

Python claims files given by path are loaded under a private module name derived from
their path, never through ``sys.path``, and installed collections are imported with the
current folder and the project's folder taken off ``sys.path``: a folder called like an
installed module (a local ``proofs_checks/``) cannot hide other claims.

``static=True`` reads the declarations without importing or executing anything
(:mod:`lrtheory.claim_index`; TOML values are not parsed): what ``lrtheory list`` uses.
It raises :class:`~lrtheory.claim_index.Unreadable` when a Python file does not state its
claims plainly, and the caller then discovers again with ``static=False``.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import pkgutil
import re
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .project import check_trusted, find_project
from .registry import REGISTRY, ClaimSpec, ProjectInfo, Registry, loading, resolve
from .sources import Source, bibliography_root, read_bibtex

#: Entry-point group through which installed packages offer claim collections.
GROUP = "lrtheory.claims"
#: The collection of lrtheory's built-in claims, and its package.
BUILTIN = "lrtheory"
BUILTIN_MODULE = "proofs_checks"
#: Module names under which Python claims files loaded by path are executed.
SYNTHETIC_PREFIX = "_lrtheory_claims_"
CLAIM_SUFFIXES = (".py", ".toml", ".bib")
_MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


@dataclass
class Found:
    """What some locations declare: claim specs (each with its location), sources, and the
    keys of the sources each file declares (``local``: file -> keys)."""

    specs: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    local: dict = field(default_factory=dict)

    @classmethod
    def of_file(cls, file, specs, sources, location: str) -> "Found":
        return cls([(s, location) for s in specs], list(sources),
                   {str(file): tuple(s.key for s in sources)})

    def extend(self, other: "Found") -> "Found":
        self.specs += other.specs
        self.sources += other.sources
        for file, keys in other.local.items():
            self.local[file] = self.local.get(file, ()) + keys
        return self


# ---- locations -----------------------------------------------------------------------------
def parse_location(text, base, origin: str = "--claims") -> tuple[str, str]:
    """``(kind, where)`` of a location: ``("file", path)`` for a ``.py``/``.toml`` file,
    ``("folder", path)``, or ``("module", name)``; paths relative to ``base``."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: empty claims location")
    text = text.strip()
    path = Path(base) / text
    if text.endswith((".py", ".toml")):
        if not path.is_file():
            raise InputError(f"{origin}: no claims file {path}")
        return "file", str(path.resolve())
    if path.is_dir():
        return "folder", str(path.resolve())
    if path.exists():
        raise InputError(f"{origin}: {path} is not a .py or .toml claims file or a folder")
    if _MODULE_NAME.match(text):
        return "module", text
    raise InputError(f"{origin}: {text!r} is neither a claims file (.py, .toml), a folder "
                     f"in {base}, nor a module name")


def claim_files(folder) -> list[Path]:
    """The claims files of a folder, recursively, in name order: ``.py``, ``.toml`` and
    ``.bib`` files, skipping names that start with ``_`` or ``.``."""
    folder = Path(folder)
    out = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.suffix in CLAIM_SUFFIXES and path.is_file() and \
                not any(p.startswith(("_", ".")) for p in parts):
            out.append(path)
    return out


def _load_file(path: Path, static: bool) -> Found:
    if path.suffix == ".bib":
        return Found([], read_bibtex(path))   # a bibliography is shared by the whole scope
    if path.suffix == ".toml":
        from .toml_claims import load_toml_file
        specs, sources = load_toml_file(path, values=not static)
    elif static:
        from ..claim_index import read_python_file
        specs, sources = read_python_file(path)
    else:
        specs, sources = load_python_file(path)
    return Found.of_file(path, specs, sources, str(path))


def _load_module(name: str, static: bool, shadow_roots=()) -> Found:
    from ..claim_index import module_files, read_python_file
    found = Found()
    if static:
        with _collection_path(shadow_roots):
            files = list(module_files(name))
        if files:
            _check_not_shadowed(name, files[0][1])
        for module, path in files:
            specs, sources = read_python_file(path)
            found.extend(Found.of_file(path, specs, sources, module))
        folders = {p.parent for _, p in files if p.name == "__init__.py"}
    else:
        modules = _import_package(name, shadow_roots)
        for mod in modules:
            found.extend(Found.of_file(getattr(mod, "__file__", "") or "",
                                       mod.__dict__.get("__lrtheory_claims__", []),
                                       mod.__dict__.get("__lrtheory_sources__", []),
                                       mod.__name__))
        folders = {Path(p) for mod in modules for p in getattr(mod, "__path__", [])}
    for folder in sorted(folders):
        for path in sorted(folder.iterdir()):
            if path.suffix in (".toml", ".bib") and not path.name.startswith(("_", ".")):
                found.extend(_load_file(path, static))
    return found


def load_location(kind: str, where: str, static: bool = False, shadow_roots=(),
                  root=None) -> Found:
    """Everything declared at one location (see :func:`parse_location`).  Bibliographies
    named there must lie inside ``root`` (a project's folder) or, for a file or folder
    outside any project, inside its own folder."""
    if kind == "module":
        return _load_module(where, static, shadow_roots)
    home = root or (Path(where).parent if kind == "file" else Path(where))
    with bibliography_root(home):
        if kind == "file":
            return _load_file(Path(where), static)
        found = Found()
        for path in claim_files(where):
            found.extend(_load_file(path, static))
        return found


def check_found_code(locations, project) -> None:
    """The Python files a project found by searching upward would run (its ``.py``
    claims files and, in its claims folders, their helpers) must be trusted like its
    pyproject.toml
    (:func:`~lrtheory.claims.project.check_trusted`)."""
    for kind, where in locations:
        if kind == "module":
            continue
        files = [Path(where)] if kind == "file" else sorted(Path(where).rglob("*.py"))
        for path in files:
            if path.suffix == ".py":
                check_trusted(path, "the claims file",
                              f"pass --config {project.file} or --claims {path}")


# ---- Python claims files and collection modules --------------------------------------------
def _synthetic_name(path: Path) -> str:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    return f"{SYNTHETIC_PREFIX}{digest}_{re.sub(r'[^0-9A-Za-z_]', '_', path.stem)}"


@contextmanager
def _on_path(folder: Path):
    """``folder`` first on sys.path while a claims file runs (for its sibling imports)."""
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        try:
            sys.path.remove(str(folder))
        except ValueError:
            pass


def _failure(path: Path, exc: BaseException) -> InputError:
    """One line naming the claims file (and line) for an exception raised while it ran."""
    if isinstance(exc, SyntaxError) and exc.filename == str(path):
        return InputError(f"{path}:{exc.lineno}: syntax error: {exc.msg}")
    line = next((f.lineno for f in reversed(traceback.extract_tb(exc.__traceback__))
                 if f.filename == str(path)), None)
    where = f"{path}:{line}" if line else str(path)
    if isinstance(exc, InputError):
        text = str(exc)
        return InputError(text if text.startswith(str(path)) else f"{where}: {text}")
    return InputError(f"{where}: {type(exc).__name__}: {exc}")


def load_python_file(path) -> tuple[list[ClaimSpec], list[Source]]:
    """Run the Python claims file at ``path`` (once per version of the file) under its
    private module name and return the claims and sources it declares."""
    path = Path(path).resolve()
    name = _synthetic_name(path)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    module = sys.modules.get(name)
    if module is None or getattr(module, "__lrtheory_stamp__", None) != stamp:
        module = _run_file(path, name)
        module.__lrtheory_stamp__ = stamp
    return (list(module.__dict__.get("__lrtheory_claims__", [])),
            list(module.__dict__.get("__lrtheory_sources__", [])))


def _run_file(path: Path, name: str):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with loading(), _on_path(path.parent):
            spec.loader.exec_module(module)
    except KeyboardInterrupt:
        sys.modules.pop(name, None)
        raise
    except BaseException as exc:  # the user's file: any failure is bad input, named
        sys.modules.pop(name, None)
        raise _failure(path, exc) from None
    return module


#: The folder holding the lrtheory package (and, installed or checked out, its built-in
#: claims package beside it).
HOME = Path(__file__).resolve().parents[2]


@contextmanager
def _collection_path(roots=()):
    """sys.path without the current folder ('' included) and ``roots`` while an installed
    collection is found and imported (lrtheory's own folder stays: a source checkout
    holds the built-in claims there)."""
    local = {os.path.realpath(os.getcwd()), *(os.path.realpath(r) for r in roots)}
    local.discard(str(HOME))
    removed = [(i, p) for i, p in enumerate(sys.path)
               if p == "" or os.path.realpath(p) in local]
    for i, _ in reversed(removed):
        del sys.path[i]
    try:
        yield
    finally:
        for i, p in removed:
            sys.path.insert(i, p)


def _import(name: str):
    try:
        return importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise InputError(f"no module {name!r}: not installed, and not a claims file or "
                             f"folder") from None
        raise InputError(f"claims module {name}: {type(exc).__name__}: {exc}") from None
    except InputError as exc:
        raise InputError(f"claims module {name}: {exc}") from None
    except Exception as exc:
        raise InputError(f"claims module {name}: {type(exc).__name__}: {exc}") from None


def _import_package(name: str, shadow_roots=()) -> list:
    """The module ``name`` and, for a package, all its submodules, imported while
    discovery loads them."""
    with loading(), _collection_path(shadow_roots):
        top = _import(name)
        _check_not_shadowed(name, getattr(top, "__file__", "") or "")
        modules = [top]
        for info in pkgutil.walk_packages(getattr(top, "__path__", []), prefix=name + ".",
                                          onerror=lambda n: _import(n)):
            modules.append(_import(info.name))
    return modules


def _check_not_shadowed(name: str, file) -> None:
    """The built-in collection must be a copy that lrtheory's installation provides: the
    package beside the lrtheory package in use (a source checkout, an editable install) or
    the files of an installed distribution registering it as an entry point (the usual
    install, also when Python was started in a checkout whose lrtheory comes first).  Any
    other copy is in the way: the error names it and the import path entry holding it."""
    if name.split(".")[0] != BUILTIN_MODULE:
        return
    where = Path(file).resolve()
    installed = _distribution_files(BUILTIN_MODULE, tuple(sys.path))
    if HOME in where.parents or where in installed:
        return
    entry = next((p for p in sys.path if p and Path(p).resolve() in where.parents), None)
    held = f" (import path entry {entry})" if entry else ""
    expected = _first_on_path(installed) or HOME / BUILTIN_MODULE / "__init__.py"
    raise InputError(f"the module {BUILTIN_MODULE} of lrtheory's built-in claims is "
                     f"shadowed by {where}{held}, which comes before the installed copy "
                     f"{expected}; rename that folder or take it off the import path")


def _first_on_path(files) -> Path | None:
    """Of ``files``, the one under the earliest import path entry (the copy Python would
    import were nothing in its way)."""
    for entry in sys.path:
        root = Path(entry or ".").resolve()
        under = sorted(f for f in files if root in f.parents)
        if under:
            return under[0]
    return min(files, default=None)


@lru_cache(maxsize=8)
def _distribution_files(top: str, path: tuple) -> frozenset:
    """The resolved files of package ``top`` that the installed distributions registering
    it in the group ``lrtheory.claims`` hold (their RECORD), on the import path ``path``.

    Every distribution found on the path counts, not only the first of each name: Python
    started in a source checkout finds the build's ``lrtheory.egg-info`` there first (its
    files are the checkout's), while the copy imported is the installed one."""
    from importlib.metadata import distributions
    files = set()
    for dist in distributions(path=list(path)):
        if not any(ep.group == GROUP and ep.value.strip().split(".")[0] == top
                   for ep in dist.entry_points):
            continue
        for f in dist.files or ():
            if f.parts and f.parts[0] == top:
                files.add(Path(dist.locate_file(f)).resolve())
    return frozenset(files)


# ---- collections ----------------------------------------------------------------------------
def installed_collections() -> dict[str, str]:
    """Installed claim collections: entry-point name -> module (group ``lrtheory.claims``).
    The built-in collection is always present (also when the installed metadata predates
    its entry point)."""
    return dict(_collections(tuple(sys.path)))


@lru_cache(maxsize=8)
def _collections(path: tuple) -> tuple:
    """The collections installed on the import path ``path`` (read once per path)."""
    from importlib.metadata import entry_points
    found: dict[str, str] = {}
    for ep in entry_points(group=GROUP):
        where = f"entry point {ep.name!r} of group {GROUP}"
        if ":" in ep.value or not _MODULE_NAME.match(ep.value.strip()):
            raise InputError(f"{where}: must name a module or package, got {ep.value!r}")
        if found.get(ep.name, ep.value.strip()) != ep.value.strip():
            raise InputError(f"{where} is registered twice: {found[ep.name]!r} and "
                             f"{ep.value!r}")
        found[ep.name] = ep.value.strip()
    found.setdefault(BUILTIN, BUILTIN_MODULE)
    return tuple(found.items())


def collection(name: str, static: bool = False, shadow_roots=()) -> Registry:
    """The registry of the installed collection ``name``."""
    known = installed_collections()
    if name not in known:
        raise InputError(f"no installed claim collection {name!r} (installed: "
                         f"{', '.join(sorted(known))})")
    return _scope([("module", known[name])], [], static, shadow_roots)


def builtin_collection_sources() -> list[Source]:
    """The sources declared by the built-in collection (read from its files)."""
    return list(_scope([("module", BUILTIN_MODULE)], [], True).sources.values())


def _scope(locations, sources, static: bool, shadow_roots=(), root=None) -> Registry:
    """A registry of the claims at ``locations`` resolved against ``sources`` and the
    sources declared there (``root``: the project's folder, see :func:`load_location`)."""
    found = Found()
    for kind, where in locations:
        found.extend(load_location(kind, where, static, shadow_roots, root))
    registry = Registry()
    for s in [*sources, *found.sources]:
        registry.add_source(s)
    for spec, location in found.specs:
        registry.add(resolve(spec, registry.sources, location, found.local.get(spec.file, ())))
    return registry


def discover(package: str | None = None, *, claims=(), config=None, cwd=None,
             static: bool = False) -> Registry:
    """The registry of the claims selected as the module docstring says: of ``package``
    (a module name) when given; else of the ``claims`` locations (paths relative to
    ``cwd``); else of the project of ``config`` or found from ``cwd`` (default: the
    current folder); else of every installed collection (and :data:`REGISTRY`)."""
    if package is not None:
        return _scope([("module", package)], [], static)
    base = Path(cwd or os.getcwd())
    project = find_project(base, config)
    locations = [parse_location(c, base) for c in claims]
    if project is None:
        if locations:
            return _scope(locations, [], static)
        registry = Registry()
        for name in installed_collections():
            registry = registry.merged(collection(name, static))
        if not static:
            for c in REGISTRY.values():
                registry[c.id] = c
        return registry
    if not locations:
        locations = [parse_location(c, project.root, f"{project.file}: claims")
                     for c in project.claims]
        if config is None and not static:
            check_found_code(locations, project)
    roots = (project.root,)
    registry = _scope(locations, project.all_sources(), static, roots, project.root)
    for name in project.include:
        registry = registry.merged(collection(name, static, roots))
    registry.project = ProjectInfo(project.title, tuple(project.authors), str(project.root),
                                   str(project.baseline), str(project.report))
    return registry
