"""The compiled float64 engine of :mod:`lrtheory.gd` (numba, optional).

From the objective's exact gradient and Hessian, sympy's Python printer writes the GD map
G_h(x) = x − h∇f(x) and the tangent map DG_h(x) = I − h∇²f(x) as straight-line ``math``
code over scalar locals (common subexpressions shared), which is spliced into the loop
below and compiled with ``numba.njit``.  The loop does exactly what the numpy engine does
(:class:`lrtheory.gd.kernel._Plan`) for every start: take one QR step of the tangent frame
(modified Gram–Schmidt, the same operation order), step, set the state to nan when it
leaves the ball of radius ``blowup``, and record the new state (trajectory row, ring
buffer of the last states, streaming moments and histogram).

The starts are taken in blocks of :data:`BLOCK`: the step loop runs outside, the block's
starts inside (``for s: for b in block: x_b ← G_h(x_b)``), with the block's state in
small arrays, so LLVM vectorizes the step across starts (SIMD lanes are starts; each lane
does the scalar operations of its start, so the numbers are those of a one-start loop,
bit for bit).  Recording is a separate loop over the block after the step, entered only
at the steps that record: the trajectory every ``every`` steps (layout (K, M, nc), time
first), the ring only at the last L states of a chunk (layout (L, n, M), coordinates
before starts, as the compiled classifier reads it), the statistics every ``thin`` steps.

Each variant of the loop (:class:`Variant`: which records are kept, and the kept
coordinates) is generated on its own, so a run pays only for what it records.  Up to
:data:`UNROLL` dimensions the tangent frame, the Lyapunov sums and the moments are scalar
locals of the loop body, kept between steps in block arrays (one slot per start); above,
in small per-start arrays.  A run's state is read from and written back to the plan's
arrays once per start and chunk, never per step.

The compiled kernels are cached on the Objective (attribute ``gd_kernel``, dropped when
the objective is pickled).  numba is imported only when a kernel is first built.  An
objective whose expressions do not print as ``math`` code (or that numba rejects) has no
kernel: :func:`kernel_for` returns None and the numpy engine runs.
"""
from __future__ import annotations

import textwrap
from typing import NamedTuple

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from ..errors import InputError

__all__ = ["kernel_for", "kernel_source", "Variant", "empty", "MAX_DIM", "UNROLL", "BLOCK"]

#: Objectives with more variables run on the numpy engine (scalar locals per coordinate).
MAX_DIM = 48
#: Frames and moments of at most this many coordinates are unrolled into scalar locals.
UNROLL = 4
#: Starts stepped together in the inner loop (the step loop runs outside it): the state
#: of a block — 512 starts × (n coordinates + accumulators) × 8 bytes, 4 KiB per
#: coordinate — stays in the L1/L2 cache, and the compiler vectorizes the step across
#: starts.  Every start does the same floating-point operations in the same order
#: whatever the block size (BLOCK = 1 is the one-start-at-a-time loop), so the results do
#: not depend on it.
BLOCK = 512
_ATTR = "gd_kernel"
_FAILED = "failed"


class Variant(NamedTuple):
    """What one compiled loop records (the cache key of a kernel)."""

    lyapunov: bool = True
    trajectory: bool = True
    ring: bool = True
    ball: bool = True
    checkpoints: bool = True
    moments: bool = True
    histogram: bool = True
    classify: bool = False    # label each block's runs from its last states (one chunk)
    coords: tuple = ()        # the kept coordinates (empty: all)


#: Argument list of every kernel; the plan passes them in this order (see ``_arguments``).
_ARGS = ("X0, X, bad, H, hstride, s0, s1, T, blowup, save, every, traj, L, ring, Q, sums, "
         "ck_index, running, thin, mom1, mom2, mn, mx, hist, hlo, hscale, hbins, hgroups, "
         "block, window, tol, maxp, periods, bounded")

_TEMPLATE = """
def chunk({args}):
    M = X0.shape[0]
    keep = X.shape[0] > 0
    nan = math.nan
    n = {n}
    B = max(1, min(block, M))
    tlast = s1 - T
{alloc}
    for j0 in range(0, M, B):
        nb = min(B, M - j0)
        for b in range(nb):
            j = j0 + b
{load}
        if s0 == 0 and T == 0:
            t = 0
{record0}
        for s in range(s0, s1):
{advance}
            t = s + 1 - T
            if t >= 0:
{record}
{classify}
        for b in range(nb):
            j = j0 + b
{save}
"""

