"""One type for every result: frozen dataclasses that print, display and round-trip.

Every public analysis of lrtheory returns a :class:`Result` — a frozen dataclass declared
with :func:`result` — so that a user, a worker process and a claim all see the same object:

* ``to_json()`` gives a JSON-safe ``dict`` tagged with ``"type"`` that other programs read
  without lrtheory (pandas, jq): every number is a JSON number where float64 holds it
  exactly, else a decimal string with enough digits to round-trip at its precision;
  enclosures are ``{"mid": "…", "rad": "…"}`` decimal strings (the radius rounded up so
  that the ball read back still contains the original); exact numbers are
  ``{"value": 1.9, "exact": "19/10"}``; expressions are their text; arrays are nested
  lists.  :func:`json_schema` gives the JSON Schema of each result type in this form.
* ``to_json(exact=True)`` is the exact form: ``Result.from_json(d)`` rebuilds the object
  exactly (``from_json(r.to_json(exact=True)) == r``).  Nothing is evaluated on the way
  back in: sympy expressions travel as an expression tree over a fixed set of node types,
  numbers as exact integers and decimal-free mantissa/exponent pairs.  ``from_json`` reads
  the readable form too: its numbers at their printed digits, its enclosures as balls that
  contain the original, its expressions as text.
* ``==`` and ``hash`` compare the canonical JSON, so results holding numpy arrays, NaN or
  mpmath numbers compare by value.
* ``repr`` is short and readable (small arrays and value types such as :class:`Ball` are
  shown by value); ``_repr_html_`` is a table of the fields (Jupyter); a result whose value
  is a formula defines ``latex()`` and gets ``_repr_latex_`` and a typeset formula row in
  the table.
* Results pickle (no closures, lambdas or python-flint objects inside): rigorous
  enclosures are the value types :class:`Ball` and :class:`ComplexBall`, exact integers
  that convert to python-flint ``arb``/``acb`` balls and back.

Values a field may hold: ``None``, ``bool``, ``int``, ``float`` (NaN and ±inf included),
``str``, tuples and lists, dicts with string keys, other results, numpy arrays and scalars,
mpmath ``mpf``/``mpc``, ``fractions.Fraction`` (python-flint ``fmpq`` is stored as one),
sympy expressions and matrices.
"""
from __future__ import annotations

import dataclasses
import html
import json
import math
import re
from fractions import Fraction
from typing import Any, ClassVar

__all__ = ["Result", "result", "ItemAccess", "Ball", "ComplexBall", "Opaque", "opaque_field",
           "encode", "decode", "readable_real", "exact_number", "json_schema", "RESULT_TYPES"]

#: Every result class by name, for decoding ``{"type": NAME, ...}``.
RESULT_TYPES: dict[str, type] = {}

_SHORT_ITEMS = 4
_HTML_ROWS = 50


def result(cls=None, /):
    """Class decorator: a frozen dataclass registered for :meth:`Result.from_json`."""

    def wrap(c):
        if not issubclass(c, Result):
            raise TypeError(f"{c.__name__} must subclass lrtheory.results.Result")
        c = dataclasses.dataclass(frozen=True, eq=False, repr=False)(c)
        if any(f.name == "type" for f in dataclasses.fields(c)):
            raise TypeError(f"{c.__name__}: a result field may not be named 'type' "
                            "(it is the JSON type tag)")
        known = RESULT_TYPES.get(c.__name__)
        if known is not None and (known.__module__, known.__qualname__) != (
                c.__module__, c.__qualname__):
            raise TypeError(f"two result types are named {c.__name__}: "
                            f"{known.__module__} and {c.__module__}")
        RESULT_TYPES[c.__name__] = c
        return c

    return wrap if cls is None else wrap(cls)


class Result:
    """Base of lrtheory's result objects (declare subclasses with :func:`result`)."""

    #: Fields left out of ``repr`` (long tables, raw data); ``to_json`` keeps them.
    _repr_skip: ClassVar[tuple[str, ...]] = ()
    #: Fields of high-precision numbers written in the readable form as float64 numbers
    #: (so that lists of these results are tables of floats); the exact form keeps every
    #: digit, and a certificate of the result, if any, its rigorous enclosure.
    _readable_floats: ClassVar[tuple[str, ...]] = ()

    # -- JSON ----------------------------------------------------------------------------
    def to_json(self, exact: bool = False) -> dict:
        """A JSON-safe dict ``{"type": ClassName, field: value, ...}``: readable by other
        programs (numbers as JSON numbers or decimal strings), or, with ``exact=True``,
        the exact form that :meth:`from_json` rebuilds bit for bit."""
        out = {"type": type(self).__name__}
        readable = getattr(self, "_readable", None)
        if not exact and readable is not None:  # a value type: Ball, ComplexBall
            return {**out, **readable()}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not exact and f.name in self._readable_floats:
                value = _as_floats(value)
            out[f.name] = (encode_lenient(value, exact) if f.metadata.get("opaque")
                           else encode(value, exact))
        return out

    @classmethod
    def from_json(cls, data, exact: bool | None = None):
        """Rebuild a result from :meth:`to_json` output (a dict, or its JSON text), exact
        or readable (see the module docstring for what the readable form keeps).  Which
        form it is is told by ``exact``, or, when None, found in the document: readable
        when it holds a shape only the readable form writes (``{"mid", "rad"}``,
        ``{"value", "exact"}``), exact otherwise."""
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        readable = (not exact) if exact is not None else _looks_readable(data)
        obj = decode(data, readable=readable)
        if not isinstance(obj, cls):
            raise TypeError(f"JSON describes a {type(obj).__name__}, not a {cls.__name__}")
        return obj

    def _canonical(self) -> str:
        return json.dumps(self.to_json(exact=True), sort_keys=True, separators=(",", ":"))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._canonical() == other._canonical()

    def __hash__(self):
        return hash(self._canonical())

    # -- display -------------------------------------------------------------------------
    def _shown_fields(self):
        return [f for f in dataclasses.fields(self) if f.name not in self._repr_skip]

    def __repr__(self):
        parts = [f"{f.name}={_short(getattr(self, f.name))}" for f in self._shown_fields()]
        return f"{type(self).__name__}({', '.join(parts)})"

    def _repr_html_(self):
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(f.name)}</th>"
                       f"<td style='text-align:left'>{_html(getattr(self, f.name))}</td></tr>"
                       for f in self._shown_fields())
        latex = getattr(self, "latex", None)
        if callable(latex):  # the formula too, typeset by the notebook's MathJax
            rows += (f"<tr><th style='text-align:left'>formula</th><td style='text-align:left'>"
                     f"$$ {html.escape(latex())} $$</td></tr>")
        return (f"<table><caption style='text-align:left'><b>{type(self).__name__}</b> "
                f"{_caption_html(type(self).__doc__)}</caption>{rows}</table>")

    def _repr_latex_(self):
        latex = getattr(self, "latex", None)
        return f"$\\displaystyle {latex()}$" if callable(latex) else None


