"""Objectives with parameters over a box: the parameters as coordinates of a branch and
bound.

A family f(x; μ) with parameters μ = (μ_1, …) (an :class:`~lrtheory.objectives.Objective`
with ``params``) and a box M of parameter values.  :class:`ParameterFamily` compiles f, ∇_x f
and ∇²_x f once over (x, μ); :meth:`ParameterFamily.bind` fixes μ to a ball box M and gives
an object with the interface of an objective of the variables x alone (``dim``, ``vars``,
``arb``, ``numpy``) whose ball evaluations enclose the values for *every* μ ∈ M (the
parameters enter as balls), while the float evaluations (heuristics only: eigenbases,
numerical limits) use the midpoint of M.  The GD map is G_{h,μ}(x) = x − h∇_x f(x; μ):
the parameters are constant along an orbit, so a certificate computed with the ball M
(a trapping region, an escape region, a Krawczyk enclosure of the stationary point) holds
for every μ ∈ M — e.g. "GD on μx²/2 + x⁴/4 converges for every μ ∈ [1/2, 1]" is proved by
boxes of (h, x₀, μ) (:func:`lrtheory.certify.gd_sets.prove_over_sets` with ``params``).
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from flint import arb

from ..errors import InputError
from ..evaluators import compile_exprs
from ..objectives import ArbModel, NumpyModel, Objective
from .sets import Interval

__all__ = ["ParameterFamily", "BoundObjective", "parameter_witness", "MAX_PARAMETERS"]

#: Parameters a statement may range over (each is a coordinate of the boxes, and the
#: falsifier visits the 2^k corners of the parameter box).
MAX_PARAMETERS = 4


class ParameterFamily:
    """f(x; μ) compiled over (x, μ) in balls and in float64 (module docstring).

    ``names`` — the parameter names in box order (that of ``obj.params``); ``sides`` — their
    :class:`~lrtheory.certify.sets.Interval` (bounded)."""

    def __init__(self, obj: Objective, params: dict):
        by_name = {str(p): p for p in obj.params}
        if len(params) > MAX_PARAMETERS:
            raise InputError(f"params: at most {MAX_PARAMETERS} parameters, got {len(params)}")
        unknown = sorted(set(params) - set(by_name))
        if unknown:
            raise InputError(f"params: {unknown} are not parameters of the objective "
                             f"(it has {sorted(by_name)})")
        missing = sorted(set(by_name) - set(params))
        if missing:
            raise InputError(f"params: give an interval for every parameter (missing "
                             f"{missing})")
        self.obj, self.names = obj, tuple(str(p) for p in obj.params)
        self.sides = tuple(params[n] for n in self.names)
        for name, side in zip(self.names, self.sides):
            if not isinstance(side, Interval) or not side.bounded:
                raise InputError(f"params: {name} needs a bounded interval")
        self.symbols = tuple(by_name[n] for n in self.names)
        args = tuple(obj.vars) + self.symbols
        exprs = ([obj.expr], list(obj.gradient), list(obj.hessian))
        self._arb = tuple(compile_exprs(e, args, "arb") for e in exprs)
        self._numpy = tuple(compile_exprs(e, args, "numpy") for e in exprs)

    def float_box(self) -> tuple:
        """The parameter box as float (lo, hi) pairs rounded outward."""
        return tuple(side.float_box()[0] for side in self.sides)

    def bind(self, fbox) -> "BoundObjective":
        """The objective of x for every μ in the float box ``fbox`` ((lo, hi) per
        parameter)."""
        return BoundObjective(self, fbox)


def _bound_model(cls, view, compiled, values):
    """An evaluator of ``cls`` whose compiled f, ∇f, ∇²f take the parameter ``values``."""
    model = cls.__new__(cls)
    model.obj = view
    model._f, model._g, model._H = ((lambda *c, fn=fn: fn(*c, *values)) for fn in compiled)
    return model


class BoundObjective:
    """The family at the parameter box ``fbox``: ``arb`` evaluates with the balls of the
    box, ``numpy`` at its midpoint (module docstring)."""

    def __init__(self, family: ParameterFamily, fbox):
        self.family, self.fbox = family, tuple(fbox)
        self.vars, self.dim, self.params = family.obj.vars, family.obj.dim, ()
        self.balls = tuple(arb(lo).union(arb(hi)) for lo, hi in self.fbox)
        self.mids = tuple((lo + hi) / 2 for lo, hi in self.fbox)
        self.arb = _bound_model(ArbModel, self, family._arb, self.balls)
        self.numpy = _bound_model(NumpyModel, self, family._numpy,
                                  tuple(np.float64(m) for m in self.mids))

    @property
    def gradient(self) -> tuple:
        return self.family.obj.gradient

    def newton_guesses(self, guesses, steps: int = 30) -> list:
        """Float Newton iterates on ∇_x f = 0 at the midpoint parameters from ``guesses``
        (candidates for the stationary points of this parameter box)."""
        out = []
        with np.errstate(all="ignore"):
            for g in guesses:
                x = np.array([float(v) for v in g])
                for _ in range(steps):
                    try:
                        x = x - np.linalg.solve(self.numpy.hess(x), self.numpy.grad(x))
                    except np.linalg.LinAlgError:
                        break
                if np.all(np.isfinite(x)):
                    out.append(list(x))
        return out


def parameter_witness(fbox, family: ParameterFamily) -> tuple | None:
    """A rational point of the float parameter box inside the parameter set:
    ((name, value), …), or None."""
    out = []
    for (lo, hi), name, side in zip(fbox, family.names, family.sides):
        lo, hi = sp.Rational(lo), sp.Rational(hi)
        v = lo if lo == hi else Interval(lo, hi, False, False).simplest()
        if not side.contains(v):
            return None
        out.append((name, v))
    return tuple(out)
