"""Rigorous certification of periodic orbits with python-flint balls (BLOG-8).

A period-p orbit z_0 → z_1 → … → z_{p−1} → z_0 of G_h(x) = x − h∇f(x) is a zero of the
multiple-shooting system

    F(Z) = (G_h(z_0) − z_1, G_h(z_1) − z_2, …, G_h(z_{p−1}) − z_0),   Z ∈ R^{np},

whose Jacobian is block bidiagonal: DG_h(z_i) on the diagonal, −I on the super-diagonal
(cyclically).  The Krawczyk operator on a box X = m + [−r, r]^{np}

    K(X) = m − C F(m) + (I − C·J(X))(X − m),      C ≈ J(m)^{-1},

with J(X) an enclosure of the Jacobian over X, proves: if K(X) ⊂ int X then F has exactly
one zero in X.  Only the short map G_h is ever evaluated on balls (never a long
composition), so the enclosures stay tight.

With the orbit enclosed, DG_h^p(z_0) = DG_h(z_{p−1})···DG_h(z_0) is enclosed by the ball
matrix product, and its eigenvalues (the multipliers) by ``acb_mat.eig`` (Arb's certified
eigenvalue enclosures: valid for every matrix in the ball).  All |µ| < 1 proves the orbit
attracting, some |µ| > 1 proves it repelling.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import flint
from flint import acb, acb_mat, arb, arb_mat

from ..evaluators import to_arb
from ..objectives import Objective


@contextmanager
def arb_precision(dps: int):
    """Run python-flint ball arithmetic at about ``dps`` decimal digits (plus guard bits)."""
    old = flint.ctx.prec
    flint.ctx.prec = int(dps * 3.33) + 32
    try:
        yield
    finally:
        flint.ctx.prec = old


@dataclass
class Certificate:
    """Outcome of a Krawczyk test on a periodic orbit.

    ``proved`` — K(X) ⊂ int X (a unique orbit in the boxes); ``boxes`` — the ball
    coordinates of z_0..z_{p−1}; ``minimal`` — the boxes prove the minimal period is p;
    ``multipliers`` — acb enclosures of the eigenvalues of DG^p (None if not isolated);
    ``stable`` — True attracting, False repelling, None undecided; ``reason`` — why not."""

    proved: bool
    radius: float
    boxes: list = field(default_factory=list)
    minimal: bool = False
    multipliers: list | None = None
    stable: bool | None = None
    reason: str = ""


def ball_identity(n: int) -> arb_mat:
    return arb_mat(n, n, [1 if i == j else 0 for i in range(n) for j in range(n)])


def shooting_residual(obj: Objective, Z: list[list[arb]], h: arb) -> list[arb]:
    """F(Z) = (G_h(z_i) − z_{i+1 mod p})_i in ball arithmetic (flattened)."""
    p = len(Z)
    out = []
    for i in range(p):
        gi = obj.arb.gd_step(Z[i], h)
        out += [a - b for a, b in zip(gi, Z[(i + 1) % p])]
    return out


def shooting_jacobian(obj: Objective, Z: list[list[arb]], h: arb) -> arb_mat:
    """Ball enclosure of DF(Z): blocks DG_h(z_i) at (i, i) and −I at (i, i+1 mod p)."""
    p, n = len(Z), obj.dim
    N = n * p
    J = arb_mat(N, N)
    for i in range(p):
        D = obj.arb.gd_jacobian(Z[i], h)
        j = (i + 1) % p
        for a in range(n):
            for b in range(n):
                J[i * n + a, i * n + b] += D[a, b]
            J[i * n + a, j * n + a] -= 1
    return J


def mid_inverse(J: arb_mat) -> arb_mat | None:
    """An exact (radius-0) approximate inverse of the midpoint of ``J``; None if singular."""
    try:
        inv = J.mid().inv()
    except (ZeroDivisionError, ValueError):
        return None
    return inv.mid()


def krawczyk_box(obj: Objective, points, h, radius: float, dps: int = 50) -> Certificate:
    """Krawczyk test for a period-p orbit near ``points`` (p points, each of length n)
    in the box of half-width ``radius`` about them (BLOG-8).

    ``h`` may be an mpmath number, a string or an exact value; it is enclosed exactly."""
    with arb_precision(dps):
        hb = to_arb(h)
        mid = [[to_arb(c) for c in pt] for pt in points]
        rad = to_arb(radius)
        box = [[arb(c, rad) for c in pt] for pt in mid]
        F_m = shooting_residual(obj, mid, hb)
        J_X = shooting_jacobian(obj, box, hb)
        C = mid_inverse(shooting_jacobian(obj, mid, hb))
        if C is None:
            return Certificate(False, radius, reason="Jacobian of the shooting system is "
                               "singular at the centre (orbit not isolated?)")
        N = J_X.nrows()
        m_vec = arb_mat(N, 1, [c for pt in mid for c in pt])
        dX = arb_mat(N, 1, [arb(0, rad)] * N)
        K = m_vec - C * arb_mat(N, 1, F_m) + (ball_identity(N) - C * J_X) * dX
        flat_box = [c for pt in box for c in pt]
        inside = all(flat_box[i].contains_interior(K[i, 0]) for i in range(N))
        if not inside:
            return Certificate(False, radius, reason="K(X) is not inside the box")
        n, p = obj.dim, len(points)
        # The unique zero lies in K(X) ∩ X: use the tighter K(X) as the enclosure.
        tight = [[K[i * n + a, 0] for a in range(n)] for i in range(p)]
        cert = Certificate(True, radius, boxes=tight,
                           minimal=_boxes_prove_minimal(tight))
        cert.multipliers, cert.stable = multiplier_enclosures(obj, tight, hb)
        return cert


def _boxes_prove_minimal(boxes) -> bool:
    """The minimal period is p when z_0's box is disjoint from z_d's for every proper
    divisor d of p (a period-d orbit would have z_d = z_0)."""
    p = len(boxes)
    for d in range(1, p):
        if p % d == 0 and all(a.overlaps(b) for a, b in zip(boxes[0], boxes[d])):
            return False
    return True


def monodromy_ball(obj: Objective, boxes, h: arb) -> arb_mat:
    """Ball enclosure of DG_h^p(z_0) = DG_h(z_{p−1}) ··· DG_h(z_0) over the boxes."""
    M = ball_identity(obj.dim)
    for z in boxes:
        M = obj.arb.gd_jacobian(z, h) * M
    return M


def multiplier_enclosures(obj: Objective, boxes, h: arb):
    """Certified multiplier enclosures and rigorous stability (True attracting, False
    repelling, None undecided).

    Eigenvalues from ``acb_mat.eig`` (Rump's verified algorithm).  When Arb cannot isolate
    them, fall back to two rigorous bounds: |det M| > 1 forces some |µ| > 1 (repelling) and
    ‖M‖_∞ < 1 forces all |µ| < 1 (attracting)."""
    M = monodromy_ball(obj, boxes, h)
    n = obj.dim
    mults = None
    try:
        mults = list(acb_mat(M).eig(algorithm="rump"))
    except (ValueError, ZeroDivisionError):
        try:
            mults = list(acb_mat(M).eig(multiple=True))
        except (ValueError, ZeroDivisionError):
            mults = None
    if mults is not None and all(m.is_finite() for m in mults):
        moduli = [abs(m) for m in mults]
        if all(a < 1 for a in moduli):
            return mults, True
        if any(a > 1 for a in moduli):
            return mults, False
        return mults, None
    if abs(M.det()) > 1:
        return mults, False
    row_norm = max(sum((abs(M[i, j]) for j in range(n)), arb(0)) for i in range(n))
    if row_norm < 1:
        return mults, True
    return mults, None


def acb_to_pair(z: acb, digits: int = 30) -> list[str]:
    """[real, imag] midpoints of a complex ball as decimal strings."""
    return [z.real.mid().str(digits, radius=False), z.imag.mid().str(digits, radius=False)]
