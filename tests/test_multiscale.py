"""Tests of lrtheory.multiscale (KT-1..KT-5): σ² closed forms, reference laws, long runs,
regime classifier, period doublings.  Expected values come from closed forms derived by
hand (in the docstrings) or from a second algorithm."""
import json
import math
import pickle

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lrtheory.dynamics.diagrams import orbit_diagram
from lrtheory.errors import InputError
from lrtheory.multiscale.analysis import MultiscaleSample, sample
from lrtheory.multiscale.gibbs import (Distances, GibbsLaw, bounded_noise_chains,
                                       bounded_noise_variance, distances,
                                       gibbs_variance_quadratic, ks_distance, tv_distance)
from lrtheory.multiscale.large_deviations import OccupationExponent
from lrtheory.multiscale.model import Multiscale
from lrtheory.multiscale.noise import NoiseLaw, noise_law, periodic_average
from lrtheory.dynamics.bifurcations import feigenbaum_ratios
from lrtheory.multiscale.regimes import (DoublingPoint, classify_chains, majority,
                                         period_doubling_points)
from lrtheory.multiscale.roundoff import (ChainStatistics, StatisticDifference,
                                          StatisticsComparison, compare_statistics,
                                          float64_chain_statistics, mp_chain_statistics)
from lrtheory.multiscale.sampling import ChainRun, run_chains, uniform_starts
from lrtheory.multiscale.transfer import StationaryLaw
from lrtheory.objectives import Objective
from lrtheory.precision import precision


def sine_model(eps, f0="x**2/2"):
    return Multiscale.periodic(f0, "sin(x)", eps)


# ---- σ² ---------------------------------------------------------------------------------
def test_sigma2_sine_is_one_half_exactly():
    law = noise_law(sine_model("1/100"))
    assert law.exact and law.sigma2 == sp.Rational(1, 2) and law.mean[0] == 0


def test_sigma2_two_harmonics():
    """f1' = cos y + (9/10) cos 3y: mean square 1/2 + (81/100)/2 = 181/200."""
    law = noise_law(Multiscale.periodic("x**2/2", "sin(x) + 3*sin(3*x)/10", "1/10"))
    assert law.sigma2 == sp.Rational(181, 200)


@given(a=st.integers(-4, 4), b=st.integers(-4, 4), k=st.integers(1, 5), m=st.integers(1, 5))
def test_sigma2_quadrature_matches_closed_form(a, b, k, m):
    """f1 = a sin(k y) + b cos(m y), k != m or not: σ² = ⟨(a k cos ky − b m sin my)²⟩
    = (a²k² + b²m²)/2 (cross term averages to 0 over the common period 2π)."""
    if a == 0 and b == 0:
        return
    ms = Multiscale.periodic("x**2/2", f"{a}*sin({k}*x) + {b}*cos({m}*x)", "1/10",
                             periods=[2 * sp.pi])
    law = noise_law(ms, exact=False)
    assert float(law.sigma2) == pytest.approx((a * a * k * k + b * b * m * m) / 2, rel=1e-12)
    assert law.error < 1e-10


def test_sigma2_quasi_periodic_torus_average():
    """ζ = −(2π cos 2πθ₁ − 2π√2 sin 2πθ₂): variance 4π²/2 + 8π²/2 = 6π²."""
    ms = Multiscale.quasi_periodic("x**2/2", "sin(2*pi*t1) + cos(2*pi*t2)", [1, "sqrt(2)"],
                                   "1/100")
    exact = noise_law(ms)
    assert exact.exact and sp.simplify(exact.sigma2 - 6 * sp.pi**2) == 0
    approx = noise_law(ms, exact=False)
    assert float(approx.sigma2) == pytest.approx(6 * math.pi**2, rel=1e-12)


def test_sigma2_two_dimensional_covariance():
    """∇(sin y1 cos y2) = (cos y1 cos y2, −sin y1 sin y2): covariance diag(1/4, 1/4)."""
    law = noise_law(Multiscale.periodic("(x**2 + y**2)/2", "sin(x)*cos(y)", "1/10", "x,y"))
    assert law.cov == sp.diag(sp.Rational(1, 4), sp.Rational(1, 4)) and law.isotropic


def test_periodic_average_error_estimate():
    vals, err = periodic_average([sp.exp(sp.cos(sp.Symbol("y")))], [sp.Symbol("y")],
                                 [2 * math.pi])
    assert vals[0] == pytest.approx(float(mpmath.besseli(0, 1)), abs=1e-13) and err < 1e-12


