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

It also proves convergence: :func:`certified_run` follows one exact start at one exact
rate in ball arithmetic through the reduced map of (xᵀy, ‖x‖² + ‖y‖²) until a
:class:`MinimizerTrap` — a normal contraction onto the minimizer set — holds, and
:func:`minimizer_region` gives the same certificate to
:func:`lrtheory.certify.gd_sets.prove_over_sets` for sets of rates and starts.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..aliases import lr_keyword
from .. import gd
from ..catalogue import LOSSES, product_loss
from ..dynamics.classify import classify_tail
from ..errors import InputError
from ..numbers import convert
from ..numerics import fit_loglog_slope
from ..objectives import Objective
from ..parsing import check_lr
from ..precision import precision
from ..results import Result, result
from .detectors import Catapult, catapults

SUBQUADRATIC = ("pseudo_huber", "logcosh")


# ---- the losses and the minimizer set, exactly ------------------------------------------
def loss_expr(loss: str, mu=1) -> tuple[sp.Expr, sp.Symbol]:
    """ℓ(s) as a sympy expression in a real symbol s."""
    if loss not in LOSSES:
        raise InputError(f"unknown loss {loss!r}; known: {sorted(LOSSES)}")
    s = sp.Symbol("s", real=True)
    return LOSSES[loss](s, convert(mu, "mu")), s


@result
class RegularityProfile(gd.ItemAccess, Result):
    """Measured regularity of a loss ℓ of the family.

    ``loss``, ``mu``: the loss name and its minimizer µ; ``ell2_at_mu`` = ℓ″(µ) and
    ``dell_at_infinity`` = lim_{s→∞} ℓ′(s) (exact, sympy); ``dell`` = ℓ′(s);
    ``growth_exponent``: the fitted p of |ℓ′(µ + r)| ~ r^p (log–log least squares over
    ``r_range``) and ``growth_fit_residual`` its largest log residual."""

    loss: str
    mu: sp.Expr
    ell2_at_mu: sp.Expr
    dell_at_infinity: sp.Expr
    growth_exponent: float
    growth_fit_residual: float
    dell: sp.Expr
    r_range: tuple = (1e1, 1e4)


def regularity_profile(loss: str, mu=1, r_range=(1e1, 1e4)) -> RegularityProfile:
    """Measured regularity of ℓ: exact ℓ″(µ), the limit of ℓ′ at +∞ (sympy) and the fitted
    far-field exponent p of |ℓ′(µ + r)| ~ r^p over ``r_range`` (25 geometric points,
    ℓ′ evaluated in mpmath at 30 digits)."""
    mu = convert(mu, "mu")
    ell, s = loss_expr(loss, mu)
    d1, d2 = sp.diff(ell, s), sp.diff(ell, s, 2)
    r = np.geomspace(*r_range, 25)
    d1n = sp.lambdify(s, d1, "mpmath")
    with precision(30):
        vals = [abs(d1n(mpmath.mpf(mu) + mpmath.mpf(float(t)))) for t in r]
    fit = fit_loglog_slope(r, vals)
    return RegularityProfile(loss, mu, sp.simplify(d2.subs(s, mu)),
                             sp.limit(d1, s, sp.oo), fit["slope"], fit["max_residual"], d1,
                             tuple(float(v) for v in r_range))


@result
class MinimizerHessianIdentity(gd.ItemAccess, Result):
    """Symbolic check that on {xᵀy = µ} the Hessian of ℓ(xᵀy) is ℓ″(µ) v vᵀ, v = (y, x).

    ``chain_rule``: ∇²f = ℓ″(s) v vᵀ + ℓ′(s) J (s = xᵀy, J = [[0, I], [I, 0]]) entrywise;
    ``stationary``: ℓ′(µ) = 0 exactly; ``residual_zero``: both (False means "not proved",
    not "false"); ``sharpness`` = ℓ″(µ)(‖x‖² + ‖y‖²); ``sharpness_on_set``: the same on the
    parametrized set (y = µ/x for d = 1, y = µx/‖x‖² + c(−x₂, x₁, 0, …) for d ≥ 2);
    ``min_sharpness`` = 2µℓ″(µ); ``ell2_at_mu`` = ℓ″(µ)."""

    loss: str
    mu: sp.Expr
    d: int
    residual_zero: bool
    chain_rule: bool
    stationary: bool
    sharpness: sp.Expr
    sharpness_on_set: sp.Expr
    min_sharpness: sp.Expr
    ell2_at_mu: sp.Expr


