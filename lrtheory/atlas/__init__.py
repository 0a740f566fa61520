"""A certified learning-rate atlas of GD on objectives of one or two variables.

Every learning rate of an interval [A, B] is covered by boxes, each with a proved class
— ``attracting`` (a Krawczyk-certified p-cycle over the whole box, proved the only
attractor by Singer's theorem where the hypotheses are verified), ``chaotic`` (a
certified orbit of a period that is not a power of two: Šarkovskii, with the entropy
bound of Block–Guckenheimer–Misiurewicz–Young), ``divergent`` (every critical orbit
escapes) — or ``undecided`` with the reason:

* :mod:`.maps` — the GD map in balls over a learning-rate box; for polynomials the escape
  radius, critical cover and negative Schwarzian;
* :mod:`.entropy` — the entropy forced by one periodic orbit;
* :mod:`.classify` — one box, one class (:func:`classify_box`, :class:`BoxClass`);
* :mod:`.plane` — objectives of two variables (attracting cycles, chaos on an invariant
  line, affine maps);
* :mod:`.atlas` — the driver on the sweep executors (:func:`atlas`, :class:`Atlas`);
* :mod:`.checkpoint` — the checkpoint file that makes a run resumable;
* :mod:`.store` — the xarray dataset.
"""
from .atlas import Atlas, atlas
from .classify import CLASSES, AtlasSettings, BoxClass, classify_box
from .entropy import entropy_lower_bound
from .maps import ElementaryGD, PolynomialGD, gd_map
from .store import to_dataset, write_atlas

__all__ = ["atlas", "Atlas", "BoxClass", "AtlasSettings", "classify_box", "CLASSES",
           "PolynomialGD", "ElementaryGD", "gd_map", "entropy_lower_bound", "to_dataset",
           "write_atlas"]
