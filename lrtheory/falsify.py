"""Search for counterexamples to a statement, the way a referee would (BLOG-1 and others).

A *statement* is a function of one generated instance returning an :class:`Outcome`
(or a plain bool): ``holds`` is True, False (violated) or None (undecided — e.g. a ball
comparison that the enclosure cannot decide; never counted as a pass or a failure), and
``score`` measures how close the instance comes to violating it (larger is worse; > 0
means violated).  :func:`falsify` searches a strategy in one of two engines:

* ``seeded`` (the default for lrtheory's families, which carry a seeded sampler,
  :mod:`lrtheory.seeded`): ``max_examples`` instances drawn from numpy's PCG64 stream with an
  explicit ``seed``, and a violating one shrunk on its choice sequence — the same instances
  and the same counterexample on every machine and with every version of hypothesis;
* ``hypothesis`` (any other strategy): hypothesis with ``target(score)`` pushing the search
  toward violation, shrinking, ``derandomize=True`` and no example database — the same
  search every run of one hypothesis version.

Tightness is read off the same search: the worst score seen over instances that satisfy
the statement is the slack of the bound (0 means attained); :func:`tightness` runs the
search at a bound's constant and with the constant moved in the unsafe direction
(sensitivity: the moved statement must be refuted).
"""
from __future__ import annotations

import math
import dataclasses
from typing import Any, Callable

from hypothesis import HealthCheck, Phase, Verbosity, given, settings, target
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from . import seeded
from .errors import InputError
from .results import Result, opaque_field, result


@result
class Outcome(Result):
    """The verdict of a statement on one instance: ``holds`` in {True, False, None},
    ``score`` (larger = closer to violation, finite) and free-form ``detail``."""

    holds: bool | None
    score: float = 0.0
    detail: dict = opaque_field(default_factory=dict)


@result
class FalsifyReport(Result):
    """What a search found.

    ``counterexample`` is the shrunk violating instance (None if none was found) and
    ``outcome`` its :class:`Outcome`; ``examples`` counts the instances evaluated (shrink
    steps included), ``held``/``undecided`` how many satisfied / could not be decided;
    ``worst_held`` is the highest score among instances that satisfied the statement
    (the slack found) and ``worst_instance`` that instance; ``undecided_reasons`` counts
    the undecided instances by their ``detail["reason"]`` (e.g. a hypothesis that does not
    apply) or "undecided sign".  Instances of types JSON cannot carry are stored in
    ``to_json`` as their type and repr."""

    statement: str
    counterexample: Any = opaque_field()
    outcome: Outcome | None = None
    examples: int = 0
    held: int = 0
    undecided: int = 0
    violated: int = 0
    worst_held: float = -math.inf
    worst_instance: Any = opaque_field()
    max_examples: int = 0
    undecided_reasons: dict = dataclasses.field(default_factory=dict)
    engine: str = "hypothesis"
    seed: int | None = None

    @property
    def refuted(self) -> bool:
        return self.counterexample is not None

    def summary(self) -> str:
        if self.refuted:
            return (f"{self.statement}: counterexample {self.counterexample!r} "
                    f"({self.outcome.detail}) after {self.examples} instances")
        return (f"{self.statement}: no counterexample in {self.examples} instances "
                f"({self.undecided} undecided); worst score {self.worst_held:.6g}")


class _Violation(Exception):
    """Raised inside the hypothesis test when the statement is violated."""


def _as_outcome(result) -> Outcome:
    if isinstance(result, Outcome):
        out = result
    elif result is None or isinstance(result, bool):
        out = Outcome(result, 1.0 if result is False else 0.0)
    else:
        raise InputError(f"a statement must return an Outcome or a bool/None, got {result!r}")
    if not math.isfinite(out.score):
        out = dataclasses.replace(out, score=1e300 if out.score > 0 else -1e300)
    return out


def conjunction(*statements: Callable) -> Callable:
    """The statement "all of ``statements`` hold": violated if one is violated, undecided if
    none is violated and one is undecided; the score is the largest score and the detail
    that of the deciding part."""
    if not statements:
        raise InputError("conjunction needs at least one statement")

    def statement(instance) -> Outcome:
        outs = [_as_outcome(s(instance)) for s in statements]
        verdicts = [o.holds for o in outs]
        holds = False if False in verdicts else None if None in verdicts else True
        # report the part that decides: a violated one, else an undecided one, else the
        # one closest to violation
        parts = [i for i, o in enumerate(outs) if o.holds is holds]
        worst = max(parts, key=lambda i: outs[i].score)
        return Outcome(holds, max(o.score for o in outs),
                       {"part": getattr(statements[worst], "__name__", str(worst)),
                        **outs[worst].detail})
    statement.__name__ = " and ".join(getattr(s, "__name__", "statement") for s in statements)
    return statement


ENGINES = ("auto", "seeded", "hypothesis")


