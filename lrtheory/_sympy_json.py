"""sympy expressions as JSON expression trees, rebuilt without evaluating any text.

The exact form (``Result.to_json(exact=True)``):
``{"type": "sympy", "text": "x**2/2", "tree": [...]}``: ``text`` is for people, ``tree``
is what is read back.  A tree node is ``[NAME, arg, ...]`` where NAME is one of a fixed set
of sympy classes (arithmetic, the functions the restricted parser knows, constants);
symbols carry their assumptions, numbers are exact (floats as mantissa, exponent and
precision).  Matrices are ``{"type": "sympy", "matrix": [rows, cols], "entries": [...]}``.
"""
from __future__ import annotations

import sympy as sp

from .parsing import FUNCTIONS

_OPS = {"Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow, "Tuple": sp.Tuple,
        "Equality": sp.Eq, "sign": sp.sign, "Heaviside": sp.Heaviside,
        "DiracDelta": sp.DiracDelta, "re": sp.re, "im": sp.im, "Min": sp.Min, "Max": sp.Max,
        "erfi": sp.erfi, "erfc": sp.erfc, "Ei": sp.Ei, "li": sp.li, "gamma": sp.gamma,
        "polylog": sp.polylog, "LambertW": sp.LambertW}
_OPS.update({f.__name__: f for f in FUNCTIONS.values()})
_ATOMS = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "-oo": -sp.oo, "zoo": sp.zoo,
          "nan": sp.nan}
_ATOM_NAMES = {v: k for k, v in _ATOMS.items()}


def encode_sympy(expr) -> dict:
    if isinstance(expr, sp.MatrixBase):
        return {"type": "sympy", "matrix": [expr.rows, expr.cols],
                "entries": [encode_sympy(e) for e in expr]}
    return {"type": "sympy", "text": str(expr), "tree": _tree(expr)}


def readable_sympy(expr):
    """The readable JSON form: a number as ``{"value": …, "exact": "19/10"}`` (a sympy
    Float as a plain number or decimal string), an expression as its text, a matrix as a
    list of rows."""
    from .results import exact_number, readable_real
    if isinstance(expr, sp.MatrixBase):
        return [[readable_sympy(e) for e in expr.row(i)] for i in range(expr.rows)]
    if isinstance(expr, sp.Expr) and expr.is_number:
        if isinstance(expr, sp.Float):
            return readable_real(expr)
        return exact_number(expr, str(expr))
    return str(expr)


def _tree(e):
    if e in _ATOM_NAMES and e.is_Atom:
        return [_ATOM_NAMES[e]]
    if isinstance(e, sp.Symbol):
        assumptions = getattr(e, "_assumptions_orig", None)
        if assumptions is None:
            assumptions = {k: v for k, v in e.assumptions0.items() if v is not None}
        return ["Symbol", e.name, {k: bool(v) for k, v in sorted(assumptions.items())}]
    if isinstance(e, sp.Integer):
        return ["Integer", str(int(e))]
    if isinstance(e, sp.Rational):
        return ["Rational", str(int(e.p)), str(int(e.q))]
    if isinstance(e, sp.Float):
        sign, man, exp, _ = e._mpf_
        return ["Float", str(-man if sign else man), int(exp), int(e._prec)]
    name = type(e).__name__ if type(e).__name__ in _OPS else None
    if name is None or _OPS[name] is not type(e) and not isinstance(e, _OPS[name]):
        raise TypeError(f"a result cannot hold the sympy object {type(e).__name__} ({e})")
    return [name] + [_tree(a) for a in e.args]


def decode_sympy(v: dict):
    if "matrix" in v:
        rows, cols = v["matrix"]
        return sp.ImmutableMatrix(rows, cols, [decode_sympy(e) for e in v["entries"]])
    return _build(v["tree"])


def _build(node):
    if not isinstance(node, (list, tuple)) or not node or not isinstance(node[0], str):
        raise ValueError(f"malformed sympy tree node {node!r}")
    name, args = node[0], node[1:]
    if name in _ATOMS:
        return _ATOMS[name]
    if name == "Symbol":
        return sp.Symbol(str(args[0]), **{str(k): bool(x) for k, x in dict(args[1]).items()})
    if name == "Integer":
        return sp.Integer(int(args[0]))
    if name == "Rational":
        return sp.Rational(int(args[0]), int(args[1]))
    if name == "Float":
        from mpmath.libmp import from_man_exp
        return sp.Float._new(from_man_exp(int(args[0]), int(args[1])), int(args[2]))
    op = _OPS.get(name)
    if op is None:
        raise ValueError(f"unknown sympy node {name!r}")
    return op(*[_build(a) for a in args], evaluate=False)
