"""REG-1, REG-3..5 under the verdict rule: convergence of GD on ℓ(xy) to the minimizer set
is certified in balls per named (start, rate), statements over intervals of rates and boxes
of starts are proved or left undecided with their measure — never confirmed from a sample.

Expected values come from independent derivations: GD steps and orbits of the objective
itself in mpmath at 50 digits (not the reduced map), the Hessian's eigenvalues by numpy,
the closed-form stability condition hℓ″(µ)N < 2 of a minimizer, and the exact orbit on the
anti-diagonal."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb

from lrtheory.certify.gd_sets import prove_over_sets
from lrtheory.certify.sets import PointSet, box, interval
from lrtheory.claims import CheckContext, select
from lrtheory.claims.registry import claim_kind
from lrtheory.claims.runner import evidence_of
from lrtheory.precision import precision
from lrtheory.stability.regularity import (_sharpness_1d, certified_run, family_objective,
                                           minimizer_region, minimizer_trap, reduced_step)

LOSSES = ("pseudo_huber", "logcosh")


def _mp_gd(loss, h, x0, steps, dps=50):
    """GD on the objective itself (its gradient), in mpmath."""
    obj = family_objective(loss, 1, len(x0) // 2)
    with precision(dps):
        x = [mpmath.mpf(sp.Rational(c).p) / sp.Rational(c).q for c in x0]
        hh = mpmath.mpf(sp.Rational(h).p) / sp.Rational(h).q
        for _ in range(steps):
            g = obj.mpmath.grad(x)
            x = [a - hh * b for a, b in zip(x, g)]
        return x


# ---- the reduced map and the trap ----------------------------------------------------------
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("x0", [("3/2", "-1/3"), ("1/2", "2/3", "-1", "5/4")])
def test_reduced_map_encloses_the_gd_step(loss, x0):
    d = len(x0) // 2
    x1 = _mp_gd(loss, "7/10", x0, 3)
    with precision(50):
        s = mpmath.fsum(a * b for a, b in zip(x1[:d], x1[d:]))
        n = mpmath.fsum(c * c for c in x1)
    with precision(bits=160):
        X = [arb(sp.Rational(c).p) / sp.Rational(c).q for c in x0]
        S = sum((a * b for a, b in zip(X[:d], X[d:])), arb(0))
        N = sum((c * c for c in X), arb(0))
        for _ in range(3):
            S, N = reduced_step(loss, S, N, arb(7) / 10)
        assert abs(float(S.mid()) - float(s)) < 1e-30 and abs(float(N.mid()) - float(n)) < 1e-30


@pytest.mark.parametrize("point", [(2.0, 0.5), (-1.5, 3.0), (0.3, -0.2)])
def test_sharpness_formula_matches_the_hessian_eigenvalues(point):
    obj = family_objective("logcosh", 1, 1)
    lam = np.linalg.eigvalsh(obj.numpy.hess(np.array(point))).max()
    x, y = point
    u = x * y - 1
    S, N = arb(x * y), arb(x * x + y * y)
    got = _sharpness_1d(arb(np.tanh(u)), arb(1 / np.cosh(u)**2), S, N)
    assert abs(float(got.mid()) - lam) < 1e-12


@pytest.mark.parametrize("loss", LOSSES)
def test_trap_at_a_minimizer_follows_the_stability_condition(loss):
    """At an exact minimizer (s = 1, e = 0) the trap exists iff h l''(1) N < 2, l''(1) = 1."""
    h = arb(1) / 2
    assert minimizer_trap(loss, arb(1), arb(3), h) is not None          # hN = 3/2 < 2
    assert minimizer_trap(loss, arb(1), arb("4.5"), h) is None          # hN = 9/4 > 2
    trap = minimizer_trap(loss, arb(1), arb(3), h)
    assert trap.n_limit[0] <= 3 <= trap.n_limit[1] and trap.drift < 1e-300
    assert trap.q >= abs(1 - 0.5 * 3)                                   # the limit's multiplier


# ---- certified runs against independent orbits --------------------------------------------
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("h", ["11/20", "19/20"])
def test_certified_limit_encloses_the_high_precision_orbit(loss, h):
    x0 = ("5", "1/4")
    run = certified_run(loss, h, x0)
    assert run.proved and run.entered is not None
    x = _mp_gd(loss, h, x0, 1500)
    n_inf, s_inf = float(x[0]**2 + x[1]**2), float(x[0] * x[1])
    assert abs(s_inf - 1) < 1e-20
    lo, hi = run.n_limit
    assert lo - 1e-13 <= n_inf <= hi + 1e-13 and hi - lo < 1e-6
    # a certified limit is linearly stable: h N_inf < 2, and the gap is 2/h - N_inf
    assert float(sp.Rational(h)) * n_inf < 2
    assert run.gap[0] - 1e-12 <= 2 / float(sp.Rational(h)) - n_inf <= run.gap[1] + 1e-12
    assert run.imbalance[0] - 1e-9 <= abs(abs(float(x[0])) - abs(float(x[1]))) \
        <= run.imbalance[1] + 1e-9


def test_vector_case_certified_through_the_reduced_map():
    x0 = ("4", "1", "3/16", "5/8")                 # x.y = 11/8
    run = certified_run("pseudo_huber", "1/2", x0)
    x = _mp_gd("pseudo_huber", "1/2", x0, 1500)
    n_inf = float(sum(c * c for c in x))
    assert run.proved and run.n_limit[0] - 1e-12 <= n_inf <= run.n_limit[1] + 1e-12


@pytest.mark.parametrize("loss", LOSSES)
def test_anti_diagonal_is_never_certified(loss):
    """On y = -x the orbit tends to the saddle (0, 0) (x' = x(1 + h l'(-x^2))): no trap may
    hold."""
    run = certified_run(loss, "1/2", ("2", "-2"), steps=400)
    x = _mp_gd(loss, "1/2", ("2", "-2"), 400)
    assert abs(x[0] + x[1]) < 1e-40 and abs(x[0]) < 1e-20
    assert not run.proved


# ---- proofs over sets with the region of the minimizer set ---------------------------------
def test_region_proves_a_box_of_starts_that_trapping_regions_cannot():
    obj = family_objective("pseudo_huber", 1, 1)
    starts = box([["19/20", "21/20"], ["19/20", "21/20"]], 2)
    rates = interval(["1/2", "1/2"])
    plain = prove_over_sets(obj, rates, starts, "converges", max_boxes=40)
    assert plain.verdict == "undecided"          # the minimizers are not isolated
    with_region = prove_over_sets(obj, rates, starts, "converges", max_boxes=200,
                                  regions=(minimizer_region("pseudo_huber"),))
    assert with_region.verdict == "proved"


def test_region_never_proves_a_box_through_the_anti_diagonal():
    obj = family_objective("pseudo_huber", 1, 1)
    starts = box([["19/20", "21/20"], ["-21/20", "-19/20"]], 2)   # holds (1, -1)
    proof = prove_over_sets(obj, interval(["1/2", "1/2"]), starts, "converges",
                            max_boxes=60, regions=(minimizer_region("pseudo_huber"),))
    assert proof.verdict == "undecided" and proof.undecided_measure > 0


def test_region_is_ignored_when_a_limit_point_is_stated():
    obj = family_objective("pseudo_huber", 1, 1)
    proof = prove_over_sets(obj, interval(["1/2", "1/2"]), PointSet([("1", "1")]),
                            "converges", target=("2", "1/2"), max_boxes=5,
                            regions=(minimizer_region("pseudo_huber"),))
    assert proof.verdict != "proved"


# ---- the claims under the rule ----------------------------------------------------------------
def test_the_claims_are_written_in_the_claim_language():
    kinds = {c.id: claim_kind(c) for c in select(["REG-1", "REG-3", "REG-4", "REG-5"])}
    assert set(kinds.values()) == {"all-of"}


@pytest.mark.slow
@pytest.mark.parametrize("cid", ["REG-1", "REG-3", "REG-4", "REG-5"])
def test_no_finding_is_confirmed_from_samples(cid, tmp_path):
    c, = select([cid])
    ev = evidence_of(c, CheckContext(quick=True, figure_dir=tmp_path))
    ev.conclude()
    assert ev.verdict in ("proved", "inconclusive")
    assert all(f["verdict"] != "confirmed" for f in ev.findings), \
        [f["statement"] for f in ev.findings if f["verdict"] == "confirmed"]
    for f in ev.findings:
        if f["verdict"] == "inconclusive":      # an undecided set names its measure
            assert "measure" in f.get("detail", ""), f["statement"]


@pytest.mark.parametrize("loss", LOSSES)
def test_certified_catapult_is_the_float64_one(loss):
    """The episode certified on the ball enclosures of the reduced map is the one the
    detector finds on a float64 run of GD on the objective itself."""
    from lrtheory.stability.regularity import run_family
    from proofs_checks.reg import _certified_catapults
    run = certified_run(loss, "9/20", ("5", "1/4"))
    (f64,) = run_family(loss, 0.45, [[5.0, 0.25]], 1500)
    got = [(c.start, c.peak, c.end) for c in _certified_catapults(run)]
    assert got and got == [(c.start, c.peak, c.end) for c in f64.catapults][:len(got)]
    c = _certified_catapults(run)[0]
    assert c.loss_peak >= 2 * c.loss_start and c.sharp_start > 2 / 0.45 > c.sharp_end
