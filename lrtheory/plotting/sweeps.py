"""Pictures of GD over ranges: orbit diagrams, basin maps, convergence maps, cobwebs, GD
against its modified flow, sharpness against 2/h, phase portraits with certified orbits.

Each function takes ``ax=None`` (a new figure when None, :func:`lrtheory.plotting.axes_or_new`),
draws, and returns the Axes; nothing changes the backend or rcParams, so they work inline
in Jupyter and in scripts.  Sweep pictures read an :class:`xarray.Dataset` of
:func:`lrtheory.sweeps.run_sweep`; the others compute what they draw with
:func:`lrtheory.gd.run_gd` and :mod:`lrtheory.modeq`.  Categories are coloured the same
everywhere: converged — greens (minimizer sets in the tab10 colours in basin maps),
period p — the warm colours, aperiodic (chaotic or quasi-periodic) — black, divergent —
white.
"""
from __future__ import annotations

from ..aliases import lr_keyword

__all__ = ["plot_sweep", "plot_diagram", "plot_basins", "plot_convergence_map",
           "plot_cobweb", "plot_modified_flow", "plot_sharpness",
           "plot_sharpness_trajectory", "plot_phase_portrait", "plot_orbit_counts"]

_APERIODIC, _DIVERGENT, _CONVERGED = "#111111", "#ffffff", "#4daf4a"
_PERIODIC = ("#e41a1c", "#ff7f00", "#984ea3", "#a65628", "#f781bf", "#377eb8", "#999999",
             "#ffff33")


def _period_colour(p: int) -> str:
    return _PERIODIC[(int(p) - 2) % len(_PERIODIC)]


def _objective(objective, variables=None):
    from ..objectives import Objective
    return objective if isinstance(objective, Objective) else Objective(objective, variables)


def _plane(da, x=None, y=None):
    """``da`` reduced to two axes (x, y): the named ones, else the first two swept axes
    longer than one; every other axis at its first value.  Returns (2-D DataArray with
    dims (y, x), x name, y name, the fixed values as text)."""
    from ..errors import InputError
    swept = [d for d in da.dims if d not in ("iterate", "variable", "exponent", "period")]
    long = [d for d in swept if da.sizes[d] > 1]
    x = x or (long[0] if long else swept[0])
    y = y or next((d for d in long if d != x), None)
    if y is None:
        y = next((d for d in swept if d != x), None)
    if y is None or x not in da.dims or y not in da.dims:
        raise InputError(f"a map needs two swept axes; this sweep has {swept}")
    rest = {d: 0 for d in da.dims if d not in (x, y)}
    fixed = ", ".join(f"{d}={da[d].values[0]:.4g}" for d in rest if d in da.coords
                      and da.sizes[d] > 1)
    return da.isel(rest).transpose(y, x), x, y, fixed


def _image(ax, plane, x, y, codes, colours, labels, title):
    """Categorical image of ``codes`` (values 0..k−1) with a legend of ``labels``."""
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch
    xs, ys = plane[x].values.astype(float), plane[y].values.astype(float)
    if len(ys) == 1:  # a strip: one row of cells of height 1
        ys, codes = np.array([ys[0] - 0.5, ys[0] + 0.5]), np.repeat(codes, 2, axis=0)
    if len(xs) == 1:
        xs, codes = np.array([xs[0] - 0.5, xs[0] + 0.5]), np.repeat(codes, 2, axis=1)
    k = len(colours)
    cmap = ListedColormap(list(colours))
    norm = BoundaryNorm(np.arange(-0.5, k + 0.5), k)
    ax.pcolormesh(xs, ys, codes, cmap=cmap, norm=norm, shading="nearest")
    handles = [Patch(facecolor=c, edgecolor="0.4", linewidth=0.5, label=lab)
               for c, lab in zip(colours, labels)]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    ax.set_xlabel(_axis_label(x))
    ax.set_ylabel(_axis_label(y))
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def _axis_label(d: str) -> str:
    return "learning rate $h$" if d == "lr" else f"${d}$" if len(d) == 1 else d