@pytest.mark.parametrize("f0,f1,eps,kw", [
    ("x**2/2", "x", "1/10", {}),              # not periodic
    ("x**2/2", "sin(x)", "0", {}),            # eps <= 0
    ("x**2/2", "sin(x)", "-1", {}),
    ("x**2/2", "sin(z)", "1/10", {}),         # unknown variable
    ("x**2/2", "sin(x", "1/10", {}),          # malformed
])
def test_bad_multiscale_input(f0, f1, eps, kw):
    with pytest.raises(InputError):
        Multiscale.periodic(f0, f1, eps, **kw)


def test_resonant_frequencies_rejected():
    with pytest.raises(InputError):
        Multiscale.quasi_periodic("x**2/2", "sin(2*pi*t1)*cos(2*pi*t2)", [1, 2], "1/10")


def test_objective_is_f0_plus_eps_f1_of_x_over_eps():
    ms = sine_model(sp.Rational(1, 50))
    x = ms.vars[0]
    assert sp.simplify(ms.objective.expr - (x**2 / 2 + sp.sin(50 * x) / 50)) == 0
    assert ms.cell == pytest.approx(2 * math.pi / 50)


# ---- reference laws -------------------------------------------------------------------
def test_bounded_noise_variance_formula_symbolic():
    h, s2 = sp.symbols("eta sigma2", positive=True)
    assert sp.simplify(bounded_noise_variance(h, s2) - h * s2 / (2 - h)) == 0
    assert sp.simplify(bounded_noise_variance(h, s2) / gibbs_variance_quadratic(h, s2) - 1
                       - h / (2 - h)) == 0


def test_bounded_noise_variance_rejects_unstable():
    with pytest.raises(InputError):
        bounded_noise_variance(2.5, 0.5)


def test_gibbs_law_quadratic_against_erf():
    """f0 = x²/2: Gibbs law N(0, ησ²/2); CDF ½(1 + erf(t/√(2v)))."""
    h, s2 = 0.2, 0.5
    x = sp.Symbol("x", real=True)
    g = GibbsLaw(x**2 / 2, x, h, s2)
    v = h * s2 / 2
    assert g.variance == pytest.approx(v, rel=1e-8)
    for t in (-0.3, -0.05, 0.0, 0.17):
        assert g.cdf(t) == pytest.approx(0.5 * (1 + math.erf(t / math.sqrt(2 * v))), abs=1e-9)


def test_gibbs_law_not_normalizable():
    x = sp.Symbol("x", real=True)
    with pytest.raises(InputError):
        GibbsLaw(x, x, 0.1, 0.5)


def test_distances_of_binned_laws():
    p = np.array([0.1, 0.4, 0.5])
    q = np.array([0.3, 0.2, 0.5])
    assert tv_distance(p, q) == pytest.approx(0.2)
    assert ks_distance(p, q) == pytest.approx(0.2)
    assert tv_distance(p, p) == 0 and ks_distance(p, p) == 0


def test_bounded_noise_simulation_matches_formula():
    """iid-noise model: variance ησ²/(2 − η) within 4 standard errors."""
    h = 0.3
    ms = sine_model(1e-3)
    run = bounded_noise_chains(ms, h, uniform_starts(0, 0.5, 2000, 1), 600, burn=100, tail=0)
    assert abs(run.variance - bounded_noise_variance(h, 0.5)) < 4 * run.variance_se


def test_deterministic_gd_variance_matches_bounded_noise_not_gibbs():
    """KT-3: GD on x²/2 + ε sin(x/ε), ε = η/1000: variance ησ²/(2 − η), which differs from
    the Gibbs value ησ²/2 by the factor 2/(2 − η)."""
    h = 0.3
    ms = sine_model(h / 1000)
    run = run_chains(ms.objective, h, uniform_starts(0, 0.5, 3000, 1), 800, burn=100, tail=0)
    bn, gibbs = bounded_noise_variance(h, 0.5), gibbs_variance_quadratic(h, 0.5)
    assert abs(run.variance - bn) < 4 * run.variance_se
    assert abs(run.variance - gibbs) > 20 * run.variance_se


