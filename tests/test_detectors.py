"""Catapult and edge-of-stability detectors on constructed trajectories."""
import json
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hst

from lrtheory.errors import InputError
from lrtheory.stability.detectors import (Catapult, EdgeOfStability, catapults,
                                          edge_of_stability, is_edge_of_stability)


def test_constructed_catapult_is_found():
    h = 1.0  # threshold 2/h = 2
    loss = np.array([1.0, 0.8, 3.0, 9.0, 4.0, 0.7, 0.3, 0.1])
    sharp = np.array([3.0, 3.0, 2.9, 2.5, 2.0, 1.5, 1.5, 1.5])
    (c,) = catapults(loss, sharp, h)
    assert (c.start, c.peak, c.end) == (0, 3, 5)
    assert c.loss_peak == 9.0 and c.sharp_end == 1.5


def test_rise_without_sharpness_drop_is_not_a_catapult():
    loss = np.array([1.0, 3.0, 9.0, 0.5, 0.4])
    sharp = np.full(5, 3.0)  # never below 2/h
    assert catapults(loss, sharp, 1.0) == []
    # a loss that never returns is not a catapult either
    assert catapults([1.0, 3.0, 9.0, 20.0], [3.0, 2.0, 1.0, 1.0], 1.0) == []
    # monotone decrease: nothing to detect
    assert catapults(np.geomspace(1, 1e-3, 20), np.full(20, 5.0), 1.0) == []


def test_two_episodes_and_divergence_cut():
    loss = [1, 5, 0.5, 0.4, 4, 0.2, np.inf, 1e9]
    sharp = [3, 2.5, 1.0, 3.0, 2.5, 1.0, np.nan, np.nan]
    eps = catapults(loss, sharp, 1.0)
    assert [(e.start, e.end) for e in eps] == [(0, 2), (3, 5)]


def _eos_trajectory(steps=2000, reach=500, eta=0.5, seed=0):
    rng = np.random.default_rng(seed)
    k = np.arange(steps + 1)
    ratio = np.where(k < reach, 0.4 + 0.6 * k / reach, 1 + 0.05 * np.sin(k / 7.0))
    loss = np.exp(-k / 800) * (1 + 0.2 * (k >= reach) * (1 + np.sin(k / 3.0)))
    loss *= 1 + 1e-3 * rng.standard_normal(k.size)
    sk = k[::10]
    return loss, sk, ratio[::10] * 2 / eta


def test_edge_of_stability_statistics_on_a_constructed_run():
    loss, sk, S = _eos_trajectory()
    st = edge_of_stability(loss, sk, S, 0.5, band=0.1)
    # first sample (every 10 steps) with 0.4 + 0.6·k/500 ≥ 0.9, i.e. k ≥ 416.7
    assert st.reach_step == 420
    assert st.in_band_fraction == 1.0
    assert st.ratio_max <= 1.05 + 1e-12 and st.ratio_min >= 0.9
    assert st.sharpening_factor == pytest.approx((0.4 + 0.6 * 420 / 500) / 0.4, rel=1e-12)
    assert st.loss_increases > 0 and st.loss_ratio < 1
    assert is_edge_of_stability(st)


def test_no_edge_when_sharpness_stays_low_or_leaves_the_band():
    loss, sk, S = _eos_trajectory()
    low = edge_of_stability(loss, sk, 0.5 * S / S.max(), 0.5)
    assert low.reach_step is None and not is_edge_of_stability(low)
    spiky = S.copy()
    spiky[sk > 600] *= 1.5  # sharpness far above 2/eta: not hovering
    st = edge_of_stability(loss, sk, spiky, 0.5)
    assert st.in_band_fraction < 0.2 and not is_edge_of_stability(st)


def test_detector_bad_input():
    with pytest.raises(InputError):
        catapults([1.0], [1.0], 1.0)
    with pytest.raises(InputError):
        catapults([1.0, 2.0], [1.0], 1.0)
    with pytest.raises(InputError):
        catapults([1.0, 2.0], [1.0, 1.0], 0.0)
    with pytest.raises(InputError):
        edge_of_stability([1.0, 2.0], [0, 1], [1.0, 1.0], 1.0, band=1.5)


# ---- result objects: exact JSON round trip and pickling --------------------------------
_any_float = hst.floats(allow_nan=True, allow_infinity=True)
_opt_float = hst.none() | _any_float
_steps = hst.integers(0, 10**9)


def _round_trips(r):
    assert type(r).from_json(r.to_json(exact=True)) == r
    assert type(r).from_json(json.dumps(r.to_json(exact=True))) == r
    assert pickle.loads(pickle.dumps(r)) == r
    assert type(r).__name__ in repr(r) and "<table>" in r._repr_html_()


@given(hst.builds(Catapult, _steps, _steps, _steps, _any_float, _any_float, _any_float,
                  _any_float))
def test_catapult_round_trip(c):
    _round_trips(c)


@given(hst.builds(EdgeOfStability, _any_float, _any_float, _any_float, hst.none() | _steps,
                  _opt_float, _any_float, _opt_float, _opt_float, _opt_float, _opt_float,
                  _steps, _steps))
def test_edge_of_stability_round_trip(s):
    _round_trips(s)


def test_detector_results_from_runs_round_trip():
    loss, sk, S = _eos_trajectory()
    _round_trips(edge_of_stability(loss, sk, S, 0.5, band=0.1))
    loss = np.array([1.0, 0.8, 3.0, 9.0, 4.0, 0.7, 0.3, 0.1])
    (c,) = catapults(loss, np.array([3.0, 3.0, 2.9, 2.5, 2.0, 1.5, 1.5, 1.5]), 1.0)
    _round_trips(c)
    assert c.rise == 9.0 and c.as_dict()["peak"] == 3
