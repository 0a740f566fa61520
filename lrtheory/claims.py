"""The claims registry: every claim of ../shared/CLAIMS.md is an executable check.

A check is a function ``check(ctx: CheckContext) -> Evidence`` registered with
:func:`claim`.  Checks live in the ``proofs_checks`` package (one module or subpackage per
source) and are found by :func:`discover`.  :func:`run_claims` runs a selection, isolating
failures: a check that raises is reported with verdict ``error`` and the others still run.

Verdicts (CLAIMS.md): ``proved`` (exact / symbolic / rigorous enclosure), ``confirmed``
(numerical, stable under a precision increase), ``refuted`` (counterexample or rigorous
contradiction), ``inconclusive`` (evidence decides nothing, and says why).
"""
from __future__ import annotations

import importlib
import math
import pkgutil
import platform
import re
import time
import traceback
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import InputError
from .results import Result, result

VERDICTS = ("proved", "confirmed", "refuted", "inconclusive")
METHODS = ("symbolic", "exact", "interval", "mpmath", "float64")
_STRENGTH = {"proved": 3, "confirmed": 2, "inconclusive": 1, "refuted": 0}

#: Source prefixes in report order, with the reference each stands for.
SOURCES = {
    "BLOG": "Tao & Wang, \"Fun facts about large learning rates\" (blog, 2022)",
    "WCZT": "Wang, Chen, Zhao, Tao, \"Large learning rate tames homogeneity\" (ICLR 2022)",
    "KT": "Kong & Tao, \"Stochasticity of deterministic gradient descent\" (NeurIPS 2020)",
    "REG": "Wang, Xu, Zhao, Tao, \"Good regularity creates large learning rate implicit "
           "biases\" (JMLR 2025), abstract only",
    "EOS": "Cohen et al. (ICLR 2021); Lewkowycz et al. (2020)",
}


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
        """A sub-result of the claim with its own verdict and method."""
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        self.findings.append({"statement": statement, "verdict": verdict,
                              "method": method, "detail": detail})

    def note(self, text: str) -> None:
        self.notes.append(text)

    def conclude(self) -> str:
        """Set the verdict (if not set) from the findings and the method from theirs."""
        if self.verdict is None:
            self.verdict = combine_verdicts(f["verdict"] for f in self.findings)
        if not self.method:
            seen = []
            for f in self.findings:
                for m in re.split(r"[,+ ]+", f["method"]):
                    if m and m not in seen:
                        seen.append(m)
            self.method = ", ".join(seen)
        return self.verdict

    def to_json(self) -> dict:
        return {"summary": self.summary, "precision": self.precision,
                "tolerance": self.tolerance, "numbers": self.numbers, "tables": self.tables,
                "formulas": self.formulas, "figures": self.figures,
                "findings": self.findings, "notes": self.notes}


@dataclass
class CheckContext:
    """What a check may use: quick mode (small instances), long mode (the long versions of
    checks that have one), where figures go, and :meth:`progress` for its stages (passed
    to the ``on_progress`` callback).  It pickles, so a check can run in another process."""

    quick: bool = False
    long: bool = False
    figure_dir: Path | None = None
    on_progress: Callable[[str], None] | None = None
    claim_id: str = ""

    def progress(self, msg: str) -> None:
        """Report a stage of the running check (shown on stderr by ``lrtheory verify``)."""
        if self.on_progress is not None:
            self.on_progress(msg)

    def save_figure(self, fig, name: str, caption: str = "") -> dict | None:
        """Save a matplotlib figure (or the figure of an Axes) as vector PDF and PNG under
        ``figure_dir``, atomically (:func:`lrtheory.plotting.save_figure`); returns the
        entry for :meth:`Evidence.figure` (None when figures are not being written).  A
        figure made through pyplot is closed afterwards; one made by
        :func:`lrtheory.plotting.new_figure` needs no closing."""
        from .plotting import release_figure, save_figure
        try:
            if self.figure_dir is None:
                return None
            stem = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{self.claim_id}-{name}".strip("-"))
            pdf, png = self.figure_dir / f"{stem}.pdf", self.figure_dir / f"{stem}.png"
            save_figure(fig, pdf)
            save_figure(fig, png, dpi=110)
            # paths relative to the results' folder: the report takes figures only from
            # the figures folder beside the results (absolute paths are refused there)
            rel = Path(self.figure_dir.name)
            return {"name": name, "pdf": str(rel / pdf.name), "png": str(rel / png.name),
                    "caption": caption}
        finally:
            release_figure(fig)


