"""Assertions for a user's own pytest suite: registered claims and one's own statements.

* :func:`assert_claim` runs the check of a claim (e.g. ``"BLOG-1"``, or a claim of the
  project the tests run in) and fails unless its verdict is one of ``accept`` (default:
  proved or confirmed); the failure message carries the findings.  (A project's claims
  are all test items with the pytest plugin, :mod:`lrtheory.pytest_plugin`.)
* :func:`assert_statement` searches a hypothesis strategy for a counterexample to a
  statement (see :mod:`lrtheory.falsify`) and fails with the shrunk counterexample.
* :func:`assert_refuted` is the converse: it fails unless a counterexample is found — for
  sensitivity tests (a bound with its constant moved in the unsafe direction must fail).
"""
from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

from .claims import VERDICTS, CheckContext, ClaimRecord, run_claim, select
from .errors import InputError
from .falsify import FalsifyReport, Outcome, falsify


def assert_claim(claim_id: str, accept=("proved", "confirmed"), quick: bool = True) -> ClaimRecord:
    """Run the check of the registered claim ``claim_id`` and return its record; raise
    AssertionError when the verdict is not in ``accept`` (an error in the check is
    reported as such)."""
    bad = set(accept) - set(VERDICTS)
    if bad:
        raise InputError(f"unknown verdicts {sorted(bad)}; verdicts are {list(VERDICTS)}")
    matches = [c for c in select([claim_id]) if c.id.casefold() == str(claim_id).casefold()]
    if not matches:
        raise InputError(f"{claim_id!r} is not a single claim ID (e.g. 'BLOG-1')")
    record = run_claim(matches[0], CheckContext(quick=quick))
    if record.verdict not in accept:
        ev = record.evidence
        lines = [f"{claim_id}: verdict {record.verdict!r}, expected one of {list(accept)}"]
        lines += [f"  [{f['verdict']}] {f['statement']} {f['detail']}"
                  for f in ev.findings]
        if ev.error:
            lines.append(ev.traceback)
        raise AssertionError("\n".join(lines))
    return record


def assert_statement(strategy: st.SearchStrategy, statement: Callable[[Any], Outcome | bool],
                     max_examples: int = 200, allow_undecided: bool = True) -> FalsifyReport:
    """Fail with the minimal counterexample if the falsifier finds one (and, with
    ``allow_undecided=False``, if some instance could not be decided)."""
    rep = falsify(strategy, statement, max_examples=max_examples)
    if rep.refuted:
        raise AssertionError(f"counterexample found: {rep.summary()}")
    if not allow_undecided and rep.undecided:
        raise AssertionError(f"{rep.undecided} of {rep.examples} instances undecided: "
                             f"{rep.summary()}")
    return rep


def assert_refuted(strategy: st.SearchStrategy, statement: Callable[[Any], Outcome | bool],
                   max_examples: int = 200) -> FalsifyReport:
    """Fail unless the falsifier finds a counterexample; return the report with it."""
    rep = falsify(strategy, statement, max_examples=max_examples)
    if not rep.refuted:
        raise AssertionError(f"expected a counterexample, none found: {rep.summary()}")
    return rep


__all__ = ["assert_claim", "assert_refuted", "assert_statement"]
