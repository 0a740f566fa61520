"""`lrtheory verify [ID ...] [--claims PATH] [--config FILE] [--json PATH] [--quick]
[--report DIR] [--baseline PATH] [--update-baseline] [--jobs N | --dask ADDRESS]
[--progress]` — run
claim checks (in parallel with --jobs or --dask, the document as a serial run's), print
verdicts, write the results JSON and SUMMARY.md (atomically), optionally the report, and
hold the run to a baseline.

Inside a project (a pyproject.toml with ``[tool.lrtheory]``) the claims are the
project's, the results go to the project's report folder, the baseline is the project's
(compared with automatically when it exists), and the report carries the project's title,
authors and sources."""
from __future__ import annotations

from pathlib import Path

from .cmd_report import emit_report
from .cmd_sweep import add_parallel
from .common import ProgressLines, print_json, print_table, progress, records
from .options import (add_format, add_progress, check_output_dir, check_output_file,
                      input_file, output_dir, output_file)
from .project_options import add_discovery, registry_from_args

ORDER = 1
DEFAULT_BASELINE = "proofs_checks/baseline.json"  # the built-in claims' baseline
DEFAULT_JSON = "reports/results.json"
#: Names of the registry used here, bound on first use (see :func:`_load_registry`).
_REGISTRY_NAMES = ("CheckContext", "run_claims", "select", "baselines")


def _load_registry() -> None:
    """Bind the registry's ``CheckContext``, ``run_claims``, ``select`` and the baseline
    module here on first use, so that ``lrtheory --help`` does not import them; a name
    already bound (e.g. replaced by a test) is kept."""
    from .. import baseline, claims
    found = {"baselines": baseline, **{n: getattr(claims, n) for n in _REGISTRY_NAMES[:3]}}
    for name, value in found.items():
        globals().setdefault(name, value)


def __getattr__(name: str):  # PEP 562: the registry names exist before first use too
    if name in _REGISTRY_NAMES:
        _load_registry()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register(sub):
    p = sub.add_parser(
        "verify", help="run claim checks and write results",
        description="Run the named claims (all when none are named; IDs may be prefixes "
                    "such as BLOG), print a table of verdicts and write the results JSON "
                    "and SUMMARY.md beside it. Inside a project the claims, output folder "
                    "and baseline are the project's. Exit 0 when every claim produced a "
                    "verdict, 1 when a check errored (or the report PDF failed), 2 on bad "
                    "usage, unknown IDs or bad claims files, 3 when a verdict or number "
                    "drifted from the baseline.")
    p.add_argument("ids", nargs="*", metavar="ID", help="claim IDs or prefixes (default: all)")
    add_discovery(p)
    p.add_argument("--json", default=None, metavar="PATH", type=output_file,
                   help="where to write the results JSON, SUMMARY.md goes beside it "
                        "(default: results.json in the project's report folder, else "
                        f"{DEFAULT_JSON})")
    p.add_argument("--quick", action="store_true",
                   help="smaller instances and fewer samples (what the test suite runs)")
    p.add_argument("--long", action="store_true",
                   help="run the long versions of checks that have one (EOS-2: 8000 steps, "
                        "all network variants)")
    p.add_argument("--figures", metavar="DIR", default=None, type=output_dir,
                   help="where figures go (default: a 'figures' folder beside the JSON)")
    p.add_argument("--report", metavar="DIR", default=None, type=output_dir,
                   help="also write the LaTeX/PDF report into DIR (default: no report)")
    p.add_argument("--baseline", metavar="PATH", default=None, type=input_file,
                   help="compare verdicts and key numbers with this baseline; exit 3 on drift "
                        "(default: the project's baseline when it exists, else no "
                        "comparison)")
    p.add_argument("--update-baseline", action="store_true",
                   help="record this run's verdicts and numbers (of the claims run, in this "
                        "mode's section) in --baseline, else in the project's baseline, else "
                        f"in {DEFAULT_BASELINE}")
    add_parallel(p, "claims")
    add_format(p, "the verdict table printed: aligned text, JSON records (id, verdict, "
                  "method, seconds) or CSV; the results document goes to --json PATH")
    add_progress(p)
    p.set_defaults(func=run)
    return p


def baseline_path(args, registry) -> Path | None:
    """The baseline a run compares with or updates: ``--baseline``; else, in a project,
    the project's (when it exists or is being recorded); else, when updating,
    :data:`DEFAULT_BASELINE`; else None (no comparison)."""
    if args.baseline:
        return Path(args.baseline)
    project = registry.project.baseline
    if project and (args.update_baseline or Path(project).is_file()):
        return Path(project)
    return Path(DEFAULT_BASELINE) if args.update_baseline else None


