"""The objective model: one sympy expression, its exact derivatives, and the GD map.

An :class:`Objective` holds ``f`` as a sympy expression in named real variables, its exact
gradient ``g = ∇f`` and Hessian ``H = ∇²f``.  From the same expressions it compiles
evaluators in float64 (numpy, vectorized over a batch), mpmath (any precision), python-flint
balls (rigorous) and exact rationals, and in each of them the gradient-descent map

    G_h(x) = x − h ∇f(x),      DG_h(x) = I − h ∇²f(x).
"""
from __future__ import annotations

from functools import cached_property
from typing import Sequence

import mpmath
import numpy as np
import sympy as sp
from flint import arb_mat, fmpq, fmpq_mat

from .aliases import lr_keyword
from .errors import InputError
from .evaluators import compile_exprs, to_arb
from .numbers import parameter, to_fmpq  # noqa: F401 (the one conversion, re-exported)
from .parsing import check_differentiable, parse_variables, symbol_named, to_expr


class Objective:
    """An objective ``f: R^n -> R`` given exactly.

    Parameters
    ----------
    expr : sympy expression or str (parsed with the restricted parser)
    variables : symbols, or names such as ``"x,y"``
    name : a label used in reports
    params : symbolic parameters allowed in ``expr`` besides the variables (e.g. ``L`` in
        ``L*x**2/2``); exact calculus works with them, numeric backends need them substituted
    """

    def __init__(self, expr, variables, name: str = "", params=()):
        variables = (variables,) if isinstance(variables, sp.Symbol) else variables
        if isinstance(variables, str) or not all(isinstance(v, sp.Symbol) for v in variables):
            variables = parse_variables(variables if isinstance(variables, str)
                                        else [str(v) for v in variables])
        self.vars: tuple[sp.Symbol, ...] = tuple(variables)
        if not self.vars:
            raise InputError("an objective needs at least one variable")
        self.expr: sp.Expr = to_expr(expr, self.vars, "objective")
        self.params = tuple(params)
        extra = self.expr.free_symbols - set(self.vars) - set(self.params)
        if extra:
            raise InputError(f"objective has undeclared symbols {sorted(map(str, extra))}")
        self.name = name or str(self.expr)

    # ---- exact calculus -------------------------------------------------------------
    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The variables, the symbols ``expr`` and every derived expression are written in:
        real symbols (:func:`lrtheory.symbols`) when given as names, else those given."""
        return self.vars

    def symbol(self, name: str) -> sp.Symbol:
        """The variable called ``name``."""
        return symbol_named(self.vars, name)

    @property
    def dim(self) -> int:
        return len(self.vars)

    @cached_property
    def gradient(self) -> tuple[sp.Expr, ...]:
        """Exact gradient ∇f as a tuple of sympy expressions."""
        g = tuple(sp.diff(self.expr, v) for v in self.vars)
        check_differentiable(g, self.name)
        return g

    @cached_property
    def hessian(self) -> sp.Matrix:
        """Exact Hessian ∇²f as a sympy Matrix."""
        H = sp.Matrix(self.dim, self.dim, lambda i, j: sp.diff(self.gradient[i], self.vars[j]))
        check_differentiable(list(H), self.name)
        return H

    @lr_keyword
    def gd_map_exprs(self, lr) -> tuple[sp.Expr, ...]:
        """G_h(x) = x − h∇f(x) as sympy expressions (``lr`` = h may be a symbol)."""
        return tuple(v - lr * g for v, g in zip(self.vars, self.gradient))

    def subs_point(self, point) -> dict:
        """Map a point (sequence or dict of names/symbols) to a substitution dict."""
        if isinstance(point, dict):
            by_name = {str(k): parameter(v, f"value of {k}") for k, v in point.items()}
            unknown = set(by_name) - {s.name for s in self.vars}
            if unknown:
                raise InputError(f"unknown variables {sorted(unknown)}; "
                                 f"declared: {[s.name for s in self.vars]}")
            missing = [s.name for s in self.vars if s.name not in by_name]
            if missing:
                raise InputError(f"point is missing values for {missing}")
            return {s: by_name[s.name] for s in self.vars}
        pt = list(point)
        if len(pt) != self.dim:
            raise InputError(f"point has {len(pt)} coordinates, objective has {self.dim}")
        return {s: parameter(v, f"value of {s}") for s, v in zip(self.vars, pt)}

    # ---- compiled backends ----------------------------------------------------------
    @cached_property
    def numpy(self) -> "NumpyModel":
        return NumpyModel(self)

    @cached_property
    def mpmath(self) -> "MpmathModel":
        return MpmathModel(self)

    @cached_property
    def arb(self) -> "ArbModel":
        return ArbModel(self)

    @cached_property
    def exact(self) -> "ExactModel":
        return ExactModel(self)

    def __repr__(self):
        return f"Objective({self.expr}, vars={[str(v) for v in self.vars]})"

    # ---- value semantics: equality, hashing, pickling ---------------------------------
    _COMPILED = ("numpy", "mpmath", "arb", "exact", "gd_kernel")

    def _key(self):
        return (self.expr, self.vars, self.params)

    def __eq__(self, other):
        if not isinstance(other, Objective):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __getstate__(self):
        """Pickle the exact model only; compiled evaluators are rebuilt on first use."""
        return {k: v for k, v in self.__dict__.items() if k not in self._COMPILED}

    def __setstate__(self, state):
        self.__dict__.update(state)


class _Model:
    """Compiled f, ∇f, ∇²f of an objective in one arithmetic (shared logic); ∇²f is
    differentiated and compiled on its first use (runs that never read it skip both)."""

    backend = ""

    def __init__(self, obj: Objective):
        if obj.params:
            raise InputError(f"objective has symbolic parameters {list(obj.params)}: "
                             "substitute numbers before numeric evaluation")
        self.obj = obj
        self._f = compile_exprs([obj.expr], obj.vars, self.backend)
        self._g = compile_exprs(obj.gradient, obj.vars, self.backend)

    @cached_property
    def _H(self):
        return compile_exprs(list(self.obj.hessian), self.obj.vars, self.backend)

    def value(self, x):
        return self._f(*x)[0]

    def grad(self, x) -> list:
        return self._g(*x)

    def _hess_entries(self, x) -> list:
        return self._H(*x)

    @lr_keyword
    def gd_step(self, x, lr) -> list:
        """One GD step x − h∇f(x)."""
        return [xi - lr * gi for xi, gi in zip(x, self.grad(x))]


class MpmathModel(_Model):
    """mpmath evaluators at the caller's working precision (``with mpmath.workdps(d)``)."""

    backend = "mpmath"

    def grad(self, x) -> list:
        return [mpmath.mpf(v) for v in self._g(*[mpmath.mpf(c) for c in x])]

    def value(self, x):
        return mpmath.mpf(self._f(*[mpmath.mpf(c) for c in x])[0])

    def hess(self, x) -> mpmath.matrix:
        n = self.obj.dim
        e = self._hess_entries([mpmath.mpf(c) for c in x])
        return mpmath.matrix([[e[i * n + j] for j in range(n)] for i in range(n)])

    @lr_keyword
    def gd_jacobian(self, x, lr) -> mpmath.matrix:
        """DG_h(x) = I − h∇²f(x) (matrix · scalar: mpf · matrix would parse repr(matrix))."""
        return mpmath.eye(self.obj.dim) - self.hess(x) * mpmath.mpf(lr)


