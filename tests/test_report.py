"""The LaTeX/PDF report: escaping of hostile strings, robustness to anything the results
contract allows, and (with LaTeX installed) a compiled PDF that is looked at."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lrtheory import report as report_pkg
from lrtheory.cli import main
from lrtheory.report import build as latex_build

HOSTILE = "back\\slash {braces} $dollar$ & amp 50% #hash under_score ^caret ~tilde <lt> |bar| " \
          "[bracket] *star -- dash `tick` µ ‖∇f‖² ≤ ≥ → ε η λ σ ∞ ≈ × ∈ … 你好 😀 \x07bell"
LONG_TOKEN = "x" * 400
HUGE = "1234567890" * 300


def _figure(folder: Path, stem: str) -> dict:
    """A figure in ``folder`` (a ``figures`` folder); its entry names it relative to the
    folder above, as `lrtheory verify` records figures beside the results."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.plot([0, 1, 2, 3], [1, 0.3, 0.6, 0.1], marker="o")
    ax.set_title("orbit")
    pdf, png = folder / f"{stem}.pdf", folder / f"{stem}.png"
    fig.savefig(pdf)
    fig.savefig(png, dpi=60)
    plt.close(fig)
    return {"name": f"{stem} {HOSTILE[:20]}", "pdf": f"{folder.name}/{pdf.name}",
            "png": f"{folder.name}/{png.name}", "caption": "Caption with " + HOSTILE}