class ItemAccess:
    """``r["name"]`` reads field ``name`` (results that replaced plain dicts keep the dict
    reading; ``keys()`` lists the fields)."""

    def __getitem__(self, key):
        if key not in self.keys():
            raise KeyError(key)
        return getattr(self, key)

    def keys(self):
        return [f.name for f in dataclasses.fields(self)]

    def get(self, key, default=None):
        return getattr(self, key) if key in self.keys() else default


# ---- encoding ---------------------------------------------------------------------------
#: Integers beyond this magnitude are written as decimal strings in the readable form
#: (float64, and so most JSON readers, hold integers exactly up to 2**53).
_MAX_SAFE_INT = 2**53


def encode(v: Any, exact: bool = True):
    """The JSON-safe form of a field value (see the module docstring for the types): the
    exact form, or with ``exact=False`` the readable one."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v) if exact or abs(v) <= _MAX_SAFE_INT else str(int(v))
    if isinstance(v, float):
        if math.isfinite(v):
            return v
        return {"type": "float", "value": repr(v)} if exact else repr(v)
    if isinstance(v, Result):
        readable = getattr(v, "_readable", None)
        return v.to_json(exact) if exact or readable is None else readable()
    if isinstance(v, (list, tuple)):
        return [encode(x, exact) for x in v]
    if isinstance(v, dict):
        bad = [k for k in v if not isinstance(k, str)]
        if bad:
            raise TypeError(f"result dicts need string keys, got {bad[0]!r}")
        return {k: encode(x, exact) for k, x in v.items()}
    if isinstance(v, Fraction):
        if exact:
            return {"type": "Fraction", "value": f"{v.numerator}/{v.denominator}"}
        return exact_number(v, str(v))
    return _encode_foreign(v, exact)


def encode_lenient(v: Any, exact: bool = True):
    """:func:`encode`, but a value of a type results cannot hold (e.g. a user's own instance
    class in a falsification report) is stored as :class:`Opaque` (its type and repr)."""
    if isinstance(v, (list, tuple)):
        return [encode_lenient(x, exact) for x in v]
    if isinstance(v, dict) and all(isinstance(k, str) for k in v):
        return {k: encode_lenient(x, exact) for k, x in v.items()}
    try:
        return encode(v, exact)
    except TypeError:
        return Opaque(f"{type(v).__module__}.{type(v).__qualname__}", repr(v)).to_json()


def _as_floats(v):
    """Numbers (mpf, mpc, Fraction, sympy) rounded to float64 / complex, inside tuples."""
    if isinstance(v, (list, tuple)):
        return tuple(_as_floats(x) for x in v)
    if isinstance(v, (bool, str)) or v is None:
        return v
    try:
        return float(v)
    except (TypeError, ValueError):
        pass
    try:
        z = complex(v)
    except (TypeError, ValueError):
        return v
    return {"real": z.real, "imag": z.imag}


def exact_number(q, text: str) -> dict:
    """The readable form of an exact number: ``{"value": nearest float64, "exact": text}``,
    e.g. ``{"value": 1.9, "exact": "19/10"}`` (a decimal string as ``value`` when the
    number is beyond the float64 range)."""
    value = readable_real(q)
    if isinstance(value, str):
        try:
            approx = float(value)
        except ValueError:
            approx = math.nan
        value = approx if math.isfinite(approx) else value
    return {"value": value, "exact": text}


def readable_real(q):
    """A real number (int, float, Fraction, mpf, sympy number) as a JSON number when float64
    holds it exactly, else as a decimal string that rounds back to it at its precision
    (17 significant digits for a value known exactly, the digits of its binary precision
    for an mpf); ``"nan"``, ``"inf"``, ``"-inf"`` for the non-finite values."""
    import mpmath
    from mpmath import libmp
    if isinstance(q, bool):
        return q
    if isinstance(q, int):
        return q if abs(q) <= _MAX_SAFE_INT else str(q)
    if isinstance(q, float):
        return q if math.isfinite(q) else repr(q)
    if type(q).__module__.split(".")[0] == "sympy":
        if q.is_Float:
            q = mpmath.mpf(q._mpf_)
        elif q.is_Rational:
            q = Fraction(int(q.p), int(q.q))
        else:
            approx = q.evalf(30)  # the nearest float64, by its shortest decimal
            return repr(float(approx)) if approx.is_Float else str(q)
    if isinstance(q, Fraction):
        try:
            f = q.numerator / q.denominator
        except OverflowError:
            f = math.inf
        if math.isfinite(f) and Fraction(f) == q:
            return f
        return _decimal(q, 17)
    if isinstance(q, mpmath.mpf):
        if not mpmath.isfinite(q):
            return {"+inf": "inf", "-inf": "-inf"}.get(str(q), "nan")
        f = float(q)
        if math.isfinite(f) and mpmath.mpf(f) == q:
            return f
        bits = max(int(q._mpf_[1]).bit_length(), 53)
        return libmp.to_str(q._mpf_, libmp.repr_dps(bits))
    raise TypeError(f"not a real number: {type(q).__name__}")


def _decimal(q: Fraction, digits: int, up: bool = False) -> str:
    """``q`` as a decimal string of ``digits`` significant digits, to nearest, or with
    ``up`` rounded up in magnitude (an upper bound of ``|q|`` for radii)."""
    if q == 0:
        return "0"
    sign, a = ("-" if q < 0 else ""), abs(q)
    k = len(str(a.numerator)) - len(str(a.denominator)) - digits
    while a / Fraction(10) ** k >= 10 ** digits:
        k += 1
    while a / Fraction(10) ** k < 10 ** (digits - 1):
        k -= 1
    scaled = a / Fraction(10) ** k
    n = -(-scaled.numerator // scaled.denominator) if up else round(scaled)
    if n >= 10 ** digits:
        n, k = n // 10 + (1 if up and n % 10 else 0), k + 1
    from decimal import Decimal
    return sign + format(Decimal(n).scaleb(k).normalize(), "g")


def opaque_field(default=None, default_factory=None):
    """A result field that may hold values of any type: those :func:`encode` cannot store
    are kept in JSON as :class:`Opaque` (type name and repr); the live object stays on the
    result until it is serialized."""
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata={"opaque": True})
    return dataclasses.field(default=default, metadata={"opaque": True})


def _encode_foreign(v, exact: bool = True):
    mod = type(v).__module__.split(".")[0]
    if mod == "numpy":
        return _encode_numpy(v, exact)
    if mod == "mpmath":
        return _encode_mpmath(v) if exact else _readable_mpmath(v)
    if mod == "flint":
        if type(v).__name__ == "fmpq":
            return encode(Fraction(int(v.p), int(v.q)), exact)
        if type(v).__name__ == "fmpz":
            return encode(int(v), exact)
        if type(v).__name__ == "arb":
            return encode(Ball.from_arb(v), exact)
        if type(v).__name__ == "acb":
            return encode(ComplexBall.from_acb(v), exact)
    if mod == "sympy":
        from . import _sympy_json
        return _sympy_json.encode_sympy(v) if exact else _sympy_json.readable_sympy(v)
    raise TypeError(f"a result cannot hold a {type(v).__module__}.{type(v).__name__}")


def _encode_numpy(v, exact: bool = True):
    import numpy as np
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "biuf":
            raise TypeError(f"a result cannot hold a numpy array of dtype {v.dtype}")
        if not exact:  # nested lists, as numpy's tolist and pandas read them
            return encode(v.tolist(), exact)
        return {"type": "ndarray", "dtype": v.dtype.str, "shape": list(v.shape),
                "data": [encode(x) for x in v.ravel().tolist()]}
    if isinstance(v, np.generic):
        return encode(v.item(), exact)
    raise TypeError(f"a result cannot hold a numpy {type(v).__name__}")


def _readable_mpmath(v):
    import mpmath
    if isinstance(v, mpmath.mpc):
        return {"real": readable_real(v.real), "imag": readable_real(v.imag)}
    if isinstance(v, mpmath.mpf):
        return readable_real(v)
    raise TypeError(f"a result cannot hold an mpmath {type(v).__name__}")


def _encode_mpmath(v):
    import mpmath
    if isinstance(v, mpmath.mpc):
        return {"type": "mpc", "real": _encode_mpmath(v.real), "imag": _encode_mpmath(v.imag)}
    if isinstance(v, mpmath.mpf):
        if not mpmath.isfinite(v):
            return {"type": "mpf", "value": str(v)}
        sign, man, exp, _ = v._mpf_
        return {"type": "mpf", "man": -int(man) if sign else int(man), "exp": int(exp)}
    raise TypeError(f"a result cannot hold an mpmath {type(v).__name__}")


def decode(v: Any, readable: bool = False):
    """Inverse of :func:`encode`: tagged dicts become objects, lists become tuples.  With
    ``readable``, the shapes of the readable form become numbers (``{"value", "exact"}``),
    balls (``{"mid", "rad"}``) and complex values (``{"real", "imag"}``), and field values
    the types their annotations declare (decimal strings as ``mpf``/``float``/``int``,
    nested lists as numpy arrays)."""
    if isinstance(v, list):
        return tuple(decode(x, readable) for x in v)
    if not isinstance(v, dict):
        return v
    tag = v.get("type")
    if isinstance(tag, str):
        _check_bounds(tag, v)
        if readable and tag in ("Ball", "ComplexBall") \
                and frozenset(v) - {"type"} in _READABLE_SHAPES:
            out = _READABLE_SHAPES[frozenset(v) - {"type"}]({k: x for k, x in v.items()
                                                             if k != "type"})
            if out is not None:
                return out
        if tag in RESULT_TYPES:
            cls = RESULT_TYPES[tag]
            fields = {f.name: f for f in dataclasses.fields(cls)}
            unknown = set(v) - set(fields) - {"type"}
            if unknown:
                raise ValueError(f"{tag}: unknown fields {sorted(unknown)}")
            if not readable:
                return cls(**{k: decode(x) for k, x in v.items() if k != "type"})
            kwargs = {k: _as_annotated(decode(x, True), fields[k].type)
                      for k, x in v.items() if k != "type"}
            try:
                return cls(**kwargs)
            except (TypeError, ValueError) as exc:  # InputError is a ValueError
                raise ValueError(f"{tag} is not rebuilt from its readable JSON ({exc}); "
                                 "write it with to_json(exact=True) / --json-exact") from None
        decoder = _DECODERS.get(tag)
        if decoder is not None:
            return decoder(v)
    shape = _READABLE_SHAPES.get(frozenset(v)) if readable else None
    if shape is not None:
        out = shape(v)
        if out is not None:
            return out
    return {k: decode(x, readable) for k, x in v.items()}


def _looks_readable(v) -> bool:
    """Whether a JSON document holds a shape only the readable form writes."""
    if isinstance(v, list):
        return any(_looks_readable(x) for x in v)
    if not isinstance(v, dict):
        return False
    cls = RESULT_TYPES.get(v.get("type")) if isinstance(v.get("type"), str) else None
    if cls is not None and not hasattr(cls, "_readable"):
        for f in dataclasses.fields(cls):  # an array or mpf field written as plain values
            ann, x = str(f.type), v.get(f.name)
            if ("ndarray" in ann and isinstance(x, list)) or ("mpf" in ann and isinstance(
                    x, str) and x not in ("nan", "inf", "-inf")):
                return True
    keys = frozenset(v) - {"type"}
    if keys == {"mid", "rad"} and v.get("type", "Ball") == "Ball" \
            and isinstance(v["mid"], str):
        return True
    if keys == {"value", "exact"} and "type" not in v and isinstance(v["exact"], str):
        return True
    return any(_looks_readable(x) for x in v.values())


def _decode_exact_number(v):
    if not isinstance(v["exact"], str):
        return None
    from .numbers import convert
    return convert(v["exact"], "exact number")


def _decode_complex(v):
    re_, im = decode(v["real"], True), decode(v["imag"], True)
    if isinstance(re_, Ball) and isinstance(im, Ball):
        return ComplexBall(re_, im)
    if isinstance(re_, (int, float, str)) and isinstance(im, (int, float, str)) \
            and not isinstance(re_, bool) and not isinstance(im, bool):
        import mpmath
        return mpmath.mpc(_mpf_of(re_), _mpf_of(im))
    return None


def _decode_ball(v):
    if isinstance(v["mid"], str) and isinstance(v["rad"], str):
        return Ball.from_decimal(v["mid"], v["rad"])
    return None


_READABLE_SHAPES = {frozenset({"value", "exact"}): _decode_exact_number,
                    frozenset({"mid", "rad"}): _decode_ball,
                    frozenset({"real", "imag"}): _decode_complex}

#: A decimal of the readable form of a ball (the exponent of a ball may be large).
_BALL_DECIMAL = re.compile(r"[+-]?(\d{1,400}\.?\d{0,400}|\.\d{1,400})([eE][+-]?\d{1,60})?")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,7})?")


def _fraction_of(text: str) -> Fraction:
    """The exact value of a decimal string of the readable form (bounded exponent)."""
    from . import limits
    from .errors import InputError
    text = text.strip()
    m = _DECIMAL.fullmatch(text)
    if m is None or len(text) > limits.MAX_INTEGER_DIGITS or \
            (m.group(2) and abs(int(m.group(2)[1:])) > limits.MAX_INTEGER_DIGITS):
        raise InputError(f"not a decimal number within the limits: {text[:40]!r}")
    return Fraction(text)


def _mpf_of(value):
    """An mpf from a readable number: exact for JSON numbers; a decimal string is rounded
    to the fewest bits (53 or more) at which it prints back as itself — the precision it
    was written at, so an mpf read back equals the one written."""
    import mpmath
    from mpmath.libmp import from_rational, repr_dps, round_nearest, to_str
    if isinstance(value, str) and value.strip().lstrip("+-") in ("nan", "inf"):
        return mpmath.mpf(value.strip())
    if isinstance(value, (int, float)):
        return mpmath.mpf(value)
    text = value.strip()
    q = _fraction_of(text)
    digits = sum(c.isdigit() for c in text.lower().split("e")[0])
    first = None
    for bits in range(53, int(digits * 3.33) + 16):
        y = from_rational(q.numerator, q.denominator, bits, round_nearest)
        first = first or y
        if to_str(y, repr_dps(max(int(y[1]).bit_length(), 53))) == text:
            return mpmath.mpf(y)
    return mpmath.mpf(from_rational(q.numerator, q.denominator, int(digits * 3.33) + 16,
                                    round_nearest))


def _as_annotated(value, annotation):
    """A value of the readable form as the type its field declares (``mpf``, numpy
    array, ``float``, ``int``, ``Fraction``); exact-form values pass through."""
    ann = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    try:
        if "mpf" in ann and isinstance(value, (int, float, str)) \
                and not isinstance(value, bool):
            return _mpf_of(value)
        if "ndarray" in ann and isinstance(value, tuple):
            import numpy as np
            return np.array(value, dtype=float)
        if ann.startswith("float") and isinstance(value, str):
            return float(value) if value in ("nan", "inf", "-inf") else float(_fraction_of(value))
        if ann.startswith("int") and isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        if "Fraction" in ann and type(value).__module__.startswith("sympy") \
                and getattr(value, "is_Rational", False):
            return Fraction(int(value.p), int(value.q))
    except (ValueError, TypeError):
        pass
    return value


def _decode_ndarray(v):
    import numpy as np
    data = [decode(x) for x in v["data"]]
    return np.array(data, dtype=np.dtype(v["dtype"])).reshape(v["shape"])


def _decode_mpf(v):
    import mpmath
    from mpmath.libmp import from_man_exp
    if "value" in v:
        return mpmath.mpf(v["value"])
    return mpmath.mp.make_mpf(from_man_exp(int(v["man"]), int(v["exp"])))


def _decode_mpc(v):
    import mpmath
    return mpmath.mpc(_decode_mpf(v["real"]), _decode_mpf(v["imag"]))


def _decode_sympy(v):
    from . import _sympy_json
    return _sympy_json.decode_sympy(v)


def _decode_fraction(v):
    num, _, den = v["value"].partition("/")
    return Fraction(int(num), int(den or 1))


def _check_bounds(tag: str, v: dict) -> None:
    """:class:`~lrtheory.errors.InputError` before a tagged number is rebuilt when it
    would cost more than the limits allow: an mpf, a Ball or a sympy Float whose mantissa
    has more than :data:`~lrtheory.limits.MAX_DECODED_BITS` bits, whose precision is
    larger, or whose binary exponent exceeds :data:`~lrtheory.limits.MAX_BINARY_EXPONENT`
    in size (2^(10^18) would not fit in memory); a Ball's decimal text longer than
    :data:`~lrtheory.limits.MAX_TEXT_CHARS`."""
    from . import limits
    from .errors import InputError
    if tag == "mpf":
        numbers = [(v.get("man"), v.get("exp"), None)]
    elif tag == "Ball":
        numbers = [(v.get("mid_man"), v.get("mid_exp"), None),
                   (v.get("rad_man"), v.get("rad_exp"), None)]
        if any(isinstance(x, str) and len(x) > limits.MAX_TEXT_CHARS for x in v.values()):
            raise InputError(f"a Ball's text is longer than {limits.MAX_TEXT_CHARS} "
                             "characters (MAX_TEXT_CHARS)")
    elif tag == "sympy":
        numbers, stack = [], [v.get("tree")]
        while stack:
            node = stack.pop()
            if isinstance(node, (list, tuple)) and node:
                if node[0] == "Float" and len(node) == 4:
                    numbers.append(tuple(node[1:]))
                else:
                    stack.extend(node[1:])
    else:
        return
    for man, exp, prec in numbers:
        try:
            bits = abs(int(man)).bit_length() if man is not None else 0
            too_big = bits > limits.MAX_DECODED_BITS or \
                (exp is not None and abs(int(exp)) > limits.MAX_BINARY_EXPONENT) or \
                (prec is not None and not 0 < int(prec) <= limits.MAX_DECODED_BITS)
        except (TypeError, ValueError):
            raise InputError(f"a {tag} number has a malformed mantissa, exponent or "
                             "precision") from None
        if too_big:
            raise InputError(f"a {tag} number is beyond the decoding limits: at most "
                             f"{limits.MAX_DECODED_BITS} bits of mantissa and precision "
                             f"(MAX_DECODED_BITS), |binary exponent| <= "
                             f"{limits.MAX_BINARY_EXPONENT} (MAX_BINARY_EXPONENT)")


_DECODERS = {
    "float": lambda v: float(v["value"]),
    "ndarray": _decode_ndarray,
    "mpf": _decode_mpf,
    "mpc": _decode_mpc,
    "sympy": _decode_sympy,
    "Fraction": _decode_fraction,
}


# ---- JSON Schema of the readable form --------------------------------------------------
_SCHEMA_DEFS = {
    "real": {"description": "a JSON number, or a decimal string ('nan', 'inf', '-inf' for "
                            "the non-finite values) where float64 does not hold the value",
             "anyOf": [{"type": "number"},
                       {"type": "string", "pattern": r"^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
                                                     r"|nan|inf|-inf)$"},
                       {"$ref": "#/$defs/exact"}]},
    "integer": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?\d+$"}]},
    "exact": {"description": "an exact number: its value and its exact text",
              "type": "object", "required": ["value", "exact"], "additionalProperties": False,
              "properties": {"value": {"type": ["number", "string"]},
                             "exact": {"type": "string"}}},
    "ball": {"description": "a rigorous enclosure [mid ± rad], decimal strings",
             "type": "object", "required": ["mid", "rad"], "additionalProperties": False,
             "properties": {"mid": {"type": "string"}, "rad": {"type": "string"}}},
    "complex_ball": {"type": "object", "required": ["real", "imag"],
                     "additionalProperties": False,
                     "properties": {"real": {"$ref": "#/$defs/ball"},
                                    "imag": {"$ref": "#/$defs/ball"}}},
    "expr": {"description": "an expression as text, or an exact number",
             "anyOf": [{"type": "string"}, {"$ref": "#/$defs/exact"}, {"type": "number"}]},
}
_SIMPLE = {"float": "real", "mpmath.mpf": "real", "mpf": "real", "int": "integer",
           "Fraction": "exact", "Ball": "ball", "ComplexBall": "complex_ball",
           "sp.Expr": "expr", "sympy.Expr": "expr", "Expr": "expr"}
_PLAIN = {"str": {"type": "string"}, "bool": {"type": "boolean"}, "None": {"type": "null"},
          "np.ndarray": {"type": "array"}, "numpy.ndarray": {"type": "array"},
          "sp.ImmutableMatrix": {"type": "array", "items": {"type": "array"}},
          "dict": {"type": "object"}, "tuple": {"type": "array"}, "list": {"type": "array"}}


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for c in text:
        depth += c == "[" or -(c == "]")
        if c == sep and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    return parts + [cur.strip()]


def _schema_of(ann: str, defs: dict) -> dict:
    """The schema of a value of the field annotation ``ann`` in the readable form."""
    alts = _split_top(ann, "|")
    if len(alts) > 1:
        return {"anyOf": [_schema_of(a, defs) for a in alts]}
    ann = ann.strip().strip("'\"")
    if ann in _SIMPLE:
        name = _SIMPLE[ann]
        defs[name] = _SCHEMA_DEFS[name]
        for ref in ("exact", "ball"):  # the definitions these refer to
            if f"#/$defs/{ref}" in json.dumps(_SCHEMA_DEFS[name]):
                defs[ref] = _SCHEMA_DEFS[ref]
        return {"$ref": f"#/$defs/{name}"}
    if ann in _PLAIN:
        return dict(_PLAIN[ann])
    base, _, inner = ann.partition("[")
    if inner and base.strip() in ("tuple", "list", "Sequence"):
        args = _split_top(inner[:-1], ",")
        if (len(args) == 2 and args[1] == "...") or (base.strip() != "tuple" and len(args) == 1):
            return {"type": "array", "items": _schema_of(args[0], defs)}  # homogeneous
        return {"type": "array", "prefixItems": [_schema_of(a, defs) for a in args],
                "items": False}
    if inner and base.strip() == "dict":
        args = _split_top(inner[:-1], ",")
        return {"type": "object", "additionalProperties": _schema_of(args[-1], defs)}
    if ann in RESULT_TYPES:
        if ann not in defs:
            defs[ann] = {}  # reserve: recursive types
            defs[ann] = _result_schema(RESULT_TYPES[ann], defs)
        return {"$ref": f"#/$defs/{ann}"}
    return {}  # Any, object: any JSON value


def annotation_schema(ann: str, defs: dict) -> dict:
    """The schema of a value annotated ``ann`` (``"float"``, ``"Fraction"``,
    ``"int | None"``, a result type's name ...) in the readable form, as in a result
    type's schema; the definitions it refers to are added to ``defs`` (the ``$defs``)."""
    return _schema_of(ann, defs)


def _result_schema(cls, defs: dict) -> dict:
    readable = getattr(cls, "_readable", None)
    if readable is not None:  # value types: the shape of their readable form
        shape = _schema_of(cls.__name__, defs)
        name = shape["$ref"].rsplit("/", 1)[1]
        body = json.loads(json.dumps(defs[name]))
        body["properties"] = {"type": {"const": cls.__name__}, **body["properties"]}
        return body
    props = {"type": {"const": cls.__name__}}
    for f in dataclasses.fields(cls):
        ann = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        props[f.name] = _schema_of(ann, defs) if not f.metadata.get("opaque") else {}
    for name, value in getattr(cls, "_schema_consts", {}).items():  # fields of one value
        props[name] = {"const": value}
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def json_schema(cls) -> dict:
    """The JSON Schema (draft 2020-12) of ``cls.to_json()`` — the readable form — derived
    from the field annotations of the result type ``cls`` (a class or its name).  The
    published files ``lrtheory/schemas/<Name>.json`` are these schemas."""
    if isinstance(cls, str):
        if cls not in RESULT_TYPES:
            _import_result_modules()
        if cls not in RESULT_TYPES:
            raise KeyError(f"no result type named {cls!r}")
        cls = RESULT_TYPES[cls]
    defs: dict = {}
    body = _result_schema(cls, defs)
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": f"https://lrtheory.invalid/schemas/{cls.__name__}.json",
           "title": cls.__name__, "description": " ".join(doc.split()), **body}
    defs.pop(cls.__name__, None)
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


