"""The modified equation of GD for a given objective, to any order (BLOG-4, BLOG-5).

``modified_equation(f, N)`` returns a :class:`ModifiedEquation`: the fields
``F_0 = −∇f, F_1, …, F_N`` such that the time-``h`` flow of ``F_0 + hF_1 + … + h^N F_N``
agrees with one GD step up to ``O(h^{N+2})``, with exact rational coefficients, and
whether each is a gradient.

Representation: the Lie-series recursion runs on python-flint polynomials.  An objective
that is a polynomial with rational coefficients is handled in ``Q[x_1, …, x_n]``; any other
objective (sin, exp, log cosh, …) through the universal fields in the ring of jets
(:mod:`lrtheory.modeq.jets`), into which the derivatives of ``f`` are substituted.  sympy
expressions are made only when the fields are read (display, LaTeX, JSON).

Potentials ``f_n`` with ``F_n = −∇f_n`` (each determined up to an additive constant):

* polynomial ``f``: the homotopy formula ``f_n(x) = −∫₀¹ F_n(tx)·x dt``, term by term
  (so ``f_n(0) = 0`` for ``n ≥ 1``);
* orders 0 and 1, any ``f``: the universal potentials ``f`` and ``‖∇f‖²/4`` (polynomials in
  the jets found by exact antiderivation in the jet ring, :mod:`lrtheory.modeq.jets`);
* one dimension, order ≥ 2: ``−∫F_n dx`` in closed form when the derivatives of ``f`` lie in
  one of the differential algebras of :mod:`lrtheory.modeq.integration` (``log cosh x``,
  ``e^{−x²}``, …; no constant term in its generators, e.g. ``tanh x``); otherwise the
  universal part of the antiderivative exactly and the rest by sympy's ``integrate``;
* several dimensions, order ≥ 2, non-polynomial ``f``: sympy's ``integrate``.

Every call of sympy's ``integrate`` runs under a time budget (``budget`` seconds, default
:data:`DEFAULT_BUDGET`); past it, :class:`ComputationError`.
"""
from __future__ import annotations

import dataclasses
import time
from functools import lru_cache

import sympy as sp

from ..aliases import lr_keyword
from ..errors import InputError
from ..objectives import Objective
from ..parsing import check_differentiable, to_expr
from ..results import Result, result
from . import poly
from .bseries import tensor_field
from .integration import DifferentialAlgebra, differential_algebra, structured_potential
from .jets import JetRing
from .latex import field_latex, potential_latex, tensor_field_latex
from .lie_series import lie_series_fields
from .structure import (NotGradientError, curl, homotopy_split, integrated_potential,
                        is_identically_zero)

#: Largest truncation order accepted.  For a polynomial objective the fields are computed
#: on FLINT polynomials within a time budget (``budget`` of :func:`modified_equation`), which
#: is what limits the order in practice; the universal (jet) fields of a non-polynomial
#: objective and the coordinate-free forms stop at :data:`MAX_UNIVERSAL_ORDER`.
MAX_ORDER = 200
#: Largest order of the universal fields (jets) and of the coordinate-free forms.
MAX_UNIVERSAL_ORDER = 30
#: Seconds allowed to sympy's ``integrate`` for one potential (see the module docstring).
DEFAULT_BUDGET = 30.0
H = sp.Symbol("h", positive=True)


# ---- universal (jet) fields and potentials --------------------------------------------------
@lru_cache(maxsize=None)
def universal_fields(names: tuple, order: int) -> tuple[JetRing, list[list]]:
    """The modified fields of an arbitrary ``f`` of the coordinates ``names``, as
    differential polynomials in its jets (Lie-series recursion; the lists are shared, do
    not modify them)."""
    check_order(order, MAX_UNIVERSAL_ORDER)
    J = JetRing(names, order + 2)  # F_N uses jets up to N + 1; its curl one more
    return J, lie_series_fields([-g for g in J.gradient], order, J.d, J.zero)


