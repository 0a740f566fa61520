"""The catapult model of Lewkowycz et al. (2020) (EOS-1).  The rate η of the formulas is
the parameter ``lr`` of the functions.

Two-layer linear network with one datum: output f = vᵀu/√n, loss ½f², u, v ∈ Rⁿ, and the
tangent-kernel eigenvalue λ = (‖u‖² + ‖v‖²)/n (the sharpness of the loss at f = 0).
GD with rate η on (u, v) closes exactly on (f, λ):

    f_{t+1} = f_t (1 − ηλ_t + η² f_t²/n),
    λ_{t+1} = λ_t + (η f_t²/n)(ηλ_t − 4).

In a = ηλ and q = η²f²/n this is a_{t+1} = a_t + q_t(a_t − 4), q_{t+1} = q_t(1 − a_t + q_t)².

With a label μ — loss ½(f − μ)² — GD closes on the residual r = f − μ and λ
(:func:`residual_map`); for n = 1 this is GD on ½(μ − xy)², the objective of Wang, Chen,
Zhao & Tao (ICLR 2022).  :func:`prove_convergence_over_rates` proves convergence to a
minimizer, with ηλ_∞ < 2, for every rate of an interval (ball arithmetic, n = 1), and
:func:`landing_rates` names rates at which GD lands on the invariant set u = −v, where the
loss stays ≥ μ²/2 (no convergence to a minimizer).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .aliases import lr_keyword
from .gd import TRAJECTORY, run_gd
from .objectives import Objective
from .results import Result, result

PHASES = ("lazy", "catapult", "divergent")


def network_objective(n: int, mu=0) -> tuple[Objective, sp.Expr, sp.Expr]:
    """Loss ½(vᵀu/√n − μ)² as an :class:`Objective` in u1..un, v1..vn, with f and λ as
    exprs (μ = 0: the catapult model)."""
    u = sp.symbols(f"u1:{n + 1}", real=True)
    v = sp.symbols(f"v1:{n + 1}", real=True)
    f = sum(a * b for a, b in zip(u, v)) / sp.sqrt(n)
    lam = (sum(a**2 for a in u) + sum(b**2 for b in v)) / n
    name = f"catapult model n={n}" + (f", label {mu}" if mu != 0 else "")
    return Objective((f - mu)**2 / 2, u + v, name=name), f, lam


@lr_keyword
def residual_map(r, lam, lr, mu=0, n=1):
    """One GD step on ½(f − μ)², f = vᵀu/√n, in the residual r = f − μ and λ:

        r' = r(1 − ηλ + η²r(r + μ)/n),    λ' = λ + (ηr/n)(ηrλ − 4(r + μ)).

    μ = 0 gives the recurrences of the module docstring (r = f); n = 1 is GD on
    ½(μ − xy)² with r = xy − μ, λ = x² + y².  Any ring: sympy, floats, arb balls."""
    return (r * (1 - lr * lam + lr**2 * r * (r + mu) / n),
            lam + lr * r / n * (lr * r * lam - 4 * (r + mu)))


@lr_keyword
def residual_map_derivatives(r, lam, lr, mu=0, n=1):
    """The partial derivatives of :func:`residual_map`:
    ((∂r'/∂r, ∂r'/∂λ, ∂r'/∂η), (∂λ'/∂r, ∂λ'/∂λ, ∂λ'/∂η)), from
    r' = r − ηrλ + η²(r³ + μr²)/n and λ' = λ + η²r²λ/n − 4η(r² + μr)/n."""
    return ((1 - lr * lam + lr**2 * (3 * r * r + 2 * mu * r) / n, -lr * r,
             -r * lam + 2 * lr * (r * r * r + mu * r * r) / n),
            ((2 * lr**2 * r * lam - 4 * lr * (2 * r + mu)) / n, 1 + lr**2 * r * r / n,
             (2 * lr * r * r * lam - 4 * (r * r + mu * r)) / n))


def recurrence_residuals(n: int, mu=0) -> tuple[sp.Expr, sp.Expr]:
    """r(G_η(u,v)) − r' and λ(G_η(u,v)) − λ' of :func:`residual_map` (r = f − μ), expanded,
    for the GD map G_η of the n-dimensional model with label μ (both are identically 0 iff
    the recurrences hold; μ = 0: f' = f(1 − ηλ + η²f²/n), λ' = λ + (ηf²/n)(ηλ − 4))."""
    obj, f, lam = network_objective(n, mu)
    eta = sp.Symbol("eta", positive=True)
    new = dict(zip(obj.vars, obj.gd_map_exprs(eta)))
    f_new, lam_new = f.xreplace(new), lam.xreplace(new)
    r_next, lam_next = residual_map(f - mu, lam, eta, mu, n)
    return sp.expand(f_new - mu - r_next), sp.expand(lam_new - lam_next)


def recurrence_residuals_general(mu=0) -> tuple[sp.Expr, sp.Expr]:
    """The same identities for symbolic n, in the inner products a = uᵀu, b = vᵀv, c = uᵀv.

    GD: u' = u − η(r/√n)v, v' = v − η(r/√n)u with r = c/√n − μ, so by bilinearity
    a' = a − 2ηrc/√n + η²r²b/n, b' = b − 2ηrc/√n + η²r²a/n,
    c' = c − ηr(a + b)/√n + η²r²c/n."""
    a, b, c, eta, n = sp.symbols("a b c eta n", positive=True)
    f = c / sp.sqrt(n)
    s = eta * (f - mu) / sp.sqrt(n)
    a1, b1 = a - 2 * s * c + s**2 * b, b - 2 * s * c + s**2 * a
    c1 = c - s * (a + b) + s**2 * c
    lam, lam1, f1 = (a + b) / n, (a1 + b1) / n, c1 / sp.sqrt(n)
    r_next, lam_next = residual_map(f - mu, lam, eta, mu, n)
    return sp.simplify(f1 - mu - r_next), sp.simplify(lam1 - lam_next)


