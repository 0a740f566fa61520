"""What a check returns: :class:`Evidence` — a verdict, how it was reached, and the
numbers, tables, formulas and figures behind it — and the verdict vocabulary.

Verdicts: ``proved`` (exact / symbolic / rigorous enclosure), ``confirmed`` (numerical,
stable under a precision increase), ``refuted`` (counterexample or rigorous contradiction),
``inconclusive`` (the evidence decides nothing, and says why).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

VERDICTS = ("proved", "confirmed", "refuted", "inconclusive")
METHODS = ("symbolic", "exact", "interval", "mpmath", "float64")
_STRENGTH = {"proved": 3, "confirmed": 2, "inconclusive": 1, "refuted": 0}


def combine_verdicts(verdicts) -> str:
    """Overall verdict of a claim from the verdicts of its parts: any ``refuted`` part
    refutes, otherwise the weakest part decides (proved > confirmed > inconclusive)."""
    verdicts = list(verdicts)
    if not verdicts:
        return "inconclusive"
    for v in verdicts:
        if v not in VERDICTS:
            raise ValueError(f"unknown verdict {v!r}")
    if "refuted" in verdicts:
        return "refuted"
    return min(verdicts, key=_STRENGTH.__getitem__)


def _jsonable(v):
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    try:
        f = float(v)
        if type(v).__module__.startswith("numpy"):
            return f if math.isfinite(f) else str(f)
    except (TypeError, ValueError):
        pass
    return str(v)


@dataclass
class Evidence:
    """What a check found: a verdict, how, and the numbers, tables, formulas and figures.

    Key numbers carry their kind and tolerance so that a regression baseline can compare
    them: ``exact`` values compare exactly, ``ball`` values by their radius, ``float`` values
    by the stated relative tolerance."""

    verdict: str | None = None
    method: str = ""
    precision: str = ""
    tolerance: str = ""
    summary: str = ""
    numbers: dict = field(default_factory=dict)
    tables: list = field(default_factory=list)
    formulas: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    # -- key numbers ---------------------------------------------------------------------
    def exact(self, name: str, value, note: str = "") -> None:
        """An exactly known number (integer, rational, symbolic constant, boolean)."""
        self.numbers[name] = {"value": _jsonable(value), "kind": "exact", "note": note}

    def ball(self, name: str, value, note: str = "") -> None:
        """A rigorous enclosure (python-flint arb): midpoint and radius."""
        mid, rad = value.mid(), value.rad()
        self.numbers[name] = {"value": mid.str(30, radius=False), "radius": rad.str(5, radius=False),
                              "kind": "ball", "note": note}

    def approx(self, name: str, value, rel_tol: float, note: str = "", abs_tol: float = 0.0) -> None:
        """A numerical value with the relative tolerance it should be compared at."""
        self.numbers[name] = {"value": _jsonable(value), "kind": "float",
                              "rel_tol": rel_tol, "abs_tol": abs_tol, "note": note}

    # -- structured content --------------------------------------------------------------
    def table(self, title: str, columns, rows, note: str = "") -> None:
        self.tables.append({"title": title, "columns": [str(c) for c in columns],
                            "rows": [[_jsonable(c) for c in r] for r in rows], "note": note})

    def formula(self, label: str, latex: str) -> None:
        """A derived formula, already in LaTeX (use sympy's printer)."""
        self.formulas.append({"label": label, "latex": latex})

    def figure(self, entry: dict | None) -> None:
        if entry:
            self.figures.append(entry)

    def finding(self, statement: str, verdict: str, method: str, detail: str = "") -> None:
        """A sub-result of the claim with its own verdict and method.  A verdict (and
        method) that :meth:`conclude` derived from the findings is derived again with this
        one — so findings may be added to the evidence an expectation returned."""
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        self.findings.append({"statement": statement, "verdict": verdict,
                              "method": method, "detail": detail})
        self._forget_derived()

    def add(self, other: "Evidence", label: str = "") -> "Evidence":
        """Add the findings, key numbers, tables, formulas, figures and notes of ``other``
        (the evidence of another check or expectation) to this evidence; key numbers are
        named ``label_name`` when ``label`` is given (a name already used is an error).
        The summary becomes "this summary; other summary", and a derived verdict and
        method are derived again.  Returns self."""
        names = {f"{label}_{k}" if label else k: v for k, v in other.numbers.items()}
        clash = sorted(set(names) & set(self.numbers))
        if clash:
            raise ValueError(f"key number {clash[0]!r} is in both evidences; add the other "
                             "with a label")
        self.numbers.update(names)
        for name in ("tables", "formulas", "figures", "findings", "notes"):
            getattr(self, name).extend(getattr(other, name))
        self.summary = "; ".join(s for s in (self.summary, other.summary) if s)
        for name in ("precision", "tolerance"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs and theirs not in mine:
                setattr(self, name, f"{mine}; {theirs}" if mine else theirs)
        self._forget_derived()
        return self

    def _forget_derived(self) -> None:
        derived = getattr(self, "_derived", None)
        if derived is None:
            return
        verdict, method = derived
        if self.verdict == verdict:
            self.verdict = None
        if self.method == method:
            self.method = ""
        self._derived = None

    def note(self, text: str) -> None:
        self.notes.append(text)

    def conclude(self) -> str:
        """Set the verdict (if not set) from the findings and the method from theirs
        (remembered as derived: a finding added later derives them again)."""
        derived = getattr(self, "_derived", None) or (None, None)
        if self.verdict is None:
            self.verdict = combine_verdicts(f["verdict"] for f in self.findings)
            derived = (self.verdict, derived[1])
        if not self.method:
            seen = []
            for f in self.findings:
                for m in re.split(r"[,+ ]+", f["method"]):
                    if m and m not in seen:
                        seen.append(m)
            self.method = ", ".join(seen)
            derived = (derived[0], self.method)
        self._derived = derived
        return self.verdict

    def to_json(self) -> dict:
        return {"summary": self.summary, "precision": self.precision,
                "tolerance": self.tolerance, "numbers": self.numbers, "tables": self.tables,
                "formulas": self.formulas, "figures": self.figures,
                "findings": self.findings, "notes": self.notes}
