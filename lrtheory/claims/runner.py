"""Running checks: the :class:`CheckContext` a check receives, the :class:`ClaimRecord`
of one run, and :func:`run_claims`, which runs a selection into a results document.

A check that raises is reported with verdict ``error`` (and its traceback) and the other
claims still run.  A check may return :class:`~lrtheory.claims.Evidence`, or an
expectation of :mod:`lrtheory.expect`, which is then evaluated with the same context.
"""
from __future__ import annotations

import dataclasses
import platform
import re
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .. import __version__
from ..results import Result, result
from .evidence import VERDICTS, Evidence


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
        from ..plotting import release_figure, save_figure
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


@result
class ClaimRecord(Result):
    """The outcome of one claim's check: the claim's ``id``, ``title``, ``source`` (the
    citation), ``statement`` (LaTeX) and ``tags``; the ``verdict`` (one of
    :data:`VERDICTS`, or ``"error"`` when the check raised), the ``method`` it rests on,
    the wall time in ``seconds``, the :class:`~lrtheory.claims.Evidence` (its ``error``
    and ``traceback`` set when the check raised; a dict given is read by
    :meth:`Evidence.of`), the ``source_key`` of the declared source and the
    ``expected`` verdicts the claim declares.  Its ``to_json()`` is one entry of the
    results document."""

    id: str
    title: str
    source: str
    statement: str
    tags: tuple = ()
    verdict: str = "inconclusive"
    method: str = ""
    evidence: Evidence = dataclasses.field(default_factory=Evidence)
    seconds: float = 0.0
    source_key: str = ""
    expected: tuple = ()

    _repr_skip = ("statement", "evidence")

    def __post_init__(self):
        if not isinstance(self.evidence, Evidence):
            object.__setattr__(self, "evidence", Evidence.of(self.evidence))


def evidence_of(c, ctx: CheckContext) -> Evidence:
    """Run the check of claim ``c``: its Evidence (an expectation returned by the check is
    evaluated with the same context)."""
    ev = c.check(ctx)
    if getattr(ev, "is_expectation", False):
        ev = ev(ctx)
    if not isinstance(ev, Evidence):
        raise TypeError(f"check of {c.id} returned {type(ev).__name__}, not Evidence")
    return ev


def run_claim(c, ctx: CheckContext) -> ClaimRecord:
    """Run one check, never raising: errors become verdict ``error`` with the traceback."""
    ctx.claim_id = c.id
    t0 = time.perf_counter()
    record = {"id": c.id, "title": c.title, "source": c.source, "statement": c.statement,
              "tags": tuple(c.tags), "source_key": getattr(c, "source_key", ""),
              "expected": tuple(getattr(c, "expected", ()))}
    try:
        ev = evidence_of(c, ctx)
        verdict = ev.conclude()
        if verdict not in VERDICTS:
            raise ValueError(f"check of {c.id} returned unknown verdict {verdict!r}")
        record.update(verdict=str(verdict), method=ev.method, evidence=ev)
    except Exception as exc:  # isolate the failure: the other claims still run
        record.update(verdict="error", method="", evidence=Evidence(
            error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc()))
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


def cited_sources(claims) -> list[dict]:
    """The sources the claims cite (their declared :class:`~lrtheory.claims.Source`), in
    order of first citation, as stored in a results document."""
    seen: dict[str, dict] = {}
    for c in claims:
        ref = getattr(c, "reference", None)
        if ref is not None and ref.key not in seen:
            seen[ref.key] = ref.to_json()
    return list(seen.values())


def results_document(records, quick: bool, claims=()) -> dict:
    """The results document of the JSON contract: version, mode, environment, one entry
    per record (:class:`ClaimRecord`) and the sources the ``claims`` cite."""
    return {"lrtheory": __version__, "quick": quick, "environment": environment(),
            "claims": [_document_entry(r) for r in records],
            "sources": cited_sources(claims)}


def run_claims(claims, ctx: CheckContext, progress: Callable[[str], None] | None = None,
               *, jobs: int | None = None, dask=None) -> dict:
    """Run ``claims`` and return the results document of the JSON contract.

    ``jobs=N`` (N > 1) runs the checks in N local processes, ``dask=`` on a Dask cluster
    (a ``distributed.Client``, a scheduler address or ``"local"``); the claims of one check
    module run in one process in order, their :class:`ClaimRecord` objects come back
    pickled, and the entries stay in the order of ``claims``: the document is the serial
    one (the timings aside)."""
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
    return results_document(records, ctx.quick, claims)


def run_claim_group(claims, ctx: CheckContext) -> list:
    """:func:`run_claim` for each of ``claims`` in order, in one process."""
    return [run_claim(c, ctx) for c in claims]


def _run_parallel(claims, ctx: CheckContext, progress, jobs, dask) -> list:
    """The records of ``claims`` run by the executors of :mod:`lrtheory.sweeps.executors`,
    in the order of ``claims``; progress is reported as checks finish.  The claims of one
    check module run in one process, in order, as in a serial run: what they share within
    a process (a sweep cached by the module for several claims) is shared the same way."""
    from ..sweeps.executors import open_runner
    groups: dict = {}
    for i, c in enumerate(claims):
        groups.setdefault(getattr(c.check, "__module__", c.id), []).append(i)
    records, done = {}, 0
    with open_runner(jobs=jobs if (jobs or 1) > 1 else None, dask=dask) as runner:
        if progress:
            progress(f"running {len(claims)} claims ({len(groups)} check modules) on "
                     f"{runner.workers} {runner.kind} worker(s)")
        tasks = {k: ([claims[i] for i in idx], ctx) for k, idx in enumerate(groups.values())}
        for k, recs in runner.map(run_claim_group, tasks):
            for i, rec in zip(list(groups.values())[k], recs):
                records[i] = rec
                done += 1
                if progress:
                    progress(f"[{done}/{len(claims)}] {rec.id}: {rec.verdict} "
                             f"({rec.seconds:.1f} s)")
    return [records[i] for i in range(len(claims))]