def hostile_results(folder: Path) -> dict:
    """A results document exercising everything the JSON contract allows."""
    good = {
        "id": "BLOG-2", "title": "Quadratic regimes " + HOSTILE, "source":
        "Tao & Wang, \"Fun facts about large learning rates\" (blog, 2022)",
        "statement": r"For $f = Lx^2/2$ and $0 < h < 1/L$ the iterates $x_k$ keep their sign; "
                     r"with µ ≤ 1 and $\|\nabla f\|^2 \to 0$.",
        "tags": ["quadratic"], "verdict": "proved", "method": "exact", "seconds": 0.123,
        "evidence": {
            "summary": "All four regimes hold exactly. " + HOSTILE, "precision": "exact rationals",
            "tolerance": "0", "numbers": {
                "threshold": {"value": "2/L", "kind": "exact", "note": HOSTILE},
                "huge": {"value": HUGE, "kind": "exact", "note": "a huge integer"},
                "sqrt2": {"value": "1.41421356237309504880168872421", "radius": "1.2e-31",
                          "kind": "ball", "note": ""},
                "rate_" + HOSTILE: {"value": 0.5000001, "kind": "float", "rel_tol": 1e-6,
                                    "abs_tol": 1e-12, "note": LONG_TOKEN},
                "inf": {"value": "inf", "kind": "float", "rel_tol": 0.0, "abs_tol": 0.0}},
            "tables": [
                {"title": "Long table " + HOSTILE, "columns": ["k", "x_k", "f(x_k)"],
                 "rows": [[k, 0.5 ** k, f"{k}/{k + 1}"] for k in range(150)], "note": HOSTILE},
                {"title": "Wide table",
                 "columns": [f"column_{i} {HOSTILE[:12]}" for i in range(19)],
                 "rows": [[f"{i * j}.{LONG_TOKEN[:30]}" for j in range(19)] for i in range(4)],
                 "note": ""},
                {"title": "Empty table", "columns": ["a", "b"], "rows": [], "note": ""},
                {"title": "Ragged table", "columns": ["only"], "rows": [[1, 2, 3], [], [HUGE]],
                 "note": ""},
                {"title": "No columns", "columns": [], "rows": [], "note": ""}],
            "formulas": [
                {"label": "modified equation " + HOSTILE,
                 "latex": r"\dot{x} = - \nabla f(x) - \frac{h}{4} \nabla \|\nabla f(x)\|^{2}"},
                {"label": "a very long formula",
                 "latex": " + ".join(rf"\frac{{x^{{{i}}}}}{{{i}!}}" for i in range(60))},
                {"label": "not LaTeX", "latex": r"\frac{1}{2"},
                {"label": "fails only when compiled", "latex": r"a & b"}],
            "figures": [_figure(folder / "figures", "BLOG-2-orbit"),
                        _figure(folder / "figures", "weird name#%&_µ"),
                        {"name": "missing_figure", "pdf": "figures/nope.pdf",
                         "png": "", "caption": "gone"}],
            "findings": [
                {"statement": "h < 1/L: monotone " + HOSTILE, "verdict": "proved",
                 "method": "exact", "detail": LONG_TOKEN},
                {"statement": "h = 2/L: period two", "verdict": "proved", "method": "exact",
                 "detail": ""}],
            "notes": [HOSTILE, "line one\nline two", ""]}}
    refuted = {
        "id": "BLOG-8", "title": "Periodic orbits of (1 - xy)^2/2",
        "source": "Tao & Wang, \"Fun facts about large learning rates\" (blog, 2022)",
        "statement": r"GD with $h = 1.9$ converges to orbits of period 2, 3 and 4.",
        "tags": [], "verdict": "refuted", "method": "interval", "seconds": 12.5,
        "evidence": {"summary": "No attracting period-3 orbit exists.", "precision": "arb 128 bits",
                     "tolerance": "", "numbers": {}, "tables": [], "formulas": [],
                     "figures": [], "notes": [],
                     "findings": [{"statement": "An attracting period-3 orbit exists",
                                   "verdict": "refuted", "method": "interval",
                                   "detail": "all period-3 orbits have a multiplier > 1: "
                                             "|µ| ≥ 1.7 ± 1e-30"}]}}
    bad_statement = dict(refuted, id="KT-3", title="Bad statement that fails vetting",
                         verdict="inconclusive",
                         statement=r"50% of $x_k \in {[}0,1]$ \input{/etc/passwd}",
                         evidence={"findings": [], "summary": ""})
    compile_error = dict(refuted, id="KT-4", title="Statement that fails only in LaTeX",
                         verdict="confirmed",
                         statement=r"text with x^2 outside math",
                         evidence={})
    errored = {"id": "EOS-1", "title": "Catapult " + HOSTILE, "source": "somewhere else " + HOSTILE,
               "statement": "", "tags": [], "verdict": "error", "method": "", "seconds": 0.01,
               "evidence": {"error": "ZeroDivisionError: " + HOSTILE,
                            "traceback": "Traceback (most recent call last):\n  File \"x.py\", "
                                         "line 1, in <module>\n    1/0\n" + LONG_TOKEN + "\n"
                                         "ZeroDivisionError: division by zero"}}
    weird = {"id": "WCZT-9_µ", "title": None, "verdict": "weird{verdict}", "seconds": "n/a",
             "evidence": "not a dict"}
    return {"lrtheory": "0.1.0", "quick": True,
            "environment": {"python": "3.11", "date": "2026-01-01T00:00:00+00:00",
                            "note": HOSTILE, "nested": {"a": [1, 2]}},
            "claims": [good, refuted, bad_statement, compile_error, errored, weird]}


# -- writing the report ---------------------------------------------------------------------

