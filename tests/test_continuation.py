"""Continuation of branches of periodic orbits in h and of bifurcations in a parameter,
checked against values derived independently:

* GD on x³/3 − x is conjugate to z ↦ z² + c with c = 1/4 − h², so its bifurcations are
  h = sqrt(1/4 − c) at the parameters c of the quadratic family (Newton in (z, c) on the
  quadratic family itself, :func:`test_bifurcation_exact.cubic_reference`);
* GD on x⁴/4 + y⁴/4 − xy: the fixed points ±(1, 1) have multipliers 1 − 2h, 1 − 4h
  (doublings at h = 1/2 and 1); the 2-cycle {(u, v), (v, u)} born at h = 1/2 has
  u² + v² = 1/h, uv = (1 − h)/h, and DG² = [[ab + h², 2bh], [2ah, ab + h²]] with
  a = 1 − 3hu², b = 1 − 3hv², ab = 9(1 − h)² − 2: complex multipliers (ab < 0) of modulus 1
  where (ab − h²)² = 1 with ab − h² = −1, i.e. 4h² − 9h + 4 = 0, h = (9 − √17)/8;
* x⁴/4 − a x²/2: minima ±√a, f'' = 2a, multiplier 1 − 2ah: the doubling curve h*(a) = 1/a;
* x²/2 + b x³/3 + x⁴/4: the fixed point 0 doubles at h = 2 for every b; with g = x − hf'
  the doubling is degenerate where (g∘g)''' = −2g''' − 3g''² = 24 − 48b² vanishes,
  b = 1/√2;
* x³/3 − a x + (y² − 1)²/4: the fixed points (±√a, ±1) double at h = 1 (y-multiplier
  1 − 2h); the x-multiplier 1 ∓ 2√a·h reaches +1 at a = 0, where the curve turns back in a:
  a fold-flip point (a, h) = (0, 1).
"""
import json
import pickle
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from test_bifurcation_exact import cubic_reference, h_of_c, quadratic_family_parameter

from lrtheory import Objective
from lrtheory.bifurcation import (Branch, ParameterCurve, TwoParameterCurves,
                                  continue_branches)
from lrtheory.bifurcation.curves import bifurcation_curves, with_parameter
from lrtheory.cli import main
from lrtheory.errors import InputError


@pytest.fixture(scope="module")
def cubic():
    return continue_branches(Objective("x**3/3 - x", "x"), ("0.9", "1.5"), 4)


def test_cubic_branches_give_every_bifurcation_of_the_quadratic_family(cubic):
    expected = cubic_reference()
    with mpmath.workdps(60):
        got = [(b.kind, b.period, b.lr) for b in cubic.bifurcations]
        assert [(k, p) for k, p, _ in got] == [(k, p) for k, p, _ in expected]
        for (_, _, h), (_, _, ref) in zip(got, expected):
            assert abs(h - ref) < mpmath.mpf(10) ** -40
    assert all(b.certified for b in cubic.bifurcations)
    for b in cubic.bifurcations:   # the certified enclosures hold the reference values
        ref = next(r for k, p, r in expected if (k, p) == (b.kind, b.period)
                   and abs(r - b.lr) < 1e-30)
        assert b.lr_enclosure.contains(mpmath.nstr(ref, 60))
    assert cubic.complete.status == "not proved" and "h = 9/10" in cubic.complete.reason
    assert cubic.method == "continuation"


def test_branches_pass_folds_and_switch_at_doublings(cubic):
    by_origin = {(b.period, b.origin.split(" at ")[0]) for b in cubic.branches}
    # the period-2 and period-4 orbits are reached only by switching at doublings
    assert (2, "period doubling of the period-1 branch") in by_origin
    assert (4, "period doubling of the period-2 branch") in by_origin
    # the period-3 window: seeded at h = 3/2, followed down to the fold at h = √2 and back
    (p3,) = [b for b in cubic.branches if b.period == 3]
    assert abs(p3.lr_span[0] - 2 ** 0.5) < 1e-4 and p3.lr_span[1] == 1.5
    assert p3.end.count("reached h = 1.5") == 2
    assert [b.kind for b in p3.bifurcations] == ["fold", "period-doubling"] or \
        [b.kind for b in p3.bifurcations] == ["period-doubling", "fold"]
    # stable between the fold and the doubling, unstable elsewhere: both kinds of points
    assert True in p3.stable and False in p3.stable
    with mpmath.workdps(30):
        stable_h = [h for h, s in zip(p3.lr, p3.stable) if s]
        assert min(stable_h) > mpmath.sqrt(2) - 1e-9
        assert max(stable_h) < h_of_c(quadratic_family_parameter(3, -1, "-1.765")) + 1e-9
    assert p3.orbits.shape == (len(p3.lr), 3, 1)


