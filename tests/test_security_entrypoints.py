"""Every public entry point that reads an expression or a number as text, run with hostile
strings under a Python audit hook (sys.addaudithook) that fails on process creation, on
compile/exec of user text and on file opens outside the test's folder.  Audit hooks cannot
be removed, so the run happens in a child interpreter; the test checks its report.

Each call must return normally or raise InputError (anything else is a finding too), and
each must be quick: limits are checked before any work."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import lrtheory

MARK = "PWNED_7c1e"

#: Hostile text: code execution attempts (each carries MARK, so a compile or exec of it is
#: recognised), resource exhaustion, look-alikes and values that are not real numbers.
PAYLOADS = [
    f"__import__('os').system('touch {MARK}')",
    f"exec(\"__import__('os').system('touch {MARK}')\")",
    f"eval('{MARK}')",
    f"open('/etc/passwd').read() or {MARK}",
    f"().__class__.__base__.__subclasses__() or {MARK}",
    f"lambda: {MARK}",
    f"x.__globals__['{MARK}']",
    f"Symbol('{MARK}')",
    f"Function('{MARK}')(x)",
    f"{MARK}(x)",
    f"[{MARK} for x in (1,)]",
    f"x if {MARK} else x",
    f"getattr(x, '{MARK}')",
    f"compile('{MARK}', '', 'exec')",
    f"import os; {MARK}",
    f"x; {MARK}",
    "9**9**9", "x**(10**10)", "1e400000", "2**2**2**2**2*x", "exp(10**9*log(2))",
    "\uff45\uff58\uff50(x)", "x**2 # junk", "(" * 3000 + "x" + ")" * 3000, "-" * 5000 + "x",
    "x" * 20000, "\x00", "1/0", "nan", "oo", "I", "zoo", "asin(2)", "sqrt(-1)",
    "sin(exp(exp(exp(10))))", "1" * 5000, "0." + "1" * 4000, "[1, 2]", "{'a': 1}",
    "Rational(1, 3)", "S('x')", "N(pi, 10**9)",
]

#: The audit hook of the child: records and blocks a violation.
HOOK = r'''
import json, os, sys, time
ROOTS, MARK, OUT = json.loads(sys.argv[1])
violations = []

def allowed(path):
    p = os.path.realpath(path)
    return any(p == r or p.startswith(r + os.sep) for r in ROOTS)

def hook(event, args):
    bad = None
    if event in ("os.system", "subprocess.Popen", "os.posix_spawn", "os.spawn", "os.exec",
                 "os.fork", "os.forkpty", "pty.spawn", "os.startfile"):
        bad = f"{event} {args!r:.200}"
    elif event == "compile":
        src = args[0]
        if isinstance(src, bytes):
            src = src.decode("utf-8", "replace")
        if isinstance(src, str) and MARK in src:
            bad = f"compile of user text {src[:120]!r}"
    elif event == "exec":
        code = args[0]
        seen = repr(getattr(code, "co_consts", ())) + repr(getattr(code, "co_names", ()))
        if MARK in seen:
            bad = f"exec of user text {seen[:120]!r}"
    elif event == "open":
        path = args[0]
        if not isinstance(path, int) and not allowed(os.fsdecode(path)):
            bad = f"open {os.fsdecode(path)!r} (mode {args[1]!r})"
    if bad:
        violations.append(bad)
        raise RuntimeError("audit: " + bad)
'''

#: The calls of the child (imports first, then the hook is installed).
BODY = r'''
import sympy as sp
import lrtheory
from lrtheory import (catalogue, factorization, numbers, objectives, parsing, quadratic,
                      balancing, evaluators)
from lrtheory.errors import InputError
from lrtheory.dynamics import completeness, orbits
from lrtheory.modeq import field, quadratic as mquadratic
from lrtheory.multiscale.model import Multiscale
from lrtheory.stability import regularity
from lrtheory.cli import main as cli_main

x = sp.Symbol("x", real=True)
OBJ = objectives.Objective("(1 - x*y)**2/2", "x,y")
OBJ1 = objectives.Objective("x**2/2", "x")

ENTRY = {
    "parse_expression": lambda s: parsing.parse_expression(s, "x,y"),
    "parse_number": lambda s: parsing.parse_number(s),
    "parse_variables": lambda s: parsing.parse_variables(s),
    "to_expr": lambda s: parsing.to_expr(s, "x"),
    "to_expr(list)": lambda s: parsing.to_expr([s], "x"),
    "check_lr": lambda s: parsing.check_lr(s),
    "numbers.convert": lambda s: numbers.convert(s),
    "numbers.to_float": lambda s: numbers.to_float(s),
    "numbers.to_fmpq": lambda s: numbers.to_fmpq(s),
    "numbers.to_mpf": lambda s: numbers.to_mpf(s),
    "numbers.to_matrix": lambda s: numbers.to_matrix([[s]]),
    "Objective": lambda s: objectives.Objective(s, "x"),
    "Objective([s])": lambda s: objectives.Objective([s], "x"),
    "Objective(vars=s)": lambda s: objectives.Objective("x", s),
    "Objective(vars=[s])": lambda s: objectives.Objective("x", [s]),
    "Objective.subs_point(dict)": lambda s: OBJ.subs_point({"x": s, "y": 1}),
    "Objective.subs_point(seq)": lambda s: OBJ.subs_point([s, 1]),
    "objectives.to_fmpq": lambda s: objectives.to_fmpq(s),
    "gd_orbit_exact": lambda s: objectives.gd_orbit_exact(OBJ1, [s], "1/2", 1),
    "gd_orbit_exact(h)": lambda s: objectives.gd_orbit_exact(OBJ1, [1], s, 1),
    "ExactModel.gd_step": lambda s: OBJ1.exact.gd_step([s], "1/2"),
    "evaluators.to_arb": lambda s: evaluators.to_arb(s),
    "hessian_spectrum_at": lambda s: factorization.hessian_spectrum_at(OBJ, {"x": s, "y": 1}),
    "orbit_charpoly_identity": lambda s: factorization.orbit_charpoly_identity([[s]], [[1]], [[1]]),
    "curve_residual_map": lambda s: completeness.curve_residual_map(OBJ, s),
    "curve_expansion_bound": lambda s: completeness.curve_expansion_bound(s, "1/10"),
    "curve_expansion_bound(delta)": lambda s: completeness.curve_expansion_bound("19/10", s),
    "near_curve": lambda s: completeness.near_curve(s),
    "zeros_in_box": lambda s: completeness.zeros_in_box(OBJ, s, 1, (-1, 1), max_boxes=10),
    "zeros_in_box(box)": lambda s: completeness.zeros_in_box(OBJ, "19/10", 1, (s, 1), max_boxes=10),
    "prove_complete": lambda s: completeness.prove_complete(OBJ, s, 1, (-1, 1), [], max_boxes=10),
    "orbits.exact_lr": lambda s: orbits.exact_lr(s),
    "catalogue.double_well": lambda s: catalogue.double_well(s),
    "catalogue.scalar_quadratic": lambda s: catalogue.scalar_quadratic(s),
    "catalogue.factorization_vector": lambda s: catalogue.factorization_vector(s),
    "catalogue.product_loss": lambda s: catalogue.product_loss("quadratic", s),
    "catalogue.quadratic": lambda s: catalogue.quadratic([[s]]),
    "catalogue.matrix_factorization": lambda s: catalogue.matrix_factorization([[s]], 1),
    "catalogue.multiscale(f0)": lambda s: catalogue.multiscale(s, "sin(x)", "1/10"),
    "catalogue.multiscale(f1)": lambda s: catalogue.multiscale("x**2", s, "1/10"),
    "catalogue.multiscale(eps)": lambda s: catalogue.multiscale("x**2", "sin(x)", s),
    "catalogue.multiscale([f1])": lambda s: catalogue.multiscale("x**2", [s], "1/10"),
    "quadratic.regime_of": lambda s: quadratic.regime_of(s),
    "quadratic.symmetric_with_spectrum": lambda s: quadratic.symmetric_with_spectrum([s]),
    "regularity.loss_expr": lambda s: regularity.loss_expr("quadratic", s),
    "regularity.regularity_profile": lambda s: regularity.regularity_profile("quadratic", s),
    "regularity.minimizer_hessian_identity":
        lambda s: regularity.minimizer_hessian_identity("quadratic", s),
    "Multiscale.periodic(f0)": lambda s: Multiscale.periodic(s, "sin(x)", "1/10"),
    "Multiscale.periodic(f1)": lambda s: Multiscale.periodic("x**2", s, "1/10"),
    "Multiscale.periodic([f1])": lambda s: Multiscale.periodic("x**2", [s], "1/10"),
    "Multiscale.periodic(eps)": lambda s: Multiscale.periodic("x**2", "sin(x)", s),
    "Multiscale.quasi_periodic(F1)": lambda s: Multiscale.quasi_periodic(
        "x**2", s, [1], "1/10"),
    "Multiscale.quasi_periodic(omega)": lambda s: Multiscale.quasi_periodic(
        "x**2", "sin(2*pi*t1)", [s], "1/10"),
    "modeq.modified_equation": lambda s: field.modified_equation(s, 1, "x"),
    "modeq.ModifiedEquation": lambda s: field.ModifiedEquation(s, (x,), 1),
    "modeq.lie_series_quadratic": lambda s: mquadratic.lie_series_quadratic([[s]], 1),
    "modeq.gd_multipliers": lambda s: mquadratic.gd_multipliers([[1]], s),
    "balancing.wczt_rate": lambda s: balancing.wczt_rate(s, 1),
    "balancing.sharpness_at": lambda s: balancing.sharpness_at(s, 1.0, 1.0),
    "balancing.run_scalar_mp": lambda s: balancing.run_scalar_mp(s, 1, 1, "1/10", max_steps=5),
}
CLI = [
    lambda s: ["sharpness", s, "--vars", "x", "--at", "x=1"],
    lambda s: ["sharpness", "x**2", "--vars", "x", "--at", f"x={s}"],
    lambda s: ["sharpness", "x**2", "--vars", s, "--at", "x=1"],
    lambda s: ["modeq", s, "--vars", "x", "--order", "1"],
    lambda s: ["balance", "--mu", s, "--x0", "1", "--y0", "1", "--lr", "1/10", "--steps", "5"],
    lambda s: ["lyapunov", "x**2", "--vars", "x", "--lr", s, "--x0", "1", "--steps", "5"],
    lambda s: ["orbits", "x**2", "--vars", "x", "--lr", s, "--period", "1", "--starts", "2"],
    lambda s: ["multiscale", "--f0", "x**2", "--f1", s, "--eps", "1/10", "--lr", "1/10",
               "--steps", "8", "--chains", "2"],
]

sys.addaudithook(hook)
unexpected, slow, calls = [], [], 0
start_all = time.perf_counter()
for payload in json.loads(sys.stdin.read()):
    for name, fn in ENTRY.items():
        calls += 1
        before = len(violations)
        t = time.perf_counter()
        try:
            fn(payload)
        except InputError:
            pass
        except Exception as exc:
            if len(violations) == before:
                unexpected.append([name, payload[:60], f"{type(exc).__name__}: {str(exc)[:160]}"])
        elapsed = time.perf_counter() - t
        if elapsed > 2.0:
            slow.append([name, payload[:60], round(elapsed, 2)])
    for make in CLI:
        calls += 1
        argv = make(payload)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = open(os.devnull, "w"), open(os.devnull, "w")
        t = time.perf_counter()
        try:
            code = cli_main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:
            code = f"{type(exc).__name__}: {exc}"
        finally:
            sys.stdout.close(); sys.stderr.close()
            sys.stdout, sys.stderr = saved
        if code not in (0, 2):
            unexpected.append(["cli " + argv[0], payload[:60], f"exit {code}"])
        if time.perf_counter() - t > 5.0:
            slow.append(["cli " + argv[0], payload[:60], round(time.perf_counter() - t, 2)])
with open(OUT, "w") as fh:
    json.dump({"violations": violations, "unexpected": unexpected, "slow": slow,
               "calls": calls, "entry_points": len(ENTRY) + len(CLI),
               "seconds": round(time.perf_counter() - start_all, 1)}, fh)
'''


def _roots(tmp_path: Path) -> list[str]:
    """Where the child may open files: the test's folder, the Python installation and the
    package's own source (for lazy imports)."""
    package = Path(lrtheory.__file__).resolve().parent
    return sorted({str(Path(p).resolve()) for p in
                   (tmp_path, sys.prefix, sys.base_prefix, sys.exec_prefix, package,
                    package.parent / "proofs_checks", "/dev/null", "/dev/urandom")})


