"""The certified learning-rate atlas of GD on x³/3 − x over h ∈ [1, 3/2] (conjugate to
z ↦ z² + c, c = 1/4 − h², so c ∈ [−2, −3/4]): boxes per second serially and with two
processes, and the proved measure of each class against an independent anchor.

Rows:

* ``atlas.cubic_p5.serial`` — 32 first boxes, periods ≤ 5, 4 bisection rounds, in this
  process; ``boxes_per_second`` counts every box classified (first boxes and bisected
  ones: 2·leaves − first boxes); the proved measure and fraction of each class.
* ``atlas.cubic_p5.jobs2`` — the same with ``jobs=2``; its baseline is the serial run
  (``ratio`` = speed-up); ``identical`` — the two atlases are equal.
* ``atlas.cubic_p5.anchor`` — the comparison at equal period limit.  A published figure
  for the measure of regular parameters proved at period ≤ 5 (Tucker–Wilczak, "A rigorous
  lower bound for the stability regions of the quadratic map", Physica D 2009, work on
  the logistic family) could not be retrieved here, so the anchor is computed
  independently: the hyperbolic windows of period ≤ 5 in [1, 3/2], each from its birth
  (a fold of period p, or the doubling of period p/2) to its period doubling, all
  bifurcation values from exact elimination (:func:`lrtheory.bifurcation.exact.
  exact_bifurcations`, resultants over Q).  Their total length is the measure of h with
  an attracting cycle of period ≤ 5; ``proved_share`` is the atlas's proved attracting
  measure over it, and ``inside_windows`` checks that every attracting box lies in a
  window of its period.
* ``atlas.cubic_p5.resume`` — the serial atlas stopped after half of its boxes and
  resumed from its checkpoint (``--resume``): ``identical`` to the uninterrupted run,
  ``resumed_boxes`` taken from the file.
* ``atlas.plane_factor.serial`` / ``.jobs2`` — GD on (1 − xy)²/2 over h ∈ [9/8, 2] (14
  boxes, periods ≤ 4, 2 bisection rounds) in the plane: boxes per second, the proved
  measures, and ``inside_window`` — every attracting box lies in (1, √5 − 1), where the
  closed-form 2-cycle on the diagonal attracts (multipliers 9 − 2(1 + h)² and 3 − 2h).
"""
import math
import tempfile
import time
from pathlib import Path

from harness import Benchmark

from lrtheory import Objective
from lrtheory.atlas import atlas
from lrtheory.bifurcation.exact import exact_bifurcations

CUBIC = Objective("x**3/3 - x", "x")
RANGE = ("1", "3/2")
KW = dict(boxes=32, max_period=5, max_depth=4)
PLANE = Objective("(1 - x*y)**2/2", "x,y")
PLANE_RANGE = ("9/8", "2")
PLANE_KW = dict(boxes=14, max_period=4, max_depth=2)
_RUNS = {}
_PLANE = {}
_CPU = {}  # CPU seconds of this process (the serial run's own work; a shared machine
#            slows the wall clock, not this)


def _atlas(jobs=None):
    cpu = time.process_time()
    res = atlas(CUBIC, lr_range=RANGE, jobs=jobs, **KW)
    _RUNS[jobs] = res
    _CPU[jobs] = time.process_time() - cpu
    return res


def _classified(res, first: int = KW["boxes"]) -> int:
    """Boxes classified: a bisection tree with L leaves over N roots has L − N inner nodes."""
    return 2 * len(res.boxes) - first


def _measures(res, seconds, first: int = KW["boxes"], cpu: float | None = None) -> dict:
    row = {"boxes_classified": _classified(res, first),
           "boxes_per_second": round(_classified(res, first) / seconds, 2)}
    cpu = cpu if cpu is not None else _CPU.get(None)
    if cpu:
        row["serial_boxes_per_cpu_second"] = round(_classified(res, first) / cpu, 2)
    for label in ("attracting", "attracting_unique", "chaotic", "divergent", "undecided"):
        row[f"{label}_measure"] = res.summary[label]["measure"]
        row[f"{label}_fraction"] = round(res.summary[label]["fraction"], 4)
    return row


def _parallel_extra(res, seconds) -> dict:
    row = _measures(res, seconds)
    row["identical"] = None if None not in _RUNS else res == _RUNS[None]
    return row