# ---- JSON Schema of the exact form -----------------------------------------------------
_NODE_ARG = {"anyOf": [{"$ref": "#/$defs/sympy_node"}, {"type": "string"}, {"type": "integer"},
                       {"type": "object", "additionalProperties": {"type": "boolean"}}]}
_EXACT_TAGS = {
    "float": {"description": "a non-finite float: its repr",
              "properties": {"value": {"enum": ["nan", "inf", "-inf"]}}},
    "Fraction": {"description": "a fraction p/q (q > 0) of integers in decimal",
                 "properties": {"value": {"type": "string", "pattern": r"^-?\d+(/\d+)?$"}}},
    "mpf": {"description": "an mpmath number man·2^exp, or a non-finite one by its text",
            "oneOf": [{"required": ["man", "exp"],
                       "properties": {"man": {"type": "integer"}, "exp": {"type": "integer"}}},
                      {"required": ["value"],
                       "properties": {"value": {"enum": ["nan", "+inf", "-inf", "inf"]}}}]},
    "mpc": {"description": "an mpmath complex number",
            "properties": {"real": {"$ref": "#/$defs/mpf"}, "imag": {"$ref": "#/$defs/mpf"}}},
    "ndarray": {"description": "a numpy array: dtype, shape and the entries in C order",
                "properties": {"dtype": {"type": "string"},
                               "shape": {"type": "array", "items": {"type": "integer",
                                                                    "minimum": 0}},
                               "data": {"type": "array", "items": {"$ref": "#/$defs/value"}}}},
    "sympy": {"description": "a sympy expression (its text for people, its tree read back) "
                             "or matrix (its shape and entries)",
              "oneOf": [{"required": ["text", "tree"],
                         "properties": {"text": {"type": "string"},
                                        "tree": {"$ref": "#/$defs/sympy_node"}}},
                        {"required": ["matrix", "entries"],
                         "properties": {"matrix": {"type": "array", "minItems": 2,
                                                   "maxItems": 2,
                                                   "items": {"type": "integer", "minimum": 0}},
                                        "entries": {"type": "array",
                                                    "items": {"$ref": "#/$defs/sympy"}}}}]},
}


