"""Modified equations of gradient descent to arbitrary order (claims BLOG-4 … BLOG-7).

GD ``x ↦ x − h∇f(x)`` is explicit Euler for ``ẋ = F₀ = −∇f``.  Backward error analysis
gives ``F̃ = F₀ + hF₁ + h²F₂ + …`` whose time-``h`` flow reproduces GD to any order:

* :func:`modified_equation` — a :class:`ModifiedEquation` (a result: JSON round trip,
  LaTeX): the explicit fields for a given objective, their gradient structure (curl,
  potentials, gradient part + remainder), computed on python-flint polynomials;
* :mod:`.lie_series` and :mod:`.bseries` — two independent derivations (Lie-series
  recursion; rooted-tree B-series of explicit Euler, which also gives the coordinate-free
  form ``F₁ = −½Hg``, ``F₂ = −⅓H²g − (1/12)T(g, g)``, …);
* :mod:`.quadratic` — the closed form ``h⁻¹ log(I − hA)x`` for ``f = ½xᵀAx``;
* :mod:`.order` — high-precision integration of the truncated flow and the fitted order
  (:class:`~lrtheory.modeq.order.OrderFit`);
* :mod:`.integration` — exact one-dimensional potentials in the differential algebra of
  ``f`` (``log cosh``, ``e^{−x²}``, …) without general integration.
"""
from .bseries import tensor_field
from .field import (CoordinateFreeForm, ModifiedEquation, coordinate_free_form, modified_equation,
                    one_dimensional_form, universal_fields, universal_potential)
from .structure import NotGradientError

__all__ = ["CoordinateFreeForm", "ModifiedEquation", "NotGradientError", "coordinate_free_form",
           "modified_equation", "one_dimensional_form", "tensor_field", "universal_fields",
           "universal_potential"]
