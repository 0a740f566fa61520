"""Safe writes and bounded reads of every file lrtheory writes or reads.

Writes (results, baselines, reports, figures, logs) are atomic: the data goes to a
temporary file ``.NAME.PID-RANDOM.tmp`` in the target's folder, is flushed to disk and
then renamed over the target with ``os.replace``, so a killed run never leaves a
truncated file.  The new file gets the mode the umask gives (an existing file keeps its
mode).  A temporary file is removed when the write fails, and those left by killed runs
(their process is gone) are removed at the next write to the same target.

:func:`check_output_path` refuses targets that must not be replaced: a directory, a
device node, a FIFO or a socket, and a symbolic link pointing outside its own folder (a
link within its folder is followed, and its target replaced).  :func:`locked` serializes
read-modify-write cycles between processes with an ``fcntl`` lock on ``.NAME.lock``.

Reads of input files (:func:`read_text`, :func:`read_json`) refuse anything but a
regular file, files beyond :data:`~lrtheory.limits.MAX_INPUT_FILE_BYTES` and JSON nested
deeper than :data:`~lrtheory.limits.MAX_JSON_DEPTH`.  JSON is written with non-finite
floats tagged as ``{"type": "float", "value": "nan"}`` (valid JSON, as
:mod:`lrtheory.results` does) and read back as floats.
"""
from __future__ import annotations

import errno
import fcntl
import json
import math
import os
import re
import secrets
import stat
import time
from contextlib import contextmanager
from pathlib import Path

from . import limits
from .errors import InputError

#: Seconds :func:`locked` waits for another process before giving up.
LOCK_TIMEOUT = 120
#: Age (seconds) after which a temporary file without a process id is stale.
STALE_SECONDS = 3600

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_path(path, what: str = "output") -> Path:
    """The file to write for output ``path``, or :class:`InputError` when it must not be
    replaced: a directory, device node, FIFO or socket, a symbolic link whose target lies
    outside the link's folder, or a path whose folder is not a writable directory.  A
    symbolic link inside its folder resolves to its target (which is what gets replaced).
    Call it before work starts so that a bad ``--json``/``--out`` fails fast."""
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise InputError(f"{what} path {str(path)!r} does not name a file")
    target = path
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"cannot use {what} path {path}: {exc.strerror}") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        folder = path.parent.resolve()
        target = path.resolve()
        if not _inside(target, folder):
            raise InputError(f"{what} path {path} is a symbolic link to {target}, outside "
                             f"its folder {folder}: refusing to follow it")
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
    if st is not None:
        kind = _kind(st.st_mode)
        if kind:
            raise InputError(f"{what} path {path} is {kind}: refusing to replace it")
    parent = target.parent
    for folder in (parent, *parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise InputError(f"cannot write {what} {path}: {folder} is not a directory")
            if not os.access(folder, os.W_OK | os.X_OK) and folder == parent:
                raise InputError(f"cannot write {what} {path}: folder {folder} is not writable")
            break
    return target


# -- temporary files --------------------------------------------------------------------

def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (this process counts as alive)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temps(target) -> list[Path]:
    """Remove the temporary files of earlier writes to ``target`` whose process is gone
    (or, without a process id, older than :data:`STALE_SECONDS`); returns them."""
    target = Path(target)
    prefix, removed = f".{target.name}.", []
    pattern = re.compile(re.escape(prefix) + r"(?:(\d+)-[0-9a-f]+|[A-Za-z0-9_]{6,12})\.tmp\Z")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        m = pattern.match(name)
        if not m:
            continue
        tmp = target.parent / name
        try:
            if m.group(1):
                stale = not pid_alive(int(m.group(1)))
            else:
                stale = time.time() - os.lstat(tmp).st_mtime > STALE_SECONDS
            if stale:
                os.unlink(tmp)
                removed.append(tmp)
        except OSError:
            continue
    return removed


# -- writing ------------------------------------------------------------------------------

def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring); returns the path
    written (the target of a symbolic link within its folder)."""
    target = check_output_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    tmp = _temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, 0o666)  # the umask applies, as for any new file
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return Path(path)


def atomic_write_text(path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def json_safe(obj):
    """``obj`` with non-finite floats tagged ``{"type": "float", "value": "nan"}`` (the
    encoding of :mod:`lrtheory.results`), so that the JSON written is valid."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"type": "float", "value": repr(obj)}
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def dumps(obj, indent: int | None = 2) -> str:
    """JSON text of ``obj``: valid JSON (no NaN/Infinity tokens), other objects as str."""
    return json.dumps(json_safe(obj), indent=indent, sort_keys=False, default=str,
                      allow_nan=False)


def atomic_write_json(path, obj) -> Path:
    return atomic_write_text(path, dumps(obj) + "\n")


