"""LaTeX of modified equations through sympy's printer (deterministic term order)."""
from __future__ import annotations

import sympy as sp

from .bseries import Tree, field_coefficients, tree_order

_LATEX_TENSORS = {2: "H", 3: "T"}


def _tensor_latex(t: Tree) -> str:
    """``g``, ``H g``, ``T(g, g)``, ``\\nabla^{4} f(g, g, g)`` for the contraction G(τ)."""
    if not t:
        return "g"
    kids = [_tensor_latex(c) for c in t]
    name = _LATEX_TENSORS.get(len(t) + 1, rf"\nabla^{{{len(t) + 1}}} f")
    if len(t) == 1:
        return f"{name} {kids[0]}"
    return f"{name}({', '.join(kids)})"


def tensor_field_latex(order: int) -> str:
    """Coordinate-free F_order, e.g. ``-\\frac{1}{2} H g`` (g = ∇f, H = ∇²f, T = ∇³f)."""
    parts = []
    for t, c in field_coefficients(order):
        coeff = sp.Rational(c.numerator, c.denominator) * (-1) ** tree_order(t)
        sign = "-" if coeff < 0 else "+"
        mag = abs(coeff)
        factor = "" if mag == 1 else sp.latex(mag) + " "
        parts.append(f"{sign} {factor}{_tensor_latex(t)}")
    text = " ".join(parts).strip()
    if text.startswith("+ "):
        return text[2:]
    return "-" + text[2:] if text.startswith("- ") else text


def vector_latex(components) -> str:
    """A column vector of sympy expressions."""
    return sp.latex(sp.Matrix(list(components)))


def field_latex(n: int, components) -> str:
    """``F_{n} = (…)`` for explicit components."""
    return f"F_{{{n}}} = {vector_latex(components)}"


def potential_latex(n: int, potential) -> str:
    return f"f_{{{n}}} = {sp.latex(potential)}"
