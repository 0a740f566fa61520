"""The falsifier and the pytest assertions: planted false bounds are found, true ones are not."""
import pytest
import sympy as sp
from flint import fmpq
from hypothesis import strategies as st

from lrtheory.claims import REGISTRY, Claim, Evidence
from lrtheory.errors import InputError
from lrtheory.falsify import Outcome, conjunction, falsify, tightness
from lrtheory.objectives import Objective
from lrtheory.smoothness import (
    GDInstance, SmoothObjective, monotone_decrease, per_step_descent, summed_descent)
from lrtheory.strategies import gd_instances, quadratics
from lrtheory.testing import assert_claim, assert_refuted, assert_statement


def test_shrinks_to_the_minimal_counterexample():
    rep = falsify(st.integers(0, 10**6), lambda n: n < 1000, max_examples=200)
    assert rep.refuted and rep.counterexample == 1000


def test_target_steers_toward_a_narrow_violation():
    # violated only on [999_000, 10**6]; the score rises toward it
    def statement(n):
        return Outcome(n < 999_000, score=(n - 999_000) / 10**6)
    rep = falsify(st.integers(0, 10**6), statement, max_examples=300)
    assert rep.refuted and rep.counterexample == 999_000


def test_undecided_is_neither_pass_nor_failure():
    rep = falsify(st.integers(0, 10), lambda n: None, max_examples=20)
    assert not rep.refuted and rep.held == 0 and rep.undecided == rep.examples > 0


def test_search_is_deterministic():
    planted = per_step_descent(4, scale=fmpq(4, 5))
    a = falsify(gd_instances(quadratics()), planted, max_examples=30)
    b = falsify(gd_instances(quadratics()), planted, max_examples=30)
    assert repr(a.counterexample) == repr(b.counterexample) and a.examples == b.examples


def _violates_per_step_by_hand(inst, scale):
    """Independent check of one planted counterexample: exact GD step on ½xᵀAx."""
    obj = inst.problem.objective
    x = [sp.Rational(int(c.p), int(c.q)) for c in inst.x0]
    h = sp.Rational(int(inst.h.p), int(inst.h.q))
    L = sp.Rational(int(inst.problem.L.p), int(inst.problem.L.q))
    s = sp.Rational(int(scale.p), int(scale.q))
    for _ in range(4):
        sub = dict(zip(obj.vars, x))
        g = [gi.subs(sub) for gi in obj.gradient]
        x1 = [xi - h * gi for xi, gi in zip(x, g)]
        f0, f1 = obj.expr.subs(sub), obj.expr.subs(dict(zip(obj.vars, x1)))
        if f1 > f0 - h * (1 - s * L * h / 2) * sum(gi**2 for gi in g):
            return True
        x = x1
    return False


def test_finds_planted_false_descent_factor():
    scale = fmpq(4, 5)                       # factor 1 − 0.8·Lh/2: too optimistic
    rep = falsify(gd_instances(quadratics()), per_step_descent(4, scale=scale),
                  max_examples=60)
    assert rep.refuted and rep.outcome.holds is False
    assert _violates_per_step_by_hand(rep.counterexample, scale)


def test_finds_planted_false_threshold():
    # monotone decrease with h allowed up to 2.2/L; on a quadratic f(x_{k+1}) = (1 − hλ)² f(x_k)
    rep = falsify(gd_instances(quadratics(max_dim=1), t_max=fmpq(11, 5)), monotone_decrease(4),
                  max_examples=60)
    assert rep.refuted and rep.counterexample.hL > 2


def test_does_not_flag_the_true_bounds():
    true = conjunction(per_step_descent(6), summed_descent(6))
    rep = falsify(gd_instances(quadratics()), true, max_examples=40)
    assert not rep.refuted and rep.undecided == 0 and rep.held == rep.examples
    assert rep.worst_held <= 0                 # never a positive violation score


