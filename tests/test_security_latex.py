"""The LaTeX report against hostile results: the token allowlist of ``vet`` (after TeX's
``^^`` notation is decoded), figure paths confined to the results' figure folder, and —
with latexmk installed — a sandboxed compile that never puts a planted secret file into
the .tex or the PDF, never runs a shell or a latexmkrc, and yields a PDF without
JavaScript or open actions."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
import zlib
from pathlib import Path

import pytest

from lrtheory import report as report_pkg
from lrtheory.report import build as latex_build
from lrtheory.report import document
from lrtheory.report.latex import ALLOWED_COMMANDS, decode_carets, vet

needs_latex = pytest.mark.skipif(shutil.which("latexmk") is None,
                                 reason="latexmk is not installed")
TOKEN = "TOPSECRET-8d41c9e07a"
MARKER = "PWNED-3f9a1c"


def hostile_statements(secret: str, marker: str) -> list[str]:
    """Statements that try to read ``secret``, run a shell (touching ``marker``), add
    JavaScript or open actions, or loop forever."""
    return [
        rf"\input{{{secret}}}",
        rf"^^5cinput{{{secret}}}",
        rf"^^5c^^69nput{{{secret}}}",
        rf"^^5c^^5e^^5e69nput{{{secret}}}",
        rf"\^^5cinput{{{secret}}} then \input{{{secret}}}",
        rf"x^^M\input{{{secret}}}",
        rf"\pdffiledump length 100 {{{secret}}}",
        rf"\immediate\pdfobj stream file {{{secret}}}\pdfrefobj\pdflastobj",
        rf"\ExplSyntaxOn \file_get:nnN {{{secret}}} {{}} \l_tmpa_tl \l_tmpa_tl \ExplSyntaxOff",
        rf"\scantokens{{\input{{{secret}}}}}",
        r"\pdfcatalog{/OpenAction << /S /JavaScript /JS (app.alert(1)) >>}",
        r"^^5cpdfcatalog{/OpenAction << /S /JavaScript /JS (app.alert(1)) >>}",
        r"\special{pdf:docview << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>}",
        r"\pdfstartlink attr{/A << /S /JavaScript /JS (app.alert(1)) >>}x\pdfendlink",
        r"\href{javascript:app.alert(1)}{click}",
        r"\url{file:///etc/passwd}",
        rf"\csname input\endcsname{{{secret}}}",
        rf"\lowercase{{\INPUT{{{secret}}}}}",
        rf"\catcode`\Z=0 Zinput{{{secret}}}",
        rf"\makeatletter\@@input {secret} \makeatother",
        rf"\directlua{{os.execute('touch {marker}')}}",
        rf"\immediate\write18{{touch {marker}}}",
        rf"\openin5={secret} \read5 to\x \x",
        rf"\begin{{filecontents*}}{{x.tex}}\input{{{secret}}}\end{{filecontents*}}",
        rf"\includegraphics{{{secret}}}",
        rf"\pdfximage{{{secret}}}\pdfrefximage\pdflastximage",
        rf"$\text{{\input{{{secret}}}}}$",
        rf"$\mathchoice{{\input{{{secret}}}}}{{}}{{}}{{}}$",
        r"\def\x{\x}\x",
        r"\loop\iftrue\repeat",
        r"\end{document}",
        r"\verb|x|",
        rf"\everyeof{{\input{{{secret}}}}}",
        "\\\u00ednput{" + secret + "}",
    ]


# -- vetting (no LaTeX needed) ----------------------------------------------------------------

@pytest.mark.parametrize("text", hostile_statements("/tmp/secret.txt", "/tmp/pwned"))
def test_every_hostile_statement_is_refused_with_a_reason(text):
    for math in (False, True):
        safe, reason = vet(text, math=math)
        assert safe is None and reason, (text, math)


@pytest.mark.parametrize("encoded,decoded", [
    ("^^5cinput", "\\input"), ("^^5c^^69nput", "\\input"), ("^^5c^^5e^^5e69nput", "\\input"),
    ("^^M", ""), ("a^^@b", "ab"), ("^^?", ""), ("^^41", "A"), ("^^zA", ":A"),
])
def test_carets_are_decoded_as_tex_reads_them(encoded, decoded):
    assert decode_carets(encoded) == decoded


def test_what_vet_returns_is_exactly_what_tex_reads():
    text = r"For $h^2 < 2/L$ and $x_k^{2}$, \(a^b\)."
    safe, reason = vet(text)
    assert reason is None and safe == text == decode_carets(safe)
    safe, reason = vet("a^^41b")       # decoded: what is typeset is "aAb"
    assert reason is None and safe == "aAb"


def test_the_allowlist_has_no_command_that_reads_writes_or_defines():
    dangerous = {"input", "include", "openin", "read", "write", "immediate", "def", "let",
                 "csname", "expandafter", "catcode", "scantokens", "special", "pdfcatalog",
                 "pdfobj", "pdffiledump", "directlua", "href", "url", "includegraphics",
                 "usepackage", "makeatletter", "lowercase", "uppercase", "string", "jobname",
                 "everyeof", "everypar", "output", "shipout", "pdfstartlink", "verb",
                 "ExplSyntaxOn", "newcommand", "renewcommand", "loop"}
    assert not dangerous & ALLOWED_COMMANDS


def test_good_statements_pass_unchanged():
    for text in [r"For $f = Lx^2/2$ and $0 < h < 1/L$, $x_k \to 0$.",
                 r"\begin{itemize}\item $\|\nabla f\|^2 \le 2L(f - f^*)$\end{itemize}",
                 r"$\begin{pmatrix} a & b \\ c & d \end{pmatrix}$ with \emph{all} $\mu$"]:
        safe, reason = vet(text)
        assert reason is None and safe == text


# -- figure paths -----------------------------------------------------------------------------

def _pdf_with_text(path: Path, text: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.set_title(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Title": text})
    plt.close(fig)


@pytest.fixture
def planted(tmp_path):
    """A results folder with its own figure, and secrets outside it: a text file and a
    PDF figure with a unique title, plus a link from the figure folder to the secret."""
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    secret = secret_dir / "secret.txt"
    secret.write_text(TOKEN + "\n")
    _pdf_with_text(secret_dir / "secret.pdf", TOKEN)
    src = tmp_path / "results"
    _pdf_with_text(src / "figures" / "own.pdf", "own figure")
    (src / "figures" / "link.pdf").symlink_to(secret_dir / "secret.pdf")
    return {"root": tmp_path, "secret": secret, "secret_pdf": secret_dir / "secret.pdf",
            "src": src, "marker": tmp_path / "out" / MARKER}


def hostile_figures(secret_pdf: Path) -> list[dict]:
    rel = Path("..") / "secret" / "secret.pdf"
    return [{"name": n, "pdf": p, "png": "", "caption": n} for n, p in [
        ("absolute", str(secret_pdf)),
        ("parent", str(rel)),
        ("through figures", str(Path("figures") / ".." / rel)),
        ("deep", "figures/sub/../../../secret/secret.pdf"),
        ("home", "~/secret.pdf"),
        ("link out", "figures/link.pdf"),
        ("own", "figures/own.pdf"),
    ]]


def test_figure_paths_outside_the_results_folder_are_refused(planted):
    out = planted["root"] / "out"
    results = {"claims": [{"id": "BLOG-2", "verdict": "proved", "evidence": {
        "figures": hostile_figures(planted["secret_pdf"])}}]}
    info = report_pkg.write_report(results, out, compile_pdf=False,
                                   base_dirs=[planted["src"]])
    assert info["figures"] == ["figures/own.pdf"]
    secret = planted["secret_pdf"].read_bytes()
    for f in (out / "figures").iterdir():
        assert f.read_bytes() != secret
    tex = (out / "lrtheory-report.tex").read_text()
    assert tex.count("is absolute: only the results") >= 2
    assert tex.count("contains '..'") >= 3


# -- compiling ------------------------------------------------------------------------------

def _pdf_texts(pdf: bytes) -> bytes:
    """The PDF's bytes with every inflatable stream inflated."""
    parts = [pdf]
    for m in re.finditer(rb"(?<!end)stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def _assert_no_secret(blob: bytes) -> None:
    for form in (TOKEN, TOKEN.encode().hex(), TOKEN.encode().hex().upper()):
        assert form.encode() not in blob, form


def _assert_no_active_content(pdf: bytes, tmp: Path) -> None:
    """No JavaScript or action names in the PDF's objects (its text may mention them: the
    hostile statements are typeset as source), and poppler finds no JavaScript."""
    assert latex_build.pdf_active_content(pdf) == []
    if shutil.which("pdfinfo"):
        path = tmp / "checked.pdf"
        path.write_bytes(pdf)
        js = subprocess.run(["pdfinfo", "-js", str(path)], capture_output=True, text=True)
        assert js.returncode == 0 and "app.alert" not in js.stdout


@pytest.mark.latex
@pytest.mark.slow
@needs_latex
def test_hostile_statements_and_figures_never_leak_the_secret(planted):
    secret, out = str(planted["secret"]), planted["root"] / "out"
    marker = str(planted["marker"])
    texts = hostile_statements(secret, marker)
    claims = [{"id": f"KT-{i}", "title": t, "verdict": "proved", "statement": t,
               "evidence": {"summary": t, "findings": [{"statement": f"${t}$",
                                                        "verdict": "proved"}],
                            "formulas": [{"label": "f", "latex": t}]}}
              for i, t in enumerate(texts, 1)]
    claims[0]["evidence"]["figures"] = hostile_figures(planted["secret_pdf"])
    info = report_pkg.write_report({"claims": claims}, out, base_dirs=[planted["src"]])
    assert info["pdf_built"], info
    assert info["fallbacks"] == []              # everything hostile was refused by vetting
    pdf = Path(info["pdf"]).read_bytes()
    _assert_no_secret(_pdf_texts(pdf))
    _assert_no_secret((out / "lrtheory-report.tex").read_bytes())
    _assert_no_active_content(pdf, planted["root"])
    assert not planted["marker"].exists()
    text = subprocess.run(["pdftotext", info["pdf"], "-"], capture_output=True,
                          text=True).stdout if shutil.which("pdftotext") else ""
    assert TOKEN not in text


def _raw_tex(body: str) -> str:
    return ("\\documentclass{article}\\usepackage{graphicx}\\begin{document}\n" + body
            + "\n\\end{document}\n")


@pytest.mark.latex
@pytest.mark.slow
@needs_latex
@pytest.mark.parametrize("body", [
    r"\input{SECRET}", r"\input{../secret/secret.txt}", r"\pdffiledump length 40 {SECRET}",
    r"\immediate\pdfobj stream file {SECRET}\pdfrefobj\pdflastobj",
    r"\makeatletter\IfFileExists{SECRET}{\@@input SECRET }{}", r"\immediate\write18{touch MARKER}",
    r"\includegraphics{../secret/secret.pdf}", r"\includegraphics{SECRETPDF}",
])
def test_the_sandbox_holds_even_if_vetting_let_something_through(planted, body):
    """Layer two: a .tex that was never vetted still cannot read outside the build folder
    or run a shell (kpathsea paranoid mode, no shell escape, no rc files)."""
    out = planted["root"] / "out"
    out.mkdir()
    tex = out / "raw.tex"
    body = body.replace("SECRETPDF", str(planted["secret_pdf"]))
    tex.write_text(_raw_tex(body.replace("SECRET", str(planted["secret"]))
                            .replace("MARKER", str(planted["marker"]))))
    built = latex_build.compile_pdf(tex, timeout=60)
    if built.pdf:
        _assert_no_secret(_pdf_texts(built.pdf.read_bytes()))
    assert not planted["marker"].exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".lrtheory-build-")]