def load_baseline(args, path: Path | None = None) -> dict | None:
    """The baseline this run is compared with or updates (None: none yet, or not asked),
    read before the run so that a missing or malformed baseline fails fast."""
    _load_registry()
    if path is None and not (args.baseline or args.update_baseline):
        return None
    path = Path(path or args.baseline or DEFAULT_BASELINE)
    if args.update_baseline and not path.is_file():
        return None
    data = baselines.load(path)
    if not args.update_baseline:
        baselines.section(data, "quick" if args.quick else "full")
    return data


def check_baseline(results: dict, args, previous: dict | None,
                   path: Path | None = None) -> int:
    """Compare with or update the baseline; returns 3 on drift, else 0."""
    _load_registry()
    path = Path(path or args.baseline or DEFAULT_BASELINE)
    if args.update_baseline:
        for r in results["claims"]:
            if r["verdict"] == "error":
                progress(f"{r['id']} errored: its baseline entry is left as it was")
        baselines.save(baselines.make_baseline(results, previous), path)
        progress(f"baseline updated: {path} ({baselines.mode_of(results)} section)")
        return 0
    from ..claims.judge import judge_results
    judgements, missing = judge_results(results, previous, selected=args.ids)
    drifts = [d for j in judgements for d in j.drifts] + missing
    for j in judgements:
        if j.baselined is False:
            progress(f"note: {j.id} is not in the baseline (record it with --update-baseline)")
    for d in drifts:
        progress(f"drift: {d}")
    if drifts:
        progress(f"{len(drifts)} drift(s) from baseline {path}")
        return 3
    progress(f"no drift from baseline {path}")
    return 0


def check_outputs(args, json_path: Path, baseline: Path | None) -> Path:
    """Check, before any claim runs, every file and folder this run will write; returns
    the figures folder."""
    check_output_file(json_path.parent / "SUMMARY.md", "--json")
    if args.update_baseline:
        check_output_file(baseline, "--baseline")
    return check_output_dir(args.figures or json_path.parent / "figures", "--figures")


def _json_path(args, registry) -> Path:
    if args.json:
        return Path(args.json)
    report = registry.project.report
    path = Path(report) / "results.json" if report else Path(DEFAULT_JSON)
    check_output_file(path, "--json")
    return path


def _implicit_baseline(args, path: Path | None) -> Path | None:
    """The project's baseline is compared with only when it has this mode's section."""
    if path is None or args.baseline or args.update_baseline:
        return path
    mode = "quick" if args.quick else "full"
    if mode not in (baselines.load(path).get("modes") or {}):
        progress(f"note: the baseline {path} has no '{mode}' section yet (record one with "
                 f"`lrtheory verify{' --quick' if args.quick else ''} --update-baseline`)")
        return None
    return path


def run(args) -> int:
    from ..io import atomic_write_json
    from ..report.summary import write_summary
    _load_registry()
    registry = registry_from_args(args)
    json_path = _json_path(args, registry)
    bpath = _implicit_baseline(args, baseline_path(args, registry))
    fig_dir = check_outputs(args, json_path, bpath)
    with registry.active():
        claims = select(args.ids)
    baseline = load_baseline(args, bpath)
    lines = ProgressLines(args.progress or None)  # per claim and per stage of a check
    ctx = CheckContext(quick=args.quick, long=args.long, figure_dir=fig_dir,
                       on_progress=lines)
    parallel = {"dask": args.dask} if args.dask else \
        ({"jobs": args.jobs} if args.jobs > 1 else {})
    results = run_claims(claims, ctx, progress=lines, **parallel)
    if registry.project.root:
        results["project"] = registry.project.to_json()
    atomic_write_json(json_path, results)
    rows = [(r["id"], r["verdict"], r["method"] or "-", f"{r['seconds']:.2f}")
            for r in results["claims"]]
    if args.format == "json":
        print_json(records(["id", "verdict", "method", "seconds"],
                           [(r["id"], r["verdict"], r["method"], r["seconds"])
                            for r in results["claims"]]))
    else:
        print_table(["ID", "verdict", "method", "seconds"], rows, args=args)
    progress(f"results written to {json_path}")
    if not args.report or Path(args.report).resolve() != json_path.parent.resolve():
        progress(f"summary written to {write_summary(results, json_path.parent / 'SUMMARY.md')}")
    from ..claims.judge import judge_results
    judged = judge_results(results, None)[0]
    for r, j in zip(results["claims"], judged):
        if j.status == "error":
            progress(f"{r['id']} errored: {r['evidence']['error']}")
        elif j.failed:
            progress(f"{j.id}: {j.problems[0]}")
    status = 1 if any(j.failed for j in judged) else 0
    if args.report:
        status = max(status, emit_report(results, args.report, base_dirs=[json_path.parent],
                                         lines=lines))
    if bpath is not None:
        status = max(status, check_baseline(results, args, baseline, bpath))
    return status
