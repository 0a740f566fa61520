"""Modified equations of gradient descent to arbitrary order (claims BLOG-4 … BLOG-7).

GD ``x ↦ x − h∇f(x)`` is explicit Euler for ``ẋ = F₀ = −∇f``.  Backward error analysis
gives ``F̃ = F₀ + hF₁ + h²F₂ + …`` whose time-``h`` flow reproduces GD to any order:

* :func:`modified_equation` — the explicit fields for a given objective, their gradient
  structure (curl, potentials, gradient part + remainder);
* :mod:`.lie_series` and :mod:`.bseries` — two independent derivations (Lie-series
  recursion; rooted-tree B-series of explicit Euler, which also gives the coordinate-free
  form ``F₁ = −½Hg``, ``F₂ = −⅓H²g − (1/12)T(g, g)``, …);
* :mod:`.quadratic` — the closed form ``h⁻¹ log(I − hA)x`` for ``f = ½xᵀAx``;
* :mod:`.order` — high-precision integration of the truncated flow and the fitted order.
"""
from .bseries import tensor_field
from .field import ModifiedEquation, modified_equation, one_dimensional_form, universal_fields
from .structure import NotGradientError

__all__ = ["ModifiedEquation", "NotGradientError", "modified_equation", "one_dimensional_form",
           "tensor_field", "universal_fields"]
