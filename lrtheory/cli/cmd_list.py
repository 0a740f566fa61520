"""`lrtheory list` — one line per registered claim: ID, title, source."""
from ..claims import all_claims

ORDER = 0


def register(sub):
    p = sub.add_parser("list", help="list the registered claims",
                       description="One line per registered claim: ID, title, source.")
    p.set_defaults(func=run)


def run(args) -> int:
    for c in all_claims():
        print(f"{c.id}\t{c.title}\t{c.source}")
    return 0
