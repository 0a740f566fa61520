"""What a check returns: :class:`Evidence` — a verdict, how it was reached, the numbers,
tables, formulas and figures behind it and the library result it rests on — and the
verdict vocabulary.

Verdicts (:class:`Verdict`, a ``str`` enum): ``proved`` (exact / symbolic / rigorous
enclosure), ``confirmed`` (numerical, stable under a precision increase), ``refuted``
(counterexample or rigorous contradiction), ``inconclusive`` (the evidence decides
nothing, and says why).

Key numbers are results of one JSON shape (:data:`NUMBER_KINDS`): :class:`ExactNumber`
(``exact`` text and nearest float64 ``value``), :class:`BallNumber` (``mid``/``rad``
decimal strings, radius rounded up) and :class:`FloatNumber` (``value`` with ``rel_tol``
and ``abs_tol``) — numbers follow the number rule of :mod:`lrtheory.numbers`.  Evidence
is a :class:`~lrtheory.results.Result` built up by its methods; ``to_json`` /
``from_json`` round-trip it.
"""
from __future__ import annotations

import dataclasses
import math
import re
from enum import Enum
from fractions import Fraction
from numbers import Integral
from typing import Any, Union

from ..results import (RESULT_TYPES, Ball, ItemAccess, Result, _looks_readable, decode,
                       exact_number, opaque_field, readable_real, result)

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


class Verdict(str, Enum):
    """The four verdicts; a ``str`` whose value is the verdict's word, so that
    ``Verdict.PROVED == "proved"`` and JSON writes ``"proved"``."""

    PROVED = "proved"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"

    __str__ = str.__str__
    __format__ = str.__format__

    def __repr__(self):
        return repr(self.value)


@result
class Finding(ItemAccess, Result):
    """A sub-result of a claim: its ``statement``, ``verdict`` (one of :data:`VERDICTS`),
    ``method`` (how it was decided: symbolic, exact, interval, mpmath, float64) and
    ``detail``.  It reads like the dict it replaced (``f["verdict"]``)."""

    statement: str
    verdict: str
    method: str = ""
    detail: str = ""

    def __post_init__(self):
        object.__setattr__(self, "verdict", _verdict(self.verdict))

    @classmethod
    def of(cls, data) -> "Finding":
        """A Finding from a Finding or from its JSON form (with or without the type tag:
        an older results document's finding is a plain dict)."""
        if isinstance(data, Finding):
            return data
        if not isinstance(data, dict):
            raise TypeError(f"a finding must be a Finding or a dict, got {type(data).__name__}")
        return cls.from_json({**data, "type": "Finding"}, exact=True)


# ---- key numbers -------------------------------------------------------------------------------
#: The kinds of key number, and the JSON shape of each (the fields of the types below):
#: ``{"type", "kind", "value", "note"}`` and ``"exact"`` (exact), ``"mid"``/``"rad"``
#: (ball), ``"rel_tol"``/``"abs_tol"`` (float).
NUMBER_KINDS = ("exact", "ball", "float")


def exact_text(v) -> str:
    """The exact text of a value given to :meth:`Evidence.exact`: ``"19/10"`` for a
    rational, the integer's digits, ``"true"``/``"false"`` for a truth value, a float's
    shortest decimal (the number rule of :mod:`lrtheory.numbers`), text as given, and
    ``str()`` of anything else (a sympy expression, a list)."""
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "true" if v else "false"
    if isinstance(v, float) or (type(v).__module__ == "numpy" and hasattr(v, "dtype")
                                and v.dtype.kind == "f"):
        return repr(float(v))
    if isinstance(v, Integral) or type(v).__name__ == "fmpz":
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def exact_value(v):
    """The real number an exact key number stands for, as a JSON value: the nearest
    float64 (a decimal string beyond float64's range, ``"nan"``/``"inf"`` for non-finite
    floats), or None when ``v`` is not a real number (a truth value, a point, a list).
    Text is read by the restricted parser (:func:`lrtheory.numbers.convert`)."""
    if isinstance(v, bool) or type(v).__name__ == "bool_" or v is None:
        return None
    if isinstance(v, (list, tuple, dict)):
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    from ..errors import InputError
    from ..numbers import convert
    try:
        q = convert(v, "key number")
    except (InputError, TypeError, ValueError):
        return None
    if q.is_Integer:
        return readable_real(int(q))
    if q.is_Rational:
        return exact_number(Fraction(int(q.p), int(q.q)), "")["value"]
    approx = float(q.evalf(30))
    return approx if math.isfinite(approx) else None


