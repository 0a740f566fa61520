"""Sweeps: GD over whole ranges of learning rates, starts and parameters, on one core, on
all cores or on a Dask cluster, as labelled xarray datasets.

A :class:`Sweep` is a grid — learning rates × the values of named parameters of the
objective (µ in ½(xy − µ)², ε of a multiscale objective) × starts (a box grid or given
points) — and a task run at every cell:

* :class:`GDTask` — float64 GD by the one kernel :func:`lrtheory.gd.run_gd`, every run
  labelled converged / periodic(p) / aperiodic / divergent and keeping, by ``record``, its
  limit (``"limit"``), its last k states (``"orbit"``: orbit diagrams), the sharpness at
  the limit (``"sharpness"``) or its Lyapunov spectrum (``"lyapunov"``); ``continued=True``
  follows each start through the learning rates (orbit diagrams with continuation);
* :class:`OrbitsTask` — the certified periodic orbits of period ≤ p at each h (counts per
  period, and each search's result as JSON).

:func:`run_sweep` cuts the cells into chunks, runs each chunk with the vectorized kernel
on an executor — in this process (default), ``jobs=N`` local processes, ``dask=`` a
``distributed.Client``, a scheduler address or ``"local"``, or ``executor=`` any
``concurrent.futures.Executor`` — and assembles an :class:`xarray.Dataset` in chunk order:
the same, bit for bit, whatever the executor, the number of workers and the chunk size.
With ``out=FILE`` (``.nc`` NetCDF or ``.zarr``) it writes finished chunks as it goes and
``resume=True`` continues a killed sweep without recomputing them.  Coordinates are named
after the swept quantities (``lr``, each parameter, each variable of a box grid, or
``start``); data variables after what was recorded (``label`` with CF flag attributes,
``period``, ``limit_<var>``, ``orbit``, ``sharpness``, ``lyapunov``; ``orbits``,
``attracting``, ``certified``, ``records`` for the certified task)::

    import numpy as np
    from lrtheory.sweeps import GDTask, Sweep, run_sweep

    sweep = Sweep.of("(1 - x*y)**2/2", "x,y", lr=np.linspace(0.5, 2.0, 16),
                     box=(-2, 2), grid=32, task=GDTask("limit", steps=2000))
    ds = run_sweep(sweep, jobs=2, out="sweep.nc")   # xarray.open_dataset("sweep.nc")

:func:`diagram` (orbit diagrams over h), :func:`basin_map` and :func:`label_basins`
(which minimizer, minimizer set, period or fate each start reaches) and :func:`windows`
(intervals of h with one behaviour) build on it; :mod:`lrtheory.plotting` draws them.
xarray (and Dask, Zarr) are the optional extra ``lrtheory[dask]``: they are imported
when a sweep runs, and their absence is an :class:`~lrtheory.errors.InputError`.
"""
from .basins import attractor_sets, basin_legend, basin_map, label_basins
from .diagram import behaviour, diagram, windows
from .executors import dask_client, open_runner
from .run import default_chunk_size, resolve_engine, run_sweep
from .spec import (LABEL_MEANINGS, RECORDS, GDTask, OrbitsTask, Sweep, cell_seed, chunk_bounds,
                   exact_grid)
from .store import open_dataset, to_dataset, write_dataset
from .tasks import run_chunk

__all__ = ["Sweep", "GDTask", "OrbitsTask", "RECORDS", "LABEL_MEANINGS", "run_sweep",
           "run_chunk", "diagram", "windows", "behaviour", "basin_map", "label_basins",
           "basin_legend", "attractor_sets", "open_dataset", "write_dataset", "to_dataset",
           "exact_grid", "chunk_bounds", "cell_seed", "default_chunk_size", "resolve_engine",
           "open_runner", "dask_client"]