def falsify(strategy: st.SearchStrategy, statement: Callable[[Any], Outcome | bool | None],
            max_examples: int = 200, name: str = "", seed: int | None = None,
            engine: str = "auto") -> FalsifyReport:
    """Search ``strategy`` for an instance violating ``statement``; see the module doc.

    Returns a :class:`FalsifyReport`; ``report.counterexample`` is the shrunk violating
    instance, or None when ``max_examples`` instances found none.  ``engine`` is
    ``"seeded"``, ``"hypothesis"`` or ``"auto"`` (seeded when the strategy carries a seeded
    sampler); ``seed`` selects the stream (seeded: default 0) or another derandomized
    search (hypothesis: default derandomized)."""
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if not isinstance(strategy, st.SearchStrategy):
        raise InputError(f"falsify needs a hypothesis strategy, got {type(strategy).__name__}")
    if not callable(statement):
        raise InputError("falsify needs a callable statement(instance) -> Outcome | bool")
    if max_examples < 1:
        raise InputError("max_examples must be a positive integer")
    if engine == "seeded" or (engine == "auto" and seeded.sampler_of(strategy) is not None):
        return _seeded_search(strategy, statement, max_examples, name, seed or 0)
    rep = _tally(name or getattr(statement, "__name__", "statement"), max_examples)
    last_violation: list = []

    @settings(max_examples=max_examples, derandomize=seed is None, database=None, deadline=None,
              phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink),
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
              verbosity=Verbosity.quiet, print_blob=False)
    @given(strategy)
    def search(instance):
        out = _as_outcome(statement(instance))
        # undecided instances carry no information about violation: do not steer to them
        target(float(out.score) if out.holds is not None else -1.0, label="violation score")
        if _count(rep, instance, out):
            last_violation[:] = [instance, out]
            raise _Violation()

    if seed is not None:
        search = hypothesis_seed(int(seed))(search)
    try:
        search()
    except _Violation:
        # hypothesis replays the shrunk example last, so the last violation is minimal
        rep["counterexample"], rep["outcome"] = last_violation
    except Unsatisfiable:
        raise InputError(f"strategy produced no valid instance for {rep['statement']}") from None
    return FalsifyReport(**rep, engine="hypothesis", seed=seed)


def _tally(statement: str, max_examples: int) -> dict:
    return {"statement": statement, "max_examples": max_examples, "examples": 0, "held": 0,
            "undecided": 0, "violated": 0, "worst_held": -math.inf, "worst_instance": None,
            "undecided_reasons": {}}


def _count(rep: dict, instance, out: Outcome) -> bool:
    """Count one evaluated instance in ``rep``; True when it violates the statement."""
    rep["examples"] += 1
    if out.holds is False:
        rep["violated"] += 1
        return True
    if out.holds is None:
        rep["undecided"] += 1
        why = str(out.detail.get("reason", "undecided sign"))
        rep["undecided_reasons"][why] = rep["undecided_reasons"].get(why, 0) + 1
    else:
        rep["held"] += 1
        if out.score > rep["worst_held"]:
            rep["worst_held"], rep["worst_instance"] = out.score, instance
    return False


def _seeded_search(strategy, statement, max_examples: int, name: str,
                   seed: int) -> FalsifyReport:
    """Instances 0 … max_examples − 1 of the seeded stream.  The first violation is shrunk
    (:func:`lrtheory.seeded.shrink`); without one, the instance closest to violation is
    pushed further (its choices lowered while the statement holds with a score at least as
    high: simple values such as hL = 1 are where bounds are attained).  Each phase makes at
    most ``max_examples`` more evaluations."""
    rep = _tally(name or getattr(statement, "__name__", "statement"), max_examples)
    worst_ks = None
    for i in range(max_examples):
        try:
            instance, ks = seeded.draw(strategy, seed, i)
        except seeded.Invalid:
            continue
        before = rep["worst_held"]
        out = _as_outcome(statement(instance))
        if _count(rep, instance, out):
            rep["counterexample"], rep["outcome"] = _shrunk(
                strategy, statement, rep, ks, (instance, out), max_examples)
            return FalsifyReport(**rep, engine="seeded", seed=seed)
        if rep["worst_held"] > before:
            worst_ks = ks
    if worst_ks is not None:
        _target(strategy, statement, rep, worst_ks, max_examples)
    return FalsifyReport(**rep, engine="seeded", seed=seed)


def _shrunk(strategy, statement, rep: dict, ks: list[int], found: tuple, budget: int):
    """The violating (instance, outcome) with the simplest choices found from ``ks``."""
    def violated(candidate):
        out = _as_outcome(statement(candidate))
        return (candidate, out) if _count(rep, candidate, out) else None
    _, smaller, _ = seeded.shrink(strategy, ks, violated, budget=budget)
    return smaller or found


def _target(strategy, statement, rep: dict, ks: list[int], budget: int) -> None:
    """Lower the choices of the instance closest to violation while its score does not
    drop; a violation met on the way is kept as the counterexample."""
    def closer(candidate):
        out = _as_outcome(statement(candidate))
        best = rep["worst_held"]
        if _count(rep, candidate, out):
            rep["counterexample"], rep["outcome"] = candidate, out
            return False
        return out.holds is True and out.score >= best
    seeded.shrink(strategy, ks, lambda c: rep.get("counterexample") is None and closer(c),
                  budget=budget)


@result
class Tightness(Result):
    """A bound with a constant, searched at the constant and with the constant moved in
    the unsafe direction: ``slack`` is the smallest relative slack found at the constant
    (0 = attained), ``sensitive`` says the moved statement was refuted while the original
    was not."""

    constant: Any
    moved_constant: Any
    original: FalsifyReport
    moved: FalsifyReport

    @property
    def slack(self) -> float:
        return -self.original.worst_held

    @property
    def sensitive(self) -> bool:
        return self.moved.refuted and not self.original.refuted


def tightness(case: Callable[[Any], tuple], constant, moved_constant,
              max_examples: int = 200) -> Tightness:
    """Search ``case(constant)`` and ``case(moved_constant)``, where ``case(c)`` returns the
    pair (strategy, statement) of the bound with constant c (the constant may enter the
    statement, e.g. a factor, or the strategy, e.g. the range of h)."""
    reports = []
    for c in (constant, moved_constant):
        strategy, statement = case(c)
        reports.append(falsify(strategy, statement, max_examples=max_examples))
    return Tightness(constant, moved_constant, *reports)


__all__ = ["FalsifyReport", "Outcome", "Tightness", "conjunction", "falsify", "tightness"]
