"""Figures of the report: find each figure file named in the results, copy it under a
LaTeX-safe name into ``<out>/figures/`` (vector PDF for the report, PNG beside it for
quick viewing), and say plainly when a figure is missing.

Figures are taken only from the results' own figure folder (``figures/`` beside the
results file, or the report's own ``figures/``): a path that is absolute or contains
``..`` is refused, and so is a file whose real path (links followed) lies outside those
folders, so a results file cannot pull other files of the system into the report.
A results file names at most :data:`~lrtheory.limits.MAX_FIGURES` figures, each a regular
file within :data:`~lrtheory.limits.MAX_INPUT_FILE_BYTES`, and the report's ``figures/``
folder must not be a symbolic link (figures would land outside the report)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..io import atomic_write_bytes, read_bytes

_MAGIC = {".pdf": b"%PDF-", ".png": b"\x89PNG"}


@dataclass
class FigureView:
    name: str
    caption: str
    path: str | None      # relative to the report folder, for \includegraphics
    png: str | None
    problem: str = ""


def _valid(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(8).startswith(_MAGIC[path.suffix.lower()])
    except (OSError, KeyError):
        return False


def path_problem(name) -> str | None:
    """Why a figure path from the results is refused (absolute, ``..``), or None."""
    if not isinstance(name, str) or not name:
        return None
    given = Path(name.replace("\\", "/"))
    why = ("is absolute" if given.is_absolute() or name.startswith("~") else
           "contains '..'" if ".." in given.parts else None)
    return why and f"figure path {name} {why}: only the results' figures folder is used"


def resolve(name, suffix: str, base_dirs) -> Path | None:
    """The existing, well-formed file a results entry names, relative to one of
    ``base_dirs`` or by its file name in the ``figures`` folder there, whose real path lies
    inside that ``figures`` folder; None for anything else (see :func:`path_problem`)."""
    if not isinstance(name, str) or not name or path_problem(name):
        return None
    given = Path(name.replace("\\", "/"))
    for b in base_dirs:
        folder = (Path(b) / "figures").resolve()
        for c in (Path(b) / given, Path(b) / "figures" / given.name):
            real = c.resolve()
            if real.is_relative_to(folder) and real.suffix.lower() == suffix \
                    and real.is_file() and _valid(real):
                return real
    return None


def safe_stem(text: str) -> str:
    """A file stem LaTeX's \\includegraphics accepts everywhere."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")[:80] or "figure"


def _copy(src: Path, dest: Path) -> None:
    if dest.exists() and dest.resolve() == src.resolve():
        return
    atomic_write_bytes(dest, read_bytes(src, "figure"))


def png_from_pdf(pdf: Path, png: Path) -> bool:
    """Render the first page of ``pdf`` to ``png`` with pdftoppm (False when unavailable)."""
    if not shutil.which("pdftoppm"):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        done = subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf),
                               str(stem)], capture_output=True, timeout=120)
        out = stem.with_suffix(".png")
        if done.returncode != 0 or not out.is_file():
            return False
        atomic_write_bytes(png, out.read_bytes())
    return True


def place_figure(entry: dict, stem: str, out_dir: Path, base_dirs) -> FigureView:
    """Copy one figure into ``out_dir/figures`` as ``stem``.pdf / .png."""
    name, caption = str(entry.get("name", "")), str(entry.get("caption", ""))
    pdf = resolve(entry.get("pdf"), ".pdf", base_dirs)
    png = resolve(entry.get("png"), ".png", base_dirs)
    if pdf is None and png is None:
        wanted = entry.get("pdf") or entry.get("png") or "(no file named)"
        why = path_problem(entry.get("pdf")) or path_problem(entry.get("png"))
        return FigureView(name, caption, None, None,
                          why or f"figure file not found or not a valid PDF/PNG: {wanted}")
    fig_dir = figure_folder(out_dir)
    rel_pdf = rel_png = None
    if pdf is not None:
        _copy(pdf, fig_dir / f"{stem}.pdf")
        rel_pdf = f"figures/{stem}.pdf"
    if png is not None:
        _copy(png, fig_dir / f"{stem}.png")
        rel_png = f"figures/{stem}.png"
    elif png_from_pdf(fig_dir / f"{stem}.pdf", fig_dir / f"{stem}.png"):
        rel_png = f"figures/{stem}.png"
    return FigureView(name, caption, rel_pdf or rel_png, rel_png)


def figure_folder(out_dir) -> Path:
    """``out_dir/figures``, where the report's figures go; :class:`InputError` when it is
    a symbolic link or not a folder."""
    folder = Path(out_dir) / "figures"
    if folder.is_symlink():
        raise InputError(f"the report's figure folder {folder} is a symbolic link: "
                         "refusing to write figures through it")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"the report's figure folder {folder} is not a folder")
    return folder


def figure_count(claims) -> int:
    """How many figure entries the claim records ``claims`` name."""
    count = 0
    for record in claims:
        ev = record.get("evidence") if isinstance(record, dict) else None
        figs = ev.get("figures") if isinstance(ev, dict) else None
        count += len(figs) if isinstance(figs, list) else 0
    return count


def place_figures(results: dict, out_dir, base_dirs=()) -> dict:
    """Place every figure of ``results``; returns {(claim number, figure number): view}
    with claims numbered from 1 as in :func:`lrtheory.report.document.build`."""
    out_dir = Path(out_dir)
    bases = [Path(b) for b in base_dirs] + [out_dir]
    placed, used = {}, set()
    claims = results.get("claims") if isinstance(results, dict) else None
    count = figure_count(claims) if isinstance(claims, list) else 0
    if count > limits.MAX_FIGURES:
        raise InputError(f"the results name {count} figures, more than the limit of "
                         f"{limits.MAX_FIGURES} (MAX_FIGURES)")
    if count:
        figure_folder(out_dir)
    for i, record in enumerate(claims if isinstance(claims, list) else [], 1):
        ev = record.get("evidence") if isinstance(record, dict) else None
        figs = ev.get("figures") if isinstance(ev, dict) else None
        for j, entry in enumerate(figs if isinstance(figs, list) else []):
            if not isinstance(entry, dict):
                continue
            own = Path(str(entry.get("pdf") or entry.get("png") or entry.get("name") or "")).stem
            stem = safe_stem(own or f"{record.get('id', i)}-{j}")
            while stem in used:
                stem = f"{stem}-{j + 1}"
            used.add(stem)
            placed[i, j] = place_figure(entry, stem, out_dir, bases)
    return placed
