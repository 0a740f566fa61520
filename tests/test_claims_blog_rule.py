"""BLOG-3, BLOG-4, BLOG-5, BLOG-7 and BLOG-9 under the rule "never confirmed from samples":
the exact defect expansion behind the order proofs against independent derivations, the
reductions of BLOG-7's regimes against direct computation, the transverse dynamics of
BLOG-9, and the findings of the claims themselves."""
from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp
from flint import fmpq

from lrtheory.claims import CheckContext, claim_kind, run_claims, select
from lrtheory.modeq import poly
from lrtheory.modeq.identities import both_derivations
from proofs_checks.blog.modified_equations import defect_expansion, leading_defect_at


def _as_expr(J, p) -> sp.Expr:
    return poly.to_expr(p, J.symbols)


@pytest.mark.parametrize("n, N", [(1, 0), (1, 3), (2, 0), (2, 2), (3, 1)])
def test_defect_expansion_vanishes_below_order_and_leads_with_the_next_field(n, N):
    """c_1..c_{N+1} = 0 and c_{N+2} = -F_{N+1}, with F_{N+1} from the B-series of explicit
    Euler (the other derivation), compared as polynomials in the named jets."""
    J, cs = defect_expansion(n, N)
    assert len(cs) == N + 2
    assert all(c.is_zero() for v in cs[:-1] for c in v)
    Jb, _, bs = both_derivations(n, N + 1)
    same_jet = {Jb.symbols[k]: J.symbols[J.index[a]] for k, a in enumerate(Jb.alphas)
                if a in J.index}
    lead = [sp.expand(_as_expr(J, c)) for c in cs[-1]]
    assert lead == [sp.expand(-_as_expr(Jb, c).xreplace(same_jet)) for c in bs[N + 1]]
    assert any(e != 0 for e in lead)


def test_gradient_flow_defect_is_half_hessian_times_gradient():
    """N = 0 (BLOG-3): phi_h(x) - (x - h grad f) = (h^2/2) H grad f + O(h^3), written out."""
    J, cs = defect_expansion(2, 0)
    fx, fy, fxx, fxy, fyy = (sp.Symbol(s, real=True) for s in
                             ("f_x", "f_y", "f_xx", "f_xy", "f_yy"))
    got = [sp.expand(_as_expr(J, c)) for c in cs[-1]]
    names = {str(s) for e in got for s in e.free_symbols}
    assert names <= {"f_x", "f_y", "f_xx", "f_xy", "f_yy"}
    sub = {s: {str(t): t for t in (fx, fy, fxx, fxy, fyy)}[str(s)]
           for e in got for s in e.free_symbols}
    got = [e.xreplace(sub) for e in got]
    assert got == [sp.expand((fxx * fx + fxy * fy) / 2), sp.expand((fxy * fx + fyy * fy) / 2)]


@pytest.mark.parametrize("N", [0, 1, 3])
def test_leading_defect_of_a_quadratic_matches_the_closed_form_flow(N):
    """f = 3x^2/2: the order-N flow is x0 e^{h a_N}, a_N = -sum_{n<=N} 3^{n+1} h^n/(n+1);
    the h^{N+2} coefficient of x0 e^{h a_N} - (1 - 3h)x0 by sympy's series against the
    ball enclosure of the jet coefficient, at x0 = 2."""
    h = sp.Symbol("h")
    a = -sum(sp.Integer(3) ** (n + 1) * h**n / (n + 1) for n in range(N + 1))
    series = sp.series(2 * sp.exp(h * a) - 2 * (1 - 3 * h), h, 0, N + 3).removeO()
    assert all(series.coeff(h, m) == 0 for m in range(N + 2))
    expected = series.coeff(h, N + 2)
    J, cs = defect_expansion(1, N)
    (ball,) = leading_defect_at(J, cs[-1], "3*x**2/2", "x", ["2"])
    assert ball.contains(fmpq(int(expected.p), int(expected.q)))
    assert ball.rad() < 1e-10


def test_leading_defect_of_log_cosh_is_the_closed_form():
    """N = 0 for log cosh x at x0 = 2: c_2 = f''f'/2 = sech^2(2) tanh(2)/2 (mpmath)."""
    J, cs = defect_expansion(1, 0)
    (ball,) = leading_defect_at(J, cs[-1], "log(cosh(x))", "x", ["2"])
    with mpmath.workdps(30):
        value = mpmath.sech(2) ** 2 * mpmath.tanh(2) / 2
    assert abs(float(ball.mid()) - float(value)) < 1e-14
    assert not ball.contains(0)