@lru_cache(maxsize=None)
def universal_reduction(names: tuple, order: int, n: int) -> tuple:
    """``(R, rest)`` with ``F_{n,1} = ∂_1 R + rest`` (jet polynomials; antiderivation in the
    jet ring, :meth:`JetRing.reduce`)."""
    J, fields = universal_fields(tuple(names), order)
    return J.reduce(fields[n][0], 0)


@lru_cache(maxsize=None)
def universal_potential(names: tuple, order: int, n: int):
    """``φ_n`` (a jet polynomial) with ``F_n = −∇φ_n`` for every smooth ``f`` of the
    coordinates ``names``, or None when ``F_n`` is not a universal gradient (from order 2
    on).  Found by antiderivation in the jet ring (no integration of functions), checked
    exactly."""
    J, fields = universal_fields(tuple(names), order)
    R, rest = universal_reduction(tuple(names), order, n)
    if not rest.is_zero() or any(J.d(R, i) != F for i, F in enumerate(fields[n])):
        return None
    return -R


def one_dimensional_form(order: int, name: str = "x") -> list[sp.Expr]:
    """1-D coordinate-free form: F_n as a polynomial in ``f_x, f_xx, …`` (n = 0..order)."""
    J, fields = universal_fields((name,), check_order(order))
    return [J.as_expr(F[0]) for F in fields]


def check_order(order, limit: int = MAX_ORDER) -> int:
    """Validate the truncation order N (an integer 0 ≤ N ≤ ``limit``)."""
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= limit:
        raise InputError(f"order must be an integer between 0 and {limit}, got {order!r}"
                         + ("" if limit == MAX_ORDER else
                            " (orders above it only for polynomial objectives, explicit form)"))
    return order


def is_rational_polynomial(expr: sp.Expr, variables) -> bool:
    """Whether ``expr`` is a polynomial in ``variables`` with rational coefficients."""
    if not expr.is_polynomial(*variables):
        return False
    return sp.Poly(expr, *variables).domain in (sp.ZZ, sp.QQ)


def _partial(p, i: int):
    return p.derivative(i)


