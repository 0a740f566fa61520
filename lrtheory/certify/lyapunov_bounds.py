"""Certified negative Lyapunov exponents of GD from contraction certificates (BLOG-9).

Let the ball orbit of an exact start x₀ enter a box B on which G^p, G(x) = x − lr∇f(x),
is a contraction into itself (the certificate of
:func:`lrtheory.certify.gd_runs.study_run`).  With q an upper bound of ‖DG^p(B)‖∞
(:func:`contraction_factor`, DG^p(B) enclosed in Arb balls by
:func:`lrtheory.certify.gd_runs.image_chain`), every product of the tangent maps along
the orbit from its entry into B satisfies ‖DG^{kp}(x_m)‖∞ ≤ q^k, so the largest
Lyapunov exponent from x₀ is

    λ₁ = lim (1/n) log ‖DG^n(x₀)‖ ≤ log(q)/p < 0        when q < 1.

:func:`negative_exponent_bound` takes the largest such bound over a list of starts; the
claim kind lyapunov-sign (:mod:`lrtheory.expect.lyapunov`) judges a stated sign with it.
"""
from __future__ import annotations

import math

from ..objectives import Objective

__all__ = ["contraction_factor", "negative_exponent_bound", "DPS", "STEPS"]

#: Digits of the ball enclosure of DG^p on the contraction box.
DPS = 40
#: Most steps of the certified run from each start.
STEPS = 10_000


def contraction_factor(obj: Objective, limit_box, lr, dps: int = DPS) -> float | None:
    """q ≥ ‖DG^p(B)‖∞ for the box B = centre ± r of ``limit_box`` = (centre, r, p) (the
    ∞-norm of the Arb enclosure of the Jacobian of G^p on B, G(x) = x − lr∇f(x)), when
    0 < q < 1; else None."""
    from flint import arb

    from ..precision import precision
    from .gd_runs import balls, image_chain, norm_upper
    centre, r, p = limit_box
    with precision(dps):
        box = [arb(c, r) for c in centre]
        _, J = image_chain(obj, box, balls([lr])[0], p)
        q = norm_upper(J)
    return q if 0 < q < 1 else None


def negative_exponent_bound(obj: Objective, starts, lr, steps: int = STEPS,
                            progress=None) -> tuple[int, float] | None:
    """(p, q) with λ₁ ≤ log(q)/p < 0 for GD at ``lr`` from every start of ``starts``
    (module docstring): the start with the largest bound log(q)/p gives (p, q).  None
    unless the certified run of at most ``steps`` steps from every start enters a
    contraction box of G^p with 0 < q < 1.  ``lr`` and the coordinates of the starts are
    exact numbers (text through :func:`lrtheory.numbers.convert`); ``progress(x0)`` is
    told of each start."""
    from ..numbers import convert
    from .gd_runs import study_run
    lr = convert(lr, "lr")
    worst = None
    for x0 in (tuple(convert(c, "start") for c in x) for x in starts):
        if progress is not None:
            progress(x0)
        facts = study_run(obj, x0, lr, steps)
        if not facts.limit_box:
            return None
        q = contraction_factor(obj, facts.limit_box, lr)
        p = facts.limit_box[2]
        if q is None:
            return None
        if worst is None or math.log(q) / p > math.log(worst[1]) / worst[0]:
            worst = (p, q)
    return worst
