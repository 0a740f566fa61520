"""The atlas of GD on objectives of two variables, against closed forms.

f(x, y) = (1 − xy)²/2 (scalar factorization): ∇f = −(1 − xy)(y, x) is parallel to (1, 1)
on the diagonal, so y = x is invariant and G_h(t, t) = (g(t), g(t)) with g GD on
φ(t) = f(t, t)/2 = (1 − t²)²/4, g(t) = (1 + h)t − ht³ (odd: with a cycle, its
negative is one).  Its 2-cycle {t₁, t₂} solves
g(t₁) = t₂, g(t₂) = t₁: subtracting and adding the two equations gives
t₁² + t₁t₂ + t₂² = (2 + h)/h and t₁² − t₁t₂ + t₂² = 1, so t₁t₂ = 1/h and

    t₁,₂ = (√(1 + 3/h) ± √(1 − 1/h))/2.

At (t, t) the Hessian [[t², 2t² − 1], [2t² − 1, t²]] has the eigenvectors (1, 1) and
(1, −1) with eigenvalues 3t² − 1 and 1 − t² for every t, so the monodromy of the cycle has
the multipliers ∏(1 − h(3tᵢ² − 1)) = 9 − 2(1 + h)² along the line and
∏(1 − h(1 − tᵢ²)) = 3 − 2h across it: the cycle attracts in the plane exactly for
1 < h < √5 − 1.
"""
from __future__ import annotations

import json
import math
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from lrtheory.atlas import atlas, classify_box, gd_map
from lrtheory.atlas.plane import invariant_line, schur_stable, transverse_multiplier
from lrtheory.cli import main
from lrtheory.dynamics.orbits import newton_periodic
from lrtheory.evaluators import to_arb
from lrtheory.objectives import Objective
from lrtheory.precision import precision
from lrtheory.results import Ball

FACTOR = "(1 - x*y)**2/2"


def two_cycle(h):
    """The closed-form 2-cycle of g on the diagonal (module docstring)."""
    a, b = mpmath.sqrt(1 + 3 / h), mpmath.sqrt(1 - 1 / h)
    return (a + b) / 2, (a - b) / 2


def box(expr, lo, hi, max_period=4):
    return classify_box(gd_map(Objective(expr, "x,y")), Fraction(lo), Fraction(hi),
                        max_period)


def pairs(cycle):
    return [cycle[i:i + 2] for i in range(0, len(cycle), 2)]


def test_the_diagonal_is_invariant_and_gd_on_it_is_gd_on_the_quartic():
    v, equation, phi = invariant_line(Objective(FACTOR, "x,y"))
    t = phi.vars[0]
    assert (v, equation) == ((1, 1), "y = x")
    assert sp.expand(phi.expr - (1 - t**2) ** 2 / 4) == 0
    none = Objective("x**2/2 + y**2 + x**2*y + x*y**2/3", "x,y")  # no line of LINES
    assert invariant_line(none) is None


def test_closed_form_two_cycle_is_certified_attracting_in_the_plane():
    b = box(FACTOR, "37/32", "19/16")
    assert (b.label, b.period, b.unique) == ("attracting", 2, False)
    assert "not proved the only attractor" in b.reason
    with precision(dps=40):
        for h in (Fraction(37, 32), Fraction(19, 16)):
            hm = mpmath.mpf(h.numerator) / h.denominator
            sign = 1 if b.cycle[0].mid > 0 else -1  # g is odd: −t₁, −t₂ is a cycle too
            for t in two_cycle(hm):
                point = to_arb(mpmath.nstr(sign * t, 35))
                assert any(x.to_arb().contains(point) and y.to_arb().contains(point)
                           for x, y in pairs(b.cycle)), (h, t)
            along, across = 9 - 2 * (1 + hm) ** 2, 3 - 2 * hm
            assert abs(along) < 1 and abs(across) < 1  # the closed form agrees


def test_transverse_multiplier_of_the_closed_form_cycle_is_three_minus_two_h():
    gd = gd_map(Objective(FACTOR, "x,y"))
    with precision(dps=40):
        for h in (Fraction(11, 10), Fraction(3, 2)):
            hm = mpmath.mpf(h.numerator) / h.denominator
            cycle = [Ball.from_arb(to_arb(mpmath.nstr(t, 35))) for t in two_cycle(hm)]
            H = to_arb(sp.Rational(h.numerator, h.denominator))
            m = transverse_multiplier(gd, (1, 1), cycle, H)
            exact = to_arb(3 - 2 * sp.Rational(h.numerator, h.denominator))
            assert abs(m - exact) < to_arb(sp.Rational(1, 10**30))  # points to 35 digits


def test_beyond_the_doubling_the_two_cycle_is_not_attracting():
    """h ∈ [5/4, 13/10]: 9 − 2(1 + h)² < −1, the 2-cycle repels along the diagonal."""
    assert 9 - 2 * (1 + 1.25) ** 2 < -1
    b = box(FACTOR, "5/4", "13/10")
    assert not (b.label == "attracting" and b.period == 2)


