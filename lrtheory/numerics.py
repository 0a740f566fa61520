"""Numerical helpers shared by the checks: order fits and precision escalation."""
from __future__ import annotations

from typing import Callable, Sequence

import mpmath
import numpy as np


def fit_loglog_slope(xs: Sequence, ys: Sequence) -> dict:
    """Least-squares fit of log y = p log x + c.

    Returns ``{"slope": p, "intercept": c, "max_residual": r, "local_slopes": [...]}`` where
    the local slopes are those of consecutive points (their spread shows whether the
    asymptotic regime has been reached)."""
    lx = np.log(np.asarray([float(x) for x in xs]))
    ly = np.log(np.asarray([float(y) for y in ys]))
    p, c = np.polyfit(lx, ly, 1)
    local = list(np.diff(ly) / np.diff(lx))
    return {"slope": float(p), "intercept": float(c),
            "max_residual": float(np.max(np.abs(ly - (p * lx + c)))),
            "local_slopes": [float(s) for s in local]}


def mp_fit_loglog_slope(xs, ys) -> dict:
    """As :func:`fit_loglog_slope` but in mpmath (for errors below float64's range)."""
    lx = [mpmath.log(mpmath.mpf(x)) for x in xs]
    ly = [mpmath.log(mpmath.mpf(y)) for y in ys]
    n = len(lx)
    mx, my = sum(lx) / n, sum(ly) / n
    p = sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)
    c = my - p * mx
    local = [(ly[i + 1] - ly[i]) / (lx[i + 1] - lx[i]) for i in range(n - 1)]
    return {"slope": float(p), "intercept": float(c),
            "max_residual": float(max(abs(b - (p * a + c)) for a, b in zip(lx, ly))),
            "local_slopes": [float(s) for s in local]}


def escalate(compute: Callable[[], object], dps: Sequence[int] = (30, 60),
             distance: Callable[[object, object], float] | None = None) -> dict:
    """Run ``compute()`` at each working precision in ``dps`` (mpmath) and report how much
    the result moved between the last two: ``{"value": last, "values": [...],
    "change": distance(prev, last), "dps": [...]}``.  A numerical verdict is ``confirmed``
    only when the change is far below the tolerance the claim is judged at."""
    values = []
    for d in dps:
        with mpmath.workdps(d):
            values.append(compute())
    if distance is None:
        def distance(a, b):
            return float(abs(mpmath.mpf(a) - mpmath.mpf(b)))
    change = distance(values[-2], values[-1]) if len(values) > 1 else None
    return {"value": values[-1], "values": values, "change": change, "dps": list(dps)}