@result
class ExactNumber(Result):
    """An exactly known key number: ``exact`` its exact text (``"19/10"``, ``"3"``,
    ``"sqrt(2)/2"``, ``"true"``, ``"x = 2"``), ``value`` the nearest float64 (a decimal
    string beyond float64's range; null when the value is not a real number), ``note``
    what it is.  A baseline compares the exact values."""

    _schema_consts = {"kind": "exact"}  # the JSON Schema's const

    kind: str = "exact"
    value: str | float | int | None = None
    exact: str = ""
    note: str = ""

    @classmethod
    def of(cls, value, note: str = "") -> "ExactNumber":
        return cls("exact", exact_value(value), exact_text(value), note)

    def __getitem__(self, key):
        return _field(self, key)


@result
class BallNumber(Result):
    """A key number known by a rigorous enclosure [mid ± rad]: ``mid`` and ``rad`` decimal
    strings (the radius rounded up, so that the ball read back contains the computed one;
    :class:`lrtheory.results.Ball`), ``value`` the midpoint's nearest float64.  A baseline
    compares two enclosures by overlap."""

    _schema_consts = {"kind": "ball"}  # the JSON Schema's const

    kind: str = "ball"
    value: str | float | None = None
    mid: str = "0"
    rad: str = "0"
    note: str = ""

    @classmethod
    def of(cls, value, note: str = "") -> "BallNumber":
        """From a python-flint ``arb`` or a :class:`~lrtheory.results.Ball`."""
        ball = value if isinstance(value, Ball) else Ball.from_arb(value)
        shape = ball._readable()
        return cls("ball", _float_of(shape["mid"]), shape["mid"], shape["rad"], note)

    def to_arb(self):
        """The enclosure as a python-flint ``arb`` (containing the computed one)."""
        return Ball.from_decimal(self.mid, self.rad).to_arb()

    def __getitem__(self, key):
        return _field(self, key)


@result
class FloatNumber(Result):
    """A numerical key number: ``value`` (a JSON number; a decimal string when float64 does
    not hold it at the stated tolerance; ``"nan"``, ``"inf"``, ``"-inf"``), compared by a
    baseline within ``rel_tol`` and ``abs_tol`` (as :func:`math.isclose`)."""

    _schema_consts = {"kind": "float"}  # the JSON Schema's const

    kind: str = "float"
    value: str | float | None = None
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    note: str = ""

    @classmethod
    def of(cls, value, rel_tol: float, note: str = "", abs_tol: float = 0.0) -> "FloatNumber":
        return cls("float", _approx_value(value, rel_tol), float(rel_tol), float(abs_tol), note)

    def __getitem__(self, key):
        return _field(self, key)


KeyNumber = Union[ExactNumber, BallNumber, FloatNumber]
_NUMBER_TYPES = {"exact": ExactNumber, "ball": BallNumber, "float": FloatNumber}


def _field(number, key: str):
    """``number["value"]``: a key number read like its JSON form."""
    if key not in {f.name for f in dataclasses.fields(number)}:
        raise KeyError(key)
    return getattr(number, key)


def _float_of(text: str):
    """A decimal string as its nearest float64 (the string itself beyond float64's
    range)."""
    try:
        f = float(text)
    except ValueError:
        return text
    return f if math.isfinite(f) or text in ("inf", "-inf") else text


