"""The mpmath, exact (fmpq) and ball (arb) backends of :func:`lrtheory.gd.run_gd`.

The same recursion as the float64 engine, one run at a time, in the objective's compiled
``mpmath``/``exact``/``arb`` model: x ← x − h∇f(x); the Lyapunov frames by ``mpmath.qr``
(Householder) of DG_h(x)·Q; the sharpness by ``mpmath.eigsy``.  A run ends early when its
state is not finite or leaves the ball of radius ``blowup`` ("divergent"), when
``domain(x)`` is not certainly True ("left the domain" / "domain membership undecided"),
or with ``Record.stop_when_settled`` when one step moves by at most tol·(1 + max|x|)
("settled"; exactly 0 in rational arithmetic is the natural choice of tol there).
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np

from ..aliases import lr_keyword
from ..errors import InputError
from . import classify as _cls
from .kernel import batch_rows
from .record import Record
from .result import GDRun

__all__ = ["run_precise", "orbit", "Orbit", "to_mpf"]


def to_mpf(v):
    """:func:`lrtheory.numbers.to_mpf`: an mpf at the working precision; strings
    ("1.9", "4/90"), fractions and floats (``0.1`` is 1/10, the number rule of
    :mod:`lrtheory.numbers`) are read exactly and rounded once."""
    from ..numbers import to_mpf as convert
    return convert(v)


def _fraction(q) -> Fraction:
    """The Fraction of a python-flint fmpq, which is already in lowest terms (skipping
    Fraction's gcd, which dominates for orbits of long rationals)."""
    f = object.__new__(Fraction)
    f._numerator, f._denominator = int(q.p), int(q.q)
    return f


def _backend(obj, backend):
    """(model, convert input, convert output, finite test)."""
    if backend == "mpmath":
        return obj.mpmath, to_mpf, lambda v: v, mpmath.isfinite
    if backend == "exact":
        from ..numbers import to_fmpq
        return obj.exact, to_fmpq, _fraction, lambda v: True
    from ..evaluators import to_arb
    from ..results import Ball
    return obj.arb, to_arb, Ball.from_arb, lambda v: v.is_finite()


def run_precise(obj, x0, lr, steps, rec: Record, transient, blowup, backend, dps,
                domain) -> GDRun:
    if backend != "mpmath" and (rec.lyapunov or rec.sharpness):
        raise InputError(f"Lyapunov exponents and sharpness need backend 'mpmath' or "
                         f"'float64', not {backend!r}")
    if backend == "arb" and rec.classify:
        raise InputError("classification needs backend 'float64', 'mpmath' or 'exact'")
    if rec.coords is not None:
        raise InputError("Record.coords is for the float64 backend")
    if dps is None:
        return _run(obj, x0, lr, steps, rec, transient, blowup, backend, domain)
    from ..precision import precision
    with precision(dps):
        return _run(obj, x0, lr, steps, rec, transient, blowup, backend, domain)


def _run(obj, x0, lr, steps, rec, transient, blowup, backend, domain) -> GDRun:
    model, cin, cout, finite = _backend(obj, backend)
    X, H, batch = batch_rows(obj, x0, lr, dtype=object)
    runs = [orbit(model, [cin(c) for c in row], cin(h), steps, rec, transient, blowup,
                  domain, finite) for row, h in zip(X, H)]

    def per_run(key, conv=lambda v: v):
        return tuple(conv(getattr(r, key)) for r in runs)

    def states(seq):
        return tuple(tuple(cout(c) for c in x) for x in seq)

    def values(seq):
        return tuple(cout(v) for v in seq)

    out = dict(backend=backend, engine=backend, lr=tuple(cout(cin(h)) for h in H),
               batch_shape=tuple(batch), steps=steps, transient=transient,
               steps_run=per_run("steps_run"), record=rec, diverged=per_run("diverged"),
               stopped=per_run("stopped"))
    if rec.last:
        out["last"] = per_run("last", lambda x: tuple(cout(c) for c in x))
    if rec.every:
        out["trajectory"] = per_run("trajectory", states)
        longest = max(len(t) for t in out["trajectory"])
        out["trajectory_steps"] = tuple(range(0, longest * rec.every, rec.every))
    if rec.tail:
        out["tail"] = tuple(states(list(r.ring)[-rec.tail:]) for r in runs)
    if rec.loss:
        f = model.value
        out["loss_last"] = tuple(cout(f(r.last)) for r in runs)
        if rec.every:
            out["loss_trajectory"] = per_run("loss", values)
        if rec.tail:
            out["loss_tail"] = tuple(values(f(x) for x in list(r.ring)[-rec.tail:])
                                     for r in runs)
    if rec.lyapunov:
        out["exponents"] = per_run("exponents", tuple)
        out["checkpoints"] = tuple(c for c in rec.checkpoints if 1 <= c <= steps)
        out["running"] = per_run("running", tuple)
    if rec.sharpness:
        out["sharpness"] = tuple(max(mpmath.eigsy(model.hess(r.last))[0])
                                 if not r.diverged else mpmath.nan for r in runs)
    if rec.classify:
        labels, periods = [], []
        for r in runs:
            T = np.array([[cout(c) for c in x] for x in r.ring], dtype=object)[:, None, :]
            lab, per = _cls.classify_states(T[-rec.classify_length(r.steps_run):],
                                            rec.tol, rec.max_period, blowup)
            labels.append("divergent" if r.diverged else lab[0])
            periods.append(0 if r.diverged else int(per[0]))
        out["labels"], out["periods"] = tuple(labels), tuple(periods)
    return GDRun(**out)


@dataclass
class Orbit:
    """One run in the arithmetic of its model (fmpq, arb or mpf values), for callers that
    keep computing in that arithmetic; :func:`lrtheory.gd.run_gd` turns these into a
    :class:`~lrtheory.gd.GDRun`.

    trajectory : kept states s_0, s_k, … (``Record.every`` = k); ``loss``: f there, and
    ``grad_sq``: ‖∇f‖² at those of them that a step was taken from (with ``Record.loss``);
    ring : the last states (classification and
    ``Record.tail``); last : the final accepted state; exponents, running : Lyapunov sums
    divided by the steps (mpmath); diverged, stopped, steps_run : how the run ended."""

    last: list
    trajectory: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    grad_sq: list = field(default_factory=list)
    ring: deque = field(default_factory=deque)
    exponents: tuple = ()
    running: tuple = ()
    diverged: bool = False
    stopped: str = ""
    steps_run: int = 0


_LATER = object()


@lr_keyword
def orbit(model, x, lr, steps: int, rec: Record, transient: int = 0,
          blowup: float = math.inf, domain=None, finite=lambda v: True) -> Orbit:
    """GD x ← x − h∇f(x), h = ``lr``, from ``x`` with the compiled ``model``
    (``obj.mpmath``, ``obj.exact`` or ``obj.arb``; ``x`` and ``lr`` already in its
    arithmetic) for ``transient`` + ``steps`` steps, keeping what ``rec`` asks for (see the
    module doc for how a run ends early)."""
    n = len(x)
    L = max(min(rec.tail, steps + 1), rec.classify_length(steps) if rec.classify else 0, 1)
    r = Orbit(last=x, ring=deque(maxlen=L), steps_run=steps)
    if domain is not None and domain(x) is not True:
        raise InputError("the start is not certainly inside the domain")
    sums, running = [mpmath.mpf(0)] * n, []
    Q = mpmath.eye(n) if rec.lyapunov else None
    cks = [c for c in rec.checkpoints if 1 <= c <= steps]

    def store(x, t):
        if rec.every and t % rec.every == 0:
            r.trajectory.append(x)
            if rec.loss:  # ‖∇f(x)‖² is filled in when the next step computes ∇f(x)
                r.loss.append(model.value(x))
                r.grad_sq.append(_LATER)
        r.ring.append(x)

    def fill_grad_sq(g):
        if r.grad_sq and r.grad_sq[-1] is _LATER:
            r.grad_sq[-1] = sum((gi * gi for gi in g[1:]), g[0] * g[0])

    if transient == 0:
        store(x, 0)
    for s in range(transient + steps):
        t = s - transient
        g = model.grad(x)
        fill_grad_sq(g)
        if Q is not None and t >= 0:
            Q, sums = _tangent_step(model, x, lr, Q, sums)
            if len(running) < len(cks) and t + 1 == cks[len(running)]:
                running.append(tuple(v / (t + 1) for v in sums))
        new = [xi - lr * gi for xi, gi in zip(x, g)]
        reason = _stop_reason(x, new, rec, blowup, finite, domain)
        if reason and reason != "settled":
            if r.grad_sq and r.trajectory[-1] is x:  # the step from x was not taken
                r.grad_sq.pop()
            r.diverged = reason == "divergent"
            r.stopped, r.steps_run = reason, max(t, 0)
            break
        x = new
        if t + 1 >= 0:
            store(x, t + 1)
        if reason == "settled" and t + 1 >= 0:
            r.stopped, r.steps_run = reason, t + 1
            break
    if r.grad_sq and r.grad_sq[-1] is _LATER:  # no step was taken from the last state
        r.grad_sq.pop()
    r.last = x
    if Q is not None:
        r.exponents = tuple(v / steps for v in sums)
        r.running = tuple(running) + ((mpmath.nan,) * n,) * (len(cks) - len(running))
    return r


def _tangent_step(model, x, h, Q, sums):
    """One QR step of the tangent frame: DG_h(x)·Q = Q'R (Householder), sums_i +=
    log|R_ii|.  In one dimension |R| = |DG_h(x)| = |1 − h f″(x)| and the frame (±1) is not
    needed: a scalar, no matrix."""
    if len(x) == 1:
        return Q, [sums[0] + mpmath.log(abs(1 - h * mpmath.mpf(model._hess_entries(x)[0])))]
    Q, R = mpmath.qr(model.gd_jacobian(x, h) * Q)
    return Q, [v + mpmath.log(abs(R[i, i])) for i, v in enumerate(sums)]


def _too_big(x, blowup, finite) -> bool:
    if not all(finite(c) for c in x):
        return True
    if math.isinf(blowup):
        return False
    return any(abs(c) > blowup for c in x)


def _stop_reason(x, new, rec, blowup, finite, domain) -> str:
    if _too_big(new, blowup, finite):
        return "divergent"
    if domain is not None:
        inside = domain(new)
        if inside is not True:
            return "left the domain" if inside is False else "domain membership undecided"
    if rec.stop_when_settled:
        move = max(abs(a - b) for a, b in zip(new, x))
        if move <= rec.tol * (1 + max(abs(c) for c in new)):
            return "settled"
    return ""
