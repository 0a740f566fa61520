"""Pseudo-arclength continuation of a curve F(z) = 0, F: R^{N+1} → R^N, in mpmath.

At a point z of the curve with unit tangent t (J(z)t = 0, |t| = 1, oriented like the
previous tangent) one step of length s predicts z_pred = z + s·t and corrects by Newton on
the square system

    F(z) = 0,    t·(z − z_pred) = 0,

whose Jacobian [J; tᵀ] is regular at regular points of the curve, folds in any coordinate
included, so the curve is followed through folds (Keller 1977; Allgower & Georg,
*Numerical Continuation Methods*, ch. 2).  The step grows by 3/2 after a corrector that
converged in at most 3 iterations, up to ``ds_max``; it is halved when the corrector fails,
when the tangent turns by more than ``MAX_TURN`` radians, or when the caller's ``accept``
refuses the new point (e.g. multipliers that changed too much), down to ``ds_min``.

The caller sets the working precision (:func:`lrtheory.precision.precision`).  The same
corrector with another constraint vector d (``d·(z − z_pred) = 0``) lands on the curve at a
fixed coordinate (d a unit vector: the curve at h = b), or between two curve points (d the
chord: bisection on a test function along the curve).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import mpmath

__all__ = ["Marcher", "tangent", "correct", "bisect_on_curve", "dot", "unit",
           "solve_linear"]

#: Largest angle (radians) between successive tangents.
MAX_TURN = 0.3


def dot(u, v):
    return sum((a * b for a, b in zip(u, v)), mpmath.mpf(0))


def unit(v) -> list:
    norm = mpmath.sqrt(dot(v, v))
    return [c / norm for c in v]


def solve_linear(M, rhs) -> list | None:
    """The solution of M·u = rhs (M a small square list of lists of mpmath numbers) by
    Gaussian elimination with partial pivoting; None when M is singular."""
    n = len(rhs)
    rows = [list(r) + [b] for r, b in zip(M, rhs)]
    for k in range(n):
        piv = max(range(k, n), key=lambda i: abs(rows[i][k]))
        if rows[piv][k] == 0:
            return None
        rows[k], rows[piv] = rows[piv], rows[k]
        for i in range(k + 1, n):
            f = rows[i][k] / rows[k][k]
            if f:
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[k])]
    out = [mpmath.mpf(0)] * n
    for k in reversed(range(n)):
        out[k] = (rows[k][n] - sum((rows[k][j] * out[j] for j in range(k + 1, n)),
                                   mpmath.mpf(0))) / rows[k][k]
    return out if all(mpmath.isfinite(c) for c in out) else None



def tangent(J, previous=None) -> list | None:
    """The unit tangent of the curve where the Jacobian is J (N × (N+1)): the solution of
    [J; dᵀ] t = e_{N+1}, normalized, with d the previous tangent (then t·d > 0) or, at the
    first point, the first coordinate vector e_k (k = N, N−1, …, 0) for which the bordered
    matrix is regular.  None when the curve is singular there."""
    N1 = len(J[0])
    rhs = [0] * (N1 - 1) + [1]
    borders = [previous] if previous is not None else \
        [[1 if i == k else 0 for i in range(N1)] for k in reversed(range(N1))]
    for d in borders:
        t = solve_linear([list(row) for row in J] + [list(d)], rhs)
        if t is not None and any(c != 0 for c in t):
            t = unit(t)
            return t if previous is None or dot(t, previous) > 0 else [-c for c in t]
    return None


def correct(system: Callable, z_pred, d, tol, maxiter: int = 8):
    """Newton on F(z) = 0, d·(z − z_pred) = 0 from z_pred.  Returns (z, J(z), iterations)
    or None when a step fails or it has not converged in ``maxiter`` iterations (steps must
    shrink: a growing step is a failure)."""
    z = list(z_pred)
    last = None
    for it in range(1, maxiter + 1):
        try:
            F, J = system(z)
        except (ZeroDivisionError, ValueError, OverflowError):
            return None
        g = dot(d, [a - b for a, b in zip(z, z_pred)])
        dz = solve_linear([list(row) for row in J] + [list(d)], [-f for f in F] + [-g])
        if dz is None:
            return None
        step = max(abs(c) for c in dz)
        if last is not None and step > last / 2 and step > tol:
            return None
        z = [a + b for a, b in zip(z, dz)]
        last = step
        if step <= tol * (1 + max(abs(c) for c in z)):
            try:
                return z, system(z)[1], it
            except (ZeroDivisionError, ValueError, OverflowError):
                return None
    return None


@dataclass
class Marcher:
    """Steps along a curve of ``system(z) -> (F, J)`` (module docstring).

    ``accept(z_prev, z_new)`` may refuse a step (the step is then halved); ``stop(z)``
    returns a reason to stop at z (z is kept) or None; ``tol`` is the corrector's relative
    tolerance."""

    system: Callable
    ds: float
    ds_min: float
    ds_max: float
    max_steps: int
    tol: object
    accept: Callable | None = None
    stop: Callable | None = None

    def march(self, z0, t0) -> tuple[list, str]:
        """Points (z, t) from (z0, t0) in the direction t0, and why the march ended."""
        points = [(list(z0), list(t0))]
        ds = mpmath.mpf(self.ds)
        z, t = list(z0), list(t0)
        for _ in range(self.max_steps):
            step = self._step(z, t, ds)
            while step is None:
                ds /= 2
                if ds < self.ds_min:
                    return points, f"the step size fell below {self.ds_min:g} at " + \
                        _where(z)
                step = self._step(z, t, ds)
            (z_new, t_new, its) = step
            points.append((z_new, t_new))
            if self.stop is not None:
                reason = self.stop(z_new)
                if reason:
                    return points, reason
            if len(points) > 4 and _near_segment(z0, z, z_new, ds / 2):
                return points, "closed branch: returned to its start"
            z, t = z_new, t_new
            if its <= 3:
                ds = min(ds * mpmath.mpf(3) / 2, mpmath.mpf(self.ds_max))
        return points, f"{self.max_steps} steps done at " + _where(z)

    def _step(self, z, t, ds):
        z_pred = [a + ds * b for a, b in zip(z, t)]
        out = correct(self.system, z_pred, t, self.tol)
        if out is None:
            return None
        z_new, J, its = out
        t_new = tangent(J, t)
        if t_new is None or dot(t_new, t) < mpmath.cos(MAX_TURN):
            return None
        if self.accept is not None and not self.accept(z, z_new):
            return None
        return z_new, t_new, its


def bisect_on_curve(system: Callable, za, zb, test: Callable, tol,
                    iterations: int = 60):
    """The point where ``test`` changes sign between the curve points za and zb (test(za)
    and test(zb) of opposite signs): bisection on the chord parameter s ∈ [0, 1], each
    midpoint za + s(zb − za) corrected onto the curve orthogonally to the chord.  Returns
    the last corrected point (za if the first correction fails)."""
    lo, hi, z = mpmath.mpf(0), mpmath.mpf(1), za
    chord = [v - u for u, v in zip(za, zb)]
    d = unit(chord)
    positive = test(za) > 0
    for _ in range(iterations):
        mid = (lo + hi) / 2
        out = correct(system, [u + mid * c for u, c in zip(za, chord)], d, tol)
        if out is None:
            break
        z = out[0]
        if (test(z) > 0) == positive:
            lo = mid
        else:
            hi = mid
    return z


def _where(z) -> str:
    return "z = (" + ", ".join(mpmath.nstr(c, 10) for c in z) + ")"


def _near_segment(c, a, b, radius) -> bool:
    """Whether the point c lies within ``radius`` of the segment [a, b]."""
    ab = [y - x for x, y in zip(a, b)]
    ac = [y - x for x, y in zip(a, c)]
    L = dot(ab, ab)
    s = min(max(dot(ac, ab) / L, 0), 1) if L > 0 else 0
    d = [x + s * v - y for x, v, y in zip(a, ab, c)]
    return mpmath.sqrt(dot(d, d)) < radius
