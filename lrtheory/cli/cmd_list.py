"""`lrtheory list` — one line per registered claim: ID, title, source.

The lines come from the check modules' source text (:mod:`lrtheory.claim_index`), so the
command imports no check module and none of sympy, numpy or flint; when the source cannot
be read that way it falls back to importing the registry."""

ORDER = 0


def register(sub):
    p = sub.add_parser("list", help="list the registered claims",
                       description="One line per registered claim: ID, title, source "
                                   "(tab-separated).")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..claim_index import read_claim_index
    claims = read_claim_index()
    if claims is None:
        from ..claims import all_claims
        claims = all_claims()
    for c in claims:
        print(f"{c.id}\t{c.title}\t{c.source}")
    return 0
