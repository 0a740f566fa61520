"""The ``lrtheory`` command line: a thin layer over the Python API.

Each subcommand lives in a module ``lrtheory/cli/cmd_<name>.py`` that defines
``ORDER`` (position in ``--help``) and ``register(subparsers)``; the parser found by
``register`` sets ``func(args) -> int``.  Exit codes: 0 success, 1 a check or computation
failed, 2 bad usage or bad input (one line on stderr, never a traceback), 3 baseline drift.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from .. import __version__
from ..errors import ComputationError, InputError


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lrtheory",
                     description="Check theorem statements about gradient descent with large "
                                 "learning rates: symbolically, in high precision, rigorously.")
    parser.add_argument("--version", action="version", version=f"lrtheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("cmd_"):
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    for mod in sorted(mods, key=lambda m: (getattr(m, "ORDER", 99), m.__name__)):
        mod.register(sub)
    return parser


def err(message: str) -> None:
    print(f"lrtheory: error: {message}", file=sys.stderr)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        err(str(exc))
        return 2
    except ComputationError as exc:
        err(str(exc))
        return 1
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # never a traceback for the user; LRTHEORY_DEBUG=1 shows it
        if os.environ.get("LRTHEORY_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc} (set LRTHEORY_DEBUG=1 for details)")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
