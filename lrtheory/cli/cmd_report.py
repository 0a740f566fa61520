"""`lrtheory report [--results PATH] [--out DIR] [--no-pdf] [--claims PATH] [--config
FILE]` — the LaTeX/PDF report and SUMMARY.md of a results file.

Inside a project the results and the report are in the project's report folder by
default, and the report carries the project's title and authors; with ``--claims`` it
holds only the claims found there."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import InputError
from .common import ProgressLines, print_json, progress
from .options import add_progress, check_output_dir, input_file, output_dir
from .project_options import add_discovery

ORDER = 2


def register(sub):
    p = sub.add_parser(
        "report", help="write the LaTeX/PDF report of a results file",
        description="Write lrtheory-report.tex, SUMMARY.md and the figures (PDF and PNG) "
                    "for a results JSON, and compile lrtheory-report.pdf when latexmk is "
                    "installed (otherwise say so and keep the .tex). Exit 0 when the report "
                    "was written (and compiled, if latexmk is present), 1 when LaTeX failed, "
                    "2 when the results file is missing or not a results document.")
    p.add_argument("--results", default=None, metavar="PATH", type=input_file,
                   help="results JSON written by `lrtheory verify` (default: results.json "
                        "in the project's report folder, else reports/results.json)")
    p.add_argument("--out", default=None, metavar="DIR", type=output_dir,
                   help="folder for the report, created if absent (default: the project's "
                        "report folder, else reports)")
    p.add_argument("--no-pdf", action="store_true", help="write the .tex only, do not compile")
    p.add_argument("--json", action="store_true",
                   help="also print what was written as JSON on stdout: tex, pdf, summary_md, "
                        "figures, compiled, pdf_built, reason, fallbacks, log, log_summary "
                        "(pages, overfull_hbox, ...)")
    add_discovery(p)
    add_progress(p)
    p.set_defaults(func=run)
    return p


def read_results(path) -> dict:
    """A results document from ``path``, read within the input limits of
    :func:`lrtheory.io.read_json`; :class:`InputError` when it is not one."""
    from ..io import read_json
    path = Path(path)
    try:
        data = read_json(path, "results file")
    except FileNotFoundError:
        raise InputError(f"no results file {path}: run `lrtheory verify` first") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise InputError(f"{path} is not an lrtheory results file (no 'claims' list)")
    check_records(data["claims"], str(path))
    return data


def check_records(records: list, where: str) -> None:
    """:class:`InputError` unless every claim record is a table with a unique claim ID in
    text without whitespace or control characters (``"Z-1"`` and ``"Z-1\\n"`` are not two
    claims; other odd characters are shown as they are) and the records, and the figures they name, stay within
    :data:`~lrtheory.limits.MAX_CLAIMS` and :data:`~lrtheory.limits.MAX_FIGURES`."""
    from .. import limits
    from ..report.figures import figure_count
    if len(records) > limits.MAX_CLAIMS:
        raise InputError(f"{where}: {len(records)} claims, more than the limit of "
                         f"{limits.MAX_CLAIMS} (MAX_CLAIMS)")
    seen = set()
    for i, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise InputError(f"{where}: claim record {i} is not a table")
        cid = record.get("id")
        if not isinstance(cid, str) or not cid or len(cid) > 64 or \
                any(unicodedata.category(ch)[0] in "CZ" for ch in cid):
            raise InputError(f"{where}: claim record {i} has the invalid ID {ascii(cid)[:80]}"
                             ": IDs are up to 64 characters without whitespace or control "
                             "characters")
        if cid in seen:
            raise InputError(f"{where}: claim {cid} appears twice")
        seen.add(cid)
    figures = figure_count(records)
    if figures > limits.MAX_FIGURES:
        raise InputError(f"{where}: {figures} figure entries, more than the limit of "
                         f"{limits.MAX_FIGURES} (MAX_FIGURES)")


def emit_report(results: dict, out_dir, base_dirs=(), pdf: bool = True,
                lines=None, as_json: bool = False) -> int:
    """Write the report and say on stderr what was written (with ``as_json`` also on stdout,
    as the JSON of :func:`lrtheory.report.write_report`'s answer); exit status 0 or 1.
    ``lines`` (a :class:`~lrtheory.cli.common.ProgressLines`) gets the stage line."""
    from ..report import write_report
    if lines is not None:
        n = len(results.get("claims", []))
        lines(f"writing the report of {n} claim(s) to {out_dir}"
              + (" and compiling the PDF (LaTeX: up to a few minutes)" if pdf else ""))
    info = write_report(results, out_dir, compile_pdf=pdf, base_dirs=base_dirs)
    if as_json:
        print_json(info)
    progress(f"report source written to {info['tex']}")
    progress(f"summary written to {info['summary_md']}")
    for fb in info["fallbacks"]:
        progress(f"note: {fb['where']} shown as LaTeX source ({fb['reason']})")
    if info["pdf_built"]:
        logs = info.get("log_summary", {})
        progress(f"report PDF written to {info['pdf']} ({logs.get('pages', '?')} pages, "
                 f"{logs.get('overfull_hbox', 0)} overfull boxes)")
        return 0
    if not info["compiled"]:
        progress(f"no PDF: {info['reason']}")
        return 0
    progress(f"error: the report PDF could not be built: {info['reason']}"
             + (f" (see {info['log']})" if info.get("log") else ""))
    return 1


def _project_view(args) -> tuple[dict, Path, Path]:
    """The results restricted to the discovered claims (with ``--claims``) and carrying
    the project's title and authors, the results path and the output folder."""
    from ..claims.project import find_project
    project = find_project(config=args.config)
    report = project.report if project else Path("reports")
    path = Path(args.results) if args.results else report / "results.json"
    out = check_output_dir(args.out or report, "--out")
    results = read_results(path)
    if project and not results.get("project"):
        results["project"] = {"title": project.title, "authors": list(project.authors)}
    if args.claims:
        from .project_options import registry_from_args
        registry = registry_from_args(args, static=True)
        keep = [r for r in results["claims"] if isinstance(r, dict) and r.get("id") in registry]
        results = {**results, "claims": keep}
    return results, path, out


def run(args) -> int:
    results, path, out = _project_view(args)
    return emit_report(results, out, base_dirs=[path.parent], pdf=not args.no_pdf,
                       lines=ProgressLines(args.progress or None), as_json=args.json)
