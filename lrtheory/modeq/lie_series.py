"""Lie-series recursion for the modified equation of gradient descent (BLOG-4, BLOG-5).

GD is explicit Euler ``Φ_h(x) = x + h F₀(x)`` for ``F₀ = −∇f``.  The modified field
``F̃ = F₀ + h F₁ + h² F₂ + …`` is fixed by asking that its time-``h`` flow,

    exp(h L) id = Σ_{k≥0} h^k/k! L^k id,     L = D_{F̃}  (L Y = Y′ F̃),

equals ``Φ_h`` order by order in ``h``.  Write ``P_k[j]`` for the ``h^j`` coefficient of
``L^k id``; then ``P_1[j] = F_j`` and ``P_k[j] = Σ_{i+l=j} P_{k−1}[l]′ F_i``.  Matching the
coefficient of ``h^{m+1}`` (which is zero in ``Φ_h`` for ``m ≥ 1``) gives

    F_m = − Σ_{k=2}^{m+1} P_k[m+1−k] / k!,

where every term on the right involves only ``F_0, …, F_{m−1}``.  The recursion works in
any differential ring over Q whose elements can be multiplied by a python-flint ``fmpq``:
the caller passes the components of ``F₀`` and the partial derivation
``d(p, i) = ∂p/∂x_i``.  lrtheory runs it on python-flint ``fmpq_mpoly`` polynomials, in the
coordinates (polynomial objectives, ``d = p.derivative(i)``) or in the jets of ``f``
(every other objective, see :mod:`lrtheory.modeq.jets`).
"""
from __future__ import annotations

import time
from math import factorial
from typing import Callable, Sequence

from flint import fmpq

from ..errors import ComputationError


def lie_series_fields(F0: Sequence, order: int, d: Callable[[object, int], object],
                      zero=0, deadline: float | None = None) -> list[list]:
    """``[F_0, F_1, …, F_order]`` (each a list of ring elements) of the modified equation
    of explicit Euler for the field ``F0``, by the Lie-series recursion above; ``zero`` is
    the ring's zero.  With ``deadline`` (a ``time.monotonic()`` value) it raises
    :class:`~lrtheory.errors.ComputationError` when an order would start past it."""
    n = len(F0)
    fields = [list(F0)]
    P: dict[tuple[int, int], list] = {(1, 0): list(F0)}
    jac: dict[tuple[int, int], list] = {}

    def jacobian(key):
        if key not in jac:
            jac[key] = [[d(c, q) for q in range(n)] for c in P[key]]
        return jac[key]

    for m in range(1, order + 1):
        if deadline is not None and time.monotonic() > deadline:
            raise ComputationError(f"the modified equation reached order {m - 1} of {order} "
                                   "within the time budget: raise --budget or lower --order")
        Fm = [zero] * n  # accumulates −Σ_k P_k[m+1−k]/k!
        for k in range(2, m + 2):
            j = m + 1 - k
            acc = [zero] * n
            for i in range(j + 1):
                J, F = jacobian((k - 1, j - i)), fields[i]
                for c in range(n):
                    for q in range(n):
                        acc[c] = acc[c] + F[q] * J[c][q]
            P[(k, j)] = acc
            w = fmpq(1, factorial(k))
            Fm = [t - a * w for t, a in zip(Fm, acc)]
        fields.append(Fm)
        P[(1, m)] = Fm
    return fields