#: The QR step of the tangent frame for n > UNROLL, in local arrays: V = J·Q, modified
#: Gram–Schmidt, log|R_ii| (Qm and ls are the frame and sums of the start in hand).
_QR_LOOP = """\
for col in range(n):
    for r in range(n):
        acc = 0.0
        for c in range(n):
            acc += Jm[r, c] * Qm[c, col]
        Vm[r, col] = acc
for i in range(n):
    for k in range(i):
        d = 0.0
        for r in range(n):
            d += Qm[r, k] * Vm[r, i]
        for r in range(n):
            Vm[r, i] = Vm[r, i] - d * Qm[r, k]
    nrm = 0.0
    for r in range(n):
        nrm += Vm[r, i] * Vm[r, i]
    nrm = math.sqrt(nrm)
    for r in range(n):
        Qm[r, i] = Vm[r, i] / nrm
    ls[i] += math.log(nrm)"""


def _ind(text: str, k: int) -> str:
    return textwrap.indent(text, " " * k)


def _dot(terms) -> str:
    """a0*b0 + a1*b1 + …, summed left to right (the numpy engine's order)."""
    return " + ".join(f"{a} * {b}" for a, b in terms)


class _Names:
    """Names of the per-run state in the generated code: scalar locals up to UNROLL
    coordinates, elements of local (frame) or output (moments) arrays above; and where
    each lives between steps (:meth:`kept`): a scalar local ``v`` in the block array
    ``v_b`` at the start's slot b, a frame entry in the block arrays ``Qb``/``lsb``."""

    def __init__(self, n: int, coords: tuple):
        self.n, self.coords = n, coords
        self.small_frame = n <= UNROLL
        self.small_stats = len(coords) <= UNROLL

    def q(self, r, c):
        return f"q_{r}_{c}" if self.small_frame else f"Qm[{r}, {c}]"

    def lsum(self, i):
        return f"l_{i}" if self.small_frame else f"ls[{i}]"

    def m1(self, k):
        return f"m1_{k}" if self.small_stats else f"mom1[j, {k}]"

    def m2(self, k, l):
        return f"m2_{k}_{l}" if self.small_stats else f"mom2[j, {k}, {l}]"

    def lo(self, k):
        return f"lo_{k}" if self.small_stats else f"mn[j, {k}]"

    def hi(self, k):
        return f"hi_{k}" if self.small_stats else f"mx[j, {k}]"

    @staticmethod
    def kept(name: str) -> str:
        """Where the per-run quantity ``name`` is kept between steps."""
        if name.startswith("Qm["):
            return "Qb[b, " + name[3:]
        if name.startswith("ls["):
            return "lsb[b, " + name[3:]
        return name if "[" in name else f"{name}_b[b]"


def _qr_unrolled(n: int) -> list[str]:
    """One QR step in scalar locals: v = J·q column by column, then modified Gram–Schmidt
    (the new columns q_·k, k < i, project out of v_·i in turn), l_i += log‖v_·i‖."""
    lines = [f"v_{r}_{c} = {_dot((f'j_{r}_{k}', f'q_{k}_{c}') for k in range(n))}"
             for c in range(n) for r in range(n)]
    for i in range(n):
        for k in range(i):
            lines.append(f"d = {_dot((f'q_{r}_{k}', f'v_{r}_{i}') for r in range(n))}")
            lines += [f"v_{r}_{i} = v_{r}_{i} - d * q_{r}_{k}" for r in range(n)]
        lines.append(f"nrm = math.sqrt({_dot((f'v_{r}_{i}', f'v_{r}_{i}') for r in range(n))})")
        lines += [f"q_{r}_{i} = v_{r}_{i} / nrm" for r in range(n)]
        lines.append(f"l_{i} += math.log(nrm)")
    return lines


def _block_loop(body: list[str], state: list[str], n: int, per_run: bool = False) -> str:
    """``for b in range(nb)`` over the block's starts: load the state x0, … and the per-run
    quantities ``state`` (scalar locals) from the block arrays, run ``body``, store them
    back (the state only when ``body`` steps it; ``per_run``: the start's index j is
    needed, and the state is only read)."""
    xs = [f"x{i}" for i in range(n)]
    lines = ["j = j0 + b"] if per_run else []
    lines += [f"{v} = {_Names.kept(v)}" for v in xs + state]
    lines += body + [f"{_Names.kept(v)} = {v}" for v in ([] if per_run else xs) + state]
    return "for b in range(nb):\n" + _ind("\n".join(lines), 4)