def plot_convergence_map(ds, x: str | None = None, y: str | None = None, ax=None):
    """The long-run behaviour of every cell over two sweep axes ``x``, ``y`` (default: the
    first two swept axes with more than one value; other axes at their first value):
    converged, period p, aperiodic, divergent, one colour each."""
    import numpy as np

    from ..sweeps.diagram import behaviour
    from . import axes_or_new
    ax = axes_or_new(ax)
    plane, x, y, fixed = _plane(ds["label"], x, y)
    lab, per = plane.values, _plane(ds["period"], x, y)[0].values
    kinds = sorted({(int(a), int(p)) for a, p in zip(lab.ravel(), per.ravel())})
    colours = [_CONVERGED if a == 0 else _APERIODIC if a == 2 else _DIVERGENT if a == 3
               else _period_colour(p) for a, p in kinds]
    codes = np.zeros(lab.shape, dtype=int)
    for i, (a, p) in enumerate(kinds):
        codes[(lab == a) & (per == p)] = i
    return _image(ax, plane, x, y, codes, colours, [behaviour(a, p) for a, p in kinds], fixed)


def plot_basins(ds, ax=None, x: str | None = None, y: str | None = None):
    """The basin map of ``ds`` (:func:`lrtheory.sweeps.label_basins` /
    :func:`~lrtheory.sweeps.basin_map`): each start coloured by the minimizer set,
    periodic orbit or fate its run reached, with a legend of the descriptions and the
    fractions of starts.  One-variable sweeps are drawn as a strip over the start axis."""
    import json

    import numpy as np

    from . import axes_or_new
    from ..errors import InputError
    if "basin" not in ds:
        raise InputError("plot_basins needs a dataset with 'basin' (lrtheory.sweeps.label_basins)")
    ax = axes_or_new(ax, 6.4, 4.8)
    table = json.loads(ds["basin"].attrs["flag_descriptions"])
    da = ds["basin"]
    starts = [d for d in da.dims if d != "lr"]
    if da.ndim - sum(da.sizes[d] == 1 for d in da.dims) <= 1 and len(starts) == 1:
        da = da.expand_dims(_row=[0.0])
        plane, x, y, fixed = _plane(da, starts[0], "_row")
        ax.set_yticks([])
    else:
        plane, x, y, fixed = _plane(da, x or starts[0], y or (starts[1] if len(starts) > 1
                                                             else None))
    codes = plane.values
    colours, labels = [], []
    total = codes.size
    minimizers = 0
    for t in table:
        kind = t["kind"]
        if kind == "minimizer":
            colours.append(f"C{minimizers % 10}")
            minimizers += 1
        elif kind == "critical point":
            colours.append("#bbbbbb")
        elif kind == "periodic":
            colours.append(_period_colour(t["period"]))
        else:
            colours.append(_APERIODIC if kind == "aperiodic" else _DIVERGENT)
        share = np.sum(codes == t["code"]) / total if total else 0.0
        labels.append(f"{t['description']} ({100 * share:.1f}%)")
    out = _image(ax, plane, x, y, codes, colours, labels, fixed)
    if y == "_row":
        ax.set_ylabel("")
    return out


def plot_diagram(ds, variable: str | None = None, marks: dict | None = None, ax=None):
    """The orbit diagram of a sweep with ``record="orbit"`` (e.g.
    :func:`lrtheory.sweeps.diagram`): the kept iterates of ``variable`` (default the first)
    against the learning rate, from every start; ``marks`` maps a legend label to an h
    drawn as a vertical line (e.g. bifurcation points)."""
    from ..errors import InputError
    from .dynamics import plot_orbit_diagram
    if "orbit" not in ds:
        raise InputError("plot_diagram needs a sweep with record 'orbit'")
    names = [str(v) for v in ds["variable"].values]
    variable = variable or names[0]
    if variable not in names:
        raise InputError(f"no variable {variable!r}; the variables are {names}")
    orbit = ds["orbit"].sel(variable=variable).transpose("lr", ...)
    values = orbit.values.reshape(ds.sizes["lr"], -1)
    return plot_orbit_diagram({"h": ds["lr"].values, "values": values}, variable, marks, ax=ax)


