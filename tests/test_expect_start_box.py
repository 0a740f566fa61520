"""start_box for the kinds "monotone" and "limit-sharpness": decided over the whole box
of starts in balls (branch and bound), refuted by a named start re-checked on its own, or
inconclusive naming the undecided boxes — and the library functions behind the kinds
(:mod:`lrtheory.certify`, :mod:`lrtheory.dynamics`), checked against closed forms."""
from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb

from lrtheory import expect
from lrtheory.certify.limit_sets import LimitCover, limits_over_box
from lrtheory.certify.monotone_sets import MonotoneProof, prove_monotone_over_box
from lrtheory.certify.sets import box
from lrtheory.certify.stationary import tight_limit
from lrtheory.claims import CheckContext
from lrtheory.dynamics.orbit_lists import OrbitList, exact_orbits, superstable_orbit
from lrtheory.dynamics.quantities import quantity_differences
from lrtheory.errors import InputError
from lrtheory.expect.kinds import KINDS
from lrtheory.objectives import Objective

x = sp.Symbol("x")
QUAD = Objective(x**2 / 2, (x,))
DOUBLE_WELL = "x**4/4 - x**2/2"       # minimizers ±1 with f'' = 2, a maximum at 0


def run(expectation):
    ev = expectation(CheckContext())
    assert ev.findings
    return ev


# ---- monotone over a box of starts ------------------------------------------------------------
def test_monotone_over_a_box_away_from_the_minimizer_is_proved():
    # f = x²/2, h = 1/2: x_k = x0/2^k > 0 on [1, 2], q(x_{k+1}) − q(x_k) = −3x_k²/8 < 0
    ev = run(expect.monotone("x**2/2", "x", quantity="x**2/2", lr="1/2", steps=5,
                             direction="nonincreasing", start_box=["1", "2"]))
    assert ev.verdict == "proved" and ev.method == "interval"
    assert isinstance(ev.result, MonotoneProof) and ev.result.verdict == "proved"


def test_monotone_over_a_box_is_refuted_at_a_named_start():
    # h = 3: x1 = −2 x0, so q(x1) − q(x0) = 3 x0²/2 > 0 for x0 ≠ 0
    ev = run(expect.monotone("x**2/2", "x", quantity="x**2/2", lr="3", steps=5,
                             direction="nonincreasing", start_box=["-1", "2"]))
    assert ev.verdict == "refuted" and ev.method == "exact"
    start = Fraction(ev.numbers["counterexample"].exact.split(" = ")[1])
    assert -1 <= start <= 2 and start != 0
    x1 = start - 3 * start
    assert f"= {x1**2 / 2 - start**2 / 2}, so" in ev.findings[0]["statement"]


def test_monotone_near_a_stationary_point_names_the_undecided_starts():
    ev = run(expect.monotone("x**2/2", "x", quantity="x**2/2", lr="1/2", steps=5,
                             direction="nonincreasing", start_box=["-1", "2"]))
    assert ev.verdict == "inconclusive"
    proof = ev.result
    measure = ev.numbers["undecided_measure"].value
    assert 0 < measure < 1e-2 and measure == pytest.approx(
        sum(b - a for ((a, b),) in proof.undecided))
    assert any(a <= 0 <= b for ((a, b),) in proof.undecided)  # the minimizer x* = 0


def test_conservation_over_a_box_is_refuted_at_exact_starts_or_proved_symbolically():
    ev = run(expect.monotone("x**2/2", "x", quantity="x**2/2", lr="1/2", steps=3,
                             direction="conserved", start_box=["1", "2"]))
    assert ev.verdict == "refuted" and ev.method == "exact"
    # x − y is conserved by GD on (x + y)²/2: the gradient is along (1, 1)
    ev = run(expect.monotone("(x + y)**2/2", "x,y", quantity="x - y", lr="1/3", steps=3,
                             direction="conserved", start_box=[["0", "1"], ["0", "1"]]))
    assert ev.verdict == "proved" and ev.method == "symbolic"


def test_monotone_kind_takes_starts_or_start_box():
    kind = KINDS["monotone"]
    assert {"starts", "start_box"} <= set(kind.optional)
    common = dict(objective="x**2/2", vars="x", quantity="x**2/2", lr="1/2", steps=2,
                  direction="nonincreasing")
    assert kind.load()(**common, start_box=["1", "2"]).start_box is not None
    with pytest.raises(InputError, match="start_box: give either"):
        kind.load()(**common, starts=["1"], start_box=["1", "2"])
    with pytest.raises(InputError, match="starts: give starts"):
        kind.load()(**common)
    with pytest.raises(InputError, match="start_box"):
        kind.load()(**common, start_box=["1", "inf"])


# ---- limit sharpness over a box of starts -----------------------------------------------------
def test_limit_sharpness_over_a_box_is_proved_at_the_edge_of_stability():
    # every start of [1/2, 3/2] converges to x* = 1 at h = 1/2; f''(1) = 2 <= 2/h = 4
    ev = run(expect.limit_sharpness(DOUBLE_WELL, "x", lr="1/2", start_box=["1/2", "3/2"],
                                    at_most="2/h"))
    assert ev.verdict == "proved" and ev.method == "interval"
    cover = ev.result
    assert isinstance(cover, LimitCover) and cover.verdict == "proved"
    assert [round(c[0], 12) for c, _ in cover.limits] == [1.0]
    assert ev.numbers["limit0_sharpness"].value == pytest.approx(2.0, rel=1e-12)
    assert LimitCover.from_json(json.dumps(cover.to_json(exact=True)), exact=True) == cover


