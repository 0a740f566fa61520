"""The product family f(x, y) = ℓ(xᵀy) under large-learning-rate GD (REG-1..REG-5).

ℓ is one of :data:`lrtheory.catalogue.LOSSES`, minimized at s = µ with ℓ′(µ) = 0.  With
v = (y, x) the exact derivatives are

    ∇f = ℓ′(s) v,     ∇²f = ℓ″(s) v vᵀ + ℓ′(s) [[0, I], [I, 0]],     s = xᵀy,

so on the minimizer set {xᵀy = µ} the Hessian is ℓ″(µ) v vᵀ: its only nonzero eigenvalue
(the sharpness) is ℓ″(µ)(‖x‖² + ‖y‖²) ≥ 2µℓ″(µ), with equality exactly at balanced points
x = ±y.  A limit of GD with step h is linearly stable only if h·ℓ″(µ)(‖x‖² + ‖y‖²) ≤ 2.

"Regularity" is measured, not assumed: the far-field growth exponent p of |ℓ′(µ + r)| ~ r^p
(p = 1 quadratic, 0 for pseudo-Huber and log cosh — bounded ℓ′, so ∇f grows only linearly —
and 3 for the quartic contrast).

This module runs batches of GD starts per (loss, h), classifies them
(:func:`lrtheory.dynamics.classify.classify_tail`) and measures per start: the limit's
sharpness S∞, the EoS gap 2/h − S∞ (REG-2), the balance |x∞| − |y∞| (REG-3), catapult
episodes (REG-4, :mod:`.detectors`) and the fitted linear convergence rate (REG-5).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..catalogue import LOSSES, product_loss
from ..dynamics.classify import classify_tail
from ..errors import InputError
from ..numerics import fit_loglog_slope
from ..objectives import Objective
from ..parsing import check_lr
from .detectors import catapults

SUBQUADRATIC = ("pseudo_huber", "logcosh")


# ---- the losses and the minimizer set, exactly ------------------------------------------
def loss_expr(loss: str, mu=1) -> tuple[sp.Expr, sp.Symbol]:
    """ℓ(s) as a sympy expression in a real symbol s."""
    if loss not in LOSSES:
        raise InputError(f"unknown loss {loss!r}; known: {sorted(LOSSES)}")
    s = sp.Symbol("s", real=True)
    return LOSSES[loss](s, sp.sympify(mu)), s


def regularity_profile(loss: str, mu=1, r_range=(1e1, 1e4)) -> dict:
    """Measured regularity of ℓ: exact ℓ″(µ), the limit of ℓ′ at +∞ (sympy) and the fitted
    far-field exponent p of |ℓ′(µ + r)| ~ r^p over ``r_range`` (log–log least squares)."""
    ell, s = loss_expr(loss, mu)
    d1, d2 = sp.diff(ell, s), sp.diff(ell, s, 2)
    r = np.geomspace(*r_range, 25)
    d1n = sp.lambdify(s, d1, "mpmath")
    with mpmath.workdps(30):
        vals = [abs(d1n(mpmath.mpf(mu) + mpmath.mpf(float(t)))) for t in r]
    fit = fit_loglog_slope(r, vals)
    return {"loss": loss, "ell2_at_mu": sp.simplify(d2.subs(s, mu)),
            "dell_at_infinity": sp.limit(d1, s, sp.oo), "growth_exponent": fit["slope"],
            "growth_fit_residual": fit["max_residual"], "dell": d1}


def minimizer_hessian_identity(loss: str, mu=1, d: int = 1) -> dict:
    """Symbolic proof that on {xᵀy = µ} the Hessian of ℓ(xᵀy) equals ℓ″(µ) v vᵀ, v = (y, x).

    Two exact steps: (1) the chain-rule identity ∇²f = ℓ″(s) v vᵀ + ℓ′(s) J, s = xᵀy,
    J = [[0, I], [I, 0]], checked entrywise by sympy on the objective's own Hessian (no
    constraint involved); (2) ℓ′(µ) = 0 exactly, so on the set the J term vanishes.
    ``residual_zero`` is True when both hold (False means "not proved", not "false").
    Also returns ℓ″(µ)(‖x‖² + ‖y‖²) on the set, parameterized by x and y = µ/x (d = 1) or
    y = µx/‖x‖² + c(−x₂, x₁, 0, …) (d ≥ 2), and its minimum 2µℓ″(µ)."""
    obj = product_loss(loss, mu, d)
    xs, ys = obj.vars[:d], obj.vars[d:]
    mu = sp.sympify(mu)
    ell, s = loss_expr(loss, mu)
    d1, d2 = sp.diff(ell, s), sp.diff(ell, s, 2)
    dot = sum(a * b for a, b in zip(xs, ys))
    v = sp.Matrix(list(ys) + list(xs))
    J = sp.Matrix(2 * d, 2 * d, lambda i, j: 1 if abs(i - j) == d else 0)
    chain = d2.subs(s, dot) * v * v.T + d1.subs(s, dot) * J
    chain_ok = all(sp.simplify(e) == 0 for e in obj.hessian - chain)
    ell2 = sp.simplify(d2.subs(s, mu))
    stationary = sp.simplify(d1.subs(s, mu)) == 0
    nx2 = sum(c**2 for c in xs)
    if d == 1:
        sub = {ys[0]: mu / xs[0]}
    else:
        c = sp.Symbol("c", real=True)
        w = [-xs[1] * c, xs[0] * c] + [0] * (d - 2)
        sub = {ys[i]: mu * xs[i] / nx2 + w[i] for i in range(d)}
    sharp = ell2 * (nx2 + sum(y**2 for y in ys))
    return {"residual_zero": bool(chain_ok and stationary), "chain_rule": chain_ok,
            "stationary": stationary, "sharpness": sharp,
            "sharpness_on_set": sp.simplify(sharp.subs(sub)), "min_sharpness": 2 * mu * ell2,
            "ell2_at_mu": ell2}


@lru_cache(maxsize=None)
def family_objective(loss: str, mu=1, d: int = 1) -> Objective:
    """The (cached) objective ℓ(xᵀy) of :func:`lrtheory.catalogue.product_loss`."""
    return product_loss(loss, mu, d)


def sharpness(obj: Objective, X) -> np.ndarray:
    """λ_max(∇²f) at points X of shape (..., n); NaN where X is not finite."""
    X = np.asarray(X, dtype=float)
    ok = np.all(np.isfinite(X), axis=-1)
    out = np.full(X.shape[:-1], np.nan)
    if ok.any():
        H = obj.numpy.hess(X[ok])
        with np.errstate(all="ignore"):
            good = np.all(np.isfinite(H), axis=(-2, -1))
        vals = np.full(H.shape[0], np.nan)
        vals[good] = np.linalg.eigvalsh(H[good])[:, -1]
        out[ok] = vals
    return out


# ---- GD runs ------------------------------------------------------------------------------
def near_minimizer_starts(n: int, d: int = 1, mu=1, seed: int = 0, x_range=(3.5, 6.0),
                          offset: float = 0.4) -> np.ndarray:
    """Fixed-seed unbalanced starts near the minimizer set: x = ρe (ρ ~ U[x_range], e a random
    unit vector with nonnegative entries), y = (1 + δ)µx/‖x‖², δ ~ U[−offset, offset].
    Then xᵀy − µ = δµ and the sharpness at the start is about ℓ″(δµ)(‖x‖² + ‖y‖²) ≥ 12ℓ″(δµ)
    (≥ 9.8 for the losses of the family with µ = 1): h ≥ 0.25 already exceeds 2/L at
    initialization."""
    rng = np.random.default_rng(seed)
    radius = rng.uniform(*x_range, size=n)
    e = np.abs(rng.standard_normal((n, d)))
    x = radius[:, None] * e / np.linalg.norm(e, axis=1, keepdims=True)
    delta = rng.uniform(-offset, offset, size=n)
    y = (1.0 + delta)[:, None] * float(mu) * x / (radius**2)[:, None]
    return np.concatenate([x, y], axis=1)


def box_starts(n: int, d: int = 1, seed: int = 0, radius: float = 6.0) -> np.ndarray:
    """Fixed-seed starts uniform in the box [−radius, radius]^{2d} (REG-1, global)."""
    return np.random.default_rng(seed).uniform(-radius, radius, size=(n, 2 * d))


def gradient_flow_sharpness(starts, mu=1, ell2_at_mu: float = 1.0) -> np.ndarray:
    """Sharpness of the minimizer reached by gradient flow (the small-h limit) from each start.

    Under ẋ = −ℓ′y, ẏ = −ℓ′x the sums and differences scale, x + y = a(x₀ + y₀),
    x − y = (x₀ − y₀)/a, so with P = ‖x₀ + y₀‖², Q = ‖x₀ − y₀‖² the limit has
    a² = (2µ + √(4µ² + PQ))/P and sharpness ℓ″(µ)(a²P + Q/a²)/2 (= ℓ″(µ)√(4µ² + (x₀² − y₀²)²)
    for d = 1).  NaN where P = 0 (the flow cannot reach xᵀy = µ > 0)."""
    X = np.atleast_2d(np.asarray(starts, dtype=float))
    d = X.shape[1] // 2
    P = np.sum((X[:, :d] + X[:, d:])**2, axis=1)
    Q = np.sum((X[:, :d] - X[:, d:])**2, axis=1)
    with np.errstate(all="ignore"):
        a2 = (2 * float(mu) + np.sqrt(4 * float(mu)**2 + P * Q)) / P
        S = ell2_at_mu * (a2 * P + Q / a2) / 2
    return np.where(P > 0, S, np.nan)


@dataclass
class StartResult:
    """One GD run of the family: start, step, outcome and the measured quantities."""

    loss: str
    h: float
    x0: list
    label: str                     # converged / periodic / aperiodic / diverged
    sharp0: float                  # λ_max(∇²f(x0)) = "L at initialization"
    limit: list | None = None
    sharp_limit: float = float("nan")
    residual: float = float("nan")  # |x∞ᵀy∞ − µ|
    gap: float = float("nan")       # 2/h − S∞
    imbalance: float = float("nan")  # ‖x∞‖ − ‖y∞‖ (|x∞| − |y∞| for d = 1)
    catapults: list = field(default_factory=list)
    rate: dict | None = None

    @property
    def rel_gap(self) -> float:
        """1 − hS∞/2: the gap as a fraction of 2/h."""
        return self.gap * self.h / 2.0


def run_family(loss: str, h: float, starts, steps: int, mu=1, tol: float = 1e-12,
               rise: float = 2.0) -> list[StartResult]:
    """GD on ℓ(xᵀy) from each row of ``starts`` (shape (m, 2d)) for ``steps`` steps:
    classify the tail and measure S∞, gap, imbalance, catapults and rate per start."""
    check_lr(h)
    starts = np.atleast_2d(np.asarray(starts, dtype=float))
    if starts.shape[1] % 2:
        raise InputError("starts must have an even number of coordinates (x then y)")
    d = starts.shape[1] // 2
    obj = family_objective(loss, mu, d)
    traj = obj.numpy.run(starts, h, steps)
    labels = classify_tail(traj, tol=tol)
    with np.errstate(all="ignore"):
        losses = obj.numpy.value(traj)            # (steps + 1, m)
    sharp = sharpness(obj, traj)                  # (steps + 1, m)
    out = []
    for j, lab in enumerate(labels):
        res = StartResult(loss, float(h), starts[j].tolist(), lab["label"], float(sharp[0, j]))
        res.catapults = [c.as_dict() for c in catapults(losses[:, j], sharp[:, j], h, rise)]
        if lab["label"] == "converged":
            xl = np.asarray(lab["limit"])
            res.limit = xl.tolist()
            res.sharp_limit = float(sharp[-1, j])
            res.residual = float(abs(xl[:d] @ xl[d:] - float(mu)))
            res.gap = 2.0 / h - res.sharp_limit
            res.imbalance = float(np.linalg.norm(xl[:d]) - np.linalg.norm(xl[d:]))
            res.rate = fit_linear_rate(losses[:, j], h, res.sharp_limit)
        out.append(res)
    return out


def fit_linear_rate(loss_series, h: float, sharp_limit: float, lo: float = 1e-24,
                    hi: float = 1e-6) -> dict | None:
    """Fit log L_k = k log ρ + c on the steps with lo ≤ L_k ≤ hi (the asymptotic window;
    f* = 0 for every loss of the family) and compare with the linearization at the limit:
    the normal component contracts by |1 − hS∞| per step, so ρ_pred = (1 − hS∞)².
    Also reports k_eps, the first step with L_k ≤ hi (a non-asymptotic iteration count)."""
    L = np.asarray(loss_series, dtype=float)
    win = np.nonzero((L >= lo) & (L <= hi))[0]
    if win.size < 8:
        return None
    # the contiguous final stretch inside the window
    k0 = win[-1]
    while k0 - 1 in win and k0 > win[0]:
        k0 -= 1
    ks = np.arange(k0, win[-1] + 1)
    slope, _ = np.polyfit(ks, np.log(L[ks]), 1)
    pred = (1.0 - h * sharp_limit) ** 2
    hit = np.nonzero(L <= hi)[0]
    return {"rho_fit": float(np.exp(slope)), "rho_pred": float(pred),
            "log_ratio": float(slope / np.log(pred)) if 0 < pred < 1 else float("nan"),
            "k_eps": int(hit[0]), "window": [int(ks[0]), int(ks[-1])]}


# ---- precision escalation -------------------------------------------------------------------
def replay_mpmath(loss: str, h, x0, steps: int, mu=1, dps: int = 30) -> dict:
    """The same GD run in mpmath at ``dps`` digits: the final point, its sharpness and gap
    (h and x0 are taken exactly from their float64 values, as in the float64 run)."""
    obj = family_objective(loss, mu, len(x0) // 2)
    with mpmath.workdps(dps):
        hm = mpmath.mpf(h)
        x = [mpmath.mpf(c) for c in x0]
        for _ in range(steps):
            x = obj.mpmath.gd_step(x, hm)
        H = obj.mpmath.hess(x)
        S = max(mpmath.eigsy(H)[0])
        return {"limit": [float(c) for c in x], "sharp_limit": float(S),
                "gap": float(2 / hm - S), "dps": dps}