def plot_sharpness(ds, ax=None):
    """Sharpness λ_max(∇²f) at the limit of every converged run of a sweep with
    ``record="sharpness"`` against the learning rate, with the stability threshold 2/h:
    GD converges only where λ_max ≤ 2/h, and at the edge of stability it sits near it."""
    import numpy as np

    from . import axes_or_new
    from ..errors import InputError
    if "sharpness" not in ds:
        raise InputError("plot_sharpness needs a sweep with record 'sharpness'")
    ax = axes_or_new(ax)
    s = ds["sharpness"].transpose("lr", ...).values.reshape(ds.sizes["lr"], -1)
    lab = ds["label"].transpose("lr", ...).values.reshape(ds.sizes["lr"], -1)
    hs = ds["lr"].values
    H = np.repeat(hs, s.shape[1]).reshape(s.shape)
    ok = lab == 0
    ax.plot(H[ok], s[ok], ".", ms=3, color=_CONVERGED, label="converged runs: $\\lambda_{max}$")
    grid = np.linspace(hs.min(), hs.max(), 200) if len(hs) > 1 else hs
    ax.plot(grid, 2 / grid, "k--", lw=1, label="$2/h$")
    ax.set_xlabel(_axis_label("lr"))
    ax.set_ylabel("sharpness $\\lambda_{max}(\\nabla^2 f)$")
    ax.legend(fontsize=7)
    return ax


@lr_keyword
def plot_sharpness_trajectory(objective, lr, x0, steps: int = 200, ax=None, variables=None):
    """Sharpness λ_max(∇²f(x_k)) along the GD trajectory x_0..x_steps against k, with the
    threshold 2/h (edge of stability: progressive sharpening up to 2/h)."""
    import numpy as np

    from . import axes_or_new
    from ..gd import TRAJECTORY, run_gd, sharpness
    ax = axes_or_new(ax)
    obj = _objective(objective, variables)
    traj = run_gd(obj, [list(np.ravel(x0))], float(lr), int(steps), TRAJECTORY,
                  blowup=1e12).trajectory[:, 0]
    lam = sharpness(obj, traj)
    ax.plot(np.arange(len(lam)), lam, "-", lw=1, color="C0", label="$\\lambda_{max}(x_k)$")
    ax.axhline(2 / float(lr), color="k", ls="--", lw=1, label=f"$2/h$ = {2 / float(lr):.4g}")
    ax.set_xlabel("step $k$")
    ax.set_ylabel("sharpness")
    ax.legend(fontsize=7)
    return ax


@lr_keyword
def plot_cobweb(objective, lr, x0, steps: int = 40, ax=None, xlim=None, variables=None):
    """The cobweb of the one-dimensional GD map G_h(x) = x − h f'(x): its graph, the
    diagonal, and the path (x_k, x_k) → (x_k, x_{k+1}) → (x_{k+1}, x_{k+1}) of ``steps``
    iterates from ``x0`` (``xlim`` defaults to the orbit's range, widened by 20 %)."""
    import numpy as np

    from . import axes_or_new
    from ..errors import InputError
    from ..gd import TRAJECTORY, run_gd
    obj = _objective(objective, variables)
    if obj.dim != 1:
        raise InputError(f"a cobweb needs a one-variable objective, got {obj.dim} variables")
    ax = axes_or_new(ax, 4.8, 4.8)
    xs = run_gd(obj, [[float(np.ravel(x0)[0])]], float(lr), int(steps), TRAJECTORY,
                blowup=1e12).trajectory[:, 0, 0]
    xs = xs[np.isfinite(xs)]
    if xlim is None:
        lo, hi = float(xs.min()), float(xs.max())
        pad = 0.2 * (hi - lo) + 0.1
        xlim = (lo - pad, hi + pad)
    t = np.linspace(xlim[0], xlim[1], 400)
    G = obj.numpy.gd_step(t[:, None], float(lr))[:, 0]
    ax.plot(t, G, color="C0", lw=1.2, label=f"$G_h(x)$, $h$ = {float(lr):.4g}")
    ax.plot(t, t, color="0.5", lw=0.8, label="$y = x$")
    path = np.repeat(xs, 2)  # (x0, x0) → (x0, x1) → (x1, x1) → (x1, x2) → …
    ax.plot(path[:-1], path[1:], color="C3", lw=0.8, label="iterates")
    ax.set_xlim(*xlim)
    ax.set_xlabel("$x_k$")
    ax.set_ylabel("$x_{k+1}$")
    ax.legend(fontsize=7)
    return ax


