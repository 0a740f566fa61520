"""The documentation in docs/: its examples run and print what the pages show (the rules
of tests/test_readme.py), the claim catalogue is current and complete, every page of the
navigation exists, the notebooks are stored without outputs (the build executes them), and
nothing points outside the repository."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from test_readme import ROOT, check_console, console_examples, git_status, python_blocks

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))
EXAMPLE_PAGES = [p for p in PAGES if console_examples(p.read_text()) or
                 python_blocks(p.read_text())]


def _gen_claims():
    sys.path.insert(0, str(DOCS))
    try:
        import gen_claims
    finally:
        sys.path.remove(str(DOCS))
    return gen_claims


def test_the_claim_catalogue_is_current_with_the_stored_results():
    gen = _gen_claims()
    current = gen.CATALOGUE.read_text(encoding="utf-8")
    results = json.loads(gen.RESULTS.read_text(encoding="utf-8"))
    assert gen.render(current, results) == current, "run python docs/gen_claims.py"


def test_every_built_in_claim_is_catalogued_with_its_verdict():
    from lrtheory.claims import all_claims
    text = (DOCS / "claims.md").read_text()
    results = {c["id"]: c for c in
               json.loads(_gen_claims().RESULTS.read_text())["claims"]}
    for c in all_claims():
        assert re.search(rf"^### {re.escape(c.id)}\b", text, re.M), c.id
        block = text.split(f"<!-- generated: {c.id} -->", 1)[1].split("<!-- /generated -->")[0]
        assert f"**Verdict: {results[c.id]['verdict']}**" in block, c.id


def test_navigation_names_existing_pages_and_notebooks_carry_no_outputs():
    nav = re.findall(r":\s*([\w./-]+\.(?:md|ipynb))\s*$|^\s*-\s*([\w./-]+\.md)\s*$",
                     (ROOT / "mkdocs.yml").read_text(), flags=re.M)
    names = [a or b for a, b in nav]
    assert len(names) >= 25
    for name in names:
        path = ROOT / name if name.startswith("examples/") else DOCS / name
        assert path.is_file(), name
    for nb in list((DOCS / "tutorials").glob("*.ipynb")) + list((ROOT / "examples").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert code, nb.name
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
            f"{nb.name}: stored with outputs (the documentation build executes it)"


def test_every_api_reference_names_an_importable_object():
    """Each ``::: dotted.name`` of the API pages is a module, or an attribute defined in one
    (mkdocstrings reads the source statically, so a name served by a module ``__getattr__``
    does not count): a renamed module fails the tests, not only the docs build."""
    import importlib
    names = [m for page in sorted((ROOT / "docs" / "api").glob("*.md"))
             for m in re.findall(r"^::: ([\w.]+)", page.read_text(), flags=re.M)]
    assert names
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            module, _, attr = name.rpartition(".")
            assert attr in vars(importlib.import_module(module)), name


def test_no_text_that_markdown_reads_as_an_html_tag():
    """``<`` followed by a letter outside code starts an HTML tag and swallows the text."""
    for page in PAGES:
        text = re.sub(r"```.*?```|`[^`\n]*`|<!--.*?-->", "", page.read_text(), flags=re.S)
        assert not re.search(r"<[A-Za-z]", text), page.name


def test_nothing_points_outside_the_repository():
    texts = [ROOT / "README.md", *PAGES, *DOCS.glob("tutorials/*.ipynb"),
             *(ROOT / "examples").glob("*.ipynb"), *(ROOT / "lrtheory").rglob("*.py"),
             *(ROOT / "proofs_checks").rglob("*.py")]
    for path in texts:
        assert "../shared" not in path.read_text(encoding="utf-8"), path


@pytest.mark.slow
@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_print_what_the_page_shows(page, tmp_path):
    text = page.read_text()
    before = git_status()
    problems = check_console(console_examples(text), tmp_path)
    assert not problems, "\n\n".join(problems)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for i, code in enumerate(python_blocks(text)):
            exec(compile(code, f"{page.name} python block {i}", "exec"), {"__name__": "docs"})
    finally:
        os.chdir(cwd)
    after = git_status()
    assert after == before, (f"an example of {page.name} changed the repository:\n" +
                             "\n".join(sorted(set(after.splitlines()) ^ set(before.splitlines()))))
