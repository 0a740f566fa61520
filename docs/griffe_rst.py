"""A griffe extension for the API reference: lrtheory's docstrings use reStructuredText
cross-reference roles (:func:`run_gd`, :class:`~lrtheory.gd.Record`) and ``::`` before
literal blocks; the reference renders them as code spans and a plain colon."""
from __future__ import annotations

import re

from griffe import Extension

_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const|term):`(~?)([^`]+)`")
_LITERAL = re.compile(r"(\S)::$", re.M)


def markdown_docstring(text: str) -> str:
    """``text`` with the roles turned into code spans (``~a.b.c`` shows ``c``) and a
    trailing ``::`` into ``:``."""
    def role(m):
        name = m.group(2)
        return f"`{name.rsplit('.', 1)[-1] if m.group(1) else name}`"
    return _LITERAL.sub(r"\1:", _ROLE.sub(role, text))


class RstRoles(Extension):
    def on_instance(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