def _tag_schema(tag: str, body: dict) -> dict:
    """An object ``{"type": tag, ...}`` with the keys of ``body`` and no others: all of them
    required, or, where ``body`` lists alternatives (``oneOf``), those of exactly one."""
    props = dict(body.get("properties", {}))
    for alt in body.get("oneOf", ()):
        props.update(alt["properties"])
    out = {"description": body["description"], "type": "object",
           "required": ["type"] + list(body.get("properties", {})),
           "properties": {"type": {"const": tag}, **props}, "additionalProperties": False}
    if "oneOf" in body:
        out["oneOf"] = [{"required": alt["required"]} for alt in body["oneOf"]]
    return out


def exact_form_defs(defs: dict) -> dict:
    """Add to ``defs`` the JSON Schema of the exact form (``to_json(exact=True)``,
    ``--json-exact``): a ``value`` is null, a boolean, a number, a string, a list of values,
    a tagged number or expression (``{"type": "mpf", "man": …, "exp": …}``, ``Fraction``,
    ``float``, ``mpc``, ``ndarray``, ``sympy`` with its expression tree), a result of
    lrtheory ``{"type": NAME, field: value, …}`` with every field of the type, or a plain
    object of values (whose ``"type"``, if any, is none of those tags); the ``value``
    schema."""
    _import_result_modules()
    own = sorted(n for n, c in RESULT_TYPES.items()
                 if c.__module__.split(".")[0] == __name__.split(".")[0])
    tags = sorted(_EXACT_TAGS) + own
    defs["value"] = {"anyOf": [{"type": ["null", "boolean", "number", "string"]},
                               {"type": "array", "items": {"$ref": "#/$defs/value"}},
                               {"$ref": "#/$defs/tagged"},
                               {"type": "object", "additionalProperties": {"$ref": "#/$defs/value"},
                                "not": {"required": ["type"],
                                        "properties": {"type": {"enum": tags}}}}]}
    defs["tagged"] = {"type": "object", "required": ["type"],
                      "properties": {"type": {"enum": tags}},
                      "allOf": [{"if": {"properties": {"type": {"const": t}}},
                                 "then": {"$ref": f"#/$defs/{t}"}} for t in tags]}
    defs["sympy_node"] = {"description": "[NAME, argument, …]: NAME a sympy class, constant "
                                         "or number kind of the fixed set lrtheory reads",
                          "type": "array", "minItems": 1,
                          "prefixItems": [{"type": "string"}], "items": _NODE_ARG}
    for tag, body in _EXACT_TAGS.items():
        defs[tag] = _tag_schema(tag, body)
    for name in own:
        fields = [f.name for f in dataclasses.fields(RESULT_TYPES[name])]
        defs[name] = {"type": "object", "required": ["type"] + fields,
                      "properties": {"type": {"const": name},
                                     **{f: {"$ref": "#/$defs/value"} for f in fields}},
                      "additionalProperties": False}
    return defs["value"]


