"""`lrtheory verify [ID ...] [--json PATH] [--quick]` — run claim checks, print verdicts,
write the results JSON (atomically)."""
from __future__ import annotations

from pathlib import Path

from ..claims import CheckContext, run_claims, select
from ..io import atomic_write_json
from .common import print_table, progress

ORDER = 1


def register(sub):
    p = sub.add_parser(
        "verify", help="run claim checks and write results",
        description="Run the named claims (all when none are named; IDs may be prefixes "
                    "such as BLOG), print a table of verdicts and write the results JSON. "
                    "Exit 0 when every claim produced a verdict, 1 when a check errored, "
                    "2 on bad usage or unknown IDs.")
    p.add_argument("ids", nargs="*", metavar="ID", help="claim IDs or prefixes (default: all)")
    p.add_argument("--json", default="reports/results.json", metavar="PATH",
                   help="where to write the results JSON (default: reports/results.json)")
    p.add_argument("--quick", action="store_true",
                   help="smaller instances and fewer samples (what the test suite runs)")
    p.add_argument("--figures", metavar="DIR", default=None,
                   help="where figures go (default: a 'figures' folder beside the JSON)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    claims = select(args.ids)
    json_path = Path(args.json)
    fig_dir = Path(args.figures) if args.figures else json_path.parent / "figures"
    ctx = CheckContext(quick=args.quick, figure_dir=fig_dir, progress=progress)
    results = run_claims(claims, ctx, progress=progress)
    atomic_write_json(json_path, results)
    rows = [(r["id"], r["verdict"], r["method"] or "-", f"{r['seconds']:.2f}")
            for r in results["claims"]]
    print_table(["ID", "verdict", "method", "seconds"], rows)
    progress(f"results written to {json_path}")
    errored = [r["id"] for r in results["claims"] if r["verdict"] == "error"]
    for r in results["claims"]:
        if r["verdict"] == "error":
            progress(f"{r['id']} errored: {r['evidence']['error']}")
    return 1 if errored else 0
