"""Docs pages as a browser shows them: a small site built with the site's own Markdown
extensions, scripts and stylesheets (mkdocs.yml), rendered by headless Chromium.

Mathematics is written by ``pymdownx.arithmatex`` into ``arithmatex`` spans for MathJax
(never left as raw ``$...$``); tables keep their words whole; screenshots are real images
of the pages.  Needs ``chromium`` (``apt-get install chromium``, the README's apt line) and
MkDocs with the Material theme (in the ``test`` extra, so CI runs it); skipped with the
reason where Chromium is absent.  A few pages only: the whole module takes about 25 s."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["guide/reports.md", "guide/symbols.md", "cli.md"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The pages built with the extensions, scripts and stylesheets of mkdocs.yml."""
    if CHROMIUM is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    yaml = pytest.importorskip("yaml")
    pytest.importorskip("mkdocs", reason="MkDocs not installed (pip install '.[test]')")
    root = tmp_path_factory.mktemp("site")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    docs = root / "docs"
    for page in PAGES:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / page, docs / page)
    for extra in config.get("extra_javascript", []) + config.get("extra_css", []):
        if not extra.startswith("http"):
            (docs / extra).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / "docs" / extra, docs / extra)
    small = {"site_name": "lrtheory", "docs_dir": str(docs), "site_dir": str(root / "site"),
             "theme": config["theme"], "markdown_extensions": config["markdown_extensions"],
             "extra_javascript": config["extra_javascript"], "extra_css": config["extra_css"],
             "nav": PAGES, "use_directory_urls": False}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(small))
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                            str(root / "mkdocs.yml")], capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr
    return root / "site"


def _chromium(*args, timeout=120):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--disable-dev-shm-usage", *args],
                          capture_output=True, text=True, timeout=timeout)


def _dom(page: Path) -> str:
    run = _chromium("--virtual-time-budget=8000", "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.mark.parametrize("page", PAGES)
def test_screenshot_of_each_page_is_a_real_image(site, page, tmp_path):
    import matplotlib.image as mpimg
    html = site / page.replace(".md", ".html")
    png = tmp_path / (Path(page).stem + ".png")
    run = _chromium(f"--screenshot={png}", "--window-size=1280,1600",
                    "--virtual-time-budget=8000", html.as_uri())
    assert run.returncode == 0 and png.is_file(), run.stderr[-2000:]
    pixels = mpimg.imread(png)
    assert pixels.shape[0] == 1600 and pixels.shape[1] == 1280
    # a rendered page: text and tables give many distinct shades, not a blank or error page
    assert len({tuple(p) for p in pixels[::16, ::16, :3].reshape(-1, 3).tolist()}) > 20


def test_mathematics_is_marked_for_mathjax_not_left_raw(site):
    dom = _dom(site / "guide" / "reports.html")
    spans = re.findall(r'<span class="arithmatex">(.*?)</span>', dom, re.S)
    assert any("\\frac{x^{4}}{4}" in s for s in spans)
    text = re.sub(r'<span class="arithmatex">.*?</span>', "", dom, flags=re.S)
    text = re.sub(r"<(script|style|code|pre)\b.*?</\1>", "", text, flags=re.S)
    assert "$\\frac" not in text  # no $...$ left as text
    if "mjx-container" in dom:  # MathJax was reachable: the formulas are typeset
        assert "\\(\\frac" not in re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)


def test_tables_keep_words_whole_and_code_wraps(site):
    css = (site / "stylesheets" / "extra.css").read_text()
    assert re.search(r"table:not\(\[class\]\) td.*?word-break: normal", css, re.S)
    assert re.search(r"\.jp-InputArea pre.*?white-space: pre-wrap", css, re.S)
    dom = _dom(site / "cli.html")
    assert "stylesheets/extra.css" in dom and "<table>" in dom


def test_the_test_extra_installs_what_the_screenshots_need():
    """CI installs ``.[test]`` and apt's chromium: MkDocs and its theme must come with the
    test extra (with version ranges, never exact pins), or this module would skip there."""
    from lrtheory.claims.project import read_toml
    extra = read_toml(ROOT / "pyproject.toml")["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[<>=!~\[]", r)[0].strip().lower(): r for r in extra}
    for name in ("mkdocs", "mkdocs-material"):
        assert name in names, f"{name} missing from the test extra"
        assert ">=" in names[name] and "==" not in names[name], names[name]
