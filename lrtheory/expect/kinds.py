"""The kinds of expectation by name: what a TOML claim's ``kind`` may be, with the keys
each takes.  Importing this module imports nothing heavy (``lrtheory list`` checks the
keys of TOML claims with it); the functions themselves live in :mod:`lrtheory.expect`.

A TOML claim is ``id``, ``title``, ``statement``, ``kind`` and the kind's arguments, plus
optionally ``source``, ``expected`` and ``tags`` (:data:`CLAIM_KEYS`).  The key names are
the keyword arguments of the Python functions.

Other packages add kinds through the entry-point group ``lrtheory.kinds`` (:data:`GROUP`):
each entry point names a :class:`Kind` (``module:attribute``) or a callable returning
one; :func:`find_kind` and :func:`all_kinds` see them beside the built-in :data:`KINDS`.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache

#: Keys every TOML claim may have besides the arguments of its kind.
CLAIM_KEYS = ("id", "title", "statement", "source", "kind", "expected", "tags")
CLAIM_REQUIRED = ("id", "title", "statement", "kind")


@dataclass(frozen=True)
class Kind:
    """A kind: its ``name`` in TOML, the function (``module:name``) that builds it, its
    ``required`` and ``optional`` arguments and one line saying what it checks."""

    name: str
    function: str
    required: tuple
    optional: tuple = ()
    summary: str = ""

    @property
    def arguments(self) -> tuple:
        return self.required + self.optional

    def load(self):
        """The function of :mod:`lrtheory.expect` that builds this kind."""
        import importlib
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module), name)


_OBJ = ("objective", "vars")
#: The tolerance of stated values (``value``, ``equals``, ``at_most``, ``at_least``,
#: ``multiplier``): absolute, or as the number of correct decimals.
_TOL = ("tolerance", "digits")
KINDS = {k.name: k for k in (
    Kind("periodic-orbit", "lrtheory.expect.orbits:periodic_orbit",
         _OBJ + ("lr", "period"), ("stable", "box", "multiplier") + _TOL,
         "an orbit of minimal period p exists at learning rate lr (attracting or repelling, "
         "with a stated multiplier)"),
    Kind("no-attracting-orbit", "lrtheory.expect.orbits:no_attracting_orbit",
         _OBJ + ("lr", "max_period", "box"), (),
         "no attracting orbit of period <= max_period lies in the box"),
    Kind("bifurcation", "lrtheory.expect.bifurcations:bifurcation",
         _OBJ + ("lr_range", "type", "period"), ("value",) + _TOL,
         "a bifurcation of the given type and period in the learning-rate interval"),
    Kind("modified-field", "lrtheory.expect.modified:modified_field",
         _OBJ + ("order", "equals"), (),
         "the order-n field F_n of the modified equation equals the stated components"),
    Kind("modified-potential", "lrtheory.expect.modified:modified_potential",
         _OBJ + ("order", "equals"), (),
         "the order-n potential f_n (F_n = -grad f_n) equals the stated expression"),
    Kind("modified-gradient", "lrtheory.expect.modified:modified_gradient",
         _OBJ + ("order",), ("gradient",),
         "the order-n field of the modified equation is (or is not) a gradient"),
    Kind("gd-converges", "lrtheory.expect.gd:gd_converges",
         _OBJ + ("lr",), ("starts", "start_box", "to", "to_set", "steps", "params"),
         "GD from the starts converges (to the stated point or set)"),
    Kind("gd-diverges", "lrtheory.expect.gd:gd_diverges",
         _OBJ + ("lr",), ("starts", "start_box", "steps", "params"),
         "GD from the starts diverges to infinity"),
    Kind("gd-bounded", "lrtheory.expect.gd:gd_bounded",
         _OBJ + ("lr",), ("starts", "start_box", "radius", "steps", "params"),
         "GD from the starts stays bounded (within the radius)"),
    Kind("hessian-spectrum", "lrtheory.expect.hessian:hessian_spectrum",
         _OBJ + ("at", "equals"), _TOL,
         "the Hessian eigenvalues at a point equal the stated values"),
    Kind("sharpness", "lrtheory.expect.hessian:sharpness",
         _OBJ + ("at",), ("equals", "at_most", "at_least") + _TOL,
         "the largest Hessian eigenvalue at a point equals or is bounded by a value"),
    Kind("limit-sharpness", "lrtheory.expect.eos:limit_sharpness",
         _OBJ + ("lr",), ("starts", "start_box", "equals", "at_most", "at_least", "steps")
         + _TOL,
         "GD converges (certified) to a point whose sharpness equals or is bounded by a "
         "value (which may use h)"),
    Kind("monotone", "lrtheory.expect.quantities:monotone",
         _OBJ + ("quantity", "lr", "steps", "direction"), ("starts", "start_box"),
         "a quantity is nonincreasing, nondecreasing or conserved along GD"),
    Kind("inequality", "lrtheory.expect.inequalities:inequality",
         ("lhs", "rhs", "vars", "box"), ("relation", "max_examples"),
         "lhs <= rhs (or <, >=, >) for every point of the box"),
    Kind("lyapunov-sign", "lrtheory.expect.lyapunov:lyapunov_sign",
         _OBJ + ("lr", "starts", "sign"), ("steps", "transient"),
         "the sign of the largest Lyapunov exponent of GD"),
    Kind("atlas", "lrtheory.expect.atlas:attracting_measure",
         _OBJ + ("lr_range", "at_least"), ("max_period", "boxes", "max_depth"),
         "GD has a proved attracting cycle for at least at_least % of h in lr_range"),
    Kind("throughout", "lrtheory.expect.intervals:throughout_kind",
         ("property", "lr_range"), ("samples",),
         "a property of another kind holds for every learning rate of an interval"),
)}


def kind_keys(kind: Kind, table: dict) -> tuple[tuple, tuple]:
    """(required, optional) argument keys of ``kind`` for a TOML claim ``table``: the
    kind "throughout" also takes the arguments of its ``property`` kind except ``lr``."""
    if kind.name != "throughout":
        return kind.required, kind.optional
    prop = KINDS.get(table.get("property")) if isinstance(table.get("property"), str) else None
    if prop is None or "lr" not in prop.arguments:
        return kind.required, kind.optional
    return (kind.required + tuple(a for a in prop.required if a != "lr"),
            kind.optional + prop.optional)


def lr_kinds() -> list[str]:
    """Kinds with a learning rate ``lr``: the properties "throughout" accepts."""
    return [k.name for k in KINDS.values() if "lr" in k.required]


# ---- kinds from other packages ----------------------------------------------------------------
#: The entry-point group of kinds installed by other distributions.
GROUP = "lrtheory.kinds"


def find_kind(name) -> Kind | None:
    """The kind named ``name``: a built-in one, or one an installed distribution
    registers in :data:`GROUP` (looked up only for a name that is not built in)."""
    if not isinstance(name, str):
        return None
    return KINDS.get(name) or installed_kinds().get(name)


def all_kinds() -> dict[str, Kind]:
    """Every kind by name: the built-in :data:`KINDS`, then the installed ones."""
    return {**KINDS, **installed_kinds()}


def installed_kinds() -> dict[str, Kind]:
    """The kinds installed distributions register in :data:`GROUP`, by name;
    :class:`~lrtheory.errors.InputError` naming the entry point when one does not load,
    is not a :class:`Kind` (or a callable returning one), or reuses a kind's name."""
    return dict(_installed_kinds(tuple(sys.path)))