def atomic_savefig(fig, path, **kwargs) -> Path:
    """Save a matplotlib figure atomically (the format from the file's suffix)."""
    import io as _io
    buf = _io.BytesIO()
    fmt = kwargs.pop("format", None) or Path(path).suffix.lstrip(".") or None
    fig.savefig(buf, format=fmt, **kwargs)
    return atomic_write_bytes(path, buf.getvalue())


@contextmanager
def locked(path, timeout: float = LOCK_TIMEOUT):
    """Hold an exclusive ``fcntl`` lock on ``.NAME.lock`` beside ``path`` (created if
    needed, left in place) so that read-modify-write cycles of several processes on the
    same file do not lose updates.  :class:`InputError` after ``timeout`` seconds."""
    target = check_output_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.with_name(f".{target.name}.lock")
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock, flags, 0o666)
    except OSError as exc:
        raise InputError(f"cannot create the lock file {lock}: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() > deadline:
                    raise InputError(f"{path} is locked by another lrtheory process "
                                     f"(waited {timeout:g} s on {lock})") from None
                time.sleep(0.05)
        try:
            yield target
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# -- reading ------------------------------------------------------------------------------

def read_bytes(path, what: str = "input file",
               max_bytes: int = limits.MAX_INPUT_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (links followed); :class:`InputError` when
    it is not a regular file (``/dev/zero``, a FIFO), unreadable or larger than
    ``max_bytes``; ``FileNotFoundError`` when it is missing (callers say what to do)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}") from None
    kind = _kind(st.st_mode)
    if kind:
        raise InputError(f"{what} {path} is {kind}, not a regular file")
    if st.st_size > max_bytes:
        raise InputError(f"{what} {path} has {st.st_size} bytes, more than the limit of "
                         f"{max_bytes} (MAX_INPUT_FILE_BYTES)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        if _kind(os.fstat(fh.fileno()).st_mode):  # replaced between stat and open
            raise InputError(f"{what} {path} is not a regular file")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{what} {path} is larger than the limit of {max_bytes} bytes "
                         "(MAX_INPUT_FILE_BYTES)")
    return data


def read_text(path, what: str = "input file",
              max_bytes: int = limits.MAX_INPUT_FILE_BYTES) -> str:
    """:func:`read_bytes` decoded as UTF-8 (:class:`InputError` when it is not)."""
    try:
        return read_bytes(path, what, max_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {path} is not UTF-8 text: {exc}") from None


def _pairs(pairs):
    """A JSON object from its ``pairs``: a key given twice is refused (JSON parsers differ
    on which one wins), tagged non-finite floats become floats."""
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _Duplicate(twice)
    return _untag(d)


class _Duplicate(ValueError):
    """A key given twice in one JSON object."""


def _untag(d: dict):
    if len(d) == 2 and d.get("type") == "float" and isinstance(d.get("value"), str):
        try:
            return float(d["value"])
        except ValueError:
            return d
    return d


def json_depth_exceeds(obj, limit: int) -> bool:
    """Whether ``obj`` (parsed JSON) nests containers deeper than ``limit``."""
    stack = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(obj) -> str | None:
    """The first string (key or value) of parsed JSON ``obj`` holding a lone UTF-16
    surrogate (``"\\ud800"``: valid JSON, not text), or None."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return node
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def loads(text: str, what: str = "JSON", max_depth: int = limits.MAX_JSON_DEPTH):
    """Parse JSON text; tagged non-finite floats become floats.  :class:`InputError` when
    it is not JSON, gives a key twice in one object or nests deeper than ``max_depth``."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except _Duplicate as exc:
        raise InputError(f"{what} gives the key {exc.args[0]!r} twice in one object") \
            from None
    except RecursionError:
        raise InputError(f"{what} is nested deeper than {max_depth} levels "
                         "(limit MAX_JSON_DEPTH)") from None
    except ValueError as exc:
        raise InputError(f"{what} is not valid JSON: {exc}") from None
    if json_depth_exceeds(data, max_depth):
        raise InputError(f"{what} is nested deeper than {max_depth} levels "
                         "(limit MAX_JSON_DEPTH)")
    bad = lone_surrogate(data)
    if bad is not None:
        raise InputError(f"{what} holds a lone UTF-16 surrogate (not text) in "
                         f"{ascii(bad[:40])}")
    return data


def read_json(path, what: str = "input file",
              max_bytes: int = limits.MAX_INPUT_FILE_BYTES,
              max_depth: int = limits.MAX_JSON_DEPTH):
    """Read a JSON input file within the size and depth limits (see :func:`loads`)."""
    return loads(read_text(path, what, max_bytes), f"{what} {path}", max_depth)
