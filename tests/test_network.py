"""Network gradients, exact HVPs and the Lanczos sharpness (EOS-2)."""
import numpy as np
import pytest
import sympy as sp

from lrtheory.errors import InputError
from lrtheory.stability.network import (ACTIVATIONS, LOSS_NAMES, Network, synthetic_regression,
                                        train_gd)

VARIANTS = [(a, l, bn) for a in ACTIVATIONS for l in LOSS_NAMES for bn in (False, True)]


def _tiny(act="tanh", loss="mse", bn=False, n=6, d=2, m=3):
    X, y = synthetic_regression(n, d, seed=3)
    net = Network(X, y, width=m, activation=act, loss=loss, batchnorm=bn, huber_delta=0.3)
    return net, net.init_params(seed=2, scale=1.5)


@pytest.mark.parametrize("act,loss,bn", VARIANTS)
def test_gradient_and_hvp_match_finite_differences(act, loss, bn):
    net, th = _tiny(act, loss, bn)
    eps = 1e-6
    eye = np.eye(net.n_params)
    g_fd = np.array([(net.value(th + eps * e) - net.value(th - eps * e)) / (2 * eps) for e in eye])
    assert np.allclose(net.grad(th), g_fd, atol=1e-8)
    v = np.random.default_rng(0).standard_normal(net.n_params)
    hv_fd = (net.grad(th + eps * v) - net.grad(th - eps * v)) / (2 * eps)
    assert np.allclose(net.hvp(th, v), hv_fd, atol=1e-7)


def _sympy_loss(X, y, m):
    """The tanh/MSE network loss written out in sympy (independent of the numpy code)."""
    n, d = X.shape
    W = sp.Matrix(d, m, lambda i, j: sp.Symbol(f"W{i}{j}"))
    b = sp.Matrix(1, m, lambda i, j: sp.Symbol(f"b{j}"))
    w = sp.Matrix(m, 1, lambda i, j: sp.Symbol(f"w{i}"))
    c = sp.Symbol("c")
    L = 0
    for i in range(n):
        z = sp.Matrix(X[i:i + 1].tolist()) * W + b
        yhat = sum(sp.tanh(z[j]) * w[j] for j in range(m)) + c
        L += (yhat - y[i]) ** 2 / 2
    # parameter order of Network: W row-major, b, w, c
    syms = list(W) + list(b) + list(w) + [c]
    return L / n, syms


def test_hvp_equals_exact_sympy_hessian():
    X, y = synthetic_regression(3, 2, seed=5)
    net = Network(X, y, width=2)
    th = net.init_params(seed=4, scale=1.2)
    L, syms = _sympy_loss(X, y, 2)
    H = sp.hessian(L, syms)
    Hn = np.array(H.subs(dict(zip(syms, th.tolist()))).evalf(30), dtype=float)
    assert np.allclose(net.hessian(th), Hn, atol=1e-12)
    assert abs(net.value(th) - float(L.subs(dict(zip(syms, th.tolist()))))) < 1e-13


@pytest.mark.parametrize("act,loss,bn", VARIANTS)
def test_lanczos_sharpness_matches_dense(act, loss, bn):
    net, th = _tiny(act, loss, bn, n=10, d=3, m=5)
    H = net.hessian(th)
    raw = np.stack([net.hvp(th, e) for e in np.eye(net.n_params)], axis=1)
    assert np.allclose(raw, raw.T, atol=1e-12)  # exact HVPs give a symmetric Hessian
    assert net.sharpness(th) == pytest.approx(np.linalg.eigvalsh(H)[-1], abs=1e-8)


def test_batchnorm_output_is_invariant_to_scaling_first_layer():
    """Without affine parameters batch norm makes L(cW) = L(W) (up to ε), so ∇L ⟂ W."""
    net, th = _tiny("tanh", "mse", True)
    W = net.unpack(th)["W"].ravel()
    g = net.unpack(net.grad(th))["W"].ravel()
    assert abs(g @ W) < 1e-6 * (1 + np.linalg.norm(g) * np.linalg.norm(W))


def test_gd_on_a_quadratic_scale_is_stable_and_training_records():
    net, th = _tiny()
    run = train_gd(net, th, 0.05, 50, every=10)
    assert not run.diverged and run.losses.size == 51 and run.sharpness.size == 6
    assert run.losses[-1] < run.losses[0]


def test_divergence_is_a_result():
    net, th = _tiny()
    run = train_gd(net, th, 1e4, 50, every=10)
    assert run.diverged


def test_bad_input():
    X, y = synthetic_regression(5, 2)
    with pytest.raises(InputError):
        Network(X, y, activation="sigmoid")
    with pytest.raises(InputError):
        Network(X, y[:3])
    net = Network(X, y, width=2)
    with pytest.raises(InputError):
        net.grad(np.zeros(3))
    with pytest.raises(InputError):
        train_gd(net, net.init_params(), -0.1, 10)


@pytest.mark.slow
def test_an_eos_run_hovers_in_the_band_around_2_over_eta():
    """tanh/MSE, small initialization: the sharpness rises to 2/η and stays within ±10%."""
    from lrtheory.stability.detectors import edge_of_stability
    X, y = synthetic_regression(80, 4, seed=0)
    net = Network(X, y, width=16)
    eta = 0.7
    run = train_gd(net, net.init_params(0, scale=0.3), eta, 1200, every=20)
    stats = edge_of_stability(run.losses, run.sharp_steps, run.sharpness, eta, band=0.1)
    assert stats["ratio_start"] < 0.5
    assert stats["reach_step"] is not None and stats["reach_step"] < 800
    after = run.sharpness[run.sharp_steps >= stats["reach_step"]] * eta / 2
    assert np.all(np.abs(after - 1) <= 0.1)
    assert stats["loss_increases"] > 0
