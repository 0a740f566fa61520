"""The modified equation of GD: the field F_n, the potential f_n (F_n = −∇f_n) and
whether F_n is a gradient, at a given order n.

The fields are computed exactly by :func:`lrtheory.modeq.modified_equation` (rational
coefficients on python-flint polynomials, or through the jets of f).  A stated expression
is compared with :func:`lrtheory.expect.base.compare`: an exact identity proves it, a
sample point where the difference is exactly (or by a rigorous enclosure) not zero
refutes it, and agreement at every sample point at two precisions (when the identity is
not found symbolically) confirms it.  A potential is determined up to an additive
constant, so a stated potential is compared through its gradient: −∇(stated) = F_n.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..objectives import Objective
from .base import (VERDICT_OF, Expectation, bool_arg, canonical, compare, expr_arg, exprs_arg,
                   int_arg, objective_arg, point_text, show)

MAX_ORDER = 12


def _modified(obj: Objective, order: int):
    from ..modeq import modified_equation
    return modified_equation(obj, order)


def _comparison_finding(ev, what: str, result, variables, detail: str = "") -> None:
    """A finding for a :class:`~lrtheory.expect.base.Comparison` of a stated expression."""
    verdict = VERDICT_OF[result.status]
    if result.status == "equal":
        text = f"{what}: an exact identity"
    elif result.status == "different":
        text = (f"{what} is false: at {point_text(variables, result.point)} the difference "
                f"(computed − stated) is {result.difference}")
    elif result.status == "close":
        text = (f"{what}: equal to {result.digits} digits at every sample point, at two "
                "precisions (no exact identity found)")
    else:
        text = f"{what}: not decided (the difference could not be evaluated)"
    ev.finding(text, verdict, result.method, detail)


@dataclass(frozen=True, eq=False)
class ModifiedFieldExpectation(Expectation):
    """The order-``order`` field F_n of the modified equation of GD on ``objective``
    equals ``equals`` (one expression per coordinate)."""

    kind = "modified-field"
    objective: Objective
    order: int
    equals: tuple

    def describe(self) -> str:
        return (f"F_{self.order} of the modified equation of GD on f = {self.objective.expr} "
                f"is ({', '.join(map(show, self.equals))})")

    def evaluate(self, ev, ctx) -> None:
        ctx.progress(f"modified equation to order {self.order}")
        me = _modified(self.objective, self.order)
        field = me.fields[self.order]
        ev.precision = "exact (rational coefficients)"
        ev.formula(f"F_{self.order} (computed)", r"F_{%d} = \left(%s\right)" % (
            self.order, ", ".join(sp.latex(c) for c in field)))
        for i, c in enumerate(field):
            ev.exact(f"F{self.order}[{i}]", canonical(c), "computed component")
        diffs = [compare(c, s, self.objective.vars) for c, s in zip(field, self.equals)]
        worst = next((d for d in diffs if d.status == "different"), None) or \
            next((d for d in diffs if d.status == "undecided"), None) or \
            next((d for d in diffs if d.status == "close"), diffs[0])
        _comparison_finding(ev, f"F_{self.order} equals the stated field", worst,
                            self.objective.vars,
                            f"computed: F_{self.order} = ({', '.join(map(show, field))})")


@dataclass(frozen=True, eq=False)
class ModifiedPotentialExpectation(Expectation):
    """The order-``order`` term f_n of the modified potential of GD on ``objective``
    (F_n = −∇f_n) equals ``equals``, up to an additive constant."""

    kind = "modified-potential"
    objective: Objective
    order: int
    equals: sp.Expr

    def describe(self) -> str:
        return (f"f_{self.order} of the modified potential of GD on f = "
                f"{self.objective.expr} is {show(self.equals)} (up to a constant)")

    def evaluate(self, ev, ctx) -> None:
        ctx.progress(f"modified equation to order {self.order}")
        obj, n = self.objective, self.order
        me = _modified(obj, n)
        ev.precision = "exact (rational coefficients)"
        if not me.is_gradient(n):
            curl = me.curl(n)
            ev.exact("gradient", False, f"F_{n} is a gradient")
            ev.finding(f"There is no potential of order {n}: F_{n} is not a gradient "
                       f"(curl components {', '.join(f'{k}: {show(v)}' for k, v in curl.items())})",
                       "refuted", "symbolic")
            return
        potential = me.potential(n)
        ev.formula(f"f_{n} (computed)", f"f_{{{n}}} = {sp.latex(potential)}")
        ev.exact(f"f{n}", canonical(potential), "computed, up to an additive constant")
        stated_field = [-sp.diff(self.equals, v) for v in obj.vars]
        diffs = [compare(c, s, obj.vars) for c, s in zip(me.fields[n], stated_field)]
        worst = next((d for d in diffs if d.status != "equal"), diffs[0])
        detail = f"computed: f_{n} = {show(potential)}"
        if worst.status == "equal":
            shift = sp.simplify(potential - self.equals)
            if shift != 0:
                detail += f" (differs from the stated one by the constant {show(shift)})"
        _comparison_finding(ev, f"f_{n} equals the stated potential up to a constant "
                                f"(compared through −∇: F_{n} = −∇(stated))", worst,
                            obj.vars, detail)


@dataclass(frozen=True, eq=False)
class ModifiedGradientExpectation(Expectation):
    """The order-``order`` field of the modified equation of GD on ``objective`` is a
    gradient (``gradient`` True) or is not (False), decided exactly (its curl)."""

    kind = "modified-gradient"
    objective: Objective
    order: int
    gradient: bool = True

    def describe(self) -> str:
        return (f"F_{self.order} of the modified equation of GD on f = {self.objective.expr} "
                f"is {'' if self.gradient else 'not '}a gradient")

    def evaluate(self, ev, ctx) -> None:
        me = _modified(self.objective, self.order)
        n = self.order
        is_gradient = me.is_gradient(n)
        curl = {} if is_gradient else me.curl(n)
        ev.precision = "exact (rational coefficients)"
        ev.exact("gradient", is_gradient, f"F_{n} is a gradient")
        detail = "curl ≡ 0" if is_gradient else \
            "curl: " + ", ".join(f"∂_{i}F_{j} − ∂_{j}F_{i} = {show(v)}"
                                 for (i, j), v in curl.items())
        ev.finding(f"F_{n} is {'' if is_gradient else 'not '}a gradient field",
                   "proved" if is_gradient == self.gradient else "refuted", "symbolic",
                   detail)


def _order(order) -> int:
    return int_arg("order", order, 0, MAX_ORDER)


def modified_field(objective, vars=None, *, order, equals) -> ModifiedFieldExpectation:
    """Expect the order-``order`` field F_n of the modified equation of GD on
    ``objective`` to equal ``equals`` (a list with one expression per variable; one
    expression for one variable)."""
    obj = objective_arg(objective, vars)
    return ModifiedFieldExpectation(obj, _order(order),
                                    exprs_arg("equals", equals, obj.vars, obj.dim))


def modified_potential(objective, vars=None, *, order, equals) -> ModifiedPotentialExpectation:
    """Expect the order-``order`` potential f_n (F_n = −∇f_n, f_0 = f) of GD on
    ``objective`` to equal ``equals`` up to an additive constant."""
    obj = objective_arg(objective, vars)
    return ModifiedPotentialExpectation(obj, _order(order),
                                        expr_arg("equals", equals, obj.vars))


def modified_gradient(objective, vars=None, *, order, gradient=True
                      ) -> ModifiedGradientExpectation:
    """Expect the order-``order`` field of the modified equation of GD on ``objective``
    to be a gradient (``gradient=True``) or not (False)."""
    obj = objective_arg(objective, vars)
    return ModifiedGradientExpectation(obj, _order(order), bool_arg("gradient", gradient))