@pytest.mark.parametrize("h", ["1/5", "1/10", "1/50"])
def test_quadratic_small_h_bound_dominates_the_exact_error(h):
    """BLOG-7, x^2/2: max_k |e^{-kh} - (1-h)^k| <= (h/2)e^{h-1} < 1/20 (the reduction),
    against the error computed directly over every step until it is negligible."""
    hv = mpmath.mpf(sp.Rational(h))
    with mpmath.workdps(30):
        worst = max(abs(mpmath.exp(-k * hv) - (1 - hv) ** k) for k in range(1, 4000))
        bound = hv / 2 * mpmath.exp(hv - 1)
    assert worst <= bound < mpmath.mpf(1) / 20
    assert worst > bound / 2  # the bound is not loose by more than a factor 2


def test_log_cosh_small_h_bound_dominates_the_error_against_the_exact_flow():
    """BLOG-7, log cosh x, h = 1/10: |x_k - x(kh)| <= h sup|f''f'|/(2 sech^2 1) for every
    step, x(t) = asinh(sinh(1) e^{-t}) the exact flow."""
    with mpmath.workdps(30):
        h = mpmath.mpf(1) / 10
        x, worst = mpmath.mpf(1), mpmath.mpf(0)
        for k in range(1, 800):
            x -= h * mpmath.tanh(x)
            worst = max(worst, abs(x - mpmath.asinh(mpmath.sinh(1) * mpmath.exp(-k * h))))
        sup = 2 / (3 * mpmath.sqrt(3))  # max of sech^2 t tanh t, at tanh^2 t = 1/3
        bound = h * sup / (2 * mpmath.sech(1) ** 2)
    assert worst <= bound < mpmath.mpf(1) / 20


def test_modified_flows_of_the_quadratic_fail_beyond_one_over_l():
    """BLOG-7, x^2/2, h in (1, 2): the first step of every order-N flow (N <= 6) misses
    x_1 = 1 - h by h - 1 + e^{h a_N(h)} >= 1/20, checked on a fine grid of exact rates."""
    for i in range(1, 200):
        h = 1 + mpmath.mpf(i) / 200
        for N in range(7):
            a = -sum(h**n / (n + 1) for n in range(N + 1))
            assert abs((1 - h) - mpmath.exp(h * a)) >= mpmath.mpf(1) / 20


def test_transverse_dynamics_of_the_diagonal_exactly():
    """BLOG-9: x' - y' = (x - y)(1 - h(1 - xy)) for one GD step on (1 - xy)^2/2, in exact
    rationals at several points and rates."""
    for x, y, h in [(fmpq(1, 3), fmpq(5, 4), fmpq(19, 10)), (fmpq(-7, 5), fmpq(2, 9), fmpq(1)),
                    (fmpq(3, 2), fmpq(3, 2), fmpq(19, 10))]:
        r = 1 - x * y
        xn, yn = x + h * r * y, y + h * r * x
        assert xn - yn == (x - y) * (1 - h * r)


def test_diagonal_entropy_bound_is_log_golden_ratio():
    """The entropy bound of a period-3 orbit (BLOG-9's chaos) is log((1 + sqrt 5)/2),
    rounded down."""
    from lrtheory.atlas.entropy import entropy_lower_bound
    value = entropy_lower_bound(3)
    exact = math.log((1 + math.sqrt(5)) / 2)
    assert value <= exact and exact - value < 1e-12


def test_claims_are_written_in_the_claim_language():
    claims = {c.id: c for c in select(["BLOG-3", "BLOG-4", "BLOG-5", "BLOG-7", "BLOG-9"])}
    assert {i: claim_kind(c) for i, c in claims.items()} == dict.fromkeys(claims, "all-of")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    ctx = CheckContext(quick=True, figure_dir=tmp_path_factory.mktemp("figures"))
    doc = run_claims(select(["BLOG-3", "BLOG-4", "BLOG-5", "BLOG-7", "BLOG-9"]), ctx)
    return {c["id"]: c for c in doc["claims"]}


