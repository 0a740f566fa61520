"""ModifiedEquation and CoordinateFreeForm as lrtheory results: exact JSON round trip,
pickle, display, variables, and the lazily computed fields."""
from __future__ import annotations

import json
import pickle

import pytest
import sympy as sp

from lrtheory.cli import main
from lrtheory.errors import InputError
from lrtheory.modeq import (CoordinateFreeForm, ModifiedEquation, coordinate_free_form,
                            modified_equation)
from lrtheory.results import Result


@pytest.fixture(scope="module")
def factorization():
    return modified_equation("(1 - x*y)**2/2", 3, "x,y", potentials=True,
                             coordinate_free=True)


def test_is_a_frozen_result(factorization):
    me = factorization
    assert isinstance(me, Result)
    with pytest.raises(AttributeError):
        me.order = 4
    assert set(me.to_json()) == {"type", "objective", "variables", "order", "fields",
                                 "gradient", "potentials", "coordinate_free"}


def test_json_round_trip_exact(factorization):
    me = factorization
    text = json.dumps(me.to_json(exact=True))
    back = ModifiedEquation.from_json(text)
    assert back == me and hash(back) == hash(me)
    assert back.fields == me.fields and back.potentials == me.potentials
    assert back.coordinate_free == me.coordinate_free
    assert back.gradient == (True, True, False, False)
    # the round-tripped result still computes: curls come from its objective
    assert sp.expand(back.curl(2)[(0, 1)] - me.curl(2)[(0, 1)]) == 0


def test_non_polynomial_round_trip_and_pickle():
    me = modified_equation("log(cosh(x))", 4, "x", potentials=True)
    assert ModifiedEquation.from_json(me.to_json(exact=True)) == me
    again = pickle.loads(pickle.dumps(me))
    assert again == me and again.potentials[3] == me.potentials[3]


def test_pickle_before_and_after_the_fields_are_read():
    fresh = modified_equation("x**3*y - y**2/3", 3, "x,y")
    lazy = pickle.loads(pickle.dumps(fresh))  # nothing computed yet travels
    assert "fields" not in lazy.__dict__
    assert lazy == fresh  # comparing computes both
    assert pickle.loads(pickle.dumps(fresh)).fields == fresh.fields


def test_construct_directly_computes_lazily():
    x, y = sp.symbols("x y", real=True)
    me = ModifiedEquation((1 - x * y) ** 2 / 2, (x, y), 2)
    assert me == modified_equation("(1 - x*y)**2/2", 2, "x,y")
    with pytest.raises(InputError):
        ModifiedEquation(x**2, ("x",), 1)
    with pytest.raises(InputError):
        ModifiedEquation(x**2, (x,), 201)


def test_repr_html_and_latex(factorization):
    me = factorization
    text = repr(me)
    assert text.startswith("ModifiedEquation(objective=(-x*y + 1)**2/2")
    assert "object at 0x" not in text and "gradient=[True, True, False, False]" in text
    html = me._repr_html_()
    assert html.startswith("<table>") and "gradient" in html
    latex = me.latex()
    assert latex.startswith(r"\begin{gathered}") and "F_{0} = -g" in latex
    assert "f_{1} = " in latex  # the known potentials follow their fields
    assert me._repr_latex_() == rf"$\displaystyle {latex}$"
    explicit = modified_equation("x**2/2", 1, "x")
    assert r"F_{1} = \left[\begin{matrix}- \frac{x}{2}\end{matrix}\right]" in explicit.latex()


def test_variables_are_real_symbols_and_how_to_match_them():
    """Documented: the fields are written in me.variables (real=True for a text objective);
    use them, me.symbol(name) or sympy.symbols(names, real=True)."""
    me = modified_equation("x**2*y/2", 1, "x,y")
    x, y = me.variables
    assert me.fields[0] == (-x * y, -x**2 / 2)
    assert (x, y) == sp.symbols("x y", real=True) and me.symbol("y") is y
    plain = sp.Symbol("x")
    assert plain != x and not me.fields[0][0].has(plain)
    with pytest.raises(InputError):
        me.symbol("z")
    # an Objective built on plain symbols keeps them
    px, py = sp.symbols("x y")
    assert modified_equation(px**2 * py / 2, 0, (px, py)).fields[0] == (-px * py, -px**2 / 2)


def test_coordinate_free_form_result():
    one = coordinate_free_form(2, ["x"])
    fx, fxx, fxxx = sp.symbols("f_x f_xx f_xxx", real=True)
    assert one.fields[2] == -fx**2 * fxxx / 12 - fx * fxx**2 / 3
    two = coordinate_free_form(2, ["x", "y"])
    assert two.fields == ("-g", "-H(g)/2", "-H(H(g))/3 - T(g, g)/12")
    for form in (one, two):
        assert CoordinateFreeForm.from_json(json.loads(json.dumps(form.to_json(exact=True)))) == form
    assert r"-\frac{1}{2} H g" in two.latex()


def test_cli_json_is_to_json(capsys):
    code = main(["modeq", "(1 - x*y)**2/2", "--vars", "x,y", "--order", "3", "--format",
                 "json", "--json-exact", "--potential", "--form", "tensor"])
    out, err = capsys.readouterr()
    assert code == 0 and "F_2" in err
    back = ModifiedEquation.from_json(out)
    assert back == modified_equation("(1 - x*y)**2/2", 3, "x,y", potentials=True,
                                     coordinate_free=True)
