"""Objectives are values: equal by (expression, variables, parameters), picklable after use
in every backend, usable in another process; one precision context for mpmath and flint."""
import pickle
from concurrent.futures import ProcessPoolExecutor

import flint
import mpmath
import pytest
import sympy as sp
from flint import fmpq

from lrtheory import Objective
from lrtheory.precision import ball_bits, precision


def used_in_every_backend():
    obj = Objective("(1 - x*y)**2/2", "x,y")
    obj.numpy.grad([[0.5, 2.0]])
    obj.mpmath.grad([0.5, 2])
    obj.arb.grad([0.5, 2])
    obj.exact.grad([fmpq(1, 2), 2])
    return obj


def remote_gradient(obj):
    """Runs in a worker process: exact, ball and float gradients at (1/2, 2)."""
    return ([str(v) for v in obj.exact.grad([fmpq(1, 2), 2])],
            [v.contains(0) for v in obj.arb.grad([fmpq(1, 2), 2])],
            obj.numpy.grad([[0.5, 2.0]]).tolist(), obj)


def test_equal_by_value_and_hashable():
    a, b = Objective("(1 - x*y)**2/2", "x,y"), Objective("(1-x*y)**2/2", "x, y")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Objective("(1 - x*y)**2/2", "y,x")  # the order of the variables matters
    assert a != Objective("(1 - x*y)**2", "x,y")


def test_pickles_after_use_in_every_backend():
    obj = used_in_every_backend()
    back = pickle.loads(pickle.dumps(obj))
    assert back == obj
    # the compiled evaluators are rebuilt on first use and give the same values
    assert back.exact.grad([fmpq(1, 2), 2]) == obj.exact.grad([fmpq(1, 2), 2])
    assert back.numpy.grad([[0.5, 2.0]]).tolist() == obj.numpy.grad([[0.5, 2.0]]).tolist()


def test_objective_crosses_process_boundaries():
    obj = used_in_every_backend()
    with ProcessPoolExecutor(max_workers=1) as pool:
        exact, contains_zero, floats, echoed = pool.submit(remote_gradient, obj).result()
    # xy = 1 at (1/2, 2): the gradient (1 − xy)(−y, −x) vanishes exactly
    assert exact == ["0", "0"] and all(contains_zero) and floats == [[0.0, 0.0]]
    assert echoed == obj


def test_precision_sets_and_restores_both_libraries():
    old_mp, old_flint = mpmath.mp.prec, flint.ctx.prec
    with precision(50):
        assert mpmath.mp.dps == 50 and flint.ctx.prec == ball_bits(50)
        with precision(bits=300):
            assert mpmath.mp.prec == 300 and flint.ctx.prec == 300
        assert mpmath.mp.dps == 50
    assert (mpmath.mp.prec, flint.ctx.prec) == (old_mp, old_flint)
    with pytest.raises(RuntimeError):
        with precision(80):
            raise RuntimeError("boom")
    assert (mpmath.mp.prec, flint.ctx.prec) == (old_mp, old_flint)


def test_sympy_symbols_of_an_objective_are_real():
    obj = Objective("x**2", "x")
    assert obj.vars == (sp.Symbol("x", real=True),)