needs_latex = pytest.mark.skipif(shutil.which("latexmk") is None, reason="latexmk not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The hostile results, compiled once for the module."""
    if shutil.which("latexmk") is None:
        pytest.skip("latexmk not installed")
    root = tmp_path_factory.mktemp("report")
    results = hostile_results(root / "src")
    info = report_pkg.write_report(results, root / "out", base_dirs=[root / "src"])
    return {"info": info, "out": root / "out", "results": results}


def _pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.latex
def test_hostile_results_compile_to_a_pdf(built):
    info = built["info"]
    assert info["pdf_built"], info
    assert Path(info["pdf"]).is_file() and Path(info["tex"]).is_file()
    logs = info["log_summary"]
    assert logs["errors"] == []
    assert logs["overfull_hbox"] <= 2, logs
    assert logs["overfull_vbox"] == 0 and logs["missing_characters"] == 0
    assert logs["undefined_references"] == 0
    assert 6 <= logs["pages"] <= 20


@pytest.mark.latex
def test_only_the_blocks_that_break_latex_fall_back_to_source(built):
    fallbacks = {f["block"]: f["reason"] for f in built["info"]["fallbacks"]}
    # claim 1's 4th formula has & outside an alignment, claim 4's statement ^ outside math
    assert set(fallbacks) == {"1/formula/4", "4/statement"}
    assert "Misplaced alignment tab character" in fallbacks["1/formula/4"]
    tex = Path(built["info"]["tex"]).read_text()
    assert "Shown as LaTeX source: LaTeX error: Missing \\$ inserted" in tex
    assert "Shown as LaTeX source: it uses \\textbackslash{}input" in tex  # vetted, never run


@pytest.mark.latex
def test_log_has_no_error_lines_and_pdf_text_no_unresolved_references(built):
    log = (built["out"] / "lrtheory-report.log").read_text(errors="replace")
    assert not [l for l in log.splitlines() if l.startswith("! ")]
    text = _pdftotext(Path(built["info"]["pdf"]))
    assert "??" not in text


@pytest.mark.latex
def test_pdf_text_shows_every_claim_the_refutation_and_hostile_strings(built):
    text = _pdftotext(Path(built["info"]["pdf"]))
    flat = " ".join(text.split())
    for cid in ("BLOG-2", "BLOG-8", "KT-3", "KT-4", "EOS-1"):
        assert cid in text
    refuted = flat.split("Refuted claims", 2)[2].split("Checks that failed to run")[0]
    assert "BLOG-8" in refuted and "multiplier > 1" in refuted
    assert "back\\slash" in flat and "{braces}" in flat and "50%" in flat and "#hash" in flat
    assert "U+1F600" in flat and "ZeroDivisionError" in flat
    assert "characters omitted" in flat                     # the huge number, abbreviated
    assert "figure file not found" in flat                  # the missing figure, said plainly


@pytest.mark.latex
def test_pages_render_with_content(built, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (apt-get install poppler-utils)")
    from PIL import Image
    subprocess.run(["pdftoppm", "-png", "-r", "30", built["info"]["pdf"], str(tmp_path / "p")],
                   check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == built["info"]["log_summary"]["pages"]
    for page in pages:
        img = Image.open(page).convert("L")
        dark = sum(img.histogram()[:128])
        assert dark > 200, f"{page.name} looks blank"


@pytest.mark.latex
def test_figures_are_copied_as_pdf_and_png_under_safe_names(built):
    figs = sorted(p.name for p in (built["out"] / "figures").iterdir())
    assert figs == ["BLOG-2-orbit.pdf", "BLOG-2-orbit.png", "weird-name.pdf", "weird-name.png"]
    tex = Path(built["info"]["tex"]).read_text()
    assert "{figures/weird-name.pdf}" in tex
    assert (built["out"] / "SUMMARY.md").is_file()


@pytest.mark.latex
@needs_latex
def test_empty_results_compile(tmp_path):
    info = report_pkg.write_report({"lrtheory": "0.1.0", "claims": []}, tmp_path)
    assert info["pdf_built"], info


@pytest.mark.latex
@needs_latex
def test_a_broken_build_reports_failure_and_removes_a_stale_pdf(tmp_path, monkeypatch):
    (tmp_path / "lrtheory-report.pdf").write_bytes(b"%PDF-old")
    monkeypatch.setattr(report_pkg, "MAX_FALLBACKS", 0)
    results = {"claims": [{"id": "BLOG-1", "verdict": "proved", "statement": r"x^2 in text"}]}
    info = report_pkg.write_report(results, tmp_path)
    assert not info["pdf_built"] and info["reason"]
    assert not (tmp_path / "lrtheory-report.pdf").exists()
    assert (tmp_path / "lrtheory-report.tex").is_file() and info["log"]


def test_without_latexmk_the_tex_is_kept_and_the_reason_given(tmp_path, monkeypatch):
    monkeypatch.setattr(latex_build, "latexmk_available", lambda: False)
    info = report_pkg.write_report(hostile_results(tmp_path / "src"), tmp_path / "out")
    assert not info["pdf_built"] and "latexmk is not installed" in info["reason"]
    tex = (tmp_path / "out" / "lrtheory-report.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    assert "\\section{Refuted claims}" in tex


def test_cli_report_without_latexmk_says_so_and_exits_0(tmp_path, monkeypatch, capsys):
    import json
    monkeypatch.setattr(latex_build, "latexmk_available", lambda: False)
    results = tmp_path / "results.json"
    results.write_text(json.dumps(hostile_results(tmp_path / "src")))
    assert main(["report", "--results", str(results), "--out", str(tmp_path / "out")]) == 0
    assert "latexmk is not installed" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]", '{"claims": 3}'])
def test_cli_report_rejects_a_missing_or_malformed_results_file(tmp_path, capsys, content):
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content)
    assert main(["report", "--results", str(path), "--out", str(tmp_path / "o"), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lrtheory: error:") and "Traceback" not in err


def test_an_interrupted_write_leaves_the_old_report_files_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    report_pkg.write_report({"claims": []}, out, compile_pdf=False)
    old = {n: (out / n).read_bytes() for n in ("lrtheory-report.tex", "SUMMARY.md")}

    def crash(*args):
        raise KeyboardInterrupt

    import lrtheory.io
    monkeypatch.setattr(lrtheory.io.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        report_pkg.write_report(hostile_results(tmp_path / "src"), out, compile_pdf=False)
    assert {n: (out / n).read_bytes() for n in old} == old
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.latex
@needs_latex
def test_inline_math_that_breaks_latex_is_retried_escaped(tmp_path):
    results = {"claims": [{"id": "BLOG-1", "verdict": "proved", "statement": "$x$",
                           "evidence": {"findings": [{"statement": r"uses $x^$",
                                                      "verdict": "proved", "method": "exact"}]}}]}
    info = report_pkg.write_report(results, tmp_path)
    assert info["pdf_built"], info
    assert [f["block"] for f in info["fallbacks"]] == ["inline math"]
    assert r"uses \$x\textasciicircum{}\$" in (tmp_path / "lrtheory-report.tex").read_text()


@pytest.mark.latex
@needs_latex
def test_verify_with_report_writes_the_pdf(tmp_path, monkeypatch, capsys):
    from lrtheory.claims import Claim, Evidence
    from lrtheory.cli import cmd_verify

    def check(ctx):
        ev = Evidence(verdict="refuted", method="exact")
        ev.finding("a counterexample exists: $h = 3$", "refuted", "exact")
        return ev
    fake = Claim("BLOG-99", "fake", "test", r"For all $h$.", check)
    monkeypatch.setattr(cmd_verify, "select", lambda ids: [fake])
    status = main(["verify", "--quick", "--json", str(tmp_path / "r.json"),
                   "--report", str(tmp_path / "rep")])
    assert status == 0
    assert (tmp_path / "rep" / "lrtheory-report.pdf").is_file()
    assert (tmp_path / "SUMMARY.md").is_file() and (tmp_path / "rep" / "SUMMARY.md").is_file()
    assert "report PDF written" in capsys.readouterr().err


def test_figures_already_in_the_report_folder_are_used_in_place(tmp_path):
    out = tmp_path / "reports"
    entry = _figure(out / "figures", "BLOG-2_orbit")
    results = {"claims": [{"id": "BLOG-2", "verdict": "proved",
                           "evidence": {"figures": [entry]}}]}
    info = report_pkg.write_report(results, out, compile_pdf=False)
    assert info["figures"] == ["figures/BLOG-2_orbit.pdf"]
    assert sorted(p.name for p in (out / "figures").iterdir()) == \
        ["BLOG-2_orbit.pdf", "BLOG-2_orbit.png"]


def test_a_corrupt_figure_file_is_reported_missing_not_included(tmp_path):
    bad = tmp_path / "figures" / "bad.pdf"
    bad.parent.mkdir()
    bad.write_text("not a pdf")
    results = {"claims": [{"id": "BLOG-2", "verdict": "proved", "evidence": {"figures": [
        {"name": "bad", "pdf": "figures/bad.pdf", "png": "", "caption": ""}]}}]}
    report_pkg.write_report(results, tmp_path / "out", compile_pdf=False, base_dirs=[tmp_path])
    tex = (tmp_path / "out" / "lrtheory-report.tex").read_text()
    assert "includegraphics" not in tex and "figure file not found" in tex


def referee_results() -> dict:
    """Three claims whose evidence holds expressions in Python syntax and as sympy LaTeX,
    enclosures, floats with binary noise, and a check that failed with a path in its
    message."""
    ev1 = {"summary": "GD on f = x**4/4 - x**2/2 doubles its period at h = sqrt(6)/2.",
           "numbers": {"rate": {"value": 0.010000000000000002, "kind": "float",
                                "rel_tol": 1e-9, "note": "h*x**2 at the orbit"},
                       "doubling": {"value": "1.2247448713915890491", "radius": "2.5e-20",
                                    "kind": "ball", "note": "sqrt(6)/2"}},
           "tables": [{"title": "Fields", "columns": ["order", "field", "interval"],
                       "rows": [[0, "-x**3 + x", r"\left(0, 1\right)"],
                                [1, "-3*x**5/2 + 2*x**3 - x/2", r"\left[0, \infty\right)"],
                                [2, "0.30000000000000004", {"mid": "1.5", "rad": "2e-17"}]]}],
           "findings": [{"statement": "the field F_1 = -3*x**5/2 is a gradient",
                         "verdict": "proved", "method": "exact", "detail": ""}]}
    ev2 = {"summary": "An enclosure of the multiplier 9 - 2*(1 + h)**2.",
           "numbers": {"multiplier": {"value": -0.6799999999999999, "kind": "float",
                                      "rel_tol": 1e-6, "note": ""}},
           "tables": [{"title": "Orbits", "columns": ["h", "point"],
                       "rows": [[{"value": 1.9, "exact": "19/10"}, 1.4327007990000001]]}]}
    ev3 = {"error": "FileNotFoundError: [Errno 2] No such file or directory: "
                    "'/home/someone/work/data/table.csv'",
           "traceback": "Traceback (most recent call last):\n  File \"/usr/lib/x.py\", "
                        "line 1, in <module>\nFileNotFoundError: ..."}

    def claim(cid, verdict, ev, statement):
        return {"id": cid, "title": f"Claim {cid}", "source": "Tests", "statement": statement,
                "tags": [], "verdict": verdict, "method": "exact", "evidence": ev,
                "seconds": 0.1}
    return {"lrtheory": "0.1.0", "quick": True, "claims": [
        claim("R-1", "proved", ev1, r"For $h < 2/L$, $f(x_{k+1}) \le f(x_k)$."),
        claim("R-2", "confirmed", ev2, r"The 2-cycle attracts for $h \in (1, 1.2)$."),
        claim("R-3", "error", ev3, r"A check that fails.")]}


@pytest.mark.latex
def test_pdf_a_referee_reads_has_no_python_syntax_raw_latex_or_float_noise(tmp_path):
    if shutil.which("latexmk") is None:
        pytest.skip("latexmk not installed")
    info = report_pkg.write_report(referee_results(), tmp_path / "out")
    assert info["pdf_built"], info
    text = _pdftotext(Path(info["pdf"]))
    flat = " ".join(text.split())
    assert "**" not in text and "\\left" not in text and "\\right" not in text
    # binary noise of a float64 printed in full: 0.010000000000000002, 0.6799999999999999
    noise = re.compile(r"\d\.\d*(?:0{8,}|9{8,})\d")
    assert not noise.search(text), noise.findall(text)
    assert "1.2247448713915890491" in text  # an enclosure keeps its 20 stated digits
    assert "0.01" in flat and "1.5 ± 2e-17" in flat and "19/10" in flat
    # the error: one line, the file named without the machine's folders, no traceback
    assert "table.csv" in flat and "/home/someone" not in text and "Traceback" not in text
    # expressions are typeset: x**4/4 prints as a fraction with a superscript, not x^4
    assert "x^" not in text and "sqrt(" not in text