def minimizer_hessian_identity(loss: str, mu=1, d: int = 1) -> MinimizerHessianIdentity:
    """Symbolic proof that on {xᵀy = µ} the Hessian of ℓ(xᵀy) equals ℓ″(µ) v vᵀ, v = (y, x)
    (:class:`MinimizerHessianIdentity`).

    Two exact steps: (1) the chain-rule identity ∇²f = ℓ″(s) v vᵀ + ℓ′(s) J, s = xᵀy,
    J = [[0, I], [I, 0]], checked entrywise by sympy on the objective's own Hessian (no
    constraint involved); (2) ℓ′(µ) = 0 exactly, so on the set the J term vanishes."""
    obj = product_loss(loss, mu, d)
    xs, ys = obj.vars[:d], obj.vars[d:]
    mu = convert(mu, "mu")
    ell, s = loss_expr(loss, mu)
    d1, d2 = sp.diff(ell, s), sp.diff(ell, s, 2)
    dot = sum(a * b for a, b in zip(xs, ys))
    v = sp.Matrix(list(ys) + list(xs))
    J = sp.Matrix(2 * d, 2 * d, lambda i, j: 1 if abs(i - j) == d else 0)
    chain = d2.subs(s, dot) * v * v.T + d1.subs(s, dot) * J
    chain_ok = all(sp.simplify(e) == 0 for e in obj.hessian - chain)
    ell2 = sp.simplify(d2.subs(s, mu))
    stationary = bool(sp.simplify(d1.subs(s, mu)) == 0)
    nx2 = sum(c**2 for c in xs)
    if d == 1:
        sub = {ys[0]: mu / xs[0]}
    else:
        c = sp.Symbol("c", real=True)
        w = [-xs[1] * c, xs[0] * c] + [0] * (d - 2)
        sub = {ys[i]: mu * xs[i] / nx2 + w[i] for i in range(d)}
    sharp = ell2 * (nx2 + sum(y**2 for y in ys))
    return MinimizerHessianIdentity(loss, mu, d, bool(chain_ok and stationary), chain_ok,
                                    stationary, sharp, sp.simplify(sharp.subs(sub)),
                                    2 * mu * ell2, ell2)


@lru_cache(maxsize=None)
def family_objective(loss: str, mu=1, d: int = 1) -> Objective:
    """The (cached) objective ℓ(xᵀy) of :func:`lrtheory.catalogue.product_loss`."""
    return product_loss(loss, mu, d)


def sharpness(obj: Objective, X) -> np.ndarray:
    """λ_max(∇²f) at points X of shape (..., n) (:func:`lrtheory.gd.sharpness`); NaN where
    X or the Hessian is not finite."""
    X = np.asarray(X, dtype=float)
    return gd.sharpness(obj, X.reshape(-1, X.shape[-1])).reshape(X.shape[:-1])


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


@result
class LinearRate(gd.ItemAccess, Result):
    """Fitted linear convergence of a loss series against the linearization.

    ``rho_fit``: per-step factor ρ of the fit log L_k = k log ρ + c on the final stretch
    of steps with lo ≤ L_k ≤ hi; ``rho_pred`` = (1 − hS∞)²; ``log_ratio`` =
    log ρ_fit / log ρ_pred (NaN unless 0 < ρ_pred < 1); ``k_eps``: first step with
    L_k ≤ hi; ``window``: the first and last fitted step."""

    rho_fit: float
    rho_pred: float
    log_ratio: float
    k_eps: int
    window: tuple[int, int]


@result
class StartResult(Result):
    """One GD run of the family: start, step, outcome and the measured quantities.

    ``loss``, ``h``, ``x0``: the loss, the learning rate and the start (x then y);
    ``label``: converged / periodic / aperiodic / diverged (the tail classification);
    ``sharp0`` = λ_max(∇²f(x0)) ("L at initialization").  For a converged run:
    ``limit``, ``sharp_limit`` = S∞, ``residual`` = |x∞ᵀy∞ − µ|, ``gap`` = 2/h − S∞,
    ``imbalance`` = ‖x∞‖ − ‖y∞‖ and ``rate`` (:class:`LinearRate`, None when the loss
    never enters the fit window); NaN / None otherwise.  ``catapults``: the catapult
    episodes of the run (:class:`~lrtheory.stability.detectors.Catapult`)."""

    loss: str
    h: float
    x0: tuple[float, ...]
    label: str
    sharp0: float
    limit: tuple[float, ...] | None = None
    sharp_limit: float = float("nan")
    residual: float = float("nan")
    gap: float = float("nan")
    imbalance: float = float("nan")
    catapults: tuple[Catapult, ...] = ()
    rate: LinearRate | None = None

    @property
    def rel_gap(self) -> float:
        """1 − hS∞/2: the gap as a fraction of 2/h."""
        return self.gap * self.h / 2.0


