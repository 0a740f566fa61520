"""Plotting without side effects: importing any lrtheory or proofs_checks module changes no
global setting (matplotlib backend and rcParams, numpy error and print options, mpmath and
flint precision); plot functions draw into a given Axes and return it; figures are plain
Figure objects (no pyplot) saved atomically."""
import json
import os
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import numpy as np
import pytest

from lrtheory.plotting import (axes_or_new, new_figure, plot_orbit_diagram,
                               plot_periodic_orbits, release_figure, save_figure)

IMPORT_EVERYTHING = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    import matplotlib
    if sys.argv[1:]:
        matplotlib.use(sys.argv[1])
    import flint, mpmath, numpy, scipy, sympy

    def state():
        return {"backend": matplotlib.get_backend(),
                "rc": {k: repr(v) for k, v in matplotlib.rcParams.items()},
                "np_err": numpy.geterr(), "np_print": repr(numpy.get_printoptions()),
                "mp_prec": mpmath.mp.prec, "flint_prec": flint.ctx.prec,
                "recursion": sys.getrecursionlimit()}

    before = state()
    failed, names = {}, []
    for package in ("lrtheory", "proofs_checks"):
        pkg = importlib.import_module(package)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
            if info.name.endswith(".__main__"):  # runs the command line
                continue
            names.append(info.name)
            try:
                importlib.import_module(info.name)
            except Exception as exc:
                failed[info.name] = f"{type(exc).__name__}: {exc}"
    after = state()
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if "rc" in changed:
        changed["rc"] = {k: [before["rc"][k], after["rc"].get(k)] for k in before["rc"]
                         if before["rc"][k] != after["rc"].get(k)}
    print(json.dumps({"changed": changed, "failed": failed, "names": names,
                      "backend": after["backend"],
                      "pyplot": "matplotlib.pyplot" in sys.modules}))
""")


@pytest.mark.parametrize("how", ["MPLBACKEND=svg", "matplotlib.use('pdf')"])
def test_importing_every_module_changes_no_global_setting(how):
    env = {**os.environ, "MPLBACKEND": "svg"} if how.startswith("MPL") else \
        {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    select = [] if how.startswith("MPL") else ["pdf"]
    p = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING, *select],
                       capture_output=True, text=True, timeout=600, env=env)
    assert p.returncode == 0, p.stderr[-3000:]
    report = json.loads(p.stdout)
    assert report["backend"] == ("svg" if select == [] else "pdf")
    assert "lrtheory.plotting.dynamics" in report["names"]
    assert "proofs_checks.blog.orbits" in report["names"]
    assert report["failed"] == {}
    assert report["changed"] == {}
    assert report["pyplot"] is False


def _diagram():
    """Three learning rates, two long-run values each (a fixed point, a 2-cycle, nan)."""
    return {"h": np.array([0.5, 1.1, 1.3]),
            "values": np.array([[1.0, 1.0], [0.8, 1.2], [np.nan, np.nan]])}


def test_plot_orbit_diagram_draws_into_the_given_axes():
    fig, ax = new_figure()
    out = plot_orbit_diagram(_diagram(), "t", {"h = 1": 1.0, "h = 1.2": 1.2}, ax=ax)
    assert out is ax and ax.figure is fig
    dots, *marks = ax.get_lines()
    assert dots.get_xdata().tolist() == [0.5, 0.5, 1.1, 1.1, 1.3, 1.3]
    assert dots.get_ydata()[:4].tolist() == [1.0, 1.0, 0.8, 1.2]
    assert [m.get_xdata()[0] for m in marks] == [1.0, 1.2]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["h = 1", "h = 1.2"]
    assert ax.get_ylabel() == "long-run $t$"


def test_plot_periodic_orbits_draws_into_the_given_axes():
    orbits = [SimpleNamespace(period=1, points=[("0", "0")]),
              SimpleNamespace(period=2, points=[("1", "-1"), ("-1", "1")]),
              SimpleNamespace(period=2, points=[("2", "2"), ("-2", "-2")])]
    fig, ax = new_figure(5, 5)
    assert plot_periodic_orbits(orbits, ax=ax) is ax
    lines = ax.get_lines()
    assert [len(ln.get_xdata()) for ln in lines] == [2, 2, 1]  # longer periods first
    assert lines[0].get_xdata().tolist() == [1.0, -1.0]
    assert lines[0].get_ydata().tolist() == [-1.0, 1.0]
    labels = [ln.get_label() for ln in lines if not ln.get_label().startswith("_")]
    assert labels == ["period 2", "period 1"]  # one legend entry per period


def test_plot_functions_make_a_plain_figure_without_ax():
    for ax in (plot_orbit_diagram(_diagram()), plot_periodic_orbits([]), axes_or_new()):
        assert ax.figure.canvas.manager is None  # not registered with pyplot


def test_new_figure_grid():
    fig, axes = new_figure(8, 3, ncols=2)
    assert axes.shape == (2,) and all(a.figure is fig for a in axes)
    assert tuple(fig.get_size_inches()) == (8, 3)


@pytest.mark.parametrize("suffix,magic", [(".pdf", b"%PDF-"), (".png", b"\x89PNG"),
                                          (".svg", b"<?xml")])
def test_save_figure_writes_the_format_of_the_suffix(tmp_path, suffix, magic):
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    path = save_figure(ax, tmp_path / "sub" / f"f{suffix}")
    assert path.read_bytes().startswith(magic)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp left


def test_save_figure_is_reproducible_and_atomic(tmp_path):
    fig, ax = new_figure()
    ax.plot([0, 1], [1, 0])
    a = save_figure(fig, tmp_path / "a.pdf").read_bytes()
    assert save_figure(fig, tmp_path / "a.pdf").read_bytes() == a  # no creation date
    with pytest.raises(ValueError):
        save_figure(fig, tmp_path / "a.unknown-format")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_release_figure_closes_only_pyplot_figures():
    code = textwrap.dedent("""
        import sys
        from lrtheory.plotting import new_figure, release_figure
        fig, ax = new_figure()
        release_figure(ax)
        assert "matplotlib.pyplot" not in sys.modules
        import matplotlib
        matplotlib.use("agg")
        import matplotlib.pyplot as plt
        f2, _ = plt.subplots()
        release_figure(f2)
        assert plt.get_fignums() == []
        print("ok")
    """)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert p.stdout.strip() == "ok", p.stderr
    release_figure(new_figure()[0])  # nothing to do in this process either
