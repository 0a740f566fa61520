"""Multiscale objectives f = f₀ + f_{1,ε} (Kong & Tao; claims KT-1..KT-5).

Two microscopic forms are supported, in one or more dimensions:

* periodic:        f_{1,ε}(x) = ε f₁(x/ε),  f₁ periodic in each fast variable y = x/ε;
* quasi-periodic:  f_{1,ε}(x) = ε F₁(Ω x/ε), F₁(θ₁, …, θ_N) 1-periodic in each angle and
  Ω an N×d frequency matrix (rows ω_i; in 1-D simply the frequencies ω₁, …, ω_N).

In both cases ∇f_{1,ε}(x) = ∇_y f₁(y) at y = x/ε is O(1) while ∇²f_{1,ε} = O(1/ε), and the
noise of the slides' Condition 1 is ζ = −∇f_{1,ε}(U) for U uniform over a period cell
(periodic) or over the torus the angles equidistribute on (quasi-periodic).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from ..catalogue import multiscale as multiscale_objective
from ..errors import InputError
from ..objectives import Objective
from ..numbers import convert
from ..parsing import parse_variables, to_expr


def _positive(value, label: str) -> sp.Expr:
    v = convert(value, label)
    if not (v.is_number and v.is_real and v > 0):
        raise InputError(f"{label} must be a positive number, got {value}")
    return v


@dataclass
class Multiscale:
    """f(x) = f₀(x) + ε f₁(x/ε), with f₁ written in the fast variable (same names as x).

    ``torus`` is ``None`` for a periodic f₁ (periods found by sympy or given in
    ``periods``), or ``(F₁, angles, Ω)`` for the quasi-periodic form.
    """

    f0: sp.Expr
    f1: sp.Expr
    eps: sp.Expr
    vars: tuple
    periods: tuple | None = None
    torus: tuple | None = None
    name: str = field(default="multiscale")

    # ---- constructors -----------------------------------------------------------------
    @classmethod
    def periodic(cls, f0, f1, eps, variables="x", periods=None) -> "Multiscale":
        """f₀(x) + ε f₁(x/ε) with f₁ periodic; ``f1`` is written in the fast variable
        (``"sin(x)"`` means ε sin(x/ε))."""
        xs = parse_variables(variables) if isinstance(variables, str) else tuple(variables)
        e0, e1 = to_expr(f0, xs, "f0"), to_expr(f1, xs, "f1")
        eps = _positive(eps, "eps")
        if periods is None:
            periods = tuple(_period(e1, v) for v in xs)
        else:
            periods = tuple(_positive(p, "period") for p in periods)
            if len(periods) != len(xs):
                raise InputError(f"{len(periods)} periods given for {len(xs)} variables")
        return cls(e0, e1, eps, xs, periods=periods)

    @classmethod
    def quasi_periodic(cls, f0, F1, omegas, eps, variables="x", angles=None) -> "Multiscale":
        """f₀(x) + ε F₁(Ωx/ε) with F₁ 1-periodic in each angle θ_i.

        ``omegas`` is a list of N frequencies (1-D) or an N×d matrix; ``F1`` is an
        expression in the angles (default names ``t1, …, tN``)."""
        xs = parse_variables(variables) if isinstance(variables, str) else tuple(variables)
        Om = sp.Matrix([[_number(w) for w in (row if isinstance(row, (list, tuple))
                                              else [row])] for row in omegas])
        if Om.shape[1] != len(xs):
            raise InputError(f"frequency matrix has {Om.shape[1]} columns, "
                             f"objective has {len(xs)} variables")
        n_ang = Om.shape[0]
        if angles is None:
            angles = ",".join(f"t{i + 1}" for i in range(n_ang))
        th = parse_variables(angles) if isinstance(angles, str) else tuple(angles)
        if len(th) != n_ang:
            raise InputError(f"{len(th)} angles for {n_ang} frequencies")
        if set(th) & set(xs):
            raise InputError("angle names must differ from the variable names")
        e0, F = to_expr(f0, xs, "f0"), to_expr(F1, th, "F1")
        for t in th:
            if sp.simplify(F.subs(t, t + 1) - F) != 0:
                raise InputError(f"F1 = {F} is not 1-periodic in {t}")
        _check_nonresonant(Om)
        fast = F.subs({t: sum(Om[i, j] * xs[j] for j in range(len(xs)))
                       for i, t in enumerate(th)}, simultaneous=True)
        return cls(e0, fast, _positive(eps, "eps"), xs, torus=(F, th, Om),
                   name="quasi-periodic multiscale")

    # ---- derived objects ----------------------------------------------------------------
    @property
    def dim(self) -> int:
        return len(self.vars)

    @cached_property
    def objective(self) -> Objective:
        """The full objective f₀ + ε f₁(·/ε) as an :class:`Objective`."""
        obj = multiscale_objective(self.f0, self.f1, self.eps, self.vars)
        obj.name = self.name
        return obj

    @cached_property
    def macro(self) -> Objective:
        """The macroscopic objective f₀ alone."""
        return Objective(self.f0, self.vars, name="f0")

    @property
    def cell(self) -> float:
        """Width of a microscopic period cell in x: ε × (largest period of f₁), or ε
        divided by the smallest nonzero frequency in the quasi-periodic case."""
        if self.periods is not None:
            return float(self.eps * max(self.periods))
        om = [abs(float(w)) for w in self.torus[2] if w != 0]
        return float(self.eps) / min(om)

    def with_eps(self, eps) -> "Multiscale":
        """The same f₀, f₁ at another ε."""
        return Multiscale(self.f0, self.f1, _positive(eps, "eps"), self.vars, self.periods,
                          self.torus, self.name)


def _number(w) -> sp.Expr:
    v = convert(w, "frequency")
    if not (v.is_number and v.is_real):
        raise InputError(f"frequency must be a real number, got {w}")
    return v


def _period(expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """The period of f₁ in the fast variable ``v`` (sympy's ``periodicity``)."""
    if v not in expr.free_symbols:
        raise InputError(f"f1 does not depend on {v}: f_{{1,eps}} must be periodic in every "
                         "variable (a constant direction has no period)")
    try:
        p = sp.periodicity(expr, v)
    except (NotImplementedError, ValueError, TypeError):
        p = None
    if p is None or not p.is_number or not p > 0:
        raise InputError(f"f1 = {expr} is not periodic in {v} (or its period could not be "
                         "found); use a periodic f1 or the quasi-periodic form")
    return sp.nsimplify(p)


def _check_nonresonant(Om: sp.Matrix, bound: int = 6) -> None:
    """The torus average replaces the x-average only when k·Ω ≠ 0 for every nonzero
    integer vector k (Weyl); reject resonances with |k_i| ≤ ``bound`` (exact test)."""
    import itertools
    n = Om.shape[0]
    if n == 1:
        if all(w == 0 for w in Om):
            raise InputError("frequency vector is zero")
        return
    for k in itertools.product(range(-bound, bound + 1), repeat=n):
        if any(k) and next(c for c in k if c) > 0:
            comb = sp.Matrix([k]) * Om
            if all(sp.simplify(c) == 0 for c in comb):
                raise InputError(f"frequencies are resonant (k = {list(k)} gives k·Ω = 0): "
                                 "the angles do not fill the torus; use the periodic form")
