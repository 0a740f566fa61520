"""Numerical proof of order of the truncated modified flow (BLOG-4, BLOG-5, BLOG-7).

The truncated field ``F̃_N = Σ_{n≤N} h^n F_n`` is integrated for time ``h`` in mpmath by the
Gragg–Bulirsch–Stoer method (modified midpoint rule with ``2, 4, …, 2k`` substeps and
Richardson extrapolation in ``(H/n)²``, order ``2j`` after ``j`` rows), adding rows and
controlling the step size so that the relative error estimate stays below ``10^{−(dps−8)}``.
The one-step defect

    e_N(h) = ‖φ_h^{F̃_N}(x₀) − (x₀ − h∇f(x₀))‖ = O(h^{N+2})

is fitted on a log-log scale; the global error ``max_{kh≤T} ‖x_k − φ_{kh}(x₀)‖`` is
``O(h^{N+1})``.  Results are recomputed at a higher precision to show they are converged.
"""
from __future__ import annotations

import contextlib
from typing import Callable, Sequence

import mpmath
import sympy as sp

from ..aliases import lr_keyword, renamed
from ..errors import ComputationError
from ..evaluators import compile_exprs
from ..gd import TRAJECTORY, run_gd
from ..numerics import mp_fit_loglog_slope
from ..results import Result, result
from .field import ModifiedEquation

H = sp.Symbol("h", positive=True)


def truncated_flow_field(me: ModifiedEquation, order: int | None = None,
                         scalars: str = "mpmath") -> Callable:
    """``field(x, h) -> list`` evaluating ``Σ_{n≤order} h^n F_n`` in mpmath (``scalars=
    "mpfr"``: in gmpy2 mpfr numbers, see :class:`Scalars`).  Compiled once per order and
    kind of numbers for each modified equation (kept with its exact fields)."""
    cache = me._engine.__dict__.setdefault("flow_fields", {})
    key = (me.order if order is None else int(order), scalars)
    if key not in cache:
        exprs, symbols, values = me.staged_truncation(H, order)
        if not symbols:
            fn = compile_exprs(exprs, tuple(me.vars) + (H,), scalars)
            cache[key] = lambda x, h: fn(*x, h)
        else:
            inner = compile_exprs(values, me.vars, scalars)
            outer = compile_exprs(exprs, symbols + (H,), scalars)
            cache[key] = lambda x, h: outer(*inner(*x), h)
    return cache[key]


class Scalars:
    """The numbers the integrator computes with, at mpmath's working precision.

    ``"mpmath"``: mpmath's ``mpf``.  ``"mpfr"``: gmpy2's ``mpfr`` at ``mpmath.mp.prec``
    bits, rounded to nearest — +, −, ×, ÷ and integer powers are correctly rounded in both,
    so the midpoint rule and the extrapolation do the same operations on the same numbers
    in C instead of Python objects; elementary functions of the field (sinh, cosh, log, …)
    agree within an ulp.  Numbers enter and leave exactly (mantissa and exponent)."""

    def __init__(self, kind: str = "mpmath"):
        if kind not in ("mpmath", "mpfr"):
            raise ValueError(f"unknown scalars {kind!r}")
        self.kind = kind

    def precision(self):
        """The context in which numbers are made and operated on."""
        if self.kind == "mpmath":
            return contextlib.nullcontext()
        import gmpy2
        return gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec)

    def num(self, v):
        """``v`` (an mpf, int or str) as a number of this kind (inside :meth:`precision`)."""
        v = mpmath.mpf(v)
        if self.kind == "mpmath":
            return v
        import gmpy2
        if not mpmath.isfinite(v):
            return gmpy2.mpfr(str(v))
        sign, man, exp, _ = v._mpf_
        return gmpy2.mul_2exp(gmpy2.mpfr(-int(man) if sign else int(man)), int(exp))

    def mpf(self, v) -> mpmath.mpf:
        """``v`` as an mpmath number."""
        if self.kind == "mpmath":
            return v
        import gmpy2
        if not gmpy2.is_finite(v):
            return mpmath.mpf(str(v))
        man, exp = v.as_mantissa_exp()
        return mpmath.mpf((int(man), int(exp)))

    def isfinite(self, v) -> bool:
        if self.kind == "mpmath":
            return bool(mpmath.isfinite(v))
        import gmpy2
        return bool(gmpy2.is_finite(v))


