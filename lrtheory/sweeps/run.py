"""Running a sweep: engine, chunks, executor, progress, resume, assembly, output."""
from __future__ import annotations

import math
import time

import numpy as np

from ..errors import InputError
from .executors import open_runner
from .progress import Progress
from .spec import OrbitsTask, Sweep, chunk_bounds
from .store import ChunkStore, output_format, require_xarray, to_dataset, write_dataset
from .tasks import run_chunk

__all__ = ["run_sweep", "default_chunk_size", "resolve_engine"]

#: Memory one chunk may take for its records and classification tails.
CHUNK_BYTES = 64 * 2**20
#: A sweep runs on the compiled (numba) engine when the numpy engine would take longer
#: than this many seconds (by 0.5 µs · n² per run and step) plus 2 s of compilation per
#: objective (one per parameter value).
NUMBA_AFTER_SECONDS = 5.0


def resolve_engine(sweep: Sweep) -> Sweep:
    """The sweep with its engine chosen once for all of its runs ("auto": numba when it
    is enabled, compiles the objective and saves time by the cost model above)."""
    if sweep.engine != "auto":
        return sweep
    import dataclasses

    from ..gd import numba_enabled, run_gd
    if isinstance(sweep.task, OrbitsTask):
        return dataclasses.replace(sweep, engine="numpy")
    combos = math.prod(len(v) for _, v in sweep.params) if sweep.params else 1
    runs = sweep.cells * (len(sweep.lr) if sweep.continued else 1)
    seconds = runs * sweep.task.steps_per_cell() * 0.5e-6 * sweep.dim ** 2
    engine = "numpy"
    if numba_enabled() and seconds > NUMBA_AFTER_SECONDS + 2.0 * combos:
        sub = sweep.unravel(0, 1)
        try:
            run_gd(sweep.objective(0), sweep.starts_of(sub), float(sweep.lr[0]), 1,
                   sweep.task.gd_record(), engine="numba")
            engine = "numba"
        except InputError:  # the objective does not compile
            pass
    return dataclasses.replace(sweep, engine=engine)


def default_chunk_size(sweep: Sweep, workers: int) -> int:
    """Cells per chunk: about eight chunks per worker (balance, progress, resume), at least
    256 cells (a chunk's fixed cost), at most what fits in :data:`CHUNK_BYTES`.  A certified
    task takes one cell per chunk; a continued one spreads its starts."""
    cells = sweep.cells
    if isinstance(sweep.task, OrbitsTask):
        return 1
    per_cell = 8 * sweep.dim * (sweep.task.tail + sweep.dim + 4)
    if sweep.continued:
        per_cell *= len(sweep.lr)
        low = 1
    else:
        low = 256
    cap = max(1, CHUNK_BYTES // per_cell)
    return max(1, min(cap, max(low, math.ceil(cells / (8 * workers))), cells))


def run_sweep(sweep: Sweep, *, executor=None, jobs: int | None = None, dask=None,
              chunk_size: int | None = None, out=None, resume: bool = False,
              progress: bool | None = None, postprocess=None, stats: dict | None = None):
    """Run ``sweep`` and return its :class:`xarray.Dataset` (see :mod:`lrtheory.sweeps`).

    Executor: in this process (default), ``jobs=N`` local processes, ``dask=`` (a
    ``distributed.Client``, a scheduler address or ``"local"``) or ``executor=`` any
    ``concurrent.futures.Executor``.  ``chunk_size`` cells per chunk (default
    :func:`default_chunk_size`).  ``out`` (``.nc`` or ``.zarr``): write the dataset there,
    and the finished chunks to ``out + ".partial"`` while running; ``resume=True`` reuses
    the finished chunks of an interrupted run of the same sweep.  ``progress``: draw a
    progress bar (default: when stderr is a terminal).  ``postprocess(ds) -> ds`` runs on
    the assembled dataset before it is written.  ``stats`` (a dict) receives chunks,
    computed, resumed, seconds, steps, steps_per_second, workers and executor.

    The dataset is the same — bit for bit — for every executor, number of workers and
    chunk size."""
    require_xarray()
    if not isinstance(sweep, Sweep):
        raise InputError(f"run_sweep needs a lrtheory.sweeps.Sweep, got {type(sweep).__name__}")
    if out is not None:
        output_format(out)
    elif resume:
        raise InputError("resume needs the output file (out=) of the interrupted sweep")
    if chunk_size is not None and int(chunk_size) < 1:
        raise InputError(f"chunk_size must be >= 1, got {chunk_size}")
    t0 = time.perf_counter()
    with open_runner(executor, jobs, dask) as runner:
        sweep = resolve_engine(sweep)
        size = int(chunk_size or _stored_chunk_size(out, resume)
                   or default_chunk_size(sweep, runner.workers))
        bounds = chunk_bounds(sweep.cells, size)
        store = ChunkStore(out, {"sweep": sweep.to_json(exact=True), "chunk_size": size}, resume) \
            if out is not None else None
        results = {i: store.load(i) for i in store.done(len(bounds))} if resume else {}
        pending = {i: (sweep, a, b) for i, (a, b) in enumerate(bounds) if i not in results}
        steps = sweep.task.steps_per_cell() * (len(sweep.lr) if sweep.continued else 1)
        bar = Progress(len(bounds), len(results), steps * sweep.cells / max(len(bounds), 1),
                       enabled=progress)
        t_run = time.perf_counter()
        try:
            for i, arrays in runner.map(run_chunk, pending, bar):
                if store is not None:
                    store.save(i, arrays)
                results[i] = arrays
                bar.update()
        finally:
            bar.close()
        seconds = time.perf_counter() - t_run
        kind, workers = runner.kind, runner.workers
    names = [name for name, *_ in sweep.outputs()]
    arrays = {}
    for n in names:  # each output joined, then its chunks released
        arrays[n] = np.concatenate([results[i].pop(n) for i in range(len(bounds))])
    results.clear()
    ds = to_dataset(sweep, arrays)
    del arrays
    if postprocess is not None:
        ds = postprocess(ds)
    if out is not None:
        write_dataset(ds, out)
        store.remove()
    if stats is not None:
        computed = sum(b - a for i, (a, b) in enumerate(bounds) if i in pending)
        stats.update(chunks=len(bounds), computed=len(pending),
                     resumed=len(bounds) - len(pending), seconds=time.perf_counter() - t0,
                     steps=computed * steps,
                     steps_per_second=computed * steps / seconds if seconds > 0 else 0.0,
                     workers=workers, executor=kind, engine=sweep.engine, chunk_size=size)
    return ds


def _stored_chunk_size(out, resume: bool) -> int | None:
    """The chunk size of the interrupted sweep that writes ``out`` (when resuming)."""
    if not resume:
        return None
    from pathlib import Path

    from ..io import read_json
    path = Path(str(out) + ".partial") / "sweep.json"
    if not path.is_file():
        return None
    size = read_json(path, "sweep state").get("chunk_size")
    return int(size) if isinstance(size, int) and size > 0 else None