def _findings(record):
    return record["evidence"]["findings"]


@pytest.mark.slow
def test_no_finding_over_a_set_is_confirmed_from_samples(records):
    """A finding quantified over a set ("for every", "every h", "O(h", orders from several
    h) is never confirmed; a confirmed finding names its explicit instance."""
    for rid, record in records.items():
        for f in _findings(record):
            text = f["statement"]
            if f["verdict"] == "confirmed":
                assert "explicit" in text, (rid, text)
            if "for every" in text.lower() or "O(h" in text:
                assert f["verdict"] in ("proved", "refuted", "inconclusive"), (rid, text)


@pytest.mark.slow
def test_order_claims_rest_on_proofs_and_the_attractor_stays_undecided(records):
    """The orders of BLOG-3/4/5 are proved by the expansion (its finding is 'proved'), the
    fitted slopes agree with them, and BLOG-9 names what it leaves undecided."""
    for rid in ("BLOG-3", "BLOG-4", "BLOG-5"):
        ev = records[rid]["evidence"]
        expansion = [f for f in _findings(records[rid]) if "One-step defect" in f["statement"]]
        assert expansion and all(f["verdict"] == "proved" for f in expansion), rid
        slopes = {k: v["value"] for k, v in ev["numbers"].items() if "slope" in k or
                  k.startswith("order_")}
        assert slopes, rid
    b4 = records["BLOG-4"]["evidence"]["numbers"]
    assert abs(b4["one_step_slope[(1-xy)^2/2]"]["value"] - 3) < 0.1
    assert abs(records["BLOG-3"]["evidence"]["numbers"]["order_logcosh"]["value"] - 1) < 0.1
    undecided = [f for f in _findings(records["BLOG-9"]) if f["verdict"] == "inconclusive"]
    assert undecided and "Undecided" in undecided[0]["detail"]
    assert records["BLOG-9"]["verdict"] == "inconclusive"


@pytest.mark.parametrize("field, flow", [
    ("-x", lambda t: mpmath.exp(-t)),                         # x' = -x
    ("-x**3", lambda t: 1 / mpmath.sqrt(1 + 2 * t)),           # x' = -x^3
])
def test_flow_time_integral_brackets_the_closed_form_flow(field, flow):
    """The flow of x' = F(x) from 1 bracketed by its time integral (BLOG-7's proofs for the
    modified flows of log cosh x) against the closed-form solution."""
    from lrtheory.evaluators import compile_exprs
    from lrtheory.objectives import Objective
    from proofs_checks.blog.modified_equations import _grid, flow_bracket, flow_from_one
    obj = Objective(field, "x")
    F = compile_exprs([obj.expr], obj.vars, "arb")
    grid = _grid(fmpq(1, 100), 400)
    taus = flow_from_one(F, grid)
    assert taus is not None
    for t in (fmpq(1, 10), fmpq(1), fmpq(3, 2), fmpq(4)):
        lo, hi = flow_bracket(grid, taus, t)
        exact = flow(mpmath.mpf(int(t.p)) / int(t.q))
        assert float(lo) < exact < float(hi)
        assert float(hi) - float(lo) < 0.1 * exact  # a few cells of the 1.2 % grid


def test_log_cosh_order_effects_in_balls_enclose_the_integrated_errors():
    """BLOG-7, log cosh x: the ball bounds of the order-6 error at h = 1/2 and of the
    order-4/order-5 errors at h = 5/2 against the same errors from the GBS integrator
    (lrtheory.modeq.order, 25 digits)."""
    from lrtheory.claims import Evidence
    from lrtheory.modeq import modified_equation
    from lrtheory.modeq.order import global_error
    from proofs_checks.blog.modified_equations import logcosh_proved_instances
    bounds = logcosh_proved_instances(Evidence(), 1, CheckContext(quick=True))
    assert bounds["proved"]
    me = modified_equation("log(cosh(x))", 6, "x")
    with mpmath.workdps(25):
        e6 = global_error(me, 6, ["1"], "0.5", 1)
        e4 = global_error(me, 4, ["1"], "2.5", 5)
        e5 = global_error(me, 5, ["1"], "2.5", 5)
    assert e6 <= bounds["order6_at_half"] < 0.05
    assert e4 <= bounds["order4_at_5/2"] < bounds["order5_at_5/2"] <= e5
