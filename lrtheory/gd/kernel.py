"""The float64 engine of :func:`lrtheory.gd.run_gd` and the dispatcher over backends.

One iteration serves every start and every learning rate at once: the runs are the rows of
a matrix X (M, n) with per-row rates h (M,); a step is X ← X − h∇f(X), and the records of
:class:`~lrtheory.gd.Record` are filled along the way (trajectory rows, a ring buffer of
the last states, the tangent frames of the Lyapunov QR, streaming moments and
histograms).  Two engines fill the same
arrays: ``numpy`` (coordinate arrays through a lambdified G_h) and ``numba`` (a per-run loop
compiled from the objective's printed gradient and Hessian, :mod:`lrtheory.gd.compiled`).
Overflow is a result: a run whose state is not finite, or leaves the ball
max|x_i| ≤ ``blowup``, is set to nan from then on and labelled ``divergent``.
"""
from __future__ import annotations

import math
import os

import numpy as np

from ..errors import InputError
from ..parsing import check_lr
from . import classify as _cls
from .maps import numpy_gd_map
from .record import LAST, Record
from .result import GDRun

__all__ = ["run_gd", "BACKENDS", "ENGINES", "numba_enabled"]

BACKENDS = ("float64", "mpmath", "exact", "arb")
ENGINES = ("numpy", "numba")
#: The numba engine is chosen automatically when the numpy engine would take longer than
#: this many seconds by the cost model steps·(10 µs + runs·0.1 µs·n²) (doubled with
#: Lyapunov exponents).
AUTO_NUMBA_SECONDS = 1.0
#: The modelled cost of compiling a kernel (numba takes 1–3 s).  A run that stops when
#: settled — it may stop after a few hundred steps — starts on numpy and switches to the
#: compiled loop only once the modelled numpy time spent reaches this (and the modelled
#: time left is at least AUTO_NUMBA_SECONDS): like renting until the rent paid equals the
#: price, never much more than twice the time of the better choice made in hindsight.
#: The choice follows the model, not measured times, so a run is reproducible.
COMPILE_SECONDS = 2.0


def numba_enabled() -> bool:
    """numba imports and ``LRTHEORY_NO_NUMBA`` is not set to a true value."""
    if os.environ.get("LRTHEORY_NO_NUMBA", "").strip() not in ("", "0"):
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def run_gd(obj, x0, lr, steps: int, record: Record = LAST, *, transient: int = 0,
           blowup: float = math.inf, backend: str = "float64", engine: str | None = None,
           dps: int | None = None, domain=None) -> GDRun:
    """Run GD x_{k+1} = x_k − h∇f(x_k) on ``obj`` for ``transient`` + ``steps`` steps from
    every start and learning rate, and keep what ``record`` asks for.

    ``obj`` is an :class:`~lrtheory.objectives.Objective`, or (float64, numpy engine) any
    problem with ``dim`` and a ``numpy`` attribute providing ``grad(X)`` for rows X (M, n)
    (and ``value``/``hess`` when loss, Lyapunov exponents or sharpness are recorded), e.g.
    a model whose gradient has a closed form cheaper than its expanded expression.

    ``x0`` has shape (*batch, n) (one start: (n,)); ``lr`` is a number or an array that
    broadcasts against the batch shape — shape (m,) gives one rate per start, shape (K, 1)
    with x0 (m, n) the grid of all K·m (rate, start) pairs (batch shape (K, m)).
    ``backend``: ``"float64"`` (engine ``"numpy"``, ``"numba"`` or None: numba when it
    imports, ``LRTHEORY_NO_NUMBA`` is unset, the objective prints, and the run is long —
    a run with ``Record.stop_when_settled`` starts on numpy and switches only while runs
    remain unsettled, see :data:`COMPILE_SECONDS`), ``"mpmath"`` (at ``dps`` digits via
    :func:`lrtheory.precision.precision`, else the caller's precision), ``"exact"``
    (rationals, python-flint fmpq) or ``"arb"`` (balls at the caller's python-flint
    precision).  ``domain(x) -> True/False/None`` (precise backends) ends a run before the
    first state not certainly inside.
    Returns a :class:`~lrtheory.gd.GDRun`."""
    if not isinstance(record, Record):
        raise InputError(f"record must be a lrtheory.gd.Record, got {record!r}")
    steps, transient = int(steps), int(transient)
    if steps < 1 or transient < 0:
        raise InputError("steps must be >= 1 and transient >= 0")
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if backend != "float64":
        from ..objectives import Objective
        if not isinstance(obj, Objective):
            raise InputError(f"backend {backend!r} needs an Objective")
        if record.statistics:
            raise InputError("Record.moments and Record.histogram are for the float64 "
                             "backend")
        from .precise import run_precise
        return run_precise(obj, x0, lr, steps, record, transient, blowup, backend, dps,
                           domain)
    if domain is not None:
        raise InputError("domain= is for the mpmath/exact/arb backends; float64 runs use "
                         "blowup=")
    X, H, batch = batch_rows(obj, x0, lr, compact_rates=True)
    plan = _Plan(obj, X, H, steps, transient, record, blowup)
    plan.run(*_choose_engine(obj, engine, plan))
    return plan.result(batch)