# ---- the computation ------------------------------------------------------------------------
class ModifiedFields:
    """The exact computation behind a :class:`ModifiedEquation` (python-flint polynomials;
    not a result: it holds python-flint objects).  ``polynomial`` says which ring is used."""

    def __init__(self, expr: sp.Expr, variables: tuple, order: int,
                 budget: float | None = None):
        self.expr, self.vars, self.order = expr, tuple(variables), check_order(order)
        self.names = tuple(v.name for v in self.vars)
        self.polynomial = is_rational_polynomial(expr, self.vars)
        self._curls: dict[int, dict] = {}
        self._jet_values = None
        self._algebra = False  # not looked for yet
        if self.polynomial:
            self.ctx = poly.context(self.names)
            f = poly.from_expr(expr, self.vars, self.ctx)
            F0 = [-f.derivative(i) for i in range(len(self.vars))]
            deadline = None if budget is None else time.monotonic() + budget
            self.ring_fields = lie_series_fields(F0, order, _partial, poly.zero(self.ctx),
                                                 deadline)
        else:
            self.jets, self.jet_fields = universal_fields(self.names, order)

    @property
    def jet_values(self) -> dict:
        """``{f_α: ∂^α f}`` for the concrete objective (sympy)."""
        if self._jet_values is None:
            values = self.jets.substitution(self.expr, self.vars)
            check_differentiable(values.values(), str(self.expr))
            self._jet_values = values
        return self._jet_values

    @property
    def algebra(self) -> DifferentialAlgebra | None:
        """The differential algebra of the derivatives of a one-dimensional ``f``
        (:mod:`lrtheory.modeq.integration`), or None."""
        if self._algebra is False:
            self._algebra = differential_algebra(self.expr, self.vars[0]) \
                if len(self.vars) == 1 and not self.polynomial else None
        return self._algebra

    def to_expr(self, p) -> sp.Expr:
        """A polynomial of the computation as a sympy expression in the coordinates."""
        if self.polynomial:
            return poly.to_expr(p, self.vars)
        return self.jets.evaluate(p, self.jet_values)

    def field(self, n: int) -> tuple[sp.Expr, ...]:
        src = self.ring_fields if self.polynomial else self.jet_fields
        return tuple(self.to_expr(c) for c in src[n])

    def curl(self, n: int) -> dict:
        """Non-vanishing curl components ``{(i, j): ∂_i F_j − ∂_j F_i}`` (sympy)."""
        if n not in self._curls:
            self._curls[n] = self._compute_curl(n)
        return dict(self._curls[n])

    def is_gradient(self, n: int) -> bool:
        """Whether ``F_n`` is a gradient: for a polynomial ``f`` every curl component is
        zero as an ``fmpq_mpoly`` (decided in FLINT, no sympy conversion); otherwise no
        curl component survives :meth:`curl`."""
        if n in self._curls or not self.polynomial:
            return not self.curl(n)
        return all(c.is_zero() for c in curl(self.ring_fields[n], _partial).values())

    def _compute_curl(self, n: int) -> dict:
        if self.polynomial:
            return {k: self.to_expr(c) for k, c in
                    curl(self.ring_fields[n], _partial).items() if not c.is_zero()}
        out = {}
        for k, c in curl(self.jet_fields[n], self.jets.d).items():
            if not c.is_zero():
                e = self.to_expr(c)
                if not is_identically_zero(e, self.vars):
                    out[k] = e
        return out

    def potential(self, n: int, budget: float) -> sp.Expr:
        """``f_n`` with ``F_n = −∇f_n`` (module docstring); :class:`NotGradientError` when
        ``F_n`` is not a gradient, :class:`ComputationError` when the budget runs out."""
        c = self.curl(n)
        if c:
            raise NotGradientError(n, c, self.vars)
        if n == 0:
            return self.expr
        if self.polynomial:
            return self.to_expr(homotopy_split(self.ring_fields[n], self.ctx)[0])
        phi = universal_potential(self.names, self.order, n)
        if phi is not None:
            return self.to_expr(phi)
        if len(self.vars) > 1:
            return integrated_potential(self.field(n), self.vars, budget)
        return self._one_dimensional_potential(n, budget)

    def _one_dimensional_potential(self, n: int, budget: float) -> sp.Expr:
        """``f_n = −∫F_n dx``: in closed form in the differential algebra of ``f`` when there
        is one, else ``−R − ∫rest dx`` after the universal reduction, the integral by sympy
        within the budget."""
        if self.algebra is not None:
            out = structured_potential(self.jet_fields[n][0], len(self.jets.symbols),
                                       self.algebra)
            if out is not None:
                return out
        R, rest = universal_reduction(self.names, self.order, n)
        return self.to_expr(-R) + integrated_potential((self.to_expr(rest),), self.vars, budget)

    def gradient_split(self, n: int) -> tuple[sp.Expr, tuple[sp.Expr, ...]]:
        if not self.polynomial:
            raise InputError("the gradient/remainder split needs a polynomial objective")
        phi, R = homotopy_split(self.ring_fields[n], self.ctx)
        return self.to_expr(phi), tuple(self.to_expr(r) for r in R)


# ---- results --------------------------------------------------------------------------------
@result
class CoordinateFreeForm(Result):
    """The modified fields of GD for every smooth ``f``, without coordinates.

    ``fields[n]`` is ``F_n`` for ``n = 0 … order``: for ``dimension`` 1 a sympy polynomial in
    the jets ``f_x, f_xx, …`` of the coordinate ``variable``; for ``dimension ≥ 2`` the text
    of a sum of contractions of ``g = ∇f``, ``H = ∇²f``, ``T = ∇³f``, ``D4 = ∇⁴f``, … such as
    ``"-H(H(g))/3 - T(g, g)/12"`` (sympy syntax with undefined functions H, T, D4, …)."""

    dimension: int
    order: int
    variable: str
    fields: tuple

    def latex_lines(self) -> list[str]:
        """``F_{n} = …`` for every order."""
        if self.dimension == 1:
            return [f"F_{{{n}}} = {sp.latex(F)}" for n, F in enumerate(self.fields)]
        return [f"F_{{{n}}} = {tensor_field_latex(n)}" for n in range(self.order + 1)]

    def latex(self) -> str:
        return _gathered(self.latex_lines())


