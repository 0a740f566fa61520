"""Claim projects: the ``[tool.lrtheory]`` section of a ``pyproject.toml``.

::

    [tool.lrtheory]
    title = "Large learning rates, revisited"     # the report's title
    authors = ["A. Author", "B. Author"]
    claims = ["claims"]          # claims files (.py, .toml), folders of them, module names
    include = ["lrtheory"]       # installed claim collections to include (optional)
    baseline = "lrtheory-baseline.json"            # the regression baseline
    report = "report"            # where results, SUMMARY.md and the report go
    bibliography = "refs.bib"    # optional BibTeX file(s) of sources

    [tool.lrtheory.sources.mine]
    authors = ["A. Author"]
    title = "Large learning rates, revisited"
    year = 2025
    venue = "preprint"           # optional, as are doi and url

A project is found by searching upward from the current folder for the nearest
``pyproject.toml`` that has a ``[tool.lrtheory]`` section (``--config FILE`` names one).
Paths are relative to the folder of that file.  Reading a project imports nothing heavy.

Trust: a project found by that search names code to run (its Python claims files), so it
is used only when the current user (or root) owns its ``pyproject.toml`` and neither a
shared group nor others may write to it, as git's ``safe.directory`` does; otherwise the search
stops with an error naming the file.  ``--config FILE`` (the user's explicit choice) and
the folders listed in the environment variable ``LRTHEORY_SAFE_DIRECTORIES``
(separated by ``:``; ``*`` trusts every folder) lift that check.  Files a project names
(bibliographies) are read only inside the project's folder or a listed folder, and only
when they are regular files within :data:`~lrtheory.limits.MAX_INPUT_FILE_BYTES`.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .sources import Source, read_bibtex, sources_from_tables, unknown_error

#: Keys of ``[tool.lrtheory]``.
PROJECT_KEYS = ("title", "authors", "claims", "include", "baseline", "report", "sources",
                "bibliography")
DEFAULT_BASELINE = "lrtheory-baseline.json"
DEFAULT_REPORT = "report"
#: Bytes of a TOML file read (a pyproject.toml or a claims file).
MAX_TOML_BYTES = 4 * 1024 * 1024


def read_toml(path, what: str = "TOML file") -> dict:
    """The parsed TOML file at ``path``; :class:`InputError` naming the file (and the line,
    for a syntax error) when it cannot be read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from ..io import read_bytes
    path = Path(path)
    try:
        data = read_bytes(path, what, MAX_TOML_BYTES)
    except FileNotFoundError:
        raise InputError(f"no {what} {path}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: invalid TOML: nested too deeply") from None
    except ValueError as exc:   # an integer beyond Python's digit limit (4300)
        raise InputError(f"{path}: invalid TOML: {exc}") from None


# ---- trust ----------------------------------------------------------------------------------
#: Environment variable: folders (``:``-separated; ``*`` for all) whose files are trusted.
SAFE_DIRECTORIES = "LRTHEORY_SAFE_DIRECTORIES"


def safe_directories() -> tuple[str, ...]:
    """The folders of ``LRTHEORY_SAFE_DIRECTORIES`` (resolved; ``"*"`` kept as is)."""
    parts = os.environ.get(SAFE_DIRECTORIES, "").split(os.pathsep)
    return tuple(p if p.strip() == "*" else str(Path(p).expanduser().resolve())
                 for p in parts if p.strip())


def in_safe_directory(path) -> bool:
    """Whether ``path`` lies in a folder of ``LRTHEORY_SAFE_DIRECTORIES``."""
    real = Path(path).resolve()
    return any(d.strip() == "*" or real == Path(d) or Path(d) in real.parents
               for d in safe_directories())


def distrust(path) -> str | None:
    """Why the file at ``path`` cannot be trusted to name or hold code to run, or None: it
    belongs to another user than the current one (root's files are trusted), others may
    write to it, or a group other than the owner's private group may."""
    st = os.stat(path)
    uid = os.geteuid()
    if st.st_uid not in (uid, 0):
        return f"it belongs to user id {st.st_uid}, not to you (user id {uid})"
    if st.st_mode & stat.S_IWOTH or \
            st.st_mode & stat.S_IWGRP and not _private_group(st.st_gid, st.st_uid):
        return f"others may write to it (mode {stat.filemode(st.st_mode)})"
    return None


def _private_group(gid: int, uid: int) -> bool:
    """Whether group ``gid`` is the private group of user ``uid`` (its primary group, of
    the same name, with no other member): writable by that group is writable by no one
    else, as ``umask 002`` systems create files."""
    import grp
    import pwd
    try:
        group, user = grp.getgrgid(gid), pwd.getpwuid(uid)
    except KeyError:
        return False
    return user.pw_gid == gid and group.gr_name == user.pw_name and \
        all(m == user.pw_name for m in group.gr_mem)


