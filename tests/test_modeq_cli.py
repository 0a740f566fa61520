"""`lrtheory modeq`: the JSON contract, potentials, errors (exit codes)."""
from __future__ import annotations

import json

import sympy as sp
from sympy.parsing.sympy_parser import parse_expr

from lrtheory.cli import main
from lrtheory.modeq import modified_equation
from lrtheory.objectives import Objective


def run(capsys, *argv):
    code = main(["modeq", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract_and_round_trip(capsys):
    code, out, err = run(capsys, "(1 - x*y)**2/2", "--vars", "x,y", "--order", "3",
                         "--format", "json", "--json-exact", "--potential")
    assert code == 0
    doc = json.loads(out)
    assert doc["type"] == "ModifiedEquation" and doc["order"] == 3
    assert [v["text"] for v in doc["variables"]] == ["x", "y"]
    assert doc["gradient"] == [True, True, False, False]
    assert doc["potentials"][2] is None and doc["potentials"][3] is None
    assert doc["coordinate_free"] is None
    assert "not a gradient" in err and "F_2" in err
    me = modified_equation(Objective("(1 - x*y)**2/2", "x,y"), 3)
    for n, comps in enumerate(doc["fields"]):
        back = [parse_expr(c["text"]) for c in comps]  # the text is plain sympy syntax
        want = [e.subs({v: sp.Symbol(v.name) for v in me.vars}) for e in me.fields[n]]
        assert all(sp.expand(a - b) == 0 for a, b in zip(back, want))
    x, y = sp.symbols("x y")
    f1 = parse_expr(doc["potentials"][1]["text"])
    quarter = ((x * y - 1) ** 2 * (x**2 + y**2)) / 4
    assert sp.expand(f1 - quarter).free_symbols == set()


def test_tensor_form_json(capsys):
    code, out, _ = run(capsys, "x**3*y + y**2", "--vars", "x,y", "--order", "2",
                       "--form", "tensor", "--format", "json", "--json-exact")
    doc = json.loads(out)
    assert code == 0
    form = doc["coordinate_free"]
    assert form["dimension"] == 2
    assert parse_expr(form["fields"][2]) == parse_expr("-H(H(g))/3 - T(g, g)/12")
    code, out, _ = run(capsys, "sin(x)", "--vars", "x", "--order", "1", "--form", "tensor",
                       "--format", "json", "--json-exact")
    assert json.loads(out)["coordinate_free"]["fields"][1]["text"] == "-f_x*f_xx/2"


def test_text_and_latex(capsys):
    code, out, _ = run(capsys, "log(cosh(x))", "--vars", "x", "--order", "2", "--potential")
    assert code == 0 and out.count("F_") == 3 and "f_1 =" in out
    code, out, _ = run(capsys, "x**2/2 + y**2", "--vars", "x,y", "--order", "1",
                       "--form", "tensor", "--format", "latex")
    assert code == 0 and r"-\frac{1}{2} H g" in out


def test_bad_input_exit_two(capsys):
    for argv in (["x+", "--vars", "x"], ["x**2", "--vars", "x", "--order", "-1"],
                 ["z**2", "--vars", "x"], ["x**2", "--vars", "x", "--order", "201"],
                 ["log(cosh(x))", "--vars", "x", "--order", "31"]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_field_text_from_flint_is_sympys_text(capsys):
    """The text of the fields written from the FLINT polynomials is sympy's ``str`` of the
    same fields, term for term — in 2 and 3 variables, with negative leading terms and
    constants; one variable or unsorted names fall back to sympy's printer."""
    from lrtheory.modeq import poly
    from lrtheory.objectives import Objective
    cases = [("(1 - x*y)**2/2", "x,y", 9), ("x**2*y**2/2 + x - y + 3", "x,y", 6),
             ("(a*b*c - 1)**2/2 + a**3/3 - 5*c", "a,b,c", 4), ("(1 - x*y)**2/2", "y,x", 4),
             ("x**4/4 - x**3 + 5", "x", 6)]
    for expr, names, order in cases:
        fast = modified_equation(Objective(expr, names), order)
        texts = [fast.field_text(n) for n in range(order + 1)]
        slow = modified_equation(Objective(expr, names), order)
        assert texts == [tuple(str(c) for c in F) for F in slow.fields], (expr, names)
        assert "fields" not in fast.__dict__ or names in ("y,x", "x")
    ctx = poly.context(("x", "y"))
    assert poly.to_str(ctx.from_dict({(1, 0): 1}), ("x",)) is None
    assert poly.to_str(ctx.from_dict({(1, 0): 1}), ("y", "x")) is None
    assert poly.to_str(ctx.from_dict({}), ("x", "y")) == "0"
    assert poly.to_str(ctx.from_dict({(0, 0): -3}), ("x", "y")) == "-3"
    code, out, _ = run(capsys, "(1 - x*y)**2/2", "--vars", "x,y", "--order", "3")
    me = modified_equation(Objective("(1 - x*y)**2/2", "x,y"), 3)
    assert code == 0 and f"F_3 = ({', '.join(str(c) for c in me.fields[3])})" in out
