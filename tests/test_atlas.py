"""The certified learning-rate atlas, checked against the quadratic family.

GD on f(x) = x³/3 − x is G_h(x) = x − h(x² − 1), affinely conjugate to z ↦ z² + c with
c = 1/4 − h² (derived and tested below), so every decided box must agree with the
classical windows of z² + c: attracting fixed point for c ∈ (−3/4, 1/4), 2-cycle for
c ∈ (−5/4, −3/4), 4-cycle for c ∈ (c₄, −5/4) (c₄ ≈ −1.3680989 the next doubling), the
3-cycle window from the tangency c = −7/4 to its doubling c ≈ −1.7685292, no orbit of a
period other than a power of two before the Feigenbaum point c_F ≈ −1.4011551890920506
and none of period 3 or 5 before their first tangencies (−7/4 and c ≈ −1.6254137), and
escape of the critical orbit exactly for c < −2 (h > 3/2).
"""
from __future__ import annotations

import json
import math
import pickle
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from lrtheory.atlas import (AtlasSettings, ElementaryGD, PolynomialGD, atlas, classify_box,
                            entropy_lower_bound)
from lrtheory.atlas.classify import exact_text
from lrtheory.cli import main
from lrtheory.errors import InputError
from lrtheory.evaluators import to_arb
from lrtheory.objectives import Objective
from lrtheory.precision import precision
from lrtheory.results import Result

CUBIC = "x**3/3 - x"
C_FEIGENBAUM = -1.4011551890920506
C_PD4 = -1.3680989394
C_P3_DOUBLING = -1.7685292
C_P5_FIRST = -1.6254137


def c_range(box) -> tuple[float, float]:
    """The c-interval of a learning-rate box under c = 1/4 − h²."""
    lo, hi = box.interval
    return float(Fraction(1, 4) - hi * hi), float(Fraction(1, 4) - lo * lo)


@pytest.fixture(scope="module")
def cubic_atlas():
    return atlas(CUBIC, "x", ("1", "1.6"), boxes=12, max_period=6, max_depth=2)


def test_gd_on_the_cubic_is_conjugate_to_the_quadratic_family():
    """x = φ(z) = (1 − 2z)/(2h) turns z ↦ z² + c, c = 1/4 − h², into G_h: G_h(φ(z)) =
    φ(z² + c) identically (β = 1/(2h) kills the linear term, α = −1/h the leading one)."""
    x, z, h = sp.symbols("x z h")
    G = x - h * (x**2 - 1)
    phi = lambda w: (1 - 2 * w) / (2 * h)  # noqa: E731
    c = sp.Rational(1, 4) - h**2
    assert sp.simplify(G.subs(x, phi(z)) - phi(z**2 + c)) == 0


def test_every_decided_box_agrees_with_the_windows_of_z2_plus_c(cubic_atlas):
    for box in cubic_atlas.boxes:
        c_lo, c_hi = c_range(box)
        if box.label == "attracting":
            window = {1: (-0.75, 0.25), 2: (-1.25, -0.75), 4: (C_PD4, -1.25),
                      3: (C_P3_DOUBLING, -1.75)}[box.period]
            assert window[0] < c_lo and c_hi < window[1], box
        elif box.label == "chaotic":
            assert c_hi < C_FEIGENBAUM, box
            assert box.period != 3 or c_hi <= -1.75, box
            assert box.period != 5 or c_hi <= C_P5_FIRST, box
        elif box.label == "divergent":
            assert c_hi < -2, box
    summary = cubic_atlas.summary
    assert all(summary[k]["boxes"] > 0 for k in ("attracting", "chaotic", "divergent"))
    assert summary["attracting_unique"]["boxes"] > 0
    measures = sum(cubic_atlas.measure(k) for k in ("attracting", "chaotic", "divergent",
                                                     "undecided"))
    assert measures == Fraction(6, 10)  # the boxes cover [1, 1.6] without overlap
    ends = [(b.interval) for b in cubic_atlas.boxes]
    assert all(a[1] == b[0] for a, b in zip(ends, ends[1:]))


def test_attracting_two_cycles_contain_the_closed_form(cubic_atlas):
    """The 2-cycle of G_h is x = (1 ∓ √(h² − 1))/h: at both endpoints of every period-2
    box each closed-form point lies in one of the certified enclosures."""
    boxes = [b for b in cubic_atlas.boxes if b.label == "attracting" and b.period == 2]
    assert boxes
    with precision(dps=50):
        for box in boxes:
            for h in box.interval:
                value = sp.Rational(h.numerator, h.denominator)
                for sign in (-1, 1):
                    point = to_arb((1 + sign * sp.sqrt(value**2 - 1)) / value)
                    assert any(ball.to_arb().contains(point) for ball in box.cycle), (box, h)


