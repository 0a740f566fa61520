"""What a GD run records: the immutable :class:`Record` spec and its module-level presets.

A run visits the states x_0, x_1, …, x_{T+N} of x_{k+1} = x_k − h∇f(x_k), where the first
T = ``transient`` steps are unrecorded.  The recorded states are s_t = x_{T+t},
t = 0, …, N (N = ``steps``).  A :class:`Record` names what is kept of them (like
diffrax's ``SaveAt``): pass one to :func:`lrtheory.gd.run_gd`, or one of the presets
``LAST``, ``TRAJECTORY``, ``LYAPUNOV``, ``CLASSIFY``.
"""
from __future__ import annotations

import math

from ..errors import InputError
from ..results import Result, result

__all__ = ["Record", "LAST", "TRAJECTORY", "LYAPUNOV", "CLASSIFY", "classify_tail_length"]


@result
class Record(Result):
    """What :func:`~lrtheory.gd.run_gd` keeps of the recorded states s_0, …, s_N.

    * ``last`` — the final state s_N (always computed; ``False`` drops it from the result).
    * ``every`` — k > 0: the trajectory s_0, s_k, s_2k, … (t ≡ 0 mod k, s_N included when
      k divides N); 0: none.
    * ``tail`` — L > 0: the last L states s_{N−L+1}, …, s_N (orbit diagrams); 0: none.
    * ``coords`` — the coordinates kept in ``trajectory``, ``tail`` and the statistics (all
      when None).
    * ``loss`` — f at every kept state (trajectory, tail and last).
    * ``lyapunov`` — the Lyapunov spectrum by QR of the tangent maps I − h∇²f(s_t),
      t = 0, …, N − 1: λ_i = (1/N) Σ_t log|(R_t)_ii| (all n exponents).
    * ``checkpoints`` — step counts k ≤ N at which the running means (1/k) Σ_{t<k} log|R_ii|
      are kept (with ``lyapunov``).
    * ``sharpness`` — λ_max(∇²f(s_N)), the largest Hessian eigenvalue at the end.
    * ``classify`` — the label of each run: ``converged`` / ``periodic`` (with its minimal
      period p ≤ ``max_period``: s_{t+p} = s_t within ``tol`` over the tail) / ``aperiodic``
      (bounded, no period ≤ max_period: chaotic or quasi-periodic) / ``divergent`` (left the
      ball of radius ``blowup`` or overflowed).  The classification tail is ``window`` when
      set, else ``tail`` when set, else :func:`classify_tail_length`.
    * ``window`` — L > 0: classify (and test ``stop_when_settled``) over the last L states
      without returning them as ``tail`` (a basin map needs the labels, not the tails).
    * ``tol`` — relative tolerance of the period test (and of ``stop_when_settled``):
      |s_{t+p} − s_t| ≤ tol·(1 + max|s|).
    * ``stop_when_settled`` — stop early once every run has settled: diverged, or moved by
      at most tol·(1 + max|s|) per step over the last ``tail`` states (float64: all runs
      checked together every ``check_every`` steps; mpmath/exact: each run on its own,
      after every step, with a window of one step).

    Streaming statistics (float64 backend; nothing of the trajectory is stored) over the
    sampled states s_t, t ≡ 0 (mod ``thin``), 0 ≤ t ≤ N — S = N // thin + 1 of them — of
    the coordinates ``coords``:

    * ``moments`` — per run the mean (1/S) Σ s_t, the second moment (1/S) Σ s_t s_tᵀ
      (covariance = second moment − mean meanᵀ) and the coordinate-wise minimum and
      maximum.  A run that diverged has nan moments (its states are nan from then on;
      minimum and maximum skip nan).
    * ``histogram`` — (lo, hi, bins): counts of each kept coordinate in ``bins`` equal bins
      of [lo, hi) plus an underflow (x < lo) and an overflow (x ≥ hi, +inf included) bin:
      bin index floor((x − lo)·bins/(hi − lo)) + 1 clipped to [0, bins + 1]; nan states
      are not counted.
    * ``histogram_groups`` — 0: one histogram per run; g ≥ 1: run j counts into group
      j mod g (g = 1 pools all runs; g = 2 gives two independent halves whose difference
      estimates the sampling noise).
    * ``thin`` — the sampling stride of the statistics.
    """

    last: bool = True
    every: int = 0
    tail: int = 0
    coords: tuple | None = None
    loss: bool = False
    lyapunov: bool = False
    checkpoints: tuple = ()
    sharpness: bool = False
    classify: bool = False
    tol: float = 1e-9
    max_period: int = 16
    stop_when_settled: bool = False
    check_every: int = 500
    moments: bool = False
    histogram: tuple | None = None
    histogram_groups: int = 0
    thin: int = 1
    window: int = 0

    def __post_init__(self):
        if self.window < 0:
            raise InputError("Record needs window >= 0")
        if self.every < 0 or self.tail < 0 or self.max_period < 1 or self.check_every < 1:
            raise InputError("Record needs every >= 0, tail >= 0, max_period >= 1 and "
                             "check_every >= 1")
        if self.thin < 1 or self.histogram_groups < 0:
            raise InputError("Record needs thin >= 1 and histogram_groups >= 0")
        if self.histogram is not None:
            object.__setattr__(self, "histogram", _histogram_spec(self.histogram))
        if self.coords is not None:
            object.__setattr__(self, "coords", tuple(int(c) for c in self.coords))
        object.__setattr__(self, "checkpoints",
                           tuple(sorted({int(c) for c in self.checkpoints})))
        if self.checkpoints and not self.lyapunov:
            raise InputError("Record(checkpoints=...) needs lyapunov=True")

    @property
    def statistics(self) -> bool:
        """Streaming moments or a histogram are recorded."""
        return self.moments or self.histogram is not None

    def classify_length(self, steps: int) -> int:
        """Length of the tail that classification and the settled test use (a run of
        ``steps`` steps has steps + 1 recorded states)."""
        return min(steps + 1, self.window or self.tail
                   or classify_tail_length(steps + 1, self.max_period))


def _histogram_spec(spec) -> tuple:
    """(lo, hi, bins) checked: finite lo < hi, an integer bins >= 1."""
    try:
        lo, hi, bins = spec
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise InputError(f"Record.histogram must be (lo, hi, bins), got {spec!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi) or int(bins) != bins \
            or bins < 1:
        raise InputError(f"Record.histogram needs finite lo < hi and bins >= 1, got {spec!r}")
    return lo, hi, int(bins)


def classify_tail_length(states: int, max_period: int = 16) -> int:
    """Default classification tail of a record of ``states`` states:
    max(2·max_period + 2, min(states // 4, 512))."""
    return max(2 * max_period + 2, min(states // 4, 512))


#: Only the final state.
LAST = Record()
#: Every state s_0, …, s_N.
TRAJECTORY = Record(every=1)
#: The Lyapunov spectrum (and the final state).
LYAPUNOV = Record(lyapunov=True)
#: The long-run label and period (and the final state).
CLASSIFY = Record(classify=True)