@lru_cache(maxsize=8)
def _installed_kinds(path: tuple) -> tuple:
    """The installed kinds on the import path ``path`` (read once per path)."""
    from importlib.metadata import entry_points
    found: dict[str, Kind] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name, e.value)):
        kind = _entry_point_kind(ep)
        where = f"entry point {ep.name!r} of group {GROUP}"
        if kind.name in KINDS or kind.name in found:
            raise _error(f"{where}: kind {kind.name!r} is already defined"
                         f"{' by lrtheory' if kind.name in KINDS else ''}")
        found[kind.name] = kind
    return tuple(found.items())


def _entry_point_kind(ep) -> Kind:
    where = f"entry point {ep.name!r} of group {GROUP} ({ep.value})"
    try:
        obj = ep.load()
        kind = obj if isinstance(obj, Kind) else obj() if callable(obj) else obj
    except Exception as exc:  # a broken plugin is bad input, named
        raise _error(f"{where} does not load: {type(exc).__name__}: {exc}") from None
    if not isinstance(kind, Kind):
        raise _error(f"{where}: must name a lrtheory.expect.kinds.Kind or a callable "
                     f"returning one, got {type(kind).__name__}")
    if ":" not in kind.function or not all(isinstance(a, str) for a in kind.arguments):
        raise _error(f"{where}: kind {kind.name!r} needs a function 'module:name' and "
                     "argument names")
    return kind


def _error(message: str):
    from ..errors import InputError
    return InputError(message)
