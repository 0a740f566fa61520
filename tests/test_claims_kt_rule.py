"""KT-1, KT-2 and KT-5 under the verdict rule: statements over sets of rates and starts are
proved (or left undecided), named instances are checked at named rates — never a sample
standing for an interval.  Expected values come from closed forms (the fixed point of
ε u + cos u = 0 and its multiplier, the escape bound t* = η/(η − 2)) and second algorithms
(mpmath orbits at 60 digits)."""
from __future__ import annotations

import mpmath
import pytest

from lrtheory.certify.sets import interval
from lrtheory.claims import CheckContext, select
from lrtheory.claims.registry import claim_kind
from lrtheory.expect.base import objective_arg
from proofs_checks import kt


class Ctx:
    quick = True

    def progress(self, message):
        pass


def _eps():
    """ε = 1/1000 at the working precision."""
    return mpmath.mpf(1) / 1000


def _u_star():
    """The minimum near −π/2 of g(u) = ε u²/2 + sin u: ε u + cos u = 0 (60 digits)."""
    with mpmath.workdps(60):
        return mpmath.findroot(lambda u: _eps() * u + mpmath.cos(u), -1.57)


def _q(text):
    """An exact ratio "p/q" as an mpmath number at the working precision."""
    p, q = text.split("/")
    return mpmath.mpf(int(p)) / int(q)


def _findings(ev, verdict=None):
    return [f for f in ev.findings if verdict is None or f["verdict"] == verdict]


# ---- the scaled coordinate --------------------------------------------------------------
def test_scaled_objective_is_gd_on_f_in_u_equal_x_over_eps():
    obj = objective_arg(kt.SCALED, "u")
    f = objective_arg(kt.F_EPS, "x")
    with mpmath.workdps(60):
        eta, x = mpmath.mpf(21) / 5000, mpmath.mpf(-1) / 1000
        u, r = x / _eps(), eta / _eps()
        for _ in range(25):
            x = x - eta * (x + mpmath.cos(x / _eps()))
            u = u - r * obj.mpmath.grad([u])[0]
            assert abs(x - _eps() * u) < mpmath.mpf(10) ** -40
        assert abs(f.mpmath.grad([x])[0] - (x + mpmath.cos(x / _eps()))) < mpmath.mpf(10) ** -50


# ---- KT-1 / KT-5: the convergent interval -------------------------------------------------
def test_convergence_over_the_interval_is_proved_about_the_closed_form_minimum():
    ev = kt.CONVERGENT(Ctx())
    assert ev.verdict == "proved"
    text = _findings(ev, "proved")[-1]["statement"]
    assert "For every h in [1/10, 19/10] and every start in [-4, 1]" in text
    assert f"{float(_u_star()):.5f}"[:-1] in text         # -1.5692..., the trap's centre


@pytest.mark.parametrize("q", [100, 10000])
def test_the_full_run_proves_the_convergent_interval_at_other_eps(q):
    import sympy as sp
    part = kt._convergent(sp.Rational(1, q))
    def described(quick):
        return [p.describe() for p in kt._kt1_parts(quick)]
    assert part.describe() in described(False) and part.describe() not in described(True)
    ev = part(Ctx())
    assert ev.verdict == "proved"
    with mpmath.workdps(30):
        u = mpmath.findroot(lambda u: u / q + mpmath.cos(u), -1.57)
    assert f"{float(u):.5f}"[:-1] in _findings(ev, "proved")[-1]["statement"]


def test_the_multiplier_bound_is_the_closed_form_at_the_ends_of_the_interval():
    ev = kt._negative_over_rates(Ctx())
    ev.conclude()
    assert ev.verdict == "proved"
    u = _u_star()
    with mpmath.workdps(60):
        curvature = _eps() - mpmath.sin(u)
        q = max(abs(1 - r * curvature) for r in (mpmath.mpf(1) / 10, mpmath.mpf(19) / 10))
    bound = ev.numbers["multiplier_bound_convergent"].value    # an upper bound, tight
    assert float(q) <= bound <= float(q) * (1 + 1e-8)
    assert float(q) < 1


