"""`lrtheory list [--claims PATH] [--config FILE] [--json]` — one line per claim: ID,
title, source; with ``--json`` a JSON list with, per claim, ``id``, ``title``, ``source``,
``kind`` (the kind of :mod:`lrtheory.expect` the claim is written in, or ``"python"`` for
a check of its own: :func:`lrtheory.claims.registry.claim_kind`) and ``file`` (where it
is declared, ``path:line``).

The claims are those discovery selects (the project's, the ``--claims`` locations, or the
installed collections).  They are read from the claims files' text
(:mod:`lrtheory.claim_index`, and :mod:`ast` for the kinds), so the command imports no
check module and none of sympy, numpy or flint; when a Python file does not state its
claims plainly it falls back to importing it."""

ORDER = 0


def register(sub):
    from .options import add_json_flag
    from .project_options import add_discovery
    p = sub.add_parser("list", help="list the claims",
                       description="One line per claim: ID, title, source (tab-separated; "
                                   "--format csv: CSV with a header); with --json a JSON list of id, title, source, kind and "
                                   "file per claim. Inside a project (a pyproject.toml with "
                                   "[tool.lrtheory]) the project's claims; outside, the "
                                   "installed collections (lrtheory's built-in claims).")
    add_discovery(p)
    add_json_flag(p, "print a JSON list (id, title, source, kind, file per claim)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .project_options import registry_from_args
    claims = registry_from_args(args, static=True).claims()
    if args.json:
        import json

        from ..claims.registry import claim_kind
        print(json.dumps([{"id": c.id, "title": c.title, "source": c.source,
                           "kind": claim_kind(c), "file": c.origin} for c in claims],
                         indent=2, ensure_ascii=False))
        return 0
    if args.format == "csv":
        from .common import print_table
        print_table(["id", "title", "source"], [[c.id, c.title, c.source] for c in claims],
                    args=args)
        return 0
    for c in claims:
        print(f"{c.id}\t{c.title}\t{c.source}")
    return 0
