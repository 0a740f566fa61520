"""Generic identities of the modified equation, decided exactly in the ring of jets
(BLOG-4, BLOG-5).  Everything here holds for *every* smooth ``f`` in ``n`` dimensions
because jets are algebraically independent (see :mod:`lrtheory.modeq.jets`)."""
from __future__ import annotations

from flint import fmpq

from .bseries import bseries_fields
from .jets import JetRing
from .lie_series import lie_series_fields
from .structure import curl


def _hess_vec(J: JetRing, v) -> list:
    """``H v`` with ``H_ij = f_{e_i+e_j}``."""
    n = J.n
    return [sum((J.jet(tuple(a + b for a, b in zip(J.unit(i), J.unit(j)))) * v[j]
                 for j in range(n)), J.zero) for i in range(n)]


def _third(J: JetRing, u, v) -> list:
    """``T(u, v)`` with ``T_ijk = f_{e_i+e_j+e_k}``."""
    n = J.n
    out = []
    for i in range(n):
        acc = J.zero
        for j in range(n):
            for k in range(n):
                alpha = tuple(a + b + c for a, b, c in zip(J.unit(i), J.unit(j), J.unit(k)))
                acc += J.jet(alpha) * u[j] * v[k]
        out.append(acc)
    return out


def closed_forms(J: JetRing) -> list[list]:
    """The textbook fields built directly from contractions: ``F₀ = −g``, ``F₁ = −½Hg``,
    ``F₂ = −⅓H²g − (1/12)T(g, g)``."""
    g = J.gradient
    Hg = _hess_vec(J, g)
    HHg = _hess_vec(J, Hg)
    Tgg = _third(J, g, g)
    return [[-c for c in g], [-c * fmpq(1, 2) for c in Hg],
            [-a * fmpq(1, 3) - b * fmpq(1, 12) for a, b in zip(HHg, Tgg)]]


def both_derivations(n: int, order: int) -> tuple[JetRing, list, list]:
    """The universal fields of ``n``-dimensional ``f`` up to ``order`` from the Lie series
    and from the B-series."""
    J = JetRing([f"x{i + 1}" for i in range(n)] if n > 1 else ["x"], order + 2)
    F0 = [-g for g in J.gradient]
    return J, lie_series_fields(F0, order, J.d, J.zero), bseries_fields(F0, order, J.d, J.zero)


def first_order_potential(J: JetRing):
    """``‖∇f‖²/4`` as a jet polynomial."""
    return sum((g * g for g in J.gradient), J.zero) * fmpq(1, 4)


def is_gradient_of(J: JetRing, F, phi) -> bool:
    """Whether ``F = −∇φ`` identically."""
    return all(Fi + J.d(phi, i) == 0 for i, Fi in enumerate(F))


def generic_curl(J: JetRing, F) -> dict:
    """Non-zero curl components of a universal field (non-zero means: not a gradient for
    some ``f`` at some point)."""
    return {k: c for k, c in curl(F, J.d).items() if not c.is_zero()}