#: The integrator's default numbers: gmpy2 mpfr (the same roundings as mpmath, in C).
SCALARS = "mpfr"


def _midpoint(field, y, H_, n):
    s = H_ / n
    z0, z1 = list(y), [a + s * b for a, b in zip(y, field(y))]
    for _ in range(n - 1):
        z0, z1 = z1, [a + 2 * s * b for a, b in zip(z0, field(z1))]
    return [(a + b + s * c) / 2 for a, b, c in zip(z1, z0, field(z1))]


def gbs_step(field, y, H_, tol, k: int = 12) -> tuple[list, object, int]:
    """One extrapolated step of size ``H_``: (value, error estimate, rows used).  Rows of the
    extrapolation table are added until the estimate ``|T_jj − T_j,j−1|`` (relative to the
    size of the solution) is below ``tol`` or ``k`` rows are used.  The numbers are those
    of ``H_`` (mpmath mpf or gmpy2 mpfr, see :class:`Scalars`); ``tol`` is of the same
    kind."""
    num = type(H_)
    ns = [2 * (j + 1) for j in range(k)]
    table, err = [], num("inf")
    for j, n in enumerate(ns):
        row = [_midpoint(field, y, H_, n)]
        for l in range(1, j + 1):
            r = (num(n) / ns[j - l]) ** 2 - 1
            row.append([a + (a - b) / r for a, b in zip(row[l - 1], table[j - 1][l - 1])])
        table.append(row)
        if j:
            scale = 1 + max(abs(v) for v in row[-1])
            err = max(abs(a - b) for a, b in zip(row[-1], row[-2])) / scale
            if err <= tol:
                break
    return table[-1][-1], err, len(table)


def integrate(field: Callable, y0: Sequence, t, tol=None, max_depth: int = 14,
              state: dict | None = None, scalars: str = "mpmath") -> list:
    """``y(t)`` for ``ẏ = field(y)``, ``y(0) = y0``, at the current mpmath precision, by GBS
    steps with step-size control (halve on failure, double after an easy step).  ``state``
    carries the step size between calls.  ``scalars``: the numbers ``field`` takes and
    returns (:class:`Scalars`; the result is mpmath numbers either way).  Raises
    :class:`ComputationError` if the solution cannot be resolved (e.g. blow-up)."""
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps - 8)) if tol is None else mpmath.mpf(tol)
    state = {} if state is None else state
    t = mpmath.mpf(t)
    resolved = t * mpmath.mpf(10) ** (-mpmath.mp.dps)
    smallest = t * mpmath.mpf(2) ** (-max_depth)
    step = min(state.get("step", t), t)
    sc = Scalars(scalars)
    with sc.precision():
        t, tol, resolved, smallest, step = map(sc.num, (t, tol, resolved, smallest, step))
        y, done = [sc.num(v) for v in y0], sc.num(0)
        while t - done > resolved:
            step = min(step, t - done)
            val, err, rows = gbs_step(field, y, step, tol)
            if all(sc.isfinite(v) for v in val) and err <= tol:
                y, done = val, done + step
                if rows <= 5:
                    step *= 2
            else:
                step /= 2
                if step < smallest:
                    raise ComputationError("flow integration did not converge "
                                           "(blow-up or stiffness)")
        state["step"] = sc.mpf(step)
        return [sc.mpf(v) for v in y]


