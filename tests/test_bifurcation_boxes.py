"""The branch and bound over boxes of (x, h) and the method dispatcher, against values
derived by hand:

* GD on x⁴/4 + y⁴/4 − xy: the 2-cycle {(u, v), (v, u)} born at h = 1/2 has a complex pair
  of multipliers of modulus 1 at h = (9 − √17)/8 (derivation in tests/test_continuation.py);
  the fixed point (1, 1) has multipliers 1 − 2h, 1 − 4h (no ±1, and product
  (1 − 2h)(1 − 4h) ≠ 1, for h in [0.58, 0.64]).
* GD on (1 − xy)²/2: the origin has multipliers 1 ± h (a doubling at h = 2); on the
  diagonal x = y = t the map is t ↦ t(1 + h − ht²), whose 2-cycle at h = 2 is
  t² = (3 ± √5)/4, with transverse multiplier ∏(1 − h(1 − t_i²)) = −1: a second doubling
  at h = 2 (checked with sympy below).
* GD on f = x²/2 + sin(10x)/10: the fixed point x* (x* + cos 10x* = 0, x* ≈ 0.4275)
  doubles at h = 2/f''(x*) = 2/(1 − 10 sin 10x*).
"""
import mpmath
import pytest
import sympy as sp

from lrtheory import Objective
from lrtheory.bifurcation import BifurcationSearch, box_bifurcations
from lrtheory.bifurcation.search import choose_method, search_bifurcations
from lrtheory.errors import InputError


def test_neimark_sacker_in_two_dimensions_proved_complete():
    obj = Objective("x**4/4 + y**4/4 - x*y", "x,y")
    res = box_bifurcations(obj, ("0.58", "0.64"), 2, box=(0.3, 1.5))
    assert res.complete.status == "proved", res.complete.reason
    assert res.undecided == ()
    (ns,) = res.bifurcations     # one orbit {(u, v), (v, u)}: u, v in the box
    assert (ns.kind, ns.period, ns.certified) == ("neimark-sacker", 2, True)
    assert sp.simplify(sp.sympify(ns.closed_form) - (9 - sp.sqrt(17)) / 8) == 0
    with mpmath.workdps(60):
        exact = (9 - mpmath.sqrt(17)) / 8
        assert ns.lr_enclosure.contains(mpmath.nstr(exact, 60))
        u, v = ns.point
        h = exact
        assert abs(u * u + v * v - 1 / h) < 1e-40 and abs(u * v - (1 - h) / h) < 1e-40
    assert len(ns.orbit) == 2 and all(len(pt) == 2 for pt in ns.orbit)


def test_undecided_boxes_are_named_around_a_degenerate_zero():
    """(1 − xy)²/2 near the origin, h in [1.9, 2.1], periods ≤ 2: the doubling of the
    origin and the transverse doublings of the two diagonal 2-cycles, all at h = 2; the
    period-2 fold system has a degenerate zero where the origin's doubled orbit is born,
    and the boxes around it are reported, not dropped."""
    t, h = sp.symbols("t h")
    g = t * (1 + h - h * t**2)
    for t2 in ((3 + sp.sqrt(5)) / 4, (3 - sp.sqrt(5)) / 4):
        r = sp.sqrt(t2)
        assert sp.simplify(g.subs({t: g.subs({t: r, h: 2}), h: 2}) - r) == 0
    prod = sp.Mul(*[1 - 2 * (1 - t2) for t2 in ((3 + sp.sqrt(5)) / 4, (3 - sp.sqrt(5)) / 4)])
    assert sp.simplify(prod) == -1

    obj = Objective("(1 - x*y)**2/2", "x,y")
    res = box_bifurcations(obj, ("1.9", "2.1"), 2, box=(-0.5, 0.5))
    found = sorted((b.kind, b.period, round(float(b.point[0]), 9)) for b in res.bifurcations)
    root = float(sp.sqrt((3 - sp.sqrt(5)) / 4))
    assert found == [("period-doubling", 1, 0.0), ("period-doubling", 2, round(-root, 9)),
                     ("period-doubling", 2, round(root, 9))]
    assert all(b.lr_enclosure.contains(2) for b in res.bifurcations)
    assert res.complete.status == "not proved" and res.undecided
    assert {(u["period"], u["kind"]) for u in res.undecided} == {(2, "fold")}
    for u in res.undecided:
        (x0, x1), (y0, y1), (h0, h1) = u["box"]
        assert max(abs(x0), abs(x1), abs(y0), abs(y1)) < 1e-3 and h0 <= 2 + 1e-6
        assert h1 >= 2 - 1e-6
    assert "around the period-1 doubling at h = 2.0" in res.complete.reason
    assert BifurcationSearch.from_json(res.to_json(exact=True)) == res


@pytest.fixture(scope="module")
def sine():
    obj = Objective("x**2/2 + sin(10*x)/10", "x")
    with mpmath.workdps(50):
        xs = mpmath.findroot(lambda x: x + mpmath.cos(10 * x), 0.43)
        h1 = 2 / (1 - 10 * mpmath.sin(10 * xs))
    return obj, xs, h1