@lr_keyword
def plot_modified_flow(objective, lr, x0, steps: int = 20, order: int = 1, ax=None,
                       coords=(0, 1), dps: int = 20, substeps: int = 8, variables=None):
    """GD iterates x_k against the flow of the modified equation of order ``order``
    (ẋ = F_0 + hF_1 + … + h^order F_order, :func:`lrtheory.modeq.modified_equation`,
    integrated in mpmath at ``dps`` digits) and the gradient flow (order 0), over the time
    steps·h.  One variable: x against t = kh; more: the plane of ``coords``."""
    import mpmath
    import numpy as np

    from . import axes_or_new
    from ..gd import TRAJECTORY, run_gd
    from ..modeq import modified_equation
    from ..modeq.order import integrate, truncated_flow_field
    obj = _objective(objective, variables)
    ax = axes_or_new(ax)
    lr = float(lr)
    x0 = [float(c) for c in np.ravel(x0)]
    gd = run_gd(obj, [x0], lr, int(steps), TRAJECTORY).trajectory[:, 0]
    me = modified_equation(obj, int(order))
    curves = {}
    with mpmath.workdps(dps):
        for n in sorted({0, int(order)}):
            field = truncated_flow_field(me, n)
            y, state, pts = [mpmath.mpf(c) for c in x0], {}, [list(x0)]
            dt = mpmath.mpf(lr) / substeps
            for _ in range(int(steps) * substeps):
                y = integrate(lambda z: field(z, mpmath.mpf(lr)), y, dt, state=state)
                pts.append([float(c) for c in y])
            curves[n] = np.array(pts)
    t = np.arange(len(curves[0])) * lr / substeps
    styles = {0: dict(color="0.5", ls="--", lw=1, label="gradient flow (order 0)")}
    if order:
        styles[int(order)] = dict(color="C0", lw=1.2, label=f"modified flow, order {order}")
    for n, pts in curves.items():
        if obj.dim == 1:
            ax.plot(t, pts[:, 0], **styles[n])
        else:
            ax.plot(pts[:, coords[0]], pts[:, coords[1]], **styles[n])
    if obj.dim == 1:
        ax.plot(np.arange(len(gd)) * lr, gd[:, 0], "o", ms=3, color="C3", label="GD iterates")
        ax.set_xlabel("time $t = kh$")
        ax.set_ylabel(f"${obj.vars[0]}$")
    else:
        ax.plot(gd[:, coords[0]], gd[:, coords[1]], "o", ms=3, color="C3", label="GD iterates")
        ax.set_xlabel(f"${obj.vars[coords[0]]}$")
        ax.set_ylabel(f"${obj.vars[coords[1]]}$")
    ax.set_title(f"$h$ = {lr:.4g}", fontsize=9)
    ax.legend(fontsize=7)
    return ax


