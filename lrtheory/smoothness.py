"""Certified smoothness constants and the descent lemma (claim BLOG-1).

``f`` is *L-smooth on a convex set D* when ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖ for x, y ∈ D; for C²
functions this holds with L = sup_D ‖∇²f‖₂.  Then, for x, y = x − h∇f(x) ∈ D,

    f(x − h∇f(x)) ≤ f(x) − h(1 − Lh/2)‖∇f(x)‖²                     (descent lemma)

and summing along a GD orbit x_{k+1} = x_k − h∇f(x_k) that stays in D, with f* ≤ inf_D f,

    Σ_{k<N} ‖∇f(x_k)‖² ≤ (f(x_0) − f*) / (h(1 − Lh/2))     when 0 < h < 2/L.

This module certifies L and f* and evaluates both inequalities without float tolerances:

* quadratics ½xᵀAx: L = ‖A‖₂ = max|λ(A)| from the exact characteristic polynomial
  (rational roots exactly, the others as a rational upper bound of rigorous root balls);
* any objective on a box: sup ‖∇²f‖₂ bounded by subdividing the box and enclosing the
  Hessian in ball arithmetic on every cell, with ‖H‖₂ ≤ min(‖H‖_∞, ‖H‖_F) (for symmetric
  H the spectral norm is at most the maximal absolute row sum and at most the Frobenius
  norm); inf f bounded below the same way;
* the inequalities: in exact rationals (fmpq) for rational objectives, otherwise in
  python-flint balls, where a sign that the ball does not decide is reported as undecided.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import sympy as sp
from flint import arb, ctx, fmpq, fmpq_mat

from .aliases import lr_keyword
from .errors import InputError
from .falsify import Outcome
from .gd import Record
from .gd.precise import orbit
from .objectives import Objective, to_fmpq

#: Working precision (bits) of ball computations in this module.
BALL_PREC = 256
#: The reason given when a statement does not apply: the orbit left the certified box.
LEFT_BOX = "orbit left the certified box"


# ---- exact/ball conversions ---------------------------------------------------------
def _dyadic(v: arb) -> fmpq:
    """The exact dyadic rational of an exact arb (a midpoint or a radius)."""
    m, e = v.man_exp()
    m, e = int(m), int(e)
    return fmpq(m * 2**e) if e >= 0 else fmpq(m, 2**(-e))


def ball_upper(v: arb) -> fmpq:
    """A rational number ≥ every point of the ball ``v`` (mid + rad, exactly)."""
    if not v.is_finite():
        raise InputError(f"ball {v} is not finite: no rational upper bound")
    return _dyadic(v.mid()) + _dyadic(v.rad())


def round_up(q: fmpq, bits: int = 40) -> fmpq:
    """The least multiple of 2^-bits that is ≥ q (a shorter certified upper bound)."""
    scaled = q * 2**bits
    return fmpq(-((-scaled.p) // scaled.q), 2**bits)


def ball_lower(v: arb) -> fmpq:
    """A rational number ≤ every point of the ball ``v``."""
    return -ball_upper(-v)


def certified_sign(v) -> int | None:
    """Sign of an exact rational, or of a ball when the ball decides it; ``None`` when the
    ball contains 0 and is not exactly 0 (undecided: never read as a pass)."""
    if isinstance(v, fmpq):
        return (v > 0) - (v < 0)
    if v > 0:
        return 1
    if v < 0:
        return -1
    if v.is_exact() and v == 0:
        return 0
    return None


# ---- L for quadratics ---------------------------------------------------------------
def spectral_norm_bound(A) -> tuple[fmpq, bool]:
    """‖A‖₂ = max|λ| of a symmetric rational matrix A, as ``(bound, exact)``.

    The characteristic polynomial is factored over ℚ: rational eigenvalues are exact;
    the roots of the other factors are enclosed in rigorous complex balls and bounded
    above by a rational.  ``exact`` is True when the maximum is a rational eigenvalue that
    dominates every irrational one."""
    M = A if isinstance(A, fmpq_mat) else fmpq_mat([[to_fmpq(v) for v in row] for row in _rows(A)])
    if M.nrows() != M.ncols() or M != M.transpose():
        raise InputError("spectral_norm_bound needs a square symmetric matrix")
    _, factors = M.charpoly().factor()
    exact_max, ball_max = fmpq(0), fmpq(0)
    for poly, _mult in factors:
        if poly.degree() == 1:
            exact_max = max(exact_max, abs(-poly[0] / poly[1]))
        else:
            with _prec(BALL_PREC):
                for root, _m in poly.complex_roots():
                    ball_max = max(ball_max, round_up(ball_upper(abs(root))))
    if ball_max > exact_max:
        return ball_max, False
    return exact_max, True


def _rows(A) -> list[list]:
    if isinstance(A, sp.MatrixBase):
        return A.tolist()
    return [list(r) for r in A]


# ---- L and inf f on a box -----------------------------------------------------------
class _prec:
    """Context manager setting python-flint's working precision (bits)."""

    def __init__(self, bits: int):
        self.bits = bits

    def __enter__(self):
        self.saved = ctx.prec
        ctx.prec = self.bits

    def __exit__(self, *exc):
        ctx.prec = self.saved


