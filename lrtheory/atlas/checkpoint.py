"""The checkpoint of an atlas run: every classified box on disk as soon as it is known, so
that an interrupted run resumes where it stopped.

The file is JSON Lines.  The first line names what the class of a box depends on (the
objective and its variables, the period limit, the search radius, the settings of the
tests, the version of lrtheory); every further line is one classified box as
:func:`lrtheory.atlas.classify.classify_box` returned it (before a sub-box inherits its
parent's class), keyed by its round and its exact endpoints:

    {"atlas": {...}}
    {"key": [depth, lo, hi], "box": <BoxClass.to_json(exact=True)>}

Each line is appended by one ``write`` call on a file opened for appending and flushed to
disk (``fsync``) before the atlas goes on, so a killed run leaves whole lines and at most
one line cut short at the end, which a resumed run drops.  A resumed run takes the boxes
of the file for the same jobs (the classification of a box depends only on the atlas
settings and its endpoints, so the result is the one an uninterrupted run gives) and
classifies the others.  The range, the number of first boxes and of bisection rounds are
not part of the header: a finished atlas rerun with more rounds classifies only the new
sub-boxes.  A file naming another atlas is refused; the file is read within
:data:`~lrtheory.limits.MAX_INPUT_FILE_BYTES`.  The boxes it holds are taken as
classified: the checkpoint is trusted like the program's own memory, so keep it where
only you write.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..results import Result
from .classify import BoxClass

__all__ = ["Checkpoint"]


class Checkpoint:
    """The boxes already classified for the atlas ``manifest`` (module docstring)."""

    def __init__(self, path, manifest: dict):
        from ..io import check_output_path
        self.path = check_output_path(Path(path), "checkpoint")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.manifest = manifest
        self.boxes: dict[tuple, BoxClass] = {}
        text = ""
        if self.path.is_file():
            from ..io import read_text
            text = read_text(self.path, "atlas checkpoint")
        if "\n" in text:  # the first line is whole
            self._read(text.split("\n"))
        else:
            self._append({"atlas": manifest}, fresh=True)

    def _read(self, lines: list[str]) -> None:
        from ..io import loads
        head = loads(lines[0], f"atlas checkpoint {self.path}")
        if not isinstance(head, dict) or head.get("atlas") != _plain(self.manifest):
            raise InputError(f"{self.path} is not a checkpoint of this atlas (other "
                             "objective, range or settings): choose another file, or "
                             "delete it to start afresh")
        complete = lines[1:-1]  # the text after the last newline is a cut line or ""
        for number, line in enumerate(complete, start=2):
            record = loads(line, f"line {number} of the atlas checkpoint {self.path}")
            try:
                key = record["key"]
                box = Result.from_json(record["box"], exact=True)
                key = (int(key[0]), str(key[1]), str(key[2]))
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise InputError(f"line {number} of the atlas checkpoint {self.path} is "
                                 f"not a classified box ({exc})") from None
            if not isinstance(box, BoxClass) or (box.lo, box.hi, box.depth) != key[1:] + \
                    (key[0],):
                raise InputError(f"line {number} of the atlas checkpoint {self.path} is "
                                 "not the box its key names")
            self.boxes[key] = box
        if lines[-1]:
            self._truncate_to(sum(len(s.encode("utf-8")) + 1 for s in lines[:-1]))

    def _truncate_to(self, size: int) -> None:
        with open(self.path, "r+b") as fh:
            fh.truncate(size)

    def _append(self, record: dict, fresh: bool = False) -> None:
        from ..io import dumps
        data = (dumps(record, indent=None) + "\n").encode("utf-8")
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | \
            getattr(os, "O_CLOEXEC", 0) | (os.O_TRUNC if fresh else os.O_APPEND)
        fd = os.open(self.path, flags, 0o666)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def get(self, key: tuple) -> BoxClass | None:
        """The box classified earlier for ``key`` = (depth, lo, hi), or None."""
        return self.boxes.get(key)

    def save(self, key: tuple, box: BoxClass) -> None:
        """Append ``box`` (classified for ``key``) to the file."""
        self.boxes[key] = box
        self._append({"key": list(key), "box": box.to_json(exact=True)})


def _plain(obj):
    """``obj`` as it reads back from JSON (tuples become lists)."""
    import json

    from ..io import dumps
    return json.loads(dumps(obj, indent=None))