def windows(max_period: int) -> list[tuple[int, float, float]]:
    """(period, start, end) of the attracting windows of period ≤ max_period in [1, 3/2],
    from exact bifurcation values over [9/10, 3/2] (the doubling at h = 1 included)."""
    found = exact_bifurcations(CUBIC, ("9/10", "3/2"), max_period).bifurcations
    births = [(b.period, float(b.lr)) for b in found if b.kind == "fold"]
    births += [(2 * b.period, float(b.lr)) for b in found if b.kind == "period-doubling"]
    out = []
    for b in found:
        if b.kind != "period-doubling":
            continue
        end = float(b.lr)
        start = max((h for p, h in births if p == b.period and h < end), default=None)
        if start is not None:
            out.append((b.period, max(start, 1.0), min(end, 1.5)))
    # the cascade's 1-cycle window ends at h = 1 and the last window of period
    # max_period·2 has no doubling of its own in range: both lie outside [1, 3/2] or are
    # longer than max_period, so nothing else is counted.
    return [w for w in out if w[2] > w[1]]


def _anchor():
    return windows(KW["max_period"])


def _anchor_extra(wins, seconds) -> dict:
    res = _RUNS.get(None) or _atlas()
    total = sum(e - s for _, s, e in wins)
    proved = float(res.measure("attracting"))
    inside = all(any(p == b.period and s <= float(b.interval[0]) and
                     float(b.interval[1]) <= e for p, s, e in wins)
                 for b in res.boxes if b.label == "attracting")
    return {"windows": len(wins), "window_measure": round(total, 6),
            "proved_attracting_measure": round(proved, 6),
            "proved_share": round(proved / total, 4), "inside_windows": inside,
            "max_period": KW["max_period"]}


class _Stop(Exception):
    pass


def _resumed():
    """The serial atlas stopped after half of its boxes, then resumed from the checkpoint."""
    half = _classified(_RUNS.get(None) or _atlas()) // 2
    seen = []

    def stop(box):
        seen.append(box)
        if len(seen) >= half:
            raise _Stop
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "atlas.jsonl"
        try:
            atlas(CUBIC, lr_range=RANGE, resume=path, on_box=stop, **KW)
        except _Stop:
            pass
        res = atlas(CUBIC, lr_range=RANGE, resume=path, **KW)
    return res, len(seen)


def _resume_extra(out, seconds) -> dict:
    res, resumed = out
    return {"identical": res == _RUNS[None], "resumed_boxes": resumed,
            "boxes_classified": _classified(res)}


def _plane(jobs=None):
    cpu = time.process_time()
    res = atlas(PLANE, lr_range=PLANE_RANGE, jobs=jobs, **PLANE_KW)
    _PLANE[jobs] = res
    _CPU[("plane", jobs)] = time.process_time() - cpu
    return res


def _plane_extra(res, seconds) -> dict:
    row = _measures(res, seconds, PLANE_KW["boxes"], _CPU.get(("plane", None)))
    row["inside_window"] = all(1 < float(b.interval[0]) and
                               float(b.interval[1]) < math.sqrt(5) - 1
                               for b in res.boxes if b.label == "attracting")
    if None in _PLANE and res is not _PLANE[None]:
        row["identical"] = res == _PLANE[None]
    return row


BENCHMARKS = [
    Benchmark("atlas.cubic_p5.serial", _atlas, repeat=1, extra=_measures,
              target="every decided box agrees with the windows of z^2 + c"),
    Benchmark("atlas.cubic_p5.jobs2", lambda: _atlas(jobs=2), baseline=_atlas, repeat=1,
              extra=_parallel_extra, target="identical to serial"),
    Benchmark("atlas.cubic_p5.anchor", _anchor, repeat=1, extra=_anchor_extra,
              target="proved attracting measure vs exact hyperbolic windows, period <= 5"),
    Benchmark("atlas.cubic_p5.resume", _resumed, repeat=1, extra=_resume_extra,
              target="stopped halfway and resumed: identical to the uninterrupted run"),
    Benchmark("atlas.plane_factor.serial", _plane, repeat=1, extra=_plane_extra,
              target="attracting boxes inside (1, sqrt(5) - 1)"),
    Benchmark("atlas.plane_factor.jobs2", lambda: _plane(jobs=2), baseline=_plane, repeat=1,
              extra=_plane_extra, target="identical to serial"),
]
