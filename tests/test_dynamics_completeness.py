"""Rigorous completeness of the periodic-orbit list of BLOG-8 by branch and bound."""
import random

import pytest
import sympy as sp

from lrtheory.catalogue import factorization_vector
from lrtheory.dynamics.completeness import (curve_expansion_bound, curve_residual_map,
                                            minimizer_band, near_curve, prove_complete,
                                            zeros_in_box)
from lrtheory.dynamics.orbits import search_periodic_orbits
from lrtheory.objectives import Objective
from lrtheory.parsing import to_expr

H = sp.Rational(19, 10)
DELTA = sp.Rational(1, 10)
BOX = (-2.5, 2.5)


@pytest.fixture(scope="module")
def blog8():
    obj = factorization_vector(1, 1)
    orbits = search_periodic_orbits(obj, H, 2, BOX, starts=400, dps=30, certify=True).orbits
    return obj, orbits


def test_curve_residual_identity_symbolic():
    h = sp.Symbol("h", positive=True)
    lhs, rhs = curve_residual_map(factorization_vector(1, 1), h)
    assert sp.expand(lhs - rhs) == 0


def test_expansion_bound_exact_and_sampled():
    c = curve_expansion_bound(H, DELTA)
    assert c == sp.Rational(20229, 10000) and c > 1
    rng = random.Random(3)
    for _ in range(2000):  # exact rational points of the band inside the box
        x = sp.Rational(rng.randint(41, 250), 100) * rng.choice((1, -1))
        r = sp.Rational(rng.randint(-999, 999), 10000)
        y = (1 + r) / x
        if abs(y) > sp.Rational(5, 2):
            continue
        phi = 1 - H * (x**2 + y**2) + H**2 * r * (r + 1)
        assert abs(phi) >= c
    with pytest.raises(ValueError):
        curve_expansion_bound(H, 1)


def test_band_predicate_is_rigorous():
    from flint import arb
    inside = near_curve(DELTA)
    assert inside([arb(1, 0.01), arb(1, 0.01)])
    assert not inside([arb(1, 0.1), arb(1, 0.1)])  # xy − 1 reaches ±0.21


@pytest.mark.parametrize("p, zeros, known", [(1, 1, 1), (2, 9, 4)])
def test_branch_and_bound_counts(blog8, p, zeros, known):
    obj, orbits = blog8
    res = prove_complete(obj, H, p, BOX, orbits, near_curve(DELTA))
    assert len(res.search.accepted) == zeros  # the origin, and 4 orbits of 2 points
    assert res.known == known and len(res.matched) == known
    assert not res.search.undecided and not res.missing and not res.unresolved
    assert res.complete


def test_missing_orbit_is_reported(blog8):
    obj, orbits = blog8
    without_origin = [o for o in orbits if o.period != 1]
    res = prove_complete(obj, H, 1, BOX, without_origin, near_curve(DELTA))
    assert len(res.missing) == 1 and all(c.contains(0) for c in res.missing[0])
    assert not res.complete


def test_planted_fixed_point_on_another_map():
    x, y = sp.symbols("x y", real=True)
    obj = Objective(x**2 / 2 + (y**2 - 1)**2 / 4, (x, y))
    h, box = sp.Rational(1, 2), (-2.1, 2.1)
    orbits = search_periodic_orbits(obj, h, 1, box, starts=200, dps=30, certify=True).orbits
    assert len(orbits) == 3  # (0, 0), (0, ±1)
    planted = [o for o in orbits if abs(o.points[0][1] - 1) > 0.5]
    res = prove_complete(obj, h, 1, box, planted)
    assert len(res.missing) == 1 and not res.complete
    assert res.missing[0][0].contains(0) and res.missing[0][1].contains(1)
    assert prove_complete(obj, h, 1, box, orbits).complete


def test_coarse_depth_gives_undecided_not_complete(blog8):
    obj, orbits = blog8
    res = prove_complete(obj, H, 2, BOX, orbits, near_curve(DELTA), max_depth=8)
    assert res.search.undecided and not res.complete


def test_box_counts_deterministic(blog8):
    obj, _ = blog8
    a = zeros_in_box(obj, H, 2, BOX, near_curve(DELTA))
    b = zeros_in_box(obj, H, 2, BOX, near_curve(DELTA))
    assert a.boxes == b.boxes == 4121 and a.depth == b.depth


