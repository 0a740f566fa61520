"""Calibration of the orbit-search coverage bound, on maps whose orbit counts are known.

* The GD map of f = x³/3 − x, g(x) = x − h(x² − 1), is affinely conjugate to z ↦ z² + c with
  c = 1/4 − h² (for g = ax² + bx + d, c = ad + b/2 − b²/4).  At h = 8/5, c = −2.31 < −2: all
  2ᵖ period-p points are real (a full horseshoe), so the number of orbits of minimal
  period p is the number of binary necklaces (1/p)·Σ_{d|p} μ(d)·2^{p/d}; FLINT's exact
  root isolation confirms it for small p.  All of them lie in [−1, 13/8] ⊂ (−2, 2).
* GD on (1 − xy)²/2 at h = 1.9 has 408 orbits of minimal period 7 in [−2.5, 2.5]².

The stated level is 95 %; with T independent trials the empirical coverage has binomial
standard error √(0.95·0.05/T), and the tests allow 3 of them below 95 % (a false alarm
about once in 700 runs).  Each test also checks that misses are frequent at the budgets
used, so the calibration is not vacuous.
"""
import math

import numpy as np
import pytest
import sympy as sp

from lrtheory.catalogue import factorization_vector
from lrtheory.dynamics.coverage import (garwood_lower, orbit_count_bound, profile_upper,
                                        unseen_bound)
from lrtheory.dynamics.orbits import (_PeriodPass, real_periodic_points,
                                      search_periodic_orbits, uniform_starts)
from lrtheory.dynamics.symmetry import symmetry_group
from lrtheory.objectives import Objective

LEVEL = 0.95


def necklaces(p: int) -> int:
    """Orbits of minimal period p of the full 2-shift: (1/p)·Σ_{d|p} μ(d)·2^{p/d}."""
    return int(sum(sp.mobius(d) * 2 ** (p // d) for d in sp.divisors(p))) // p


def tolerance(trials: int) -> float:
    """Three binomial standard errors of an empirical coverage of 95 % over ``trials``."""
    return 3 * math.sqrt(LEVEL * (1 - LEVEL) / trials)


# ---- the bound itself -------------------------------------------------------------------
def test_profile_likelihood_maximum_is_chaos_estimate():
    """With f₁ ~ Poisson(μλ), f₂ ~ Poisson(μλ²/2) the likelihood is maximal at λ = 2f₂/f₁,
    μ = f₁²/(2f₂) (set both score equations to zero by hand): the profile bound lies above
    that and grows when the rare classes grow in number."""
    from lrtheory.dynamics.coverage import _profile
    for f1, f2 in [(3, 2), (10, 4), (1, 5)]:
        mle = f1 * f1 / (2 * f2)
        grid = np.exp(np.linspace(-8, 8, 4001))
        best = grid[np.argmax([_profile(m, f1, f2) for m in grid])]
        assert best == pytest.approx(mle, rel=0.01)
        assert profile_upper(f1, f2, 0.975) > mle
    assert profile_upper(6, 2, 0.975) > profile_upper(3, 2, 0.975)


def test_bound_is_infinite_when_the_rare_tail_is_unmeasured():
    """One class seen once and none twice fits any number of very rare classes equally
    well: no bound, coverage unknown."""
    b = unseen_bound([1, 40, 55])
    assert math.isinf(b.upper) and b.frequencies == (1, 0)


def test_garwood_lower_bound_closed_form():
    """P(Poisson(λ) ≥ 1) = 1 − e^{−λ} = 0.025 at λ = −ln 0.975; for c = 2,
    P(X ≥ 2) = 1 − e^{−λ}(1 + λ) solved by bisection."""
    assert garwood_lower(1, 0.975) == pytest.approx(-math.log(0.975), rel=1e-9)
    lo, hi = 0.0, 5.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 1 - math.exp(-mid) * (1 + mid) < 0.025 else (lo, mid)
    assert garwood_lower(2, 0.975) == pytest.approx(lo, rel=1e-9)
    assert garwood_lower(0, 0.975) == 0.0


def test_saturated_sample_gives_a_small_finite_bound():
    b = unseen_bound([400] * 30)
    assert b.frequencies == (0, 0) and b.estimate == 0 and 0 <= b.upper <= 1
    estimate, upper, _ = orbit_count_bound([400] * 30, [2] * 30, 4)
    assert estimate == 60 and 60 <= upper <= 64


# ---- calibration: end-to-end seeded searches on the horseshoe ------------------------------
def test_necklace_counts_match_exact_root_isolation():
    x = sp.Symbol("x")
    g = x - sp.Rational(8, 5) * (x**2 - 1)
    for p in range(1, 6):
        assert len(real_periodic_points(g, x, p, (-2, 2))) == p * necklaces(p)


@pytest.mark.slow
def test_coverage_is_calibrated_on_the_horseshoe():
    """60 seeded searches with a small fixed budget (2·2^(p−1) starts at period p, one
    round): at periods 5-7 the count found is often short of the necklace count, and the
    stated one-sided 95 % bound holds it at the stated rate."""
    obj = Objective("x**3/3 - x", "x")
    trials = covered = missed = 0
    for seed in range(60):
        res = search_periodic_orbits(obj, "8/5", 7, (-2, 2), starts=2, dps=20, seed=seed,
                                     max_rounds=1)
        for c in res.coverage[4:]:
            truth = necklaces(c.period)
            assert c.found <= truth
            trials += 1
            missed += c.found < truth
            covered += c.interval[0] <= truth <= c.interval[1]
    assert missed >= 0.2 * trials
    assert covered / trials >= LEVEL - tolerance(trials)


# ---- calibration: subsampled budgets on the 2-D map of BLOG-8 ------------------------------
@pytest.fixture(scope="module")
def period_seven_pool():
    """Starts of one large seeded pool at period 7 and the classes they reached."""
    obj = factorization_vector(1, 1)
    group = symmetry_group(obj, (-2.5, 2.5))
    period = _PeriodPass(obj, sp.Rational(19, 10), 7, (-2.5, 2.5), 20, False)
    period.add(uniform_starts((-2.5, 2.5), 2, 2**17, 0, (7, 0)))
    classes = period.close(group)
    return period, classes, len(group)


@pytest.mark.slow
def test_coverage_is_calibrated_on_subsampled_period_seven(period_seven_pool):
    """300 random subsamples of n ∈ {4096, 8192, 16384} of the pool's starts: the bound
    holds the known count 408 at the stated rate, while the subsamples miss orbits in most
    trials."""
    period, classes, order = period_seven_pool
    roots = sorted(set(classes))
    sizes = {r: classes.count(r) for r in roots}
    counts = np.array(period.class_counts(classes))
    pool = period.starts
    rng = np.random.default_rng(11)
    trials = covered = missed = 0
    for n in (4096, 8192, 16384):
        for _ in range(100):
            drawn = rng.multivariate_hypergeometric(np.append(counts, pool - counts.sum()),
                                                    n)[:-1]
            seen = [(k, sizes[r]) for k, r in zip(drawn, roots) if k > 0]
            found = sum(s for _, s in seen)
            _, upper, _ = orbit_count_bound([k for k, _ in seen], [s for _, s in seen], order)
            trials += 1
            missed += found < 408
            covered += found <= 408 <= upper
    assert missed >= 0.5 * trials
    assert covered / trials >= LEVEL - tolerance(trials)
