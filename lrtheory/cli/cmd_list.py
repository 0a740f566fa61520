"""`lrtheory list [--claims PATH] [--config FILE]` — one line per claim: ID, title,
source.

The claims are those discovery selects (the project's, the ``--claims`` locations, or the
installed collections).  They are read from the claims files' text
(:mod:`lrtheory.claim_index`), so the command imports no check module and none of sympy,
numpy or flint; when a Python file does not state its claims plainly it falls back to
importing it."""

ORDER = 0


def register(sub):
    from .project_options import add_discovery
    p = sub.add_parser("list", help="list the claims",
                       description="One line per claim: ID, title, source (tab-separated). "
                                   "Inside a project (a pyproject.toml with [tool.lrtheory]) "
                                   "the project's claims; outside, the installed collections "
                                   "(lrtheory's built-in claims).")
    add_discovery(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from .project_options import registry_from_args
    for c in registry_from_args(args, static=True).claims():
        print(f"{c.id}\t{c.title}\t{c.source}")
    return 0
