"""Lyapunov exponents and invariant histograms against exact values.

* f = a x²/2 (and ½xᵀdiag(a, b)x): GD is linear, λ = log|1 − ha| exactly (per direction).
* f = t²/2 − t⁴/4 at h = 4: g(t) = 4t³ − 3t is the Chebyshev map T₃ (T₃(cos θ) = cos 3θ),
  conjugate to θ ↦ 3θ: λ = log 3, invariant density 1/(π√(1 − t²)) on [−1, 1].
"""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from lrtheory.catalogue import quadratic
from lrtheory.dynamics.diagrams import orbit_diagram, plot_orbit_diagram
from lrtheory.dynamics.lyapunov import lyapunov_exponents
from lrtheory.dynamics.statistics import histogram_convergence, total_variation
from lrtheory.errors import InputError
from lrtheory.objectives import Objective

CHEB = Objective("t**2/2 - t**4/4", "t")


def test_linear_maps_have_exact_exponents():
    obj = quadratic([[3, 0], [0, 1]])
    h = 0.5
    X = np.random.default_rng(0).normal(size=(5, 2))
    r = lyapunov_exponents(obj, h, X, 200, transient=0)
    exact = sorted([math.log(abs(1 - h * 3)), math.log(abs(1 - h * 1))], reverse=True)
    assert np.allclose(r["exponents"], exact, atol=1e-12)
    assert np.allclose(r["spread"], 0, atol=1e-12)
    with mpmath.workdps(30):
        rm = lyapunov_exponents(obj, "0.5", X[:1], 50, transient=0, backend="mpmath")
    assert np.allclose(rm["exponents"], exact, atol=1e-12)


def test_three_dimensional_quadratic_spectrum_needs_the_qr():
    """A = R diag(4, 1, 1/2) Rᵀ with a rotation R: the tangent frames are not aligned with
    the axes, and the spectrum is still log|1 − hλ_i| (sorted)."""
    R = np.linalg.qr(np.random.default_rng(2).normal(size=(3, 3)))[0]
    lam = np.array([4.0, 1.0, 0.5])
    A = (R * lam) @ R.T
    A = (A + A.T) / 2
    obj = quadratic(sp.Matrix(3, 3, lambda i, j: sp.Rational(str(A[i, j]))))
    exact_lam = np.linalg.eigvalsh(np.array(obj.hessian, dtype=float))
    h = 0.3
    r = lyapunov_exponents(obj, h, np.random.default_rng(3).normal(size=(4, 3)), 4000,
                           transient=0)
    exact = sorted(np.log(np.abs(1 - h * exact_lam)), reverse=True)
    # the QR estimate converges like O(1/N) (alignment of the initial frame): ~5e-4 here
    assert np.allclose(r["exponents"], exact, atol=1e-3)


def test_chebyshev_map_has_exponent_log3():
    X = np.random.default_rng(1).uniform(-0.99, 0.99, size=(64, 1))
    r = lyapunov_exponents(CHEB, 4.0, X, 20000, transient=100)
    assert not r["diverged"].any()
    assert abs(r["mean"][0] - math.log(3)) < 0.01
    assert r["running"][-1][0] == 20000 and abs(r["running"][-1][1] - r["mean"][0]) < 1e-12


def test_chebyshev_invariant_histogram_is_the_arcsine_law():
    edges_n = 20
    hc = histogram_convergence(CHEB, 4.0, [[0.123], [-0.4567]], [2000, 20000, 200000],
                               bins=edges_n, rng=(-1, 1), transient=10)
    e = hc["edges"]
    exact = np.diff(np.arcsin(e) / np.pi)
    tv = [total_variation(H[0], exact) for H in hc["hists"]]
    assert tv[-1] < 0.02 and tv[-1] < tv[0]
    assert hc["tv_between"][-1] < 0.03
    assert hc["escaped"] == 0


def test_divergence_is_a_result_not_an_error():
    obj = Objective("x**4/4", "x")
    r = lyapunov_exponents(obj, 1.0, [[3.0], [0.1]], 100, transient=10)
    assert r["diverged"].tolist() == [True, False]
    assert np.isnan(r["exponents"][0, 0]) and np.isfinite(r["exponents"][1, 0])


def test_bad_input():
    obj = Objective("x**2/2", "x")
    with pytest.raises(InputError):
        lyapunov_exponents(obj, -1.0, [[1.0]], 10)
    with pytest.raises(InputError):
        lyapunov_exponents(obj, 1.0, [[1.0, 2.0]], 10)
    with pytest.raises(InputError):
        lyapunov_exponents(obj, 1.0, [[1.0]], 10, backend="quad")


def test_orbit_diagram_shows_fixed_point_then_two_cycle():
    obj = Objective("(x**2 - 1)**2/4", "x")
    d = orbit_diagram(obj, [0.5, 1.1], [[0.8]], transient=3000, keep=8)
    first = np.unique(np.round(d["values"][0], 8))
    second = np.unique(np.round(d["values"][1], 8))
    assert first.tolist() == [1.0]
    # 2-cycle at h = 1.1: a + b = sqrt((3 + h)/h), ab = 1/h (derived in test_dynamics_orbits)
    s, q = math.sqrt(4.1 / 1.1), 1 / 1.1
    assert np.allclose(sorted(second), sorted([(s - math.sqrt(s * s - 4 * q)) / 2,
                                               (s + math.sqrt(s * s - 4 * q)) / 2]), atol=1e-7)
    fig = plot_orbit_diagram(d, "x", {"h = 1": 1.0})
    assert fig.axes
