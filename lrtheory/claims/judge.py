"""The one judge of a claim's outcome, used by ``lrtheory verify`` and by the pytest
plugin alike.

A run of a claim (an entry of the results document, :class:`~lrtheory.claims.ClaimRecord`)
is judged against

* the verdicts the claim declares it expects (``expected``): another verdict is a
  failure;
* when the claim declares none and ``refuted_fails`` is set (pytest's rule: a test of a
  claim passes when the claim holds): a ``refuted`` verdict is a failure;
* the check raising (verdict ``error``): always a failure;
* the regression baseline's entry for the claim (:func:`lrtheory.baseline.compare_claim`):
  a changed verdict or key number is a drift.

``lrtheory verify`` judges with ``refuted_fails=False`` — a paper's false statement is a
result, not a failure of the run — and exits 1 on a failure, 3 on a drift.
"""
from __future__ import annotations

from ..results import Result, result

#: Statuses of a :class:`Judgement`, worst first.
STATUSES = ("error", "unexpected", "refuted", "drift", "new", "ok")


@result
class Judgement(Result):
    """The judgement of one claim's run: ``status`` (one of :data:`STATUSES`: "error" the
    check raised, "unexpected" a verdict the claim does not expect, "refuted" refuted
    while the claim expects nothing, "drift" a difference from the baseline, "new" not
    in the baseline, "ok"), the ``verdict``, the ``problems`` found (the first one the
    worst), the baseline's ``drifts`` (as text) and whether the claim is ``baselined`` (None: not
    compared with a baseline)."""

    id: str
    verdict: str
    status: str = "ok"
    problems: tuple = ()
    drifts: tuple = ()
    baselined: bool | None = None

    @property
    def failed(self) -> bool:
        """The run fails the claim (error, unexpected verdict, or refuted under pytest's
        rule)."""
        return self.status in ("error", "unexpected", "refuted")

    @property
    def drifted(self) -> bool:
        return bool(self.drifts)


def _outcome(record) -> tuple[str, str, tuple, str, str]:
    """ID, verdict, expected verdicts, error and traceback of a
    :class:`~lrtheory.claims.ClaimRecord` or of an entry of a results document."""
    if isinstance(record, dict):
        ev = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
        return (str(record.get("id")), record.get("verdict"),
                tuple(record.get("expected") or ()), ev.get("error"), ev.get("traceback", ""))
    ev = record.evidence
    return (record.id, record.verdict, tuple(record.expected), ev.error, ev.traceback)


def judge(record, baseline_entry: dict | None = None, *, compare: bool | None = None,
          refuted_fails: bool = True) -> Judgement:
    """Judge one run of a claim — a :class:`~lrtheory.claims.ClaimRecord`, or an entry of
    a results document — (see the module docstring); with ``compare`` (default: when
    ``baseline_entry`` is given) against ``baseline_entry`` (None: the claim is not in
    the baseline)."""
    if compare is None:
        compare = baseline_entry is not None
    from .. import baseline as bl
    cid, verdict, expected, error, trace = _outcome(record)
    problems, status = [], "ok"
    if verdict == "error":
        problems.append(f"the check raised {error}\n{trace or ''}".rstrip())
        status = "error"
    elif expected and verdict not in expected:
        problems.append(f"verdict {verdict!r}, the claim expects {' or '.join(expected)}")
        status = "unexpected"
    elif not expected and verdict == "refuted" and refuted_fails:
        problems.append("verdict 'refuted' (declare expected = \"refuted\" when the "
                        "statement is known to be false as written)")
        status = "refuted"
    drifts = ()
    if compare:
        if baseline_entry is None:
            status = "new" if status == "ok" else status
        else:
            drifts = tuple(str(d) for d in bl.compare_claim(cid, baseline_entry, record))
            problems += [f"drift from the baseline: {d}" for d in drifts]
            status = "drift" if drifts and status == "ok" else status
    return Judgement(cid, str(verdict), status, tuple(problems), drifts,
                     (baseline_entry is not None) if compare else None)


def judge_results(results: dict, baseline: dict | None, *, selected=None,
                  refuted_fails: bool = False) -> tuple[list[Judgement], list]:
    """Judge every entry of a results document against the section of ``baseline`` for
    the run's mode (None: no baseline): the judgements, in order, and the drifts of
    baselined claims missing from the run that ``selected`` (ID patterns; None: all)
    asked for (:func:`lrtheory.baseline.compare`)."""
    from .. import baseline as bl
    held = None
    if baseline is not None:
        held = bl.section(baseline, bl.mode_of(results)).get("claims") or {}
    judgements = [judge(r, None if held is None else held.get(str(r.get("id"))),
                        compare=held is not None, refuted_fails=refuted_fails)
                  for r in results.get("claims", [])]
    missing = []
    if held is not None:
        ran = {j.id for j in judgements}
        missing = [d for d in bl.compare({"quick": results.get("quick"), "claims": []},
                                         baseline, selected) if d.claim not in ran]
    return judgements, missing
