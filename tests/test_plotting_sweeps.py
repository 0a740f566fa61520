"""The sweep pictures of lrtheory.plotting: each draws into the Axes it is given (and
returns it), draws what it claims, and leaves the backend, rcParams and pyplot alone."""
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("xarray", reason="sweep pictures read xarray datasets (lrtheory[dask])")

from lrtheory import Objective  # noqa: E402
from lrtheory.dynamics.orbits import search_periodic_orbits  # noqa: E402
from lrtheory.gd import TRAJECTORY, run_gd  # noqa: E402
from lrtheory.plotting import (new_figure, plot_basins, plot_cobweb,  # noqa: E402
                               plot_convergence_map, plot_diagram, plot_modified_flow,
                               plot_orbit_counts, plot_phase_portrait, plot_sharpness,
                               plot_sharpness_trajectory, plot_sweep, save_figure)
from lrtheory.sweeps import GDTask, OrbitsTask, Sweep, basin_map, diagram, run_sweep  # noqa: E402

DOUBLE_WELL = "(x**2 - 1)**2/4"


@pytest.fixture(scope="module")
def sweeps():
    return {
        "diagram": diagram(DOUBLE_WELL, "x", np.linspace(0.8, 1.3, 12), [[0.5]],
                           transient=300, keep=8),
        "basins": basin_map("(1 - x*y)**2/2", "x,y", 0.9, (-2, 2), 20, steps=400),
        "basins1": basin_map(DOUBLE_WELL, "x", 0.1, (-5, 5), 41, steps=400),
        "map": run_sweep(Sweep.of(DOUBLE_WELL, "x", np.linspace(0.5, 1.5, 6), box=(-2, 2),
                                  grid=7, task=GDTask(steps=300))),
        "sharpness": run_sweep(Sweep.of("(1 - x*y)**2/2", "x,y", [0.4, 0.8], box=(-2, 2),
                                        grid=6, task=GDTask("sharpness", steps=400))),
        "lyapunov": run_sweep(Sweep.of("x**3/3 - x", "x", [0.5, 1.5], x0=[[0.3]],
                                       task=GDTask("lyapunov", steps=500))),
        "orbits": run_sweep(Sweep.of(DOUBLE_WELL, "x", [0.9, 1.2],
                                     task=OrbitsTask(max_period=2, box=(-2, 2), starts=20))),
    }


def test_each_plot_draws_into_the_given_axes(sweeps):
    obj = Objective("(1 - x*y)**2/2", "x,y")
    orbits = search_periodic_orbits(obj, "1.1", 2, (-2.5, 2.5), starts=60, certify=True)
    calls = [
        lambda ax: plot_diagram(sweeps["diagram"], ax=ax, marks={"h = 1": 1.0}),
        lambda ax: plot_basins(sweeps["basins"], ax=ax),
        lambda ax: plot_basins(sweeps["basins1"], ax=ax),
        lambda ax: plot_convergence_map(sweeps["map"], ax=ax),
        lambda ax: plot_sharpness(sweeps["sharpness"], ax=ax),
        lambda ax: plot_orbit_counts(sweeps["orbits"], ax=ax),
        lambda ax: plot_cobweb(DOUBLE_WELL, 1.2, 0.5, 20, ax=ax, variables="x"),
        lambda ax: plot_modified_flow(DOUBLE_WELL, 0.1, 1.5, 6, order=1, ax=ax, variables="x",
                                      substeps=2),
        lambda ax: plot_sharpness_trajectory(obj, 0.5, [2.0, 0.3], 30, ax=ax),
        lambda ax: plot_phase_portrait(obj, 1.1, orbits, (-2.5, 2.5), ax=ax, grid=9),
        lambda ax: plot_sweep(sweeps["lyapunov"], ax=ax),
    ] + [lambda ax, k=k: plot_sweep(sweeps[k], ax=ax) for k in sweeps]
    for draw in calls:
        fig, ax = new_figure()
        assert draw(ax) is ax
        drawn = len(ax.lines) + len(ax.collections) + len(ax.images) + len(ax.patches)
        assert drawn > 0
        assert len(fig.axes) == 1  # nothing else was added (no colour bars, no new axes)


def test_cobweb_path_is_the_gd_orbit():
    fig, ax = new_figure()
    plot_cobweb(DOUBLE_WELL, 1.2, 0.5, 10, ax=ax, variables="x")
    path = next(line for line in ax.lines if line.get_label() == "iterates")
    xs = run_gd(Objective(DOUBLE_WELL, "x"), [[0.5]], 1.2, 10, TRAJECTORY).trajectory[:, 0, 0]
    px, py = path.get_data()
    assert np.allclose(px[0::2], xs) and np.allclose(py[0::2], xs)  # on the diagonal
    assert np.allclose(px[1::2], xs[:-1]) and np.allclose(py[1::2], xs[1:])  # (x_k, x_k+1)


def test_basin_legend_names_every_basin_with_its_share(sweeps):
    fig, ax = new_figure()
    plot_basins(sweeps["basins1"], ax=ax)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    table = json.loads(sweeps["basins1"]["basin"].attrs["flag_descriptions"])
    assert len(texts) == len(table)
    assert all(t.startswith(entry["description"]) and t.endswith("%)")
               for t, entry in zip(texts, table))


def test_diagram_plots_every_kept_iterate(sweeps):
    fig, ax = new_figure()
    plot_diagram(sweeps["diagram"], ax=ax)
    dots = ax.lines[0].get_xydata()
    assert len(dots) == sweeps["diagram"]["orbit"].size


def test_figures_save_as_png_and_pdf(tmp_path, sweeps):
    fig, ax = new_figure()
    plot_basins(sweeps["basins"], ax=ax)
    for suffix in ("png", "pdf"):
        path = save_figure(fig, tmp_path / f"b.{suffix}")
        assert path.stat().st_size > 1000


SCRIPT = textwrap.dedent("""
    import json, sys
    import matplotlib
    matplotlib.use("svg")
    before = (matplotlib.get_backend(), dict(matplotlib.rcParams))
    import numpy as np
    from lrtheory.plotting import (new_figure, plot_basins, plot_cobweb, plot_diagram,
                                   plot_phase_portrait, plot_sweep)
    from lrtheory.sweeps import basin_map, diagram
    fig, ax = new_figure()
    plot_basins(basin_map("(x**2 - 1)**2/4", "x", 0.2, (-3, 3), 11, steps=100), ax=ax)
    plot_diagram(diagram("(x**2 - 1)**2/4", "x", [0.5, 1.1], [[0.5]], transient=50, keep=4),
                 ax=new_figure()[1])
    plot_cobweb("(x**2 - 1)**2/4", 1.1, 0.4, 5, variables="x")
    plot_phase_portrait("(1 - x*y)**2/2", 1.0, (), (-2, 2), grid=5, variables="x,y")
    after = (matplotlib.get_backend(), dict(matplotlib.rcParams))
    print(json.dumps({"same": before == after, "backend": after[0],
                      "pyplot": "matplotlib.pyplot" in sys.modules}))
""")


def test_plots_change_no_backend_and_import_no_pyplot():
    p = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    report = json.loads(p.stdout.strip().splitlines()[-1])
    assert report == {"same": True, "backend": "svg", "pyplot": False}