def batch_rows(obj, x0, lr, dtype=float, compact_rates: bool = False):
    """Rows X (M, n), rates H (M,) and the batch shape of the starts ``x0`` broadcast
    against the learning rates ``lr`` (arrays of ``dtype``: float, or object for exact and
    high-precision numbers; X may share memory with ``x0`` and is never written);
    ``compact_rates``: one rate for all runs is returned as H of shape (1,).  Every rate is
    checked positive and finite."""
    X = np.asarray(x0, dtype=dtype)
    if X.ndim == 0 or X.shape[-1] != obj.dim:
        raise InputError(f"starts have {X.shape[-1] if X.ndim else 0} coordinates, "
                         f"objective has {obj.dim}")
    H = np.array(lr, dtype=dtype)
    for h in (np.unique(H) if dtype is float else H.ravel()):
        check_lr(h if isinstance(h, (str, int, float)) else float(h))
    try:
        batch = np.broadcast_shapes(X.shape[:-1], H.shape)
    except ValueError:
        raise InputError(f"learning rates of shape {H.shape} do not broadcast against "
                         f"starts of shape {X.shape}") from None
    if X.shape[:-1] != batch:
        X = np.broadcast_to(X, batch + (obj.dim,)).copy()
    if compact_rates and H.size == 1:
        H = H.reshape(1)
    elif H.shape != batch:
        H = np.broadcast_to(H, batch).copy()
    return X.reshape(-1, obj.dim), H.reshape(-1), batch


def _choose_engine(obj, engine, plan) -> tuple[str, bool]:
    """(the engine a float64 plan starts on, whether it may switch to numba later)."""
    if engine not in (None,) + ENGINES:
        raise InputError(f"unknown engine {engine!r}: use 'numpy' or 'numba'")
    from ..objectives import Objective
    if engine == "numpy" or (engine is None and not isinstance(obj, Objective)):
        return "numpy", False
    if not isinstance(obj, Objective):
        raise InputError("engine='numba' needs an Objective (sympy expressions to compile)")
    from . import compiled
    if engine == "numba":
        if not numba_enabled():
            raise InputError("engine='numba' needs numba (pip install 'lrtheory[fast]') and "
                             "LRTHEORY_NO_NUMBA unset")
        plan.compiled = compiled.kernel_for(obj, plan, strict=True)
        return "numba", False
    if plan.numpy_seconds(plan.total) < AUTO_NUMBA_SECONDS or not numba_enabled():
        return "numpy", False
    if plan.rec.stop_when_settled:
        return "numpy", True
    plan.compiled = compiled.kernel_for(obj, plan)
    return ("numba" if plan.compiled is not None else "numpy"), False