def test_box_budget_leaves_undecided_boxes_listed(blog8):
    obj, orbits = blog8
    res = prove_complete(obj, H, 1, BOX, orbits, near_curve(DELTA), max_boxes=100)
    assert res.search.exhausted and res.search.boxes == 100 and not res.complete
    assert res.search.undecided            # the rest of the stack, never dropped
    full = zeros_in_box(obj, H, 1, BOX, near_curve(DELTA))
    assert full.boxes == 1155 and full.decided and not full.exhausted


def test_period_three_count_proved_complete_is_unchanged():
    """The orbit search with its completeness proof for periods 1-3 (BLOG-8 in full mode):
    1, 4 and 12 orbits, each list proved complete outside the band, with the box counts of
    the stored baseline."""
    obj = factorization_vector(1, 1)
    res = search_periodic_orbits(obj, H, 3, BOX, starts=400, dps=30, certify=True, prove=3,
                                 excluded=near_curve(DELTA))
    assert [c.found for c in res.coverage] == [1, 4, 12]
    assert [c.complete for c in res.coverage] == ["proved"] * 3
    assert [c.proof.search.boxes for c in res.coverage] == [1155, 4121, 47319]
    assert all(c.proof.excluded_region == "|xy - 1| < 1/10" for c in res.coverage)


# ---- the minimizer band as a public certificate (BLOG-8 and `orbits --prove`) -------------
def test_minimizer_band_of_blog8_is_proved_with_the_hand_derived_factor():
    """f = (1 − xy)²/2 = (xy − 1)²/2: s = xy − 1 and the exact factor φ = s(G(x))/s(x)
    equals the hand-derived 1 − h(x² + y²) + h²r(r + 1) (curve_residual_map)."""
    obj = factorization_vector(1, 1)
    x, y = obj.vars
    band = minimizer_band(obj, H, BOX, DELTA)
    assert band.proved and band.undecided == 0 and band.curve == "x*y - 1"
    r = x * y - 1
    phi = to_expr(band.factor, obj.vars, "phi")
    assert sp.expand(phi - (1 - H * (x**2 + y**2) + H**2 * r * (r + 1))) == 0
    region = band.region(obj)
    from flint import arb
    assert region([arb(1, 0.01), arb(1, 0.01)]) and not region([arb(2, 0.01), arb(2, 0.01)])


def test_minimizer_band_needs_unstable_minimizers():
    """On the circle x² + y² = 1 of minimizers of (x² + y² − 1)²/4, φ = 1 − 2h (|∇s|² = 4):
    |φ| > 1 for h = 3/2, the band is certified; φ = 0 for h = 1/2 (attracting minimizers),
    it cannot be."""
    obj = Objective("(x**2 + y**2 - 1)**2/4", "x,y")
    assert minimizer_band(obj, sp.Rational(3, 2), (-2, 2), "1/20").proved
    weak = minimizer_band(obj, sp.Rational(1, 2), (-2, 2), "1/20", max_depth=8)
    assert not weak.proved and weak.undecided > 0 and "not shown" in weak.reason


def test_minimizer_band_only_for_squares():
    band = minimizer_band(Objective("x**4/4 - x**2/2 + y**2", "x,y"), 1, (-2, 2))
    assert not band.proved and "square" in band.reason


def test_orbits_prove_prints_the_band_and_the_proof_in_the_table(capsys):
    from lrtheory.cli import main
    code = main(["orbits", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "1.9", "--period", "1",
                 "--box=-2.5,2.5", "--starts", "100", "--dps", "30", "--prove", "1"])
    out = capsys.readouterr().out
    assert code == 0
    row = next(ln for ln in out.splitlines() if ln.startswith("1 ") and "boxes" in ln)
    assert "proved" in row and "branch and bound outside |x*y - 1| < 1/10: 1155 boxes" in row
    assert "minimizer band |x*y - 1| < 1/10: excluded" in out


def test_orbits_prove_says_in_the_table_what_is_undecided(capsys):
    """x³/3 at h = 1/2: the fixed point 0 has multiplier exactly 1, so no Krawczyk test
    isolates it; the table says the proof failed and where the undecided boxes are."""
    from lrtheory.cli import main
    code = main(["orbits", "x**3/3", "--vars", "x", "--lr", "1/2", "--period", "1",
                 "--box=-1,1", "--starts", "50", "--dps", "30", "--prove", "1"])
    out = capsys.readouterr().out
    assert code == 0
    row = next(ln for ln in out.splitlines() if ln.startswith("1 "))
    assert "not proved" in row and "boxes undecided (measure" in row
    assert row.split()[5] in ("estimated", "unknown")