@lr_keyword
def flow_map(me: ModifiedEquation, order: int, lr, scalars: str | None = None) -> Callable:
    """``phi(y, t, tol=None, state=None) -> list``: ``φ_t(y)`` of the order-``order``
    truncated modified field at rate h = ``lr`` (:func:`integrate`; mpmath numbers in and
    out, at the current precision), computed in ``scalars`` (default :data:`SCALARS`)."""
    scalars = SCALARS if scalars is None else scalars
    field = truncated_flow_field(me, order, scalars)
    sc = Scalars(scalars)
    with sc.precision():
        hh = sc.num(lr)
    return lambda y, t, tol=None, state=None: integrate(
        lambda z: field(z, hh), y, t, tol, state=state, scalars=scalars)


def _norm(v) -> mpmath.mpf:
    return mpmath.sqrt(sum(mpmath.mpf(a) ** 2 for a in v))


@lr_keyword
def one_step_defect(me: ModifiedEquation, order: int, x0, lr) -> mpmath.mpf:
    """``‖φ_h^{F̃_order}(x₀) − GD_h(x₀)‖`` at the current mpmath precision."""
    lr = mpmath.mpf(lr)
    end = flow_map(me, order, lr)(x0, lr)
    gd = me.model.mpmath.gd_step([mpmath.mpf(v) for v in x0], lr)
    return _norm([a - b for a, b in zip(end, gd)])


@result
class OrderFit(Result):
    """The fitted order of the one-step defect of the order-``order`` modified flow.

    ``hs``: the step sizes; ``defects``: the one-step defects at the highest precision
    (mpmath numbers); ``slope``: the least-squares log-log slope (expected ``order + 2``);
    ``local_slopes``: the slopes between consecutive ``h``; ``max_residual``: of the fit in
    log-log; ``change``: the largest relative change of a defect between the precisions
    ``dps``."""

    order: int
    hs: tuple
    defects: tuple
    slope: float
    local_slopes: tuple
    max_residual: float
    change: float
    dps: tuple


@renamed(hs="lrs")
def fitted_order(me: ModifiedEquation, order: int, x0, lrs, dps=(40, 60)) -> OrderFit:
    """One-step defects for each ``h`` in ``lrs`` at two precisions, and the log-log slope
    (expected ``order + 2``), as an :class:`OrderFit`."""
    runs = []
    for d in dps:
        with mpmath.workdps(d):
            runs.append([one_step_defect(me, order, x0, mpmath.mpf(h)) for h in lrs])
    with mpmath.workdps(dps[-1]):
        fit = mp_fit_loglog_slope([mpmath.mpf(h) for h in lrs], runs[-1])
        change = max(abs(a - b) / b for a, b in zip(runs[0], runs[-1]))
    return OrderFit(order, tuple(float(mpmath.mpf(h)) for h in lrs), tuple(runs[-1]),
                    fit["slope"], tuple(fit["local_slopes"]), fit["max_residual"],
                    float(change), tuple(dps))


@lr_keyword
def global_error(me: ModifiedEquation, order: int | None, x0, lr, T, tol=None) -> mpmath.mpf:
    """``max_{1≤k≤T/h} ‖x_k − φ_{kh}(x₀)‖`` with ``φ`` the flow of ``F̃_order`` (``order =
    None``: gradient flow, i.e. order 0 with ``h = 0`` in the field is the same as order 0).
    Divergent GD iterates give ``inf``; ``tol`` is the integrator's relative tolerance."""
    lr = mpmath.mpf(lr)
    phi = flow_map(me, 0 if order is None else order, lr)
    steps = int(mpmath.floor(mpmath.mpf(T) / lr + mpmath.mpf("1e-12")))
    gd = run_gd(me.model, [list(x0)], lr, steps, TRAJECTORY, backend="mpmath").trajectory[0]
    y = [mpmath.mpf(v) for v in x0]
    worst, state = mpmath.mpf(0), {}
    for k in range(steps):
        y = phi(y, lr, tol, state)
        if k + 1 >= len(gd):  # the GD orbit overflowed at this step
            return mpmath.inf
        err = _norm([a - b for a, b in zip(gd[k + 1], y)])
        if not mpmath.isfinite(err):
            return mpmath.inf
        worst = max(worst, err)
    return worst
