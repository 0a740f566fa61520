"""The labelling of basin maps at scale: loss levels by one sort and a binary search,
unique cell keys by marking a table, λ_min of 2 × 2 Hessians in closed form, the
lexicographically smallest point without a sort — each against the direct definition —
and the memory limit of the labelling, checked before any run."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("xarray", reason="lrtheory.sweeps needs xarray (lrtheory[dask])")

from lrtheory import limits  # noqa: E402
from lrtheory.errors import InputError  # noqa: E402
from lrtheory.sweeps import basins  # noqa: E402


def levels_by_permutation(losses, ftol=basins.FTOL):
    """The definition: sort the values, count the gaps larger than ftol·(1 + |f|) before
    each position, and carry the count back to the unsorted positions."""
    order = np.argsort(losses, kind="stable")
    f = losses[order]
    level = np.zeros(len(f), dtype=np.int64)
    for i in range(1, len(f)):
        level[i] = level[i - 1] + (f[i] - f[i - 1] > ftol * (1 + abs(f[i])))
    out = np.empty_like(level)
    out[order] = level
    return out


@pytest.mark.parametrize("seed", range(4))
def test_loss_levels_are_the_gaps_counted_along_the_sorted_values(seed):
    rng = np.random.default_rng(seed)
    base = rng.choice([0.0, 0.5, 0.5 + 1e-9, 2.0, 2.0 + 1e-3, -1.0], size=400)
    losses = base + rng.choice([0.0, 1e-12, -1e-12], size=400)
    losses[rng.integers(0, 400, 5)] = np.nan          # nan sorts last, joins the top level
    assert np.array_equal(basins.loss_levels(losses), levels_by_permutation(losses))


@pytest.mark.parametrize("rows, span", [(500, 3), (500, 40), (50, 10**6)])
def test_unique_rows_match_numpy_whether_the_keys_are_marked_or_sorted(rows, span):
    """span 3 and 40: a key space of at most 2·rows + 4096 (marked in a table); 10⁶: sorted."""
    rng = np.random.default_rng(span)
    keys = rng.integers(-span, span, size=(rows, 3)).astype(np.int64)
    uniq, inverse = basins._unique_rows(keys)
    ref_uniq, ref_inverse = np.unique(keys, axis=0, return_inverse=True)
    assert np.array_equal(uniq, ref_uniq)
    assert np.array_equal(inverse.reshape(-1), ref_inverse.reshape(-1))
    assert np.array_equal(uniq[inverse.reshape(-1)], keys)


def test_smallest_eigenvalues_in_closed_form_agree_with_lapack():
    rng = np.random.default_rng(7)
    for n in (1, 2, 3):
        A = rng.normal(size=(300, n, n)) * rng.choice([1e-3, 1.0, 1e3], size=(300, 1, 1))
        Hs = (A + np.swapaxes(A, 1, 2)) / 2
        ref = np.linalg.eigvalsh(Hs)[:, 0]
        scale = np.abs(Hs).max(axis=(1, 2))
        assert np.all(np.abs(basins.smallest_eigenvalues(Hs) - ref) <= 1e-13 * scale)
    # the Hessian of (1 − xy)²/2 on xy = 1 is [[y², 1], [1, x²]]: eigenvalues 0 and x² + y²
    x = np.linspace(0.5, 2.0, 50)
    Hs = np.stack([np.stack([1 / x**2, np.ones_like(x)], -1),
                   np.stack([np.ones_like(x), x**2], -1)], -2)
    assert np.all(np.abs(basins.smallest_eigenvalues(Hs)) <= 1e-14 * (x**2 + 1 / x**2))


def test_lexmin_is_the_row_lexsort_puts_first():
    rng = np.random.default_rng(3)
    pts = rng.choice([-1.0, -0.0, 0.0, 2.0], size=(200, 3))
    assert np.array_equal(basins._lexmin(pts), pts[np.lexsort(pts.T[::-1])[0]])
    pts[:, 0] = 5.0
    pts[17] = [5.0, -3.0, 1.0]
    assert np.array_equal(basins._lexmin(pts), [5.0, -3.0, 1.0])


def test_the_labelling_memory_is_refused_before_the_sweep_runs(monkeypatch):
    """4096² starts of 2 variables: 16 777 216 × (32·2 + 64) bytes = 2 GiB, within the
    default 4 GiB; with the limit lowered, refused before any GD step (no chunk runs)."""
    assert basins.labelling_bytes(4096**2, 2) == 2 * 2**30 <= limits.MAX_BASIN_BYTES
    assert 4096**2 <= limits.MAX_SWEEP_CELLS < 8192**2
    monkeypatch.setattr(limits, "MAX_BASIN_BYTES", 2**20)
    from lrtheory.sweeps import run as sweep_run
    monkeypatch.setattr(sweep_run, "run_chunk", lambda *a: pytest.fail("a chunk ran"))
    with pytest.raises(InputError, match=r"MAX_BASIN_BYTES.*fewer grid points"):
        basins.basin_map("(1 - x*y)**2/2", "x,y", 0.5, (-2.0, 2.0), 128, steps=100)


def test_a_basin_map_labels_its_sets_as_the_loss_and_curvature_say():
    """(1 − xy)²/2 at h = 0.5 on a 64² grid of [−2, 2]²: the two branches of xy = 1 are
    minimizer sets (f = 0, λ_min = 0), the origin (f = 1/2, ∇²f = [[0, −1], [−1, 0]],
    λ_min = −1) a critical point; every converged start gets the code of its limit."""
    ds = basins.basin_map("(1 - x*y)**2/2", "x,y", 0.5, (-2.0, 2.0), 64, steps=2000)
    table = {t["name"]: t for t in basins.basin_legend(ds)}
    assert table["minimizer_1"]["loss"] == table["minimizer_2"]["loss"] == 0.0
    assert np.allclose(table["critical_1"]["point"], 0.0, rtol=0, atol=1e-300)
    assert table["critical_1"]["loss"] == 0.5 and table["critical_1"]["kind"] == "critical point"
    code = ds["basin"].values.reshape(-1)
    lx, ly = ds["limit_x"].values.reshape(-1), ds["limit_y"].values.reshape(-1)
    for name, sign in (("minimizer_1", -1), ("minimizer_2", 1)):
        rows = code == table[name]["code"]
        assert rows.sum() > 1000
        assert np.all(np.sign(lx[rows]) == sign) and np.all(np.abs(lx[rows] * ly[rows] - 1) < 1e-6)
    rows = code == table["critical_1"]["code"]
    assert np.all(np.abs(lx[rows]) + np.abs(ly[rows]) < 1e-6)


def test_sweep_label_codes_are_the_kernels_labels():
    """The codes stored per cell (read off the period, and off the label where there is
    none) name the labels the GD kernel gives: (1 − xy)²/2 at h = 1 on a 40² grid of
    [−1.5, 1.5]² has converged, periodic, aperiodic and divergent starts."""
    from lrtheory.gd import run_gd
    from lrtheory.sweeps import GDTask, Sweep, run_sweep
    from lrtheory.sweeps.spec import LABEL_MEANINGS
    task = GDTask("limit", steps=600, tail=64, max_period=16, tol=1e-9, blowup=1e6)
    sweep = Sweep.of("(1 - x*y)**2/2", "x,y", [1.0], box=(-1.5, 1.5), grid=40, task=task)
    ds = run_sweep(sweep, chunk_size=333)
    axis = np.linspace(-1.5, 1.5, 40)
    X = np.stack(np.meshgrid(axis, axis, indexing="ij"), axis=-1).reshape(-1, 2)
    run = run_gd(sweep.objective(0), X, 1.0, 600, task.gd_record(), blowup=1e6)
    names = [LABEL_MEANINGS[c] for c in ds["label"].values.reshape(-1)]
    assert names == list(run.labels) and len(set(names)) == 4