def test_tv_to_gibbs_same_for_gd_and_iid_bounded_noise():
    """The TV distance of GD's histogram to Gibbs equals that of the iid bounded-noise
    model (a second, stochastic algorithm) within the sampling noise; both are O(η), not
    small, at η = 0.4 (variance ratio 2/(2 − η) and excess kurtosis −1.5(1−ρ²)/(1+ρ²))."""
    h = 0.4
    ms = sine_model(h / 1000)
    sd = math.sqrt(h / 4)
    opts = dict(burn=100, bins=120, hist_range=(-8 * sd, 8 * sd), tail=0)
    x0 = uniform_starts(0, 0.5, 3000, 1)
    law = GibbsLaw(ms.f0, ms.vars[0], h, 0.5)
    gd = distances(run_chains(ms.objective, h, x0, 800, **opts), law)
    bn = distances(bounded_noise_chains(ms, h, x0, 800, seed=1, **opts), law)
    assert 0 < gd.tv_noise < 0.01
    assert abs(gd.tv - bn.tv) < 4 * (gd.tv_noise + bn.tv_noise)
    assert gd.tv > 0.05


# ---- runs, Lyapunov, regimes ----------------------------------------------------------
def test_run_counts_and_divergence():
    ms = sine_model(1e-3)
    run = run_chains(ms.objective, 2.5, uniform_starts(0, 0.5, 10, 1), 300, tail=8)
    assert run.diverged.all()
    run = run_chains(ms.objective, 0.1, uniform_starts(0, 0.5, 10, 1), 300, thin=3, tail=8)
    assert not run.diverged.any()
    assert run.counts.sum() == 10 * run.samples and run.samples == 100


def test_lyapunov_converged_equals_log_multiplier():
    eps, h = 1e-2, 1e-3
    ms = sine_model(eps)
    run = run_chains(ms.objective, h, uniform_starts(0, 0.2, 20, 1), 3000, burn=3000)
    limit = run.tail[-1]
    expect = np.log(np.abs(1 - h * ms.objective.numpy.hess(limit)[:, 0, 0]))
    assert np.allclose(run.chain_lyapunov, expect, atol=1e-8)


def test_lyapunov_global_chaos_asymptotics():
    """E log|1 − η(1 − sin(U)/ε)| → log(η/ε) + E log|sin U| = log(η/(2ε)) as η/ε → ∞."""
    eps, h = 1e-4, 0.1
    run = run_chains(sine_model(eps).objective, h, uniform_starts(0, 0.5, 200, 1), 2000,
                     burn=200)
    lam = run.chain_lyapunov
    assert abs(lam.mean() - math.log(h / (2 * eps))) < 4 * lam.std() / math.sqrt(lam.size) + 2e-3


def test_lyapunov_two_dimensional_quadratic():
    """f = (x² + 4y²)/2, η = 0.1: Dφ = diag(0.9, 0.6), largest exponent log 0.9."""
    obj = Objective("(x**2 + 4*y**2)/2", "x,y")
    run = run_chains(obj, 0.1, uniform_starts(0, 1, 5, 2), 200, tail=0)
    assert np.allclose(run.chain_lyapunov, math.log(0.9), atol=1e-10)


@pytest.mark.parametrize("ratio,eps,want", [
    (0.2, 1e-3, "local-min"), (1.5, 1e-2, "local-min"), (4.3, 1e-3, "local-chaos"),
    (200, 1e-4, "global-chaos")])
def test_regime_classifier_clear_cases(ratio, eps, want):
    ms = sine_model(eps)
    run = run_chains(ms.objective, ratio * eps, uniform_starts(0, 0.2, 60, 1), 2000,
                     burn=2000, bins=20)
    got, frac = majority(classify_chains(run, ms.cell))
    assert got == want and frac[want] > 0.8


def test_regime_unstable_beyond_two_over_L0():
    ms = sine_model(1e-4)
    run = run_chains(ms.objective, 2.2, uniform_starts(0, 0.2, 20, 1), 500, bins=20)
    assert majority(classify_chains(run, ms.cell))[0] == "unstable"


# ---- period doublings ------------------------------------------------------------------
def test_first_doubling_closed_form_and_multipliers():
    """η₁ = 2/f″(x*) with f″(x*) = 1 − sin(x*/ε)/ε at the minimum; every later point has
    multiplier −1 to working precision, and the float64 orbit between η₂ and η₃ has
    period 4."""
    eps = sp.Rational(1, 1000)
    ms = sine_model(eps)
    with precision(30):
        pts = period_doubling_points(ms, 0.0, 3)
        xs = pts[0].x
        assert abs(xs + mpmath.cos(xs * 1000)) < mpmath.mpf(10) ** -25      # f'(x*) = 0
        assert abs(pts[0].eta - 2 / (1 - 1000 * mpmath.sin(xs * 1000))) < 1e-28
        for p in pts[1:]:
            assert abs(p.multiplier + 1) < mpmath.mpf(10) ** -20
        etas = [p.eta for p in pts]
        assert etas[0] < etas[1] < etas[2]
    from lrtheory.dynamics.classify import classify_tail
    h = float(etas[1] + etas[2]) / 2
    run = run_chains(ms.objective, h, [[float(pts[1].x) + 1e-7]], 20000, tail=128)
    assert classify_tail(run.tail, max_period=32)[0]["period"] == 4