def test_divergence_starts_after_three_halves():
    """c < −2 iff h > 3/2: a box just above 3/2 is divergent, one containing 3/2 is not."""
    gd = PolynomialGD(Objective(CUBIC, "x"))
    above = classify_box(gd, Fraction(151, 100), Fraction(152, 100), 6)
    assert above.label == "divergent" and above.no_attractor
    across = classify_box(gd, Fraction(149, 100), Fraction(151, 100), 6)
    assert across.label != "divergent"


def test_period_three_window_is_attracting_and_carries_the_golden_entropy():
    gd = PolynomialGD(Objective(CUBIC, "x"))
    # c ∈ (−1.7685, −1.75) is h ∈ (√2, 1.41722): take a box well inside it.
    box = classify_box(gd, Fraction(1416, 1000), Fraction(14165, 10000), 6)
    assert (box.label, box.period) == ("attracting", 3)
    assert box.entropy_lower == pytest.approx(math.log((1 + math.sqrt(5)) / 2), rel=1e-12)
    assert box.entropy_lower <= math.log((1 + math.sqrt(5)) / 2)


def test_entropy_bound_is_bgmy_from_an_independent_root():
    """log(λ_m)/2^k with λ_m the largest root of x^m − 2x^{m−2} − 1 (numpy's roots)."""
    for n, m, k in ((5, 5, 0), (6, 3, 1), (7, 7, 0), (12, 3, 2)):
        roots = np.roots([1, 0, -2] + [0] * (m - 3) + [-1])
        lam = max(r.real for r in roots if abs(r.imag) < 1e-12)
        assert entropy_lower_bound(n) == pytest.approx(math.log(lam) / 2**k, rel=1e-12)
        assert entropy_lower_bound(n) <= math.log(lam) / 2**k + 1e-15
    assert entropy_lower_bound(8) is None


def test_escape_radius_doubles_every_point_beyond_it():
    """|G_h(x)| ≥ 2|x| for |x| ≥ R, checked exactly at rational points and both ends of H."""
    for expr in (CUBIC, "x**4/4 - x**2/2", "x**5/5 + x**2 - 3*x"):
        gd = PolynomialGD(Objective(expr, "x"))
        lo, hi = Fraction(1, 2), Fraction(3, 2)
        R = gd.escape_radius(lo, hi)
        P = sp.Poly(sp.sympify(expr).diff(sp.Symbol("x")), sp.Symbol("x"))
        for h in (lo, hi, (lo + hi) / 2):
            for x in (R, -R, R + Fraction(1, 3), -2 * R, 10 * R):
                g = x - h * Fraction(str(P.eval(sp.Rational(x.numerator, x.denominator))))
                assert abs(g) >= 2 * abs(x), (expr, h, x)


def test_schwarzian_of_the_double_well_is_proved_negative():
    """f = x⁴/4 − x²/2: 2G‴G′ − 3G″² = −72h²x² − 12h² − 12h < 0 (expanded by hand);
    the branch and bound proves it, and it is not claimed for a map where it fails."""
    from flint import arb
    gd = PolynomialGD(Objective("x**4/4 - x**2/2", "x"))
    H = arb(1).union(arb(2))
    assert gd.negative_schwarzian(gd.escape_radius(Fraction(1), Fraction(2)), H)
    bad = PolynomialGD(Objective("-x**4/12 + x**3/3", "x"))  # P = -x^3/3 + x^2
    H = arb(1) / 10
    # At x = 1: G' = 1 - h(-1 + 2) = 0.9, G'' = -h(-2 + 2) = 0, G''' = -h(-2) = 0.2:
    # Q = 2·0.2·0.9 > 0, so SG > 0 there and the proof must fail.
    assert not bad.negative_schwarzian(Fraction(3), H)


def test_serial_and_two_processes_give_the_same_atlas():
    kw = dict(boxes=4, max_period=4, max_depth=1)
    serial = atlas(CUBIC, "x", ("1.05", "1.3"), **kw)
    parallel = atlas(CUBIC, "x", ("1.05", "1.3"), jobs=2, **kw)
    assert serial == parallel
    assert pickle.loads(pickle.dumps(serial)) == serial
    back = Result.from_json(json.loads(json.dumps(serial.to_json(exact=True))))
    assert [(b.lo, b.hi, b.label, b.period) for b in back.boxes] == \
        [(b.lo, b.hi, b.label, b.period) for b in serial.boxes]
    assert back.summary == serial.summary


