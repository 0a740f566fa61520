"""Every public analysis returns a result object that crosses process boundaries: it
pickles, travels through a ProcessPoolExecutor and comes back equal, with exact JSON.

One instance of each kind the core issue lists, computed for real on small cases."""
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import strategies as st

from lrtheory import Objective
from lrtheory.results import Result


def _echo(obj):
    return obj


def modified_equation():
    from lrtheory.modeq import modified_equation
    return modified_equation(Objective("(1 - x*y)**2/2", "x,y"), 3)


def orbit_search():
    from lrtheory.dynamics.orbits import search_periodic_orbits
    return search_periodic_orbits(Objective("(x**2 - 1)**2/4", "x"), "6/5", 2, (-3, 3),
                                  starts=50, dps=30, certify=True)


def bifurcation_search():
    from lrtheory.dynamics.bifurcations import find_bifurcations
    return find_bifurcations(Objective("(x**2 - 1)**2/4", "x"), ("0.8", "1.25"), 2,
                             dps=30, samples=12, starts=50)


def exact_bifurcations():
    from lrtheory.bifurcation.exact import exact_bifurcations
    return exact_bifurcations(Objective("x**3/3 - x", "x"), ("0.9", "1.3"), 2)


def cascade():
    from lrtheory.dynamics.bifurcations import period_doubling_cascade
    return period_doubling_cascade(Objective("(x**2 - 1)**2/4", "x"), 1, 1, 3, dps=30)


def lyapunov():
    from lrtheory.dynamics.lyapunov import lyapunov_exponents
    return lyapunov_exponents(Objective("(1 - x*y)**2/2", "x,y"), 1.9, [[0.3, 0.31]], 2000)


def hessian_spectrum():
    from lrtheory.factorization import hessian_spectrum_at
    return hessian_spectrum_at(Objective("(1 - x*y)**2/2", "x,y"), {"x": 2, "y": "1/2"})


def balance_run():
    from lrtheory.balancing import run_scalar
    return run_scalar(Fraction(1), 3.0, 0.5, 0.2, max_steps=20_000)


def multiscale_sample():
    from lrtheory.multiscale.analysis import sample
    from lrtheory.multiscale.model import Multiscale
    ms = Multiscale.periodic("x**2/2", "sin(x)", "1/100")
    return sample(ms, 0.05, steps=400, chains=16)


def regularity_run():
    from lrtheory.stability.regularity import near_minimizer_starts, run_family
    return run_family("logcosh", 1.5, near_minimizer_starts(4), 500)[0]


def falsification():
    from lrtheory.falsify import falsify
    return falsify(st.integers(0, 10**6), lambda n: n < 1000, max_examples=100)


def claim_record():
    from lrtheory.claims import CheckContext, run_claim, select
    return run_claim(select(["BLOG-2"])[0], CheckContext(quick=True))


def gd_run():
    from lrtheory.gd import CLASSIFY, run_gd
    return run_gd(Objective("x**2/2", "x"), np.array([[0.5], [1.0]]),
                  np.array([[0.5], [2.5]]), 200, record=CLASSIFY)


MAKERS = [modified_equation, orbit_search, bifurcation_search, exact_bifurcations, cascade,
          lyapunov, hessian_spectrum, balance_run, multiscale_sample, regularity_run,
          falsification, claim_record, gd_run]


@pytest.fixture(scope="module")
def results():
    return {m.__name__: m() for m in MAKERS}


@pytest.mark.slow
def test_every_result_is_a_result_and_round_trips(results):
    for name, r in results.items():
        assert isinstance(r, Result), name
        text = json.dumps(r.to_json(exact=True), allow_nan=False)
        assert type(r).from_json(text) == r, name
        assert pickle.loads(pickle.dumps(r)) == r, name
        assert "0x" not in repr(r) and repr(r).startswith(type(r).__name__), name
        assert "<table" in r._repr_html_(), name


@pytest.mark.slow
def test_results_cross_a_process_pool(results):
    with ProcessPoolExecutor(max_workers=2) as pool:
        back = dict(zip(results, pool.map(_echo, results.values())))
    for name, r in results.items():
        assert back[name] == r, name


@pytest.mark.slow
def test_certified_enclosures_are_still_balls_after_the_trip(results):
    orbits = pickle.loads(pickle.dumps(results["orbit_search"]))
    certified = [o for o in orbits.orbits if o.certified]
    assert certified
    for o in certified:
        for point in o.certificate.boxes:
            for ball in point:
                a = ball.to_arb()
                assert a.is_finite() and a.rad() < 1e-20
    exact = pickle.loads(pickle.dumps(results["exact_bifurcations"]))
    h = exact.bifurcations[0].lr_enclosure.to_arb()
    assert h.contains(1) and h.rad() < 1e-40  # the fixed point doubles at h = 1 exactly
