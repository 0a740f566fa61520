"""The ``lrtheory`` command line: a thin layer over the Python API.

Each subcommand lives in a module ``lrtheory/cli/cmd_<name>.py`` that defines
``ORDER`` (position in ``--help``) and ``register(subparsers)``; the parser found by
``register`` sets ``func(args) -> int``.  Options are declared with the shared vocabulary
of :mod:`lrtheory.cli.options`.  Exit codes: 0 success, 1 a check or computation failed,
2 bad usage or bad input (one line on stderr, never a traceback), 3 baseline drift,
130 interrupted (Ctrl-C at any moment, also while modules are being imported).

Start-up is cheap: the command modules import sympy, numpy, mpmath, flint and matplotlib
inside their ``func`` only, so ``--version``, ``--help`` and ``list`` import none of them.
"""
from __future__ import annotations

import os
import sys

from .. import __version__
from ..errors import ComputationError, InputError


def build_parser():
    """The ``lrtheory`` parser with every ``cmd_*`` subcommand registered."""
    import importlib

    from ..limits import describe
    from .options import Parser
    parser = Parser(prog="lrtheory",
                    description="Check theorem statements about gradient descent with large "
                                "learning rates: symbolically, in high precision, rigorously.",
                    epilog=describe())
    parser.add_argument("--version", action="version", version=f"lrtheory {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser,
                                help="what to run; `lrtheory COMMAND --help` shows its options")
    names = {f[:-3] for folder in __path__ for f in os.listdir(folder)
             if f.startswith("cmd_") and f.endswith(".py")}
    mods = [importlib.import_module(f"{__name__}.{name}") for name in names]
    for mod in sorted(mods, key=lambda m: (getattr(m, "ORDER", 99), m.__name__)):
        mod.register(sub)
    return parser


def err(message: str) -> None:
    print(f"lrtheory: error: {message}", file=sys.stderr)


def main(argv=None) -> int:
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version, bad usage: argparse has said it
            return 0 if exc.code is None else int(exc.code)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
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
