"""One type for every result: frozen dataclasses that print, display and round-trip.

Every public analysis of lrtheory returns a :class:`Result` — a frozen dataclass declared
with :func:`result` — so that a user, a worker process and a claim all see the same object:

* ``to_json()`` gives a JSON-safe ``dict`` tagged with ``"type"``; ``Result.from_json(d)``
  rebuilds the object exactly (``from_json(r.to_json()) == r``).  Nothing is evaluated on the
  way back in: sympy expressions travel as an expression tree over a fixed set of node
  types, numbers as exact integers and decimal-free mantissa/exponent pairs.
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
from fractions import Fraction
from typing import Any, ClassVar

__all__ = ["Result", "result", "Ball", "ComplexBall", "Opaque", "opaque_field", "encode",
           "decode", "RESULT_TYPES"]

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

    # -- JSON ----------------------------------------------------------------------------
    def to_json(self) -> dict:
        """A JSON-safe dict ``{"type": ClassName, field: value, ...}``."""
        out = {"type": type(self).__name__}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = encode_lenient(value) if f.metadata.get("opaque") else encode(value)
        return out

    @classmethod
    def from_json(cls, data):
        """Rebuild a result from :meth:`to_json` output (a dict, or its JSON text)."""
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        obj = decode(data)
        if not isinstance(obj, cls):
            raise TypeError(f"JSON describes a {type(obj).__name__}, not a {cls.__name__}")
        return obj

    def _canonical(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))

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
        doc = (type(self).__doc__ or "").strip().splitlines()
        caption = html.escape(doc[0]) if doc else ""
        return (f"<table><caption style='text-align:left'><b>{type(self).__name__}</b> "
                f"{caption}</caption>{rows}</table>")

    def _repr_latex_(self):
        latex = getattr(self, "latex", None)
        return f"$\\displaystyle {latex()}$" if callable(latex) else None


# ---- encoding ---------------------------------------------------------------------------
def encode(v: Any):
    """The JSON-safe form of a field value (see the module docstring for the types)."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else {"type": "float", "value": repr(v)}
    if isinstance(v, Result):
        return v.to_json()
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        bad = [k for k in v if not isinstance(k, str)]
        if bad:
            raise TypeError(f"result dicts need string keys, got {bad[0]!r}")
        return {k: encode(x) for k, x in v.items()}
    if isinstance(v, Fraction):
        return {"type": "Fraction", "value": f"{v.numerator}/{v.denominator}"}
    return _encode_foreign(v)


def encode_lenient(v: Any):
    """:func:`encode`, but a value of a type results cannot hold (e.g. a user's own instance
    class in a falsification report) is stored as :class:`Opaque` (its type and repr)."""
    if isinstance(v, (list, tuple)):
        return [encode_lenient(x) for x in v]
    if isinstance(v, dict) and all(isinstance(k, str) for k in v):
        return {k: encode_lenient(x) for k, x in v.items()}
    try:
        return encode(v)
    except TypeError:
        return Opaque(f"{type(v).__module__}.{type(v).__qualname__}", repr(v)).to_json()


def opaque_field(default=None, default_factory=None):
    """A result field that may hold values of any type: those :func:`encode` cannot store
    are kept in JSON as :class:`Opaque` (type name and repr); the live object stays on the
    result until it is serialized."""
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata={"opaque": True})
    return dataclasses.field(default=default, metadata={"opaque": True})


def _encode_foreign(v):
    mod = type(v).__module__.split(".")[0]
    if mod == "numpy":
        return _encode_numpy(v)
    if mod == "mpmath":
        return _encode_mpmath(v)
    if mod == "flint":
        if type(v).__name__ == "fmpq":
            return encode(Fraction(int(v.p), int(v.q)))
        if type(v).__name__ == "fmpz":
            return int(v)
        if type(v).__name__ == "arb":
            return Ball.from_arb(v).to_json()
        if type(v).__name__ == "acb":
            return ComplexBall.from_acb(v).to_json()
    if mod == "sympy":
        from . import _sympy_json
        return _sympy_json.encode_sympy(v)
    raise TypeError(f"a result cannot hold a {type(v).__module__}.{type(v).__name__}")


def _encode_numpy(v):
    import numpy as np
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "biuf":
            raise TypeError(f"a result cannot hold a numpy array of dtype {v.dtype}")
        return {"type": "ndarray", "dtype": v.dtype.str, "shape": list(v.shape),
                "data": [encode(x) for x in v.ravel().tolist()]}
    if isinstance(v, np.generic):
        return encode(v.item())
    raise TypeError(f"a result cannot hold a numpy {type(v).__name__}")


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


def decode(v: Any):
    """Inverse of :func:`encode`: tagged dicts become objects, lists become tuples."""
    if isinstance(v, list):
        return tuple(decode(x) for x in v)
    if not isinstance(v, dict):
        return v
    tag = v.get("type")
    if isinstance(tag, str):
        _check_bounds(tag, v)
        if tag in RESULT_TYPES:
            cls = RESULT_TYPES[tag]
            names = {f.name for f in dataclasses.fields(cls)}
            unknown = set(v) - names - {"type"}
            if unknown:
                raise ValueError(f"{tag}: unknown fields {sorted(unknown)}")
            return cls(**{k: decode(x) for k, x in v.items() if k != "type"})
        decoder = _DECODERS.get(tag)
        if decoder is not None:
            return decoder(v)
    return {k: decode(x) for k, x in v.items()}


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

    def to_acb(self):
        from flint import acb
        return acb(self.real.to_arb(), self.imag.to_arb())

    def __str__(self):
        return str(self.to_acb())
