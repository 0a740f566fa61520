"""Rendering the report's LaTeX from the Jinja2 templates in ``templates/``.

The templates use LaTeX-friendly delimiters: ``\\VAR{...}`` for values, ``\\BLOCK{...}``
for statements and ``\\#{...}`` for comments.  Every value printed with ``\\VAR`` is
escaped as text unless it is :class:`~lrtheory.report.latex.Latex` (the ``tex`` filter
marks template-made LaTeX, e.g. a macro's output)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from .document import badge
from .latex import Latex, escape, escape_lines, pdf_string, unicode_declarations

TEMPLATES = Path(__file__).parent / "templates"


def _finalize(value):
    if isinstance(value, Latex):
        return value
    return escape("" if value is None else value)


def _cells(values, bold: bool = False) -> Latex:
    cells = [escape(v) for v in values]
    if bold:
        cells = [rf"\textbf{{{c}}}" for c in cells]
    return Latex(" & ".join(cells))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        trim_blocks=True, lstrip_blocks=True, autoescape=False, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=_finalize)
    env.filters.update(tex=Latex, cells=_cells, headcells=lambda v: _cells(v, bold=True),
                       lines=escape_lines, pdf=pdf_string)
    env.globals.update(badge=badge, unicode=Latex(unicode_declarations()))
    return env


def render(context: dict, template: str = "report.tex.j2") -> str:
    """The LaTeX source of the report for a context from :func:`document.build`."""
    return environment().get_template(template).render(**context)