def check_box(box, dim: int) -> tuple[tuple[fmpq, fmpq], ...]:
    """Validate a box ``[(lo_1, hi_1), …, (lo_n, hi_n)]`` and convert it to rationals."""
    try:
        b = tuple((to_fmpq(lo), to_fmpq(hi)) for lo, hi in box)
    except (TypeError, ValueError):
        raise InputError(f"box must be a list of (lo, hi) pairs, got {box!r}") from None
    if len(b) != dim:
        raise InputError(f"box has {len(b)} sides, objective has {dim} variables")
    if any(lo >= hi for lo, hi in b):
        raise InputError(f"box {box!r} has a side with lo >= hi")
    return b


def _cells(box, per_side: int):
    """Ball enclosures of the per_side^n congruent cells of ``box``."""
    sides = []
    for lo, hi in box:
        w = (hi - lo) / per_side
        sides.append([arb(lo + i * w).union(arb(lo + (i + 1) * w)) for i in range(per_side)])
    return itertools.product(*sides)


def spectral_bound_of_enclosure(H) -> arb:
    """Upper bound ball of ‖H‖₂ for every symmetric H in the entrywise enclosure ``H``
    (an arb_mat): min(max_i Σ_j |H_ij|, (Σ_ij |H_ij|²)^{1/2})."""
    n = H.nrows()
    absu = [[arb(H[i, j].abs_upper()) for j in range(n)] for i in range(n)]
    row = max((sum(r, arb(0)) for r in absu), key=ball_upper)
    frob = sum((a * a for r in absu for a in r), arb(0)).sqrt()
    return row if ball_upper(row) <= ball_upper(frob) else frob


@dataclass(frozen=True)
class BoxBounds:
    """Certified bounds of an objective on a box: ``L ≥ sup ‖∇²f‖₂`` and
    ``f_lower ≤ inf f`` (both rational), from ``cells`` ball evaluations."""

    L: fmpq
    f_lower: fmpq
    cells: int
    norm: str = "min(max abs row sum, Frobenius) of the enclosed Hessian"


def box_bounds(obj: Objective, box, per_side: int = 8) -> BoxBounds:
    """Certify L and a lower bound of f on ``box`` by subdivision into ``per_side^n`` cells
    (BLOG-1 on box-restricted polynomials).  Every cell's Hessian and value are enclosed
    in ball arithmetic, so the bounds hold for every point of the box."""
    b = check_box(box, obj.dim)
    if per_side < 1:
        raise InputError("per_side must be a positive integer")
    L, f_low, count = fmpq(0), None, 0
    with _prec(BALL_PREC):
        for cell in _cells(b, per_side):
            count += 1
            H = obj.arb.hess(list(cell))
            L = max(L, round_up(ball_upper(spectral_bound_of_enclosure(H))))
            low = -round_up(-ball_lower(obj.arb.value(list(cell))))
            f_low = low if f_low is None else min(f_low, low)
    return BoxBounds(L=L, f_lower=f_low, cells=count)


