"""Plots of continued branches and bifurcation curves.

Each function takes ``ax=None`` (a new figure when None), draws, and returns the Axes;
matplotlib is imported inside the functions (through :func:`lrtheory.plotting.axes_or_new`).
"""
from __future__ import annotations

#: Marker of each kind of bifurcation.
MARKERS = {"period-doubling": "o", "fold": "s", "degenerate +1": "D", "neimark-sacker": "^"}


def plot_branches(branches, ax=None, coordinate: int = 0):
    """Branches of periodic orbits (:class:`lrtheory.bifurcation.results.Branch`) in the
    plane (h, x_coordinate): stable parts solid, unstable dashed, one colour per period
    (C{p−1}), the bifurcations on them as markers (circle: period doubling, square: fold,
    diamond: degenerate +1, triangle: Neimark–Sacker; filled when certified).  Every point
    of the orbit is drawn when the branch holds ``orbits``, else the continued point x_0
    alone."""
    from . import axes_or_new
    ax = axes_or_new(ax)
    seen = set()
    for br in sorted(branches, key=lambda b: b.period):
        color = f"C{(br.period - 1) % 10}"
        iterates = range(br.period) if br.orbits is not None else range(1)
        for k in iterates:
            for stable, hs, xs in br.segments(coordinate, k):
                label = None if br.period in seen else f"period {br.period}"
                seen.add(br.period)
                ax.plot(hs, xs, "-" if stable else "--", color=color,
                        lw=1.2 if stable else 0.8, label=label)
        for bf in br.bifurcations:
            ax.plot([float(bf.lr)], [float(bf.point[coordinate])], MARKERS.get(bf.kind, "x"),
                    color=color, ms=5, mfc=color if bf.certified else "none")
    if seen:
        ax.legend(fontsize=7, loc="best")
    ax.set_xlabel("learning rate $h$")
    ax.set_ylabel(f"orbit point $x_{{{coordinate}}}$" if coordinate else "orbit point $x$")
    return ax


def plot_parameter_curves(curves, ax=None):
    """Curves h*(a) of bifurcations (:class:`lrtheory.bifurcation.results.ParameterCurve`)
    in the plane (a, h): one line per curve (solid where every point is certified, dotted
    otherwise), labelled by kind and period, codimension-two points as black stars."""
    from . import axes_or_new
    ax = axes_or_new(ax)
    for i, c in enumerate(curves):
        vs, hs = [float(v) for v in c.values], [float(h) for h in c.lr]
        ax.plot(vs, hs, "-" if all(c.certified) else ":", color=f"C{i % 10}",
                label=f"{c.kind}, period {c.period}")
        for p in c.codim2:
            ax.plot([float(p.value)], [float(p.lr)], "*", color="k", ms=9)
            ax.annotate(p.kind, (float(p.value), float(p.lr)), fontsize=7,
                        xytext=(4, 4), textcoords="offset points")
    if curves:
        ax.legend(fontsize=7, loc="best")
        ax.set_xlabel(f"parameter ${curves[0].param}$")
    ax.set_ylabel("learning rate $h^*$")
    return ax
