"""A one-hidden-layer fully connected network trained by full-batch GD (EOS-2, REG).

Model, for inputs X ∈ R^{n×d}, targets y ∈ R^n and parameters θ = (W, b, w, c):

    z = X W + b                      (n×m pre-activations; b is dropped with batch norm)
    ẑ = (z − mean z) / √(var z + ε)  (optional batch normalization, no affine parameters;
                                      mean and variance over the batch, per hidden unit)
    a = σ(ẑ or z),  σ ∈ {tanh, relu}
    ŷ = a w + c
    L(θ) = (1/n) Σ_i ℓ(ŷ_i − y_i),  ℓ ∈ {mse: r²/2, huber: r²/2 for |r| ≤ δ, δ(|r| − δ/2) else}

The gradient is the hand-written backward pass :func:`_loss_and_grad`.  The
Hessian–vector product H(θ)v is *exact* forward-over-reverse differentiation: the same
backward pass is run on dual numbers θ + εv (ε² = 0), and the ε-part of the gradient is
H(θ)v.  The sharpness (largest Hessian eigenvalue) is computed by Lanczos
(``scipy.sparse.linalg.eigsh`` on a ``LinearOperator`` of the HVP).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh

from ..aliases import lr_keyword
from ..errors import InputError
from ..parsing import check_lr

ACTIVATIONS = ("tanh", "relu")
LOSS_NAMES = ("mse", "huber")


# ---- dual numbers over numpy arrays -----------------------------------------------------
class Dual:
    """A pair (value, tangent) of equal-shape arrays: value + ε·tangent with ε² = 0."""

    __array_ufunc__ = None  # ndarray ⊕ Dual dispatches to Dual's reflected operators

    def __init__(self, v, t):
        self.v, self.t = np.asarray(v, dtype=float), np.asarray(t, dtype=float)

    def __add__(self, o):
        return Dual(self.v + _v(o), self.t + _t(o))

    __radd__ = __add__

    def __sub__(self, o):
        return Dual(self.v - _v(o), self.t - _t(o))

    def __rsub__(self, o):
        return Dual(_v(o) - self.v, _t(o) - self.t)

    def __neg__(self):
        return Dual(-self.v, -self.t)

    def __mul__(self, o):
        return Dual(self.v * _v(o), self.t * _v(o) + self.v * _t(o))

    __rmul__ = __mul__

    def __truediv__(self, o):
        ov = _v(o)
        return Dual(self.v / ov, (self.t * ov - self.v * _t(o)) / ov**2)

    def __rtruediv__(self, o):
        return Dual(_v(o) / self.v, (_t(o) * self.v - _v(o) * self.t) / self.v**2)

    def __matmul__(self, o):
        t = self.t @ _v(o)
        return Dual(self.v @ _v(o), t + self.v @ o.t if isinstance(o, Dual) else t)

    def __rmatmul__(self, o):  # o is a constant array (Dual @ Dual uses __matmul__)
        return Dual(o @ self.v, o @ self.t)

    def __getitem__(self, idx):
        return Dual(self.v[idx], self.t[idx])

    @property
    def T(self):
        return Dual(self.v.T, self.t.T)

    def sum(self, axis=None):
        return Dual(self.v.sum(axis=axis), self.t.sum(axis=axis))

    def mean(self, axis=None):
        return Dual(self.v.mean(axis=axis), self.t.mean(axis=axis))


def _v(a):
    return a.v if isinstance(a, Dual) else a


def _t(a):
    return a.t if isinstance(a, Dual) else 0.0


def _lift(fn, dfn):
    """Elementwise function that also acts on duals: f(v + εt) = f(v) + ε f′(v) t."""
    def apply(a):
        if isinstance(a, Dual):
            return Dual(fn(a.v), dfn(a.v) * a.t)
        return fn(np.asarray(a, dtype=float))
    return apply


_tanh = _lift(np.tanh, lambda v: 1.0 - np.tanh(v)**2)
_sqrt = _lift(np.sqrt, lambda v: 0.5 / np.sqrt(v))
_relu = _lift(lambda v: np.maximum(v, 0.0), lambda v: (v > 0).astype(float))
_step = _lift(lambda v: (v > 0).astype(float), np.zeros_like)  # relu′: derivative 0 a.e.


def _activation(name):
    """σ and σ′ as dual-aware functions (σ′ itself is differentiated for the HVP)."""
    if name == "tanh":
        return _tanh, lambda z: 1.0 - _tanh(z) * _tanh(z)
    return _relu, _step


def _loss_derivative(name, delta):
    """ℓ′(r) as a dual-aware function: r for MSE, clip(r, −δ, δ) for Huber."""
    if name == "mse":
        return lambda r: r
    return _lift(lambda v: np.clip(v, -delta, delta),
                 lambda v: (np.abs(v) <= delta).astype(float))


def _loss_values(name, delta, r: np.ndarray) -> np.ndarray:
    if name == "mse":
        return 0.5 * r**2
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))


# ---- data --------------------------------------------------------------------------------
def synthetic_regression(n: int = 40, d: int = 4, seed: int = 0):
    """A small fixed-seed regression set: x ~ N(0, I_d), y = sin(x·u) + ½ cos(x·u′),
    u, u′ random unit vectors (a smooth nonlinear target a narrow network must work to fit).
    Returns ``(X, y)`` with X of shape (n, d)."""
    if n < 2 or d < 1:
        raise InputError(f"need n >= 2 samples and d >= 1 features, got n={n}, d={d}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    U = rng.standard_normal((d, 2))
    U /= np.linalg.norm(U, axis=0)
    y = np.sin(X @ U[:, 0]) + 0.5 * np.cos(X @ U[:, 1])
    return X, y


# ---- the network -------------------------------------------------------------------------
@dataclass
class Network:
    """One hidden layer of width ``width`` on the data (X, y); see the module docstring.

    ``params`` are one flat vector θ; :meth:`unpack` gives (W, b, w, c)."""

    X: np.ndarray
    y: np.ndarray
    width: int = 16
    activation: str = "tanh"
    loss: str = "mse"
    batchnorm: bool = False
    huber_delta: float = 0.5
    bn_eps: float = 1e-5
    shapes: list = field(init=False)

    def __post_init__(self):
        self.X = np.asarray(self.X, dtype=float)
        self.y = np.asarray(self.y, dtype=float)
        if self.X.ndim != 2 or self.y.shape != (self.X.shape[0],):
            raise InputError(f"need X of shape (n, d) and y of shape (n,), got "
                             f"{self.X.shape} and {self.y.shape}")
        if self.activation not in ACTIVATIONS:
            raise InputError(f"unknown activation {self.activation!r}; known: {ACTIVATIONS}")
        if self.loss not in LOSS_NAMES:
            raise InputError(f"unknown loss {self.loss!r}; known: {LOSS_NAMES}")
        if int(self.width) < 1 or not self.huber_delta > 0:
            raise InputError("width must be >= 1 and huber_delta > 0")
        d, m = self.X.shape[1], int(self.width)
        self.shapes = [("W", (d, m))] + ([] if self.batchnorm else [("b", (m,))]) + \
            [("w", (m,)), ("c", ())]

    @property
    def n_params(self) -> int:
        return sum(int(np.prod(s)) for _, s in self.shapes)

    def init_params(self, seed: int = 0, scale: float = 1.0) -> np.ndarray:
        """θ₀: W ~ N(0, scale²/d), w ~ N(0, scale²/m), biases 0 (fixed seed)."""
        rng = np.random.default_rng(seed)
        d, m = self.X.shape[1], int(self.width)
        parts = {"W": rng.standard_normal((d, m)) * scale / np.sqrt(d),
                 "b": np.zeros(m), "w": rng.standard_normal(m) * scale / np.sqrt(m),
                 "c": np.zeros(())}
        return np.concatenate([np.ravel(parts[k]) for k, _ in self.shapes])

    def unpack(self, theta):
        """Split θ (array or :class:`Dual`) into a dict of named parameter blocks."""
        out, i = {}, 0
        for name, shape in self.shapes:
            k = int(np.prod(shape))
            blk = theta[i:i + k]
            out[name] = Dual(blk.v.reshape(shape), blk.t.reshape(shape)) \
                if isinstance(blk, Dual) else blk.reshape(shape)
            i += k
        return out

    def _check(self, theta) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (self.n_params,):
            raise InputError(f"parameter vector has shape {theta.shape}, "
                             f"expected ({self.n_params},)")
        return theta

    def _loss_and_grad(self, theta):
        """Forward and backward pass, generic over arrays and duals: returns (r, ∇L)."""
        p = self.unpack(theta)
        sigma, dsigma = _activation(self.activation)
        n = self.X.shape[0]
        z = self.X @ p["W"] + (0.0 if self.batchnorm else p["b"])
        if self.batchnorm:
            cz = z - z.mean(axis=0)
            s = _sqrt((cz * cz).mean(axis=0) + self.bn_eps)
            u = cz / s
        else:
            u = z
        a = sigma(u)
        r = a @ p["w"] + p["c"] - self.y
        g_out = _loss_derivative(self.loss, self.huber_delta)(r) * (1.0 / n)
        grads = {"w": a.T @ g_out, "c": g_out.sum()}
        g_u = g_out[:, None] * p["w"][None, :] * dsigma(u)
        if self.batchnorm:  # ∂/∂z of (z − µ)/s: (g − mean g − u·mean(g u)) / s
            g_z = (g_u - g_u.mean(axis=0) - u * (g_u * u).mean(axis=0)) / s
        else:
            g_z = g_u
            grads["b"] = g_z.sum(axis=0)
        grads["W"] = self.X.T @ g_z
        blocks = [grads[k] for k, _ in self.shapes]
        if isinstance(theta, Dual):
            return r, Dual(np.concatenate([np.ravel(_v(b)) for b in blocks]),
                           np.concatenate([np.ravel(np.broadcast_to(_t(b), np.shape(_v(b))))
                                           for b in blocks]))
        return r, np.concatenate([np.ravel(b) for b in blocks])

    # ---- public evaluators ----------------------------------------------------------
    def value(self, theta) -> float:
        """L(θ)."""
        r, _ = self._loss_and_grad(self._check(theta))
        return float(np.mean(_loss_values(self.loss, self.huber_delta, r)))

    def value_and_grad(self, theta) -> tuple[float, np.ndarray]:
        r, g = self._loss_and_grad(self._check(theta))
        return float(np.mean(_loss_values(self.loss, self.huber_delta, r))), g

    def grad(self, theta) -> np.ndarray:
        """∇L(θ) by the backward pass."""
        return self.value_and_grad(theta)[1]

    def hvp(self, theta, v) -> np.ndarray:
        """H(θ)v = d/dε ∇L(θ + εv) at ε = 0, exactly (forward-over-reverse on duals)."""
        theta, v = self._check(theta), self._check(v)
        _, g = self._loss_and_grad(Dual(theta, v))
        return g.t

    def hessian(self, theta) -> np.ndarray:
        """Dense Hessian from n_params HVPs with the unit vectors (small networks only)."""
        eye = np.eye(self.n_params)
        H = np.stack([self.hvp(theta, e) for e in eye], axis=1)
        return 0.5 * (H + H.T)

    def sharpness(self, theta, tol: float = 1e-8, seed: int = 0) -> float:
        """λ_max(H(θ)) by Lanczos on the HVP operator (fixed-seed start vector)."""
        theta = self._check(theta)
        P = self.n_params
        op = LinearOperator((P, P), matvec=lambda v: self.hvp(theta, np.ravel(v)), dtype=float)
        v0 = np.random.default_rng(seed).standard_normal(P)
        try:
            vals = eigsh(op, k=1, which="LA", tol=tol, v0=v0, return_eigenvectors=False,
                         maxiter=50 * P)
        except ArpackNoConvergence:  # fall back on the dense spectrum (tiny P only)
            return float(np.linalg.eigvalsh(self.hessian(theta))[-1])
        return float(vals[-1])


# ---- training ----------------------------------------------------------------------------
@dataclass
class TrainingRun:
    """Full-batch GD record: losses at every step, sharpness every ``every`` steps."""

    eta: float
    losses: np.ndarray
    sharp_steps: np.ndarray
    sharpness: np.ndarray
    theta: np.ndarray
    diverged: bool


@lr_keyword
def train_gd(net: Network, theta0, lr: float, steps: int, every: int = 10,
             blowup: float = 1e8) -> TrainingRun:
    """θ_{k+1} = θ_k − η∇L(θ_k), η = ``lr``, for ``steps`` steps, recording L(θ_k) for
    every k and λ_max(H(θ_k)) every ``every`` steps.  A loss above ``blowup`` or non-finite
    stops the run and is reported as divergence (a result, not an error)."""
    check_lr(lr)
    if steps < 1 or every < 1:
        raise InputError("steps and every must be positive integers")
    theta = net._check(theta0).copy()
    losses, s_steps, sharp = [], [], []
    diverged = False
    for k in range(steps + 1):
        with np.errstate(all="ignore"):
            L, g = net.value_and_grad(theta)
        if not np.isfinite(L) or L > blowup:
            diverged = True
            break
        losses.append(L)
        if k % every == 0:
            s_steps.append(k)
            sharp.append(net.sharpness(theta))
        if k < steps:
            theta = theta - lr * g
    return TrainingRun(float(lr), np.array(losses), np.array(s_steps), np.array(sharp),
                       theta, diverged)
