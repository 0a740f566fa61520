"""The kinds of expectation by name: what a TOML claim's ``kind`` may be, with the keys
each takes.  Importing this module imports nothing heavy (``lrtheory list`` checks the
keys of TOML claims with it); the functions themselves live in :mod:`lrtheory.expect`.

A TOML claim is ``id``, ``title``, ``statement``, ``kind`` and the kind's arguments, plus
optionally ``source``, ``expected`` and ``tags`` (:data:`CLAIM_KEYS`).  The key names are
the keyword arguments of the Python functions.
"""
from __future__ import annotations

from dataclasses import dataclass

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
         _OBJ + ("lr",), ("starts", "start_box", "to", "to_set", "steps"),
         "GD from the starts converges (to the stated point or set)"),
    Kind("gd-diverges", "lrtheory.expect.gd:gd_diverges",
         _OBJ + ("lr",), ("starts", "start_box", "steps"),
         "GD from the starts diverges to infinity"),
    Kind("gd-bounded", "lrtheory.expect.gd:gd_bounded",
         _OBJ + ("lr",), ("starts", "start_box", "radius", "steps"),
         "GD from the starts stays bounded (within the radius)"),
    Kind("hessian-spectrum", "lrtheory.expect.hessian:hessian_spectrum",
         _OBJ + ("at", "equals"), _TOL,
         "the Hessian eigenvalues at a point equal the stated values"),
    Kind("sharpness", "lrtheory.expect.hessian:sharpness",
         _OBJ + ("at",), ("equals", "at_most", "at_least") + _TOL,
         "the largest Hessian eigenvalue at a point equals or is bounded by a value"),
    Kind("limit-sharpness", "lrtheory.expect.eos:limit_sharpness",
         _OBJ + ("starts", "lr"), ("equals", "at_most", "at_least", "steps") + _TOL,
         "GD converges (certified) to a point whose sharpness equals or is bounded by a "
         "value (which may use h)"),
    Kind("monotone", "lrtheory.expect.quantities:monotone",
         _OBJ + ("quantity", "starts", "lr", "steps", "direction"), (),
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
