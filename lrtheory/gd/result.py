"""The result of a GD run (:class:`GDRun`); :class:`~lrtheory.results.ItemAccess`, the
mapping access shared by dynamics results, is re-exported here."""
from __future__ import annotations

from typing import Any

from ..results import ItemAccess, Result, result
from .record import Record

__all__ = ["GDRun", "ItemAccess"]


@result
class GDRun(ItemAccess, Result):
    """GD x_{k+1} = x_k − h∇f(x_k) from a batch of starts and learning rates.

    The batch is x0 (shape (*batch, n)) broadcast against the learning rates; recorded
    states are s_t = x_{transient + t}, t = 0, …, steps (see :class:`Record`).

    Array layout.  ``backend="float64"``: numpy arrays whose leading axes after an optional
    time axis are ``batch_shape`` (states: (*batch, n) or (K, *batch, len(coords)));
    ``"mpmath"``/``"exact"``/``"arb"``: the batch is flattened to runs j = 0, …, m − 1 and
    every per-run field is a tuple over runs, with states as tuples of mpmath numbers,
    fractions or :class:`~lrtheory.results.Ball` (trajectories and tails are tuples over
    runs of tuples of states, as long as each run lasted).

    Fields
    ------
    backend : "float64" (numpy or compiled), "mpmath", "exact" or "arb"
    engine : "numpy" or "numba" for float64 (which implementation ran; "numpy+numba" when
        a run that stops when settled began on numpy and continued compiled), else the
        backend
    lr : the learning rate of each run (float64: array of ``batch_shape``)
    batch_shape : shape of the batch of runs
    steps, transient : recorded steps N and unrecorded steps T requested
    steps_run : per run, the recorded steps actually run (< steps after an early stop)
    record : the :class:`Record` that was asked for
    last : s_N of each run (nan for divergent float64 runs)
    trajectory : s_0, s_k, s_2k, … (``Record.every`` = k) at ``trajectory_steps`` (float64:
        nan after the run left the ball of radius ``blowup``, ±inf or nan after an overflow)
    tail : the last ``Record.tail`` states s_{N−L+1}, …, s_N (same convention)
    loss_last, loss_trajectory, loss_tail : f at those states (``Record.loss``)
    exponents : Lyapunov exponents λ_1 ≥ … ≥ λ_n of each run (QR; ``Record.lyapunov``)
    checkpoints, running : step counts k and the running means of the exponents after k
        tangent steps (shape (len(checkpoints), *batch, n))
    sharpness : λ_max(∇²f(s_N)) of each run
    labels, periods : classification (:data:`lrtheory.gd.LABELS`; period 1 converged,
        p periodic, 0 otherwise)
    samples : the number S of states the statistics sampled per run (``Record.thin``)
    mean, second_moment : (1/S) Σ s_t and (1/S) Σ s_t s_tᵀ over the sampled states, shapes
        (*batch, len(coords)) and (*batch, len(coords), len(coords)) (``Record.moments``)
    minimum, maximum : coordinate-wise extremes of the sampled states (nan skipped)
    histogram, histogram_edges : int64 counts of shape (*batch, len(coords), bins + 2) —
        or (groups, len(coords), bins + 2) with ``Record.histogram_groups`` — over the
        underflow bin, the ``bins`` bins between ``histogram_edges`` (bins + 1,) and the
        overflow bin (``Record.histogram``)
    diverged : per run, the orbit overflowed or left the ball of radius ``blowup``
    stopped : per run (mpmath/exact/arb), why it ended before ``steps``: "" (it did not),
        "settled", "divergent", "left the domain" or "domain membership undecided"
    """

    backend: str
    engine: str
    lr: Any
    batch_shape: tuple
    steps: int
    transient: int
    steps_run: Any
    record: Record
    last: Any = None
    trajectory: Any = None
    trajectory_steps: Any = None
    tail: Any = None
    loss_last: Any = None
    loss_trajectory: Any = None
    loss_tail: Any = None
    exponents: Any = None
    checkpoints: tuple = ()
    running: Any = None
    sharpness: Any = None
    labels: tuple | None = None
    periods: Any = None
    diverged: Any = None
    stopped: tuple = ()
    samples: Any = None
    mean: Any = None
    second_moment: Any = None
    minimum: Any = None
    maximum: Any = None
    histogram: Any = None
    histogram_edges: Any = None

    _repr_skip = ("trajectory", "tail", "loss_trajectory", "loss_tail", "running",
                  "trajectory_steps", "record", "second_moment", "histogram",
                  "histogram_edges")
