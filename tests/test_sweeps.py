"""lrtheory.sweeps in this process: the grid, the dataset, equality across chunk sizes and
in-process executors, resume, and answers derived independently of the GD kernel."""
import concurrent.futures as cf
import json
import sys

import mpmath
import numpy as np
import pytest
import sympy as sp

xr = pytest.importorskip("xarray", reason="lrtheory.sweeps needs xarray (lrtheory[dask])")

from lrtheory.errors import InputError  # noqa: E402
from lrtheory.sweeps import (GDTask, OrbitsTask, Sweep, attractor_sets, basin_legend,  # noqa: E402
                             basin_map, cell_seed, chunk_bounds, diagram, exact_grid,
                             open_dataset, run_sweep, windows)
from lrtheory.sweeps import run as sweep_run  # noqa: E402

DOUBLE_WELL = "(x**2 - 1)**2/4"


def assert_same_bits(a, b):
    """Same variables, coordinates and attributes, every array equal byte for byte."""
    assert set(a.variables) == set(b.variables)
    for name in a.variables:
        va, vb = a[name].values, b[name].values
        assert va.dtype == vb.dtype and va.shape == vb.shape, name
        if va.dtype == object:
            assert va.tolist() == vb.tolist(), name
        else:
            assert va.tobytes() == vb.tobytes(), name
        assert a[name].dims == b[name].dims
    assert a.attrs.keys() == b.attrs.keys()


def small_sweep(record="limit", **kw):
    return Sweep.of("(x*y - mu)**2/2", "x,y", lr=[0.4, 1.0, 1.9], params={"mu": [1, 2]},
                    box=(-1.5, 1.5), grid=(5, 4), task=GDTask(record, steps=200, tail=16),
                    **kw)


# ---- the grid and the dataset -----------------------------------------------------------
def test_dataset_is_named_after_the_swept_quantities_and_the_records():
    ds = run_sweep(small_sweep())
    assert ds["label"].dims == ("lr", "mu", "x", "y")
    assert ds.sizes == {"lr": 3, "mu": 2, "x": 5, "y": 4}
    assert list(ds["mu"].values) == [1.0, 2.0]
    assert np.allclose(ds["x"].values, np.linspace(-1.5, 1.5, 5))
    assert set(ds.data_vars) == {"label", "period", "limit_x", "limit_y"}
    attrs = ds["label"].attrs
    assert attrs["flag_meanings"].split() == ["converged", "periodic", "aperiodic", "divergent"]
    assert list(attrs["flag_values"]) == [0, 1, 2, 3]
    assert Sweep.from_json(json.loads(ds.attrs["sweep"])).params[0][0] == "mu"


def test_parameter_values_reach_the_objective():
    """Converged runs of (xy − µ)²/2 end on xy = µ for each swept µ (with sharpness
    x² + y² ≤ 2/h, the stability bound of GD at a minimizer)."""
    ds = run_sweep(small_sweep("sharpness"))
    for mu in (1.0, 2.0):
        sel = ds.sel(mu=mu)
        ok = sel["label"].values == 0
        prod = (sel["limit_x"] * sel["limit_y"]).values[ok]
        saddle = np.abs(prod) < 1e-12  # the saddle (0, 0), reached from the axes
        assert ok.sum() > 10 and np.allclose(prod[~saddle], mu, atol=1e-8)
        x, y = sel["limit_x"].values[ok], sel["limit_y"].values[ok]
        lam = sel["sharpness"].values[ok]
        assert np.allclose(lam[~saddle], (x * x + y * y)[~saddle], rtol=1e-9)
        h = np.broadcast_to(sel["lr"].values[:, None, None], ok.shape)[ok]
        assert np.all(lam[~saddle] <= 2 / h[~saddle] * (1 + 1e-6))


@pytest.mark.parametrize("record", ["limit", "orbit", "sharpness", "lyapunov"])
def test_results_do_not_depend_on_the_chunk_size(record):
    sweep = small_sweep(record)
    ref = run_sweep(sweep, chunk_size=sweep.cells)
    for size in (1, 7, 50):
        assert_same_bits(run_sweep(sweep, chunk_size=size), ref)


def test_thread_pool_executor_gives_the_serial_result():
    sweep = small_sweep("orbit")
    ref = run_sweep(sweep)
    with cf.ThreadPoolExecutor(3) as ex:
        assert_same_bits(run_sweep(sweep, executor=ex, chunk_size=9), ref)


def test_starts_given_as_points():
    pts = [[0.3, 0.2], [-1.0, 0.5], [2.5, 2.5]]
    ds = run_sweep(Sweep.of("(1 - x*y)**2/2", "x,y", lr=[0.5], x0=pts,
                            task=GDTask(steps=500)))
    assert ds["label"].dims == ("lr", "start")
    assert list(ds["x"].values) == [0.3, -1.0, 2.5] and ds["x"].dims == ("start",)
    assert list(ds["label"].values[0]) == [0, 0, 3]  # x²+y² = 12.5 > 2/h: divergent


