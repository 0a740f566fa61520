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

The period-doubling points η_k (a period-2^{k−1} orbit with multiplier −1) are located by
:func:`lrtheory.dynamics.bifurcations.period_doubling_cascade`, which follows the branch
born at each doubling, so the cascade stays on one orbit family where several attractors
coexist; the first one is explicit: f′(x*) = 0 does not depend on η, so η₁ = 2/f″(x*).
"""
from __future__ import annotations

from collections import Counter

import mpmath

from ..dynamics.bifurcations import FEIGENBAUM_DELTA as _DELTA_DIGITS
from ..dynamics.bifurcations import orbit_derivatives, period_doubling_cascade
from ..dynamics.classify import classify_tail
from ..errors import ComputationError, InputError
from ..gd import LAST, ItemAccess, run_gd
from ..precision import current_dps, precision
from ..results import Result, result
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
def local_minimum(ms: Multiscale, x_start, descent_steps: int = 5000) -> mpmath.mpf:
    """The microscopic minimum GD with a small step (η = ε/10) reaches from ``x_start``
    (``descent_steps`` steps in mpmath at 20 digits, :func:`lrtheory.gd.run_gd`), polished
    by Newton on f′ at the working precision; raises :class:`ComputationError` when the
    descent diverges or the limit is not a minimum."""
    if ms.dim != 1:
        raise InputError("period doublings are located for 1-D objectives")
    model = ms.objective.mpmath
    run = run_gd(ms.objective, [x_start], ms.eps / 10, descent_steps, LAST,
                 backend="mpmath", dps=20)
    if run.diverged[0]:
        raise ComputationError(f"GD from {x_start} with step eps/10 diverged")
    x = +run.last[0][0]
    try:
        x = mpmath.findroot(lambda t: model.grad([t])[0], x,
                            df=lambda t: model.hess([t])[0, 0])
    except ValueError as exc:
        raise ComputationError(f"no microscopic minimum found near {x_start}: {exc}") from None
    if not model.hess([x])[0, 0] > 0:
        raise ComputationError(f"critical point {x} near {x_start} is not a minimum")
    return x


def minimum_cascade(ms: Multiscale, x_start, count: int, dps: int) -> dict:
    """:func:`period_doubling_cascade` (``count`` doublings at ``dps`` digits) of the
    orbit born at the microscopic minimum x* near ``x_start``, started at
    (x*, η₁ = 2/f″(x*))."""
    with precision(dps):
        xs = local_minimum(ms, x_start)
        eta1 = 2 / ms.objective.mpmath.hess([xs])[0, 0]
    return period_doubling_cascade(ms.objective, xs, eta1, count, dps=dps)


@result
class DoublingPoint(ItemAccess, Result):
    """The k-th period-doubling point: the period-``period_before`` orbit through ``x``
    has multiplier ``multiplier`` = (φ^p)′(x) = −1 (to working precision) at the
    learning rate ``eta`` (mpmath numbers)."""

    k: int
    period_before: int
    eta: mpmath.mpf
    x: mpmath.mpf
    multiplier: mpmath.mpf


def period_doubling_points(ms: Multiscale, x_start, count: int = 4) -> list[DoublingPoint]:
    """The first ``count`` period-doubling learning rates η₁ < η₂ < … of the orbit born at
    the microscopic minimum near ``x_start`` (:func:`minimum_cascade`), at the caller's
    mpmath precision, with the multiplier μ_p = (φ^p)′(x) of the period-p orbit at η_k."""
    out = []
    for k, bf in enumerate(minimum_cascade(ms, x_start, count, current_dps())["bifurcations"],
                           start=1):
        A = orbit_derivatives(ms.objective, bf.point, bf.lr, bf.period)[1]
        out.append(DoublingPoint(k, int(bf.period), bf.lr, bf.point[0], A[0][0]))
    return out
