"""Regression baselines: the verdicts and key numbers a run is held to.

``proofs_checks/baseline.json`` (the built-in claims' baseline) keeps one section per mode (``quick`` and ``full`` runs compute
different numbers)::

    {"lrtheory_baseline": 1,
     "modes": {"quick": {"updated": DATE, "lrtheory": VERSION,
                         "claims": {"BLOG-2": {"verdict": "proved",
                                               "numbers": {NAME: NUMBER, ...}}}}}}

A NUMBER is a key number in the one shape of the results document
(:mod:`lrtheory.claims.evidence`) without its type tag and note: ``{"kind": "exact",
"value": 1.9, "exact": "19/10"}``, ``{"kind": "ball", "value": …, "mid": "…", "rad":
"…"}`` or ``{"kind": "float", "value": …, "rel_tol": …, "abs_tol": …}``; a baseline
written in the older shape (``value`` alone for an exact number, ``value`` and ``radius``
for a ball) is read and compared too.  Each number keeps the kind and tolerance it was
recorded with, and :func:`compare` uses them: ``exact`` values must be equal (the same
exact text, or the same rational written two ways), ``ball`` enclosures must overlap
(midpoints closer than the sum of the radii), ``float`` values must agree within the
recorded ``rel_tol`` / ``abs_tol`` (as :func:`math.isclose`).  A changed verdict, a missing number, a changed
kind, or a baselined claim missing from a run that selected it is a drift.

A baseline is validated against this schema when it is read, before any claim runs
(:func:`validate`): known modes, claim IDs as :func:`lrtheory.claims.registry.check_id`
accepts them (no whitespace or control characters, so ``"Z-1"`` and ``"Z-1\\n"`` cannot
both appear), a verdict, numbers of a known kind, JSON numbers as ``rel_tol`` and
``abs_tol``, a decimal string or number as a ball's radius, text as ``exact`` and
``mid``.  Tolerances must be finite
and >= 0 also as floats (``rel_tol: Infinity`` or ``"1e999"`` would never drift).  NaN is stored as valid JSON (``{"type": "float", "value": "nan"}``,
see :mod:`lrtheory.io`) and a NaN matches only a NaN.  Updates are serialized between
processes: :func:`save` of a baseline made by :func:`make_baseline` (and :func:`update`)
merges the run into the file's current content inside an ``fcntl`` lock, so two
concurrent ``--update-baseline`` runs both land.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path

from .claims import matches
from .errors import InputError
from .io import atomic_write_json, dumps, locked, read_json
from .results import Result

FORMAT = 1


@dataclass(frozen=True)
class Drift:
    """One difference between a run and its baseline."""

    claim: str
    what: str            # "verdict", "number", "kind", "missing claim", "missing number"
    name: str = ""       # the number's name
    expected: str = ""
    actual: str = ""
    by: str = ""         # how far apart, in words

    def __str__(self) -> str:
        subject = f"{self.claim} {self.what}" + (f" {self.name!r}" if self.name else "")
        change = (f": expected {self.expected}, got {self.actual}"
                  if self.expected or self.actual else "")
        return subject + change + (f" ({self.by})" if self.by else "")


def mode_of(results: dict) -> str:
    return "quick" if results.get("quick") else "full"


def _number_entry(entry, where: str = "") -> dict:
    """The part of a key number the baseline keeps (its shape in results, without the
    type tag and the note): kind, value and ``exact`` (exact), ``mid``/``rad`` (ball) or
    ``rel_tol``/``abs_tol`` (float); checked with :func:`check_tolerances`.  ``entry`` is
    a key number of :mod:`lrtheory.claims.evidence` or its JSON form, new or old."""
    from .claims.evidence import key_number
    if isinstance(entry, dict):
        check_tolerances(entry, where)
    kept = key_number(entry).to_json()
    kept.pop("type", None)
    kept.pop("note", None)
    check_tolerances(kept, where)
    return kept


def _tolerance_ok(value, text: bool = True) -> bool:
    """Whether ``value`` is a finite tolerance >= 0, also once converted to a float (a
    decimal string only when ``text``: a ball's radius)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        try:
            return math.isfinite(float(value)) and value >= 0
        except OverflowError:
            return False
    if not text or not isinstance(value, str) or len(value) > MAX_NUMBER_CHARS:
        return False
    d = _decimal(value)
    return d is not None and d.is_finite() and d >= 0 and math.isfinite(float(d))


def check_tolerances(number: dict, where: str = "") -> None:
    """:class:`InputError` unless the number's ``rel_tol``/``abs_tol`` (float kind) or
    ``radius`` (ball kind) are finite and >= 0."""
    keys = {"float": ("rel_tol", "abs_tol"), "ball": ("radius", "rad")}.get(
        number.get("kind"), ())
    for key in keys:
        if key in number and number[key] is not None and \
                not _tolerance_ok(number[key], text=key in ("radius", "rad")):
            raise InputError(f"{where or 'a number'}: {key} must be a finite number >= 0, "
                             f"got {_short(number[key])}")


def _record_parts(record) -> tuple:
    """ID, verdict, key numbers and error of a :class:`~lrtheory.claims.ClaimRecord` or of
    an entry of a results document."""
    if not isinstance(record, dict):
        ev = record.evidence
        return record.id, str(record.verdict), ev.numbers, ev.error
    ev = record.get("evidence")
    if isinstance(ev, Result):  # an entry holding its Evidence
        return record.get("id"), record.get("verdict"), ev.numbers, ev.error
    ev = ev if isinstance(ev, dict) else {}
    numbers = ev.get("numbers") if isinstance(ev.get("numbers"), dict) else {}
    return record.get("id"), record.get("verdict"), numbers, ev.get("error", "")


def claim_entry(record) -> dict:
    """The baseline entry of one claim record (a ClaimRecord or a results document's
    entry): verdict and key numbers."""
    cid, verdict, numbers, _ = _record_parts(record)
    return {"verdict": verdict,
            "numbers": {str(k): _number_entry(v, f"{cid} number {k!r}")
                        for k, v in numbers.items() if isinstance(v, (dict, Result))}}


def _id_order(cid: str):
    prefix, _, rest = cid.partition("-")
    return (prefix, int(rest) if rest.isdigit() else -1, cid)


def make_baseline(results: dict, previous: dict | None = None) -> dict:
    """A baseline holding the run's claims in the run's mode section, on top of
    ``previous`` (its other mode and the claims not run are kept).  Claims whose check
    errored keep their previous entry: an error is never recorded as the expected state."""
    base = json.loads(dumps(previous, None)) if previous else {}
    base["lrtheory_baseline"] = FORMAT
    modes = base.setdefault("modes", {})
    mode = mode_of(results)
    claims = dict((modes.get(mode) or {}).get("claims") or {})
    for record in results.get("claims", []):
        if record.get("verdict") != "error":
            claims[str(record.get("id"))] = claim_entry(record)
    modes[mode] = {"updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "lrtheory": results.get("lrtheory"),
                   "claims": {k: claims[k] for k in sorted(claims, key=_id_order)}}
    return _Made(base, results)


class _Made(dict):
    """A baseline from :func:`make_baseline` that remembers the run it records, so that
    :func:`save` can merge that run again into the file's current content."""

    def __init__(self, data: dict, results: dict):
        super().__init__(data)
        self.results = results


def load(path) -> dict:
    """Read a baseline; :class:`InputError` when it is missing, malformed, beyond the
    input limits, or has an invalid tolerance."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no baseline at {path}: create it with "
                         f"`lrtheory verify --quick --update-baseline --baseline {path}`")
    try:
        data = read_json(path, "baseline")
    except FileNotFoundError:
        raise InputError(f"no baseline at {path}") from None
    except InputError as exc:
        if "not valid JSON" in str(exc):
            raise InputError(f"baseline {path} is not readable JSON: "
                             f"{str(exc).split('JSON: ', 1)[-1]}") from None
        raise
    validate(data, f"baseline {path}")
    return data


#: Sections of a baseline, number kinds, and the keys of a number.
MODES = ("quick", "full")
KINDS = ("exact", "ball", "float")
NUMBER_KEYS = ("kind", "value", "exact", "mid", "rad", "radius", "rel_tol", "abs_tol")
#: Characters of a number or name written as text in a baseline.
MAX_NUMBER_CHARS = 10_000


def validate(data, where: str = "baseline") -> None:
    """:class:`InputError` (naming the place) unless ``data`` is a baseline as the module
    docstring describes: checked before a run, so that a malformed baseline never costs a
    run or passes as "no drift"."""
    from .claims import VERDICTS
    from .claims.registry import check_id
    if not isinstance(data, dict) or not isinstance(data.get("modes"), dict):
        raise InputError(f"{where} has no 'modes' section: not an lrtheory baseline")
    fmt = data.get("lrtheory_baseline", FORMAT)
    if fmt != FORMAT or isinstance(fmt, bool):
        raise InputError(f"{where}: unknown format {_short(fmt)} (this lrtheory reads "
                         f"format {FORMAT})")
    for mode, sec in data["modes"].items():
        here = f"{where}, mode {mode!r}"
        if mode not in MODES:
            raise InputError(f"{where}: unknown mode {_short(mode)} (modes: quick, full)")
        claims = sec.get("claims", {}) if isinstance(sec, dict) else None
        if not isinstance(claims, dict):
            raise InputError(f"{here}: must be a table with a 'claims' table")
        for cid, entry in claims.items():
            check_id(cid, here)
            _validate_entry(entry, f"{here}, claim {cid}", VERDICTS)


def _validate_entry(entry, where: str, verdicts) -> None:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: must be a table with 'verdict' and 'numbers'")
    if entry.get("verdict") not in verdicts:
        raise InputError(f"{where}: verdict must be one of {', '.join(verdicts)}, got "
                         f"{_short(entry.get('verdict'))}")
    numbers = entry.get("numbers", {})
    if not isinstance(numbers, dict):
        raise InputError(f"{where}: 'numbers' must be a table of numbers")
    for name, number in numbers.items():
        here = f"{where}, number {_short(name)}"
        if len(name) > MAX_NUMBER_CHARS:
            raise InputError(f"{here}: name longer than {MAX_NUMBER_CHARS} characters")
        if not isinstance(number, dict) or number.get("kind", "exact") not in KINDS:
            raise InputError(f"{here}: must be a table with a kind among "
                             f"{', '.join(KINDS)}")
        unknown = sorted(set(number) - set(NUMBER_KEYS))
        if unknown:
            raise InputError(f"{here}: unknown key {unknown[0]!r} (keys: "
                             f"{', '.join(NUMBER_KEYS)})")
        value = number.get("value")
        for key in ("value", "exact", "mid", "rad"):
            if isinstance(number.get(key), str) and len(number[key]) > MAX_NUMBER_CHARS:
                raise InputError(f"{here}: {key} longer than {MAX_NUMBER_CHARS} characters")
        for key in ("exact", "mid"):
            if key in number and not isinstance(number[key], str):
                raise InputError(f"{here}: {key} must be a string, got {_short(number[key])}")
        if number.get("kind") in ("ball", "float") and (
                isinstance(value, bool) or not isinstance(value, (int, float, str))):
            raise InputError(f"{here}: value must be a number or a decimal string, got "
                             f"{_short(value)}")
        check_tolerances(number, here)


def save(baseline: dict, path) -> Path:
    """Write a baseline atomically, inside the lock of ``path``.  A baseline made by
    :func:`make_baseline` is made again inside the lock on top of the file's current
    content, so that concurrent updates of other claims or modes are kept."""
    results = getattr(baseline, "results", None)
    if results is None:
        with locked(path):
            return atomic_write_json(path, baseline)
    return update(path, results)


def update(path, results: dict) -> Path:
    """Record ``results`` in the baseline at ``path`` (created when missing): read,
    merge (:func:`make_baseline`) and write inside an exclusive lock."""
    with locked(path):
        previous = load(path) if Path(path).exists() else None
        return atomic_write_json(path, dict(make_baseline(results, previous)))


# -- comparing ------------------------------------------------------------------------------

def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare_ball(old, new) -> str | None:
    """Why two enclosures (:class:`~lrtheory.claims.evidence.BallNumber`) are
    inconsistent (they do not overlap), or None."""
    try:
        return _ball_gap(old, new)
    except ArithmeticError:
        return "not comparable: the values are beyond decimal arithmetic"


def _ball_gap(old, new) -> str | None:
    with localcontext() as ctx:
        ctx.prec = 120
        m0, m1 = _decimal(old.mid), _decimal(new.mid)
        r0, r1 = _decimal(old.rad), _decimal(new.rad)
        if None in (m0, m1, r0, r1):
            return None if old.mid == new.mid else "not comparable"
        if m0.is_nan() or m1.is_nan():
            return None if m0.is_nan() and m1.is_nan() else "one midpoint is NaN"
        if m0.is_infinite() or m1.is_infinite():
            return None if m0 == m1 else "one midpoint is infinite"
        gap = abs(m1 - m0)
        if gap <= r0 + r1:
            return None
        return f"|difference| {gap:.3e} > radii sum {r0 + r1:.3e}: the enclosures do not overlap"


def _compare_float(old, new) -> str | None:
    """Why two floats (:class:`~lrtheory.claims.evidence.FloatNumber`) differ beyond the
    baseline's tolerance, or None."""
    a, b = _float(old.value), _float(new.value)
    if a is None or b is None:
        return None if str(old.value) == str(new.value) else "not comparable"
    if math.isnan(a) or math.isnan(b):
        return None if math.isnan(a) and math.isnan(b) else "one value is NaN"
    rel, abs_ = float(old.rel_tol or 0.0), float(old.abs_tol or 0.0)
    if math.isclose(a, b, rel_tol=rel, abs_tol=abs_):
        return None
    if math.isinf(a) or math.isinf(b):
        return "one value is infinite"
    diff = abs(b - a)
    scale = max(abs(a), abs(b))
    relative = f", relative {diff / scale:.3e}" if scale else ""
    return f"|difference| {diff:.3e}{relative} exceeds rel_tol {rel:g}, abs_tol {abs_:g}"


def _exact_number(text: str):
    """The exact real number a text stands for (restricted parser), or None."""
    from .numbers import convert
    if len(text) > MAX_NUMBER_CHARS:
        return None
    try:
        return convert(text, "exact number")
    except (InputError, TypeError, ValueError):
        return None


def _compare_exact(old, new) -> str | None:
    """Why two exact numbers (:class:`~lrtheory.claims.evidence.ExactNumber`) differ: the
    same exact text, or the same rational number written two ways (``"3.0"``, ``"3"``),
    is no difference."""
    if old.exact == new.exact:
        return None
    a, b = _exact_number(old.exact), _exact_number(new.exact)
    if a is not None and b is not None and a.is_Rational and b.is_Rational and a == b:
        return None
    return "exact values differ"


_COMPARE = {"exact": _compare_exact, "ball": _compare_ball, "float": _compare_float}


def _shown(number) -> str:
    """A key number's value as the drift message shows it: the exact text, a ball's
    midpoint, a float."""
    text = {"exact": getattr(number, "exact", None), "ball": getattr(number, "mid", None)}
    shown = text.get(number.kind)
    return _short(number.value) if shown is None else _short(shown)[1:-1]


def _short(value, limit: int = 60) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, float) \
        else repr(value)
    return text if len(text) <= limit else f"{text[:limit - 20]}...{text[-12:]} ({len(text)} chars)"