@lr_keyword
def run_family(loss: str, lr: float, starts, steps: int, mu=1, tol: float = 1e-12,
               rise: float = 2.0) -> list[StartResult]:
    """GD on ℓ(xᵀy) from each row of ``starts`` (shape (m, 2d)) for ``steps`` steps:
    classify the tail and measure S∞, gap, imbalance, catapults and rate per start."""
    check_lr(lr)
    starts = np.atleast_2d(np.asarray(starts, dtype=float))
    if starts.shape[1] % 2:
        raise InputError("starts must have an even number of coordinates (x then y)")
    d = starts.shape[1] // 2
    obj = family_objective(loss, mu, d)
    run = gd.run_gd(obj, starts, lr, steps, gd.Record(last=False, every=1, loss=True))
    traj, losses = run.trajectory, run.loss_trajectory   # (steps + 1, m, 2d), (steps + 1, m)
    labels = classify_tail(traj, tol=tol)
    sharp = sharpness(obj, traj)                         # (steps + 1, m)
    return [_start_result(loss, float(lr), starts[j], lab, losses[:, j], sharp[:, j], mu, rise)
            for j, lab in enumerate(labels)]


def _start_result(loss, h, x0, lab, losses, sharp, mu, rise) -> StartResult:
    """The :class:`StartResult` of one classified run from its loss and sharpness series."""
    common = dict(loss=loss, h=h, x0=tuple(float(v) for v in x0), label=lab["label"],
                  sharp0=float(sharp[0]), catapults=tuple(catapults(losses, sharp, h, rise)))
    if lab["label"] != "converged":
        return StartResult(**common)
    d = len(x0) // 2
    xl = np.asarray(lab["limit"], dtype=float)
    s_lim = float(sharp[-1])
    return StartResult(**common, limit=tuple(float(v) for v in xl), sharp_limit=s_lim,
                       residual=float(abs(xl[:d] @ xl[d:] - float(mu))), gap=2.0 / h - s_lim,
                       imbalance=float(np.linalg.norm(xl[:d]) - np.linalg.norm(xl[d:])),
                       rate=fit_linear_rate(losses, h, s_lim))


@lr_keyword
def fit_linear_rate(loss_series, lr: float, sharp_limit: float, lo: float = 1e-24,
                    hi: float = 1e-6) -> LinearRate | None:
    """Fit log L_k = k log ρ + c on the steps with lo ≤ L_k ≤ hi (the asymptotic window;
    f* = 0 for every loss of the family) and compare with the linearization at the limit:
    the normal component contracts by |1 − hS∞| per step, so ρ_pred = (1 − hS∞)².
    Also reports k_eps, the first step with L_k ≤ hi (a non-asymptotic iteration count).
    None when fewer than 8 steps fall in the window."""
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
    pred = (1.0 - lr * sharp_limit) ** 2
    hit = np.nonzero(L <= hi)[0]
    return LinearRate(float(np.exp(slope)), float(pred),
                      float(slope / np.log(pred)) if 0 < pred < 1 else float("nan"),
                      int(hit[0]), (int(ks[0]), int(ks[-1])))


# ---- precision escalation -------------------------------------------------------------------
@result
class Replay(gd.ItemAccess, Result):
    """A GD run of the family replayed in mpmath at ``dps`` digits: the final point
    ``limit`` after ``steps`` steps, its sharpness ``sharp_limit`` and ``gap`` = 2/h − S
    (rounded to float64 from the high-precision values)."""

    loss: str
    h: float
    x0: tuple[float, ...]
    steps: int
    dps: int
    limit: tuple[float, ...]
    sharp_limit: float
    gap: float


