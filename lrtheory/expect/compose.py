"""Composition of expectations: a claim that is the conjunction or the disjunction of
several statements, each checked by an expectation or by a check function of its own.

* :func:`all_of` — every part holds: the verdict is the claims' combination of the parts'
  verdicts (a refuted part refutes; otherwise the weakest part decides);
* :func:`any_of` — at least one part holds: proved when one part is proved, refuted only
  when every part is refuted, otherwise the strongest part decides.

A part is an expectation of :mod:`lrtheory.expect` or any check ``part(ctx) -> Evidence``.
Each part's findings are kept, marked with the part's number and verdict; its key numbers
keep their names, except a name that two parts use, which becomes ``p1_…``, ``p2_…`` (the
part's number) in each of them — so a check that grows into a composition keeps the
names its regression baseline holds::

    @claim("P-3", title="...", statement="...")
    def check(ctx):
        return expect.all_of(expect.sharpness(...), expect.gd_converges(...))
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .base import ArgumentError, Expectation

_RANK = {"proved": 3, "confirmed": 2, "inconclusive": 1, "refuted": 0}


def _part_evidence(part, ctx):
    """The evidence of one part (an expectation or a check function), concluded."""
    from ..claims import Evidence
    ev = part(ctx)
    if getattr(ev, "is_expectation", False):
        ev = ev(ctx)
    if not isinstance(ev, Evidence):
        raise TypeError(f"a part of a composition returned {type(ev).__name__}, not "
                        "Evidence")
    ev.conclude()
    return ev


def _describe(part) -> str:
    if isinstance(part, Expectation):
        return part.describe()
    return (getattr(part, "__doc__", None) or getattr(part, "__name__", "a check")
            ).strip().splitlines()[0]


@dataclass(frozen=True, eq=False)
class Composition(Expectation):
    """The conjunction (``mode`` "all") or disjunction ("any") of ``parts``."""

    parts: tuple
    mode: str
    summary: str = ""

    @property
    def kind(self) -> str:  # type: ignore[override]
        return f"{self.mode}-of"

    def describe(self) -> str:
        if self.summary:
            return self.summary
        joiner = " and " if self.mode == "all" else " or "
        return joiner.join(f"({_describe(p)})" for p in self.parts)

    def evaluate(self, ev, ctx) -> None:
        from ..claims.evidence import combine_verdicts
        subs = []
        for i, part in enumerate(self.parts, 1):
            ctx.progress(f"part {i} of {len(self.parts)}")
            subs.append(_part_evidence(part, ctx))
        used: dict[str, int] = {}
        for sub in subs:
            for name in sub.numbers:
                used[name] = used.get(name, 0) + 1
        verdicts, methods = [sub.verdict for sub in subs], [sub.method for sub in subs]
        for i, sub in enumerate(subs, 1):
            sub.findings = [replace(f, statement=f"[part {i}: {sub.verdict}] {f.statement}")
                            for f in sub.findings]
            sub.numbers = {(f"p{i}_{k}" if used[k] > 1 else k): v
                           for k, v in sub.numbers.items()}
            sub.summary = ""
            ev.add(sub)
        if self.mode == "all":
            ev.verdict = combine_verdicts(verdicts)
            chosen = methods
        else:
            ev.verdict = max(verdicts, key=_RANK.__getitem__)
            chosen = [m for v, m in zip(verdicts, methods) if v == ev.verdict]
            ev.note(f"any of {len(verdicts)} parts: the verdicts were "
                    f"{', '.join(verdicts)}; the strongest decides")
        ev.method = ", ".join(dict.fromkeys(x for m in chosen for x in m.split(", ") if x))


def _parts(parts) -> tuple:
    if not parts:
        raise ArgumentError("parts", "give at least one expectation or check")
    for p in parts:
        if not callable(p):
            raise ArgumentError("parts", f"each part must be an expectation or a check "
                                         f"function check(ctx) -> Evidence, got {p!r}")
    return tuple(parts)


def all_of(*parts, summary: str = "") -> Composition:
    """Expect every one of ``parts`` (expectations or checks ``check(ctx) -> Evidence``) to
    hold; ``summary`` replaces the generated one-line description."""
    return Composition(_parts(parts), "all", summary)


def any_of(*parts, summary: str = "") -> Composition:
    """Expect at least one of ``parts`` to hold: proved when one is proved, refuted when
    all are refuted, otherwise the strongest verdict."""
    return Composition(_parts(parts), "any", summary)
