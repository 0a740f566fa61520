"""Write the generated parts of docs/claims.md from the results of the last full run.

docs/claims.md holds the catalogue of lrtheory's built-in claims: what each source states,
written by hand.  The parts between ``<!-- generated: KEY -->`` and ``<!-- /generated -->``
are written by this script from the reference run ``docs/claims-results.json`` — the part
of a full run's ``results.json`` the catalogue shows (each claim's verdict, method, time and
the summary of its evidence), kept in the repository so that running ``lrtheory verify``
never makes the documentation stale. ``summary`` gets the table of verdicts, ``kinds``
the count of built-in claims per kind of the claim language (from the registry), and each
claim ID gets its verdict, method, time and the summary of its evidence.

    python docs/gen_claims.py                                  # rewrite docs/claims.md
    python docs/gen_claims.py --results reports/results.json   # new reference run, then rewrite
    python docs/gen_claims.py --check    # exit 1 when docs/claims.md is out of date

Every ID of the results must have its section in the catalogue, and every section its
result: a claim that is added to the registry must be catalogued here.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "claims.md"
RESULTS = ROOT / "docs" / "claims-results.json"
_CLAIM_FIELDS = ("id", "title", "verdict", "method", "seconds")
_EVIDENCE_FIELDS = ("summary", "precision")
_BLOCK = re.compile(r"(<!-- generated: (?P<key>[\w-]+) -->\n)(?P<body>.*?)(<!-- /generated -->)",
                    re.S)
_HEADING = re.compile(r"^### (?P<id>[A-Z]+-\d+)\b.*$", re.M)


def slug(heading: str) -> str:
    """The anchor Python-Markdown's ``toc`` extension gives a heading."""
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _text(s: str) -> str:
    """Plain text for a Markdown paragraph or table cell (Markdown characters escaped)."""
    s = " ".join(str(s).split())
    s = re.sub(r"([\\*_|\[\]`])", r"\\\1", s)
    return s.replace("<", "&lt;").replace(">", "&gt;")


def _verdict(v: str) -> str:
    return f"**{v}**" if v == "refuted" else v


def summary_block(results: dict, headings: dict[str, str]) -> str:
    claims = results["claims"]
    counts = {}
    for c in claims:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    order = ("proved", "confirmed", "refuted", "inconclusive", "error")
    total = ", ".join(f"{k} {counts[k]}" for k in order if k in counts)
    date = results.get("environment", {}).get("date", "")
    mode = "quick" if results.get("quick") else "full"
    lines = [f"Verdicts of the last {mode} run ({len(claims)} claims, lrtheory "
             f"{results.get('lrtheory', '?')}, {date[:10]}): {total}.", "",
             "| claim | title | verdict | method | seconds |", "| --- | --- | --- | --- | --- |"]
    for c in claims:
        link = f"[{c['id']}](#{slug(headings[c['id']])})"
        lines.append(f"| {link} | {_text(c['title'])} | {_verdict(c['verdict'])} | "
                     f"{_text(c.get('method') or '-')} | {c['seconds']:.2f} |")
    return "\n".join(lines) + "\n"


def kinds_block() -> str:
    """How the built-in claims are written: the count per claim kind (an expectation kind
    of the claim language, a composition of them, or ``python`` for a bespoke check)."""
    from lrtheory.claims import all_claims, kind_table
    return ("How the built-in claims are written (`lrtheory list --json` gives each claim's "
            "kind):\n\n" + kind_table(all_claims()))


def claim_block(c: dict) -> str:
    ev = c.get("evidence") or {}
    head = (f"**Verdict: {c['verdict']}** · {_text(c['title'])} · method: "
            f"{_text(c.get('method') or '-')} · {c['seconds']:.2f} s")
    lines = [head, ""]
    if ev.get("summary"):
        lines += [f"Finding: {_text(ev['summary'])}", ""]
    if ev.get("precision"):
        lines += [f"Precision: {_text(ev['precision'])}", ""]
    return "\n".join(lines)


def render(catalogue: str, results: dict) -> str:
    """The catalogue with every generated block rewritten from ``results``."""
    headings = {m["id"]: m.group(0)[4:] for m in _HEADING.finditer(catalogue)}
    by_id = {c["id"]: c for c in results["claims"]}
    missing = sorted(set(by_id) - set(headings))
    if missing:
        raise SystemExit(f"claims without a section in {CATALOGUE.name}: {', '.join(missing)}")
    unrun = sorted(set(headings) - set(by_id))
    if unrun:
        raise SystemExit(f"catalogued claims missing from the results: {', '.join(unrun)}")

    def fill(m):
        key = m["key"]
        body = (summary_block(results, headings) if key == "summary" else
                kinds_block() if key == "kinds" else claim_block(by_id[key]))
        return m.group(1) + body + m.group(4)

    return _BLOCK.sub(fill, catalogue)


def reference(results: dict) -> dict:
    """The part of a results document the catalogue shows (what ``RESULTS`` stores)."""
    env = results.get("environment", {})
    claims = [{**{k: c.get(k) for k in _CLAIM_FIELDS},
               "evidence": {k: (c.get("evidence") or {}).get(k) for k in _EVIDENCE_FIELDS}}
              for c in results["claims"]]
    return {"lrtheory": results.get("lrtheory"), "quick": bool(results.get("quick")),
            "environment": {"date": env.get("date", "")}, "claims": claims}


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", type=Path, default=None,
                   help="a full run's results.json: store it as the new reference run "
                        f"({RESULTS.relative_to(ROOT)}) first")
    p.add_argument("--check", action="store_true", help="exit 1 when the page is out of date")
    args = p.parse_args(argv)
    if args.results is not None and not args.check:
        results = reference(json.loads(args.results.read_text(encoding="utf-8")))
        if results["quick"]:
            print(f"{args.results} is a --quick run: the catalogue shows a full run",
                  file=sys.stderr)
            return 2
        _write(RESULTS, json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    results = json.loads((args.results if args.check and args.results else RESULTS)
                         .read_text(encoding="utf-8"))
    current = CATALOGUE.read_text(encoding="utf-8")
    new = render(current, results)
    if args.check:
        if new != current:
            print(f"{CATALOGUE} is out of date: run python docs/gen_claims.py", file=sys.stderr)
            return 1
        return 0
    _write(CATALOGUE, new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
