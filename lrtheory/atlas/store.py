"""The atlas as an :class:`xarray.Dataset`: one row per learning-rate box.

Dimension ``box``; coordinates ``lo``, ``hi`` (float64, rounded to nearest; the exact
endpoints are the strings ``lo_exact``, ``hi_exact``); data variables ``label`` (an
integer code with CF ``flag_values`` / ``flag_meanings``: attracting, chaotic, divergent,
undecided), ``period``, ``entropy_lower`` (NaN where none is proved) and ``unique``;
attributes: the objective, the variable, the range, the maximal period and the proved
measure and fraction of each class.
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError
from .classify import CLASSES

__all__ = ["to_dataset", "write_atlas"]


def to_dataset(result):
    """The :class:`~lrtheory.atlas.Atlas` as a dataset (module docstring)."""
    try:
        import xarray as xr
    except ImportError:
        raise InputError("the atlas dataset needs xarray: pip install 'lrtheory[dask]'") \
            from None
    boxes = result.boxes
    lo = np.array([float(b.interval[0]) for b in boxes])
    hi = np.array([float(b.interval[1]) for b in boxes])
    codes = np.array([CLASSES.index(b.label) for b in boxes], dtype=np.int8)
    entropy = np.array([np.nan if b.entropy_lower is None else b.entropy_lower
                        for b in boxes])
    attrs = {"objective": result.objective, "variable": result.variable,
             "lr_range": " ".join(result.lr_range), "max_period": result.max_period}
    for label in CLASSES:
        attrs[f"measure_{label}"] = result.summary[label]["measure"]
        attrs[f"fraction_{label}"] = result.summary[label]["fraction"]
    return xr.Dataset(
        {"label": ("box", codes, {"flag_values": np.arange(len(CLASSES), dtype=np.int8),
                                  "flag_meanings": " ".join(CLASSES)}),
         "period": ("box", np.array([b.period for b in boxes], dtype=np.int32)),
         "entropy_lower": ("box", entropy, {"long_name": "proved lower bound on the "
                                                         "topological entropy"}),
         "unique": ("box", np.array([b.unique for b in boxes], dtype=np.int8)),
         "lo_exact": ("box", np.array([b.lo for b in boxes], dtype=object).astype(str)),
         "hi_exact": ("box", np.array([b.hi for b in boxes], dtype=object).astype(str))},
        coords={"lo": ("box", lo), "hi": ("box", hi)}, attrs=attrs)


def write_atlas(result, path):
    """Write the dataset to ``path`` (.nc or .zarr) atomically; returns the path."""
    from ..sweeps.store import write_dataset
    return write_dataset(to_dataset(result), path)