def _step_lines(step: list[str], ball: str) -> list[str]:
    return ["h = hb[b]"] + step + (ball.splitlines() if ball else [])


def _advance_block(n: int, v: Variant, names: _Names, step: list[str], ball: str,
                   jac_lines: list[str]) -> str:
    """One step s of every start of the block: with the tangent QR step from the state
    s_t (t = s − T ≥ 0) when Lyapunov exponents are recorded.  In one dimension
    |R| = |J·q| = |J| exactly (the frame q is ±1): no frame is kept."""
    plain = _block_loop(_step_lines(step, ball), [], n)
    if not v.lyapunov:
        return plain
    if n == 1:
        tangent, state, large = jac_lines + ["l_0 += math.log(abs(j_0_0))"], ["l_0"], False
    elif names.small_frame:
        tangent = jac_lines + _qr_unrolled(n)
        state = [f"l_{i}" for i in range(n)] + \
            [f"q_{r}_{c}" for r in range(n) for c in range(n)]
        large = False
    else:
        tangent = ["Qm = Qb[b]", "ls = lsb[b]"] + jac_lines + \
            [f"Jm[{r}, {c}] = j_{r}_{c}" for r in range(n) for c in range(n)] + \
            _QR_LOOP.splitlines()
        state, large = [], True
    body = ["h = hb[b]"] + tangent + _step_lines(step, ball)[1:]
    lines = ["if s >= T:", _ind(_block_loop(body, state, n), 4)]
    if v.checkpoints:
        kept = (lambda i: f"lsb[b, {i}]") if large else (lambda i: f"l_{i}_b[b]")
        lines += ["    ci = ck_index[s + 1 - T]", "    if ci >= 0:",
                  "        for b in range(nb):"]
        lines += [f"            running[ci, j0 + b, {i}] = {kept(i)} / (s + 1 - T)"
                  for i in range(n)]
    lines += ["else:", _ind(plain, 4)]
    return "\n".join(lines)


#: One histogram count of the value v in coordinate k (nan is not counted).
_HIST = """\
if {v} == {v}:
    bk = np.floor(({v} - hlo) * hscale)
    ib = 0 if bk < 0.0 else (hbins + 1 if bk >= hbins else int(bk) + 1)
    hist[g, {k}, ib] += 1"""

#: The moments of the sampled value v = xv[k] for more than UNROLL coordinates, in the
#: output arrays (second moments above the diagonal, in the order of the unrolled code).
_MOMENTS_LOOP = """\
mom1[j, k] += v
if v < mn[j, k]:
    mn[j, k] = v
if v > mx[j, k]:
    mx[j, k] = v
for l in range(k, xv.shape[0]):
    mom2[j, k, l] += v * xv[l]"""


def _moment_names(v: Variant, names: _Names) -> list[str]:
    """The scalar locals of the streaming moments (none above UNROLL coordinates)."""
    if not (v.moments and names.small_stats):
        return []
    nc = len(v.coords)
    return [f"{f}_{k}" for k in range(nc) for f in ("m1", "lo", "hi")] + \
        [f"m2_{k}_{l}" for k in range(nc) for l in range(k, nc)]