def coordinate_free_form(order: int, variables) -> CoordinateFreeForm:
    """:class:`CoordinateFreeForm` of order ``order`` (at most :data:`MAX_UNIVERSAL_ORDER`)
    for coordinates ``variables``."""
    check_order(order, MAX_UNIVERSAL_ORDER)
    names = [str(v) for v in variables]
    if len(names) == 1:
        return CoordinateFreeForm(1, order, names[0], tuple(one_dimensional_form(order, names[0])))
    return CoordinateFreeForm(len(names), order, "",
                              tuple(str(tensor_field(n)) for n in range(order + 1)))


class _Unset:
    def __repr__(self):
        return "<computed on first use>"


_UNSET = _Unset()
_LAZY = ("fields", "gradient")


@result
class ModifiedEquation(Result):
    """The modified equation of GD on ``objective`` truncated at order ``order``.

    Fields
    ------
    objective : sympy expression of ``f``.
    variables : the coordinates, sympy Symbols: those of the :class:`Objective` given, or
        for a text objective ``sp.symbols(names, real=True)``.  A plain ``sp.Symbol("x")``
        is a *different* symbol; to compare or substitute use ``x, y = me.variables``
        (or ``me.symbol("x")``, or ``sp.symbols("x y", real=True)``).
    order : the truncation order ``N`` (0 ≤ N ≤ MAX_ORDER).
    fields : ``(F_0, …, F_N)``, each a tuple of sympy expressions (one per coordinate) with
        exact rational coefficients: ``ẋ = F_0 + hF_1 + … + h^N F_N`` reproduces one GD step
        ``x ↦ x − h∇f(x)`` up to ``O(h^{N+2})``.
    gradient : ``(bool, …)``: whether ``F_n`` is a gradient (curl ≡ 0, decided exactly).
    potentials : None (not computed), or ``(f_0, …, f_N)`` with ``F_n = −∇f_n`` (``f_0 = f``),
        None at the orders that are not gradients; each up to an additive constant (module
        docstring of :mod:`lrtheory.modeq.field` for the normalisation).
    coordinate_free : None, or the :class:`CoordinateFreeForm` of the same fields.

    ``fields`` and ``gradient`` are computed on first use (the recursion itself runs in
    :func:`modified_equation`, on python-flint polynomials; sympy expressions are made when
    they are read).  Methods: :meth:`potential`, :meth:`curl`, :meth:`is_gradient`,
    :meth:`gradient_split`, :meth:`modified_potential`, :meth:`latex`."""

    objective: sp.Expr
    variables: tuple
    order: int
    fields: tuple = dataclasses.field(default_factory=lambda: _UNSET)
    gradient: tuple = dataclasses.field(default_factory=lambda: _UNSET)
    potentials: tuple | None = None
    coordinate_free: CoordinateFreeForm | None = None

    _repr_skip = ("fields",)

    def __post_init__(self):
        put = object.__setattr__
        put(self, "objective", to_expr(self.objective, tuple(self.variables), "objective"))
        put(self, "variables", tuple(self.variables))
        if not self.variables or not all(isinstance(v, sp.Symbol) for v in self.variables):
            raise InputError("variables must be sympy Symbols (at least one)")
        check_order(self.order)
        for name in _LAZY:
            if self.__dict__[name] is _UNSET:
                object.__delattr__(self, name)
        if self.potentials is not None:
            put(self, "potentials", tuple(self.potentials))

    def __getattr__(self, name):
        """Values computed on first use: the lazy fields and private caches."""
        make = {"fields": self._make_fields, "gradient": self._make_gradient,
                "_engine": self._make_engine, "_model": self._make_model}.get(name)
        if make is None:
            raise AttributeError(name)
        value = make()
        object.__setattr__(self, name, value)
        return value

    def __getstate__(self):
        return {f.name: self.__dict__[f.name] for f in dataclasses.fields(self)
                if f.name in self.__dict__}

    def __setstate__(self, state):
        for k, v in state.items():
            object.__setattr__(self, k, v)

    def _make_engine(self) -> ModifiedFields:
        return ModifiedFields(self.objective, self.variables, self.order)

    def _make_fields(self) -> tuple:
        return tuple(self._engine.field(n) for n in range(self.order + 1))

    def _make_gradient(self) -> tuple:
        return tuple(self._engine.is_gradient(n) for n in range(self.order + 1))

    # -- views ------------------------------------------------------------------------
    def field_text(self, n: int) -> tuple[str, ...]:
        """``str()`` of each component of F_n: written from the exact FLINT polynomials
        when the fields were computed here and print the same (:func:`poly.to_str`; no
        sympy expression is made — at order 20 of (1 − xy)²/2 about 500 times faster than
        printing them), else from :attr:`fields`."""
        engine = self.__dict__.get("_engine")
        if engine is not None and engine.polynomial and "fields" not in self.__dict__:
            texts = [poly.to_str(c, engine.names) for c in engine.ring_fields[self._check_n(n)]]
            if None not in texts:
                return tuple(texts)
        return tuple(str(c) for c in self.fields[n])

    @property
    def vars(self) -> tuple:
        """Alias of :attr:`variables`."""
        return self.variables

    def symbol(self, name: str) -> sp.Symbol:
        """The coordinate called ``name`` (the symbol the fields are written in)."""
        from ..parsing import symbol_named
        return symbol_named(self.variables, name)

    @property
    def polynomial(self) -> bool:
        """Whether ``f`` is a polynomial with rational coefficients (coordinate ring)."""
        return is_rational_polynomial(self.objective, self.variables)

    @property
    def model(self) -> Objective:
        """The objective as an :class:`Objective` (compiled evaluators, GD map)."""
        return self._model

    def _make_model(self) -> Objective:
        params = sorted(self.objective.free_symbols - set(self.variables), key=str)
        return Objective(self.objective, self.variables, params=params)

    # -- gradient structure -----------------------------------------------------------
    def _check_n(self, n) -> int:
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= self.order:
            raise InputError(f"order n must be an integer from 0 to {self.order}, got {n!r}")
        return n

    def curl(self, n: int) -> dict:
        """Non-vanishing curl components ``{(i, j): ∂_i F_j − ∂_j F_i}`` of ``F_n``."""
        return self._engine.curl(self._check_n(n))

    def is_gradient(self, n: int) -> bool:
        """Exact decision whether ``F_n`` is a gradient field."""
        if "gradient" in self.__dict__:
            return self.gradient[self._check_n(n)]
        return self._engine.is_gradient(self._check_n(n))

    def potential(self, n: int, budget: float | None = None) -> sp.Expr:
        """``f_n`` with ``F_n = −∇f_n`` (``f_0 = f``).  Raises :class:`NotGradientError`
        (carrying the curl) when ``F_n`` is not a gradient, :class:`ComputationError` when
        a potential that needs sympy's ``integrate`` (module docstring) is not found within
        ``budget`` seconds (None: :data:`DEFAULT_BUDGET`)."""
        self._check_n(n)
        if self.potentials is not None and self.potentials[n] is not None:
            return self.potentials[n]
        return self._engine.potential(n, _budget(budget))

    def gradient_split(self, n: int) -> tuple[sp.Expr, tuple[sp.Expr, ...]]:
        """``(φ, R)`` with ``F_n = −∇φ + R``, ``R·x ≡ 0`` (homotopy operator; polynomial
        objectives), ``R ≡ 0`` exactly when ``F_n`` is a gradient."""
        return self._engine.gradient_split(self._check_n(n))

    @lr_keyword
    def modified_potential(self, lr=H, budget: float | None = None) -> sp.Expr:
        """``f + h f_1 + … + h^N f_N`` at h = ``lr`` (default the symbol h); raises
        :class:`NotGradientError` at the first order that is not a gradient."""
        return sp.Add(*[lr**n * self.potential(n, budget) for n in range(self.order + 1)])

    @lr_keyword
    def staged_truncation(self, lr, order: int | None = None) -> tuple[list, tuple, list]:
        """``(exprs, symbols, values)``: ``Σ_{n≤order} h^n F_n`` at h = ``lr``, written in
        intermediate ``symbols`` that stand for ``values`` (expressions in the coordinates).
        For a non-polynomial objective the symbols are the jets of ``f``, so numerical
        evaluation computes each derivative of ``f`` once and then a polynomial (no
        expression swell)."""
        order = self.order if order is None else self._check_n(order)
        dim = len(self.variables)
        engine = self._engine
        if engine.polynomial:
            return [sp.Add(*[lr**n * self.fields[n][i] for n in range(order + 1)])
                    for i in range(dim)], (), []
        J = engine.jets
        exprs = [sp.Add(*[lr**n * J.as_expr(engine.jet_fields[n][i]) for n in range(order + 1)])
                 for i in range(dim)]
        used = tuple(s for s in J.symbols if any(e.has(s) for e in exprs))
        return exprs, used, [engine.jet_values[s] for s in used]

    # -- display ----------------------------------------------------------------------
    def latex_lines(self) -> list[str]:
        """``F_{n} = …`` per order (coordinate-free when :attr:`coordinate_free` is set),
        each followed by ``f_{n} = …`` when the potential is known."""
        if self.coordinate_free is not None:
            lines = self.coordinate_free.latex_lines()
        else:
            lines = [field_latex(n, F) for n, F in enumerate(self.fields)]
        out = []
        for n, line in enumerate(lines):
            out.append(line)
            if self.potentials is not None and self.potentials[n] is not None:
                out.append(potential_latex(n, self.potentials[n]))
        return out

    def latex(self) -> str:
        """All fields (and known potentials) as one LaTeX ``gathered`` block."""
        return _gathered(self.latex_lines())