def test_a_wider_interval_reaching_the_first_doubling_is_not_proved():
    """Past η₁/ε = 2/(ε − sin u*) the minimum repels: convergence over [1/10, 2] fails."""
    from lrtheory.certify.gd_sets import prove_over_sets
    from lrtheory.certify.sets import box
    r1 = 2 / (_eps() - mpmath.sin(_u_star()))
    assert 1.99 < r1 < 2
    proof = prove_over_sets(objective_arg(kt.SCALED, "u"), interval(["19/10", "2"]),
                            box([["-2", "-1"]], 1), "converges", max_boxes=200)
    assert proof.verdict == "undecided"
    rates = [b[0] for b in proof.undecided]    # only next to and beyond the doubling
    assert min(lo for lo, _ in rates) > 1.97 and max(hi for _, hi in rates) == 2
    assert any(lo <= r1 <= hi for lo, hi in rates)


# ---- KT-1: local boundedness, divergence, global spread ---------------------------------
def test_local_chaos_stays_in_an_invariant_interval():
    ev = kt.LOCAL_BOUNDED(Ctx())
    assert ev.verdict == "proved"
    assert "invariant box [-4.18" in _findings(ev, "proved")[-1]["statement"]


@pytest.mark.slow
def test_a_radius_smaller_than_the_local_attractor_is_refuted():
    from lrtheory import expect
    tight = expect.throughout(expect.gd_bounded(kt.SCALED, "u", lr="4",
                                                start_box=[["-3", "0"]], radius="3"),
                              lr_range=["4", "9/2"])(Ctx())
    assert tight.verdict == "refuted"      # the attractor reaches u < -4 (mpmath below)
    with mpmath.workdps(30):
        u, low = mpmath.mpf(-1), mpmath.mpf(0)
        for _ in range(3000):
            u = u - 4 * (_eps() * u + mpmath.cos(u))
            low = min(low, u)
    assert -6 < low < -3


@pytest.mark.parametrize("eta", ["21/10", "5/2", "3/1"])
@pytest.mark.parametrize("eps", ["1/100", "1/10000"])
def test_orbits_beyond_the_escape_bound_grow_like_eta_minus_one(eta, eps):
    with mpmath.workdps(60):
        h, e = _q(eta), _q(eps)
        tstar = h / (h - 2)
        for x0 in (tstar + mpmath.mpf(1) / 10, -tstar - mpmath.mpf(1) / 1000):
            x = x0
            for k in range(1, 40):
                x = x - h * (x + mpmath.cos(x / e))
                assert abs(x) - tstar >= (h - 1) ** k * (abs(x0) - tstar) * (1 - 1e-30)


def test_divergence_finding_is_proved_and_names_what_it_excludes():
    ev = kt.Evidence()
    kt._divergence_beyond_two(ev)
    finding, = ev.findings
    assert finding["verdict"] == "proved" and "|x0| > eta/(eta - 2)" in finding["statement"]
    assert "fixed point" in finding["detail"]
    # the excluded starts matter: the minimum is a fixed point of GD at every rate
    u = _u_star()
    with mpmath.workdps(60):
        assert abs(_eps() * u + mpmath.cos(u)) < mpmath.mpf(10) ** -50


def test_global_spread_is_a_lower_bound_of_the_60_digit_orbit_range():
    ev = kt.Evidence()
    kt._global_spread(ev, steps=30)
    cells = ev.numbers["global_chaos_cells_crossed"].value
    with mpmath.workdps(400):
        u, lo, hi = mpmath.mpf(-1), mpmath.mpf(-1), mpmath.mpf(-1)
        for _ in range(30):
            u = u - 100 * (_eps() * u + mpmath.cos(u))
            lo, hi = min(lo, u), max(hi, u)
        exact = float((hi - lo) / (2 * mpmath.pi))
    assert cells <= exact and cells == pytest.approx(exact, rel=1e-6) and cells > 4


# ---- KT-5: the periodic window ------------------------------------------------------------
def test_the_window_is_proved_and_its_cycle_attracts_in_a_second_computation():
    ev = kt._window(quick=True)(Ctx())
    assert ev.verdict == "proved"
    with mpmath.workdps(30):
        r = mpmath.mpf(9505) / 1000
        u = mpmath.mpf(-3)
        for _ in range(2000):
            u = u - r * (_eps() * u + mpmath.cos(u))
        v = u - r * (_eps() * u + mpmath.cos(u))
        w = v - r * (_eps() * v + mpmath.cos(v))
        assert abs(w - u) < 1e-20 and abs(v - u) > 1
        m = (1 - r * (_eps() - mpmath.sin(u))) * (1 - r * (_eps() - mpmath.sin(v)))
        assert abs(m) < 1                   # λ = log|m|/2 < 0 in the window


