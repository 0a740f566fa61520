"""Helpers shared by the subcommands: output of JSON, plain tables and decimal strings."""
from __future__ import annotations

import sys


#: How :func:`print_table` prints when not told by ``args``: ``"table"`` or ``"csv"``
#: (``--format``; set by the command's parser).
TABLE_FORMAT = "table"


def print_json(obj, args=None) -> None:
    """Print JSON: a result as ``to_json()`` — readable, or exact with ``--json-exact`` in
    ``args`` — or a plain JSON-safe value."""
    import json
    if hasattr(obj, "to_json"):
        obj = obj.to_json(exact=bool(getattr(args, "json_exact", False)))
    json.dump(obj, sys.stdout, indent=2, default=str, allow_nan=False)
    sys.stdout.write("\n")


def print_table(columns, rows, file=None, args=None) -> None:
    """Plain aligned text table, or CSV with ``--format csv`` in ``args``."""
    file = file or sys.stdout
    rows = [[str(c) for c in r] for r in rows]
    if (getattr(args, "format", None) or TABLE_FORMAT) == "csv":
        import csv
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow([str(c) for c in columns])
        writer.writerows(rows)
        return
    widths = [max([len(str(c))] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    print("  ".join(str(c).ljust(w) for c, w in zip(columns, widths)).rstrip(), file=file)
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip(), file=file)


def note_file(args=None):
    """Where the lines around a table go (notes, a second table): stdout, or stderr with
    ``--format csv``, so that stdout holds one CSV table that ``pandas.read_csv`` reads."""
    return sys.stderr if (getattr(args, "format", None) or TABLE_FORMAT) == "csv" \
        else sys.stdout


def records(columns, rows) -> list[dict]:
    """The rows of a table as JSON records ``{column: value}`` (``pandas.DataFrame`` reads
    a list of them as the table)."""
    return [dict(zip(columns, r)) for r in rows]


def progress(msg: str) -> None:
    """A message on stderr (what was written where, notes, drifts): always shown."""
    print(msg, file=sys.stderr, flush=True)


class ProgressLines:
    """Progress of a long operation: one line per stage on stderr.

    Shown when ``enabled`` (``--progress``) or, by default (None), when stderr is a
    terminal; quiet otherwise, so that logs and captured output hold only the results and
    messages.  The decision is taken here, so the object pickles into worker processes with
    it.  Call it with the line."""

    def __init__(self, enabled: bool | None = None):
        if enabled is None:
            enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
        self.enabled = bool(enabled)

    def __call__(self, msg: str) -> None:
        if self.enabled:
            print(msg, file=sys.stderr, flush=True)

    def stage(self, what: str):
        """A context: the line ``what ...`` before the work, ``what: done in T s`` after."""
        import contextlib
        import time

        @contextlib.contextmanager
        def run():
            t0 = time.perf_counter()
            self(f"{what} ...")
            yield
            self(f"{what}: done in {time.perf_counter() - t0:.1f} s")
        return run()


def decimal_string(value, digits: int) -> str:
    """An exact number as a decimal string with ``digits`` significant digits."""
    import mpmath

    from ..dynamics.orbits import mp_number
    with mpmath.workdps(digits + 5):
        return mpmath.nstr(mp_number(value), digits)