def _record_block(n: int, v: Variant, names: _Names) -> str:
    """Record the state s_t of every start of the block at recorded step t: a trajectory
    row (t ≡ 0 mod every), the ring of the last L states — written only for the last L
    states of the chunk, t > tlast − L, the only ones read after it —, and the streaming
    statistics (t ≡ 0 mod thin)."""
    lines = []
    if v.trajectory:
        lines += ["if every == 1 or t % every == 0:", "    te = t // every",
                  "    for b in range(nb):"]
        lines += [f"        traj[te, j0 + b, {k}] = x{c}_b[b]" for k, c in enumerate(v.coords)]
    if v.ring or v.classify:   # the plan's ring, else the block's own
        at = "ring[rr, {i}, j0 + b]" if v.ring else "lring[rr, {i}, b]"
        lines += ["if t > tlast - L:", "    rr = t % L", "    for b in range(nb):"]
        lines += ["        " + at.format(i=i) + f" = x{i}_b[b]" for i in range(n)]
    if not (v.moments or v.histogram):
        return "\n".join(lines) if lines else "pass"
    stats = ["g = j if hgroups == 0 else j % hgroups"] if v.histogram else []
    if not names.small_stats:
        stats += [f"xv[{k}] = x{c}" for k, c in enumerate(v.coords)]
        stats += [f"for k in range({len(v.coords)}):", "    v = xv[k]"]
        if v.moments:
            stats += _ind(_MOMENTS_LOOP, 4).splitlines()
        if v.histogram:
            stats += _ind(_HIST.format(v="v", k="k"), 4).splitlines()
    else:
        if v.moments:
            for k, c in enumerate(v.coords):
                stats += [f"{names.m1(k)} += x{c}",
                          f"if x{c} < {names.lo(k)}:", f"    {names.lo(k)} = x{c}",
                          f"if x{c} > {names.hi(k)}:", f"    {names.hi(k)} = x{c}"]
                stats += [f"{names.m2(k, l)} += x{c} * x{d}"
                          for l, d in enumerate(v.coords) if l >= k]
        if v.histogram:
            for k, c in enumerate(v.coords):
                stats += _HIST.format(v=f"x{c}", k=k).splitlines()
    lines.append("if thin == 1 or t % thin == 0:")
    lines.append(_ind(_block_loop(stats, _moment_names(v, names), n, per_run=True), 4))
    return "\n".join(lines)


def _accumulators(n: int, v: Variant, names: _Names) -> list[tuple]:
    """(name in the loop, initial value, plan array element) of every per-run
    accumulator: Lyapunov sums, tangent frame, moments."""
    acc = []
    if v.lyapunov:
        acc += [(names.lsum(i), "0.0", f"sums[j, {i}]") for i in range(n)]
    if v.lyapunov and n > 1:
        acc += [(names.q(r, c), str(float(r == c)), f"Q[j, {r}, {c}]")
                for r in range(n) for c in range(n)]
    nc = len(v.coords)
    if v.moments:
        for k in range(nc):
            acc += [(names.m1(k), "0.0", f"mom1[j, {k}]"),
                    (names.lo(k), "math.inf", f"mn[j, {k}]"),
                    (names.hi(k), "-math.inf", f"mx[j, {k}]")]
        acc += [(names.m2(k, l), "0.0", f"mom2[j, {k}, {l}]")
                for k in range(nc) for l in range(k, nc)]
    return acc


def _load_save(n: int, v: Variant, names: _Names) -> tuple[str, str]:
    """Code that reads one start's state into the block arrays at the start of a chunk
    and writes it back at the end (a state that is not finite becomes nan in every
    coordinate and marks the run bad).  The accumulators (Lyapunov sums, frame, moments)
    start from their initial values in the first chunk — the plan's arrays are not
    initialised — and from the arrays after; the frame is written back only when a
    later chunk needs it (``save``)."""
    load = ["hb[b] = H[j * hstride]"] + [f"x{i}_b[b] = X0[j, {i}]" for i in range(n)]
    acc = _accumulators(n, v, names)
    first = [f"    {names.kept(name)} = {init}" for name, init, _ in acc]
    later = [f"    {names.kept(name)} = {elem}" for name, _, elem in acc
             if names.kept(name) != elem]
    load += ["if s0 == 0:"] + (first or ["    pass"]) + (["else:"] + later if later else [])
    finite = " and ".join(f"math.isfinite(x{i})" for i in range(n))
    save = [f"x{i} = x{i}_b[b]" for i in range(n)]
    save += [f"bad[j] = not ({finite})", "if bad[j]:"]
    save += [f"    x{i} = nan" for i in range(n)]
    save += ["if keep:"] + [f"    X[j, {i}] = x{i}" for i in range(n)]
    kept = [(names.kept(name), elem) for name, _, elem in acc
            if names.kept(name) != elem]
    save += [f"{elem} = {k}" for k, elem in kept if not elem.startswith("Q[")]
    if v.lyapunov and n > 1:
        save += ["if save:"] + [f"    {elem} = {k}" for k, elem in kept
                                if elem.startswith("Q[")]
    if v.moments:          # the second moments are accumulated above the diagonal
        nc = len(v.coords)
        save += [f"mom2[j, {l}, {k}] = mom2[j, {k}, {l}]"
                 for k in range(nc) for l in range(k + 1, nc)]
    return "\n".join(load), "\n".join(save)