def test_affine_maps_are_classified_exactly():
    """f = x²: G_h(x) = (1 − 2h)x — attracting for h < 1, divergent for h > 1; the two
    boxes with h = 1 (|1 − 2h| = 1) as an endpoint stay undecided."""
    res = atlas("x**2", "x", ("1/2", "3/2"), boxes=4, max_depth=0)
    labels = [b.label for b in res.boxes]
    assert labels == ["attracting", "undecided", "undecided", "divergent"]
    assert res.measure("attracting") == Fraction(1, 4)
    assert res.measure("no_attractor") == Fraction(1, 4)
    assert res.measure("undecided") == Fraction(1, 2)
    drift = atlas("3*x", "x", ("1", "2"), boxes=1, max_depth=0).boxes[0]  # G = x - 3h
    assert drift.label == "divergent" and drift.no_attractor


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError):
        atlas("x*y*z", "x,y,z", ("1", "2"))
    with pytest.raises(InputError):
        atlas(CUBIC, "x", ("1", "2"), radius="-1")
    with pytest.raises(InputError):
        atlas(CUBIC, "x", ("2", "1"))
    with pytest.raises(InputError):
        atlas(CUBIC, "x", ("1", "2"), boxes=0)


def test_exact_text():
    assert exact_text(Fraction(5, 4)) == "1.25"
    assert exact_text(Fraction(-1, 8)) == "-0.125"
    assert exact_text(Fraction(1, 3)) == "1/3"
    assert exact_text(Fraction(3)) == "3"


def test_dataset_and_plot(cubic_atlas, tmp_path):
    from lrtheory.atlas import write_atlas
    from lrtheory.plotting import plot_atlas
    ds = cubic_atlas.to_dataset()
    assert ds.sizes["box"] == len(cubic_atlas.boxes)
    assert list(ds["lo_exact"].values) == [b.lo for b in cubic_atlas.boxes]
    assert ds.attrs["measure_divergent"] == cubic_atlas.summary["divergent"]["measure"]
    path = write_atlas(cubic_atlas, tmp_path / "atlas.nc")
    import xarray as xr
    with xr.open_dataset(path) as back:
        assert (back["label"].values == ds["label"].values).all()
    ax = plot_atlas(cubic_atlas)
    assert len(ax.patches) >= len(cubic_atlas.boxes)


def test_cli_prints_the_table_and_writes_files(tmp_path, capsys):
    out = tmp_path / "a.json"
    code = main(["atlas", CUBIC, "--vars", "x", "--lr-range", "1.52", "1.6", "--boxes", "2",
                 "--max-period", "3", "--max-depth", "0", "--json", str(out),
                 "--out", str(tmp_path / "a.nc"), "--plot", str(tmp_path / "a")])
    text = capsys.readouterr().out
    assert code == 0
    assert text.splitlines()[1].split()[:3] == ["1.52", "1.6", "divergent"]
    assert all((tmp_path / name).exists() for name in ("a.nc", "a.png", "a.pdf"))
    saved = json.loads(out.read_text())
    assert [b["label"] for b in saved["boxes"]] == ["divergent", "divergent"]


@pytest.mark.parametrize("argv", [
    ["atlas", "sin(x)", "--vars", "x", "--lr-range", "1", "2", "--radius", "0"],
    ["atlas", "x*y*z", "--vars", "x,y,z", "--lr-range", "1", "2"],
    ["atlas", CUBIC, "--vars", "x", "--lr-range", "2", "1"],
    ["atlas", CUBIC, "--vars", "x", "--lr-range", "1", "2", "--boxes", "0"],
    ["atlas", CUBIC, "--vars", "x", "--lr-range", "1", "2", "--out", "a.zarr"],
])
def test_cli_bad_input_exits_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("lrtheory: error:") and len(err.strip().splitlines()) == 1


def test_settings_round_trip():
    s = AtlasSettings(dps=40)
    assert Result.from_json(s.to_json(exact=True)) == s


def test_expectation_proved_for_the_period_two_window():
    """h ∈ [1.05, 1.2] is inside (1, √(3/2)): an attracting 2-cycle at every h."""
    from lrtheory import expect
    ev = expect.attracting_measure(CUBIC, "x", ["1.05", "1.2"], 90, max_period=4, boxes=6,
                                   max_depth=2)()
    assert ev.verdict == "proved"
    assert ev.numbers["attracting measure"]["exact"] == "3/20"


