"""Gradient flow ẋ = −∇f(x) in high precision, and GD's global error against it (BLOG-3).

The flow is integrated by mpmath's Taylor-series ODE solver (``mpmath.odefun``), whose
truncation error is controlled at the working precision, so at 30 digits it is exact for
the purpose of measuring GD errors of size 1e-1 … 1e-4.
"""
from __future__ import annotations

from typing import Callable, Sequence

import mpmath

from .aliases import lr_keyword
from .gd import TRAJECTORY, run_gd
from .objectives import Objective


def gradient_flow_mp(obj: Objective, x0: Sequence, dps: int = 30) -> Callable:
    """Return ``flow(t) -> [x_1(t), …]`` solving ẋ = −∇f(x), x(0) = x0, at ``dps`` digits."""
    with mpmath.workdps(dps):
        start = [mpmath.mpf(c) for c in x0]
        sol = mpmath.odefun(lambda t, y: [-g for g in obj.mpmath.grad(y)], 0, start)

    def flow(t):
        with mpmath.workdps(dps):
            vals = sol(mpmath.mpf(t))
        return [mpmath.mpf(v) for v in (vals if isinstance(vals, (list, tuple)) else [vals])]
    return flow


@lr_keyword
def gd_global_error(obj: Objective, x0: Sequence, lr, steps: int, flow: Callable):
    """max_{0≤k≤steps} ‖x_k − x(kh)‖₂ for GD x_{k+1} = x_k − h∇f(x_k), in mpmath at the
    caller's precision (:func:`lrtheory.gd.run_gd`); ``inf`` when the GD orbit overflows."""
    run = run_gd(obj, [list(x0)], lr, steps, TRAJECTORY, backend="mpmath")
    if run.diverged[0]:
        return mpmath.inf
    hm = run.lr[0]
    worst = mpmath.mpf(0)
    for k, x in enumerate(run.trajectory[0]):
        ref = flow(k * hm)
        worst = max(worst, mpmath.sqrt(sum((a - b) ** 2 for a, b in zip(x, ref))))
    return worst