def _gathered(lines) -> str:
    return r"\begin{gathered}" + r" \\ ".join(lines) + r"\end{gathered}"


def modified_equation(obj, order: int, variables=None, *, potentials: bool = False,
                      coordinate_free: bool = False,
                      budget: float | None = None) -> ModifiedEquation:
    """The modified equation of GD on ``obj`` (an :class:`Objective`, or a sympy expression
    or text with ``variables``) truncated at order ``order``.  The recursion runs here;
    ``potentials=True`` also computes every potential (None where ``F_n`` is not a
    gradient; :class:`ComputationError` if one is not found within ``budget`` seconds,
    None: :data:`DEFAULT_BUDGET`), ``coordinate_free=True`` attaches the
    :class:`CoordinateFreeForm`.  The recursion of a polynomial objective has the same
    ``budget``: past it, :class:`ComputationError` names the order reached."""
    if not isinstance(obj, Objective):
        if variables is None:
            raise InputError("give the variables of the objective, e.g. variables='x,y'")
        obj = Objective(obj, variables)
    budget = _budget(budget)
    engine = ModifiedFields(obj.expr, obj.vars, check_order(order), budget)
    pots = tuple(_potential_or_none(engine, n, budget)
                 for n in range(order + 1)) if potentials else None
    form = coordinate_free_form(order, obj.vars) if coordinate_free else None
    me = ModifiedEquation(obj.expr, obj.vars, order, potentials=pots, coordinate_free=form)
    object.__setattr__(me, "_engine", engine)
    return me


def _budget(budget) -> float:
    """The integration budget in seconds (None: :data:`DEFAULT_BUDGET`), checked."""
    value = DEFAULT_BUDGET if budget is None else budget
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InputError(f"budget must be a positive number of seconds, got {budget!r}")
    return float(value)


def _potential_or_none(engine: ModifiedFields, n: int, budget: float):
    try:
        return engine.potential(n, budget)
    except NotGradientError:
        return None


__all__ = ["CoordinateFreeForm", "DEFAULT_BUDGET", "MAX_ORDER", "MAX_UNIVERSAL_ORDER", "ModifiedEquation",
           "ModifiedFields", "coordinate_free_form", "modified_equation", "one_dimensional_form",
           "universal_fields", "universal_potential", "check_order"]
