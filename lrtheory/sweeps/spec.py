"""What a sweep is: the grid of cells, the task run at each cell, and the chunks.

A sweep runs a task at every cell of the grid

    learning rates h_1..h_K  ×  one axis per named parameter of the objective  ×  starts,

where the starts are a box grid (one axis per variable, ``linspace(lo, hi, N)``) or given
points (one axis ``start``).  The cells are numbered in C order over :attr:`Sweep.cell_dims`
and cut into chunks of consecutive cells: a chunk is the unit of work of an executor and
of the files that let an interrupted sweep resume.

Nothing in a cell's result depends on the chunk it is computed in: GD runs every row on its
own (one engine for the whole sweep, no early stop), and a cell that needs random numbers
takes its seed from its global index, ``SeedSequence(seed, spawn_key=(index,))``, so the
results are the same for every executor, number of workers and chunk size.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from ..errors import InputError
from ..results import Result, result

__all__ = ["GDTask", "OrbitsTask", "Sweep", "RECORDS", "LABEL_MEANINGS", "exact_grid",
           "chunk_bounds", "cell_seed"]

#: What a GD task keeps besides the label and period of every run.
RECORDS = ("limit", "orbit", "sharpness", "lyapunov")
#: The codes of the data variable ``label`` (:data:`lrtheory.gd.LABELS`, in order).
LABEL_MEANINGS = ("converged", "periodic", "aperiodic", "divergent")
#: Bytes a cell's JSON record (an orbit search) is counted as in size estimates.
RECORD_BYTES = 4096
#: Names that are dimensions of a sweep's dataset besides the swept quantities.
RESERVED_DIMS = ("lr", "start", "iterate", "variable", "exponent", "period")


@result
class GDTask(Result):
    """Float64 GD x_{k+1} = x_k − h∇f(x_k) at every cell (:func:`lrtheory.gd.run_gd`).

    Every run is labelled from its last ``tail`` states s_{N−tail+1}..s_N: converged (period
    1), periodic with minimal period p ≤ ``max_period`` (|s_{t+p} − s_t| ≤ tol·(1 + max|s|)
    over the tail), aperiodic (bounded, no such p: chaotic or quasi-periodic) or divergent
    (left the ball max|x_i| ≤ ``blowup`` or overflowed).  ``record`` says what else is kept:

    * ``"limit"`` — the last state s_N (data variables ``limit_<var>``);
    * ``"orbit"`` — the last ``tail`` states (``orbit``, dimensions iterate × variable);
    * ``"sharpness"`` — s_N and λ_max(∇²f(s_N)) (``sharpness``);
    * ``"lyapunov"`` — s_N and the Lyapunov spectrum λ_1 ≥ … ≥ λ_n over the N recorded
      steps (``lyapunov``, dimension exponent).

    ``steps`` N recorded steps follow ``transient`` unrecorded ones.  ``continued``: the
    runs at h_k start where they ended at h_{k−1} (at their own start for h_1, and again
    after they diverged) — an orbit diagram followed along the learning rates, computed
    in increasing cell order of the lr axis by one worker per start.  ``max_period``
    defaults to min(16, tail − 1).
    """

    record: str = "limit"
    steps: int = 1000
    transient: int = 0
    tail: int = 64
    max_period: int | None = None
    tol: float = 1e-9
    blowup: float = 1e6
    continued: bool = False

    def __post_init__(self):
        if self.max_period is None:
            object.__setattr__(self, "max_period", min(16, max(1, int(self.tail) - 1)))
        if self.record not in RECORDS:
            raise InputError(f"unknown record {self.record!r}: use one of {', '.join(RECORDS)}")
        if int(self.steps) < 1 or int(self.transient) < 0:
            raise InputError("steps must be >= 1 and transient >= 0")
        if not 2 <= int(self.tail) <= int(self.steps) + 1:
            raise InputError(f"tail must be from 2 to steps + 1 = {int(self.steps) + 1}, "
                             f"got {self.tail}")
        if not 1 <= int(self.max_period) < int(self.tail):
            raise InputError(f"max_period must be from 1 to tail - 1 = {int(self.tail) - 1}, "
                             f"got {self.max_period}")
        if not (self.tol > 0 and self.blowup > 0):
            raise InputError("tol and blowup must be positive")
        for name in ("steps", "transient", "tail", "max_period"):
            object.__setattr__(self, name, int(getattr(self, name)))
        object.__setattr__(self, "tol", float(self.tol))
        object.__setattr__(self, "blowup", float(self.blowup))

    def gd_record(self):
        """The :class:`lrtheory.gd.Record` of one run."""
        from ..gd import Record
        return Record(classify=True, window=self.tail, tail=self.tail if self.record == "orbit"
                      else 0, max_period=self.max_period, tol=self.tol,
                      sharpness=self.record == "sharpness",
                      lyapunov=self.record == "lyapunov")

    def outputs(self, n: int, variables: tuple) -> list:
        """``(name, extra dims, extra sizes, dtype)`` of every data variable per cell."""
        out = [("label", (), (), np.int8), ("period", (), (), np.int32)]
        if self.record == "orbit":
            out.append(("orbit", ("iterate", "variable"), (self.tail, n), np.float64))
        else:
            out += [(f"limit_{v}", (), (), np.float64) for v in variables]
        if self.record == "sharpness":
            out.append(("sharpness", (), (), np.float64))
        if self.record == "lyapunov":
            out.append(("lyapunov", ("exponent",), (n,), np.float64))
        return out

    def steps_per_cell(self) -> int:
        return self.steps + self.transient


@result
class OrbitsTask(Result):
    """The certified periodic orbits at every learning rate (and parameter value):
    :func:`lrtheory.dynamics.orbits.search_periodic_orbits` of minimal period ≤
    ``max_period`` with all points in the square ``box``, from ``starts`` seeded starts per
    batch (the seed of the cell), Newton at ``dps`` digits, each orbit proved by a
    Krawczyk test when ``certify``.  Per cell it keeps the counts of orbits, attracting
    orbits and certified orbits of each minimal period, and the search's result as JSON."""

    max_period: int = 3
    box: tuple = (-3.0, 3.0)
    starts: int = 200
    dps: int = 30
    certify: bool = True

    def __post_init__(self):
        if not 1 <= int(self.max_period) <= 12:
            raise InputError(f"max_period must be from 1 to 12, got {self.max_period}")
        lo, hi = (float(b) for b in self.box)
        if not lo < hi:
            raise InputError(f"box must satisfy lo < hi, got {self.box}")
        if int(self.starts) < 1 or not 15 <= int(self.dps) <= 1000:
            raise InputError("starts must be >= 1 and dps from 15 to 1000")
        object.__setattr__(self, "box", (lo, hi))
        for name in ("max_period", "starts", "dps"):
            object.__setattr__(self, name, int(getattr(self, name)))

    def outputs(self, n: int, variables: tuple) -> list:
        P = self.max_period
        return [("orbits", ("period",), (P,), np.int32),
                ("attracting", ("period",), (P,), np.int32),
                ("certified", ("period",), (P,), np.int32),
                ("records", (), (), str)]

    def steps_per_cell(self) -> int:
        return 0


