"""Detect large-learning-rate phenomena in recorded GD trajectories (REG-4, EOS-2).

All detectors read plain arrays — the loss L_k at every step and the sharpness S_k (largest
Hessian eigenvalue) at recorded steps — and the learning rate h, whose stability threshold
is 2/h (a quadratic with curvature S is stable under GD iff S ≤ 2/h).

* catapult (Lewkowycz et al.; REG-4): starting at a step where S > 2/h, the loss rises to
  at least ``rise`` times its starting value, then falls back to at most the starting value,
  and at that point the sharpness is below 2/h;
* progressive sharpening (EOS-2): S rises from S_0 until it first reaches (1 − band)·2/h;
* edge of stability (EOS-2): after that, the fraction of recorded S with |hS/2 − 1| ≤ band
  ("hovering in the band around 2/h"), with the loss decreasing overall but not
  monotonically.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..aliases import lr_keyword
from ..errors import InputError
from ..parsing import check_lr
from ..gd import ItemAccess
from ..results import Result, result


@result
class Catapult(ItemAccess, Result):
    """One catapult episode.

    ``start``, ``peak``, ``end``: the steps where it starts (S > 2/h), where the loss is
    largest and where the loss is back at or below its starting value (S < 2/h there);
    ``loss_start``, ``loss_peak``: the loss at start and peak; ``sharp_start``,
    ``sharp_end``: the sharpness at start and end."""

    start: int
    peak: int
    end: int
    loss_start: float
    loss_peak: float
    sharp_start: float
    sharp_end: float

    @property
    def rise(self) -> float:
        """loss_peak / loss_start."""
        return self.loss_peak / self.loss_start

    def as_dict(self) -> dict:
        """The fields as a plain dict."""
        return dataclasses.asdict(self)


@result
class EdgeOfStability(ItemAccess, Result):
    """Progressive sharpening and edge-of-stability statistics of a run (see
    :func:`edge_of_stability`).

    ``eta``, ``band``: the learning rate and the band half-width; ``ratio_start`` = ηS₀/2;
    ``reach_step``: first recorded step with ηS/2 ≥ 1 − band (None if never);
    ``sharpening_factor`` = S(reach)/S₀; ``in_band_fraction``: fraction of the recorded S
    from reach on with |ηS/2 − 1| ≤ band; ``ratio_min``/``ratio_median``/``ratio_max`` of
    ηS/2 from reach on; ``loss_ratio`` = median(L over the last tenth of the steps from
    reach on)/L_reach; ``loss_increases``: steps with L_{k+1} > L_k from reach on;
    ``steps_after``: steps recorded after reach."""

    eta: float
    band: float
    ratio_start: float
    reach_step: int | None = None
    sharpening_factor: float | None = None
    in_band_fraction: float = 0.0
    ratio_min: float | None = None
    ratio_median: float | None = None
    ratio_max: float | None = None
    loss_ratio: float | None = None
    loss_increases: int = 0
    steps_after: int = 0

    def is_edge(self, min_fraction: float = 0.8, min_steps: int = 100) -> bool:
        """The EOS-2 criterion: the band was reached and at least ``min_fraction`` of the
        later sharpness samples lie in it, over at least ``min_steps`` steps, while the
        loss ended lower than at reach and rose at some step."""
        return (self.reach_step is not None and self.steps_after >= min_steps
                and self.in_band_fraction >= min_fraction
                and self.loss_ratio is not None and self.loss_ratio < 1.0
                and self.loss_increases > 0)


def _series(a, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.ndim != 1 or a.size < 2:
        raise InputError(f"{name} must be a 1-d series of at least 2 values")
    return a


@lr_keyword
def catapults(loss, sharpness, lr: float, rise: float = 2.0) -> list[Catapult]:
    """Catapult episodes in a trajectory with per-step ``loss`` and ``sharpness`` (same
    length).  Episodes do not overlap; an episode whose loss never comes back, or comes
    back with S still ≥ 2/h, is not a catapult.  Non-finite values end the search."""
    check_lr(lr)
    if not rise > 1:
        raise InputError(f"rise factor must exceed 1, got {rise}")
    L, S = _series(loss, "loss"), _series(sharpness, "sharpness")
    if L.shape != S.shape:
        raise InputError("loss and sharpness series must have the same length")
    bad = ~(np.isfinite(L) & np.isfinite(S))
    n = int(np.argmax(bad)) if bad.any() else L.size
    thr = 2.0 / lr
    out, k = [], 0
    while k < n - 2:
        if S[k] <= thr:
            k += 1
            continue
        ep = _episode_from(L[:n], S[:n], k, thr, rise)
        if ep is None:
            k += 1
            continue
        out.append(ep)
        k = ep.end + 1
    return out


def _episode_from(L, S, k, thr, rise) -> Catapult | None:
    """The catapult starting at step k, if any: first step j > k with L_j ≥ rise·L_k, the
    loss maximum between j and the first return e > j with L_e ≤ L_k, and S_e < 2/h."""
    up = np.nonzero(L[k + 1:] >= rise * L[k])[0]
    if up.size == 0:
        return None
    j = k + 1 + int(up[0])
    back = np.nonzero(L[j + 1:] <= L[k])[0]
    if back.size == 0:
        return None
    e = j + 1 + int(back[0])
    if not S[e] < thr:
        return None
    p = j + int(np.argmax(L[j:e + 1]))
    return Catapult(k, p, e, float(L[k]), float(L[p]), float(S[k]), float(S[e]))


@lr_keyword
def edge_of_stability(loss, sharp_steps, sharpness, lr: float,
                      band: float = 0.1) -> EdgeOfStability:
    """Progressive sharpening and edge-of-stability statistics of a training run
    (:class:`EdgeOfStability`): ``loss`` is recorded at every step, ``sharpness`` at the
    steps ``sharp_steps``."""
    check_lr(lr)
    if not 0 < band < 1:
        raise InputError(f"band must be in (0, 1), got {band}")
    L = _series(loss, "loss")
    steps = np.asarray(sharp_steps, dtype=int)
    r = _series(sharpness, "sharpness") * lr / 2.0
    if steps.shape != r.shape:
        raise InputError("sharp_steps and sharpness must have the same length")
    hit = np.nonzero(r >= 1.0 - band)[0]
    if hit.size == 0:
        return EdgeOfStability(float(lr), float(band), float(r[0]))
    i = int(hit[0])
    k = int(steps[i])
    after = r[i:]
    Lafter = L[k:]
    return EdgeOfStability(
        float(lr), float(band), float(r[0]), reach_step=k,
        sharpening_factor=float(r[i] / r[0]) if r[0] > 0 else None,
        in_band_fraction=float(np.mean(np.abs(after - 1.0) <= band)),
        ratio_min=float(after.min()), ratio_median=float(np.median(after)),
        ratio_max=float(after.max()),
        loss_ratio=float(np.median(Lafter[-max(1, Lafter.size // 10):]) / Lafter[0])
        if Lafter.size > 1 else None,
        loss_increases=int(np.sum(np.diff(Lafter) > 0)), steps_after=int(Lafter.size - 1))


def is_edge_of_stability(stats: EdgeOfStability, min_fraction: float = 0.8,
                         min_steps: int = 100) -> bool:
    """The EOS-2 criterion on :func:`edge_of_stability` statistics
    (:meth:`EdgeOfStability.is_edge`)."""
    return stats.is_edge(min_fraction, min_steps)
