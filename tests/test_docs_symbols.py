"""The documented way to get symbols that match lrtheory's (README "Symbols", docs
guide/symbols.md): lrtheory writes every expression built from variable *names* in real
symbols, ``sympy.Symbol(name, real=True)``; ``lrtheory.symbols``, ``result.variables``,
``result.symbol(name)`` and ``Objective.variables`` give them, and an Objective built from
the user's own symbols keeps them."""
import pytest
import sympy as sp

import lrtheory
from lrtheory import InputError, Objective
from lrtheory.modeq import modified_equation


def _minus_gradient(f, variables):
    """F_0 = -grad f, computed here by sympy (independently of lrtheory)."""
    return tuple(-sp.diff(f, v) for v in variables)


def test_a_plain_symbol_is_a_different_symbol():
    me = modified_equation("(1 - x*y)**2/2", 1, variables="x,y")
    x_plain = sp.Symbol("x")
    assert x_plain not in me.fields[0][0].free_symbols
    assert sp.diff(me.fields[0][0], x_plain) == 0      # the pitfall the docs warn about


def test_lrtheory_symbols_match_the_results():
    x, y = lrtheory.symbols("x y")
    assert (x, y) == lrtheory.symbols("x,y") == sp.symbols("x y", real=True)
    me = modified_equation("(1 - x*y)**2/2", 1, variables="x,y")
    assert me.variables == (x, y) and me.symbol("y") == y
    f = (1 - x * y) ** 2 / 2
    assert tuple(sp.expand(c) for c in me.fields[0]) == \
        tuple(sp.expand(c) for c in _minus_gradient(f, (x, y)))
    assert sp.diff(me.fields[0][0], x) == -y**2        # d/dx (y - x y²)
    assert sp.expand(me.potential(1) - sum(g**2 for g in _minus_gradient(f, (x, y))) / 4) == 0


def test_an_objective_of_the_users_own_symbols_keeps_them():
    x, y = sp.symbols("x y")                            # no assumptions
    obj = Objective((1 - x * y) ** 2 / 2, (x, y))
    assert obj.variables == (x, y) and obj.symbol("x") is x
    me = modified_equation(obj, 1)
    assert me.variables == (x, y)
    assert sp.expand(me.fields[0][0] - (y - x * y**2)) == 0


def test_objective_from_names_uses_lrtheory_symbols():
    obj = Objective("x**3/3 - x", "x")
    (x,) = lrtheory.symbols("x")
    assert obj.variables == (x,) and obj.symbol("x") == x
    assert obj.gradient == (x**2 - 1,)


def test_unknown_or_reserved_names_are_input_errors():
    with pytest.raises(InputError, match="no variable 'z'"):
        Objective("x**2", "x").symbol("z")
    with pytest.raises(InputError):
        lrtheory.symbols("x I")