def compare_claim(cid: str, old: dict, record: dict) -> list[Drift]:
    """Drifts of one claim record against its baseline entry."""
    from .claims.evidence import key_number
    drifts = []
    _, verdict, numbers, error = _record_parts(record)
    if verdict != old.get("verdict"):
        by = str(error or "")[:200] if verdict == "error" else ""
        drifts.append(Drift(cid, "verdict", expected=str(old.get("verdict")),
                            actual=str(verdict), by=by))
    for name, entry in (old.get("numbers") or {}).items():
        want, got = key_number(entry), numbers.get(name)
        if not isinstance(got, (dict, Result)):
            if verdict != "error":
                drifts.append(Drift(cid, "missing number", name, _shown(want), "nothing"))
            continue
        got = key_number(got)
        if got.kind != want.kind:
            drifts.append(Drift(cid, "kind", name, want.kind, got.kind))
            continue
        why = _COMPARE.get(want.kind, _compare_exact)(want, got)
        if why:
            drifts.append(Drift(cid, "number", name, _shown(want), _shown(got), why))
    return drifts


def _selected(cid: str, patterns) -> bool:
    """Whether claim ``cid`` is selected by the ID patterns of a run (none means all)."""
    return not patterns or any(matches(cid, p) for p in patterns)


def section(baseline: dict, mode: str) -> dict:
    """The baseline's section for ``mode``; :class:`InputError` when it has none."""
    found = (baseline.get("modes") or {}).get(mode)
    if not isinstance(found, dict):
        raise InputError(f"the baseline has no '{mode}' section: record one with "
                         f"`lrtheory verify{' --quick' if mode == 'quick' else ''} "
                         f"--update-baseline`")
    return found


def compare(results: dict, baseline: dict, selected=None) -> list[Drift]:
    """Drifts of ``results`` against the section of ``baseline`` for the run's mode.

    ``selected``: the ID patterns the run was asked for (None or empty: all claims); a
    baselined claim they select that is absent from the results is a drift.  Claims not
    in the baseline are not drifts (see :func:`uncovered`).  Raises :class:`InputError`
    when the baseline has no section for the run's mode."""
    expected = section(baseline, mode_of(results)).get("claims") or {}
    records = {str(r.get("id")): r for r in results.get("claims", [])}
    drifts = []
    for cid, old in expected.items():
        if cid in records:
            drifts += compare_claim(cid, old, records[cid])
        elif _selected(cid, selected):
            drifts.append(Drift(cid, "missing claim", expected=str(old.get("verdict")),
                                actual="not in the run"))
    return drifts


def uncovered(results: dict, baseline: dict) -> list[str]:
    """IDs of the run's claims that the baseline's section for its mode does not hold."""
    section = (baseline.get("modes") or {}).get(mode_of(results)) or {}
    held = section.get("claims") or {}
    return [str(r.get("id")) for r in results.get("claims", []) if str(r.get("id")) not in held]