def test_neimark_sacker_on_the_branch_born_at_a_doubling():
    obj = Objective("x**4/4 + y**4/4 - x*y", "x,y")
    res = continue_branches(obj, ("0.45", "0.7"), 2, box=(-2, 2), seeds=2)
    kinds = sorted((b.kind, b.period) for b in res.bifurcations)
    assert kinds == [("neimark-sacker", 2)] * 2 + [("period-doubling", 1)] * 2
    with mpmath.workdps(50):
        ns = (9 - mpmath.sqrt(17)) / 8
        for b in res.bifurcations:
            if b.kind == "neimark-sacker":
                assert abs(b.lr - ns) < mpmath.mpf(10) ** -45 and b.certified
                assert all(abs(abs(m) - 1) < 1e-40 and abs(m.imag) > 0.5
                           for m in b.multipliers)
                assert sp.simplify(sp.sympify(b.closed_form) - (9 - sp.sqrt(17)) / 8) == 0
            else:
                assert abs(b.lr - mpmath.mpf(1) / 2) < mpmath.mpf(10) ** -45
                assert [abs(abs(c) - 1) < 1e-40 for c in b.point] == [True, True]


def test_doubling_curve_is_one_over_a():
    obj = with_parameter("x**4/4 - a*x**2/2", "x", "a")
    res = bifurcation_curves(obj, ("1", "2"), ("0.3", "2"), 1)
    assert res.start.complete.status == "proved"     # at a = 1 by exact elimination
    assert len(res.curves) == 2                      # the minima +1 and −1
    for curve in res.curves:
        assert curve.kind == "period-doubling" and curve.codim2 == ()
        assert float(curve.values[0]) == 1 and float(curve.values[-1]) == 2
        assert all(curve.certified) and len(curve.values) > 10
        with mpmath.workdps(40):
            for a, h, x, ball in zip(curve.values, curve.lr, curve.points,
                                     curve.enclosures):
                assert abs(h - 1 / a) < mpmath.mpf(10) ** -20
                assert abs(x[0] ** 2 - a) < mpmath.mpf(10) ** -20
                assert ball.contains(1 / _exact(a))   # h*(a) = 1/a at the exact a


def _exact(v) -> Fraction:
    """The exact value of an mpmath number (a binary fraction)."""
    man, exp = mpmath.mpf(v).man_exp
    return Fraction(man) * Fraction(2) ** exp


def test_degenerate_doubling_at_b_equal_one_over_sqrt2():
    obj = with_parameter("x**2/2 + b*x**3/3 + x**4/4", "x", "b")
    res = bifurcation_curves(obj, ("0", "1"), ("1", "3"), 1)
    (curve,) = res.curves
    with mpmath.workdps(30):
        assert all(abs(h - 2) < mpmath.mpf(10) ** -25 for h in curve.lr)
    assert all(ball.contains(2) for ball in curve.enclosures)
    (point,) = curve.codim2
    assert point.kind == "degenerate period-doubling"
    assert abs(point.value - 1 / mpmath.sqrt(2)) < 1e-12
    assert point.bracket[0] < point.value < point.bracket[1]


def test_fold_flip_where_the_doubling_curve_turns():
    obj = with_parameter("x**3/3 - a*x + (y**2 - 1)**2/4", "x,y", "a")
    res = bifurcation_curves(obj, ("1/4", "-1/4"), ("1/2", "3/2"), 1)
    # four doublings at a = 1/4 ((±1/2, ±1)), joined in pairs through a = 0
    assert len(res.start.bifurcations) == 4 and len(res.curves) == 2
    for curve in res.curves:
        assert curve.end.startswith("reached a = 0.25")
        (point,) = curve.codim2
        assert point.kind == "fold-flip"
        assert abs(point.value) < 1e-12 and abs(point.lr - 1) < 1e-20
        assert min(float(v) for v in curve.values) > -1e-9   # no fixed point for a < 0