@lr_keyword
def replay_mpmath(loss: str, lr, x0, steps: int, mu=1, dps: int = 30) -> Replay:
    """The same GD run in mpmath at ``dps`` digits: the final point, its sharpness and gap
    (h and x0 are taken exactly from their float64 values, as in the float64 run)."""
    obj = family_objective(loss, mu, len(x0) // 2)
    x0 = [float(c) for c in x0]
    run = gd.run_gd(obj, x0, float(lr), steps, gd.Record(sharpness=True), backend="mpmath",
                    dps=dps)
    S = run.sharpness[0]
    with precision(dps):
        gap = 2 / mpmath.mpf(float(lr)) - S
    return Replay(loss, float(lr), tuple(x0), int(steps), int(dps),
                  tuple(float(c) for c in run.last[0]), float(S), float(gap))


# ---- certified convergence to the minimizer set ------------------------------------------
#
# With s = xᵀy and N = ‖x‖² + ‖y‖², one GD step of f = ℓ(xᵀy) maps (s, N) to
#
#     s′ = s − hℓ′(s)N + h²ℓ′(s)²s,     N′ = N − 4hℓ′(s)s + h²ℓ′(s)²N,
#
# in every dimension d (the reduced map).  Its fixed points with ℓ′(s) = 0 are the whole
# minimizer set {s = µ}: no minimizer is isolated, so no contraction box exists about one;
# the certificate below contracts only the normal coordinate u = s − µ.
@lru_cache(maxsize=None)
def _ball_derivatives(loss: str, mu) -> tuple:
    """(ℓ′, ℓ″) as ball functions of s, and ℓ″(µ) as a ball."""
    from ..evaluators import compile_exprs, to_arb
    ell, s = loss_expr(loss, mu)
    # sinh/cosh of a wide ball overestimates by e^(2 rad); tanh keeps ℓ′ of log cosh tight
    d1, d2 = (sp.diff(ell, s, k).rewrite(sp.tanh) for k in (1, 2))
    return (compile_exprs([d1], (s,), "arb"), compile_exprs([d2], (s,), "arb"),
            to_arb(sp.simplify(d2.subs(s, mu))))


def _reduced_natural(d1f, S, N, H) -> tuple:
    hg = H * d1f(S)[0]
    return S - hg * N + hg * hg * S, N - 4 * hg * S + hg * hg * N


def reduced_step(loss: str, S, N, H, mu=1) -> tuple:
    """Ball enclosures of (s′, N′) over s ∈ S, N ∈ N, h ∈ H: the natural extension of the
    reduced map above (exact for every d) intersected with its mean-value form
    F(m) + DF(S, N)((S, N) − m), where with g = ℓ′(s), g′ = ℓ″(s)

        ∂s′/∂s = 1 − hg′N + 2h²gg′s + h²g²,   ∂s′/∂N = −hg,
        ∂N′/∂s = −4h(g′s + g) + 2h²gg′N,       ∂N′/∂N = 1 + h²g²."""
    return _reduced_step(_ball_derivatives(loss, convert(mu, "mu")), S, N, H)


def _reduced_step(derivatives, S, N, H) -> tuple:
    """:func:`reduced_step` with (ℓ′, ℓ″) given as ball functions."""
    from flint import arb
    d1f, d2f = derivatives[:2]
    natural = _reduced_natural(d1f, S, N, H)
    ms, mn = arb(S.mid()), arb(N.mid())
    fm = _reduced_natural(d1f, ms, mn, H)
    g, g2 = d1f(S)[0], d2f(S)[0]
    ds, dn = S - ms, N - mn
    mv = (fm[0] + (1 - H * g2 * N + 2 * H * H * g * g2 * S + H * H * g * g) * ds - H * g * dn,
          fm[1] + (-4 * H * (g2 * S + g) + 2 * H * H * g * g2 * N) * ds + (1 + H * H * g * g) * dn)
    return tuple(a.intersection(b) if a.is_finite() and b.is_finite() and a.overlaps(b)
                 else (b if b.is_finite() else a) for a, b in zip(natural, mv))


@result
class MinimizerTrap(gd.ItemAccess, Result):
    """A certified attracting neighbourhood of the minimizer set {xᵀy = µ} of ℓ(xᵀy).

    For every h in the rate ball and every point with |s − µ| ≤ ``e`` and
    N ≤ ``n_now`` (the enclosure the orbit is in), the normal coordinate contracts,
    |s′ − µ| ≤ ``q``|s − µ| with q < 1, while N moves by at most C|s − µ| per step, so N
    stays below ``n_now`` + ``drift`` ≤ ``b`` forever (drift = Ce/(1 − q)): then
    |s_k − µ| ≤ qᵏe, the steps h|ℓ′(s_k)|√N_k are summable, and the orbit converges to a
    minimizer with N∞ in ``n_limit`` and |1 − hℓ″(µ)N∞| ≤ q (linearly stable).
    ``ell2_max``: max ℓ″ on
    |s − µ| ≤ e, so that f = ℓ(s) ≤ ``ell2_max``·(s − µ)²/2 there."""

    q: float
    e: float
    b: float
    drift: float
    n_limit: tuple[float, float]
    ell2_max: float = float("nan")


#: Fractions of the way from the orbit's N to the stability edge 2/(hℓ″(µ)) tried as b.
TRAP_FRACTIONS = (0.5, 0.2, 0.05, 0.9)


def minimizer_trap(loss: str, S, N, H, mu=1) -> MinimizerTrap | None:
    """A :class:`MinimizerTrap` for the points whose (s, N) lie in the balls (S, N) and every
    h in the ball H, or None.

    On T = {|s − µ| ≤ e, 2(µ − e) ≤ N ≤ b} the mean-value theorem gives ℓ′(s) = ℓ″(ξ)(s − µ)
    with ξ ∈ [µ − e, µ + e], so (s′ − µ)/(s − µ) = 1 − hNℓ″(ξ) + h²ℓ′(s)ℓ″(ξ)s and
    (N′ − N)/(s − µ) = −4hℓ″(ξ)s + h²ℓ′(s)ℓ″(ξ)N are enclosed in balls (q and C of
    :class:`MinimizerTrap`); N ≥ 2|s| holds on every orbit."""
    from flint import arb
    from ..evaluators import to_arb
    mu = convert(mu, "mu")
    mub = to_arb(mu)
    e = _up(abs(S - mub).upper())
    if not (mu > 0 and e < float(mu) / 2 and N.is_finite() and H.is_finite()):
        return None
    d1f, d2f, ell2 = _ball_derivatives(loss, mu)
    ST = mub + arb(0, e)
    d1, d2 = d1f(ST)[0], d2f(ST)[0]
    n_now = _up(N.upper())
    edge = float((2 / (H * ell2)).lower())
    for t in TRAP_FRACTIONS:
        b = n_now + t * (edge - n_now)
        if not b > n_now:
            return None
        NT = (2 * (mub - e)).union(arb(b))          # N >= 2|s| >= 2(mu - e) on every orbit
        q = abs(1 - H * NT * d2 + H * H * d1 * d2 * ST).upper()
        if not q < 1:
            continue
        C = abs(-4 * H * d2 * ST + H * H * d1 * d2 * NT).upper()
        drift = (C * e / (1 - q)).upper()
        if arb(n_now) + drift <= arb(b):
            return MinimizerTrap(_up(q), e, b, _up(drift),
                                 (_bounds(N.lower() - drift)[0], _bounds(n_now + drift)[1]),
                                 _up(d2.upper()))
    return None


def _up(v) -> float:
    """A float ≥ the exact number v (an arb without radius)."""
    return float(np.nextafter(float(v), np.inf))


def _product_invariants(X, d: int) -> tuple:
    """(s, N) = (xᵀy, ‖x‖² + ‖y‖²) of a ball box X = (x₁..x_d, y₁..y_d)."""
    xs, ys = X[:d], X[d:]
    return sum((a * b for a, b in zip(xs, ys)), 0 * X[0]), \
        sum((c * c for c in X), 0 * X[0])


def minimizer_region(loss: str, mu=1, d: int = 1):
    """The region of :func:`lrtheory.certify.gd_sets.prove_over_sets` (argument ``regions``)
    for ℓ(xᵀy): the text of a :class:`MinimizerTrap` holding the ball box X, or None."""
    def region(X, H):
        trap = minimizer_trap(loss, *_product_invariants(X, d), H, mu)
        return None if trap is None else (f"normal contraction onto x.y = {mu} (q <= "
                                          f"{trap.q:.3g}, N <= {trap.b:.4g})")
    return region


@result
class CertifiedRun(gd.ItemAccess, Result):
    """GD on ℓ(xᵀy) from one exact start at one exact rate, followed in balls through the
    reduced map until a :class:`MinimizerTrap` holds (``proved``) or ``steps`` run out.

    ``entered``: the step at which the trap held; ``trap``: the trap (None when not
    proved); ``n_limit``: an enclosure of N∞ = ‖x∞‖² + ‖y∞‖²; ``sharp_limit`` of
    S∞ = ℓ″(µ)N∞, ``gap`` of 2/h − S∞, ``imbalance`` of |‖x∞‖ − ‖y∞‖| = √(N∞ − 2µ)
    (d = 1), each as (lo, hi); ``loss`` and ``sharpness``: enclosures (lo, hi) of ℓ(s_k) and
    λ_max(∇²f) (d = 1) along the steps up to the first trap; ``first``: the trap at step
    ``entered`` (``trap`` is the tighter one found later)."""

    loss: str
    h: sp.Expr
    x0: tuple
    proved: bool
    entered: int | None
    trap: MinimizerTrap | None
    n_limit: tuple = (float("nan"), float("nan"))
    sharp_limit: tuple = (float("nan"), float("nan"))
    gap: tuple = (float("nan"), float("nan"))
    imbalance: tuple = (float("nan"), float("nan"))
    losses: tuple = ()
    sharpness: tuple = ()
    first: MinimizerTrap | None = None
    _repr_skip = ("losses", "sharpness")


def _bounds(v) -> tuple[float, float]:
    """(lo, hi) floats enclosing the ball v (one ulp outward of the rounded ends)."""
    return (float(np.nextafter(float(v.lower()), -np.inf)),
            float(np.nextafter(float(v.upper()), np.inf)))


@lr_keyword
def certified_run(loss: str, lr, x0, mu=1, steps: int = 5000, bits: int = 128,
                  tighten: float = 1e-12) -> CertifiedRun:
    """Certify that GD on ℓ(xᵀy) with the exact rate ``lr`` from the exact start ``x0``
    converges to a minimizer (:class:`CertifiedRun`): the ball orbit of (s, N) under the
    reduced map (``bits`` of working precision) is followed until a
    :class:`MinimizerTrap` holds, then on until |s − µ| ≤ ``tighten`` (or ``steps`` steps),
    where the trap of the tighter limit enclosure is kept; ``losses`` and ``sharpness`` are
    recorded up to the first trap.""" 
    from flint import arb
    from ..evaluators import to_arb
    x0 = tuple(convert(c, "start") for c in x0)
    lr = convert(lr, "lr")
    d = len(x0) // 2
    mu = convert(mu, "mu")
    with precision(bits=bits):
        H, X = to_arb(lr), [to_arb(c) for c in x0]
        S, N = _product_invariants(X, d)
        fns = _ball_derivatives(loss, mu)
        d1f, d2f, ell2 = fns
        f, mub = compile_exprs_loss(loss, mu), to_arb(mu)
        losses, sharp, trap, first, entered = [], [], None, None, None
        for k in range(steps + 1):
            if entered is None:
                losses.append(_bounds(f(S)[0]))
                if d == 1:
                    sharp.append(_bounds(_sharpness_1d(d1f(S)[0], d2f(S)[0], S, N)))
                trap = first = minimizer_trap(loss, S, N, H, mu)
                entered = None if trap is None else k
            if entered is not None and (float(abs(S - mub).upper()) <= tighten
                                        or k == steps):
                trap = min((trap, minimizer_trap(loss, S, N, H, mu)),
                           key=lambda tr: _width(tr) if tr is not None else np.inf)
                break
            if not (S.is_finite() and N.is_finite()) or float(abs(N).upper()) > 1e30:
                break
            S, N = _reduced_step(fns, S, N, H)
        if trap is None:
            return CertifiedRun(loss, lr, x0, False, None, None, losses=tuple(losses),
                                sharpness=tuple(sharp))
        NL = arb(trap.n_limit[0]).union(arb(trap.n_limit[1]))
        SL = ell2 * NL
        gap = 2 / H - SL
        imb = (NL - 2 * to_arb(mu)).sqrt() if d == 1 else arb("nan")
        return CertifiedRun(loss, lr, x0, True, entered, trap, trap.n_limit, _bounds(SL),
                            _bounds(gap), _bounds(imb), tuple(losses), tuple(sharp), first)


def _width(trap: MinimizerTrap) -> float:
    return trap.n_limit[1] - trap.n_limit[0]


@lru_cache(maxsize=None)
def compile_exprs_loss(loss: str, mu):
    """ℓ(s) as a ball function of s."""
    from ..evaluators import compile_exprs
    ell, s = loss_expr(loss, mu)
    return compile_exprs([ell], (s,), "arb")


def _sharpness_1d(d1, d2, S, N):
    """λ_max of ∇²f = ℓ″vvᵀ + ℓ′J for d = 1: trace ℓ″N, determinant −ℓ′(2ℓ″s + ℓ′), so
    λ_max = (ℓ″N + √(ℓ″²N² + 4ℓ′(2ℓ″s + ℓ′)))/2."""
    disc = d2 * d2 * N * N + 4 * d1 * (2 * d2 * S + d1)
    return (d2 * N + disc.sqrt()) / 2
