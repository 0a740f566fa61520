"""The certified learning-rate atlas: every learning rate of [A, B] classified with a proof,
for GD on an objective of one variable or of two (:mod:`lrtheory.atlas.plane`).

:func:`atlas` splits [A, B] into N boxes with exact rational endpoints, proves a class
for each (:func:`lrtheory.atlas.classify.classify_box`: attracting with its period,
chaotic with an entropy bound, divergent, or undecided with the reason) and bisects,
round by round up to ``max_depth``, the boxes left undecided, the attracting boxes
whose cycle is not yet proved unique (of one variable: in the plane uniqueness is never
claimed) and the boxes where the midpoint's critical orbit
settles on a cycle, or escapes, but the box proved another class.  A sub-box inherits
the parent's proved class when its own test proves less (nothing, or no cycle where the
parent had one).  Boxes run on the sweep executors
(:func:`lrtheory.sweeps.open_runner`: this process, ``jobs`` processes, Dask or any
executor) and are assembled in the order of their endpoints, so the result is the same
whatever runs them.

The :class:`Atlas` result holds the boxes and a ``summary``: for each class the proved
measure (exact, as text), its fraction of B − A and the number of boxes, and the
attracting measure by period and with uniqueness proved.
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction

from .. import limits
from ..errors import InputError
from ..numbers import convert
from ..objectives import Objective
from ..results import Result, result
from .checkpoint import Checkpoint
from .classify import (ATTRACTING, CLASSES, UNDECIDED, AtlasSettings, BoxClass, classify_box,
                       exact_text)
from .maps import GDMap, gd_map

__all__ = ["Atlas", "atlas", "MAX_BOXES", "MAX_DEPTH", "MAX_ATLAS_PERIOD"]

#: Largest number of first boxes, of bisection rounds and of the period searched.
MAX_BOXES = limits.MAX_ATLAS_BOXES
MAX_DEPTH = limits.MAX_ATLAS_DEPTH
MAX_ATLAS_PERIOD = 12


@result
class Atlas(Result):
    """A certified atlas of GD on ``objective`` over the learning rates ``lr_range``.

    ``boxes`` — :class:`~lrtheory.atlas.classify.BoxClass` results, sorted, covering the
    range without overlap; ``summary`` — ``{class: {"measure", "fraction", "boxes"}}`` for
    attracting, chaotic, divergent and undecided, plus ``"attracting_unique"``,
    ``"no_attractor"`` (proved free of attracting cycles) and ``"attracting_by_period"``;
    ``max_period``, ``max_depth``, ``settings`` — what was asked; ``variable`` — the
    variables, comma-separated ("x,y" for the plane); ``radius`` — L of the search
    interval [−L, L] (or square) of a non-polynomial objective or of two variables (None
    for a polynomial of one variable)."""

    objective: str
    variable: str
    lr_range: tuple
    max_period: int
    max_depth: int
    boxes: tuple
    summary: dict
    settings: AtlasSettings = AtlasSettings()
    radius: float | None = None
    _repr_skip = ("boxes",)

    def measure(self, label: str) -> Fraction:
        """The proved measure of ``label`` (a class, or "attracting_unique")."""
        return Fraction(self.summary[label]["measure"])

    def fraction(self, label: str) -> float:
        """The proved fraction of [A, B] of ``label``."""
        return float(self.summary[label]["fraction"])

    def table(self) -> list[list]:
        """Rows lo, hi, class, period, entropy_lower, unique of the boxes, adjacent boxes
        with the same class, period and uniqueness merged."""
        rows = []
        for b in self.boxes:
            key = (b.label, b.period, b.unique)
            if rows and rows[-1][-1] == key and rows[-1][1] == b.lo:
                rows[-1][1] = b.hi
                if b.entropy_lower is not None:
                    rows[-1][4] = min(rows[-1][4], b.entropy_lower)
                continue
            rows.append([b.lo, b.hi, b.label, b.period, b.entropy_lower, b.unique, key])
        return [r[:-1] for r in rows]

    def to_dataset(self):
        """The boxes as an :class:`xarray.Dataset` (see :mod:`lrtheory.atlas.store`)."""
        from .store import to_dataset
        return to_dataset(self)


# ---- workers -------------------------------------------------------------------------------
_MAPS: dict = {}


def _gd_map(obj: Objective, radius: float) -> GDMap:
    key = (str(obj.expr), str(obj.vars), radius)
    if key not in _MAPS:
        _MAPS.clear()
        _MAPS[key] = gd_map(obj, radius)
    return _MAPS[key]


def classify_job(obj: Objective, lo: str, hi: str, max_period: int, settings: AtlasSettings,
                 depth: int, radius: float) -> BoxClass:
    """One box, as a worker runs it (endpoints as exact text, so nothing large travels)."""
    return classify_box(_gd_map(obj, radius), Fraction(lo), Fraction(hi), max_period,
                        settings, depth)


# ---- the driver ----------------------------------------------------------------------------
def _inherit(parent: BoxClass, child: BoxClass) -> BoxClass:
    """The child box, or the parent's proved class on the child's interval when the child
    proved less: nothing, or no cycle where the parent had one."""
    if parent.label == UNDECIDED or child.label == ATTRACTING or (
            child.label != UNDECIDED and parent.label != ATTRACTING):
        return child
    return dataclasses.replace(parent, lo=child.lo, hi=child.hi, depth=child.depth,
                               reason=f"from the box [{parent.lo}, {parent.hi}]: "
                                      f"{parent.reason}")


def _needs_refining(box: BoxClass, unique_provable: bool = True) -> bool:
    """Undecided boxes, attracting ones not proved unique (where uniqueness can be proved:
    not in the plane), and boxes where the midpoint's numerics propose a class (an
    attracting cycle, divergence) that was not proved."""
    return box.label == UNDECIDED or \
        (box.label == ATTRACTING and not box.unique and unique_provable) or \
        (bool(box.candidate) and not box.candidate.startswith(box.label))


def _split(box: BoxClass) -> list[tuple[Fraction, Fraction]]:
    lo, hi = box.interval
    mid = (lo + hi) / 2
    return [(lo, mid), (mid, hi)]


def _run_round(runner, obj, intervals, max_period, settings, depth, radius, progress,
               store=None, on_box=None):
    """The raw classes of the boxes ``intervals`` of round ``depth``, in their order: those
    of the checkpoint ``store`` as stored, the others classified (and stored) as they
    finish; ``on_box(box)`` after each."""
    keys = [(depth, exact_text(lo), exact_text(hi)) for lo, hi in intervals]
    out = {}
    if store is not None:
        out = {i: store.get(k) for i, k in enumerate(keys) if store.get(k) is not None}
    jobs = {i: (obj, k[1], k[2], max_period, settings, depth, radius)
            for i, k in enumerate(keys) if i not in out}
    for i, box in runner.map(classify_job, jobs):
        if store is not None:
            store.save(keys[i], box)
        out[i] = box
        if on_box is not None:
            on_box(box)
    if progress:
        resumed = f" ({len(keys) - len(jobs)} from the checkpoint)" if len(jobs) < len(keys) \
            else ""
        progress(f"atlas: round {depth}: {len(keys)} boxes{resumed}")
    return [out[i] for i in range(len(keys))]


def _summary(boxes, lo: Fraction, hi: Fraction) -> dict:
    total = hi - lo
    summary = {}

    def entry(selected):
        measure = sum((b.width for b in selected), Fraction(0))
        return {"measure": exact_text(measure) if measure else "0",
                "fraction": float(measure / total), "boxes": len(selected)}
    for label in CLASSES:
        summary[label] = entry([b for b in boxes if b.label == label])
    summary["attracting_unique"] = entry([b for b in boxes if b.label == ATTRACTING
                                          and b.unique])
    summary["no_attractor"] = entry([b for b in boxes if b.no_attractor])
    periods = sorted({b.period for b in boxes if b.label == ATTRACTING})
    summary["attracting_by_period"] = {
        str(p): entry([b for b in boxes if b.label == ATTRACTING and b.period == p])
        for p in periods}
    return summary


def _manifest(obj: Objective, max_period: int, settings: AtlasSettings, radius: float):
    """What the class of a box depends on besides its endpoints: the checkpoint header."""
    from .. import __version__
    return {"objective": str(obj.expr), "variables": [str(v) for v in obj.vars],
            "max_period": max_period, "radius": radius,
            "settings": settings.to_json(exact=True), "lrtheory": __version__}


def _positive_float(value) -> float:
    from ..numbers import to_float
    v = to_float(convert(value, "radius"), "radius")
    if not 0 < v < 1e300:
        raise InputError(f"radius must be a positive number, got {value!r}")
    return v


def _rational(value, label: str) -> Fraction:
    v = convert(value, label)
    if not v.is_Rational:
        raise InputError(f"{label} must be a rational number, got {value!r}")
    return Fraction(int(v.p), int(v.q))


def atlas(objective, variables="x", lr_range=("1", "3/2"), boxes: int = 16,
          max_period: int = 8, max_depth: int = 4, *, radius=3,
          settings: AtlasSettings | None = None, jobs: int | None = None, dask=None,
          executor=None, progress=None, resume=None, on_box=None) -> Atlas:
    """The certified atlas of GD on an objective of one or two variables over
    ``lr_range`` (module docstring): ``boxes`` first boxes, cycles and orbits of period ≤
    ``max_period``, up to ``max_depth`` bisection rounds; a non-polynomial objective is
    searched in [−``radius``, ``radius``] (two variables: from starts in its square; a
    polynomial of one variable on the whole line).

    ``resume`` — a checkpoint file (:mod:`lrtheory.atlas.checkpoint`): boxes it holds are
    reused, every box classified is appended to it as it finishes, so a run interrupted
    and started again with the same file gives the atlas of an uninterrupted run.
    ``on_box(box)`` is called with each box classified in this run."""
    from ..sweeps.executors import open_runner
    obj = objective if isinstance(objective, Objective) else Objective(objective, variables)
    radius = _positive_float(radius)
    gd = gd_map(obj, radius)  # checks the objective before any work
    lo, hi = (_rational(v, "lr_range") for v in lr_range)
    if not 0 < lo < hi:
        raise InputError(f"lr_range must satisfy 0 < A < B, got {lr_range!r}")
    for name, value, top in (("boxes", boxes, MAX_BOXES), ("max_period", max_period,
                             MAX_ATLAS_PERIOD), ("max_depth", max_depth, MAX_DEPTH)):
        if isinstance(value, bool) or not isinstance(value, int) or not \
                (0 if name == "max_depth" else 1) <= value <= top:
            raise InputError(f"{name} must be an integer up to {top}, got {value!r}")
    settings = settings or AtlasSettings()
    store = None if resume is None else Checkpoint(resume, _manifest(obj, max_period,
                                                                      settings, radius))
    step = (hi - lo) / boxes
    intervals = [(lo + i * step, lo + (i + 1) * step) for i in range(boxes)]
    with open_runner(executor=executor, jobs=jobs, dask=dask) as runner:
        done = _run_round(runner, obj, intervals, max_period, settings, 0, radius, progress,
                          store, on_box)
        for depth in range(1, max_depth + 1):
            parents = [b for b in done if _needs_refining(b, gd.dim == 1)]
            if not parents:
                break
            pieces = [piece for b in parents for piece in _split(b)]
            children = _run_round(runner, obj, pieces, max_period, settings, depth, radius,
                                  progress, store, on_box)
            kept = [b for b in done if not _needs_refining(b, gd.dim == 1)]
            kept += [_inherit(parents[i // 2], c) for i, c in enumerate(children)]
            done = kept
    done.sort(key=lambda b: b.interval[0])
    return Atlas(str(obj.expr), ",".join(map(str, obj.vars)), (exact_text(lo), exact_text(hi)),
                 max_period, max_depth, tuple(done), _summary(done, lo, hi), settings,
                 None if gd.polynomial else radius)
