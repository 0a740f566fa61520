"""The learning rate is ``lr`` in the public functions; the former keywords ``h`` and
``eta`` still work, with a DeprecationWarning, and give the same result."""
import inspect
import math
import warnings

import pytest

from lrtheory import balancing
from lrtheory.aliases import lr_keyword
from lrtheory import objectives
from lrtheory.dynamics import completeness, lyapunov, orbits, statistics
from lrtheory.multiscale import analysis, sampling
from lrtheory.objectives import Objective
from lrtheory.plotting import sweeps as plots

RENAMED = [orbits.search_periodic_orbits, orbits.find_periodic_orbits,
           orbits.basin_fractions, lyapunov.lyapunov_exponents, balancing.run_scalar,
           balancing.run_scalar_mp, balancing.run_matrix, balancing.run_matrix_mp,
           balancing.escalated_limit, analysis.sample, plots.plot_sharpness_trajectory,
           plots.plot_cobweb, plots.plot_modified_flow, plots.plot_phase_portrait,
           completeness.minimizer_band, completeness.prove_complete,
           statistics.histogram_convergence, sampling.run_chains, objectives.gd_orbit_exact]


@pytest.mark.parametrize("func", RENAMED, ids=lambda f: f.__name__)
def test_the_learning_rate_parameter_is_lr(func):
    params = inspect.signature(func).parameters
    assert "lr" in params and "h" not in params and "eta" not in params


def test_old_keywords_warn_and_give_the_same_result():
    # GD on x^2/2 is x -> (1 - h) x: the Lyapunov exponent is log|1 - h|
    obj = Objective("x**2/2", "x")
    new = lyapunov.lyapunov_exponents(obj, lr=0.5, x0s=[[1.0]], steps=50, transient=0)
    for old in ("h", "eta"):
        with pytest.warns(DeprecationWarning, match=f"lyapunov_exponents\\({old}=.*lr="):
            res = lyapunov.lyapunov_exponents(obj, x0s=[[1.0]], steps=50, transient=0,
                                              **{old: 0.5})
        assert float(res.exponents[0][0]) == float(new.exponents[0][0])
    assert float(new.exponents[0][0]) == pytest.approx(math.log(0.5), abs=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new keyword and positional calls do not warn
        balancing.run_scalar(1, 9, 1, 4 / 90)
        balancing.run_scalar(1, 9, 1, lr=4 / 90)


def test_the_learning_rate_given_twice_is_refused():
    @lr_keyword
    def step(x, lr):
        return x - lr * x
    with pytest.raises(TypeError, match="twice"):
        step(1.0, lr=0.5, h=0.5)
    with pytest.raises(TypeError, match="twice"):
        step(1.0, h=0.5, eta=0.5)
    with pytest.warns(DeprecationWarning):
        assert step(1.0, eta=0.25) == 0.75


def test_exact_orbit_with_the_old_keyword():
    # x -> (1 - 1/2) x from 1: 1, 1/2, 1/4 exactly
    f = Objective("x**2/2", "x")
    with pytest.warns(DeprecationWarning):
        old = objectives.gd_orbit_exact(f, [1], h="1/2", steps=2)
    assert old == objectives.gd_orbit_exact(f, [1], lr="1/2", steps=2)
    assert [float(x[0]) for x in old] == [1.0, 0.5, 0.25]
