"""Rigorous certification of periodic orbits with python-flint balls (BLOG-8).  The
learning rate h of the formulas is the parameter ``lr`` of the functions.

A period-p orbit z_0 → z_1 → … → z_{p−1} → z_0 of G_h(x) = x − h∇f(x) is a zero of the
multiple-shooting system

    F(Z) = (G_h(z_0) − z_1, G_h(z_1) − z_2, …, G_h(z_{p−1}) − z_0),   Z ∈ R^{np},

whose Jacobian is block bidiagonal: DG_h(z_i) on the diagonal, −I on the super-diagonal
(cyclically).  The Krawczyk test of :mod:`lrtheory.certify.krawczyk` on a box X about the
orbit proves that F has exactly one zero in X and encloses it in K(X) ∩ X.  Only the short
map G_h is ever evaluated on balls (never a long composition), so the enclosures stay
tight.

With the orbit enclosed, DG_h^p(z_0) = DG_h(z_{p−1})···DG_h(z_0) is enclosed by the ball
matrix product, and its eigenvalues (the multipliers) by ``acb_mat.eig`` (Arb's certified
eigenvalue enclosures: valid for every matrix in the ball).  All |µ| < 1 proves the orbit
attracting, some |µ| > 1 proves it repelling.

Certificates are :class:`OrbitCertificate` results: exact :class:`~lrtheory.results.Ball`
enclosures that pickle and convert back to python-flint balls without loss, so a
certificate can be checked again anywhere (:func:`certify_boxes`).
"""
from __future__ import annotations

from flint import acb, acb_mat, arb, arb_mat

from ..aliases import lr_keyword
from ..certify.krawczyk import ball_identity, krawczyk_test, mid_inverse
from ..evaluators import to_arb
from ..objectives import Objective
from ..precision import precision
from ..results import Ball, ComplexBall, Result, result

__all__ = ["OrbitCertificate", "Certificate", "shooting_residual", "shooting_jacobian",
           "certify_boxes", "krawczyk_box", "image_chain", "monodromy_ball",
           "multiplier_enclosures",
           "ball_identity", "mid_inverse", "acb_to_pair", "ball_str"]


@result
class OrbitCertificate(Result):
    """Outcome of a Krawczyk test on a periodic orbit.

    ``proved`` — K(X) ⊂ int X: a unique orbit in the boxes; ``radius`` — the largest
    half-width of the boxes tested; ``boxes`` — enclosures K(X) ∩ X of z_0..z_{p−1}, one
    :class:`Ball` per coordinate; ``minimal`` — the boxes prove the minimal period is p;
    ``multipliers`` — :class:`ComplexBall` enclosures of the eigenvalues of DG^p (None if
    Arb could not isolate them); ``stable`` — True attracting, False repelling, None
    undecided; ``reason`` — why not proved."""

    proved: bool
    radius: float
    boxes: tuple = ()
    minimal: bool = False
    multipliers: tuple | None = None
    stable: bool | None = None
    reason: str = ""
    _repr_skip = ("boxes",)

    def balls(self) -> list:
        """The point enclosures as python-flint balls: [[z_0 coordinates], …] (lossless)."""
        return [[b.to_arb() for b in pt] for pt in self.boxes]


#: The name used before certificates were result objects.
Certificate = OrbitCertificate


@lr_keyword
def shooting_residual(obj: Objective, Z: list[list[arb]], lr: arb) -> list[arb]:
    """F(Z) = (G_h(z_i) − z_{i+1 mod p})_i in ball arithmetic (flattened)."""
    p = len(Z)
    out = []
    for i in range(p):
        gi = obj.arb.gd_step(Z[i], lr)
        out += [a - b for a, b in zip(gi, Z[(i + 1) % p])]
    return out


@lr_keyword
def shooting_jacobian(obj: Objective, Z: list[list[arb]], lr: arb) -> arb_mat:
    """Ball enclosure of DF(Z): blocks DG_h(z_i) at (i, i) and −I at (i, i+1 mod p)."""
    p, n = len(Z), obj.dim
    N = n * p
    J = arb_mat(N, N)
    for i in range(p):
        D = obj.arb.gd_jacobian(Z[i], lr)
        j = (i + 1) % p
        for a in range(n):
            for b in range(n):
                J[i * n + a, i * n + b] += D[a, b]
            J[i * n + a, j * n + a] -= 1
    return J