def test_chaos_of_the_restriction_to_the_diagonal():
    """[7/4, 15/8] is chaotic through an orbit of period 3 on y = x: found again by Newton
    in high precision at both ends, on the diagonal, inside the enclosures, minimal."""
    obj = Objective(FACTOR, "x,y")
    b = box(FACTOR, "7/4", "15/8", max_period=3)
    assert (b.label, b.period) == ("chaotic", 3)
    assert "restriction" in b.reason and "y = x" in b.reason
    assert b.entropy_lower == pytest.approx(math.log((1 + math.sqrt(5)) / 2), rel=1e-12)
    points = pairs(b.cycle)
    for h in ("7/4", "15/8"):
        found = newton_periodic(obj, [points[0][0].mid, points[0][1].mid], h, 3, dps=30)
        assert found is not None
        x0 = found[0]
        assert abs(x0[0] - x0[1]) < mpmath.mpf(10) ** -25
        assert points[0][0].contains(mpmath.nstr(x0[0], 30))
        hh = mpmath.mpf(Fraction(h).numerator) / Fraction(h).denominator
        t = x0[0]
        g = (1 + hh) * t - hh * t**3
        assert abs(g - t) > 1e-6  # not a fixed point: minimal period 3


def test_affine_plane_map_from_the_eigenvalues():
    """f = x²/2 + 2y² + xy/2: ∇²f has λ± = (5 ± √10)/2, so GD attracts every start for
    h < 2/λ₊, is a saddle for 2/λ₊ < h < 2/λ₋ and repels every start for h > 2/λ₋."""
    lam_hi, lam_lo = (5 + math.sqrt(10)) / 2, (5 - math.sqrt(10)) / 2
    res = atlas("x**2/2 + 2*y**2 + x*y/2", "x,y", ("0.1", "3"), boxes=29, max_depth=0)
    kinds = set()
    for b in res.boxes:
        lo, hi = (float(v) for v in b.interval)
        if b.label == "attracting":
            assert hi <= 2 / lam_hi and b.unique and b.period == 1
        elif b.label == "divergent":
            assert b.no_attractor and lo >= 2 / lam_hi
            assert ("saddle" in b.reason) == (hi <= 2 / lam_lo)
            kinds.add("saddle" if "saddle" in b.reason else "repelling")
        else:
            assert lo < 2 / lam_hi < hi or lo < 2 / lam_lo < hi
    assert kinds == {"saddle", "repelling"}
    below = [b for b in res.boxes if float(b.interval[1]) < 2 / lam_hi]
    assert res.summary["attracting"]["boxes"] == len(below) == 3
    assert res.summary["undecided"]["boxes"] == 2  # the two boxes across a threshold


def test_a_fixed_point_without_invariant_line():
    """f = x²/2 + y² + x²y + xy²/3 has its minimum at 0 with ∇²f = diag(1, 2): an
    attracting fixed point for h < 1, not claimed unique; chaos is not tested."""
    f = "x**2/2 + y**2 + x**2*y + x*y**2/3"
    b = box(f, "1/5", "2/5")
    assert (b.label, b.period, b.unique) == ("attracting", 1, False)
    with precision(dps=30):
        assert all(c.to_arb().contains(0) for c in b.cycle)
    assert all(abs(1 - k * h) < 1 for k in (1, 2) for h in (0.2, 0.4))  # the closed form
    late = box(f, "3", "31/10")
    assert late.label == "undecided" and "no invariant line" in late.reason


def test_schur_stable_is_the_unit_disc_for_two_by_two_matrices():
    from flint import arb_mat
    assert schur_stable(arb_mat([[0.5, 0.3], [-0.3, 0.5]]))       # |mu| = 0.583
    assert not schur_stable(arb_mat([[0.5, 2], [-2, 0.5]]))       # |mu| = 2.06
    assert not schur_stable(arb_mat([[1.2, 0], [0, 0.1]]))        # mu = 1.2
    assert not schur_stable(arb_mat([[0, 1], [-1, 0]]))           # |mu| = 1


def test_cli_plane_atlas_writes_the_same_shapes(tmp_path, capsys):
    out = tmp_path / "a.json"
    code = main(["atlas", FACTOR, "--vars", "x,y", "--lr-range", "1.75", "1.875",
                 "--boxes", "1", "--max-period", "3", "--max-depth", "0", "--json", str(out),
                 "--out", str(tmp_path / "a.nc"), "--plot", str(tmp_path / "a")])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:4] == ["1.75", "1.875",
                                                                   "chaotic", "3"]
    saved = json.loads(out.read_text())
    assert saved["variable"] == "x,y" and saved["boxes"][0]["label"] == "chaotic"
    assert all((tmp_path / name).exists() for name in ("a.nc", "a.png", "a.pdf"))


def test_plane_atlas_is_the_same_with_two_processes():
    kw = dict(boxes=2, max_period=3, max_depth=0)
    serial = atlas(FACTOR, "x,y", ("1.75", "2"), **kw)
    assert atlas(FACTOR, "x,y", ("1.75", "2"), jobs=2, **kw) == serial
    assert [b.label for b in serial.boxes] == ["chaotic", "chaotic"]


def test_expectation_on_an_affine_plane_map_is_refuted():
    """f = x²/2 + 2y² + xy/2 on h ∈ [1, 2]: 2/λ₊ < 1 and 2/λ₋ > 2, so every h is a
    saddle — no attracting cycle anywhere: "at least 50 %" is refuted."""
    from lrtheory import expect
    assert 2 / ((5 + math.sqrt(10)) / 2) < 1 < 2 < 2 / ((5 - math.sqrt(10)) / 2)
    ev = expect.attracting_measure("x**2/2 + 2*y**2 + x*y/2", "x,y", ["1", "2"], 50,
                                   boxes=2, max_depth=0)()
    assert ev.verdict == "refuted"
    assert sp.Rational(str(ev.numbers["no_attractor measure"]["value"])) == 1