@pytest.mark.parametrize("name", ["s.nc", "s.zarr"])
def test_files_round_trip(tmp_path, name):
    if name.endswith(".zarr"):
        pytest.importorskip("zarr", reason="Zarr output needs zarr (lrtheory[dask])")
    ds = run_sweep(small_sweep("lyapunov"))
    out = tmp_path / name
    run_sweep(small_sweep("lyapunov"), out=out)
    assert not (tmp_path / (name + ".partial")).exists()
    back = open_dataset(out)
    with xr.open_dataset(out) as plain:  # what a user opens
        assert set(plain.data_vars) == set(ds.data_vars)
        assert set(plain.coords) == set(ds.coords)
    for v in ds.variables:
        if ds[v].dtype == object:
            assert back[v].values.tolist() == ds[v].values.tolist(), v
        else:
            assert np.array_equal(back[v].values, ds[v].values, equal_nan=True), v
    assert back["label"].attrs["flag_meanings"] == ds["label"].attrs["flag_meanings"]


# ---- resume ------------------------------------------------------------------------------
def test_resume_reuses_finished_chunks(tmp_path, monkeypatch):
    sweep = small_sweep()
    out = tmp_path / "r.nc"
    calls = []
    real = sweep_run.run_chunk

    def failing(sw, a, b):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append((a, b))
        return real(sw, a, b)
    monkeypatch.setattr(sweep_run, "run_chunk", failing)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, out=out, chunk_size=10)
    assert len(list((tmp_path / "r.nc.partial").glob("chunk-*.npz"))) == 3
    monkeypatch.setattr(sweep_run, "run_chunk", real)
    stats = {}
    ds = run_sweep(sweep, out=out, resume=True, stats=stats)  # chunk size from the state
    assert stats["resumed"] == 3 and stats["computed"] == stats["chunks"] - 3
    assert stats["chunk_size"] == 10
    assert_same_bits(ds, run_sweep(sweep))
    assert_same_bits(open_dataset(out), run_sweep(sweep))