def test_conjunction_semantics():
    both = conjunction(lambda n: Outcome(True, -0.5), lambda n: Outcome(None, -0.1))
    assert both(0).holds is None and both(0).score == -0.1
    assert conjunction(lambda n: True, lambda n: False)(0).holds is False
    with pytest.raises(InputError):
        conjunction()


def test_falsify_rejects_bad_input():
    with pytest.raises(InputError):
        falsify([1, 2], lambda n: True)
    with pytest.raises(InputError):
        falsify(st.integers(), lambda n: "yes", max_examples=5)
    with pytest.raises(InputError):
        falsify(st.integers(), lambda n: True, max_examples=0)


def test_assert_statement_and_assert_refuted():
    with pytest.raises(AssertionError, match="counterexample"):
        assert_statement(st.integers(0, 100), lambda n: n < 50, max_examples=50)
    assert assert_statement(st.integers(0, 100), lambda n: n <= 100, max_examples=20).held > 0
    assert assert_refuted(st.integers(0, 100), lambda n: n < 50, max_examples=50) \
        .counterexample == 50
    with pytest.raises(AssertionError, match="expected a counterexample"):
        assert_refuted(st.integers(0, 100), lambda n: True, max_examples=20)


def _register(monkeypatch, cid, verdict):
    def check(ctx):
        ev = Evidence()
        ev.finding("planted", verdict, "exact")
        return ev
    monkeypatch.setitem(REGISTRY, cid, Claim(cid, "planted", "test", "planted", check))


def test_assert_claim_passes_and_fails_on_the_verdict(monkeypatch):
    _register(monkeypatch, "BLOG-901", "proved")
    _register(monkeypatch, "BLOG-902", "refuted")
    assert assert_claim("BLOG-901").verdict == "proved"
    with pytest.raises(AssertionError, match="refuted"):
        assert_claim("BLOG-902")
    assert assert_claim("BLOG-902", accept=("refuted",)).verdict == "refuted"


def test_assert_claim_rejects_bad_input(monkeypatch):
    _register(monkeypatch, "BLOG-901", "proved")
    with pytest.raises(InputError):
        assert_claim("NOPE-1")
    with pytest.raises(InputError):
        assert_claim("BLOG-901", accept=("green",))
    with pytest.raises(InputError):
        assert_claim("BLOG")


def test_single_instance_statements_are_usable_directly():
    x = sp.Symbol("x", real=True)
    p = SmoothObjective(Objective(x**2 / 2, (x,)), L=fmpq(1), f_lower=fmpq(0), certificate="")
    assert per_step_descent(3)(GDInstance(p, (fmpq(1),), fmpq(1, 2))).holds is True


def test_conjunction_reports_the_deciding_part():
    holds = lambda n: Outcome(True, -0.1, {"who": "held"})            # noqa: E731
    unknown = lambda n: Outcome(None, -1.0, {"reason": "n/a"})        # noqa: E731
    out = conjunction(holds, unknown)(0)
    assert out.holds is None and out.detail["reason"] == "n/a" and out.score == -0.1


def test_tightness_of_a_planted_constant():
    # n ≤ c over n ∈ [0, 100]: attained at c = 100 (slack 0); c moved to 90 is refuted at 91
    def case(c):
        return st.integers(0, 100), lambda n: Outcome(n <= c, (n - c) / (abs(n) + abs(c)))
    tt = tightness(case, 100, 90, max_examples=100)
    assert tt.sensitive and tt.slack == 0 and tt.moved.counterexample == 91


def test_tightness_of_the_descent_factor():
    tt = tightness(lambda s: (gd_instances(quadratics()), per_step_descent(4, scale=s)),
                   fmpq(1), fmpq(9, 10), max_examples=40)
    assert tt.sensitive and tt.slack == 0      # f = Lx²/2 attains the factor exactly


def test_a_seed_gives_another_repeatable_search():
    planted = per_step_descent(4, scale=fmpq(4, 5))
    runs = [falsify(gd_instances(quadratics()), planted, max_examples=30, seed=s)
            for s in (7, 7)]
    assert all(r.refuted for r in runs)
    assert repr(runs[0].counterexample) == repr(runs[1].counterexample)