def test_expectation_refuted_beyond_three_halves():
    """h ∈ [1.55, 1.7]: c < −2, the critical orbit escapes, no attracting cycle (Singer):
    "at least 50 %" is refuted."""
    from lrtheory import expect
    ev = expect.attracting_measure(CUBIC, "x", ["1.55", "1.7"], 50, max_period=3, boxes=3,
                                   max_depth=0)()
    assert ev.verdict == "refuted"
    assert ev.numbers["no_attractor measure"]["exact"] == "3/20"


def test_expectation_arguments_and_kind():
    from lrtheory import expect
    from lrtheory.expect.base import ArgumentError
    from lrtheory.expect.kinds import KINDS
    assert KINDS["atlas"].load() is expect.attracting_measure
    with pytest.raises(ArgumentError, match="at_least"):
        expect.attracting_measure(CUBIC, "x", ["1", "2"], 150)
    with pytest.raises(ArgumentError, match="lr_range"):
        expect.attracting_measure(CUBIC, "x", ["2", "1"], 50)


def test_the_toml_claim_of_the_guide_is_proved(tmp_path):
    """The ``kind = "atlas"`` claim shown in docs/guide/atlas.md loads and is proved."""
    import re
    from pathlib import Path

    from lrtheory.claims.toml_claims import load_toml_file
    page = Path(__file__).resolve().parents[1] / "docs" / "guide" / "atlas.md"
    block = re.search(r"```toml\n(.*?)```", page.read_text(), flags=re.S).group(1)
    (tmp_path / "claims.toml").write_text(block)
    specs, problems = load_toml_file(tmp_path / "claims.toml")
    assert not problems and specs[0].kind == "atlas"
    assert specs[0].check().verdict == "proved"


def test_elementary_objective_fixed_point_of_sine():
    """f = sin x: G_h(x) = x − h·cos x fixes −π/2 with multiplier 1 − h (exactly), so
    [1, 3/2] is attracting, and a box with h = 2 (multiplier −1) is not.  Uniqueness is
    not claimed: G(3) = 3 − h·cos 3 > 3, so [−3, 3] is not invariant and Singer's theorem
    has no interval to act on."""
    res = atlas("sin(x)", "x", ("1", "2"), boxes=2, max_period=3, max_depth=0)
    first, second = res.boxes
    assert (first.label, first.period, first.unique) == ("attracting", 1, False)
    assert math.cos(3) < 0 and "[-3, 3] is not proved invariant" in first.reason
    with precision(dps=40):
        assert any(b.to_arb().contains(-to_arb(sp.pi) / 2) for b in first.cycle)
    assert second.label != "attracting"
    assert res.radius == 3.0


def test_elementary_objective_chaos_is_rechecked_in_high_precision():
    """f = −cos x: G_h(x) = x − h·sin x; the orbit that proves chaos on [4, 4.05] is found
    again by Newton's method in high precision at h = 4 and h = 4.05, inside the certified
    enclosure, with minimal period n (G^d(x) ≠ x for proper divisors d)."""
    import mpmath

    from lrtheory.dynamics.orbits import newton_periodic
    obj = Objective("-cos(x)", "x")
    box = classify_box(ElementaryGD(obj, radius=3), Fraction(4), Fraction(405, 100), 5)
    assert box.label == "chaotic" and box.period in (3, 5)
    n = box.period
    for h in ("4", "81/20"):
        found = newton_periodic(obj, [box.cycle[0].mid], h, n, dps=30)
        assert found is not None
        x0 = found[0][0]
        assert box.cycle[0].contains(mpmath.nstr(x0, 30))
        hh = mpmath.mpf(sp.Rational(h).p) / sp.Rational(h).q
        x = x0
        for d in range(1, n):
            x = x - hh * mpmath.sin(x)
            assert abs(x - x0) > 1e-6


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_atlas():
    pytest.importorskip("distributed")
    kw = dict(boxes=4, max_period=3, max_depth=1)
    serial = atlas(CUBIC, "x", ("1.1", "1.6"), **kw)
    assert atlas(CUBIC, "x", ("1.1", "1.6"), dask="local", jobs=2, **kw) == serial


def test_the_period_three_window_is_found_inside_a_chaotic_box():
    """[1.40625, 1.421875] is chaotic as a whole (an orbit of period 5) and holds the
    3-cycle window h ∈ (√2, 1.42075) (c from −7/4 to its doubling): bisection finds
    attracting 3-cycles there and nowhere else."""
    res = atlas(CUBIC, "x", ("1.40625", "1.421875"), boxes=1, max_period=5, max_depth=4)
    three = [b for b in res.boxes if b.label == "attracting"]
    assert three and all(b.period == 3 for b in three)
    for b in three:
        c_lo, c_hi = c_range(b)
        assert C_P3_DOUBLING < c_lo and c_hi < -1.75