@dataclass
class Claim:
    id: str
    title: str
    source: str
    statement: str
    check: Callable[[CheckContext], Evidence]
    tags: tuple = ()

    @property
    def prefix(self) -> str:
        return self.id.split("-")[0]


REGISTRY: dict[str, Claim] = {}


def claim(id: str, title: str, statement: str, source: str | None = None, tags=()):
    """Decorator registering ``check(ctx) -> Evidence`` as the check of claim ``id``."""
    prefix = id.split("-")[0]
    if prefix not in SOURCES:
        raise ValueError(f"claim {id}: unknown source prefix {prefix}")

    def register(fn):
        existing = REGISTRY.get(id)
        if existing is not None and existing.check.__qualname__ != fn.__qualname__:
            raise ValueError(f"claim {id} registered twice")
        REGISTRY[id] = Claim(id, title, source or SOURCES[prefix], statement, fn, tuple(tags))
        return fn
    return register


def discover(package: str = "proofs_checks") -> dict[str, Claim]:
    """Import every module of ``package`` (recursively) so its claims register."""
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
        importlib.import_module(info.name)
    return REGISTRY


def _sort_key(c: Claim):
    order = list(SOURCES)
    m = re.search(r"(\d+)$", c.id)
    return (order.index(c.prefix), int(m.group(1)) if m else 0, c.id)


def all_claims() -> list[Claim]:
    discover()
    return sorted(REGISTRY.values(), key=_sort_key)


def matches(claim_id: str, pattern: str) -> bool:
    """Whether ``claim_id`` is selected by ``pattern``: the exact ID (case-insensitive) or a
    prefix of whole parts (``BLOG`` selects BLOG-1, BLOG-10, …; ``BLOG-1`` only BLOG-1)."""
    key = str(pattern).upper()
    return claim_id == key or claim_id.startswith(key.rstrip("-") + "-") \
        or claim_id.split("-")[0] == key


def select(ids=None) -> list[Claim]:
    """Claims named by ``ids`` (exact IDs or prefixes such as ``BLOG``); all when empty.
    Raises :class:`InputError` for a name that matches nothing."""
    claims = all_claims()
    if not ids:
        return claims
    chosen, unknown = [], []
    for name in ids:
        hits = [c for c in claims if matches(c.id, name)]
        if not hits:
            unknown.append(name)
        chosen += [c for c in hits if c not in chosen]
    if unknown:
        raise InputError(f"unknown claim IDs: {', '.join(unknown)} "
                         f"(see `lrtheory list`)")
    return sorted(chosen, key=_sort_key)


@result
class ClaimRecord(Result):
    """The outcome of one claim's check: the claim's ``id``, ``title``, ``source``,
    ``statement`` (LaTeX) and ``tags``; the ``verdict`` (one of :data:`VERDICTS`, or
    ``"error"`` when the check raised), the ``method`` it rests on, the wall time in
    ``seconds`` and the ``evidence`` (:meth:`Evidence.to_json`, or the error and its
    traceback).  Its ``to_json()`` is one entry of the results document."""

    id: str
    title: str
    source: str
    statement: str
    tags: tuple = ()
    verdict: str = "inconclusive"
    method: str = ""
    evidence: dict = dataclasses.field(default_factory=dict)
    seconds: float = 0.0

    _repr_skip = ("statement", "evidence")