def reduced_map(a: sp.Expr, q: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(a, q) ↦ (a + q(a − 4), q(1 − a + q)²) with a = ηλ, q = η²f²/n."""
    return a + q * (a - 4), q * (1 - a + q) ** 2


def lazy_bound(a0, q0):
    """An upper bound of the relative change (λ₀ − λ_∞)/λ₀ of the catapult model (μ = 0)
    from a₀ = ηλ₀ ∈ (0, 2) and q₀ = η²f₀²/n, or None when its hypothesis fails:

        c = max(|1 − a₀|, 1 − a₀/2 + q₀) < 1,  8q₀ ≤ (1 − c²)a₀  ⇒
        (λ₀ − λ_∞)/λ₀ ≤ 4q₀/((1 − c²)a₀).

    By induction a_t ∈ [a₀/2, a₀] and q_t ≤ q₀c^{2t}: then |1 − a_t + q_t| ≤ c, so
    q_{t+1} = q_t(1 − a_t + q_t)² ≤ c²q_t, and a₀ − a_{t+1} = Σ_{j≤t} q_j(4 − a_j) ≤
    4q₀/(1 − c²) ≤ a₀/2.  As n → ∞ at fixed f₀, q₀ → 0 and the bound → 0: the lazy
    phase.  Exact for rational inputs (sympy Rationals or Fractions)."""
    if not 0 < a0 < 2 or q0 < 0:
        return None
    c = max(abs(1 - a0), 1 - a0 / 2 + q0)
    if not c < 1 or 8 * q0 > (1 - c * c) * a0:
        return None
    return 4 * q0 / ((1 - c * c) * a0)


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


@lr_keyword
def simulate_network(u0: np.ndarray, v0: np.ndarray, lr: float, steps: int) -> dict:
    """Full-parameter GD in float64 on ½(vᵀu/√n)² (:func:`lrtheory.gd.run_gd` on
    :class:`NetworkModel`); returns f, λ and loss per step.  Overflow is a result (nan
    entries from then on), not an error."""
    n = u0.size
    model = NetworkModel(n)
    theta = np.concatenate([np.asarray(u0, float), np.asarray(v0, float)])
    traj = run_gd(model, theta, lr, steps, TRAJECTORY).trajectory
    with np.errstate(all="ignore"):
        fs = model.output(traj)
        lams = np.sum(traj * traj, axis=-1) / n
        loss = fs**2 / 2
    return {"f": fs, "lam": lams, "loss": loss}


@lr_keyword
def iterate_reduced(f0: float, lam0: float, lr: float, n: int, steps: int) -> dict:
    """The (f, λ) recurrences iterated in float64 (the second route to the same orbit)."""
    fs, lams = np.empty(steps + 1), np.empty(steps + 1)
    f, lam = f0, lam0
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            fs[t], lams[t] = f, lam
            f, lam = f * (1 - lr * lam + lr**2 * f**2 / n), lam + lr * f**2 / n * (lr * lam - 4)
        loss = fs**2 / 2
    return {"f": fs, "lam": lams, "loss": loss}


@lr_keyword
def classify_phase(run: dict, lr: float, tol: float = 1e-12) -> dict:
    """Phase of a run from measured quantities.

    diverged: the loss overflowed or exceeded 1e12; lazy: the loss fell below ``tol`` and λ
    moved by less than 5 % of λ₀; catapult: the loss fell below ``tol`` after exceeding its
    initial value, with the final λ below 2/η < λ₀."""
    loss, lam = run["loss"], run["lam"]
    finite = np.isfinite(loss)
    peak = float(np.nanmax(np.where(finite, loss, np.nan)))
    out = {"peak_loss_ratio": peak / loss[0], "lam0": float(lam[0]),
           "lam_final": float(lam[finite][-1]), "two_over_eta": 2 / lr}
    if not finite.all() or peak > 1e12:
        out["phase"] = "divergent"
    elif loss[-1] < tol and abs(lam[-1] - lam[0]) < 0.05 * lam[0]:
        out["phase"] = "lazy"
    elif loss[-1] < tol and peak > loss[0] and lam[-1] < 2 / lr:
        out["phase"] = "catapult"
    else:
        out["phase"] = "undetermined"
    return out


# ---- convergence over an interval of rates (label μ) --------------------------------------------

@result
class RateProof(Result):
    """Outcome of :func:`prove_convergence_over_rates`.

    ``verdict`` — "proved" (every rate of the interval) or "undecided"; ``boxes`` —
    boxes of rates decided; ``holds`` — boxes certified; ``undecided`` — the (lo, hi)
    float boxes of rates left, ``undecided_measure`` their total width;
    ``h_lambda_max`` — an upper bound of ηλ_∞ over every certified rate (< 2);
    ``q_max`` — the largest contraction factor of r used; ``steps_max`` — the most steps
    before a trap was entered; ``limits`` — (η_lo, η_hi, λ_lo, λ_hi) per certified box,
    λ_∞ ∈ [λ_lo, λ_hi] for every η of the box."""

    verdict: str
    boxes: int = 0
    holds: int = 0
    undecided: tuple = ()
    undecided_measure: float = 0.0
    h_lambda_max: float = 0.0
    q_max: float = 0.0
    steps_max: int = 0
    limits: tuple = ()
    _repr_skip = ("undecided", "limits")


def _meet(a, b):
    """The intersection of two enclosures of one number (the finite one if only one is)."""
    if a.is_finite() and b.is_finite() and a.overlaps(b):
        return a.intersection(b)
    return b if b.is_finite() else a


class _RateDecider:
    """``decide`` of the branch and bound over boxes of rates: the orbit of (r, λ) over a
    box H in the mean-value form X_k(H) ⊂ X_k(c) + X_k'(H)(H − c), c the centre, where
    X_k' = dX_k/dη follows the variational recursion X'_{k+1} = D_xF X'_k + D_ηF over
    (X_k(H), H), intersected with the natural extension F(X_k(H), H); the trap is
    :func:`lrtheory.stability.regularity.minimizer_trap` of the quadratic loss, in
    s = xy = r + μ and N = x² + y² = λ."""

    def __init__(self, r0, lam0, mu, steps):
        from .evaluators import to_arb
        self.start = (to_arb(r0), to_arb(lam0))
        self.mu, self.steps = mu, steps

    def _trap(self, X, H):
        from .evaluators import to_arb
        from .stability.regularity import minimizer_trap
        if not abs(X[0]).upper() < 0.5 * abs(float(self.mu)):
            return None
        return minimizer_trap("quadratic", X[0] + to_arb(self.mu), X[1], H, self.mu)

    def _step(self, P, D, X, H, c):
        """One step of the centre orbit P, the derivative enclosure D and the enclosure X."""
        (a, b, e), (f, g, i) = residual_map_derivatives(*X, H, self.mu)
        D = (a * D[0] + b * D[1] + e, f * D[0] + g * D[1] + i)
        P = residual_map(*P, c, self.mu)
        N = residual_map(*X, H, self.mu)
        dH = H - c
        return P, D, (_meet(P[0] + D[0] * dH, N[0]), _meet(P[1] + D[1] * dH, N[1]))

    def _tighten(self, trap, P, D, X, H, c, extra: int = 2000):
        """The trap of the narrowest enclosure of λ_∞ within ``extra`` more steps: the
        orbit stays in the first trap, so a trap found later (smaller |r|) holds too."""
        def width(t):
            return t.n_limit[1] - t.n_limit[0]
        best = trap
        for k in range(1, extra + 1):
            P, D, X = self._step(P, D, X, H, c)
            if k % 8 == 0:
                again = self._trap(X, H)
                if again is not None and width(again) < width(best):
                    best = again
                if width(best) < 8 * float(X[1].rad()) + 1e-30 * abs(float(X[1].mid())):
                    break
        return best

    def __call__(self, box):
        from flint import arb

        from .certify import ACCEPT, SPLIT
        lo, hi = box[0]
        H, c = arb(lo).union(arb(hi)), arb((lo + hi) / 2)
        P = X = self.start
        D = (arb(0), arb(0))
        for k in range(self.steps + 1):
            R, L = X
            trap = self._trap(X, H)
            if trap is not None:
                return ACCEPT, (k, self._tighten(trap, P, D, X, H, c))
            if not (R.is_finite() and L.is_finite()) or R.rad() > 1 or \
                    L.rad() > 1 + 0.1 * abs(L.mid()) or abs(R).upper() < 1e-9:
                return SPLIT, None   # lost, or r ≈ 0 with λ too wide for a trap
            P, D, X = self._step(P, D, X, H, c)
        if X[1].rad() > 1e-3 * (1 + abs(X[1].mid())):
            return SPLIT, None       # a smaller box may yet enter a trap
        # a tight orbit that met no trap: a smaller box would not decide sooner (next to a
        # rate where ηλ_∞ = 2 or where the orbit passes the saddle at 0, ever more steps)
        return ACCEPT, None


def prove_convergence_over_rates(r0, lam0, rates, mu=1, steps: int = 4000,
                                 max_boxes: int = 2000, max_depth: int = 32,
                                 pieces: int = 8, bits: int = 128) -> RateProof:
    """Prove that GD on ½(μ − xy)² (μ > 0) from a start with r₀ = x₀y₀ − μ = ``r0`` and
    λ₀ = x₀² + y₀² = ``lam0`` converges to a minimizer with ηλ_∞ < 2 for every rate η of
    ``rates`` (a bounded :class:`lrtheory.certify.sets.Interval`; a one-point interval is
    one rate), by branch and bound over boxes of rates
    (:func:`lrtheory.certify.branch_and_bound`): on each box the ball orbit of
    :func:`residual_map` (mean-value form in η) is followed for at most ``steps`` steps
    until it enters a trap (:func:`lrtheory.stability.regularity.minimizer_trap`): there
    |r| contracts by q < 1, the steps of GD are summable and the orbit converges to a
    minimizer with |1 − ηλ_∞| ≤ q, so (x_∞ − y_∞)² = λ_∞ − 2μ < 2/η − 2μ, the bound of
    WCZT-2.  (:func:`lrtheory.stability.regularity.certified_run` does this for one exact
    rate without the branch and bound.)

    The rates are cut into ``pieces`` equal parts, each searched with its share of
    ``max_boxes`` (a hard spot cannot use up the budget of the whole interval); what the
    shares leave is spent on the widest boxes left by a spent share, in a second round.
    Boxes split at ``max_depth`` or left when the budget is spent, and boxes whose tight
    orbit met no trap in ``steps`` steps, are returned undecided with their width."""
    from .certify import branch_and_bound
    from .precision import precision
    (lo, hi), = rates.float_box()
    parts = 1 if rates.lo == rates.hi else pieces
    cuts = [lo] + [lo + (hi - lo) * k / parts for k in range(1, parts)] + [hi]
    decide = _RateDecider(r0, lam0, mu, steps)
    accepted, undecided, boxes = [], [], 0
    with precision(bits=bits):
        todo = [((a, b), max(1, max_boxes // parts)) for a, b in zip(cuts, cuts[1:])]
        for rnd in range(2):
            left = []
            for box, budget in todo:
                search = branch_and_bound((box,), decide, max_depth=max_depth,
                                          max_boxes=budget)
                accepted += search.accepted
                boxes += search.boxes
                spent = [u[0] for u in search.undecided] if search.exhausted else []
                left += [u for u in spent if u[1] - u[0] > (hi - lo) * 2.0**-20]
                undecided += [u[0] for u in search.undecided if u[0] not in left]
            left.sort(key=lambda u: u[0] - u[1])
            spare = max_boxes - boxes
            if rnd == 1 or not left or spare < len(left):
                undecided += left
                break
            todo = [(u, spare // len(left)) for u in left]
    limits, hl, q_max, steps_max = [], 0.0, 0.0, 0
    for b, value in accepted:
        if value is None:
            undecided.append(b[0])
            continue
        k, trap = value
        limits.append((b[0][0], b[0][1], *trap.n_limit))
        hl = max(hl, b[0][1] * trap.n_limit[1] * (1 + 2.0**-50))
        q_max, steps_max = max(q_max, trap.q), max(steps_max, k)
    undecided.sort()
    measure = float(sum(hi - lo for lo, hi in undecided))
    return RateProof("undecided" if undecided else "proved", boxes, len(limits),
                     tuple(undecided), measure, hl, q_max, steps_max, tuple(limits))


def landing_rates(r0, lam0, lo, hi, mu=0, n=1, steps: int = 60, bits: int = 512):
    """(j, lo, hi) when a rate η* ∈ (lo, hi) exists at which GD on ½(vᵀu/√n − μ)² lands on
    u = −v at step j + 1, else None.

    u + v is multiplied by 1 − ηr/√n at each step, so it vanishes at step j + 1 exactly when
    g_j(η) = ηr_j(η) − √n = 0; g_j is a polynomial in η, so certified opposite signs of
    g_j at the rational rates ``lo`` and ``hi`` (ball arithmetic at ``bits`` bits on the
    exact start) give η* by the intermediate value theorem.  The set u = −v is invariant
    under GD and on it f = −‖u‖²/√n ≤ 0, so from step j + 1 on the loss is ≥ μ²/2 (μ ≥ 0):
    GD does not converge to a minimizer at η*."""
    from .evaluators import to_arb
    from .precision import precision
    with precision(bits=bits):
        root_n = to_arb(n).sqrt()
        orbits = []
        for eta in (lo, hi):
            e, r, lam = to_arb(eta), to_arb(r0), to_arb(lam0)
            signs = []
            for _ in range(steps):
                g = e * r - root_n
                signs.append(1 if g > 0 else (-1 if g < 0 else 0))
                r, lam = residual_map(r, lam, e, mu, n)
            orbits.append(signs)
    for j, (a, b) in enumerate(zip(*orbits)):
        if a * b < 0:
            return j, lo, hi
        if a == 0 or b == 0:
            return None   # the sign is not certain from here on
    return None