# ---- certified problems and GD instances ---------------------------------------------
@dataclass(frozen=True)
class SmoothObjective:
    """An objective with a certified smoothness constant.

    ``L`` bounds ‖∇²f‖₂ on ``box`` (all of ℝⁿ when ``box`` is None); ``f_lower`` ≤ inf f
    there (``f_star_exact``: it is the minimum); ``certificate`` says how L was proved."""

    objective: Objective
    L: fmpq
    f_lower: fmpq
    certificate: str
    f_star_exact: bool = False
    box: tuple | None = None
    family: str = ""

    def __post_init__(self):
        if not self.L > 0:
            raise InputError(f"smoothness constant must be positive, got L = {self.L}")

    @property
    def rational(self) -> bool:
        """True when f is a polynomial with rational coefficients (exact arithmetic)."""
        return is_rational_polynomial(self.objective)

    def contains(self, x) -> bool | None:
        """Is the point (rationals or balls) certainly in the box (None: undecided)?"""
        if self.box is None:
            return True
        verdicts = []
        for xi, (lo, hi) in zip(x, self.box):
            if isinstance(xi, fmpq):
                verdicts.append(lo <= xi <= hi)
            elif xi >= lo and xi <= hi:
                verdicts.append(True)
            elif xi < lo or xi > hi:
                verdicts.append(False)
            else:
                verdicts.append(None)
        if False in verdicts:
            return False
        return None if None in verdicts else True

    def __repr__(self):
        where = "R^n" if self.box is None else f"box {[(str(a), str(b)) for a, b in self.box]}"
        return (f"SmoothObjective({self.objective.expr}, L={self.L}, f*>={self.f_lower}, "
                f"on {where})")


def is_rational_polynomial(obj: Objective) -> bool:
    """True when ``obj.expr`` is a polynomial in its variables with rational coefficients."""
    return rational_degree(obj.expr, obj.vars) is not None


@lru_cache(maxsize=1024)
def rational_degree(expr: sp.Expr, variables: tuple) -> int | None:
    """Total degree of ``expr`` as a polynomial in ``variables`` with rational
    coefficients, or None when it is not one."""
    try:
        poly = sp.Poly(expr, *variables)
    except sp.PolynomialError:
        return None
    return poly.total_degree() if all(c.is_Rational for c in poly.coeffs()) else None


@dataclass(frozen=True)
class GDInstance:
    """GD x_{k+1} = x_k − h∇f(x_k) from ``x0`` on a certified problem (rational x0, h)."""

    problem: SmoothObjective
    x0: tuple
    h: fmpq

    def __post_init__(self):
        if len(self.x0) != self.problem.objective.dim:
            raise InputError(f"x0 has {len(self.x0)} coordinates, objective has "
                             f"{self.problem.objective.dim}")
        if not self.h > 0:
            raise InputError(f"learning rate must be positive, got h = {self.h}")

    @property
    def hL(self) -> fmpq:
        """The normalized learning rate hL (the theorem needs hL < 2)."""
        return self.h * self.problem.L

    def __repr__(self):
        return (f"GDInstance({self.problem!r}, x0={[str(c) for c in self.x0]}, h={self.h}, "
                f"hL={self.hL})")


# ---- the descent inequalities along an orbit -----------------------------------------
@lr_keyword
def descent_factor(lr, L, scale=1) -> fmpq:
    """c = h(1 − (scale·L)h/2); ``scale`` < 1 moves the constant in the unsafe direction
    (sensitivity of BLOG-1)."""
    return to_fmpq(lr) * (1 - to_fmpq(scale) * to_fmpq(L) * to_fmpq(lr) / 2)


@dataclass
class DescentTrace:
    """The per-step data of a GD orbit for the descent lemma.

    ``values[k] = f(x_k)``, ``points[k] = x_k`` and ``grad_sq[k] = ‖∇f(x_k)‖²`` for the
    ``steps`` checked steps (``values`` and ``points`` have one more entry); all entries are
    fmpq (exact) or arb (balls).
    ``stopped`` says why the orbit ended early (left the certified box), if it did."""

    instance: GDInstance
    values: list = field(default_factory=list)
    grad_sq: list = field(default_factory=list)
    points: list = field(default_factory=list)
    stopped: str = ""

    @property
    def steps(self) -> int:
        return len(self.grad_sq)

    @property
    def exact(self) -> bool:
        return all(isinstance(v, fmpq) for v in self.values)