def test_resume_refuses_other_settings(tmp_path, monkeypatch):
    out = tmp_path / "r.nc"
    monkeypatch.setattr(sweep_run, "run_chunk", lambda *a: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        run_sweep(small_sweep(), out=out, chunk_size=10)
    with pytest.raises(InputError, match="other settings"):
        run_sweep(small_sweep("orbit"), out=out, resume=True)


# ---- answers derived without the kernel ---------------------------------------------------
def double_well_boundaries(h: float, count: int) -> list:
    """Preimages 0 < s_1 < s_2 < … of the local maximum 0 of G(x) = (1 + h)x − hx³ on
    (0, c), c = √((2 + h)/h), and c: s_{k+1} is the root in (x*, c) of G(s) = −s_k,
    x* = √((1 + h)/(3h)) (G decreases from G(x*) to −c on (x*, c)), solved at 30 digits."""
    with mpmath.workdps(30):
        h = mpmath.mpf(h)
        c = mpmath.sqrt((2 + h) / h)
        xs = mpmath.sqrt((1 + h) / (3 * h))
        s = [mpmath.mpf(0)]
        for _ in range(count):
            g = lambda t, prev=s[-1]: (1 + h) * t - h * t**3 + prev  # noqa: E731
            s.append(mpmath.findroot(g, (xs, c), solver="anderson"))
        return [float(v) for v in s[1:]], float(c)


def test_double_well_basins_at_small_h_are_cut_at_the_preimages_of_the_maximum():
    """f = (x² − 1)²/4, h = 0.1 < 1/3.  On (0, s_1) GD contracts to 1 (|G(x) − 1| =
    |x − 1|·|1 − hx(x + 1)| with hx(x + 1) < 2 there), G maps (s_k, s_{k+1}) onto
    (−s_k, −s_{k−1}) and is odd, so starts in (s_k, s_{k+1}) converge to (−1)^k and the
    basin boundary in (0, c) is {s_k}; |x| > c diverges (|G(x)| > |x|), and 0 stays."""
    h = 0.1
    s, c = double_well_boundaries(h, 8)
    ds = basin_map(DOUBLE_WELL, "x", h, (-5, 5), 2001, steps=1500)
    table = {t["name"]: t for t in basin_legend(ds)}
    code = {t["code"]: t for t in table.values()}
    xs = ds["x"].values
    basin = ds["basin"].values[0]
    fate = np.array([code[b]["point"][0] if code[b]["kind"] == "minimizer"
                     else (0.0 if code[b]["kind"] == "critical point" else np.inf)
                     for b in basin])
    ax = np.abs(xs)
    edges = np.array([0.0] + s)
    resolved = ax < s[-1] - 1e-6
    k = np.searchsorted(edges, ax, side="right") - 1
    expected = np.sign(xs) * (-1.0) ** k
    far = np.min(np.abs(ax[:, None] - np.array(s)[None, :]), axis=1) > 1e-6
    check = resolved & far & (xs != 0)
    assert check.sum() > 1500
    assert np.allclose(fate[check], expected[check], atol=1e-8)
    assert fate[xs == 0] == 0.0 and table["critical_1"]["point"] == [0.0]
    assert np.all(np.isinf(fate[ax > c + 1e-6]))
    # every change of basin between neighbours brackets a derived boundary point
    both = check[:-1] & check[1:]
    changed = fate[:-1] != fate[1:]
    bracket = np.array([np.any((np.abs(a) < np.array(s)) != (np.abs(b) < np.array(s)))
                        for a, b in zip(xs[:-1], xs[1:])])
    assert np.array_equal(changed[both], bracket[both])
    assert changed[both].sum() >= 8


def double_well_two_cycle(h: float) -> list:
    """The 2-cycle {a, b} ⊂ (0, 2) of G(x) = (1 + h)x − hx³: the real roots a of
    (G(G(x)) − x)/(G(x) − x) (exact polynomial division) with a and G(a) in (0, 2) (the
    other cycle, ±√((2 + h)/h), changes sign), checked attracting:
    |G'(a)G'(b)| < 1."""
    x = sp.Symbol("x")
    hr = sp.Rational(str(h))
    G = lambda t: (1 + hr) * t - hr * t**3  # noqa: E731
    q, r = sp.div(sp.expand(G(G(x)) - x), sp.expand(G(x) - x), x)
    assert r == 0
    a, b = [v for v in sp.Poly(q, x).real_roots() if 0 < v < 2 and 0 < G(v) < 2]
    dG = sp.diff(G(x), x)
    assert abs(float(dG.subs(x, a) * dG.subs(x, b))) < 1
    return [float(a), float(b)]


def test_continued_diagram_follows_the_period_doubling_of_the_double_well():
    """The fixed point 1 of G has multiplier 1 − 2h: attracting for h < 1; at h = 1.1 and
    1.2 the attractor near it is the exact 2-cycle (both with continuation and without)."""
    hs = [0.5, 0.9, 1.1, 1.2]
    for continued in (True, False):
        ds = diagram(DOUBLE_WELL, "x", hs, [[0.5], [0.7]], transient=1500, keep=16,
                     continued=continued)
        assert [w[2] for w in windows(ds)] == ["converged", "period 2"]
        assert np.allclose(ds["orbit"].sel(lr=0.9).values, 1.0, atol=1e-9)
        for h in (1.1, 1.2):
            vals = ds["orbit"].sel(lr=h).values.ravel()
            cycle = np.array(double_well_two_cycle(h))
            gap = np.abs(vals[:, None] - cycle[None, :])
            assert np.all(gap.min(axis=1) < 1e-8)  # every value is a cycle point
            assert set(gap.argmin(axis=1)) == {0, 1}  # and both points are visited


def test_continued_diagram_is_chunk_independent():
    kw = dict(transient=200, keep=8)
    lr = np.linspace(0.8, 1.5, 12)
    ref = diagram(DOUBLE_WELL, "x", lr, [[0.5], [-0.3], [1.2]], chunk_size=3, **kw)
    assert ref["orbit"].dims == ("lr", "start", "iterate", "variable")
    assert_same_bits(diagram(DOUBLE_WELL, "x", lr, [[0.5], [-0.3], [1.2]], chunk_size=1, **kw),
                     ref)


def test_lyapunov_exponent_of_the_logistic_case():
    """GD on x³/3 − x, G(x) = −hx² + x + h, is affinely conjugate to u ↦ u² + c with
    c = 1/4 − h² (ad + b/2 − b²/4 for ax² + bx + d), i.e. to the logistic map with
    (r − 1)²/4 = h², r = 1 + 2h; at h = 1.5, r = 4, whose Lyapunov exponent is log 2."""
    ds = run_sweep(Sweep.of("x**3/3 - x", "x", lr=[1.5], x0=[[0.3], [0.2], [-0.4]],
                            task=GDTask("lyapunov", steps=20000, transient=100)))
    lam = ds["lyapunov"].values[0, :, 0]
    assert ds["label"].values.tolist() == [[2, 2, 2]]
    assert np.allclose(lam, np.log(2), atol=0.03)


def test_certified_orbits_match_the_exact_polynomial_count():
    """At h = 1.2 the double well's isolated orbits of period ≤ 2 in [−2, 2] are the real
    roots of G(x) − x and of (G²(x) − x)/(G(x) − x) there; an orbit attracts when
    |G'(a)G'(b)| < 1."""
    h = sp.Rational(6, 5)
    x = sp.Symbol("x")
    G = lambda t: (1 + h) * t - h * t**3  # noqa: E731
    dG = lambda t: (1 + h) - 3 * h * t**2  # noqa: E731
    fixed = [r for r in sp.Poly(G(x) - x, x).real_roots() if -2 <= r <= 2]
    q = sp.div(sp.expand(G(G(x)) - x), sp.expand(G(x) - x), x)[0]
    two = [r for r in sp.Poly(q, x).real_roots() if -2 <= r <= 2 and -2 <= G(r) <= 2]
    attracting2 = sum(abs(float(dG(r) * dG(G(r)))) < 1 for r in two) // 2
    sweep = Sweep.of(DOUBLE_WELL, "x", [1.2, 0.9],
                     task=OrbitsTask(max_period=2, box=(-2, 2), starts=60, dps=30))
    ds = run_sweep(sweep)
    at = ds.sel(lr=1.2)
    assert int(at["orbits"][0]) == len(fixed) == 3 and int(at["attracting"][0]) == 0
    assert int(at["orbits"][1]) == len(two) // 2 and int(at["attracting"][1]) == attracting2
    assert int(at["certified"].sum()) == int(at["orbits"].sum())
    record = json.loads(str(at["records"].values))
    assert record["type"] == "OrbitSearch" and len(record["orbits"]) == int(at["orbits"].sum())
    assert_same_bits(run_sweep(sweep, chunk_size=2), ds)


def test_cell_seeds_come_from_the_cell_index():
    assert cell_seed(0, 5) == int(np.random.SeedSequence(0, spawn_key=(5,))
                                  .generate_state(1, np.uint32)[0])
    assert len({cell_seed(3, i) for i in range(100)}) == 100
    assert chunk_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert exact_grid(1, 2, 3) == (1, sp.Rational(3, 2), 2)


def test_attractor_sets_split_by_level_and_distance():
    t = np.linspace(0.5, 2.0, 200)
    branch = np.stack([t, 1 / t], axis=1)
    pts = np.concatenate([branch, -branch, [[0.0, 0.0]]])
    loss = np.concatenate([np.zeros(400), [0.5]])
    sets = attractor_sets(pts, loss, join=0.2)
    assert len(set(sets[:200])) == 1 and len(set(sets[200:400])) == 1
    assert len({sets[0], sets[200], sets[400]}) == 3


def test_windows_merge_equal_behaviour():
    ds = xr.Dataset({"label": (("lr", "x"), np.array([[0, 0], [0, 0], [1, 1], [1, 3]], np.int8)),
                     "period": (("lr", "x"), np.array([[1, 1], [1, 1], [2, 2], [2, 0]]))},
                    coords={"lr": [0.1, 0.2, 0.3, 0.4], "x": [0.0, 1.0]})
    assert windows(ds) == [(0.1, 0.2, "converged"), (0.3, 0.3, "period 2"),
                           (0.4, 0.4, "period 2, divergent")]


# ---- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize("make, match", [
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[1.0], box=(1, 0), grid=3), "lo < hi"),
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[1.0], params={"nu": [1]}, box=(0, 1), grid=2),
     "do not occur"),
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[1.0], box=(0, 1), grid=2, x0=[[1]]), "not both"),
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[1.0]), "give the starts"),
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[1.0], task="limit", box=(0, 1), grid=2), "GDTask"),
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[-1.0], box=(0, 1), grid=2), "positive"),
    (lambda: Sweep.of("(x - a)**2", "x", lr=[1.0], box=(0, 1), grid=2), "unknown name"),
    (lambda: Sweep.of("(x - 1)**2", "x", lr=[1.0], x0=[[1, 2]]), "shape"),
])
def test_bad_sweeps_raise_input_error(make, match):
    with pytest.raises(InputError, match=match):
        make()


@pytest.mark.parametrize("kw", [dict(record="slope"), dict(steps=10, tail=20),
                                dict(tail=8, max_period=8), dict(tol=0)])
def test_bad_tasks_raise_input_error(kw):
    with pytest.raises(InputError):
        GDTask(**kw)


def test_reserved_names_and_missing_xarray(monkeypatch):
    with pytest.raises(InputError, match="dimensions"):
        Sweep.of("(lr - 1)**2", "lr", lr=[1.0], box=(0, 1), grid=2)
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(InputError, match=r"lrtheory\[dask\]"):
        run_sweep(small_sweep())


def test_resume_needs_an_output_and_out_needs_a_known_suffix(tmp_path):
    with pytest.raises(InputError, match="resume"):
        run_sweep(small_sweep(), resume=True)
    with pytest.raises(InputError, match=".nc"):
        run_sweep(small_sweep(), out=tmp_path / "s.h5")