class _Plan:
    """The arrays one float64 run fills, shared by both engines (see the module doc).

    Per start: the starts X0 (M, n) (the caller's memory, never written), the current
    state X (M, n) (None before the first chunk; not kept by a compiled run that needs no
    final state), the trajectory (K, M, len(coords)) — time first, as returned —, the
    Lyapunov sums (M, n) and the streaming moments (M, nc), (M, nc, nc), minima and
    maxima (not initialised: the first chunk starts them); the ring buffer of the last
    states is (L, n, M) (time, then coordinate, then start: the layout the classifier
    reads, :func:`lrtheory.gd.classify.classify_ring`), written only at the last L states
    of each chunk; and the histogram (runs or groups, nc, bins + 2).  The tangent frames (M, n, n) are
    kept only between chunks of a run that stops when settled."""

    def __init__(self, obj, X0, H, steps, transient, rec: Record, blowup):
        self.obj, self.X0, self.X, self.H = obj, X0, None, H
        self.bad = None                          # diverged runs, as the compiled loop saw them
        self.M, n = X0.shape
        self.steps, self.T, self.rec = steps, transient, rec
        self.total = transient + steps
        self.blowup = float(blowup)
        if rec.loss and rec.coords is not None:
            raise InputError("Record(loss=True) needs all coordinates (coords=None)")
        self.coords = np.arange(n) if rec.coords is None else np.asarray(rec.coords)
        if np.any(self.coords < 0) or np.any(self.coords >= n):
            raise InputError(f"Record.coords {rec.coords} out of range for {n} variables")
        self.every, self.thin = rec.every, rec.thin
        self.L = rec.classify_length(steps) if (rec.classify or rec.stop_when_settled) \
            else min(rec.tail, steps + 1)
        self.L = max(self.L, min(rec.tail, steps + 1))
        self.window = rec.classify_length(steps) if rec.classify else self.L
        self.Q = None
        cks = [c for c in rec.checkpoints if 1 <= c <= steps]
        self.checkpoints = tuple(cks)
        self.ck_index = np.full(steps + 1, -1, dtype=np.int64)
        self.ck_index[cks] = np.arange(len(cks))
        self.empty = None     # the allocator of the arrays, chosen with the first engine
        self.steps_run = steps
        self.compiled = None  # the numba loop, when that engine runs
        self.engines = []

    def classify_in_kernel(self) -> bool:
        """The compiled loop labels each block of runs at the end of the run, from the
        block's last states while they are in cache (one chunk: no early stop)."""
        return bool(self.rec.classify) and not self.rec.stop_when_settled and self.L > 0

    def ring_kept(self) -> bool:
        """The compiled loop writes the plan's ring of the last L states of every run
        (for ``Record.tail`` or the settled test); else classification reads a ring of the
        block's own, and no per-run tail is stored."""
        return self.L > 0 and (self.rec.tail > 0 or not self.classify_in_kernel())

    def numpy_seconds(self, steps: int) -> float:
        """The numpy engine's modelled time for ``steps`` steps of this plan:
        steps·(10 µs + runs·0.1 µs·n²), doubled with Lyapunov exponents."""
        n = self.obj.dim
        return steps * (1e-5 + self.M * 1e-7 * n * n * (2 if self.rec.lyapunov else 1))

    def hist_args(self) -> tuple:
        """(counts, lo, bins/(hi − lo), bins, groups) of the histogram."""
        lo, hi, bins = self.rec.histogram or (0.0, 1.0, 1)
        return self.hist, float(lo), bins / (hi - lo), int(bins), int(self.rec.histogram_groups)

    def allocate(self, empty, compiled: bool = False):
        """Allocate the records with ``empty(shape, dtype=float64)``: numpy's, or for the
        ``compiled`` engine numba's (:func:`lrtheory.gd.compiled.empty`; the ring only
        when :meth:`ring_kept`, the labels when :meth:`classify_in_kernel`)."""
        rec, M, n, nc = self.rec, self.M, self.obj.dim, len(self.coords)
        self.empty = empty
        self.traj = empty((self.steps // rec.every + 1, M, nc) if rec.every else (0, 0, nc))
        self.ring = empty((self.L, n, M if self.ring_kept() or not compiled else 0))
        k = M if compiled and self.classify_in_kernel() else 0
        self.periods, self.bounded = empty((k,), dtype=np.int64), empty((k,), dtype=np.bool_)
        self.sums = empty((M if rec.lyapunov else 0, n))
        self.running = empty((len(self.checkpoints), M, n))
        self.running.fill(np.nan)
        m = M if rec.moments else 0
        self.mom1, self.mom2 = empty((m, nc)), empty((m, nc, nc))
        self.mn, self.mx = empty((m, nc)), empty((m, nc))
        groups = rec.histogram_groups or M
        bins = rec.histogram[2] if rec.histogram else 1
        self.hist = empty((groups if rec.histogram else 0, nc, bins + 2), dtype=np.int64)
        self.hist.fill(0)

    def kernel_state(self) -> tuple:
        """(starts, state out, bad) for the compiled loop: the state is read from X0
        before the first chunk and from X after; X is allocated when the run needs its
        final state (``last``, ``loss``, ``sharpness``, or a later chunk)."""
        rec, n = self.rec, self.obj.dim
        if self.bad is None:
            self.bad = self.empty((self.M,), dtype=np.bool_)
        if self.X is None:
            need = rec.last or rec.loss or rec.sharpness or rec.stop_when_settled
            self.X0 = _contiguous(self.X0)
            self.X = self.empty((self.M if need else 0, n))
            return self.X0, self.X, self.bad
        self.X = _contiguous(self.X)
        return self.X, self.X, self.bad

    def frames(self, save: bool) -> np.ndarray:
        """The tangent frames kept between chunks (allocated when a chunk saves them)."""
        n = self.obj.dim
        if self.Q is None:
            if save and self.rec.lyapunov and n > 1:
                self.Q = self.empty((self.M, n, n))
            else:
                return np.empty((0, n, n))
        return self.Q

    # -- driving ------------------------------------------------------------------------
    def run(self, engine: str, switch: bool = False):
        """Run all steps on ``engine``; with ``Record.stop_when_settled`` in blocks of
        ``check_every`` steps until every run settled, switching from numpy to numba
        (``switch``) once the modelled numpy time spent reaches :data:`COMPILE_SECONDS`
        and the modelled time left is at least :data:`AUTO_NUMBA_SECONDS`."""
        if engine == "numba":
            from .compiled import empty
            self.allocate(empty, compiled=True)
        else:
            self.allocate(np.empty)
        if not self.rec.stop_when_settled:
            self._chunk(engine, 0, self.total, False)
            return
        s = 0
        while s < self.total:
            s1 = min(self.total, s + self.rec.check_every)
            self._chunk(engine, s, s1, s1 < self.total)
            s = s1
            t = s - self.T
            if t + 1 >= self.L and np.all(_cls.settled_ring(
                    self.ring, self.rec.tol, self.blowup, self._ring_order(t))):
                break
            if switch and self.numpy_seconds(s) >= COMPILE_SECONDS \
                    and self.numpy_seconds(self.total - s) >= AUTO_NUMBA_SECONDS:
                from . import compiled
                switch, self.compiled = False, compiled.kernel_for(self.obj, self)
                engine = "numba" if self.compiled is not None else engine
        self.steps_run = s - self.T

    def _chunk(self, engine: str, s0: int, s1: int, save: bool):
        if engine not in self.engines:
            self.engines.append(engine)
        if engine == "numba":
            self.compiled(s0, s1, save)
        else:
            self._numpy_chunk(s0, s1, save)

    def _numpy_chunk(self, s0: int, s1: int, save: bool):
        step, tangent = _numpy_maps(self.obj)
        h = self.H[0] if np.all(self.H == self.H[0]) else self.H
        X = self.X0 if self.X is None else self.X   # a step makes a new array: X0 is not written
        Q = self._numpy_frames(s0) if self.rec.lyapunov else None
        finite_ball = math.isfinite(self.blowup)
        tlast = s1 - self.T
        if s0 == 0:
            self._init_accumulators()
        with np.errstate(all="ignore"):
            if s0 == 0 and self.T == 0:
                self._store(X, 0, tlast)
            for s in range(s0, s1):
                if Q is not None and s >= self.T:
                    Q = self._numpy_tangent(tangent(X, h), Q, s - self.T)
                X = step(X, h)
                if finite_ball:
                    X[~(np.max(np.abs(X), axis=1) <= self.blowup)] = np.nan
                if s + 1 >= self.T:
                    self._store(X, s + 1 - self.T, tlast)
        self.X = X
        if Q is not None and save:
            self.Q = np.stack([np.stack(q, axis=1) for q in Q], axis=2)

    def _init_accumulators(self):
        """Lyapunov sums and moments before the first step (the compiled loop starts
        from the same values in its registers)."""
        for a, v in ((self.sums, 0.0), (self.mom1, 0.0), (self.mom2, 0.0),
                     (self.mn, np.inf), (self.mx, -np.inf)):
            a.fill(v)

    def _numpy_frames(self, s0: int) -> list:
        """The tangent frame as columns of coordinate arrays: the identity at the start,
        else the frames saved by the previous chunk."""
        n = self.obj.dim
        if s0 == 0 or self.Q is None:
            return [[np.full(self.M, float(i == j)) for i in range(n)] for j in range(n)]
        return [[self.Q[:, i, j].copy() for i in range(n)] for j in range(n)]

    def _numpy_tangent(self, J, Q, t):
        """One QR step of the tangent frame: V = DG·Q, modified Gram–Schmidt, log|R_ii|."""
        n = self.obj.dim
        V = [[sum(J[r * n + c] * q[c] for c in range(n)) for r in range(n)] for q in Q]
        Qn = []
        for i, v in enumerate(V):
            for q in Qn:
                d = sum(a * b for a, b in zip(q, v))
                v = [a - d * b for a, b in zip(v, q)]
            r = np.sqrt(sum(a * a for a in v))
            Qn.append([a / r for a in v])
            self.sums[:, i] += np.log(r)
        c = self.ck_index[t + 1]
        if c >= 0:
            self.running[c] = self.sums / (t + 1)
        return Qn

    def _store(self, X, t: int, tlast: int):
        """Record the state s_t = X (numpy engine); the ring only at the last L states
        s_t, t > ``tlast`` − L, of the chunk."""
        if self.every and t % self.every == 0:
            self.traj[t // self.every] = X[:, self.coords]
        if self.L and t > tlast - self.L:
            self.ring[t % self.L] = X.T
        if self.rec.statistics and t % self.thin == 0:
            V = X[:, self.coords]
            if self.rec.moments:
                self._moments(V)
            if self.rec.histogram is not None:
                self._count(V)

    def _moments(self, V):
        nc = V.shape[1]
        self.mom1 += V
        for k in range(nc):
            for m in range(nc):
                self.mom2[:, k, m] += V[:, k] * V[:, m]
        np.fmin(self.mn, V, out=self.mn)
        np.fmax(self.mx, V, out=self.mx)

    def _count(self, V):
        """Add the sampled states V (M, nc) to the histogram (nan not counted)."""
        hist, lo, scale, bins, groups = self.hist_args()
        b = np.floor((V - lo) * scale)
        idx = np.where(b < 0, 0, np.where(b >= bins, bins + 1, b + 1))
        runs = np.arange(self.M)
        group = runs if groups == 0 else runs % groups
        flat = ((group[:, None] * V.shape[1] + np.arange(V.shape[1])) * (bins + 2) + idx)
        flat = flat[~np.isnan(V)].astype(np.int64)
        if groups == 0:        # one count per run and coordinate: no index repeats
            hist.reshape(-1)[flat] += 1
        else:
            hist += np.bincount(flat, minlength=hist.size).reshape(hist.shape)

    # -- results ------------------------------------------------------------------------
    def _ring_order(self, t_end: int, k: int | None = None) -> np.ndarray:
        """The ring slots of the last min(k, L, t_end + 1) states s_t, t ≤ t_end, in time
        order."""
        k = min(self.L if k is None else k, self.L, t_end + 1)
        return np.array([(t_end - k + 1 + i) % self.L for i in range(k)], dtype=np.int64)

    def _nan_rows(self) -> np.ndarray:
        """Final states that overflowed become nan in every coordinate (a coordinate that
        is ±inf or nan never returns to a finite value).  Returns the diverged runs."""
        bad = ~np.isfinite(self.X[:, 0])
        for i in range(1, self.X.shape[1]):      # column by column: a short-axis reduction
            bad |= ~np.isfinite(self.X[:, i])    # over 10⁶ rows is slow
        self.X[bad] = np.nan
        return bad

    def result(self, batch: tuple) -> GDRun:
        rec, n, t_end = self.rec, self.obj.dim, self.steps_run
        diverged = self.bad if self.engines[-1] == "numba" else self._nan_rows()
        shape = batch + (n,)
        lr = np.broadcast_to(self.H[0], batch) if len(self.H) < self.M else self.H
        out = dict(backend="float64", engine="+".join(self.engines), lr=lr.reshape(batch),
                   batch_shape=tuple(batch), steps=self.steps, transient=self.T,
                   steps_run=np.broadcast_to(np.int64(t_end), batch), record=rec,
                   diverged=diverged.reshape(batch))
        last = self.X
        if rec.last:
            out["last"] = last.reshape(shape)
        if rec.every:
            K = t_end // rec.every + 1
            out["trajectory"] = self.traj[:K].reshape((K,) + batch + (len(self.coords),))
            out["trajectory_steps"] = np.arange(K, dtype=np.int64) * rec.every
        if rec.tail:
            tail = np.moveaxis(self.ring[self._ring_order(t_end, rec.tail)][:, self.coords],
                               1, 2)
            out["tail"] = np.ascontiguousarray(tail).reshape(
                (len(tail),) + batch + (len(self.coords),))
        if rec.loss:
            f = self.obj.numpy.value
            with np.errstate(all="ignore"):
                out["loss_last"] = np.asarray(f(last)).reshape(batch)
                if rec.every:
                    out["loss_trajectory"] = np.asarray(f(out["trajectory"]))
                if rec.tail:
                    out["loss_tail"] = np.asarray(f(out["tail"]))
        if rec.lyapunov:
            out["exponents"] = np.divide(self.sums, max(t_end, 1), out=self.sums).reshape(shape)
            out["checkpoints"] = self.checkpoints
            out["running"] = self.running.reshape((len(self.checkpoints),) + shape)
        if rec.sharpness:
            out["sharpness"] = sharpness(self.obj, last).reshape(batch)
        if rec.classify and len(self.periods):      # labelled by the compiled loop
            labels, periods = _cls.run_labels(self.periods, self.bounded), self.periods
        elif rec.classify:
            labels, periods = _cls.classify_ring(
                self.ring, rec.tol, rec.max_period, self.blowup,
                self._ring_order(t_end, rec.classify_length(t_end)))
        if rec.classify:
            out["labels"] = _nested(labels, batch)
            out["periods"] = periods.reshape(batch)
        if rec.statistics:
            out.update(self._statistics(batch, t_end // rec.thin + 1))
        return GDRun(**out)

    def _statistics(self, batch: tuple, samples: int) -> dict:
        rec, nc = self.rec, len(self.coords)
        out = {"samples": np.broadcast_to(np.int64(samples), batch)}
        if rec.moments:
            out["mean"] = np.divide(self.mom1, samples, out=self.mom1).reshape(batch + (nc,))
            out["second_moment"] = np.divide(self.mom2, samples, out=self.mom2).reshape(
                batch + (nc, nc))
            out["minimum"] = self.mn.reshape(batch + (nc,))
            out["maximum"] = self.mx.reshape(batch + (nc,))
        if rec.histogram is not None:
            lo, hi, bins = rec.histogram
            out["histogram"] = self.hist if rec.histogram_groups else \
                self.hist.reshape(batch + (nc, bins + 2))
            out["histogram_edges"] = np.linspace(lo, hi, bins + 1)
        return out


def _contiguous(a: np.ndarray) -> np.ndarray:
    """``a`` as a C-contiguous, aligned, writeable float64 array (the argument type every
    compiled kernel is built for), copied only when it is not one already."""
    f = a.flags
    ok = a.dtype == np.float64 and f.c_contiguous and f.aligned and f.writeable
    return a if ok else np.array(a, dtype=np.float64, order="C")


def _numpy_maps(obj):
    """(step(X, h), tangent(X, h)) on rows X (M, n): G_h row by row and the n² entries of
    DG_h (row-major) as arrays over the rows.  Objectives use the lambdified coordinate map
    (:func:`lrtheory.gd.maps.numpy_gd_map`); any other problem its ``numpy.grad`` and
    ``numpy.hess``."""
    from ..objectives import Objective
    if isinstance(obj, Objective):
        G, DG = numpy_gd_map(obj)
        return (lambda X, h: np.stack(G(*X.T, h), axis=1)), (lambda X, h: DG(*X.T, h))
    n = obj.dim

    def step(X, h):
        return X - np.reshape(h, (-1, 1)) * obj.numpy.grad(X)

    def tangent(X, h):
        J = np.eye(n) - np.reshape(h, (-1, 1, 1)) * obj.numpy.hess(X)
        return [J[:, r, c] for r in range(n) for c in range(n)]
    return step, tangent


def sharpness(obj, X) -> np.ndarray:
    """λ_max(∇²f(x)) for each row of X (M, n) (nan where x is not finite)."""
    X = np.asarray(X, dtype=float)
    out = np.full(len(X), np.nan)
    ok = np.all(np.isfinite(X), axis=1)
    if ok.any():
        with np.errstate(all="ignore"):
            Hs = obj.numpy.hess(X[ok])
        good = np.all(np.isfinite(Hs), axis=(1, 2))
        vals = np.full(len(Hs), np.nan)
        vals[good] = np.linalg.eigvalsh(Hs[good])[:, -1]
        out[ok] = vals
    return out


def _nested(values, shape: tuple):
    """A tuple (nested to ``shape``) of the flat sequence ``values``."""
    values = list(values)
    if not shape:
        return values[0]
    if len(shape) == 1:
        return tuple(values)
    step = len(values) // shape[0]
    return tuple(_nested(values[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0]))