def descent_trace(inst: GDInstance, steps: int, exact: bool | None = None,
                  prec: int = BALL_PREC) -> DescentTrace:
    """Run ``steps`` GD steps (:func:`lrtheory.gd.precise.orbit`, the kernel's exact and
    ball iteration) in exact rationals or in balls at :data:`BALL_PREC` bits, recording
    f(x_k) and ‖∇f(x_k)‖².  ``exact=None`` chooses rationals for rational polynomials of degree ≤ 2 (whose orbits grow by a fixed number of bits per step) and
    balls otherwise.  The orbit stops early when a point is not certainly in the box."""
    if steps < 1:
        raise InputError("steps must be a positive integer")
    prob = inst.problem
    degree = rational_degree(prob.objective.expr, prob.objective.vars)
    if exact is None:
        exact = degree is not None and degree <= 2
    elif exact and degree is None:
        raise InputError("exact arithmetic needs a polynomial with rational coefficients")
    model = prob.objective.exact if exact else prob.objective.arb
    with _prec(prec):
        x0 = list(inst.x0) if exact else [arb(c) for c in inst.x0]
        if not prob.contains(x0):
            raise InputError(f"x0 = {[str(c) for c in inst.x0]} is not in the certified box")
        h = inst.h if exact else arb(inst.h)
        orb = orbit(model, x0, h, steps, _DESCENT_RECORD, domain=prob.contains)
        tr = DescentTrace(inst, values=orb.loss, grad_sq=orb.grad_sq,
                          points=orb.trajectory, stopped=_STOPPED.get(orb.stopped, ""))
    return tr


#: What a descent trace keeps of the orbit: every point and f there.
_DESCENT_RECORD = Record(every=1, loss=True)
_STOPPED = {"left the domain": "left the box",
            "domain membership undecided": "box membership undecided"}


# ---- statements for the falsifier ------------------------------------------------------
def _is_zero(v) -> bool:
    return certified_sign(v) == 0


def relative_slack(a, b):
    """(a − b)/(|a| + |b|) for the inequality a ≥ b (not both exactly 0): ≥ 0 iff it holds,
    0 when attained, in [−1, 1]; exact or a ball."""
    return (a - b) / (abs(a) + abs(b))


def judge(pairs, detail: dict | None = None, prec: int = BALL_PREC) -> Outcome:
    """Outcome of "a ≥ b for every (a, b) in pairs": violated when some a − b < 0 is
    certain, undecided when some sign is not decided, else holds; the score is minus the
    smallest relative slack (> 0 iff violated).  Pairs with a = b = 0 exactly (a
    stationary point: the inequality reads 0 ≥ 0) are vacuous and carry score −1."""
    detail = dict(detail or {})
    with _prec(prec):
        pairs = list(pairs)
        if not pairs:
            return Outcome(None, -1.0, {**detail, "reason": LEFT_BOX})
        pairs = [(a, b) for a, b in pairs if not (_is_zero(a) and _is_zero(b))]
        if not pairs:
            return Outcome(True, -1.0, {**detail, "reason": "vacuous: stationary, 0 >= 0"})
        signs = [certified_sign(a - b) for a, b in pairs]
        rel = [relative_slack(a, b) for a, b in pairs]
    k = min(range(len(rel)), key=lambda i: to_float(rel[i]))
    holds = False if -1 in signs else None if None in signs else True
    detail.update(worst_index=k, worst_relative_slack=to_float(rel[k]))
    return Outcome(holds, -to_float(rel[k]), detail)


def _trace_detail(tr: DescentTrace) -> dict:
    return {"steps": tr.steps, "exact": tr.exact, "hL": str(tr.instance.hL),
            **({"stopped": tr.stopped} if tr.stopped else {})}


#: Ball precisions tried in turn while a statement's sign is undecided.
ESCALATION = (BALL_PREC, 4 * BALL_PREC)