def _import_result_modules() -> None:
    """Import every module of lrtheory, so that every result type is registered."""
    import importlib
    import pkgutil
    package = importlib.import_module(__name__.rsplit(".", 1)[0])
    for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if "pytest" not in m.name and not m.name.endswith("__main__"):
            importlib.import_module(m.name)


def write_schemas(folder=None) -> list:
    """Write the schema of every result type of lrtheory, and of every other document a
    command prints or writes (:func:`lrtheory.documents.write_document_schemas`), to
    ``folder`` (default: the package's ``schemas/``) as ``<Name>.json``; the files
    written."""
    from pathlib import Path
    _import_result_modules()
    folder = Path(folder) if folder is not None else Path(__file__).parent / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, cls in sorted(RESULT_TYPES.items()):
        if cls.__module__.split(".")[0] == __name__.split(".")[0]:
            path = folder / f"{name}.json"
            path.write_text(json.dumps(json_schema(cls), indent=1, ensure_ascii=False) + "\n")
            written.append(path)
    from .documents import write_document_schemas  # the commands' other documents
    return written + write_document_schemas(folder)


# ---- display helpers ---------------------------------------------------------------------
def _short(v) -> str:
    if isinstance(v, Result):
        if type(v).__str__ is not object.__str__:  # a value type that prints as a value
            text = str(v)
            return text if len(text) <= 80 else text[:77] + "…"
        return repr(v) if len(repr(v)) <= 100 else f"{type(v).__name__}(…)"
    if isinstance(v, (list, tuple)):
        if len(v) > _SHORT_ITEMS:
            kinds = {type(x).__name__ for x in v}
            kind = kinds.pop() if len(kinds) == 1 else "item"
            return f"[{len(v)} × {kind}]"
        return "[" + ", ".join(_short(x) for x in v) + "]"
    if type(v).__module__.split(".")[0] == "numpy" and hasattr(v, "shape") and v.shape:
        if v.size <= _SHORT_ITEMS and v.dtype.kind in "biuf":  # small: the values
            return "array(" + " ".join(str(v).split()) + ")"
        return f"array(shape={tuple(v.shape)}, dtype={v.dtype})"
    text = str(v) if type(v).__module__.split(".")[0] in ("sympy", "mpmath") else repr(v)
    return text if len(text) <= 80 else text[:77] + "…"