def test_non_polynomial_map_proved_complete(sine):
    obj, xs, h1 = sine
    lo, hi = mpmath.nstr(h1 - 0.01, 6), mpmath.nstr(h1 + 0.01, 6)
    res = search_bifurcations(obj, (lo, hi), 1, box=(0.3, 0.5))
    assert res.method == "boxes" and res.complete.status == "proved"
    (b,) = res.bifurcations
    with mpmath.workdps(50):
        assert abs(b.lr - h1) < mpmath.mpf(10) ** -40 and abs(b.point[0] - xs) < 1e-40


def test_lower_period_zeros_are_dropped_and_the_degenerate_one_named(sine):
    """At (x*, h_1) the period-3 doubling system has a regular zero (DG³ = (−1)³ = −1): it
    is proved to be a fixed point and dropped; the period-2 fold system has the degenerate
    zero of the doubling, named."""
    obj, xs, h1 = sine
    lo, hi = mpmath.nstr(h1 - 0.002, 6), mpmath.nstr(h1 + 0.002, 6)
    res = box_bifurcations(obj, (lo, hi), 3, box=(0.3, 0.5))
    assert [(b.kind, b.period) for b in res.bifurcations] == [("period-doubling", 1)]
    assert {(u["period"], u["kind"]) for u in res.undecided} == {(2, "fold")}
    assert "minimal period not decided" not in res.complete.reason


def test_method_choice_and_bad_input():
    # deg g = 2 for x³/3 − x, 3 for the double well; exact up to deg(g)^P = 256
    assert choose_method(Objective("x**3/3 - x", "x"), 8) == "exact"
    assert choose_method(Objective("x**3/3 - x", "x"), 9) == "continuation"
    assert choose_method(Objective("(x**2 - 1)**2/4", "x"), 5) == "exact"
    assert choose_method(Objective("(x**2 - 1)**2/4", "x"), 6) == "boxes"
    assert choose_method(Objective("log(cosh(x))", "x"), 3) == "boxes"
    assert choose_method(Objective("(1 - x*y)**2/2", "x,y"), 2) == "boxes"
    assert choose_method(Objective("(1 - x*y)**2/2", "x,y"), 3) == "continuation"
    obj = Objective("x**3/3 - x", "x")
    with pytest.raises(InputError):
        search_bifurcations(obj, ("0.9", "1.5"), 2, method="grid")
    with pytest.raises(InputError):
        box_bifurcations(obj, ("1.5", "0.9"), 2)
    with pytest.raises(InputError):
        box_bifurcations(obj, ("0.9", "1.5"), 2, box=(1, -1))
    a = sp.Symbol("a", real=True)
    with pytest.raises(InputError):
        search_bifurcations(Objective(a * obj.vars[0] ** 2, obj.vars, params=(a,)),
                            ("0.9", "1.5"), 1)


def test_every_method_returns_the_same_type_with_its_completeness():
    """The double well in [0.8, 1.1], period 1: the doublings of ±1 at h = 1 (multiplier
    1 − 2h), by every method; only exact and boxes prove the list complete."""
    obj = Objective("(x**2 - 1)**2/4", "x")
    status = {}
    for method in ("exact", "boxes", "continuation", "sample"):
        res = search_bifurcations(obj, ("0.8", "1.1"), 1, method=method, box=(-2, 2),
                                  samples=6, seeds=2)
        assert isinstance(res, BifurcationSearch) and res.method == method
        assert sorted(float(b.point[0]) for b in res.bifurcations) == pytest.approx([-1, 1])
        assert all(b.lr == 1 and b.certified for b in res.bifurcations)
        status[method] = res.complete.status
    assert status == {"exact": "proved", "boxes": "proved", "continuation": "not proved",
                      "sample": "not proved"}


# ---- the command line ----------------------------------------------------------------------
def test_cli_json_says_whether_complete(capsys, sine):
    import json

    from lrtheory.cli import main
    _, _, h1 = sine
    lo, hi = mpmath.nstr(h1 - 0.01, 6), mpmath.nstr(h1 + 0.01, 6)
    code = main(["bifurcations", "x**2/2 + sin(10*x)/10", "--vars", "x", "--lr-range", lo, hi,
                 "--max-period", "1", "--box", "0.3,0.5", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["method"] == "boxes" and doc["undecided"] == []
    assert doc["complete"]["status"] == "proved" and "branch and bound" in \
        doc["complete"]["method"]
    code = main(["bifurcations", "(x**2 - 1)**2/4", "--vars", "x", "--lr-range", "0.8",
                 "1.1", "--max-period", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines()[-1].startswith("complete: proved (exact elimination")


@pytest.mark.parametrize("argv,name", [
    (["--method", "grid"], "--method"),
    (["--max-boxes", "0"], "--max-boxes"),
    (["--seeds", "1"], "--seeds"),
    (["--starts", "0"], "--starts"),
])
def test_cli_bad_options_are_one_line(capsys, argv, name):
    from lrtheory.cli import main
    code = main(["bifurcations", "x**2", "--vars", "x", "--lr-range", "1", "2", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and name in err