def test_feigenbaum_ratios_formula():
    assert feigenbaum_ratios([0, 1, 1.25, 1.3125]) == [4.0, 4.0]


@pytest.mark.parametrize("h,steps,burn", [(0.0005, 40, 7), (0.1, 6, 2)])
def test_mp_chain_statistics_match_a_plain_mpmath_loop(h, steps, burn):
    """Second algorithm: x ← x − η(x + cos(x/ε)) and log|1 − η(1 − sin(x/ε)/ε)| written
    out in mpmath; the moments average x_{burn+1}, …, x_{burn+steps}.  (A local minimum,
    and a chaotic run short enough that 30-digit round-off stays below 1e-15.)"""
    x0s = [0.1, -0.25]
    got = mp_chain_statistics(sine_model(sp.Rational(1, 1000)), h, x0s, steps, burn, dps=30)
    with precision(30):
        eps = mpmath.mpf(1) / 1000
        for j, x0 in enumerate(x0s):
            # lrtheory's number rule: a float means its shortest decimal (0.1 = 1/10)
            x, hh = mpmath.mpf(repr(x0)), mpmath.mpf(repr(h))
            for _ in range(burn):
                x = x - hh * (x + mpmath.cos(x / eps))
            s1 = s2 = sl = 0
            for _ in range(steps):
                sl += mpmath.log(abs(1 - hh * (1 - mpmath.sin(x / eps) / eps)))
                x = x - hh * (x + mpmath.cos(x / eps))
                s1, s2 = s1 + x, s2 + x * x
            assert got.mean[j] == pytest.approx(float(s1 / steps), rel=1e-12, abs=1e-15)
            assert got.second[j] == pytest.approx(float(s2 / steps), rel=1e-12)
            assert got.lyapunov[j] == pytest.approx(float(sl / steps), rel=1e-12)


def test_compare_statistics_identical_is_zero():
    a = {"m": np.array([1.0, 2.0, 3.0])}
    assert compare_statistics(a, a)["m"].z == 0


def test_doubling_points_match_float64_orbit_diagram():
    """Second algorithm (lrtheory.dynamics.diagrams): a fixed point just below η₁, two
    values just above η₁, four just above η₂ (starts on the followed branch)."""
    eps = sp.Rational(1, 1000)
    ms = sine_model(eps)
    with precision(20):
        pts = period_doubling_points(ms, 0.0, 2)
    e1, e2 = float(pts[0].eta), float(pts[1].eta)
    hs = [e1 * 0.98, e1 * 1.05, e2 * 1.005]
    starts = [[float(pts[0].x) + 1e-7], [float(pts[0].x) + 1e-7], [float(pts[1].x)]]
    counts = []
    for h, x0 in zip(hs, starts):
        d = orbit_diagram(ms.objective, [h], [x0], transient=20000, keep=64)
        counts.append(len(np.unique(np.round(d["values"][0] / 1e-10))))
    assert counts == [1, 2, 4]


def test_quasi_periodic_two_dimensional_covariance():
    """F₁ = sin 2πθ, θ = (x + √2 y)/ε: ∇f_{1,ε} = 2π cos(2πθ)(1, √2), so
    Cov ζ = 2π²[[1, √2], [√2, 2]] (anisotropic: no single σ²)."""
    ms = Multiscale.quasi_periodic("(x**2 + y**2)/2", "sin(2*pi*t1)", [[1, "sqrt(2)"]],
                                   "1/100", "x,y")
    law = noise_law(ms)
    r2 = sp.sqrt(2)
    assert sp.simplify(law.cov - 2 * sp.pi**2 * sp.Matrix([[1, r2], [r2, 2]])) == sp.zeros(2)
    assert not law.isotropic
    run = run_chains(ms.objective, 0.1, uniform_starts(0, 0.5, 50, 2), 200, tail=4)
    assert not run.diverged.any() and run.chain_lyapunov.mean() > 0


# ---- result objects: exact JSON round trip and pickling --------------------------------
_f = st.floats(allow_nan=True, allow_infinity=True)
_fin = st.floats(allow_nan=False, allow_infinity=False)
_opt = st.none() | _fin
_int = st.integers(0, 10**9)
_mpf = st.builds(lambda m, e: mpmath.mpf(mpmath.libmp.from_man_exp(m, e)),
                 st.integers(-2**200, 2**200), st.integers(-300, 300))