def check_trusted(path, what: str, allow: str) -> None:
    """:class:`InputError` naming ``path`` and how to allow it (``allow``: the explicit
    option) when it is not trusted (:func:`distrust`) and not in a safe folder."""
    why = None if in_safe_directory(path) else distrust(path)
    if why:
        raise InputError(f"refusing {what} {path}: {why}; if you trust it, {allow} or add "
                         f"its folder to {SAFE_DIRECTORIES}")


def check_inside(path, root, what: str) -> Path:
    """``path`` (resolved) if it lies inside the folder ``root`` or a safe folder, else
    :class:`InputError`."""
    real, root = Path(path).resolve(), Path(root).resolve()
    if real != root and root not in real.parents and not in_safe_directory(real):
        raise InputError(f"{what} {path} lies outside the project folder {root}: move it "
                         f"into the project or add its folder to {SAFE_DIRECTORIES}")
    return real


def _strings(value, where: str, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or any(not isinstance(v, str) or not v.strip()
                                          for v in items):
        raise InputError(f"{where}: '{key}' must be a list of non-empty strings, "
                         f"got {value!r}")
    return tuple(v.strip() for v in items)


def _text(value, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string, got {value!r}")
    return value.strip()


@dataclass
class Project:
    """A claim project: its ``pyproject.toml`` (``file``), the folder it is in (``root``)
    and the settings of its ``[tool.lrtheory]`` section."""

    file: Path
    root: Path
    title: str = ""
    authors: tuple = ()
    claims: tuple = ("claims",)
    include: tuple = ()
    baseline: Path | None = None
    report: Path | None = None
    sources: list[Source] = field(default_factory=list)
    bibliography: tuple = ()

    def all_sources(self) -> list[Source]:
        """The sources of ``[tool.lrtheory.sources]`` and of the bibliography files."""
        out = list(self.sources)
        for bib in self.bibliography:
            out += read_bibtex(check_inside(self.root / bib, self.root,
                                            f"{self.file}: bibliography"))
        return out


def read_project(path) -> Project:
    """The project of the ``pyproject.toml`` at ``path``; :class:`InputError` when the file
    has no ``[tool.lrtheory]`` section or the section is malformed (unknown keys are named
    with the valid ones)."""
    path = Path(path).resolve()
    data = read_toml(path, "project file")
    section = (data.get("tool") or {}).get("lrtheory") if isinstance(data, dict) else None
    where = f"{path}: [tool.lrtheory]"
    if section is None:
        raise InputError(f"{path} has no [tool.lrtheory] section (create a project with "
                         f"`lrtheory init`)")
    if not isinstance(section, dict):
        raise InputError(f"{where} must be a table")
    unknown = sorted(set(section) - set(PROJECT_KEYS))
    if unknown:
        raise unknown_error(where, "key", unknown[0], PROJECT_KEYS)
    root = path.parent
    get = section.get
    return Project(
        file=path, root=root, title=_text(get("title", ""), where, "title"),
        authors=_strings(get("authors", []), where, "authors"),
        claims=_strings(get("claims", ["claims"]), where, "claims"),
        include=_strings(get("include", []), where, "include"),
        baseline=root / _text(get("baseline", DEFAULT_BASELINE), where, "baseline"),
        report=root / _text(get("report", DEFAULT_REPORT), where, "report"),
        sources=sources_from_tables(get("sources", {}), f"{where}.sources"),
        bibliography=_strings(get("bibliography", []), where, "bibliography"))


def _has_section(path: Path) -> bool:
    """Whether ``path`` mentions a ``[tool.lrtheory]`` table (checked before parsing)."""
    from ..io import read_bytes
    try:
        text = read_bytes(path, "project file", MAX_TOML_BYTES)
    except OSError:
        return False
    except InputError:        # too large or not regular: read_toml says which
        return True
    return b"tool.lrtheory" in text or b'"lrtheory"' in text and b"[tool" in text


def find_project(cwd=None, config=None) -> Project | None:
    """The project of ``config`` (a pyproject.toml), else of the nearest pyproject.toml
    with a ``[tool.lrtheory]`` section in ``cwd`` (default: the current folder) or above,
    which must be trusted (:func:`check_trusted`); None outside any project."""
    if config is not None:
        return read_project(config)
    here = Path(cwd or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_section(candidate):
            check_trusted(candidate, "the project file", f"pass --config {candidate}")
            data = read_toml(candidate, "project file")
            if isinstance(data.get("tool"), dict) and "lrtheory" in data["tool"]:
                return read_project(candidate)
    return None
