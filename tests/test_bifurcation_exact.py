"""Exact, proved-complete bifurcation lists of 1-D polynomial GD maps, checked against
independent derivations: the conjugacy of GD on x³/3 − x with the quadratic family
z ↦ z² + c, c = 1/4 − h², and Newton on the composed map for the double well."""
import pickle

import mpmath
import pytest
import sympy as sp

import lrtheory.bifurcation.exact as E
from lrtheory import Objective
from lrtheory.errors import InputError


def quadratic_family_parameter(p: int, multiplier: int, c0: str) -> mpmath.mpf:
    """c where z ↦ z² + c has a period-p point with (f_c^p)′ = multiplier (Newton in (z, c))."""
    def system(z, c):
        w, d = z, mpmath.mpf(1)
        for _ in range(p):
            d *= 2 * w
            w = w * w + c
        return [w - z, d - multiplier]
    # seed z on the attracting orbit at c0 (the critical orbit converges to it)
    c = mpmath.mpf(c0)
    z = mpmath.mpf(0)
    for _ in range(20000):
        z = z * z + c
    return mpmath.findroot(system, (z, c))[1]


def h_of_c(c):
    return mpmath.sqrt(mpmath.mpf(1) / 4 - c)


def cubic_reference() -> list:
    """(kind, period, h) of every bifurcation of period ≤ 4 of GD on x³/3 − x with
    h ∈ [0.9, 1.5], from the quadratic family at 60 digits (each seed c0 a parameter where
    the orbit is attracting, just before its bifurcation)."""
    with mpmath.workdps(60):
        return [(kind, p, h_of_c(quadratic_family_parameter(p, s, c0)))
                for kind, p, s, c0 in [("period-doubling", 1, -1, "-0.74"),
                                       ("period-doubling", 2, -1, "-1.24"),
                                       ("period-doubling", 4, -1, "-1.36"),
                                       ("fold", 3, 1, "-1.755"),
                                       ("period-doubling", 3, -1, "-1.765"),
                                       ("fold", 4, 1, "-1.9410"),
                                       ("period-doubling", 4, -1, "-1.9418")]]


@pytest.fixture(scope="module")
def cubic():
    return E.exact_bifurcations(Objective("x**3/3 - x", "x"), ("0.9", "1.5"), 4)


def test_cubic_list_is_complete_and_matches_the_quadratic_family(cubic):
    assert cubic.complete.proved, cubic.complete.reason
    expected = cubic_reference()   # from the quadratic family, computed independently
    with mpmath.workdps(60):
        got = [(b.kind, b.period, b.lr_exact) for b in cubic.bifurcations]
        assert [(k, p) for k, p, _ in got] == [(k, p) for k, p, _ in expected]
        for (_, p, number), (_, _, h) in zip(got, expected):
            assert abs(mpmath.mpf(number.enclosure.mid) - h) < 1e-14
            ball = number.enclosure.to_arb()
            assert ball.rad() < 1e-40
            assert abs(mpmath.mpf(ball.mid().str(60, radius=False)) - h) < mpmath.mpf(10) ** -45
    # each orbit has `period` distinct certified points
    assert all(len(b.orbit) == b.period for b in cubic.bifurcations)


def test_cubic_closed_forms_are_exact(cubic):
    by = {(b.kind, b.period): b.lr_exact for b in cubic.bifurcations}
    assert by[("period-doubling", 1)].closed_form == "1"
    assert sp.simplify(sp.sympify(by[("period-doubling", 2)].closed_form) - sp.sqrt(6) / 2) == 0
    fold3 = by[("fold", 3)]
    assert fold3.equals(sp.sqrt(2)) is True  # c = −7/4: the period-3 window opens at h = √2
    assert fold3.equals(sp.Rational(1414, 1000)) is False
    assert by[("period-doubling", 2)].equals(sp.sqrt(2)) is False


def test_double_well_cascade_to_period_four_is_complete():
    res = E.exact_bifurcations(Objective("(x**2 - 1)**2/4", "x"), ("0.5", "1.31"), 4)
    assert res.complete.proved, res.complete.reason
    kinds = [(b.kind, b.period) for b in res.bifurcations]
    # the fixed points ±1 double at h = 1 (multiplier 1 − 2h), their period-2 orbits at
    # √5 − 1, the period-4 orbits next; the map is odd, so everything comes in pairs
    assert kinds == [("period-doubling", 1)] * 2 + [("period-doubling", 2)] * 2 + \
        [("period-doubling", 4)] * 2
    assert res.bifurcations[0].lr_exact.closed_form == "1"
    assert res.bifurcations[2].lr_exact.equals(sp.sqrt(5) - 1) is True
    # independent: Newton on g^4(x) = x, (g^4)'(x) = −1 for g(x) = (1 + h)x − hx³
    with mpmath.workdps(50):
        def system(x, h):
            w, d = x, mpmath.mpf(1)
            for _ in range(4):
                d *= 1 + h - 3 * h * w * w
                w = (1 + h) * w - h * w ** 3
            return [w - x, d + 1]
        x4, h4 = mpmath.findroot(system, (mpmath.mpf("0.609"), mpmath.mpf("1.288")))
        assert abs(mpmath.mpf(res.bifurcations[4].lr_exact.enclosure.mid) - h4) < 1e-14
        assert any(abs(b.mid - x4) < 1e-12
                   for (b,) in res.bifurcations[4].orbit + res.bifurcations[5].orbit)


def test_without_precision_escalation_the_unresolved_root_is_named(monkeypatch):
    # at 30 digits the degree-72 dynatomic polynomial loses too many digits to certify
    # the period-4 doublings: the result says so instead of dropping them silently
    monkeypatch.setattr(E, "ESCALATION", (1,))
    res = E.exact_bifurcations(Objective("(x**2 - 1)**2/4", "x"), ("1.25", "1.3"), 4, dps=30)
    assert res.complete.status == "not proved"
    assert "h ≈ 1.28803175448" in res.complete.reason and "multiplicity 8" in res.complete.reason