def exact_grid(lo, hi, n: int) -> tuple:
    """The n exact values lo + i·(hi − lo)/(n − 1), i = 0..n−1 (sympy numbers; n = 1: lo)."""
    from ..numbers import convert
    a, b = convert(lo, "grid bound"), convert(hi, "grid bound")
    n = int(n)
    if n < 1:
        raise InputError(f"a grid needs at least one point, got {n}")
    if n == 1:
        return (a,)
    if not (b - a).is_positive:
        raise InputError(f"a grid needs lo < hi, got {lo}, {hi}")
    return tuple(a + (b - a) * sp.Rational(i, n - 1) for i in range(n))


def _pairs(box, names: tuple) -> tuple:
    """``(lo, hi)`` per variable from one pair or one pair per variable."""
    box = tuple(box)
    if len(box) == 2 and all(np.ndim(b) == 0 for b in box):
        box = (box,) * len(names)
    if len(box) != len(names):
        raise InputError(f"box has {len(box)} ranges, objective has {len(names)} variables")
    out = []
    for lo, hi in box:
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise InputError(f"box ranges must be finite with lo < hi, got {(lo, hi)}")
        out.append((lo, hi))
    return tuple(out)


@result
class Sweep(Result):
    """A sweep: the objective, the grid and the task (build it with :meth:`Sweep.of`).

    expr : the objective f as a sympy expression (parameters as free symbols)
    variables : names of the variables of f, in order
    lr : (K,) float64 learning rates
    task : a :class:`GDTask` or an :class:`OrbitsTask`
    params : ((name, (v_1, …)), …) — exact values of each swept parameter
    box, grid : ((lo, hi) per variable) and (N per variable) of a box grid of starts
    points : (m, n) float64 starts (instead of a box grid); None for OrbitsTask
    seed : the seed of every cell's random numbers (OrbitsTask starts)
    engine : the float64 GD engine of every run: "numpy", "numba" or "auto" (chosen once
        for the whole sweep by :func:`lrtheory.sweeps.run_sweep`)
    """

    expr: Any
    variables: tuple
    lr: Any
    task: Any
    params: tuple = ()
    box: tuple | None = None
    grid: tuple | None = None
    points: Any = None
    seed: int = 0
    engine: str = "auto"

    _repr_skip = ("points",)

    # ---- construction ---------------------------------------------------------------
    @classmethod
    def of(cls, objective, variables=None, lr=1.0, *, task=None, params=None, box=None,
           grid=None, x0=None, seed: int = 0, engine: str = "auto") -> "Sweep":
        """A sweep of ``task`` (default ``GDTask()``) over the learning rates ``lr`` (a
        number or a sequence), the parameter values ``params`` ({name: values}; the names
        are symbols of the objective) and the starts: ``x0`` (points, shape (m, n)) or the
        box grid ``box`` ((lo, hi), or one pair per variable) × ``grid`` (N, or one N per
        variable).  ``objective`` is an :class:`~lrtheory.objectives.Objective` or an
        expression (text or sympy) in ``variables`` and the parameters."""
        from ..objectives import Objective
        from ..parsing import parse_variables, to_expr
        task = GDTask() if task is None else task
        if not isinstance(task, (GDTask, OrbitsTask)):
            raise InputError(f"task must be a GDTask or an OrbitsTask, got {task!r}")
        pnames = tuple(params or {})
        if isinstance(objective, Objective):
            names = tuple(v.name for v in objective.vars)
            expr = objective.expr
        else:
            if variables is None:
                raise InputError("give the variables of the objective, e.g. variables='x,y'")
            syms = parse_variables(variables) if isinstance(variables, str) \
                else parse_variables(list(variables))
            names = tuple(s.name for s in syms)
            psyms = parse_variables(list(pnames)) if pnames else ()
            if not isinstance(objective, (str, sp.Basic)):
                raise InputError("objective must be an Objective, text or a sympy expression")
            expr = to_expr(objective, syms + psyms, "objective")
        _check_names(names, pnames)
        free = {s.name for s in expr.free_symbols}
        unknown = free - set(names) - set(pnames)
        if unknown:
            raise InputError(f"objective has symbols {sorted(unknown)} that are neither "
                             "variables nor swept parameters")
        missing = [p for p in pnames if p not in free]
        if missing:
            raise InputError(f"swept parameters {missing} do not occur in the objective")
        lr = np.atleast_1d(np.asarray(lr, dtype=float))
        if lr.ndim != 1 or not len(lr) or not np.all(np.isfinite(lr)) or np.any(lr <= 0):
            raise InputError("learning rates must be a non-empty list of positive numbers")
        pvals = tuple((p, _param_values(p, params[p])) for p in pnames)
        box_, grid_, points = None, None, None
        if isinstance(task, GDTask):
            box_, grid_, points = _starts(names, box, grid, x0)
        if engine not in ("auto", "numpy", "numba"):
            raise InputError(f"unknown engine {engine!r}: use 'auto', 'numpy' or 'numba'")
        sweep = cls(expr, names, lr, task, pvals, box_, grid_, points, int(seed), engine)
        sweep.check_size()
        return sweep

    # ---- the grid -------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return len(self.variables)

    @property
    def param_names(self) -> tuple:
        return tuple(p for p, _ in self.params)

    @property
    def start_dims(self) -> tuple:
        """The axes of the starts: the variables (box grid) or ``("start",)``; none for an
        :class:`OrbitsTask`."""
        if isinstance(self.task, OrbitsTask):
            return ()
        return tuple(self.variables) if self.points is None else ("start",)

    @property
    def grid_dims(self) -> tuple:
        """The swept axes, in the order of the dataset: lr, parameters, starts."""
        return ("lr",) + self.param_names + self.start_dims

    @property
    def continued(self) -> bool:
        return isinstance(self.task, GDTask) and self.task.continued

    @property
    def cell_dims(self) -> tuple:
        """The axes numbered into cells (a continued task runs all of lr in one cell)."""
        return self.grid_dims[1:] if self.continued else self.grid_dims

    def axis_values(self, dim: str) -> np.ndarray:
        """The values along a swept axis (float64; ``start``: 0..m−1)."""
        if dim == "lr":
            return np.asarray(self.lr, dtype=float)
        for p, vals in self.params:
            if p == dim:
                return np.array([float(v) for v in vals])
        if dim == "start":
            return np.arange(len(self.points), dtype=np.int32)
        i = self.variables.index(dim)
        (lo, hi), N = self.box[i], self.grid[i]
        return np.linspace(lo, hi, N)

    @property
    def cell_shape(self) -> tuple:
        return tuple(len(self.axis_values(d)) for d in self.cell_dims)

    @property
    def cells(self) -> int:
        return math.prod(self.cell_shape)

    def outputs(self) -> list:
        """``(name, extra dims, extra sizes, dtype)`` of each data variable per cell (a
        continued task has lr as its first extra dimension)."""
        outs = self.task.outputs(self.dim, self.variables)
        if not self.continued:
            return outs
        K = len(self.lr)
        return [(n, ("lr",) + d, (K,) + s, t) for n, d, s, t in outs]

    def dataset_bytes(self) -> int:
        """Bytes of the data variables of the whole sweep: cells × Σ (extra sizes ×
        item size), a string record counted as :data:`RECORD_BYTES`."""
        per_cell = sum(math.prod(sizes) * (RECORD_BYTES if dtype is str
                                           else np.dtype(dtype).itemsize)
                       for _, _, sizes, dtype in self.outputs())
        return self.cells * per_cell

    def check_size(self) -> None:
        """:class:`InputError` when the sweep has more cells than
        :data:`~lrtheory.limits.MAX_SWEEP_CELLS` or its dataset more bytes than
        :data:`~lrtheory.limits.MAX_SWEEP_BYTES` — checked before any run starts."""
        from .. import limits
        shape = " × ".join(f"{d} {n}" for d, n in zip(self.grid_dims, self.grid_shape))
        cells = math.prod(self.grid_shape)
        if cells > limits.MAX_SWEEP_CELLS:
            raise InputError(f"the sweep has {cells} cells ({shape}), more than the limit "
                             f"of {limits.MAX_SWEEP_CELLS} (MAX_SWEEP_CELLS): use fewer "
                             "learning rates or grid points")
        size = self.dataset_bytes()
        if size > limits.MAX_SWEEP_BYTES:
            raise InputError(f"the sweep's dataset would take {size / 2**30:.3g} GiB "
                             f"({shape}), more than the limit of "
                             f"{limits.MAX_SWEEP_BYTES / 2**30:g} GiB (MAX_SWEEP_BYTES): use "
                             "fewer learning rates, grid points or kept iterates")

    @property
    def grid_shape(self) -> tuple:
        """The number of values along each swept axis (:attr:`grid_dims`)."""
        sizes = {"lr": len(self.lr), **{p: len(v) for p, v in self.params}}
        if self.points is not None:
            sizes["start"] = len(self.points)
        elif self.grid is not None:
            sizes.update(zip(self.variables, self.grid))
        return tuple(sizes[d] for d in self.grid_dims)

    # ---- what one cell runs ---------------------------------------------------------
    def unravel(self, start: int, stop: int) -> dict:
        """Indices along every cell axis of the cells start..stop−1."""
        sub = np.unravel_index(np.arange(start, stop), self.cell_shape)
        return dict(zip(self.cell_dims, sub))

    def starts_of(self, sub: dict) -> np.ndarray:
        """The start x_0 (rows (m, n)) of each cell of ``sub``."""
        if self.points is not None:
            return np.asarray(self.points, dtype=float)[sub["start"]]
        return np.stack([self.axis_values(v)[sub[v]] for v in self.variables], axis=1)

    def combos_of(self, sub: dict) -> np.ndarray:
        """The flat index of the parameter values of each cell of ``sub``."""
        if not self.params:
            return np.zeros(len(next(iter(sub.values()))), dtype=np.int64)
        shape = tuple(len(v) for _, v in self.params)
        return np.ravel_multi_index(tuple(sub[p] for p in self.param_names), shape)

    def objective(self, combo: int = 0):
        """The :class:`~lrtheory.objectives.Objective` at the parameter values numbered
        ``combo`` (cached in each process)."""
        values = ()
        if self.params:
            shape = tuple(len(v) for _, v in self.params)
            idx = np.unravel_index(int(combo), shape)
            values = tuple((p, vals[i]) for (p, vals), i in zip(self.params, idx))
        return _objective(self.expr, tuple(self.variables), values)

    def param_point(self, combo: int) -> dict:
        """{name: exact value} of the parameter values numbered ``combo``."""
        if not self.params:
            return {}
        shape = tuple(len(v) for _, v in self.params)
        idx = np.unravel_index(int(combo), shape)
        return {p: vals[i] for (p, vals), i in zip(self.params, idx)}


