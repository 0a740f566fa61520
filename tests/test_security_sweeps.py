"""Sweeps under hostile inputs: sizes checked before any work, outputs that never destroy
other files, resumed chunks that must be the ones written (hash, expansion limit), and
one line of bad input for each."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

xr = pytest.importorskip("xarray", reason="lrtheory.sweeps needs xarray (lrtheory[dask])")

from cli_run import one_line_error  # noqa: E402
from cli_run import run_cli as cli  # noqa: E402
from lrtheory import limits  # noqa: E402
from lrtheory.errors import InputError  # noqa: E402
from lrtheory.sweeps import GDTask, Sweep, run_sweep  # noqa: E402
from lrtheory.sweeps import run as sweep_run  # noqa: E402


def small_sweep():
    return Sweep.of("x**2/2", "x", lr=[0.5, 1.0, 1.5], box=(-1.0, 1.0), grid=6,
                    task=GDTask("limit", steps=50, tail=8))


# ---- sizes before work ---------------------------------------------------------------------
@pytest.mark.parametrize("argv, said", [
    (["sweep", "x**2/2", "--vars", "x", "--lr-range", "0.1", "2", "--lr-samples", "9000",
      "--grid", "4096"], "36864000 cells (lr 9000 × x 4096)"),
    (["basins", "(x**2-1)**2+y**2+z**2", "--vars", "x,y,z", "--lr", "0.1", "--grid", "300"],
     "labelling the basins of 27000000 starts of 3 variables would take 4.02 GiB"),
    (["basins", "x**2+y**2+z**2", "--vars", "x,y,z", "--lr", "0.1", "--grid", "4096"],
     "68719476736 cells"),
    (["diagram", "x**2/2", "--vars", "x", "--lr-range", "0.1", "2", "--lr-samples", "2000",
      "--keep", "1000000"], "dataset would take 14.9 GiB (lr 2000 × start 1)"),
])
def test_a_sweep_beyond_the_limits_is_refused_before_it_runs(tmp_path, argv, said):
    line = one_line_error(cli(*argv, cwd=tmp_path))
    assert said in line and any(f"MAX_{what}" in line
                                for what in ("SWEEP_CELLS", "SWEEP_BYTES", "BASIN_BYTES"))


def test_the_size_estimate_is_cells_times_bytes_per_cell():
    """label int8 + period int32 + one float64 limit per variable: 13 bytes a cell for
    one variable; 3 lr × 6 grid points = 18 cells."""
    sweep = small_sweep()
    assert sweep.cells == 18 and sweep.dataset_bytes() == 18 * 13
    orbit = Sweep.of("x**2/2", "x", lr=[0.5, 1.0], x0=[[0.1], [0.2]],
                     task=GDTask("orbit", steps=10, tail=10, max_period=3))
    assert orbit.dataset_bytes() == 4 * (1 + 4 + 10 * 1 * 8)


# ---- outputs that never destroy --------------------------------------------------------------
def test_out_refuses_a_folder_holding_other_files_and_overwrite_moves_it_aside(tmp_path):
    pytest.importorskip("zarr")
    out = tmp_path / "o.zarr"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    args = ["sweep", "x**2/2", "--vars", "x", "--lr-range", "0.5", "1.5", "--lr-samples",
            "3", "--grid", "4", "--steps", "20", "--tail", "4"]
    line = one_line_error(cli(*args, "--out", "o.zarr", cwd=tmp_path))
    assert "holding other files" in line and "--overwrite" in line
    assert (out / "thesis.tex").read_text() == "years of work"
    p = cli(*args, "--out", "o.zarr", "--overwrite", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "o.zarr.replaced-1" / "thesis.tex").read_text() == "years of work"
    p = cli(*args, "--out", "o.zarr", cwd=tmp_path)       # the same sweep again: replaced
    assert p.returncode == 0, p.stderr
    other = [a if a != "4" else "5" for a in args]
    assert "holding other files" in one_line_error(cli(*other, "--out", "o.zarr",
                                                       cwd=tmp_path))


def test_out_refuses_a_file_that_is_not_netcdf(tmp_path):
    (tmp_path / "o.nc").write_text("not a dataset")
    with pytest.raises(InputError, match="is not a NetCDF file"):
        run_sweep(small_sweep(), out=tmp_path / "o.nc")
    assert (tmp_path / "o.nc").read_text() == "not a dataset"


def test_a_partial_folder_that_is_a_link_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, tmp_path / "s.nc.partial")
    with pytest.raises(InputError, match="is a symbolic link"):
        run_sweep(small_sweep(), out=tmp_path / "s.nc", chunk_size=6)
    assert list(elsewhere.iterdir()) == []


# ---- resumed chunks ----------------------------------------------------------------------
def interrupted(tmp_path, monkeypatch) -> Path:
    """A sweep of 3 chunks killed after its first two; returns its output path."""
    out = tmp_path / "r.nc"
    real, calls = sweep_run.run_chunk, []

    def failing(sw, a, b):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(a)
        return real(sw, a, b)
    monkeypatch.setattr(sweep_run, "run_chunk", failing)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(small_sweep(), out=out, chunk_size=6)
    monkeypatch.setattr(sweep_run, "run_chunk", real)
    return out


def test_an_edited_chunk_is_refused_on_resume(tmp_path, monkeypatch):
    out = interrupted(tmp_path, monkeypatch)
    chunk = tmp_path / "r.nc.partial" / "chunk-000001.npz"
    with np.load(chunk) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["limit_x"] = arrays["limit_x"] + 1.0          # a different result, well formed
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    chunk.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="chunk-000001.npz does not match the SHA-256"):
        run_sweep(small_sweep(), out=out, resume=True)
    assert not out.exists()


def test_a_zip_bomb_chunk_is_refused_before_it_expands(tmp_path, monkeypatch):
    out = interrupted(tmp_path, monkeypatch)
    monkeypatch.setattr(limits, "MAX_CHUNK_BYTES", 10_000)
    partial = tmp_path / "r.nc.partial"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("label.npy", b"\0" * 1_000_000)            # 1 MB from about 1 kB
    bomb = buffer.getvalue()
    (partial / "chunk-000000.npz").write_bytes(bomb)
    import hashlib
    import json
    hashes = json.loads((partial / "chunks.json").read_text())
    hashes["sha256"]["0"] = hashlib.sha256(bomb).hexdigest()  # even with its hash forged
    (partial / "chunks.json").write_text(json.dumps(hashes))
    with pytest.raises(InputError, match="expands to 1000000 bytes, more than the limit"):
        run_sweep(small_sweep(), out=out, resume=True)


def test_a_chunk_without_a_recorded_hash_is_computed_again(tmp_path, monkeypatch):
    """A run killed between recording a hash and writing its chunk (or a chunk from
    elsewhere) is not trusted as finished: it is computed again, and the result is the
    uninterrupted one."""
    out = interrupted(tmp_path, monkeypatch)
    partial = tmp_path / "r.nc.partial"
    (partial / "chunk-000002.npz").write_bytes((partial / "chunk-000000.npz").read_bytes())
    stats = {}
    ds = run_sweep(small_sweep(), out=out, resume=True, stats=stats)
    assert stats["resumed"] == 2 and stats["computed"] == 1
    fresh = run_sweep(small_sweep())
    assert np.array_equal(ds["limit_x"].values, fresh["limit_x"].values)