def test_result_roundtrip_and_pickle(cubic):
    assert type(cubic).from_json(cubic.to_json(exact=True)) == cubic
    assert pickle.loads(pickle.dumps(cubic)) == cubic
    assert "bifurcations" in repr(cubic)


def test_inapplicable_input_is_refused():
    with pytest.raises(InputError):
        E.exact_bifurcations(Objective("log(cosh(x))", "x"), ("1", "2"), 2)
    with pytest.raises(InputError):
        E.exact_bifurcations(Objective("(1 - x*y)**2/2", "x,y"), ("1", "2"), 2)
    with pytest.raises(InputError):
        E.exact_bifurcations(Objective("x**3/3 - x", "x"), ("2", "1"), 2)


def _old_no_new_orbit(maps, p, q):
    """The exact test over K = Q[h]/(q) alone (gcds of the full polynomials, no modular
    bound): an independent reference for the modular-bound-plus-exact-part test."""
    from flint import fmpq_poly
    field = E._NumberField(fmpq_poly([int(c) for c in q.coeffs()]))
    common = field.gcd(field.lift(maps.dynatomic(p)), field.lift(maps.multiplier(p) - 1))
    parent = field.gcd(common, field.lift(maps.iterates[p // 2] - maps.x))
    while len(parent) > 1:
        common = field.exact_quotient(common, parent)
        parent = field.gcd(common, parent)
    return len(common) == 1


@pytest.mark.parametrize("expr, p", [("x**3/3 - x", 2), ("x**3/3 - x", 4),
                                     ("(x**2 - 1)**2/4", 2)])
def test_no_new_orbit_agrees_with_the_gcd_over_the_number_field(expr, p):
    maps = E._Maps(Objective(expr, "x"), p)
    R = E._to_fmpz_poly_in_h(maps.dynatomic(p).resultant(maps.multiplier(p) - 1, "x"))
    factors = [q for q, _ in R.factor()[1] if q.degree() > 0 and q != E.fmpz_poly([0, 1])]
    answers = [E._no_new_orbit(maps, p, q) for q in factors]
    assert answers == [_old_no_new_orbit(maps, p, q) for q in factors]
    assert any(answers)   # some factor is a doubling seen from the doubled orbit


def test_budget_stops_with_a_named_place_and_progress_lines():
    lines = []
    res = E.exact_bifurcations(Objective("x**3/3 - x", "x"), ("0.9", "1.5"), 4,
                               budget=1e-9, progress=lines.append)
    assert res.complete.status == "not proved"
    assert res.complete.reason.startswith(
        "budget of 1e-09 s reached at period 1, multiplier -1 (before its resultant)")
    assert res.bifurcations == ()
    lines = []
    E.exact_bifurcations(Objective("x**3/3 - x", "x"), ("0.9", "1.5"), 2, progress=lines.append)
    assert lines[0].startswith("exact: period 1, multiplier -1: resultant of degree 3 in h")
    with pytest.raises(InputError):
        E.exact_bifurcations(Objective("x**3/3 - x", "x"), ("0.9", "1.5"), 2, budget=0)


def composed_map_bifurcation(p: int, multiplier: int, x0: str, h0: str):
    """(x, h) with g_h^p(x) = x and (g_h^p)′(x) = multiplier for g_h(x) = x − h(x² − 1)
    (GD on x³/3 − x), by Newton on the composed map (chain rule), at the working
    precision."""
    def system(x, h):
        w, d = x, mpmath.mpf(1)
        for _ in range(p):
            d *= 1 - 2 * h * w
            w = w - h * (w * w - 1)
        return [w - x, d - multiplier]
    return mpmath.findroot(system, (mpmath.mpf(x0), mpmath.mpf(h0)))


@pytest.mark.slow
def test_cubic_to_period_six_is_proved_and_matches_newton_on_the_composed_map():
    res = E.exact_bifurcations(Objective("x**3/3 - x", "x"), ("0.9", "1.5"), 6)
    assert res.complete.proved, res.complete.reason
    six = [b for b in res.bifurcations if b.period == 6]
    # the real quadratic family has 5 period-6 windows: one born by the doubling of the
    # period-3 orbit, four by folds; each ends in a doubling
    assert sorted(b.kind for b in six) == ["fold"] * 4 + ["period-doubling"] * 5
    assert len(res.bifurcations) == 22
    with mpmath.workdps(50):
        for b in six:
            x0, h0 = mpmath.nstr(b.point[0], 8), mpmath.nstr(b.lr, 8)
            s = -1 if b.kind == "period-doubling" else 1
            x, h = composed_map_bifurcation(6, s, x0, h0)
            assert abs(b.point[0] - x) < 1e-12
            assert abs(b.lr - h) < mpmath.mpf(10) ** -40
            assert b.lr_exact.enclosure.to_arb().rad() < 1e-40


def test_cli_progress_lines_and_budget(capsys):
    from lrtheory.cli import main
    code = main(["bifurcations", "x**3/3 - x", "--vars", "x", "--lr-range", "0.9", "1.5",
                 "--max-period", "2", "--method", "exact", "--budget", "600", "--progress"])
    out, err = capsys.readouterr()
    assert code == 0 and "complete: proved" in out
    assert "exact: period 2, multiplier -1: resultant of degree 10 in h" in err
    code = main(["bifurcations", "x**3/3 - x", "--vars", "x", "--lr-range", "0.9", "1.5",
                 "--budget", "0"])
    assert code == 2 and "Traceback" not in capsys.readouterr().err
