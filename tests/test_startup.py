"""A fast, quiet start: `lrtheory --version`, `--help`, `COMMAND --help` and `list` import
none of the heavy libraries (nor the check modules); the package exports its public names
lazily; `list` reads the claims from source and prints what the registry holds; Ctrl-C at
any moment ends with one line and exit status 130."""
import json
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from lrtheory.cli import build_parser

HEAVY = {"sympy", "numpy", "mpmath", "flint", "scipy", "matplotlib", "hypothesis", "numba",
         "xarray", "dask", "jinja2"}
COMMANDS = sorted(next(a for a in build_parser()._actions if a.dest == "command").choices)

PROBE = textwrap.dedent("""
    import contextlib, io, json, sys
    from lrtheory.cli import main
    argv, heavy = json.loads(sys.argv[1]), set(json.loads(sys.argv[2])) | {"proofs_checks"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(argv)
    print(json.dumps({"code": code, "out": out.getvalue(),
                      "modules": sorted(m for m in sys.modules if m.split(".")[0] in heavy)}))
""")


def probe(argv):
    p = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(sorted(HEAVY))],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["list"]]
                         + [[name, "--help"] for name in COMMANDS], ids=" ".join)
def test_nothing_heavy_is_imported(argv):
    result = probe(argv)
    assert result["code"] == 0
    assert result["modules"] == []


def test_console_entry_point_imports_nothing_heavy():
    """The same through ``python -X importtime -m lrtheory --version``: every module
    imported is listed on stderr."""
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "lrtheory", "--version"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.startswith("lrtheory ")
    imported = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+([\w.]+)", p.stderr, re.M))
    assert "lrtheory.cli" in imported
    assert {m.split(".")[0] for m in imported} & HEAVY == set()


def test_public_names_are_lazy_and_still_importable():
    code = ("import sys, lrtheory; assert 'sympy' not in sys.modules; "
            "from lrtheory import Objective, InputError, LRTheoryError, ComputationError; "
            "assert Objective.__module__ == 'lrtheory.objectives'; "
            "assert 'Objective' in dir(lrtheory); "
            "import lrtheory.errors as e; assert InputError is e.InputError; print('ok')")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert p.stdout.strip() == "ok", p.stderr
    import lrtheory
    with pytest.raises(AttributeError, match="no_such_name"):
        lrtheory.no_such_name  # noqa: B018


def test_list_prints_the_registry():
    """`lrtheory list` (read from source) against the registry (modules imported)."""
    from lrtheory.claims import all_claims
    expected = "".join(f"{c.id}\t{c.title}\t{c.source}\n" for c in all_claims())
    assert probe(["list"])["out"] == expected


def _package(tmp_path, name, body):
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "checks.py").write_text(textwrap.dedent(body))
    return name


def test_claim_index_reads_literal_decorators(tmp_path, monkeypatch):
    from lrtheory.claim_index import read_claim_index
    from lrtheory.claims import SOURCES
    monkeypatch.syspath_prepend(str(tmp_path))
    name = _package(tmp_path, "idx_literal", '''
        from lrtheory.claims import claim
        @claim("KT-12", title="second " "title", statement=STATEMENT)
        def a(ctx): ...
        @claim("BLOG-30", "first", "s", source="elsewhere", tags=("x",))
        def b(ctx): ...
    ''')
    got = [(c.id, c.title, c.source, c.module) for c in read_claim_index(name)]
    assert got == [("BLOG-30", "first", "elsewhere", f"{name}.checks"),
                   ("KT-12", "second title", SOURCES["KT"], f"{name}.checks")]
    assert name not in sys.modules  # read, not imported


@pytest.mark.parametrize("body", [
    'from lrtheory.claims import claim\nID = "KT-1"\n@claim(ID, title="t", statement="s")\n'
    'def a(ctx): ...\n',
    'from lrtheory.claims import claim\ndef a(ctx): ...\nclaim("KT-1", "t", "s")(a)\n',
    'from lrtheory.claims import claim\n@claim("NOPE-1", title="t", statement="s")\n'
    'def a(ctx): ...\n',
    'from lrtheory.claims import claim\n@claim("KT-1", title="t", statement="s")\n'
    'def a(ctx): ...\n@claim("KT-1", title="u", statement="s")\ndef b(ctx): ...\n',
], ids=["non-literal id", "plain call", "unknown prefix", "duplicate"])
def test_claim_index_declines_what_it_cannot_read(tmp_path, monkeypatch, body):
    """None tells `lrtheory list` to import the modules instead."""
    from lrtheory.claim_index import read_claim_index
    monkeypatch.syspath_prepend(str(tmp_path))
    assert read_claim_index(_package(tmp_path, f"idx_{abs(hash(body))}", body)) is None


# ---- Ctrl-C ------------------------------------------------------------------------------
INTERRUPT_AT_IMPORT = textwrap.dedent("""
    import sys
    class Interrupt:
        def find_spec(self, name, path=None, target=None):
            if name == sys.argv[1]:
                raise KeyboardInterrupt
    sys.meta_path.insert(0, Interrupt())
    from lrtheory.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.parametrize("module,argv", [
    ("lrtheory.cli.options", ["--version"]),
    ("lrtheory.cli.cmd_orbits", ["list"]),
    ("sympy", ["modeq", "x**2", "--vars", "x"]),
    ("numpy", ["lyapunov", "x**2", "--vars", "x", "--lr", "1/2", "--x0", "1"]),
    ("lrtheory.claim_index", ["list"]),
])
def test_ctrl_c_while_importing_is_one_line_exit_130(module, argv):
    """Ctrl-C is simulated exactly where a module is imported (start-up, parsing of the
    options, inside the command)."""
    p = subprocess.run([sys.executable, "-c", INTERRUPT_AT_IMPORT, module, *argv],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 130, p.stderr
    assert p.stderr == "lrtheory: error: interrupted\n"


def test_ctrl_c_while_running_is_one_line_exit_130(tmp_path):
    """A real SIGINT into a long Lyapunov run (10^6 steps at 1000 digits take minutes)."""
    proc = subprocess.Popen([sys.executable, "-m", "lrtheory", "lyapunov", "(1 - x*y)**2/2",
                             "--vars", "x,y", "--lr", "1.9", "--x0", "0.3,0.31",
                             "--steps", "1000000", "--backend", "mpmath", "--dps", "1000"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(3.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "lrtheory: error: interrupted\n" and out == ""
