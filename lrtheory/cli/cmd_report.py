"""`lrtheory report [--results PATH] [--out DIR] [--no-pdf]` — the LaTeX/PDF report and
SUMMARY.md of a results file."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .common import progress
from .options import input_file, output_dir

ORDER = 2


def register(sub):
    p = sub.add_parser(
        "report", help="write the LaTeX/PDF report of a results file",
        description="Write lrtheory-report.tex, SUMMARY.md and the figures (PDF and PNG) "
                    "for a results JSON, and compile lrtheory-report.pdf when latexmk is "
                    "installed (otherwise say so and keep the .tex). Exit 0 when the report "
                    "was written (and compiled, if latexmk is present), 1 when LaTeX failed, "
                    "2 when the results file is missing or not a results document.")
    p.add_argument("--results", default="reports/results.json", metavar="PATH",
                   type=input_file, help="results JSON written by `lrtheory verify`")
    p.add_argument("--out", default="reports", metavar="DIR", type=output_dir,
                   help="folder for the report (created if absent)")
    p.add_argument("--no-pdf", action="store_true", help="write the .tex only, do not compile")
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
    return data


def emit_report(results: dict, out_dir, base_dirs=(), pdf: bool = True) -> int:
    """Write the report and say on stderr what was written; exit status 0 or 1."""
    from ..report import write_report
    info = write_report(results, out_dir, compile_pdf=pdf, base_dirs=base_dirs)
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


def run(args) -> int:
    path = Path(args.results)
    results = read_results(path)
    return emit_report(results, args.out, base_dirs=[path.parent], pdf=not args.no_pdf)