def _arr(shape, dtype=np.float64, elements=_f):
    return hnp.arrays(dtype, shape, elements=elements)


def _round_trips(r):
    assert type(r).from_json(r.to_json(exact=True)) == r
    assert type(r).from_json(json.dumps(r.to_json(exact=True))) == r
    assert pickle.loads(pickle.dumps(r)) == r
    assert type(r).__name__ in repr(r) and "<table>" in r._repr_html_()


@st.composite
def chain_runs(draw):
    C, n, T, bins = (draw(st.integers(1, 4)) for _ in range(4))
    return ChainRun(draw(_fin), draw(_int), draw(_int), draw(st.integers(1, 9)), draw(_int),
                    draw(_arr((C, n))), draw(_arr((C, n, n))), draw(_arr((C,))),
                    draw(_arr((C, n))), draw(_arr((C, n))),
                    draw(_arr((2, bins + 2), np.int64, st.integers(0, 2**40))),
                    draw(_arr((bins + 1,))), draw(_arr((T, C, n))),
                    draw(_arr((C,), np.bool_, st.booleans())),
                    draw(st.none() | _arr((C, 2))))


_rational = st.builds(sp.Rational, st.integers(-50, 50), st.integers(1, 50))
_matrix = st.integers(1, 3).flatmap(
    lambda d: st.lists(_rational, min_size=d * d, max_size=d * d).map(
        lambda v: sp.ImmutableMatrix(d, d, v)))


@given(chain_runs(),
       st.builds(NoiseLaw, _matrix, _matrix, st.booleans(), _fin),
       st.builds(Distances, _f, _f, _f, _f),
       st.builds(OccupationExponent, _f, _f, _f),
       st.builds(DoublingPoint, st.integers(1, 9), st.integers(1, 256), _mpf, _mpf, _mpf))
def test_multiscale_results_round_trip(run, law, dist, occ, point):
    for r in (run, law, dist, occ, point):
        _round_trips(r)


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(_arr((n + 1,)), _arr((n,)))),
       st.integers(1, 5).flatmap(lambda C: st.tuples(*[_arr((C,))] * 3)),
       st.none() | st.integers(15, 100),
       st.dictionaries(st.sampled_from(["mean", "second", "lyapunov"]),
                       st.tuples(_f, _f, _f, _f, _f)))
def test_law_and_statistics_round_trip(grid, stats, dps, diffs):
    _round_trips(StationaryLaw(*grid))
    _round_trips(ChainStatistics(*stats, 100, 10, dps))
    _round_trips(StatisticsComparison({k: StatisticDifference(k, *v) for k, v in diffs.items()}))


_regimes = st.fixed_dictionaries({r: st.floats(0, 1) for r in
                                  ("local-min", "local-chaos", "global-chaos", "unstable")})


@given(st.builds(MultiscaleSample, st.sampled_from(["1/2", "0.5000000001"]), st.booleans(),
                 st.sampled_from(["local-min", "global-chaos"]), _regimes, _opt, _opt,
                 _opt | st.tuples(_opt, _opt),
                 _opt | st.tuples(st.tuples(_opt, _opt), st.tuples(_opt, _opt)), _opt, _opt,
                 _opt, _opt, _opt, _opt, _int, _int, _int, _int))
def test_multiscale_sample_round_trip(s):
    _round_trips(s)


def test_multiscale_results_from_runs_round_trip():
    ms = sine_model(sp.Rational(1, 1000))
    x0 = uniform_starts(0, 0.5, 6, 1)
    run = run_chains(ms.objective, 0.1, x0, 200, bins=20, tail=4)
    out = sample(ms, 0.1, steps=400, chains=20)
    with precision(20):
        pts = period_doubling_points(ms, 0.0, 1)
    comparison = compare_statistics(mp_chain_statistics(ms, 0.1, x0[:2, 0], 30, dps=20),
                                    float64_chain_statistics(ms, 0.1, x0[:2, 0], 30))
    for r in [run, out, noise_law(ms), noise_law(ms, exact=False), comparison, pts[0],
              distances(run, GibbsLaw(ms.f0, ms.vars[0], 0.1, 0.5))]:
        _round_trips(r)
    assert out.sigma2 == "1/2" and comparison["lyapunov"].name == "lyapunov"
    assert out["regime"] == out.regime and comparison["mean"]["z"] == comparison["mean"].z
    assert set(dict(comparison.items())) == {"mean", "second", "lyapunov"}
