"""`lrtheory verify [ID ...] [--json PATH] [--quick] [--report DIR] [--baseline PATH]
[--update-baseline]` — run claim checks, print verdicts, write the results JSON and
SUMMARY.md (atomically), optionally the report, and hold the run to a baseline."""
from __future__ import annotations

from pathlib import Path

from .. import baseline as baselines
from ..claims import CheckContext, run_claims, select
from ..io import atomic_write_json
from ..report.summary import write_summary
from .cmd_report import emit_report
from .common import print_table, progress

ORDER = 1
DEFAULT_BASELINE = "reports/baseline.json"


def register(sub):
    p = sub.add_parser(
        "verify", help="run claim checks and write results",
        description="Run the named claims (all when none are named; IDs may be prefixes "
                    "such as BLOG), print a table of verdicts and write the results JSON "
                    "and SUMMARY.md beside it. Exit 0 when every claim produced a verdict, "
                    "1 when a check errored (or the report PDF failed), 2 on bad usage or "
                    "unknown IDs, 3 when a verdict or number drifted from the baseline.")
    p.add_argument("ids", nargs="*", metavar="ID", help="claim IDs or prefixes (default: all)")
    p.add_argument("--json", default="reports/results.json", metavar="PATH",
                   help="where to write the results JSON (default: reports/results.json)")
    p.add_argument("--quick", action="store_true",
                   help="smaller instances and fewer samples (what the test suite runs)")
    p.add_argument("--long", action="store_true",
                   help="run the long versions of checks that have one (EOS-2: 8000 steps, "
                        "all network variants)")
    p.add_argument("--figures", metavar="DIR", default=None,
                   help="where figures go (default: a 'figures' folder beside the JSON)")
    p.add_argument("--report", metavar="DIR", default=None,
                   help="also write the LaTeX/PDF report into DIR")
    p.add_argument("--baseline", metavar="PATH", default=None,
                   help="compare verdicts and key numbers with this baseline; exit 3 on drift")
    p.add_argument("--update-baseline", action="store_true",
                   help="record this run's verdicts and numbers in the baseline (the claims "
                        f"run, in this mode's section; default path {DEFAULT_BASELINE})")
    p.set_defaults(func=run)
    return p


def load_baseline(args) -> dict | None:
    """The baseline this run is compared with or updates (None: none yet, or not asked),
    read before the run so that a missing or malformed baseline fails fast."""
    if not (args.baseline or args.update_baseline):
        return None
    path = Path(args.baseline or DEFAULT_BASELINE)
    if args.update_baseline and not path.is_file():
        return None
    data = baselines.load(path)
    if not args.update_baseline:
        baselines.section(data, "quick" if args.quick else "full")
    return data


def check_baseline(results: dict, args, previous: dict | None) -> int:
    """Compare with or update the baseline; returns 3 on drift, else 0."""
    path = Path(args.baseline or DEFAULT_BASELINE)
    if args.update_baseline:
        for r in results["claims"]:
            if r["verdict"] == "error":
                progress(f"{r['id']} errored: its baseline entry is left as it was")
        baselines.save(baselines.make_baseline(results, previous), path)
        progress(f"baseline updated: {path} ({baselines.mode_of(results)} section)")
        return 0
    drifts = baselines.compare(results, previous, selected=args.ids)
    for cid in baselines.uncovered(results, previous):
        progress(f"note: {cid} is not in the baseline (record it with --update-baseline)")
    for d in drifts:
        progress(f"drift: {d}")
    if drifts:
        progress(f"{len(drifts)} drift(s) from baseline {path}")
        return 3
    progress(f"no drift from baseline {path}")
    return 0


def run(args) -> int:
    claims = select(args.ids)
    baseline = load_baseline(args)
    json_path = Path(args.json)
    fig_dir = Path(args.figures) if args.figures else json_path.parent / "figures"
    ctx = CheckContext(quick=args.quick, long=args.long, figure_dir=fig_dir,
                       on_progress=progress)
    results = run_claims(claims, ctx, progress=progress)
    atomic_write_json(json_path, results)
    rows = [(r["id"], r["verdict"], r["method"] or "-", f"{r['seconds']:.2f}")
            for r in results["claims"]]
    print_table(["ID", "verdict", "method", "seconds"], rows)
    progress(f"results written to {json_path}")
    if not args.report or Path(args.report).resolve() != json_path.parent.resolve():
        progress(f"summary written to {write_summary(results, json_path.parent / 'SUMMARY.md')}")
    errored = [r["id"] for r in results["claims"] if r["verdict"] == "error"]
    for r in results["claims"]:
        if r["verdict"] == "error":
            progress(f"{r['id']} errored: {r['evidence']['error']}")
    status = 1 if errored else 0
    if args.report:
        status = max(status, emit_report(results, args.report, base_dirs=[json_path.parent]))
    if args.baseline or args.update_baseline:
        status = max(status, check_baseline(results, args, baseline))
    return status
