"""Regimes of GD on f₀ + ε f₁(x/ε) and the period-doubling route to chaos (KT-1, KT-2, KT-5).

(Orbit diagrams over η come from :func:`lrtheory.dynamics.diagrams.orbit_diagram`.)

The slides' regimes, decided per chain from measured quantities:

* ``unstable``      the orbit overflowed or left |x| < blowup (η beyond 2/L of f₀);
* ``local-min``     not chaotic: the largest Lyapunov exponent λ ≤ ``lyap_tol`` or the tail is
                    a fixed point / periodic orbit — GD is trapped at (or, after period
                    doublings, on a periodic orbit around) one microscopic minimum;
* ``local-chaos``   λ > ``lyap_tol`` and the orbit's range stays within ``cells`` microscopic
                    period cells (width ``ms.cell``);
* ``global-chaos``  λ > ``lyap_tol`` and the orbit ranges over more cells.

The period-doubling points η_k (a period-2^{k−1} orbit with multiplier −1) are located in
mpmath by following the periodic orbit in η (continuation with clipped Newton steps on
φ^p(x) = x) and solving μ_p(η) = (φ^p)′(x(η)) = −1 for η; the first one is explicit:
f′(x*) = 0 does not depend on η, so η₁ = 2/f″(x*).  Following the branch in η keeps the
cascade on one orbit family where several attractors coexist.
"""
from __future__ import annotations

from collections import Counter

import mpmath

from ..dynamics.bifurcations import FEIGENBAUM_DELTA as _DELTA_DIGITS
from ..dynamics.classify import classify_tail
from ..errors import ComputationError, InputError
from .model import Multiscale
from .sampling import ChainRun

REGIMES = ("local-min", "local-chaos", "global-chaos", "unstable")
FEIGENBAUM_DELTA = mpmath.mpf(_DELTA_DIGITS)


def classify_chains(run: ChainRun, cell: float, lyap_tol: float = 1e-2,
                    cells: float = 2.0) -> list[str]:
    """One regime label per chain of ``run`` (rules in the module docstring)."""
    tails = classify_tail(run.tail) if run.tail.shape[0] else [{"label": "aperiodic"}] * len(
        run.diverged)
    lam = run.chain_lyapunov
    out = []
    for j, t in enumerate(tails):
        if run.diverged[j] or t["label"] == "diverged":
            out.append("unstable")
        elif t["label"] in ("converged", "periodic") or not lam[j] > lyap_tol:
            out.append("local-min")
        elif run.chain_spread[j] <= cells * cell:
            out.append("local-chaos")
        else:
            out.append("global-chaos")
    return out


def majority(labels) -> tuple[str, dict]:
    """The most frequent regime and the fraction of chains in each."""
    c = Counter(labels)
    n = max(sum(c.values()), 1)
    fractions = {r: c.get(r, 0) / n for r in REGIMES}
    return max(REGIMES, key=lambda r: fractions[r]), fractions


# ---- period doublings (KT-2) ------------------------------------------------------------
def _map_1d(ms: Multiscale):
    if ms.dim != 1:
        raise InputError("period doublings are located for 1-D objectives")
    model = ms.objective.mpmath

    def phi(x, h):
        return x - h * model.grad([x])[0]

    def dphi(x, h):
        return 1 - h * model.hess([x])[0, 0]
    return phi, dphi


def _orbit_map(phi, dphi, p: int):
    """(φ^p(x), (φ^p)′(x)) at (x, η) by the chain rule."""
    def fn(x, h):
        d = mpmath.mpf(1)
        for _ in range(p):
            d *= dphi(x, h)
            x = phi(x, h)
        return x, d
    fn.maps = (phi, dphi)
    return fn


def local_minimum(ms: Multiscale, x_start, descent_steps: int = 5000) -> mpmath.mpf:
    """The microscopic minimum GD with a small step (η = ε/(10 L₀-scale)) reaches from
    ``x_start``, polished by Newton on f′ at the working precision; raises
    :class:`ComputationError` when the limit is not a minimum."""
    model = ms.objective.mpmath
    phi, _ = _map_1d(ms)
    x, h = mpmath.mpf(x_start), ms.eps / 10
    with mpmath.workdps(20):
        for _ in range(descent_steps):
            x = phi(x, h)
    try:
        x = mpmath.findroot(lambda t: model.grad([t])[0], x,
                            df=lambda t: model.hess([t])[0, 0])
    except ValueError as exc:
        raise ComputationError(f"no microscopic minimum found near {x_start}: {exc}") from None
    if not model.hess([x])[0, 0] > 0:
        raise ComputationError(f"critical point {x} near {x_start} is not a minimum")
    return x


