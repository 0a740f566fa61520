"""Where a sweep's results go: finished chunks on disk, the labelled dataset, NetCDF and Zarr.

* :class:`ChunkStore` — the folder ``FILE.partial`` beside the output ``FILE`` of a running
  sweep: ``sweep.json`` (the sweep and its chunk size), ``chunks.json`` (the SHA-256 of
  every finished chunk, recorded before the chunk is written) and one
  ``chunk-NNNNNN.npz`` per finished chunk, each written atomically (a killed run leaves
  whole chunks only).  A resumed run reads the finished chunks — refusing one whose
  content does not match its recorded hash, or that would expand beyond
  :data:`~lrtheory.limits.MAX_CHUNK_BYTES` — and computes the others; the folder is
  removed once ``FILE`` is written.  A ``FILE.partial`` that is a symbolic link is
  refused (chunks would land elsewhere).
* :func:`check_replaceable` — an existing ``FILE`` is replaced only when it is the dataset
  of the same sweep (or an empty folder): a folder holding anything else is never
  deleted (``lrtheory sweep --overwrite`` moves it aside first).
* :func:`to_dataset` — the per-cell arrays as an :class:`xarray.Dataset`: one coordinate
  per swept quantity (``lr``, each parameter, each variable of a box grid of starts, or
  ``start`` with the start's coordinates), data variables named after what was recorded.
  ``label`` carries its meanings as CF flag attributes (``flag_values``,
  ``flag_meanings``); the dataset's attributes hold the objective, the task and the whole
  sweep as JSON (``sweep``).
* :func:`write_dataset` / :func:`open_dataset` — NetCDF (``.nc``, classic 64-bit offset
  format through scipy: no extra library) or Zarr (``.zarr``, a folder), written
  atomically.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import InputError
from .spec import LABEL_MEANINGS, GDTask, Sweep

__all__ = ["ChunkStore", "to_dataset", "write_dataset", "open_dataset", "require_xarray",
           "FORMATS"]

#: Output formats by file suffix.
FORMATS = {".nc": "netcdf", ".zarr": "zarr"}

_ATTRS = {
    "label": {"long_name": "long-run behaviour of the GD run",
              "flag_values": np.arange(len(LABEL_MEANINGS), dtype=np.int8),
              "flag_meanings": " ".join(LABEL_MEANINGS),
              "description": "converged: period 1; periodic: minimal period p >= 2 "
                             "(variable period); aperiodic: bounded, no period <= "
                             "max_period (chaotic or quasi-periodic); divergent: left the "
                             "ball of radius blowup or overflowed"},
    "period": {"long_name": "minimal period of the long-run orbit (1 converged, "
                            "0 aperiodic or divergent)"},
    "orbit": {"long_name": "the last states of the run, oldest first"},
    "sharpness": {"long_name": "largest Hessian eigenvalue at the last state",
                  "compare_with": "2/lr (the stability threshold of GD)"},
    "lyapunov": {"long_name": "Lyapunov exponents (QR of the tangent maps), largest first"},
    "orbits": {"long_name": "isolated periodic orbits of minimal period p in the box"},
    "attracting": {"long_name": "attracting orbits among them (|multipliers| < 1)"},
    "certified": {"long_name": "orbits proved by a Krawczyk test"},
    "records": {"long_name": "the orbit search (lrtheory OrbitSearch.to_json(exact=True)) as JSON"},
}


def require_xarray():
    """The xarray module, or :class:`InputError` saying how to install it."""
    try:
        import xarray
    except ImportError:
        raise InputError("sweeps return xarray datasets: install them with "
                         "pip install 'lrtheory[dask]'") from None
    return xarray


# ---- finished chunks on disk -----------------------------------------------------------
class ChunkStore:
    """The finished chunks of the sweep that writes ``out`` (see the module docstring)."""

    def __init__(self, out, manifest: dict, resume: bool):
        from ..io import atomic_write_text, dumps, read_text
        self.folder = Path(str(out) + ".partial")
        self.manifest = manifest
        check_replaceable(out, manifest.get("sweep"))
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            raise InputError(f"{self.folder} (the sweep's finished chunks) is a symbolic "
                             "link or not a folder: remove it or choose another --out")
        path, text = self.folder / "sweep.json", dumps(manifest) + "\n"
        self.hashes: dict[str, str] = {}
        if resume and path.is_file():
            if read_text(path, "sweep state") != text:
                raise InputError(f"{self.folder} holds a sweep with other settings; run "
                                 "without --resume to start afresh")
            self.hashes = self._read_hashes()
        else:
            self.remove()
            atomic_write_text(path, text)

    def _path(self, i: int) -> Path:
        return self.folder / f"chunk-{i:06d}.npz"

    @property
    def _hash_file(self) -> Path:
        return self.folder / "chunks.json"

    def _read_hashes(self) -> dict:
        from ..io import read_json
        if not self._hash_file.is_file():
            return {}
        data = read_json(self._hash_file, "sweep chunk hashes")
        hashes = data.get("sha256") if isinstance(data, dict) else None
        if not isinstance(hashes, dict) or any(
                not k.isdigit() or not isinstance(v, str) for k, v in hashes.items()):
            raise InputError(f"{self._hash_file} is not a table of chunk hashes: run "
                             "without --resume to start afresh")
        return hashes

    def done(self, count: int) -> list[int]:
        """The numbers of the finished chunks among 0..count−1 (on disk, hash recorded)."""
        return [i for i in range(count) if str(i) in self.hashes and self._path(i).is_file()]

    def save(self, i: int, arrays: dict) -> None:
        from ..io import atomic_write_bytes, atomic_write_json
        buffer = io.BytesIO()
        np.savez(buffer, **{k: (v.astype(str) if v.dtype == object else v)
                            for k, v in arrays.items()})
        data = buffer.getvalue()
        self.hashes[str(i)] = hashlib.sha256(data).hexdigest()
        atomic_write_json(self._hash_file, {"sha256": self.hashes})
        atomic_write_bytes(self._path(i), data)

    def load(self, i: int) -> dict:
        """The arrays of finished chunk ``i``, after checking its hash and its size."""
        from .. import limits
        from ..io import read_bytes
        path = self._path(i)
        data = read_bytes(path, "sweep chunk", limits.MAX_CHUNK_BYTES)
        if hashlib.sha256(data).hexdigest() != self.hashes.get(str(i)):
            raise InputError(f"{path} does not match the SHA-256 recorded in "
                             f"{self._hash_file} when it was written: delete it to compute "
                             "it again, or run without --resume")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                size = sum(info.file_size for info in z.infolist())
            if size > limits.MAX_CHUNK_BYTES:
                raise InputError(f"{path} expands to {size} bytes, more than the limit of "
                                 f"{limits.MAX_CHUNK_BYTES} (MAX_CHUNK_BYTES)")
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                return {k: arrays[k] for k in arrays.files}
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise InputError(f"{path} is not a readable chunk ({exc}): delete it to "
                             "compute it again") from None

    def remove(self) -> None:
        if self.folder.is_symlink():
            raise InputError(f"{self.folder} is a symbolic link: refusing to remove or "
                             "follow it")
        shutil.rmtree(self.folder, ignore_errors=True)


def _same_sweep(attrs: dict, sweep_json) -> bool:
    """Whether dataset attributes ``attrs`` are those of an lrtheory sweep of
    ``sweep_json`` (its engine aside: "auto" resolves per run)."""
    if not isinstance(attrs, dict) or attrs.get("title") != "lrtheory sweep" or \
            sweep_json is None:
        return False
    try:
        stored = json.loads(attrs.get("sweep", ""))
    except (TypeError, ValueError):
        return False
    strip = lambda d: {k: v for k, v in d.items() if k != "engine"} \
        if isinstance(d, dict) else d  # noqa: E731
    return strip(stored) == strip(json.loads(json.dumps(sweep_json)))


def check_replaceable(out, sweep_json=None) -> None:
    """:class:`InputError` unless the output ``out`` may be written: absent, an empty
    folder, a regular NetCDF file, or a Zarr folder holding the dataset of the same sweep
    (``sweep_json``: :meth:`Sweep.to_json`; None accepts no existing Zarr dataset).  A
    symbolic link is refused; a folder holding other files is never deleted."""
    from ..io import read_json
    path = Path(out)
    if path.is_symlink():
        raise InputError(f"--out {path} is a symbolic link: refusing to write through it")
    if not path.exists():
        return
    if output_format(path) == "netcdf":
        if not path.is_file():
            raise InputError(f"--out {path} exists and is not a file")
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if magic[:3] != b"CDF" and magic != b"\x89HDF":
            raise InputError(f"--out {path} exists and is not a NetCDF file: refusing to "
                             "replace it (choose a new name, or --overwrite to move it "
                             "aside)")
        return
    if not path.is_dir():
        raise InputError(f"--out {path} exists and is not a Zarr folder")
    if not any(path.iterdir()):
        return
    attrs = None
    if (path / ".zattrs").is_file():
        try:
            attrs = read_json(path / ".zattrs", "Zarr attributes")
        except InputError:
            attrs = None
    if not _same_sweep(attrs, sweep_json):
        raise InputError(f"--out {path} is a folder holding other files, not the dataset "
                         "of this sweep: refusing to replace it (choose a new name, or "
                         "--overwrite to move it aside)")


def move_aside(out) -> Path | None:
    """Rename an existing output ``out`` to ``NAME.replaced-N`` (the first free N) and
    return the new name; None when nothing is there.  Nothing is deleted."""
    path = Path(out)
    if not os.path.lexists(path):
        return None
    n = 1
    while os.path.lexists(path.with_name(f"{path.name}.replaced-{n}")):
        n += 1
    aside = path.with_name(f"{path.name}.replaced-{n}")
    os.rename(path, aside)
    return aside


# ---- the dataset -----------------------------------------------------------------------
def _coords(sweep: Sweep) -> dict:
    coords = {d: (d, sweep.axis_values(d)) for d in sweep.grid_dims}
    if sweep.points is not None:
        P = np.asarray(sweep.points, dtype=float)
        coords.update({v: ("start", P[:, i]) for i, v in enumerate(sweep.variables)})
    for _, dims, sizes, _ in sweep.outputs():
        for d, n in zip(dims, sizes):
            if d == "variable":
                coords[d] = (d, np.array(sweep.variables, dtype=object))
            elif d in ("exponent", "period"):
                coords[d] = (d, np.arange(1, n + 1, dtype=np.int32))
            elif d == "iterate":
                coords[d] = (d, np.arange(-n + 1, 1, dtype=np.int32))
    return coords


def _attrs(sweep: Sweep, engine: str) -> dict:
    task = sweep.task
    attrs = {"title": "lrtheory sweep", "lrtheory": __version__, "objective": str(sweep.expr),
             "variable_names": ",".join(sweep.variables), "task": type(task).__name__,
             "sweep": json.dumps(sweep.to_json(exact=True), separators=(",", ":"))}
    if isinstance(task, GDTask):
        attrs.update(record=task.record, steps=task.steps, transient=task.transient,
                     tail=task.tail, max_period=task.max_period, tol=task.tol,
                     blowup=task.blowup, continued=int(task.continued), engine=engine)
    else:
        attrs.update(max_period=task.max_period, box=np.array(task.box), dps=task.dps,
                     starts=task.starts, certify=int(task.certify), seed=sweep.seed)
    return attrs


def to_dataset(sweep: Sweep, arrays: dict):
    """The per-cell ``arrays`` (first axis: every cell, in order) as an xarray Dataset
    with the swept axes first (lr, parameters, starts) and the extra axes of each
    variable after them."""
    xr = require_xarray()
    shape = sweep.cell_shape
    data = {}
    for name, dims, sizes, _ in sweep.outputs():
        values = np.asarray(arrays[name]).reshape(shape + tuple(sizes))
        if values.dtype.kind == "U":
            values = values.astype(object)
        all_dims = sweep.cell_dims + dims
        order = sweep.grid_dims + tuple(d for d in dims if d not in sweep.grid_dims)
        var = xr.Variable(all_dims, values, dict(_ATTRS.get(name, {})))
        if name.startswith("limit_"):
            var.attrs["long_name"] = f"coordinate {name[6:]} of the last state"
        data[name] = var.transpose(*order)
    return xr.Dataset(data, coords=_coords(sweep), attrs=_attrs(sweep, sweep.engine))


# ---- files -----------------------------------------------------------------------------
def output_format(path) -> str:
    """"netcdf" or "zarr" from the suffix of ``path``; :class:`InputError` otherwise."""
    fmt = FORMATS.get(Path(str(path)).suffix.lower())
    if fmt is None:
        raise InputError(f"output {str(path)!r} must end in .nc (NetCDF) or .zarr (Zarr)")
    return fmt


def write_dataset(ds, path) -> Path:
    """Write ``ds`` to ``path`` (.nc or .zarr) atomically; returns the path."""
    path = Path(path)
    check_replaceable(path, json.loads(ds.attrs["sweep"]) if "sweep" in ds.attrs else None)
    if output_format(path) == "netcdf":
        from ..io import atomic_write_bytes
        data = ds.to_netcdf(None, engine="scipy", format="NETCDF3_64BIT")
        return atomic_write_bytes(path, bytes(data))
    return _write_zarr(ds, path)


def _zarr_options() -> dict:
    try:
        import zarr
    except ImportError:
        raise InputError("writing Zarr needs zarr: pip install 'lrtheory[dask]'") from None
    major = int(zarr.__version__.split(".")[0])
    return {"zarr_format": 2, "consolidated": True} if major >= 3 else {"consolidated": True}


def _write_zarr(ds, path: Path) -> Path:
    """A Zarr store written beside ``path`` and renamed over it (the old one removed)."""
    options = _zarr_options()
    if path.exists() and not path.is_dir():
        raise InputError(f"{str(path)!r} exists and is not a Zarr folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        ds.to_zarr(tmp, mode="w", **options)
        old = path.with_name(f".{path.name}.{os.getpid()}.old")
        if path.exists():
            os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def open_dataset(path):
    """The dataset of a sweep written by :func:`write_dataset` (loaded into memory)."""
    xr = require_xarray()
    path = Path(path)
    if not path.exists():
        raise InputError(f"no sweep output at {str(path)!r}")
    if output_format(path) == "zarr":
        _zarr_options()
        with xr.open_dataset(path, engine="zarr") as ds:
            return ds.load()
    with xr.open_dataset(path) as ds:
        return ds.load()