def _approx_value(v, rel_tol: float):
    """A numerical value as JSON: a float64 number when float64 holds it at ``rel_tol``
    (>= 1e-15), else the decimal string of its precision (:func:`readable_real`)."""
    if isinstance(v, (float, int)) and not isinstance(v, bool):
        return readable_real(v) if isinstance(v, int) else (
            v if math.isfinite(v) else repr(v))
    if type(v).__module__ == "numpy":
        return _approx_value(v.item(), rel_tol)
    if type(v).__module__.split(".")[0] in ("mpmath", "sympy") and rel_tol < 1e-15:
        return readable_real(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f if math.isfinite(f) else repr(f)


def key_number(entry) -> KeyNumber:
    """A key number from its JSON form, or from the older forms of results and baselines
    (``value`` alone for exact numbers; ``value``/``radius`` for balls)."""
    if isinstance(entry, Result):
        return entry
    if not isinstance(entry, dict):
        return ExactNumber.of(entry)
    kind = entry.get("kind", "exact")
    note = str(entry.get("note", "") or "")
    if kind == "ball":
        mid = str(entry.get("mid", entry.get("value", "0")))
        return BallNumber("ball", _float_of(mid), mid,
                          str(entry.get("rad", entry.get("radius", "0"))), note)
    if kind == "float":
        return FloatNumber("float", entry.get("value"), entry.get("rel_tol") or 0.0,
                           entry.get("abs_tol") or 0.0, note)
    if "exact" in entry:
        return ExactNumber("exact", entry.get("value"), str(entry["exact"]), note)
    return ExactNumber.of(entry.get("value"), note)


@dataclasses.dataclass(eq=False, repr=False)
class Evidence(Result):
    """What a check found: a verdict, how, and the numbers, tables, formulas and figures —
    and the library ``result`` it rests on (the :class:`~lrtheory.certify.SetProof`,
    orbit search, spectrum ... an expectation computed; several as a tuple).

    Key numbers are typed (:class:`ExactNumber`, :class:`BallNumber`,
    :class:`FloatNumber`) so that a regression baseline can compare them: exact values
    compare exactly, balls by overlap, floats within the stated tolerance.  Unlike other
    results, Evidence is built up (its methods add to it); ``to_json`` / ``from_json``
    round-trip it like any result.  ``error`` and ``traceback`` are set when the check
    raised."""

    verdict: str | None = None
    method: str = ""
    precision: str = ""
    tolerance: str = ""
    summary: str = ""
    numbers: dict[str, ExactNumber | BallNumber | FloatNumber] = dataclasses.field(
        default_factory=dict)
    tables: list = dataclasses.field(default_factory=list)
    formulas: list = dataclasses.field(default_factory=list)
    figures: list = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)
    result: Any = opaque_field()
    error: str = ""
    traceback: str = ""

    _repr_skip = ("tables", "formulas", "figures", "notes", "traceback")

    def __post_init__(self):
        numbers = {str(k): key_number(v) for k, v in dict(self.numbers or {}).items()}
        object.__setattr__(self, "numbers", numbers)
        for name in ("tables", "formulas", "figures", "notes"):
            object.__setattr__(self, name, [dict(x) if isinstance(x, dict) else x
                                            for x in (getattr(self, name) or ())])
        object.__setattr__(self, "findings", [Finding.of(x) for x in self.findings or ()])
        if self.verdict is not None:
            object.__setattr__(self, "verdict", _verdict(self.verdict))

    @classmethod
    def of(cls, data) -> "Evidence":
        """Evidence from Evidence (itself) or from its JSON form (with or without the type
        tag; an older results document's evidence, or ``{"error", "traceback"}``)."""
        if isinstance(data, Evidence):
            return data
        if not isinstance(data, dict):
            raise TypeError(f"evidence must be Evidence or a dict, got {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        body = {k: v for k, v in data.items() if k != "type"}
        unknown = sorted(set(body) - known)
        if unknown:
            raise ValueError(f"Evidence: unknown fields {unknown}")
        if isinstance(body.get("result"), dict):
            body["result"] = decode(body["result"], readable=_looks_readable(body["result"]))
        return cls(**body)

    def __setattr__(self, name, value):
        if name == "verdict" and value is not None:
            value = _verdict(value)
        object.__setattr__(self, name, value)

    # -- key numbers ---------------------------------------------------------------------
    def exact(self, name: str, value, note: str = "") -> None:
        """An exactly known number (integer, rational, symbolic constant, boolean, or the
        exact text of a point or set): :class:`ExactNumber`."""
        self.numbers[name] = ExactNumber.of(value, note)

    def ball(self, name: str, value, note: str = "") -> None:
        """A rigorous enclosure (python-flint arb, or a :class:`lrtheory.results.Ball`):
        :class:`BallNumber`."""
        self.numbers[name] = BallNumber.of(value, note)

    def approx(self, name: str, value, rel_tol: float, note: str = "", abs_tol: float = 0.0) -> None:
        """A numerical value with the relative tolerance it should be compared at:
        :class:`FloatNumber`."""
        self.numbers[name] = FloatNumber.of(value, rel_tol, note, abs_tol)

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
        self.findings.append(Finding(statement, verdict, method, detail))
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
        theirs = other.result if isinstance(other.result, tuple) else (other.result,)
        for res in theirs:
            self.rests_on(res)
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

    def rests_on(self, res) -> "Evidence":
        """Keep the library result ``res`` (a :class:`~lrtheory.results.Result`, or a
        sequence of them) this evidence was computed from; with more than one, ``result``
        is a tuple.  Returns self."""
        if res is None:
            return self
        if isinstance(res, (tuple, list)):
            for r in res:
                self.rests_on(r)
            return self
        if self.result is None:
            self.result = res
        else:
            held = self.result if isinstance(self.result, tuple) else (self.result,)
            self.result = held + (res,)
        return self

    def to_json(self, exact: bool = False) -> dict:
        """The evidence as JSON (an entry's ``evidence`` in a results document): the
        fields, each key number in its shape (:data:`NUMBER_KINDS`), the ``result`` by
        its own ``to_json``."""
        return super().to_json(exact)


def _verdict(v) -> Verdict:
    try:
        return Verdict(str(v))
    except ValueError:
        raise ValueError(f"unknown verdict {v!r}") from None


RESULT_TYPES.setdefault("Evidence", Evidence)
