"""lrtheory: check theorem statements about gradient descent with large learning rates,
symbolically, in high precision and rigorously.

Importing the package is cheap: the public names below are loaded on first use
(PEP 562 module ``__getattr__``), so ``lrtheory --version`` never imports sympy or numpy
while ``from lrtheory import Objective`` keeps working."""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name -> the submodule that defines it (imported on first access).
_LAZY = {
    "Objective": ".objectives",
    "InputError": ".errors",
    "LRTheoryError": ".errors",
    "ComputationError": ".errors",
    "symbols": ".parsing",
}

__all__ = ["Objective", "InputError", "LRTheoryError", "ComputationError", "symbols",
           "__version__"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
