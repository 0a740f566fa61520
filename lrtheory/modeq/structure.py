"""Gradient structure of the modified fields: curl, potentials, gradient part (BLOG-5).

A field ``F`` on R^n is a gradient, ``F = −∇φ``, exactly when its Jacobian is symmetric,
i.e. every curl component ``∂_i F_j − ∂_j F_i`` (i < j) vanishes identically.  Decisions
are exact: in a polynomial ring the components are compared with zero; for expressions in
transcendental functions a non-zero verdict is certified by ball arithmetic at a point and
a zero verdict by symbolic simplification (otherwise :class:`ComputationError`).

For a polynomial field the homotopy (Poincaré) operator gives a canonical split

    φ(x) = −∫₀¹ F(tx)·x dt,   F = −∇φ + R,   R(x)·x ≡ 0,

with ``R ≡ 0`` exactly when ``F`` is a gradient (each homogeneous part ``F_d`` of degree
``d`` contributes ``−(F_d·x)/(d+1)`` to ``φ``; Euler's identity gives ``R·x = 0``).  It is
evaluated term by term on python-flint polynomials, exactly.

A gradient field that is not polynomial and whose potential is not universal (see
:mod:`lrtheory.modeq.jets`) is integrated with sympy, coordinate by coordinate, in a
separate process that is stopped after a time budget: the answer is then "not found in the
budget" (:class:`ComputationError`), never a hang.
"""
from __future__ import annotations

import multiprocessing
import traceback

import sympy as sp
from flint import arb, fmpq

from ..errors import ComputationError, LRTheoryError
from ..evaluators import compile_exprs


class NotGradientError(LRTheoryError):
    """The modified field of order ``order`` is not a gradient; ``curl`` maps ``(i, j)`` to
    the non-vanishing component ``∂_i F_j − ∂_j F_i`` (sympy expressions)."""

    def __init__(self, order: int, curl: dict, variables):
        self.order, self.curl, self.variables = order, curl, tuple(variables)
        parts = ", ".join(f"d{variables[i]} F[{j}] - d{variables[j]} F[{i}] = {c}"
                          for (i, j), c in curl.items())
        super().__init__(f"modified field F_{order} is not a gradient: {parts}")


def curl(F, d) -> dict:
    """``{(i, j): ∂_i F_j − ∂_j F_i}`` for i < j (ring elements)."""
    n = len(F)
    return {(i, j): d(F[j], i) - d(F[i], j) for i in range(n) for j in range(i + 1, n)}


def homotopy_split(F, ctx) -> tuple:
    """``(φ, R)`` with ``F = −∇φ + R`` and ``R·x = 0`` for a polynomial field ``F`` (python-flint
    polynomials of the context ``ctx``, whose generators are the coordinates)."""
    radial = sum((Fi * xi for Fi, xi in zip(F, ctx.gens())), ctx.from_dict({}))
    phi = ctx.from_dict({m: -c / sum(m) for m, c in radial.terms() if sum(m)})
    R = [Fi + phi.derivative(i) for i, Fi in enumerate(F)]
    return phi, R


_PROBES = ((fmpq(3, 7), fmpq(-5, 11), fmpq(2, 13), fmpq(-7, 17)),
           (fmpq(-4, 9), fmpq(6, 19), fmpq(-1, 5), fmpq(8, 23)),
           (fmpq(11, 10), fmpq(-13, 12), fmpq(9, 14), fmpq(1, 3)))


def certified_nonzero_at(expr: sp.Expr, variables) -> tuple | None:
    """A rational point where a ball enclosure of ``expr`` excludes 0, or None."""
    fn = compile_exprs([expr], variables, "arb")
    for probe in _PROBES:
        pt = [probe[k % len(probe)] * (1 + k // len(probe)) for k in range(len(variables))]
        try:
            val = arb(fn(*[arb(p) for p in pt])[0])
        except (ValueError, ZeroDivisionError, LRTheoryError):
            continue
        if val.is_finite() and not val.contains(0):
            return tuple(pt)
    return None


def is_identically_zero(expr: sp.Expr, variables) -> bool:
    """Exact decision whether ``expr`` vanishes identically (see module docstring)."""
    if sp.expand(expr) == 0:
        return True
    if certified_nonzero_at(expr, variables) is not None:
        return False
    if sp.simplify(expr) == 0:
        return True
    raise ComputationError(f"could not decide whether {expr} vanishes identically")


# ---- integration under a time budget -------------------------------------------------------
def integrated_potential(F, variables, budget: float) -> sp.Expr:
    """``φ`` with ``F = −∇φ`` by sympy's ``integrate`` coordinate by coordinate
    (``φ = −∫F_1 dx_1``, then the ``x_2``-dependence missing from ``∂_2φ``, …), verified by
    differentiation; run in a child process stopped after ``budget`` seconds.  Raises
    :class:`ComputationError` when no closed form is found within the budget."""
    return call_with_budget(_integrate_fields, (tuple(F), tuple(variables)), budget,
                            "no closed-form potential found")


def _integrate_fields(F, variables) -> sp.Expr:
    phi = sp.Integer(0)
    for i, x in enumerate(variables):
        rest = -F[i] - sp.diff(phi, x)
        if i and is_identically_zero(rest, variables):
            continue
        term = sp.integrate(sp.simplify(rest), x)
        if term.has(sp.Integral):
            raise ComputationError("sympy found no closed-form antiderivative")
        phi += term
    if not all(is_identically_zero(sp.diff(phi, x) + Fi, variables)
               for x, Fi in zip(variables, F)):
        raise ComputationError("the integrated potential failed verification")
    return sp.simplify(phi)


def call_with_budget(fn, args: tuple, budget: float, what: str):
    """``fn(*args)`` computed in a child process; :class:`ComputationError` (its message
    starts with ``what``) if it does not finish within ``budget`` seconds or fails."""
    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receive, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(send, fn, args), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(budget):
            raise ComputationError(f"{what} within the time budget of {budget:g} s")
        ok, value = receive.recv()
    except EOFError:
        raise ComputationError(f"{what}: the computation stopped") from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if not ok:
        raise ComputationError(f"{what}: {value}")
    return value


def _child(conn, fn, args):
    try:
        out = (True, fn(*args))
    except LRTheoryError as exc:
        out = (False, str(exc))
    except Exception:  # noqa: BLE001 — reported to the parent as a failure
        out = (False, traceback.format_exc(limit=1).strip().splitlines()[-1])
    conn.send(out)
    conn.close()