def _allocations(n: int, v: Variant, names: _Names) -> list[str]:
    """The block arrays (one slot per start of a block) and the scratch of the loops."""
    blocks = ["hb"] + [f"x{i}_b" for i in range(n)]
    blocks += [names.kept(name)[:-3] for name, _, _ in _accumulators(n, v, names)
               if names.kept(name).endswith("_b[b]")]
    lines = [f"{a} = np.empty(B)" for a in blocks]
    if v.lyapunov and not names.small_frame:
        lines += ["Jm = np.empty((n, n))", "Vm = np.empty((n, n))", "Qb = np.empty((B, n, n))",
                  "lsb = np.empty((B, n))"]
    if (v.moments or v.histogram) and not names.small_stats:
        lines.append(f"xv = np.empty({len(v.coords)})")
    if v.classify:
        lines.append("order = np.empty(L, dtype=np.int64)")
        if not v.ring:
            lines.append("lring = np.empty((L, n, B))")
    return lines


def _classify_block(v: Variant) -> str:
    """Label the block's runs from their last min(window, tlast + 1) states while these
    are in cache (:func:`lrtheory.gd.classify.compiled_runs`; the plan's ring when it is
    kept, else the block's own)."""
    if not v.classify:
        return ""
    src = "ring, j0" if v.ring else "lring, 0"
    return "\n".join([
        "kc = min(window, tlast + 1)",
        "for i in range(kc):",
        "    order[i] = (tlast - kc + 1 + i) % L",
        f"classify_runs({src}, order[:kc], tol, min(maxp, kc - 1), blowup, periods, "
        "bounded, j0, nb)"])


def kernel_source(obj, variant: Variant | None = None) -> str:
    """The Python source of the block loop for ``obj`` recording what ``variant`` names
    (default: everything, all coordinates); raises ValueError when an expression does not
    print as ``math`` code."""
    n = obj.dim
    v = variant or Variant()
    if not v.coords:
        v = v._replace(coords=tuple(range(n)))
    names = _Names(n, v.coords)
    xs = [sp.Symbol(f"x{i}") for i in range(n)]
    sub = dict(zip(obj.vars, xs))
    printer = PythonCodePrinter({"fully_qualified_modules": True, "strict": True})

    def block(exprs, targets):
        temps, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("c_"))
        lines = [f"{t} = {printer.doprint(e)}" for t, e in temps]
        lines += [f"{t} = {printer.doprint(e)}" for t, e in zip(targets, reduced)]
        if any("Not supported" in ln for ln in lines):
            raise ValueError("expression does not print as math code")
        return lines

    step = block([g.xreplace(sub) for g in obj.gradient], [f"g{i}" for i in range(n)])
    step += [f"x{i} = x{i} - h * g{i}" for i in range(n)]
    jac = []
    if v.lyapunov:
        jac = block([e.xreplace(sub) for e in obj.hessian], [f"hh{i}" for i in range(n * n)])
        jac += [f"j_{i // n}_{i % n} = {'1.0 - ' if i // n == i % n else '-'}h * hh{i}"
                for i in range(n * n)]
    ball = ""
    if v.ball:
        inside = " & ".join(f"(abs(x{i}) <= blowup)" for i in range(n))   # no branches
        ball = f"if not ({inside}):\n" + "\n".join(f"    x{i} = nan" for i in range(n))
    load, save = _load_save(n, v, names)
    record = _record_block(n, v, names)
    return _TEMPLATE.format(
        args=_ARGS, n=n, alloc=_ind("\n".join(_allocations(n, v, names)), 4),
        load=_ind(load, 12), record0=_ind(record, 12),
        advance=_ind(_advance_block(n, v, names, step, ball, jac), 12),
        record=_ind(record, 16), classify=_ind(_classify_block(v), 8), save=_ind(save, 12))


def _build(obj, variant: Variant):
    import math

    import numba
    from .classify import compiled_runs
    ns = {"math": math, "np": np, "classify_runs": compiled_runs()}
    exec(compile(kernel_source(obj, variant), f"<lrtheory.gd kernel for {obj.name}>",
                 "exec"), ns)
    fn = numba.njit(cache=False, nogil=True, error_model="numpy")(ns["chunk"])
    _warm_up(fn, obj.dim, len(variant.coords) or obj.dim)
    return fn