def run_child(tmp_path: Path, payloads: list[str]) -> dict:
    """Run the entry points on ``payloads`` in a child interpreter under the audit hook."""
    script = tmp_path / "child.py"
    script.write_text(HOOK + BODY)
    out = tmp_path / "report.json"
    args = json.dumps([_roots(tmp_path), MARK, str(out)])
    done = subprocess.run([sys.executable, str(script), args], input=json.dumps(payloads),
                          capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def test_hostile_strings_reach_no_code_no_process_no_file(tmp_path):
    report = run_child(tmp_path, PAYLOADS)
    assert report["violations"] == []
    assert report["unexpected"] == []
    assert report["slow"] == []
    assert not list(tmp_path.glob(f"*{MARK}*"))
    assert report["entry_points"] >= 60
    assert report["calls"] == report["entry_points"] * len(PAYLOADS)


def test_the_audit_hook_catches_what_it_must(tmp_path):
    """The harness itself: executing text, opening a file outside the folder and starting
    a process are caught (so an empty report means something)."""
    script = tmp_path / "probe.py"
    script.write_text(HOOK + textwrap.dedent(f'''
        sys.addaudithook(hook)
        for probe in (lambda: eval("{MARK}"), lambda: open("/etc/hostname"),
                      lambda: os.system("true")):
            try:
                probe()
            except Exception:
                pass
        print(json.dumps(violations))
    '''))
    args = json.dumps([_roots(tmp_path), MARK, str(tmp_path / "r.json")])
    done = subprocess.run([sys.executable, str(script), args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(found) == 3, (found, done.stderr[-2000:])
    assert found[0].startswith("compile of user text") and "/etc/hostname" in found[1]
    assert found[2].startswith("os.system")