@pytest.mark.latex
@needs_latex
def test_a_pdf_with_active_content_is_refused(tmp_path):
    tex = tmp_path / "raw.tex"
    tex.write_text(_raw_tex(r"\pdfcatalog{/OpenAction << /S /JavaScript /JS (app.alert(1)) >>}x"))
    built = latex_build.compile_pdf(tex, timeout=60)
    assert not built.ok and "active content (JS, JavaScript, OpenAction)" in built.message
    assert not (tmp_path / "raw.pdf").exists()


@pytest.mark.latex
@needs_latex
def test_a_latexmkrc_in_the_report_folder_never_runs(tmp_path):
    marker = tmp_path / MARKER
    for name in ("latexmkrc", ".latexmkrc"):
        (tmp_path / name).write_text(f'system("touch {marker}");\n')
    info = report_pkg.write_report({"claims": []}, tmp_path)
    assert info["pdf_built"], info
    assert not marker.exists()
    _assert_no_active_content((tmp_path / "lrtheory-report.pdf").read_bytes(), tmp_path)


@pytest.mark.latex
@needs_latex
def test_a_compile_that_loops_is_killed_at_its_time_out(tmp_path):
    tex = tmp_path / "loop.tex"
    tex.write_text(_raw_tex(r"\def\x{\x}\x"))
    start = time.monotonic()
    built = latex_build.compile_pdf(tex, timeout=3)
    assert built.timed_out and not built.ok and "LATEX_TIMEOUT" in built.message
    assert time.monotonic() - start < 20
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lrtheory-build-")]


