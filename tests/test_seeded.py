"""The seeded engine of the falsifier (lrtheory.seeded): draws that depend only on numpy's
PCG64 stream and the choice order, never on hypothesis's generator."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq
from hypothesis import strategies as st

from lrtheory import falsify as falsify_module
from lrtheory import seeded
from lrtheory.falsify import falsify
from lrtheory.smoothness import per_step_descent
from lrtheory.strategies import gd_instances, quadratics, ridge_sums


def test_integer_order_starts_nearest_zero_and_enumerates_the_range():
    for lo, hi in [(-3, 5), (2, 9), (-7, -2), (0, 0), (-4, 4)]:
        values = [seeded.integer(seeded.Choices(replay=[k]), lo, hi) for k in range(hi - lo + 1)]
        assert sorted(values) == list(range(lo, hi + 1))
        assert values[0] == min(max(0, lo), hi)
        assert [abs(v) for v in values] == sorted(abs(v) for v in values)
    nonzero = [seeded.integer(seeded.Choices(replay=[k]), -2, 2, exclude_zero=True)
               for k in range(4)]
    assert sorted(nonzero) == [-2, -1, 1, 2]


def test_rationals_respect_their_interval_and_denominator():
    lo, hi = Fraction(0), Fraction(2)
    for i in range(300):
        c = seeded.Choices(seed=[7, i])
        q = seeded.rational(c, lo, hi, 32, open_ends=True)
        assert lo < q < hi and q.denominator <= 32
        r = seeded.rational(c, Fraction(-2), Fraction(2), 4, exclude_zero=True)
        assert r != 0 and -2 <= r <= 2 and r.denominator <= 4
    # the simplest choice: denominator 1, numerator nearest 0 inside the open interval
    assert seeded.rational(seeded.Choices(replay=[]), lo, hi, 32, open_ends=True) == 1


def test_draws_follow_the_documented_pcg64_stream():
    """Instance i of stream s uses Generator(PCG64([s, i])).integers(0, n) for each choice:
    an integer family's first draw is that number mapped by the simplicity order."""
    strategy = seeded.attach(st.integers(-5, 5), lambda c: seeded.integer(c, -5, 5))
    for i in range(20):
        k = int(np.random.Generator(np.random.PCG64([3, i])).integers(0, 11))
        expected = seeded.integer(seeded.Choices(replay=[k]), -5, 5)
        assert seeded.draw(strategy, 3, i) == (expected, [k])


def test_the_seeded_engine_never_runs_hypothesis(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("hypothesis's engine was used")
    monkeypatch.setattr(falsify_module, "given", refuse)
    report = falsify(gd_instances(quadratics()), per_step_descent(6, scale=fmpq(4, 5)),
                     max_examples=40)
    assert report.engine == "seeded" and report.seed == 0 and report.refuted
    # the shrunk counterexample is the simplest instance: x²/2, L = 1, x0 = 1, hL = 1, where
    # f(x1) = 0 > f(x0) − h(1 − 0.8 L h/2) f'(x0)² = 1/2 − 3/5 (checked by hand)
    cx = report.counterexample
    assert (str(cx.problem.objective.expr), cx.problem.L, cx.x0, cx.h) == \
        ("x**2/2", fmpq(1), (fmpq(1),), fmpq(1))
    again = falsify(gd_instances(quadratics()), per_step_descent(6, scale=fmpq(4, 5)),
                    max_examples=40)
    assert again.to_json() == report.to_json()


def test_seeds_select_other_streams_and_true_statements_hold():
    reports = [falsify(gd_instances(ridge_sums()), per_step_descent(4), max_examples=8, seed=s)
               for s in (0, 1)]
    assert all(not r.refuted and r.engine == "seeded" for r in reports)
    assert reports[0].worst_instance != reports[1].worst_instance


def test_a_strategy_without_a_sampler_uses_hypothesis():
    report = falsify(st.integers(0, 10), lambda n: n < 5, max_examples=50)
    assert report.engine == "hypothesis" and report.refuted and report.counterexample == 5
    with pytest.raises(seeded.NoSampler):
        falsify(st.integers(0, 10), lambda n: n < 5, max_examples=5, engine="seeded")


def test_shrink_lowers_choices_while_the_predicate_holds():
    strategy = seeded.attach(st.integers(0, 100), lambda c: seeded.integer(c, 0, 100))
    ks, result, used = seeded.shrink(strategy, [97], lambda v: v if v >= 13 else None)
    assert result == 13 and ks == [13] and used <= 200