@lr_keyword
def plot_phase_portrait(objective, lr, orbits=(), box=(-3.0, 3.0), ax=None, grid: int = 21,
                        coords=(0, 1), variables=None):
    """The phase portrait of G_h(x) = x − h∇f(x) in the square ``box``: arrows of the GD
    step −h∇f (length-normalised, shade by log step size), level sets of f, and the
    periodic orbits ``orbits`` (an :class:`~lrtheory.dynamics.orbits.OrbitSearch` or
    :class:`~lrtheory.dynamics.orbits.PeriodicOrbit` objects): filled markers for certified
    orbits, open ones otherwise, one colour per period.  One variable: the graph of G_h
    with the orbit points on the diagonal."""
    import numpy as np

    from . import axes_or_new
    orbits = tuple(getattr(orbits, "orbits", orbits))
    obj = _objective(objective, variables)
    ax = axes_or_new(ax, 5.0, 5.0)
    lo, hi = (float(b) for b in box)
    lr = float(lr)
    if obj.dim == 1:
        t = np.linspace(lo, hi, 400)
        ax.plot(t, obj.numpy.gd_step(t[:, None], lr)[:, 0], color="C0", lw=1.2,
                label="$G_h(x)$")
        ax.plot(t, t, color="0.5", lw=0.8)
        ax.set_ylim(lo, hi)
    else:
        i, j = coords
        u = np.linspace(lo, hi, grid)
        U, V = np.meshgrid(u, u, indexing="xy")
        X = np.zeros((U.size, obj.dim))
        X[:, i], X[:, j] = U.ravel(), V.ravel()
        with np.errstate(all="ignore"):
            step = -lr * obj.numpy.grad(X)
            F = obj.numpy.value(X)
        size = np.hypot(step[:, i], step[:, j])
        norm = np.where(size > 0, size, 1.0)
        ax.quiver(U, V, (step[:, i] / norm).reshape(U.shape), (step[:, j] / norm).reshape(U.shape),
                  np.log10(size + 1e-300).reshape(U.shape), cmap="Greys", angles="xy",
                  pivot="mid", width=0.003)
        fine = np.linspace(lo, hi, 200)
        FU, FV = np.meshgrid(fine, fine, indexing="xy")
        Y = np.zeros((FU.size, obj.dim))
        Y[:, i], Y[:, j] = FU.ravel(), FV.ravel()
        with np.errstate(all="ignore"):
            FF = np.asarray(obj.numpy.value(Y), dtype=float).reshape(FU.shape)
        levels = np.unique(np.quantile(FF[np.isfinite(FF)], np.linspace(0.02, 0.9, 8)))
        if len(levels) > 1 and np.isfinite(F).any():
            ax.contour(FU, FV, FF, levels=levels, colors="C0", linewidths=0.6, alpha=0.6)
        ax.set_xlabel(f"${obj.vars[i]}$")
        ax.set_ylabel(f"${obj.vars[j]}$")
    seen = set()
    for o in sorted(orbits, key=lambda o: -o.period):
        P = o.float_points() if hasattr(o, "float_points") else \
            np.array([[float(c) for c in pt] for pt in o.points])
        px, py = (P[:, 0], P[:, 0]) if obj.dim == 1 else (P[:, coords[0]], P[:, coords[1]])
        key = (o.period, bool(getattr(o, "certified", False)))
        label = None if key in seen else \
            f"period {o.period}" + (" (certified)" if key[1] else "")
        seen.add(key)
        colour = _CONVERGED if o.period == 1 else _period_colour(o.period)
        ax.plot(px, py, "o", ms=3 + o.period, color=colour,
                mfc=colour if key[1] else "none", mec="k" if key[1] else colour, mew=0.8,
                label=label)
    ax.set_xlim(lo, hi)
    ax.set_title(f"$h$ = {lr:.4g}", fontsize=9)
    if orbits or obj.dim == 1:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def plot_orbit_counts(ds, ax=None):
    """Periodic orbits found at each learning rate of a certified sweep
    (:class:`lrtheory.sweeps.OrbitsTask`), one line per period: all isolated orbits (solid),
    the certified ones (dots), the attracting ones (dashed)."""
    from . import axes_or_new
    ax = axes_or_new(ax)
    rest = {d: 0 for d in ds["orbits"].dims if d not in ("lr", "period")}
    hs = ds["lr"].values
    for p in ds["period"].values:
        colour = _CONVERGED if p == 1 else _period_colour(p)
        sel = dict(rest, period=int(p) - 1)
        ax.plot(hs, ds["orbits"].isel(sel).values, "-", color=colour, lw=1.2,
                label=f"period {p}")
        ax.plot(hs, ds["certified"].isel(sel).values, ".", color=colour, ms=4)
        ax.plot(hs, ds["attracting"].isel(sel).values, "--", color=colour, lw=0.9)
    ax.set_xlabel(_axis_label("lr"))
    ax.set_ylabel("periodic orbits (solid), certified (dots), attracting (dashed)")
    ax.legend(fontsize=7)
    return ax


def plot_sweep(ds, ax=None):
    """The natural picture of a sweep: orbit counts (certified task), the orbit diagram
    (record orbit), the basin map (with ``basin``), sharpness against 2/h (record
    sharpness), λ_1 against h (record lyapunov over lr alone), else the convergence map
    over its first two swept axes."""
    import numpy as np

    from . import axes_or_new
    if "orbits" in ds:
        return plot_orbit_counts(ds, ax)
    if "basin" in ds:
        return plot_basins(ds, ax)
    if "orbit" in ds and ds.sizes["lr"] > 1:
        return plot_diagram(ds, ax=ax)
    if "sharpness" in ds and ds.sizes["lr"] > 1:
        return plot_sharpness(ds, ax)
    long = [d for d in ds["label"].dims if ds.sizes[d] > 1]
    if "lyapunov" in ds and len(long) < 2:
        ax = axes_or_new(ax)
        lam = ds["lyapunov"].isel(exponent=0).transpose("lr", ...).values
        hs = np.repeat(ds["lr"].values, lam[0].size)
        ax.plot(hs, lam.ravel(), ".", ms=3, color="C0")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_xlabel(_axis_label("lr"))
        ax.set_ylabel("largest Lyapunov exponent $\\lambda_1$")
        return ax
    return plot_convergence_map(ds, ax=ax)
