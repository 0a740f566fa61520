"""`lrtheory init DIR [--title T]` — scaffold a claims project for one's own paper.

The folder gets a ``pyproject.toml`` that installs the project with lrtheory (and, with
the ``test`` extra, pytest: ``pip install -e '.[test]'``), whose ``[tool.lrtheory]``
section names the title,
authors, sources, claims locations, baseline and report folder; ``claims/`` with one
example Python claim and one example TOML claim; and ``tests/test_claims.py``, which
makes each claim a pytest item.  ``lrtheory verify`` in the folder then runs the example
claims, and ``pytest`` holds them to the baseline."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

ORDER = 9

PYPROJECT = """\
# A claims project of lrtheory: `pip install -e '.[test]'` installs lrtheory and pytest,
# `lrtheory verify` runs the claims in claims/, `pytest` holds them to the baseline,
# `lrtheory verify --report report` writes the LaTeX/PDF report.

[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = {name}
version = "0.1.0"
description = {title}
requires-python = ">=3.10"
dependencies = ["lrtheory>={version}"]

[project.optional-dependencies]
test = ["pytest>=7"]                # pytest runs each claim as a test item

[tool.setuptools]
packages = []                       # the claims are data of the project, not a package

[tool.lrtheory]
title = {title}
authors = {authors}
claims = ["claims"]                 # claims files (.py, .toml), folders, module names
include = []                        # installed collections to add, e.g. ["lrtheory"]
baseline = "lrtheory-baseline.json"
report = "report"

[tool.lrtheory.sources.paper]       # claims cite sources by key: source = "paper"
authors = {authors}
title = {title}
year = {year}
venue = "manuscript"

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

EXAMPLE_PY = '''\
"""Claims written in Python: a check is a function check(ctx) returning Evidence, or an
expectation of lrtheory.expect (which computes the evidence).  Replace the example with
the statements of your paper."""
from lrtheory import expect
from lrtheory.claims import claim


@claim("EX-1", title="GD converges on a quadratic below 2/L", source="paper",
       statement=r"For $f(x) = x^2/2$ (so $L = 1$), gradient descent with $h = 1.9 < 2/L$ "
                 r"converges to the minimizer $0$ from $x_0 = 1$.")
def quadratic_converges(ctx):
    return expect.gd_converges("x**2/2", "x", starts=["1"], lr="1.9", to="0")
'''

EXAMPLE_TOML = '''\
# Claims written in TOML: each [[claim]] names a kind of lrtheory.expect and its arguments.
# Expressions and numbers are read by lrtheory's restricted parser; no code runs from here.

[[claim]]
id = "EX-2"
title = "The minimizer loses stability in a period doubling"
statement = "Gradient descent on $f(x) = x^3/3 - x$ loses the stability of its minimizer $x = 1$ in a period doubling at $h = 1$."
source = "paper"
kind = "bifurcation"
objective = "x**3/3 - x"
vars = "x"
lr_range = ["0.5", "1.2"]
type = "period-doubling"
period = 1
value = "1"
'''

TEST = '''\
"""The claims of this project as tests: one pytest item per claim (lrtheory's plugin).

An item fails when the claim's check errors, when it is refuted (unless it declares
expected = "refuted"), when it declares the verdict it expects and gets another, or when
its verdict or a key number drifts from the baseline (lrtheory-baseline.json).  `pytest --lrtheory-update-baseline` records the current verdicts and
numbers; `pytest --lrtheory-claims EX-1` runs one claim."""
from lrtheory.pytest_plugin import claim_tests

test_claims = claim_tests()
'''


def register(sub):
    from .options import output_dir
    p = sub.add_parser("init", help="create a claims project for your own paper",
                       description="Create DIR with a pyproject.toml ([tool.lrtheory]), "
                                   "claims/ holding an example Python claim and an example "
                                   "TOML claim, and tests/test_claims.py (each claim a pytest "
                                   "item). Exit 2 when DIR exists and is not empty.")
    p.add_argument("folder", metavar="DIR", type=output_dir,
                   help="the folder to create (absent or empty)")
    p.add_argument("--title", default=None, metavar="T",
                   help="the paper's title (default: the folder's name)")
    p.add_argument("--author", action="append", default=[], metavar="NAME",
                   help="an author (repeatable; default: a placeholder to edit)")
    p.add_argument("--json", action="store_true",
                   help="also print the files written as JSON on stdout: {\"files\": [...]}")
    p.set_defaults(func=run)
    return p


def _project_name(folder: Path) -> str:
    """A distribution name (PEP 508) from the folder's name."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", folder.resolve().name).strip("-").lower()
    return name or "claims-project"


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def init_project(folder, title: str | None = None, authors=()) -> list[Path]:
    """Create the claims project in ``folder`` (absent or empty) and return the files
    written; :class:`~lrtheory.errors.InputError` when ``folder`` has files."""
    from ..errors import InputError
    from ..io import atomic_write_text
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"{folder} exists and is not empty: choose a new folder")
    title = (title or folder.resolve().name).strip()
    if not title or any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or 0xd800 <= ord(c) <= 0xdfff
                        for c in title):   # control characters, lone surrogates: not TOML
        raise InputError(f"--title must be one line of text, got {title!r}")
    names = [a.strip() for a in authors if a.strip()] or ["Your Name"]
    files = {
        "pyproject.toml": PYPROJECT.format(
            title=_toml_string(title), year=date.today().year,
            name=_toml_string(_project_name(folder)), version=_release(),
            authors="[" + ", ".join(_toml_string(a) for a in names) + "]"),
        "claims/example.py": EXAMPLE_PY,
        "claims/example.toml": EXAMPLE_TOML,
        "tests/test_claims.py": TEST,
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(atomic_write_text(path, text))
    return written


def _release() -> str:
    """The release of lrtheory a new project asks for at least (major.minor)."""
    from .. import __version__
    return ".".join(__version__.split(".")[:2])


def run(args) -> int:
    from .common import print_json, progress
    written = init_project(args.folder, args.title, args.author)
    for path in written:
        progress(f"wrote {path}")
    if args.json:
        print_json({"files": [str(path) for path in written]})
    progress(f"next: cd {args.folder} && pip install -e '.[test]' && lrtheory verify && "
             "pytest")
    return 0
