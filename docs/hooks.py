"""MkDocs hooks of the lrtheory documentation.

* The notebooks of ``examples/`` (outside ``docs/``) become pages under ``examples/``, so
  the documentation build executes them like the tutorials.
* The build stops at once, before any notebook is executed, when the claim catalogue
  ``docs/claims.md`` is out of date with the reference run ``docs/claims-results.json``
  (``python docs/gen_claims.py`` rewrites it).
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]


@event_priority(100)  # before mkdocs-jupyter turns notebooks into pages
def on_files(files, config):
    for nb in sorted((ROOT / "examples").glob("*.ipynb")):
        files.append(File(f"examples/{nb.name}", src_dir=str(ROOT), dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    return files


@event_priority(100)  # inputs are checked before any other plugin does work
def on_config(config):
    """Stop the build when the claim catalogue is stale (before notebooks are executed)."""
    from mkdocs.exceptions import Abort
    spec = importlib.util.spec_from_file_location("gen_claims", ROOT / "docs" / "gen_claims.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = gen.CATALOGUE.read_text(encoding="utf-8")
    results = json.loads(gen.RESULTS.read_text(encoding="utf-8"))
    try:
        stale = gen.render(current, results) != current
    except SystemExit as exc:  # a claim without a section, or a section without a result
        raise Abort(f"docs/claims.md: {exc}") from None
    if stale:
        raise Abort("docs/claims.md is out of date with docs/claims-results.json: "
                    "run python docs/gen_claims.py")
    return config