_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|obj|exc):`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def _caption_html(doc) -> str:
    """The first sentence of a docstring as HTML: reST roles become their short names,
    ``literals`` code (a sentence that runs over several lines is kept whole)."""
    para = " ".join((doc or "").strip().split("\n\n")[0].split())
    end = re.search(r"(?<=[.!?])\s", para)
    sentence = para[:end.start()] if end else para
    text = html.escape(_ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], sentence))
    return _LITERAL.sub(lambda m: f"<code>{m.group(1)}</code>", text)


def _html(v) -> str:
    if isinstance(v, (list, tuple)) and v and all(isinstance(x, Result) for x in v) \
            and len({type(x) for x in v}) == 1:
        fields = v[0]._shown_fields()
        head = "".join(f"<th>{html.escape(f.name)}</th>" for f in fields)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_short(getattr(x, f.name)))}</td>"
                                        for f in fields) + "</tr>" for x in v[:_HTML_ROWS])
        more = (f"<tr><td colspan='{len(fields)}'>… {len(v) - _HTML_ROWS} more</td></tr>"
                if len(v) > _HTML_ROWS else "")
        return f"<table><tr>{head}</tr>{body}{more}</table>"
    if isinstance(v, Result):
        return v._repr_html_()
    return html.escape(_short(v))


@result
class Opaque(Result):
    """A value that JSON cannot carry, kept as its type name and ``repr``."""

    type_name: str = ""
    text: str = ""

    def __str__(self):
        return self.text


# ---- rigorous enclosures as values ---------------------------------------------------------
_MAG_BITS = 30  # python-flint stores radii with a 30-bit mantissa


@result
class Ball(Result):
    """A rigorous real enclosure [mid ± rad] held as exact integers.

    ``mid = mid_man · 2^mid_exp`` and ``rad = rad_man · 2^rad_exp`` exactly (the binary
    form of a python-flint ``arb``).  ``special`` is ``""`` for a finite ball,
    ``"unbounded"`` for a ball that contains every real number (infinite midpoint or
    radius) and ``"nan"`` for an undefined value."""

    mid_man: int = 0
    mid_exp: int = 0
    rad_man: int = 0
    rad_exp: int = 0
    special: str = ""

    @classmethod
    def from_arb(cls, x) -> "Ball":
        """The exact value of the python-flint ball ``x``."""
        if x.is_nan():
            return cls(special="nan")
        if not x.is_finite() or not x.mid().is_finite():
            return cls(special="unbounded")
        mm, me = (int(t) for t in x.mid().man_exp())
        rm, re_ = (int(t) for t in x.rad().man_exp())
        return cls(mm, me, rm, re_)

    def _readable(self) -> dict:
        """``{"mid": "…", "rad": "…"}``: the midpoint to the digits of its binary
        precision, the radius (3 digits) rounded up to cover the midpoint's rounding too
        (at most |mid|·10^(1−D) for D digits), so that :meth:`from_decimal` gives a ball
        containing this one."""
        if self.special:
            return {"mid": "nan", "rad": "nan"} if self.special == "nan" else \
                {"mid": "0", "rad": "inf"}
        from mpmath import libmp
        up = libmp.round_ceiling
        digits = libmp.repr_dps(max(abs(self.mid_man).bit_length(), 53))
        mid = libmp.from_man_exp(self.mid_man, self.mid_exp)
        text = libmp.to_str(mid, digits) if self.mid_man else "0"
        if max(abs(self.mid_exp), abs(self.rad_exp)) <= 4096:  # the rounding, exactly
            exact = _dyadic(self.rad_man, self.rad_exp) + abs(
                Fraction(text) - _dyadic(self.mid_man, self.mid_exp))
            rad = libmp.from_rational(exact.numerator, exact.denominator, 64, up)
        else:  # a bound of it: rounding to D digits moves |mid| by at most |mid|·10^(1−D)
            shift = libmp.mpf_pow_int(libmp.from_int(10), 1 - digits, 64, up)
            rad = libmp.mpf_add(libmp.from_man_exp(self.rad_man, self.rad_exp),
                                libmp.mpf_mul(libmp.mpf_abs(mid), shift, 64, up), 64, up)
        return {"mid": text, "rad": _decimal_up(rad)}

    @classmethod
    def from_decimal(cls, mid: str, rad: str) -> "Ball":
        """The ball [mid ± rad] of decimal strings (rounded outward to binary)."""
        from flint import arb, ctx
        if mid.strip() == "nan" or rad.strip() == "nan":
            return cls(special="nan")
        if rad.strip() == "inf":
            return cls(special="unbounded")
        for text in (mid, rad):
            if _BALL_DECIMAL.fullmatch(text.strip()) is None:
                raise ValueError(f"not a decimal number: {text[:40]!r}")
        old = ctx.prec
        ctx.prec = max(old, 4 * len(mid) + 16)
        try:
            centre, radius = arb(mid.strip()), abs(arb(rad.strip()))
            if centre.rad() == 0 and radius == 0:
                return cls.from_arb(centre)
            return cls.from_arb(arb(centre.mid(), centre.rad() + radius.upper()))
        finally:
            ctx.prec = old

    def to_arb(self):
        """The python-flint ball: the same midpoint and radius (a radius that python-flint
        cannot represent exactly is rounded up, so the ball still contains this one)."""
        from flint import arb, ctx, fmpz
        if self.special == "nan":
            return arb.nan()
        if self.special == "unbounded":
            return arb(0, arb.pos_inf())
        old = ctx.prec
        ctx.prec = max(old, abs(self.mid_man).bit_length() + 8)
        try:
            mid = arb(fmpz(self.mid_man)) * arb(2) ** self.mid_exp
            if self.rad_man == 0:
                return mid
            return arb(mid, _radius(self.rad_man, self.rad_exp))
        finally:
            ctx.prec = old

    # -- plain-number views ------------------------------------------------------------
    @property
    def mid(self) -> float:
        if self.special:
            return math.nan
        return math.ldexp(self.mid_man, self.mid_exp) if self.mid_man else 0.0

    @property
    def radius(self) -> float:
        if self.special:
            return math.inf
        return math.ldexp(self.rad_man, self.rad_exp) if self.rad_man else 0.0

    @property
    def lower(self) -> Fraction:
        return _dyadic(self.mid_man, self.mid_exp) - _dyadic(self.rad_man, self.rad_exp)

    @property
    def upper(self) -> Fraction:
        return _dyadic(self.mid_man, self.mid_exp) + _dyadic(self.rad_man, self.rad_exp)

    def contains(self, x) -> bool:
        """Whether the exact number ``x`` (int, float, Fraction, decimal string) is inside."""
        if self.special:
            return self.special == "unbounded"
        if isinstance(x, Ball):
            return not x.special and self.lower <= x.lower and x.upper <= self.upper
        q = Fraction(x) if not isinstance(x, str) else Fraction(x.strip())
        return self.lower <= q <= self.upper

    def __str__(self):
        if self.special:
            return self.special
        return self.to_arb().str(20)


def _decimal_up(x, digits: int = 3) -> str:
    """A decimal string of ``digits`` significant digits that is ≥ the mpmath value ``x``
    ≥ 0 (a radius rounded up), for any exponent."""
    from decimal import Decimal

    from mpmath import libmp
    if x == libmp.fzero:
        return "0"
    up = libmp.round_ceiling
    k = int(libmp.to_str(x, 5).lower().split("e")[1]) if "e" in libmp.to_str(x, 5).lower() \
        else len(libmp.to_str(x, 5).split(".")[0].lstrip("0") or "") - 1
    if k < 0 and "e" not in libmp.to_str(x, 5).lower():  # 0.00123: count the zeros
        frac = libmp.to_str(x, 5).split(".")[1]
        k = -(len(frac) - len(frac.lstrip("0")) + 1)
    k -= digits - 1
    scale = libmp.mpf_pow_int(libmp.from_int(10), -k, 64, up) if k <= 0 else None
    scaled = libmp.mpf_mul(x, scale, 64, up) if scale is not None else libmp.mpf_div(
        x, libmp.mpf_pow_int(libmp.from_int(10), k, 64, libmp.round_floor), 64, up)
    n = str(int(libmp.to_int(scaled, up)))
    exp10 = k + len(n) - 1
    if -6 <= exp10 < 6:
        return format(Decimal(int(n)).scaleb(k).normalize(), "f")
    tail = n[1:].rstrip("0")
    return f"{n[0]}{'.' + tail if tail else ''}e{exp10:+d}"


def _dyadic(man: int, exp: int) -> Fraction:
    return Fraction(man) * Fraction(2) ** exp


def _radius(man: int, exp: int):
    """An arb for the radius man·2^exp that python-flint keeps exactly: it rounds a radius
    up by one unit of its 30-bit mantissa, so ask for one unit less and check."""
    from flint import arb, fmpz
    exact = arb(fmpz(man)) * arb(2) ** exp
    shift = _MAG_BITS - man.bit_length()
    if shift < 0:
        return exact
    m30, e30 = man << shift, exp - shift
    for cand_man, cand_exp in ((m30 - 1, e30), (2 * m30 - 1, e30 - 1)):
        below = arb(fmpz(cand_man)) * arb(2) ** cand_exp
        got = arb(0, below).rad().man_exp()
        if _dyadic(int(got[0]), int(got[1])) == _dyadic(man, exp):
            return below
    return exact


@result
class ComplexBall(Result):
    """A rigorous complex enclosure: real and imaginary parts as :class:`Ball`."""

    real: Ball = Ball()
    imag: Ball = Ball()

    @classmethod
    def from_acb(cls, z) -> "ComplexBall":
        return cls(Ball.from_arb(z.real), Ball.from_arb(z.imag))

    def _readable(self) -> dict:
        return {"real": self.real._readable(), "imag": self.imag._readable()}

    def to_acb(self):
        from flint import acb
        return acb(self.real.to_arb(), self.imag.to_arb())

    def __str__(self):
        return str(self.to_acb())