def run_claim(c: Claim, ctx: CheckContext) -> ClaimRecord:
    """Run one check, never raising: errors become verdict ``error`` with the traceback."""
    ctx.claim_id = c.id
    t0 = time.perf_counter()
    record = {"id": c.id, "title": c.title, "source": c.source, "statement": c.statement,
              "tags": tuple(c.tags)}
    try:
        ev = c.check(ctx)
        if not isinstance(ev, Evidence):
            raise TypeError(f"check of {c.id} returned {type(ev).__name__}, not Evidence")
        verdict = ev.conclude()
        if verdict not in VERDICTS:
            raise ValueError(f"check of {c.id} returned unknown verdict {verdict!r}")
        record.update(verdict=verdict, method=ev.method, evidence=ev.to_json())
    except Exception as exc:  # isolate the failure: the other claims still run
        record.update(verdict="error", method="", evidence={
            "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
    record["seconds"] = round(time.perf_counter() - t0, 3)
    return ClaimRecord(**record)


def _document_entry(rec: ClaimRecord) -> dict:
    """A record as an entry of the results document (the JSON contract has no type tag)."""
    entry = rec.to_json()
    del entry["type"]
    return entry


def environment() -> dict:
    """Versions and settings recorded with every run."""
    import flint
    import mpmath
    import numpy
    import scipy
    import sympy
    return {"python": platform.python_version(), "platform": platform.platform(),
            "lrtheory": __version__, "sympy": sympy.__version__, "mpmath": mpmath.__version__,
            "mpmath_backend": mpmath.libmp.BACKEND, "python-flint": flint.__version__,
            "numpy": numpy.__version__, "scipy": scipy.__version__,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def run_claims(claims, ctx: CheckContext, progress: Callable[[str], None] | None = None,
               *, jobs: int | None = None, dask=None) -> dict:
    """Run ``claims`` and return the results document of the JSON contract.

    ``jobs=N`` (N > 1) runs the checks in N local processes, ``dask=`` on a Dask cluster
    (a ``distributed.Client``, a scheduler address or ``"local"``); each check runs in one
    process, its :class:`ClaimRecord` comes back pickled, and the entries stay in the order
    of ``claims``: the document is the serial one (the timings aside)."""
    claims = list(claims)
    if (jobs or 1) > 1 or dask is not None:
        records = _run_parallel(claims, ctx, progress, jobs, dask)
    else:
        records = []
        for i, c in enumerate(claims, 1):
            if progress:
                progress(f"[{i}/{len(claims)}] {c.id} {c.title} ...")
            rec = run_claim(c, ctx)
            if progress:
                progress(f"[{i}/{len(claims)}] {c.id}: {rec.verdict} ({rec.seconds:.1f} s)")
            records.append(rec)
    return {"lrtheory": __version__, "quick": ctx.quick, "environment": environment(),
            "claims": [_document_entry(rec) for rec in records]}


def _run_parallel(claims, ctx: CheckContext, progress, jobs, dask) -> list:
    """The records of ``claims`` run by the executors of :mod:`lrtheory.sweeps.executors`,
    in the order of ``claims``; progress is reported as checks finish."""
    from .sweeps.executors import open_runner
    records = {}
    with open_runner(jobs=jobs if (jobs or 1) > 1 else None, dask=dask) as runner:
        if progress:
            progress(f"running {len(claims)} claims on {runner.workers} {runner.kind} "
                     "worker(s)")
        tasks = {i: (c, ctx) for i, c in enumerate(claims)}
        for done, (i, rec) in enumerate(runner.map(run_claim, tasks), 1):
            records[i] = rec
            if progress:
                progress(f"[{done}/{len(claims)}] {rec.id}: {rec.verdict} "
                         f"({rec.seconds:.1f} s)")
    return [records[i] for i in range(len(claims))]