@lru_cache(maxsize=64)
def _objective(expr, variables: tuple, values: tuple):
    """The objective with the parameters substituted; one instance per process, so that
    its compiled evaluators (numpy, numba) are built once per worker."""
    from ..objectives import Objective
    syms = {s.name: s for s in expr.free_symbols}
    subs = {syms[p]: v for p, v in values if p in syms}
    variables = tuple(syms.get(v, sp.Symbol(v, real=True)) for v in variables)
    return Objective(expr.xreplace(subs) if subs else expr, variables)


def _check_names(names: tuple, pnames: tuple) -> None:
    clash = [n for n in names + pnames if n in RESERVED_DIMS]
    if clash:
        raise InputError(f"names {clash} are dimensions of a sweep's dataset "
                         f"({', '.join(RESERVED_DIMS)}): rename them")
    both = set(names) & set(pnames)
    if both:
        raise InputError(f"{sorted(both)} are both variables and swept parameters")


def _param_values(name: str, values) -> tuple:
    from ..numbers import convert
    if isinstance(values, (str, bytes)) or np.ndim(values) == 0:
        values = [values]
    vals = tuple(convert(v, f"value of {name}") for v in values)
    if not vals:
        raise InputError(f"parameter {name} has no values")
    return vals


def _starts(names: tuple, box, grid, x0):
    """(box, grid, points) of the starts: given points, or a box grid."""
    if x0 is not None:
        if box is not None or grid is not None:
            raise InputError("give starts as points (x0) or as a box grid (box, grid), "
                             "not both")
        P = np.atleast_2d(np.asarray(x0, dtype=float))
        if P.ndim != 2 or P.shape[1] != len(names) or not len(P):
            raise InputError(f"starts must have shape (m, {len(names)}), got {P.shape}")
        if not np.all(np.isfinite(P)):
            raise InputError("starts must be finite")
        return None, None, P
    if box is None:
        raise InputError("give the starts: points (x0) or a box grid (box, grid)")
    box = _pairs(box, names)
    grid = (grid,) * len(names) if np.ndim(grid) == 0 else tuple(grid)
    if grid == (None,) * len(names) or len(grid) != len(names):
        raise InputError(f"grid needs one size, or one per variable ({len(names)})")
    if any(int(g) < 1 for g in grid):
        raise InputError(f"grid sizes must be >= 1, got {grid}")
    return box, tuple(int(g) for g in grid), None


def chunk_bounds(cells: int, size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each chunk of ``size`` consecutive cells."""
    size = max(1, int(size))
    return [(a, min(a + size, cells)) for a in range(0, cells, size)]


def cell_seed(seed: int, index: int) -> int:
    """The 32-bit seed of cell ``index``: ``SeedSequence(seed, spawn_key=(index,))``."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(int(index),))
    return int(ss.generate_state(1, np.uint32)[0])