# ---- KT-2: named rates against the closed form of the first doubling ------------------------
def test_named_window_rates_lie_between_the_doublings():
    r1 = 2 / (_eps() - mpmath.sin(_u_star()))   # multiplier -1 of the fixed point
    ev = kt._kt2_cascade(Ctx())
    ev.conclude()
    assert ev.verdict == "confirmed"
    assert ev.numbers["eta_1_over_eps"].value == pytest.approx(float(r1), rel=1e-12)
    etas = [ev.numbers[f"eta_{k}_over_eps"].value for k in (1, 2, 3, 4)]
    for k, (r, period) in enumerate(kt.KT2_WINDOWS):
        assert etas[k] < float(r) < etas[k + 1] and period == 2 ** (k + 1)
    acc = ev.numbers["accumulation_eta_over_eps"].value
    assert all(float(r) > acc for r in kt.KT2_CHAOS_RATES)
    for (lo, hi), period, k in kt.KT2_WINDOW_INTERVALS:     # inside the window of 2^k
        assert etas[k] < float(lo) < float(hi) < etas[k + 1] and period == 2 ** (k + 1)
    proved = [f for f in _findings(ev, "proved") if f["statement"].startswith("for every")]
    assert len(proved) == len(kt.KT2_WINDOW_INTERVALS)


# ---- KT-3 / KT-4: refutations that were numerical --------------------------------------------
def test_bounded_noise_variance_is_the_geometric_series_of_the_noise():
    ev = kt.Evidence()
    kt._bounded_noise_orders(ev)
    finding, = ev.findings
    assert finding["verdict"] == "proved" and "limit 1/2 of error/eta" in finding["statement"]
    with mpmath.workdps(40):                 # Var = sum_k eta^2 sigma^2 (1 - eta)^(2k)
        for eta in (_q("1/10"), _q("2/5")):
            series = mpmath.nsum(lambda k: eta ** 2 * _q("1/2") * (1 - eta) ** (2 * k),
                                 [0, mpmath.inf])
            assert abs(series / (eta * _q("1/2") / 2) - 1 - eta / (2 - eta)) < 1e-30


def test_the_shifted_double_well_cell_is_gd_on_f_in_v_equal_x_over_eps_minus_997():
    g = objective_arg(kt.DOUBLE_WELL_CELL, "v")
    with mpmath.workdps(40):
        for v in (_q("-2/1"), _q("1/3"), _q("3/1")):
            x = _eps() * (v + 997)
            f_prime = x * (x ** 2 - 1) + _q("1/20") + mpmath.cos(x / _eps())
            assert abs(g.mpmath.grad([v])[0] - f_prime) < 1e-30
    ev = kt.KT4_STAYS(Ctx())
    assert ev.verdict == "proved"
    with mpmath.workdps(40):                 # the limit: the cell's minimum near x = 0.9974
        v = mpmath.findroot(lambda v: g.mpmath.grad([v])[0], 0.4)
    assert f"{float(v):.5f}"[:-1] in _findings(ev, "proved")[-1]["statement"]


# ---- the rule over the claims ---------------------------------------------------------------
def test_the_claims_are_written_in_the_claim_language():
    kinds = {c.id: claim_kind(c) for c in select(["KT-1", "KT-2", "KT-5"])}
    assert kinds == {"KT-1": "all-of", "KT-2": "all-of", "KT-5": "all-of"}


def test_kt4_is_written_in_the_claim_language():
    assert claim_kind(select(["KT-4"])[0]) == "all-of"


@pytest.mark.slow
@pytest.mark.parametrize("cid", ["KT-1", "KT-2", "KT-3", "KT-4", "KT-5"])
def test_no_finding_over_a_set_is_confirmed(cid, tmp_path):
    ctx = CheckContext(quick=True, figure_dir=tmp_path)
    c, = select([cid])
    ev = c.check(ctx)
    if getattr(ev, "is_expectation", False):
        ev = ev(ctx)
    ev.conclude()
    if cid in ("KT-3", "KT-4"):              # their limits in eta are not decided
        assert ev.verdict == "inconclusive"
    else:
        assert ev.verdict in ("proved", "confirmed")
    for f in ev.findings:
        text = f["statement"].lower()
        if "for every" in text or "every start" in text:
            assert f["verdict"] == "proved", f["statement"]
        if f["verdict"] == "refuted":       # a refutation is re-checked exactly or in balls
            assert any(m in f["method"] for m in ("exact", "symbolic", "interval"))
        if f["verdict"] == "confirmed":     # numbers at named rates, never a sample of a set
            assert not any(w in text for w in ("every", "majority", "scanned", "between the",
                                               "measured regime")), f["statement"]
