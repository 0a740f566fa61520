"""WCZT-3, WCZT-4, EOS-1 and EOS-2 under the verdict rule: statements over rates and
initializations are proved (traps in ball arithmetic, exact arguments), exceptions are named
by exact or ball-certified counterexamples, and experiments on named instances say so.
Expected values come from second algorithms: GD in (x, y) or (u, v) at 60 digits instead of
the residual recurrences, sympy's derivatives, exact rational orbits."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from lrtheory.catapult import (landing_rates, lazy_bound, prove_convergence_over_rates,
                               recurrence_residuals, reduced_map, residual_map,
                               residual_map_derivatives)
from lrtheory.certify.sets import Interval
from lrtheory.claims import CheckContext, select
from lrtheory.claims.registry import claim_kind
from proofs_checks import wczt


def _gd_xy(x0, y0, h, steps, mu=1):
    """GD on (mu - xy)^2/2 in (x, y) at 60 digits: the list of iterates."""
    with mpmath.workdps(60):
        x, y, h = mpmath.mpf(x0), mpmath.mpf(y0), mpmath.mpf(h.p) / h.q
        out = [(x, y)]
        for _ in range(steps):
            r = x * y - mu
            x, y = x - h * r * y, y - h * r * x
            out.append((x, y))
        return out


# ---- the residual recurrences -------------------------------------------------------------
def test_residual_map_is_one_gd_step_with_a_label():
    for (x, y), h, mu in (((Fraction(9), Fraction(1)), Fraction(2, 45), 1),
                          ((Fraction(-3, 7), Fraction(5, 2)), Fraction(1, 3), Fraction(3, 2))):
        r = x * y - mu
        x1, y1 = x - h * r * y, y - h * r * x
        assert residual_map(r, x * x + y * y, h, mu) == (x1 * y1 - mu, x1 * x1 + y1 * y1)
    assert recurrence_residuals(2, sp.Rational(1, 2)) == (0, 0)


def test_residual_map_derivatives_are_sympys():
    r, lam, eta, mu, n = sp.symbols("r lam eta mu n")
    new = residual_map(r, lam, eta, mu, n)
    got = residual_map_derivatives(r, lam, eta, mu, n)
    for i in range(2):
        for j, v in enumerate((r, lam, eta)):
            assert sp.simplify(got[i][j] - sp.diff(new[i], v)) == 0


# ---- WCZT-3: traps at single rates and over intervals --------------------------------------
def test_trap_at_h0_encloses_the_limit_of_gd_in_x_and_y():
    h = sp.Rational(2, 45)                      # h0 for (9, 1)
    proof = prove_convergence_over_rates(8, 82, Interval(h, h), mu=1)
    assert proof.verdict == "proved" and proof.h_lambda_max < 2
    x, y = _gd_xy(9, 1, h, 400)[-1]
    with mpmath.workdps(60):
        assert abs(x * y - 1) < mpmath.mpf(10) ** -40
        lam = x * x + y * y
    (_, _, lo, hi), = proof.limits
    assert lo <= float(lam) <= hi and hi - lo < 1e-9
    assert float(lam) * float(h) < proof.h_lambda_max


def test_interval_of_lazy_rates_is_proved_and_its_enclosures_hold():
    lo, hi = sp.Rational(1, 225), sp.Rational(1, 90)     # [h0/10, h0/4] from (9, 1)
    proof = prove_convergence_over_rates(8, 82, Interval(lo, hi), mu=1, max_boxes=400)
    assert proof.verdict == "proved" and proof.undecided_measure == 0
    for h in (lo, (lo + hi) / 2, hi):
        x, y = _gd_xy(9, 1, h, 600)[-1]
        lam = float(x * x + y * y)
        box = [b for b in proof.limits if b[0] <= float(h) <= b[1]]
        assert box and any(b[2] - 1e-9 <= lam <= b[3] + 1e-9 for b in box)


def test_landing_rate_is_a_sign_change_of_x_plus_y_and_is_never_proved():
    h0 = Fraction(2, 45)
    lo, hi = sp.Rational(h0 * Fraction(85463386, 10**8)), \
        sp.Rational(h0 * Fraction(854633862, 10**9))
    j, a, b = landing_rates(8, 82, lo, hi, mu=1)
    assert (j, a, b) == (2, lo, hi)
    s_lo = [x + y for x, y in _gd_xy(9, 1, lo, 4)]
    s_hi = [x + y for x, y in _gd_xy(9, 1, hi, 4)]
    assert s_lo[3] * s_hi[3] < 0 and all(s_lo[k] * s_hi[k] > 0 for k in range(3))
    proof = prove_convergence_over_rates(8, 82, Interval(lo, hi), mu=1, max_boxes=60)
    assert proof.verdict == "undecided" and proof.undecided_measure > 0
    assert landing_rates(8, 82, sp.Rational(1, 225), sp.Rational(1, 90), mu=1) is None


def test_start_sharpness_is_the_largest_hessian_eigenvalue():
    for x0, y0 in wczt.WCZT_STARTS:
        H = sp.Matrix([[y0**2, 2 * x0 * y0 - 1], [2 * x0 * y0 - 1, x0**2]])
        assert sp.simplify(wczt.start_sharpness(x0, y0) - max(H.eigenvals())) == 0


def test_lazy_lemmas_hold_at_the_corners_and_fail_beyond_them():
    """The three inequalities of WCZT-3 (ii) at the corners of their box, exactly; the
    second one needs lambda >= 2 (at lambda = 1/2, r = r0 it fails)."""
    for x0, y0 in wczt.WCZT_STARTS:
        lam0, r0 = x0 * x0 + y0 * y0, x0 * y0 - 1
        for h in (Fraction(0), Fraction(1, lam0 + 1)):
            for r in (0, r0):
                for lam in (2, lam0):
                    assert 1 - h * lam + h * h * r * (r + 1) > 0
                    assert lam - h * r * (r + 1) >= Fraction(1, 2)
                    assert h * r * lam < 4 * (r + 1)
        h = Fraction(1, lam0 + 1)
        assert Fraction(1, 2) - h * r0 * (r0 + 1) < Fraction(1, 2)


# ---- EOS-1 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("a0,q0", [(Fraction(1, 2), Fraction(1, 100)),
                                   (Fraction(3, 2), Fraction(1, 50)),
                                   (Fraction(19, 10), Fraction(1, 1000))])
def test_lazy_bound_bounds_the_change_of_lambda(a0, q0):
    bound = lazy_bound(a0, q0)
    assert bound is not None
    with mpmath.workdps(50):
        start = mpmath.mpf(a0.numerator) / a0.denominator
        a, q = start, mpmath.mpf(q0.numerator) / q0.denominator
        for _ in range(20000):
            a, q = reduced_map(a, q)
        change = (start - a) / start
        assert q < mpmath.mpf(10) ** -30          # the loss has gone
        assert 0 < change <= mpmath.mpf(bound.numerator) / bound.denominator


def test_lazy_bound_needs_its_hypothesis():
    assert lazy_bound(Fraction(5, 2), Fraction(1, 100)) is None      # not lazy
    assert lazy_bound(Fraction(1, 2), Fraction(1, 4)) is None        # q0 too large


def test_exceptions_reach_zero_loss_in_one_step():
    for (u, v), lam_stop in (((Fraction(1), Fraction(8, 5)), Fraction(1521, 625)),
                             ((Fraction(1), Fraction(2)), Fraction(9))):
        f = u * v
        u1, v1 = u - f * v, v - f * u            # eta = 1, n = 1
        assert u1 * v1 == 0 and u1 * u1 + v1 * v1 == lam_stop
    assert 2 < Fraction(89, 25) < 4 and Fraction(1521, 625) > 2


# ---- the rule over the claims ---------------------------------------------------------------
def test_wczt3_is_written_in_the_claim_language():
    assert claim_kind(select(["WCZT-3"])[0]) == "all-of"
    assert claim_kind(select(["EOS-1"])[0]) == "all-of"


def _run(cid, tmp_path):
    ctx = CheckContext(quick=True, figure_dir=tmp_path)
    c, = select([cid])
    ev = c.check(ctx)
    if getattr(ev, "is_expectation", False):
        ev = ev(ctx)
    ev.conclude()
    return ev


@pytest.mark.parametrize("cid", ["WCZT-3", "EOS-1"])
def test_statements_over_sets_are_proved(cid, tmp_path):
    ev = _run(cid, tmp_path)
    assert ev.verdict == "proved"
    assert all(f["verdict"] == "proved" for f in ev.findings)


@pytest.mark.slow
@pytest.mark.parametrize("cid", ["WCZT-4", "EOS-2"])
def test_experiments_say_they_are_observations(cid, tmp_path):
    ev = _run(cid, tmp_path)
    for f in ev.findings:
        if f["verdict"] == "confirmed":
            text = (f["statement"] + f.get("detail", "")).lower()
            assert "observed" in text or "empirical" in text or "lanczos" in text \
                or "perturbation" in text, f["statement"]