@pytest.mark.latex
@pytest.mark.slow
@needs_latex
def test_one_statement_that_hangs_tex_never_costs_the_pdf(tmp_path, monkeypatch):
    """Even if a looping statement got past vetting, the report is still built: the
    compile times out, and the rebuild shows every statement as source."""
    real_vet = document.vet
    loop = r"\def\x{\x}\x"
    monkeypatch.setattr(document, "vet", lambda text, math=False: (
        (document.Latex(text), None) if text == loop else real_vet(text, math)))
    budget = latex_build.Budget
    monkeypatch.setattr(latex_build, "Budget", lambda: budget(total=90, each=6))
    results = {"claims": [{"id": "BLOG-1", "verdict": "proved", "statement": loop},
                          {"id": "BLOG-2", "verdict": "proved", "statement": "$x^2$ fine"}]}
    info = report_pkg.write_report(results, tmp_path)
    assert info["pdf_built"], info
    assert [f["block"] for f in info["fallbacks"]] == ["all"]
    assert "LATEX_TIMEOUT" in info["fallbacks"][0]["reason"]


def test_stale_build_folders_of_killed_runs_are_removed(tmp_path):
    import multiprocessing
    import os
    proc = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    proc.start()
    proc.join()
    stale = tmp_path / f".lrtheory-build-{proc.pid}-0123456789ab"
    live = tmp_path / f".lrtheory-build-{os.getpid()}-0123456789ab"
    for d in (stale, live):
        d.mkdir()
        (d / "x.tex").write_text("x")
    latex_build.remove_stale_builds(tmp_path)
    assert not stale.exists() and live.exists()


def test_the_compile_environment_is_paranoid_and_without_shell_escape():
    env = latex_build.sandbox_env({"PATH": "/usr/bin", "TEXINPUTS": "/etc//:",
                                   "TEXMFOUTPUT": "/", "openin_any": "a"})
    assert env["openin_any"] == env["openout_any"] == "p" and env["shell_escape"] == "f"
    assert "TEXINPUTS" not in env and "TEXMFOUTPUT" not in env and env["PATH"] == "/usr/bin"
    cmd = latex_build.latexmk_command("r.tex")
    assert cmd[:2] == ["latexmk", "-norc"] and "-no-shell-escape" in cmd