def test_limit_sharpness_over_a_box_refuted_by_the_limit_or_by_a_start():
    ev = run(expect.limit_sharpness(DOUBLE_WELL, "x", lr="1/2", start_box=["1/2", "3/2"],
                                    at_least="3"))
    assert ev.verdict == "refuted"                   # λ_max = f''(1) = 2 < 3
    # h = 11/10 > 2/f''(±1) = 1: the minimizers repel and GD settles on a 2-cycle
    ev = run(expect.limit_sharpness(DOUBLE_WELL, "x", lr="11/10", start_box=["1/2", "3/2"],
                                    at_most="2/h"))
    assert ev.verdict == "refuted" and "cycle of period 2" in ev.findings[0]["statement"]
    start = float(Fraction(ev.numbers["counterexample"].exact.split(" = ")[1]))
    z = start
    for _ in range(4000):                           # independent float64 run
        z = z - 1.1 * (z**3 - z)
    assert abs((z - 1.1 * (z**3 - z)) - z) > 0.1    # not settling on a point


def test_limit_sharpness_over_a_box_with_a_repelling_stationary_point_is_inconclusive():
    ev = run(expect.limit_sharpness(DOUBLE_WELL, "x", lr="1/2", start_box=["-3/2", "3/2"],
                                    at_most="2/h"))
    assert ev.verdict == "inconclusive"
    assert any(a <= 0 <= b for ((a, b),) in ev.result.undecided)
    assert 0 < ev.numbers["undecided_measure"].value < 1e-2


# ---- the library functions the kinds call -------------------------------------------------------
def test_quantity_differences_exact_and_over_a_ball_of_starts():
    # f = x²/2, h = 1/2, q = x²: x_k = x0/2^k, d_k = −3 x0²/4^(k+1)
    diffs = quantity_differences(QUAD, x**2, (sp.Integer(1),), sp.Rational(1, 2), 4)
    assert [(Fraction(int(d.p), int(d.q)), e) for d, e in diffs] == \
        [(Fraction(-3, 4 ** (k + 1)), True) for k in range(4)]
    balls = quantity_differences(QUAD, x**2, (arb(1, 1e-3),), sp.Rational(1, 2), 3)
    for k, (d, exact) in enumerate(balls):
        assert not exact and d.contains(arb(-3) / 4 ** (k + 1))


def test_monotone_proof_is_a_result():
    proof = prove_monotone_over_box(QUAD, x**2 / 2, sp.Rational(3), box(["-1", "2"], 1), 3,
                                    "nonincreasing")
    assert proof.verdict == "refuted" and proof.recheck == "exact"
    assert MonotoneProof.from_json(json.dumps(proof.to_json())) == proof


def test_tight_limit_encloses_the_minimizer():
    obj = Objective(sp.sympify(DOUBLE_WELL), (x,))
    (ball,) = tight_limit(obj, [1.0004], 1e-3)
    assert ball.contains(1) and ball.rad() < 1e-15


def test_superstable_orbit_and_exact_orbit_lists():
    # f = x³/3 − x: G(x) = x − h(x² − 1) has its critical point at x = 1/(2h); at h = 1/2
    # G(1) = 1 is a superstable fixed point (G'(1) = 1 − 2h·1 = 0)
    obj = Objective(x**3 / 3 - x, (x,))
    assert superstable_orbit(obj, sp.Rational(1, 2), 1) == 1
    found = exact_orbits(obj, sp.Rational(1, 2), 1)
    assert isinstance(found, OrbitList) and found.complete
    # fixed points of G are the stationary points ±1: both found, certified
    assert sorted(round(float(o.points[0][0]), 12) for o in found.orbits) == [-1.0, 1.0]
    assert OrbitList.from_json(found.to_json(exact=True), exact=True) == found
    # the old import paths still work
    from lrtheory.expect.eos import tight_limit as old_tight
    from lrtheory.expect.orbits import superstable_orbit as old_superstable
    from lrtheory.expect.quantities import quantity_differences as old_differences
    assert (old_tight, old_superstable, old_differences) == (
        tight_limit, superstable_orbit, quantity_differences)


def test_every_kind_keeps_its_evidence_result():
    ev = run(expect.periodic_orbit("x**3/3 - x", "x", lr="11/10", period=2, stable=True))
    assert isinstance(ev.result, OrbitList) and ev.result.period == 2
    assert math.isfinite(ev.numbers["orbit_x0"].value)
    assert json.loads(json.dumps(ev.to_json()))["result"]["type"] == "OrbitList"


def test_toml_claims_with_a_start_box(tmp_path):
    from lrtheory.claims import discover, run_claim
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "box.toml").write_text('''
[sources.paper]
authors = ["A. Author"]
title = "Boxes of starts"
year = 2025

[[claim]]
id = "B-1"
title = "The loss decreases from every start of [1, 2]"
statement = "$x^2/2$ is nonincreasing along GD at $h = 1/2$ from every $x_0 \\\\in [1, 2]$."
kind = "monotone"
objective = "x**2/2"
vars = "x"
quantity = "x**2/2"
start_box = ["1", "2"]
lr = "1/2"
steps = 5
direction = "nonincreasing"

[[claim]]
id = "B-2"
title = "Sharpness at most 2/h from every start of [1/2, 3/2]"
statement = "GD at $h = 1/2$ converges to a point of sharpness $\\\\le 2/h$."
kind = "limit-sharpness"
objective = "x**4/4 - x**2/2"
vars = "x"
start_box = ["1/2", "3/2"]
lr = "1/2"
at_most = "2/h"
''')
    registry = discover(claims=[str(tmp_path / "claims")], cwd=tmp_path)
    verdicts = {c.id: run_claim(c, CheckContext()).verdict for c in registry.claims()}
    assert verdicts == {"B-1": "proved", "B-2": "proved"}
