"""The catapult model of Lewkowycz et al. (2020) (EOS-1).

Two-layer linear network with one datum: output f = vᵀu/√n, loss ½f², u, v ∈ Rⁿ, and the
tangent-kernel eigenvalue λ = (‖u‖² + ‖v‖²)/n (the sharpness of the loss at f = 0).
GD with rate η on (u, v) closes exactly on (f, λ):

    f_{t+1} = f_t (1 − ηλ_t + η² f_t²/n),
    λ_{t+1} = λ_t + (η f_t²/n)(ηλ_t − 4).

In a = ηλ and q = η²f²/n this is a_{t+1} = a_t + q_t(a_t − 4), q_{t+1} = q_t(1 − a_t + q_t)².
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .gd import TRAJECTORY, run_gd
from .objectives import Objective

PHASES = ("lazy", "catapult", "divergent")


def network_objective(n: int) -> tuple[Objective, sp.Expr, sp.Expr]:
    """Loss ½(vᵀu/√n)² as an :class:`Objective` in u1..un, v1..vn, with f and λ as exprs."""
    u = sp.symbols(f"u1:{n + 1}", real=True)
    v = sp.symbols(f"v1:{n + 1}", real=True)
    f = sum(a * b for a, b in zip(u, v)) / sp.sqrt(n)
    lam = (sum(a**2 for a in u) + sum(b**2 for b in v)) / n
    return Objective(f**2 / 2, u + v, name=f"catapult model n={n}"), f, lam


def recurrence_residuals(n: int) -> tuple[sp.Expr, sp.Expr]:
    """f(G_η(u,v)) − f(1 − ηλ + η²f²/n) and λ(G_η(u,v)) − (λ + (ηf²/n)(ηλ − 4)), expanded,
    for the GD map G_η of the n-dimensional model (both are identically 0 iff the
    recurrences hold)."""
    obj, f, lam = network_objective(n)
    eta = sp.Symbol("eta", positive=True)
    new = dict(zip(obj.vars, obj.gd_map_exprs(eta)))
    f_new, lam_new = f.xreplace(new), lam.xreplace(new)
    r_f = sp.expand(f_new - f * (1 - eta * lam + eta**2 * f**2 / n))
    r_l = sp.expand(lam_new - (lam + eta * f**2 / n * (eta * lam - 4)))
    return r_f, r_l


def recurrence_residuals_general() -> tuple[sp.Expr, sp.Expr]:
    """The same identities for symbolic n, in the inner products a = uᵀu, b = vᵀv, c = uᵀv.

    GD: u' = u − η(f/√n)v, v' = v − η(f/√n)u with f = c/√n, so by bilinearity
    a' = a − 2ηfc/√n + η²f²b/n, b' = b − 2ηfc/√n + η²f²a/n,
    c' = c − ηf(a + b)/√n + η²f²c/n."""
    a, b, c, eta, n = sp.symbols("a b c eta n", positive=True)
    f = c / sp.sqrt(n)
    s = eta * f / sp.sqrt(n)
    a1, b1 = a - 2 * s * c + s**2 * b, b - 2 * s * c + s**2 * a
    c1 = c - s * (a + b) + s**2 * c
    lam, lam1, f1 = (a + b) / n, (a1 + b1) / n, c1 / sp.sqrt(n)
    r_f = sp.simplify(f1 - f * (1 - eta * lam + eta**2 * f**2 / n))
    r_l = sp.simplify(lam1 - (lam + eta * f**2 / n * (eta * lam - 4)))
    return r_f, r_l


def reduced_map(a: sp.Expr, q: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(a, q) ↦ (a + q(a − 4), q(1 − a + q)²) with a = ηλ, q = η²f²/n."""
    return a + q * (a - 4), q * (1 - a + q) ** 2


class NetworkModel:
    """The loss ½f², f = vᵀu/√n, with its closed-form gradient, for :func:`lrtheory.gd.run_gd`
    on rows θ = (u, v) of shape (M, 2n): ∇_u = f v/√n, ∇_v = f u/√n (O(n) per row, where
    the expanded sympy gradient of :func:`network_objective` has n² terms)."""

    def __init__(self, n: int):
        self.n, self.dim = n, 2 * n
        self.numpy = self

    def output(self, X) -> np.ndarray:
        """f = vᵀu/√n for each row."""
        X = np.asarray(X, dtype=float)
        u, v = X[..., :self.n], X[..., self.n:]
        return np.einsum("...i,...i->...", v, u) / np.sqrt(self.n)

    def value(self, X) -> np.ndarray:
        return self.output(X) ** 2 / 2

    def grad(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        f = self.output(X)[..., None] / np.sqrt(self.n)
        return np.concatenate([f * X[..., self.n:], f * X[..., :self.n]], axis=-1)


def simulate_network(u0: np.ndarray, v0: np.ndarray, eta: float, steps: int) -> dict:
    """Full-parameter GD in float64 on ½(vᵀu/√n)² (:func:`lrtheory.gd.run_gd` on
    :class:`NetworkModel`); returns f, λ and loss per step.  Overflow is a result (nan
    entries from then on), not an error."""
    n = u0.size
    model = NetworkModel(n)
    theta = np.concatenate([np.asarray(u0, float), np.asarray(v0, float)])
    traj = run_gd(model, theta, eta, steps, TRAJECTORY).trajectory
    with np.errstate(all="ignore"):
        fs = model.output(traj)
        lams = np.sum(traj * traj, axis=-1) / n
        loss = fs**2 / 2
    return {"f": fs, "lam": lams, "loss": loss}


def iterate_reduced(f0: float, lam0: float, eta: float, n: int, steps: int) -> dict:
    """The (f, λ) recurrences iterated in float64 (the second route to the same orbit)."""
    fs, lams = np.empty(steps + 1), np.empty(steps + 1)
    f, lam = f0, lam0
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            fs[t], lams[t] = f, lam
            f, lam = f * (1 - eta * lam + eta**2 * f**2 / n), lam + eta * f**2 / n * (eta * lam - 4)
        loss = fs**2 / 2
    return {"f": fs, "lam": lams, "loss": loss}


def classify_phase(run: dict, eta: float, tol: float = 1e-12) -> dict:
    """Phase of a run from measured quantities.

    diverged: the loss overflowed or exceeded 1e12; lazy: the loss fell below ``tol`` and λ
    moved by less than 5 % of λ₀; catapult: the loss fell below ``tol`` after exceeding its
    initial value, with the final λ below 2/η < λ₀."""
    loss, lam = run["loss"], run["lam"]
    finite = np.isfinite(loss)
    peak = float(np.nanmax(np.where(finite, loss, np.nan)))
    out = {"peak_loss_ratio": peak / loss[0], "lam0": float(lam[0]),
           "lam_final": float(lam[finite][-1]), "two_over_eta": 2 / eta}
    if not finite.all() or peak > 1e12:
        out["phase"] = "divergent"
    elif loss[-1] < tol and abs(lam[-1] - lam[0]) < 0.05 * lam[0]:
        out["phase"] = "lazy"
    elif loss[-1] < tol and peak > loss[0] and lam[-1] < 2 / eta:
        out["phase"] = "catapult"
    else:
        out["phase"] = "undetermined"
    return out
