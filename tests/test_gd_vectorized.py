"""The block-vectorized GD kernel against one start at a time, and every record against the
trajectory it summarizes.

* The compiled loop steps blocks of starts in its inner loop; each start does the same
  floating-point operations in the same order whatever the block, so every output is
  equal — ``np.array_equal``, nan in the same places — for blocks of 1 (one start at a
  time), 7 (blocks that do not divide the starts) and 512, for every record kind.
* A record is a summary of the trajectory s_0, …, s_N: the tail is its last rows, the
  last state its last row, the labels those of :func:`classify_states` on its last rows,
  the moments sums over its rows in time order.  Each is recomputed from
  ``Record(every=1)`` and compared exactly, on the numpy engine (without numba) and the
  compiled one — including the classification inside the compiled loop, which reads a
  ring of the block's own when no tail is returned.
"""
import math

import numpy as np
import pytest

from lrtheory.gd import Record, classify_states, numba_enabled, run_gd
from lrtheory.gd import classify as cls
from lrtheory.gd import compiled
from lrtheory.objectives import Objective

CUBIC = Objective("x**3/3 - x", "x")
FACT = Objective("(1 - x*y)**2/2", "x,y")
SPHERE5 = Objective("(a**2 + b**2 + c**2 + d**2 + e**2 - 1)**2/4 + a*b/10", "a,b,c,d,e")
needs_numba = pytest.mark.skipif(not numba_enabled(), reason="numba not installed")

RECORDS = {
    "last": Record(),
    "trajectory": Record(every=3, coords=(0,)),
    "tail": Record(tail=20),
    "lyapunov": Record(lyapunov=True, checkpoints=(7, 40)),
    "statistics": Record(moments=True, histogram=(-2.0, 2.0, 9), histogram_groups=2, thin=2),
    "statistics_per_run": Record(moments=True, histogram=(-2.0, 2.0, 5)),
    "classify": Record(classify=True, max_period=8),
    "classify_with_tail": Record(classify=True, tail=24, max_period=8),
    "settled": Record(classify=True, stop_when_settled=True, check_every=30, tail=20,
                      tol=1e-12),
}


def _starts(obj, m=203, seed=4):
    """Starts that converge, cycle, wander and diverge (with the rates below)."""
    return np.random.default_rng(seed).uniform(-1.6, 1.6, size=(m, obj.dim))


def _same(a, b) -> bool:
    for name in a.keys():
        if name == "record":
            continue
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            x, y = np.asarray(x), np.asarray(y)
            if x.shape != y.shape or not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                return False
        elif x != y:
            return False
    return True


@needs_numba
@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize("obj,h", [(CUBIC, 1.45), (FACT, 1.9),
                                   pytest.param(SPHERE5, 0.9, marks=pytest.mark.slow)],
                         ids=["cubic", "fact", "sphere5"])
def test_blocks_of_starts_give_the_numbers_of_one_start_at_a_time(monkeypatch, name, obj, h):
    X = _starts(obj)
    H = np.linspace(0.8, 1.0, len(X)) * h                 # one rate per start
    runs = []
    for block in (1, 7, 512):
        monkeypatch.setattr(compiled, "BLOCK", block)
        runs.append(run_gd(obj, X, H, 90, RECORDS[name], transient=5, blowup=40.0,
                           engine="numba"))
    assert _same(runs[0], runs[1]) and _same(runs[0], runs[2])
    assert runs[0].engine == "numba"


def _in_order_sums(V):
    """Σ_t V_t summed in time order (as the streaming records add)."""
    acc = np.zeros_like(V[0])
    for v in V:
        acc = acc + v
    return acc


@pytest.mark.parametrize("engine", ["numpy", pytest.param("numba", marks=needs_numba)])
@pytest.mark.parametrize("obj,h", [(CUBIC, 1.45), (FACT, 1.9)], ids=["cubic", "fact"])
def test_records_are_the_summaries_of_the_trajectory(engine, obj, h):
    X, N, L = _starts(obj, 157), 120, 40
    traj = run_gd(obj, X, h, N, Record(every=1), blowup=40.0, engine=engine).trajectory
    rec = Record(tail=L, classify=True, max_period=8, moments=True)
    run = run_gd(obj, X, h, N, rec, blowup=40.0, engine=engine)
    assert np.array_equal(run.tail, traj[-L:], equal_nan=True)
    bad = ~np.all(np.isfinite(traj[-1]), axis=1)
    assert np.array_equal(run.last, np.where(bad[:, None], np.nan, traj[-1]), equal_nan=True)
    labels, periods = classify_states(traj[-L:], 1e-9, 8, 40.0)
    assert list(run.labels) == list(labels) and np.array_equal(run.periods, periods)
    assert "divergent" in labels and len(set(labels)) >= 2    # the starts are mixed
    assert np.array_equal(run.mean, _in_order_sums(traj) / (N + 1), equal_nan=True)
    # without a returned tail the compiled loop classifies from a ring of the block's own
    alone = run_gd(obj, X, h, N, Record(classify=True, window=L, max_period=8),
                   blowup=40.0, engine=engine)
    assert alone.tail is None and list(alone.labels) == list(labels)


def test_ring_classifier_is_the_layout_free_definition():
    """classify_ring on (L, n, m) against the definition run by run (max-norm gaps,
    scale 1 + max|s|), with periods 1, 3, aperiodic and divergent tails."""
    L, tol = 30, 1e-9
    t = np.arange(L)[:, None]
    fixed = np.full((L, 2), 0.5)
    three = np.stack([np.cos(2 * np.pi * t[:, 0] / 3), np.sin(2 * np.pi * t[:, 0] / 3)], 1)
    wander = np.stack([np.sin(1.7 * t[:, 0] ** 1.3), np.cos(t[:, 0] * math.e)], 1)
    blown = wander.copy()
    blown[12, 1] = np.inf
    T = np.stack([fixed, three, wander, blown], axis=1)   # (L, m, n)
    labels, periods = cls.classify_ring(np.moveaxis(T, 2, 1), tol, 8)
    assert list(labels) == ["converged", "periodic", "aperiodic", "divergent"]
    assert periods.tolist() == [1, 3, 0, 0]
    assert np.all(cls.settled_ring(np.moveaxis(T, 2, 1), tol) == [True, False, False, True])


@needs_numba
def test_compiled_ring_classifier_equals_the_numpy_one(monkeypatch):
    H = np.linspace(0.3, 1.9, 3000)                        # converged to chaotic
    R = np.moveaxis(run_gd(FACT, _starts(FACT, 3000), H, 200, Record(tail=64),
                           blowup=40.0).tail, 2, 1)
    order = np.roll(np.arange(64), 5)                      # a ring read from slot 5
    monkeypatch.setattr(cls, "COMPILED_SIZE", 0)
    fast = cls.classify_ring(R, 1e-9, 16, 40.0, order)
    monkeypatch.setattr(cls, "COMPILED_SIZE", math.inf)
    slow = cls.classify_ring(R, 1e-9, 16, 40.0, order)
    assert list(fast[0]) == list(slow[0]) and np.array_equal(fast[1], slow[1])
    assert len(set(slow[0])) >= 3
