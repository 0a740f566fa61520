"""lrtheory: check theorem statements about gradient descent with large learning rates,
symbolically, in high precision and rigorously."""

__version__ = "0.1.0"

from .errors import InputError, LRTheoryError, ComputationError  # noqa: E402
from .objectives import Objective  # noqa: E402

__all__ = ["Objective", "InputError", "LRTheoryError", "ComputationError", "__version__"]