def _orbit_point(G, t, h, scale, p: int):
    """A point of the exact-period-p orbit of φ near ``t``: Newton on φ^p(t) = t with steps
    clipped to ``scale``/20 (so it cannot jump to another orbit)."""
    tol = scale * mpmath.mpf(10) ** (-mpmath.mp.dps + 5)
    for _ in range(200):
        v, d = G(t, h)
        step = (v - t) / (d - 1)
        step = max(-scale / 10, min(scale / 10, step))
        t -= step
        if abs(step) <= tol:
            break
    else:
        raise ComputationError(f"period-{p} orbit: Newton did not converge at eta = {h}")
    if p > 1 and abs(_orbit_map(*G.maps, p // 2)(t, h)[0] - t) <= scale * 1e-6:
        raise ComputationError(f"period-{p} orbit collapsed onto period {p // 2} at eta = {h}")
    return t


def _attracting_window(phi, G, last: dict, gap, eps, p: int):
    """A learning rate just past the doubling ``last`` where the new period-p orbit is
    attracting, and a point of it: try η = η_last + gap/2, halving the offset until
    iterating φ lands on a period-p orbit with multiplier in (−1, 1).  Returns
    ((η, x), marching step)."""
    offset = gap / 2
    for _ in range(16):
        h = last["eta"] + offset
        x = last["x"] + eps / 100
        for _ in range(500 * p):
            x = phi(x, h)
        try:
            x = _orbit_point(G, x, h, eps, p)
            if -1 < G(x, h)[1] < 1:
                return (h, x), offset / 4
        except ComputationError:
            pass
        offset /= 2
    raise ComputationError(f"no attracting period-{p} orbit found after eta = {last['eta']}")


def period_doubling_points(ms: Multiscale, x_start, count: int = 4) -> list[dict]:
    """The first ``count`` period-doubling learning rates η₁ < η₂ < … of the orbit born at
    the microscopic minimum near ``x_start``, at the caller's mpmath precision.

    η₁ = 2/f″(x*).  For k ≥ 2 the period-p orbit (p = 2^{k−1}) is found by iterating φ
    inside its stability window (:func:`_attracting_window`; the window is first guessed by
    Feigenbaum scaling, first gap η₁/3, then gap_{k−1}/δ), followed in η by continuation
    (clipped Newton on φ^p(x) = x), and η_k is the root of μ_p(η) + 1, μ_p = (φ^p)′ the
    orbit's multiplier, bracketed by marching η upward and refined by the Illinois method.
    Each entry: {"k", "period_before", "eta", "x", "multiplier"}."""
    phi, dphi = _map_1d(ms)
    xs = local_minimum(ms, x_start)
    eta1 = 2 / ms.objective.mpmath.hess([xs])[0, 0]
    out = [{"k": 1, "period_before": 1, "eta": eta1, "x": xs, "multiplier": mpmath.mpf(-1)}]
    gap, eps = eta1 / 3, ms.eps
    for k in range(2, count + 1):
        p = 2 ** (k - 1)
        G = _orbit_map(phi, dphi, p)
        (h_a, x_a), step = _attracting_window(phi, G, out[-1], gap, eps, p)
        state = {"x": x_a}

        def excess(h, G=G, state=state, p=p):
            """μ_p(η) + 1 on the period-p orbit continued from the last point."""
            state["x"] = _orbit_point(G, state["x"], h, eps, p)
            return G(state["x"], h)[1] + 1
        for _ in range(400):  # march, halving the step where continuation fails
            x_a = state["x"]
            h_b = h_a + step
            try:
                if excess(h_b) < 0:
                    break
            except ComputationError:
                state["x"], step = x_a, step / 2
                if step < gap * mpmath.mpf(2) ** -30:
                    raise
                continue
            h_a = h_b
        else:
            raise ComputationError(f"period-doubling point {k} not bracketed")
        state["x"] = x_a
        try:
            h_pd = mpmath.findroot(excess, (h_a, h_b), solver="illinois")
        except (ZeroDivisionError, ValueError) as exc:
            raise ComputationError(f"period-doubling point {k}: {exc}") from None
        x_pd = _orbit_point(G, state["x"], h_pd, eps, p)
        out.append({"k": k, "period_before": p, "eta": h_pd, "x": x_pd,
                    "multiplier": G(x_pd, h_pd)[1]})
        gap = (h_pd - out[-2]["eta"]) / FEIGENBAUM_DELTA
    return out


def feigenbaum_ratios(etas) -> list:
    """δ_k = (η_k − η_{k−1})/(η_{k+1} − η_k) of successive doubling points."""
    return [(etas[i] - etas[i - 1]) / (etas[i + 1] - etas[i]) for i in range(1, len(etas) - 1)]
