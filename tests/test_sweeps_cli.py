"""`lrtheory sweep`, `diagram` and `basins` in this process: outputs, figures, bad input."""
import numpy as np
import pytest

xr = pytest.importorskip("xarray", reason="the sweep commands need xarray (lrtheory[dask])")

from lrtheory.cli import main  # noqa: E402
from lrtheory.cli.cmd_sweep import parse_param, plot_paths  # noqa: E402
from lrtheory.sweeps import GDTask, Sweep, open_dataset, run_sweep  # noqa: E402


def run(capsys, *argv, code=0):
    got = main(list(argv))
    out = capsys.readouterr()
    assert got == code, out.err
    return out


def test_sweep_writes_the_dataset_the_api_computes(tmp_path, capsys):
    out = tmp_path / "s.nc"
    text = run(capsys, "sweep", "(x*y - mu)**2/2", "--vars", "x,y", "--lr-range", "0.5", "1.5",
               "--lr-samples", "3", "--param", "mu=1:2:2", "--box", "-1.5,1.5", "--grid", "4",
               "--steps", "200", "--tail", "16", "--out", str(out), "--chunk-size", "5").out
    assert "converged" in text and "runs" in text
    ds = xr.open_dataset(out)
    assert ds["label"].dims == ("lr", "mu", "x", "y")
    assert list(ds["lr"].values) == [0.5, 1.0, 1.5] and list(ds["mu"].values) == [1.0, 2.0]
    api = run_sweep(Sweep.of("(x*y - mu)**2/2", "x,y", [0.5, 1.0, 1.5], params={"mu": [1, 2]},
                             box=(-1.5, 1.5), grid=4, task=GDTask(steps=200, tail=16,
                                                                  max_period=12)))
    for v in ("label", "period", "limit_x", "limit_y"):
        assert np.array_equal(ds[v].values, api[v].values, equal_nan=True)
    ds.close()


def test_sweep_orbit_record_with_points_and_a_figure(tmp_path, capsys):
    run(capsys, "sweep", "(x**2 - 1)**2/4", "--vars", "x", "--lr-range", "0.8", "1.2",
        "--lr-samples", "5", "--x0", "0.5", "--x0", "-0.3", "--record", "orbit", "--tail", "8",
        "--steps", "300", "--out", str(tmp_path / "o.zarr"), "--plot", str(tmp_path / "o.png"))
    ds = open_dataset(tmp_path / "o.zarr")
    assert ds["orbit"].dims == ("lr", "start", "iterate", "variable")
    assert [p.exists() and p.stat().st_size > 1000 for p in plot_paths(tmp_path / "o.png")] == \
        [True, True]


def test_diagram_prints_its_windows(capsys, tmp_path):
    text = run(capsys, "diagram", "(x**2 - 1)**2/4", "--vars", "x", "--lr-range", "0.45", "1.15",
               "--lr-samples", "8", "--transient", "1500", "--keep", "16",
               "--plot", str(tmp_path / "d")).out
    rows = [line.split() for line in text.splitlines()[1:]]
    assert rows[0][2] == "converged" and rows[-1][2:] == ["period", "2"]
    assert float(rows[0][1]) < 1 < float(rows[-1][0])  # the doubling at h = 1 between them
    assert (tmp_path / "d.pdf").exists()


def test_basins_prints_its_legend(capsys):
    text = run(capsys, "basins", "(x**2 - 1)**2/4", "--vars", "x", "--lr", "1/10",
               "--box", "-5,5", "--grid", "11", "--steps", "500").out
    assert "minimizer at x=-1" in text and "minimizer at x=1" in text
    assert "critical point at x=0" in text and "divergent" in text


def test_plot_paths_and_param_parsing():
    assert [p.name for p in plot_paths("a/fig.pdf")] == ["fig.png", "fig.pdf"]
    assert [p.name for p in plot_paths("fig")] == ["fig.png", "fig.pdf"]
    name, values = parse_param("eps=1/10:1/2:3")
    assert name == "eps" and [str(v) for v in values] == ["1/10", "3/10", "1/2"]


@pytest.mark.parametrize("argv", [
    ["sweep", "x**2", "--vars", "x", "--lr-range", "1", "2", "--param", "mu=1:2"],
    ["sweep", "x**2", "--vars", "x", "--lr-range", "1", "2", "--out", "s.h5"],
    ["sweep", "x**2", "--vars", "x", "--lr-range", "1", "2", "--resume"],
    ["sweep", "x**2", "--vars", "x", "--lr-range", "1", "2", "--x0", "1,2"],
    ["sweep", "x**2", "--vars", "x", "--lr-range", "1", "2", "--param", "mu=1:2:3"],
    ["sweep", "x**2", "--vars", "x", "--lr-range", "1", "2", "--jobs", "2", "--dask", "local"],
    ["diagram", "x**2", "--vars", "x", "--lr-range", "1", "2", "--variable", "z"],
    ["basins", "x**2", "--vars", "x", "--lr", "-1"],
])
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    err = run(capsys, *argv, code=2).err
    assert err.startswith("lrtheory: error:") and err.count("\n") == 1
