"""Stationary points of f as limits of GD: the limit x* of a contraction certificate
enclosed tightly (a Krawczyk test on ∇f = 0), and the Hessian on a box of such points —
what the edge-of-stability statement "GD converges to a point of sharpness λ_max(∇²f(x*))
at most 2/h" (Cohen et al., ICLR 2021) is decided with (:mod:`lrtheory.expect.eos`).
"""
from __future__ import annotations

from ..objectives import Objective

__all__ = ["newton_box", "tight_limit", "box_sharpness", "DPS"]

#: Digits of the Newton refinement (the Krawczyk box has half-width 10^(−DPS/2)).
DPS = 40


def newton_box(obj: Objective, x, dps: int = DPS):
    """Balls of half-width 10^(−dps/2), at python-flint's working precision, about the zero
    of ∇f that Newton's method x ← x − ∇²f(x)⁻¹∇f(x) reaches from ``x`` (mpmath numbers)
    in mpmath at ``dps`` + 10 digits: at most 60 steps, stopping once a step is below
    10^(−dps).  None when a Hessian is singular.  A guess for a Krawczyk test, not a
    proof."""
    import mpmath
    from flint import arb
    x = mpmath.matrix(list(x))
    with mpmath.workdps(dps + 10):
        for _ in range(60):
            try:
                step = mpmath.lu_solve(obj.mpmath.hess(list(x)),
                                       mpmath.matrix(obj.mpmath.grad(list(x))))
            except ZeroDivisionError:
                return None
            x -= step
            if mpmath.norm(step) < mpmath.mpf(10) ** (-dps):
                break
        return [arb(mpmath.nstr(c, dps + 5)) + arb(0, 10.0 ** (-dps // 2)) for c in x]


def tight_limit(obj: Objective, centre, radius: float, dps: int = DPS):
    """Balls enclosing the limit x* of a contraction certificate (the unique fixed point of
    G in the box B = ``centre`` ± ``radius``) tightly.  x* is the unique zero of ∇f in B
    (G(x) = x ⇔ ∇f(x) = 0): Newton's method from the centre (:func:`newton_box`), then a
    Krawczyk test (:func:`lrtheory.certify.krawczyk_test`) on the box of half-width
    10^(−dps/2) about the result — a zero of ∇f proved in that box, which lies in B, is
    x*.  Falls back to the balls of B."""
    import mpmath
    from flint import arb

    from .krawczyk import krawczyk_test
    box = [arb(str(c)) + arb(0, radius) for c in centre]
    small = newton_box(obj, [mpmath.mpf(str(c)) for c in centre], dps)
    if small is None or not all(b.contains(s) for b, s in zip(box, small)):
        return box
    test = krawczyk_test(lambda z: obj.arb.grad(z), lambda z: obj.arb.hess(z), small)
    return test.balls() if test.proved else box


def box_sharpness(obj: Objective, box, dps: int = DPS):
    """The Hessian ∇²f on ``box`` (a list of arb balls) as a ball matrix, with an
    approximate top eigenvector v and eigenvalue λ_max of ∇²f at the box's midpoint
    (:func:`lrtheory.certify.spectra.top_eigenpair`, ``dps`` digits) — the data of a
    rigorous comparison of λ_max(∇²f(x)) over the box
    (:func:`lrtheory.certify.spectra.compare_top_eigenvalue_on_balls`): Sylvester's
    criterion on cI − ∇²f(B) for an upper bound, the Rayleigh quotient vᵀ∇²f(B)v/vᵀv for
    a lower bound."""
    import mpmath
    from flint import arb

    from .spectra import top_eigenpair
    Hb = obj.arb.hess(box)
    M = obj.mpmath.hess([mpmath.mpf(arb(b.mid()).str(30, radius=False)) for b in box])
    top, vec = top_eigenpair(M, dps)
    return Hb, vec, top
