"""The discovery options shared by ``list``, ``verify`` and ``report``: ``--claims PATH``
(repeatable: a .py or .toml claims file, a folder of them, or a module name) and
``--config FILE`` (the pyproject.toml of a project; default: the nearest one with a
``[tool.lrtheory]`` section, searched upward from the current folder)."""
from __future__ import annotations

from .options import input_file


def add_discovery(p) -> None:
    """Add ``--claims`` and ``--config`` to parser ``p``."""
    p.add_argument("--claims", action="append", default=[], metavar="PATH",
                   help="claims to use instead of the project's (repeatable): a .py or "
                        ".toml claims file, a folder of them, or a module name "
                        "(default: the project's claims, else the installed collections)")
    p.add_argument("--config", default=None, metavar="FILE", type=input_file,
                   help="the project's pyproject.toml (default: the nearest one with a "
                        "[tool.lrtheory] section, searched upward from here)")


def registry_from_args(args, static: bool = False):
    """The registry discovery builds for the options; ``static``: read the claims files'
    text without running them when they state their claims plainly (``lrtheory list``)."""
    from ..claim_index import Unreadable
    from ..claims import discover
    kwargs = {"claims": tuple(args.claims), "config": args.config}
    if static:
        try:
            return discover(static=True, **kwargs)
        except Unreadable:
            pass
    return discover(**kwargs)