def _escalating(pairs_of: Callable, steps: int, exact: bool | None) -> Callable:
    """A statement judging ``pairs_of(trace)`` on a trace of ``steps`` steps, redone
    at higher ball precision while undecided (exact traces are decided at once);
    ``pairs_of`` returns None when the statement is undefined on the instance."""
    def statement(inst: GDInstance) -> Outcome:
        for prec in ESCALATION:
            tr = descent_trace(inst, steps, exact, prec)
            with _prec(prec):
                pairs = pairs_of(tr)
            if pairs is None:
                return Outcome(None, -1.0, {**_trace_detail(tr),
                                            "reason": "h(1 - Lh/2) = 0: no finite bound"})
            out = judge(pairs, {**_trace_detail(tr), "prec": prec}, prec)
            if out.holds is not None or tr.exact or "reason" in out.detail:
                return out
        return out
    return statement


def per_step_descent(steps: int = 8, scale=1, exact: bool | None = None) -> Callable:
    """Statement (BLOG-1): f(x_k) − f(x_{k+1}) ≥ h(1 − (scale·L)h/2)‖∇f(x_k)‖² for k < steps
    (the steps inside the certified box).  ``scale`` = 1 is the lemma; ``scale`` < 1 moves
    its constant in the unsafe direction."""
    def pairs(tr):
        c = descent_factor(tr.instance.h, tr.instance.problem.L, scale)
        return [(tr.values[k] - tr.values[k + 1], c * tr.grad_sq[k]) for k in range(tr.steps)]
    st = _escalating(pairs, steps, exact)
    st.__name__ = f"per-step descent, factor 1 - {scale}*Lh/2, {steps} steps"
    return st


def summed_descent(steps: int = 8, scale=1, first: int = 0, exact: bool | None = None) -> Callable:
    """Statement (BLOG-1) with N = ``steps``:

    * ``first`` = 0: Σ_{k<N} ‖∇f(x_k)‖² ≤ (f(x_0) − f*)/c, c = h(1 − (scale·L)h/2);
    * ``first`` = 1: Σ_{k=1}^{N} ‖∇f(x_k)‖² ≤ (f(x_0) − f(x_N))/c — the intermediate
      display exactly as printed in the source.
    Orbits that leave the certified box before step N + first are not applicable."""
    def pairs(tr):
        if tr.steps < steps + first:
            return []
        c = descent_factor(tr.instance.h, tr.instance.problem.L, scale)
        if c == 0:
            return None
        low = tr.instance.problem.f_lower if first == 0 else tr.values[steps]
        total = sum(tr.grad_sq[first:first + steps], fmpq(0) if tr.exact else arb(0))
        return [((tr.values[0] - low) / c, total)]
    st = _escalating(pairs, steps + first, exact)
    st.__name__ = (f"summed bound, factor 1 - {scale}*Lh/2, sum over k = {first}.."
                   f"{steps - 1 + first}, N = {steps}")
    return st


def monotone_decrease(steps: int = 8, exact: bool | None = None) -> Callable:
    """Statement: f(x_{k+1}) ≤ f(x_k) for k < steps (a consequence of BLOG-1 for h < 2/L)."""
    st = _escalating(lambda tr: [(tr.values[k], tr.values[k + 1])
                                       for k in range(tr.steps)], steps, exact)
    st.__name__ = f"f(x_k+1) <= f(x_k), {steps} steps"
    return st


def to_float(v) -> float:
    """A float for reporting an exact rational or a ball (its midpoint)."""
    return float((v if isinstance(v, arb) else arb(v)).mid())


__all__ = ["BALL_PREC", "LEFT_BOX", "BoxBounds", "DescentTrace", "GDInstance",
           "SmoothObjective",
           "ball_lower", "ball_upper", "box_bounds", "certified_sign", "check_box",
           "descent_factor", "descent_trace", "is_rational_polynomial", "judge",
           "monotone_decrease", "per_step_descent", "rational_degree", "relative_slack",
           "round_up", "spectral_bound_of_enclosure", "spectral_norm_bound",
           "summed_descent", "to_float"]