class ArbModel(_Model):
    """Rigorous ball evaluators (python-flint ``arb``) at ``flint.ctx.prec`` bits."""

    backend = "arb"

    def grad(self, x) -> list:
        return self._g(*x)

    def value(self, x):
        return self._f(*x)[0]

    def hess(self, x) -> arb_mat:
        n = self.obj.dim
        e = self._hess_entries(x)
        return arb_mat(n, n, e)

    @lr_keyword
    def gd_step(self, x, lr) -> list:
        lr = to_arb(lr)
        return [to_arb(xi) - lr * gi for xi, gi in zip(x, self.grad(x))]

    @lr_keyword
    def gd_jacobian(self, x, lr) -> arb_mat:
        n = self.obj.dim
        return arb_mat(n, n, [1 if i == j else 0 for i in range(n) for j in range(n)]) \
            - to_arb(lr) * self.hess(x)


class ExactModel(_Model):
    """Exact rational evaluators (python-flint ``fmpq``), rational objectives only."""

    backend = "fmpq"

    def grad(self, x) -> list:
        return [fmpq(v) for v in self._g(*[to_fmpq(c) for c in x])]

    def value(self, x):
        return fmpq(self._f(*[to_fmpq(c) for c in x])[0])

    def hess(self, x) -> fmpq_mat:
        n = self.obj.dim
        e = self._hess_entries([to_fmpq(c) for c in x])
        return fmpq_mat(n, n, [fmpq(v) for v in e])

    @lr_keyword
    def gd_step(self, x, lr) -> list:
        lr = to_fmpq(lr)
        return [to_fmpq(xi) - lr * gi for xi, gi in zip(x, self.grad(x))]


class NumpyModel(_Model):
    """float64 evaluators vectorized over a batch: points have shape (..., n)."""

    backend = "numpy"

    def value(self, X):
        X = np.asarray(X, dtype=float)
        return self._f(*np.moveaxis(X, -1, 0))[0]

    def grad(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return np.stack(self._g(*np.moveaxis(X, -1, 0)), axis=-1)

    def hess(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        n = self.obj.dim
        e = np.stack(self._H(*np.moveaxis(X, -1, 0)), axis=-1)
        return e.reshape(e.shape[:-1] + (n, n))

    @lr_keyword
    def gd_step(self, X, lr) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        with np.errstate(all="ignore"):
            return X - lr * self.grad(X)

    @lr_keyword
    def gd_jacobian(self, X, lr) -> np.ndarray:
        H = self.hess(X)
        return np.eye(self.obj.dim) - lr * H

    @lr_keyword
    def run(self, x0, lr, steps: int) -> np.ndarray:
        """GD trajectory from ``x0`` (shape (..., n)); returns shape (steps + 1, ..., n)
        (:func:`lrtheory.gd.run_gd` with ``TRAJECTORY``).  Overflow to inf/nan is kept as
        a result (nan from then on), not raised."""
        from .gd import TRAJECTORY, run_gd
        return run_gd(self.obj, x0, lr, steps, TRAJECTORY).trajectory


@lr_keyword
def gd_orbit_exact(obj: Objective, x0: Sequence, lr, steps: int) -> list[list]:
    """Exact rational GD orbit x_0, …, x_steps (rational objective and data), as fmpq
    (:func:`lrtheory.gd.run_gd` with ``backend="exact"``)."""
    from .gd import TRAJECTORY, run_gd
    run = run_gd(obj, [list(x0)], lr, steps, TRAJECTORY, backend="exact")
    return [[fmpq(c.numerator, c.denominator) for c in x] for x in run.trajectory[0]]