@lr_keyword
def certify_boxes(obj: Objective, boxes, lr) -> OrbitCertificate:
    """Krawczyk test of the shooting system on ``boxes`` (p lists of n balls, one box per
    orbit point) at the current precision; on success, the minimal period and the
    multiplier enclosures from the tightened boxes."""
    n, p = obj.dim, len(boxes)
    hb = to_arb(lr)

    def points(flat):
        return [list(flat[i * n:(i + 1) * n]) for i in range(p)]
    X = [c for pt in boxes for c in pt]
    radius = max(float(c.rad()) for c in X)
    test = krawczyk_test(lambda m: shooting_residual(obj, points(m), hb),
                         lambda B: shooting_jacobian(obj, points(B), hb), X)
    if not test.proved:
        return OrbitCertificate(False, radius, reason=test.reason)
    tight = points(test.enclosure)
    balls = [[b.to_arb() for b in pt] for pt in tight]
    mults, stable = multiplier_enclosures(obj, balls, hb)
    return OrbitCertificate(True, radius, tuple(tuple(pt) for pt in tight),
                            _boxes_prove_minimal(balls),
                            None if mults is None else tuple(ComplexBall.from_acb(m)
                                                             for m in mults),
                            stable)


@lr_keyword
def krawczyk_box(obj: Objective, points, lr, radius: float, dps: int = 50) -> OrbitCertificate:
    """Krawczyk test for a period-p orbit near ``points`` (p points, each of length n)
    in the box of half-width ``radius`` about them, at ``dps`` digits (BLOG-8).

    ``lr`` may be an mpmath number, a string or an exact value; it is enclosed exactly."""
    with precision(dps=dps):
        rad = to_arb(radius)
        return certify_boxes(obj, [[arb(to_arb(c), rad) for c in pt] for pt in points], lr)


def _boxes_prove_minimal(boxes) -> bool:
    """The minimal period is p when z_0's box is disjoint from z_d's for every proper
    divisor d of p (a period-d orbit would have z_d = z_0)."""
    p = len(boxes)
    for d in range(1, p):
        if p % d == 0 and all(a.overlaps(b) for a, b in zip(boxes[0], boxes[d])):
            return False
    return True


@lr_keyword
def image_chain(obj: Objective, X, lr: arb, p: int) -> list:
    """X, G_h(X), …, G_h^p(X) in ball arithmetic (natural extension, p + 1 boxes)."""
    chain = [list(X)]
    for _ in range(p):
        chain.append(obj.arb.gd_step(chain[-1], lr))
    return chain


@lr_keyword
def monodromy_ball(obj: Objective, boxes, lr: arb) -> arb_mat:
    """Ball enclosure of DG_h^p(z_0) = DG_h(z_{p−1}) ··· DG_h(z_0) over the boxes."""
    M = ball_identity(obj.dim)
    for z in boxes:
        M = obj.arb.gd_jacobian(z, lr) * M
    return M


@lr_keyword
def multiplier_enclosures(obj: Objective, boxes, lr: arb):
    """Certified multiplier enclosures (acb) and rigorous stability (True attracting, False
    repelling, None undecided).

    Eigenvalues from ``acb_mat.eig`` (Rump's verified algorithm).  When Arb cannot isolate
    them, fall back to two rigorous bounds: |det M| > 1 forces some |µ| > 1 (repelling) and
    ‖M‖_∞ < 1 forces all |µ| < 1 (attracting)."""
    M = monodromy_ball(obj, boxes, lr)
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


def acb_to_pair(z, digits: int = 30) -> list[str]:
    """[real, imag] midpoints of a complex ball (``acb`` or :class:`ComplexBall`) as
    decimal strings."""
    if isinstance(z, ComplexBall):
        z = z.to_acb()
    z = acb(z)
    return [z.real.mid().str(digits, radius=False), z.imag.mid().str(digits, radius=False)]


def ball_str(b: Ball, digits: int = 10) -> str:
    """``mid ± rad`` of a :class:`Ball` with ``digits`` significant digits of the midpoint."""
    x = b.to_arb()
    return f"{x.mid().str(digits, radius=False)} ± {x.rad().str(2, radius=False)}"
