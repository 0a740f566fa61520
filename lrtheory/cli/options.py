"""The option vocabulary shared by every ``lrtheory`` command.

One parser class and one set of value types, so that the same option means the same thing,
takes the same values and fails with the same message in every command:

* :class:`Parser` — bad usage is one line ``lrtheory: error: argument --opt: ...`` on stderr
  and exit status 2; values that start with a minus sign (``--box -2.5,2.5``,
  ``--x0 -0.5,0.3``, ``--lr -1``) are read as values, not as unknown options; every help
  line shows the option's default (or says that it is required).
* value types (``type=`` callables of argparse) check a value when the command line is read,
  before any work starts: exact numbers, points, boxes, counts with an upper limit, ``--dps``,
  seeds, variables, expressions and file or folder paths.  Numbers, points and boxes are
  returned as the text given (stripped) after checking it, so a command converts them once
  with :func:`lrtheory.parsing.parse_number` or :func:`parse_pair` in the precision it needs.
* ``add_*`` helpers declare the options that several commands share with one spelling,
  help text, default and range.

Nothing here imports sympy, numpy or mpmath at import time (``lrtheory --help`` stays fast);
the number types import :mod:`lrtheory.parsing` when they first check a value.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import stat
from pathlib import Path

from ..errors import InputError

#: Decimal digits accepted by ``--dps`` of every command.
DPS_RANGE = (15, 1000)
#: Largest ``--seed`` (32-bit: what every numpy generator accepts).
MAX_SEED = 2**32 - 1
#: GD steps (also ``--transient``): a float64 step of a 2-D objective costs about 50 µs and
#: an mpmath step at 1000 digits about 0.5 ms, so 10^6 steps take minutes, not hours.
MAX_STEPS = 10**6
#: Parallel chains: memory grows as 64 · chains · dim floats (the recorded tail).
MAX_CHAINS = 10**5
#: Random starts of an orbit search (each is a vectorized Newton run of G_h^p).
MAX_STARTS = 10**5
#: Sampled learning rates of a bifurcation scan (each sample is an orbit search).
MAX_SAMPLES = 1000
#: Largest period of an orbit search or a bifurcation scan.
MAX_PERIOD = 12
#: Largest order of the modified equations (the library's limit,
#: :data:`lrtheory.modeq.field.MAX_ORDER`, not imported here: it would import sympy; the
#: time budget decides in practice).
MAX_ORDER = 200

#: A command-line word that starts with one '-' and is a value, not an option: a minus
#: followed by anything but a letter or '-' (``-2.5,2.5``, ``-.5``, ``-1/2``), or by a
#: letter and more (``-pi/4``, ``-x**2``).  A single letter (``-h``) stays an option.
_VALUE_WITH_MINUS = re.compile(r"^-(?:[^-A-Za-z]|[A-Za-z].)")


#: Names other programs and papers use for an option of lrtheory.
_SYNONYMS = {"--learning-rate": "--lr", "--eta": "--lr", "--h": "--lr", "--step-size": "--lr",
             "--lr-interval": "--lr-range", "--period": "--max-period",
             "--variables": "--vars", "--digits": "--dps", "--precision": "--dps",
             "--output": "--out", "--iterations": "--steps"}


class HelpFormatter(argparse.HelpFormatter):
    """Appends the default to every option's help (``(required)`` for required options,
    ``(default: off)`` for flags) unless the help text already states it."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "(default" in text or action.default is argparse.SUPPRESS:
            return text
        if not action.option_strings and action.nargs not in ("?", "*"):
            return text
        if action.required:
            return f"{text} (required)"
        if action.nargs == 0:
            return f"{text} (default: off)"
        if action.default is None:
            return f"{text} (default: none)"
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """lrtheory's argument parser (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        # argparse takes a word that starts with '-' for an option unless it looks like a
        # plain negative number; lrtheory has no option that looks like a value, so every
        # such word is a value (a negative number, a list, an expression).
        self._negative_number_matcher = _VALUE_WITH_MINUS

    def parse_known_args(self, args=None, namespace=None):
        self._words = list(sys.argv[1:] if args is None else args)
        namespace, extras = super().parse_known_args(args, namespace)
        if not any(isinstance(a, argparse._SubParsersAction) for a in self._actions):
            unknown = self._unknown_option()  # a command: name its unknown option here
            if unknown is not None:
                self.error(unknown)
            from . import common  # the format of the tables this command prints
            common.TABLE_FORMAT = getattr(namespace, "format", "table")
        return namespace, extras

    def error(self, message):
        """One line on stderr, exit status 2; an unknown option is named first (with the
        closest known one), before any complaint about missing required options."""
        unknown = self._unknown_option()
        if unknown is not None:
            message = unknown
        self.exit(2, f"lrtheory: error: {' '.join(str(message).split())}\n")

    def _unknown_option(self) -> str | None:
        """``unrecognized option --learning-rate (did you mean --lr?)`` for the first word
        of the command line that looks like an option this parser does not know."""
        import difflib
        known = [o for a in self._actions for o in a.option_strings]
        if not known:
            return None
        for word in getattr(self, "_words", ()):
            name = word.split("=", 1)[0]
            if not name.startswith("--") or name == "--" or name in known or \
                    any(k.startswith(name) for k in known):  # an abbreviation argparse takes
                continue
            guess = _SYNONYMS.get(name)
            guess = guess if guess in known else next(iter(
                difflib.get_close_matches(name, known, n=1, cutoff=0.6)), None)
            return f"unrecognized option {name}" + (f" (did you mean {guess}?)" if guess
                                                     else "")
        return None


# ---- value types ---------------------------------------------------------------------------
def _problem(message: str):
    return argparse.ArgumentTypeError(message)


def integer(lo: int, hi: int):
    """Type: an integer in [lo, hi]."""
    def parse(text):
        try:
            value = int(str(text).strip())
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            raise _problem(f"must be an integer from {lo} to {hi}, got {text!r}")
        return value
    parse.__name__ = "integer"
    parse.bounds = (lo, hi)
    return parse


def exact_number(text, label: str = "number", *, positive: bool = False,
                 rational: bool = False):
    """The exact (sympy) value of ``text`` (``"1/2"``, ``"0.1"`` = 1/10, ``"pi/4"``), checked
    to be finite, positive or rational when asked; :class:`InputError` otherwise."""
    from ..parsing import parse_number
    value = parse_number(text, label)
    if not value.is_finite:
        raise InputError(f"{label} must be finite, got {text!r}")
    if positive and not value.is_positive:
        raise InputError(f"{label} must be positive, got {text!r}")
    if rational and not value.is_Rational:
        raise InputError(f"{label} must be a rational number, got {text!r}")
    return value


def number(*, positive: bool = False, rational: bool = False):
    """Type: an exact number (see :func:`exact_number`); returns the text."""
    what = "positive " if positive else ""
    what += "rational number" if rational else "number"

    def parse(text):
        try:
            exact_number(text, "value", positive=positive, rational=rational)
        except InputError:
            raise _problem(f"expected a {what}, got {text!r}") from None
        return str(text).strip()
    parse.__name__ = "number"
    return parse


def parse_numbers(text, label: str) -> tuple:
    """``"a,b,..."`` -> exact numbers (at least one)."""
    parts = str(text).split(",")
    if not str(text).strip() or any(not p.strip() for p in parts):
        raise InputError(f"{label} must be comma-separated numbers, got {text!r}")
    return tuple(exact_number(p, label) for p in parts)


def parse_pair(text, label: str) -> tuple:
    """``"LO,HI"`` -> two exact numbers with LO < HI."""
    values = parse_numbers(text, label)
    if len(values) != 2:
        raise InputError(f"{label} must be two numbers LO,HI, got {text!r}")
    if not (values[1] - values[0]).is_positive:
        raise InputError(f"{label} must have LO < HI, got {text!r}")
    return values


def parse_named_point(text) -> dict:
    """``"x=2,y=1/2"`` -> {"x": 2, "y": 1/2} (exact numbers)."""
    point = {}
    for item in str(text).split(","):
        name, sep, value = (s.strip() for s in item.partition("="))
        if not sep or not name or not value:
            raise InputError(f"malformed point {text!r}: use name=value pairs, e.g. x=2,y=1/2")
        if name in point:
            raise InputError(f"variable {name!r} given twice in {text!r}")
        point[name] = exact_number(value, f"value of {name}")
    return point


def _checked(check, what: str):
    """Type: ``check(text)`` raises :class:`InputError` for a bad value; returns the text."""
    def parse(text):
        try:
            check(text)
        except InputError as exc:
            raise _problem(str(exc)) from None
        return str(text).strip()
    parse.__name__ = what
    return parse


def _float_range(values, label: str) -> tuple:
    """Starts and boxes feed float64 iterations: every coordinate must be a float64."""
    from ..numbers import to_float
    for v in values:
        to_float(v, label)
    return values


_positive_number = number(positive=True)
point = _checked(lambda t: _float_range(parse_numbers(t, "point"), "point coordinate"), "point")
box = _checked(lambda t: _float_range(parse_pair(t, "box"), "box bound"), "box")
named_point = _checked(parse_named_point, "point")


def _check_variables(text) -> None:
    from ..parsing import parse_variables
    parse_variables(text)


def _check_expression(text) -> None:
    from ..limits import MAX_TEXT_CHARS
    if not str(text).strip():
        raise InputError("empty expression")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"expression longer than {MAX_TEXT_CHARS} characters")


variables = _checked(_check_variables, "variables")
expression = _checked(_check_expression, "expression")


# ---- paths ---------------------------------------------------------------------------------
def _q(path) -> str:
    return repr(str(path))


def _folder_problem(folder: Path, path: Path) -> str | None:
    """Why ``path`` cannot be written in (or created below) ``folder``, or None."""
    if not folder.is_dir():
        return f"cannot create {_q(path)}: {_q(folder)} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write {_q(path)}: folder {_q(folder)} is not writable"
    return None


def _creatable(path: Path) -> str | None:
    """Why ``path`` (absent) cannot be created with its missing parent folders, or None."""
    return _folder_problem(next(p for p in (path.parent, *path.parent.parents)
                                if os.path.exists(p)), path)


def output_file_problem(path) -> str | None:
    """Why ``path`` cannot be an output file, or None (the rule of
    :func:`lrtheory.io.check_output_path`: absent or a regular file in a writable folder,
    never a folder, a device or a symbolic link leading out of its folder)."""
    if not str(path).strip():
        return "empty path"
    from ..io import check_output_path
    try:
        check_output_path(path, "output")
    except InputError as exc:
        return str(exc)
    return None


def output_dir_problem(path) -> str | None:
    """Why ``path`` cannot be an output folder (absent, or a writable folder; a symbolic
    link to one is fine), or None."""
    if not str(path).strip():
        return "empty path"
    path = Path(path)
    if os.path.lexists(path) and not os.path.exists(path):
        return f"{_q(path)} is a broken symbolic link"
    if not os.path.exists(path):
        return _creatable(path)
    if not path.is_dir():
        return f"{_q(path)} is not a folder"
    return _folder_problem(path, path)


def input_file_problem(path) -> str | None:
    """Why ``path`` cannot be read as an input file, or None: it must be a regular file
    (or absent: the command says what is missing).  A folder or a device (``/dev/zero``)
    is refused before anything is read."""
    if not str(path).strip():
        return "empty path"
    if os.path.exists(path) and not Path(path).is_file():
        return f"{_q(path)} is not a regular file"
    return None


def _path_type(problem, what: str):
    def parse(text):
        message = problem(text)
        if message:
            raise _problem(message)
        return str(text)
    parse.__name__ = what
    return parse


output_file = _path_type(output_file_problem, "output file")
output_dir = _path_type(output_dir_problem, "output folder")
input_file = _path_type(input_file_problem, "input file")


def check_output_file(path, option: str) -> Path:
    """:class:`InputError` naming ``option`` unless ``path`` can be an output file."""
    message = output_file_problem(path)
    if message:
        raise InputError(f"{option}: {message}")
    return Path(path)


def check_output_dir(path, option: str) -> Path:
    """:class:`InputError` naming ``option`` unless ``path`` can be an output folder."""
    message = output_dir_problem(path)
    if message:
        raise InputError(f"{option}: {message}")
    return Path(path)


# ---- shared options ------------------------------------------------------------------------
def add_expression(p, help: str = "the objective, e.g. '(1 - x*y)**2/2'", metavar="EXPR"):
    """The positional objective."""
    p.add_argument("expr", metavar=metavar, type=expression, help=help)


def add_vars(p, required: bool = True, default=None):
    """``--vars x,y``: the variables of the objective, in order."""
    p.add_argument("--vars", required=required, default=default, type=variables,
                   metavar="VARS", help="comma-separated variables, e.g. x,y")


def add_lr(p, help: str = "learning rate H > 0, exact (1.9 means 19/10, 4/90 is exact)",
           rational: bool = False):
    """``--lr H``: a positive exact learning rate (required)."""
    p.add_argument("--lr", required=True, metavar="H", type=number(positive=True,
                                                                    rational=rational),
                   help=help)


def _two_words(action, values) -> list:
    """A range written ``LO HI`` or ``LO,HI`` (one way for every range option)."""
    words = [w.strip() for v in values for w in str(v).split(",") if w.strip()]
    if len(words) != 2:
        raise argparse.ArgumentError(action, f"expected two numbers LO HI or LO,HI, got "
                                             f"{' '.join(map(str, values))!r}")
    return words


class _Interval(argparse.Action):
    """Two numbers A B (or A,B) with A < B, each checked by the option's type."""

    def __call__(self, parser, namespace, values, option_string=None):
        values = _two_words(self, values)
        for v in values:
            try:
                _positive_number(v)
            except argparse.ArgumentTypeError as exc:
                raise argparse.ArgumentError(self, str(exc)) from None
        a, b = (exact_number(v, option_string) for v in values)
        if not (b - a).is_positive:
            raise argparse.ArgumentError(self, f"must satisfy A < B, got {' '.join(values)}")
        setattr(namespace, self.dest, values)


def add_lr_range(p, help: str = "the learning rates A < B scanned, both > 0, exact"):
    """``--lr-range A B`` (or ``A,B``): an interval of positive learning rates."""
    p.add_argument("--lr-range", nargs="+", required=True, metavar="A B",
                   action=_Interval, help=help + "; 'A B' or 'A,B'")


def add_number(p, flag: str, help: str, *, default=None, required: bool = False,
               positive: bool = False, rational: bool = False, metavar="X"):
    """An exact number option."""
    p.add_argument(flag, default=default, required=required, metavar=metavar, help=help,
                   type=number(positive=positive, rational=rational))


def add_point(p, flag: str = "--x0", help: str = "start, comma-separated coordinates, "
                                                 "e.g. -0.5,0.3", required: bool = True):
    """A point: comma-separated exact coordinates (negative ones need no '=')."""
    p.add_argument(flag, required=required, metavar="X0", type=point, help=help)


class _Box(argparse.Action):
    """``--box LO,HI`` or ``--box LO HI``: stored as the text ``"LO,HI"``, checked."""

    def __call__(self, parser, namespace, values, option_string=None):
        text = ",".join(_two_words(self, values))
        try:
            setattr(namespace, self.dest, box(text))
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentError(self, str(exc)) from None


def add_box(p, default: str = "-3,3", help: str = "LO,HI: the box [LO,HI]^n searched"):
    """``--box LO,HI`` (or ``LO HI``) with LO < HI."""
    p.add_argument("--box", default=default, metavar="LO,HI", nargs="+", action=_Box,
                   help=help + " ('LO,HI' or 'LO HI')")


def add_count(p, flag: str, help: str, *, default, lo: int, hi: int, metavar: str = "N",
              dest: str | None = None, aliases=(), required: bool = False):
    """An integer option in [lo, hi]; the range is stated in the help."""
    kw = {"dest": dest} if dest else {}
    p.add_argument(flag, *aliases, default=default, metavar=metavar, type=integer(lo, hi),
                   required=required, help=f"{help}, {lo} to {hi}", **kw)


def add_steps(p, default: int, help: str = "GD steps", flag: str = "--steps", lo: int = 1):
    """A number of GD steps (``--steps``, ``--transient``), at most :data:`MAX_STEPS`."""
    add_count(p, flag, help, default=default, lo=lo, hi=MAX_STEPS)


def add_dps(p, default, help: str = "decimal digits of the mpmath computation",
            absent: str = "none"):
    """``--dps D``: working precision in decimal digits, one range for every command;
    ``absent`` says what runs when the default is None."""
    text = f"{help}, {DPS_RANGE[0]} to {DPS_RANGE[1]}"
    p.add_argument("--dps", default=default, metavar="D", type=integer(*DPS_RANGE),
                   help=f"{text} (default: {absent})" if default is None else text)


def add_seed(p, default: int = 0, help: str = "seed of the random starts"):
    """``--seed S``: a non-negative seed."""
    add_count(p, "--seed", help, default=default, lo=0, hi=MAX_SEED, metavar="S")


def add_progress(p):
    """``--progress``: progress lines on stderr also when it is not a terminal (on a
    terminal they are always shown); read by :class:`lrtheory.cli.common.ProgressLines`
    as ``ProgressLines(args.progress or None)``."""
    p.add_argument("--progress", action="store_true",
                   help="show progress lines on stderr even when it is not a terminal (on a "
                        "terminal they are always shown)")


class _Format(argparse.Action):
    """``--format json|table|csv``; ``json`` is ``--json``, ``csv`` prints tables as CSV."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, "format", values)
        if values == "json":
            setattr(namespace, "json", True)


class _JsonExact(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, "json", True)
        setattr(namespace, "json_exact", True)


def add_json_options(p, help: str = "print JSON instead of a table"):
    """``--json`` and ``--json-exact`` (for commands with a ``--format`` of their own)."""
    p.add_argument("--json", action="store_true", help=help)
    p.add_argument("--json-exact", nargs=0, action=_JsonExact, default=False,
                   help="print the exact JSON form (integers mantissa/exponent, expression "
                        "trees) that Result.from_json rebuilds exactly")


def add_json_flag(p, help: str = "print JSON instead of a table", csv: bool = True,
                  exact: bool = True):
    """``--json`` (readable JSON: plain numbers and decimal strings, see
    :mod:`lrtheory.results`), ``--json-exact`` (the exact form that ``from_json`` rebuilds
    bit for bit; not with ``exact=False``, for outputs that are tables of floats rather
    than a result) and ``--format json|table[|csv]`` (``csv`` where the output is a
    table)."""
    if exact:
        add_json_options(p, help)
    else:
        p.add_argument("--json", action="store_true", help=help)
    p.add_argument("--format", action=_Format, default="table",
                   choices=("table", "json", "csv") if csv else ("table", "json"),
                   help="output format: a table, JSON (= --json)"
                        + (" or CSV" if csv else ""))


def add_format(p, help: str = "output format: a table, JSON or CSV"):
    """``--format table|json|csv`` alone, for commands whose ``--json`` names a file (the
    table printed is chosen here, the file is written as before)."""
    p.add_argument("--format", default="table", choices=("table", "json", "csv"), help=help)