def variant_of(plan) -> Variant:
    """The kernel variant a float64 plan needs."""
    rec = plan.rec
    return Variant(bool(rec.lyapunov), plan.every > 0, plan.ring_kept(),
                   bool(np.isfinite(plan.blowup)), len(plan.checkpoints) > 0,
                   bool(rec.moments), rec.histogram is not None, plan.classify_in_kernel(),
                   tuple(int(c) for c in plan.coords))


def kernel_for(obj, plan, strict: bool = False):
    """``run(s0, s1, save)`` advancing the float64 ``plan`` from step s0 to s1 with the
    compiled loop (``save``: keep the tangent frames for a later chunk), or None when
    ``obj`` has no kernel (``strict``: raise :class:`InputError` instead).  Each variant is
    compiled once per objective, on first use."""
    cache = obj.__dict__.setdefault(_ATTR, {})
    variant = variant_of(plan)
    if variant not in cache:
        try:
            if obj.dim > MAX_DIM:
                raise ValueError("too many variables")
            cache[variant] = _build(obj, variant)
        except Exception:  # an expression does not print as math code, or numba refused
            cache[variant] = _FAILED
    fn = cache[variant]
    if isinstance(fn, str):
        if strict:
            raise InputError(f"no compiled GD kernel for {obj.name} (an expression does not "
                             f"print as math code, numba refused it, or it has more than "
                             f"{MAX_DIM} variables): use engine='numpy'")
        return None

    def run(s0, s1, save):
        fn(*_arguments(plan, s0, s1, save))
    return run


def _arguments(plan, s0: int, s1: int, save: bool) -> tuple:
    """The kernel's arguments (:data:`_ARGS`) from the plan's arrays, with fixed types."""
    hist, lo, scale, bins, groups = plan.hist_args()
    X0, X, bad = plan.kernel_state()
    return (X0, X, bad, plan.H, int(len(plan.H) > 1), int(s0), int(s1), int(plan.T),
            float(plan.blowup), bool(save),
            max(int(plan.every), 1), plan.traj, max(int(plan.L), 1), plan.ring,
            plan.frames(save), plan.sums, plan.ck_index, plan.running, int(plan.thin),
            plan.mom1, plan.mom2, plan.mn, plan.mx, hist, lo, scale, bins, groups,
            int(BLOCK), int(plan.window), float(plan.rec.tol), int(plan.rec.max_period),
            plan.periods, plan.bounded)


_ALLOCATORS: dict = {}


def empty(shape, dtype=np.float64) -> np.ndarray:
    """An uninitialised C-contiguous array from numba's allocator, as a hand-written numba
    loop allocates its outputs.  numpy advises transparent huge pages for arrays of 4 MB
    and more; where the host compacts memory on such faults (THP defrag "madvise") the
    first touch of the pages costs more than the loop that fills them (measured: a run
    of 10⁶ starts × 10 steps with streaming moments took 2.3× the CPU time with numpy's
    arrays)."""
    dtype = np.dtype(dtype)
    fn = _ALLOCATORS.get(dtype)
    if fn is None:
        import numba
        kind = numba.from_dtype(dtype)
        fn = _ALLOCATORS[dtype] = numba.njit(lambda size: np.empty(size, kind))
    return fn(int(np.prod(shape, dtype=np.int64))).reshape(shape)


def _warm_up(fn, n: int, nc: int):
    """Compile for the argument types every call uses (errors surface here)."""
    z = np.zeros
    with np.errstate(all="ignore"):
        fn(z((1, n)), z((1, n)), np.zeros(1, dtype=np.bool_), np.ones(1), 0, 0, 1, 0,
           np.inf, False, 1, z((2, 1, nc)), 1,
           z((1, n, 1)), z((1, n, n)), z((1, n)), np.full(2, -1, dtype=np.int64),
           z((0, 1, n)), 1, z((1, nc)), z((1, nc, nc)), np.full((1, nc), np.inf),
           np.full((1, nc), -np.inf), z((1, nc, 3), dtype=np.int64), 0.0, 1.0, 1, 0, 1,
           1, 1e-9, 1, np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.bool_))