def test_results_round_trip(cubic):
    branch = cubic.branches[0]
    assert Branch.from_json(json.dumps(branch.to_json(exact=True))) == branch
    assert pickle.loads(pickle.dumps(cubic)) == cubic
    assert type(cubic).from_json(cubic.to_json(exact=True)) == cubic
    obj = with_parameter("x**4/4 - a*x**2/2", "x", "a")
    curves = bifurcation_curves(obj, ("1", "3/2"), ("0.3", "2"), 1, certify=False)
    assert TwoParameterCurves.from_json(curves.to_json(exact=True)) == curves
    assert isinstance(curves.curves[0], ParameterCurve)
    assert pickle.loads(pickle.dumps(curves)) == curves


def test_bad_input():
    obj = Objective("x**3/3 - x", "x")
    with pytest.raises(InputError):
        continue_branches(obj, ("1.5", "0.9"), 2)
    with pytest.raises(InputError):
        continue_branches(obj, ("0.9", "1.5"), 2, from_period=3)
    with pytest.raises(InputError):
        with_parameter("x**2", "x", "a")            # a does not occur
    with pytest.raises(InputError):
        with_parameter("x**2*a", "x", "x")          # a variable, not a parameter


# ---- the command line ----------------------------------------------------------------------
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_branches_json_and_plot(capsys, tmp_path):
    figure = tmp_path / "branches.png"
    code, out, err = run(capsys, "continue", "x**3/3 - x", "--vars", "x", "--lr-range",
                         "0.9", "1.5", "--from-period", "3", "--plot", str(figure), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["type"] == "BifurcationSearch" and doc["method"] == "continuation"
    assert doc["complete"]["status"] == "not proved"
    assert [b["period"] for b in doc["branches"]] == [3, 6]
    kinds = [(b["kind"], b["period"]) for b in doc["bifurcations"]]
    assert kinds == [("fold", 3), ("period-doubling", 3), ("period-doubling", 6)]
    assert figure.stat().st_size > 1000 and "figure written" in err


def test_cli_parameter_curves_table(capsys):
    code, out, err = run(capsys, "continue", "x**4/4 - a*x**2/2", "--vars", "x",
                         "--lr-range", "0.3", "2", "--from-period", "1", "--param", "a=1:3/2")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["kind", "period", "a", "from"]
    rows = [ln.split() for ln in lines[1:3]]
    assert all(r[:4] == ["period-doubling", "1", "1", "1.5"] for r in rows)
    assert all(float(r[5]) == pytest.approx(2 / 3, abs=1e-9) for r in rows)
    assert lines[-1].startswith("start at a = 1: 2 bifurcations of period <= 1, "
                                "complete: proved")


@pytest.mark.parametrize("argv,name", [
    (["--param", "a=1"], "--param"),
    (["--param", "a=1:1"], "--param"),
    (["--param", "a=1:x"], "--param"),
    (["--seeds", "1"], "--seeds"),
    (["--max-period", "13"], "--max-period"),
])
def test_cli_bad_input_is_one_line(capsys, argv, name):
    code, out, err = run(capsys, "continue", "x**4/4 - a*x**2/2", "--vars", "x",
                         "--lr-range", "0.3", "2", "--from-period", "1", *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and name in err and err.startswith("lrtheory: error:")


def test_cli_missing_period_and_inconsistent_periods(capsys):
    code, _, err = run(capsys, "continue", "x**2", "--vars", "x", "--lr-range", "1", "2")
    assert code == 2 and "--from-period" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "continue", "x**2", "--vars", "x", "--lr-range", "1", "2",
                       "--from-period", "4", "--max-period", "2")
    assert code == 2 and "--max-period" in err and len(err.splitlines()) == 1


def test_plots_draw_into_the_given_axes(cubic):
    from lrtheory.plotting import new_figure, plot_branches, plot_parameter_curves
    fig, ax = new_figure()
    assert plot_branches(cubic.branches, ax=ax) is ax
    # a line per orbit point and stability run, a marker per bifurcation on a branch
    runs = sum(br.period * len(br.segments()) for br in cubic.branches)
    assert len(ax.lines) == runs + sum(len(br.bifurcations) for br in cubic.branches)
    obj = with_parameter("x**4/4 - a*x**2/2", "x", "a")
    curves = bifurcation_curves(obj, ("1", "3/2"), ("0.3", "2"), 1, certify=False)
    ax2 = plot_parameter_curves(curves.curves)
    assert ax2 is not ax and len(ax2.lines) == 2
