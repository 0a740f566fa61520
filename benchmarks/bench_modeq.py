"""Modified equations of GD: lrtheory against fair anchors, interleaved, medians.

Anchors (written here, independent of lrtheory):

* ``flint_fields`` — the Lie-series recursion on python-flint ``fmpq_mpoly``, in its
  plainest form (the h-expansion of ``L^k id``);
* ``sympy_ring_fields`` — the previous implementation: the same recursion on sympy's
  pure-Python sparse polynomials (``PolyRing`` over QQ);
* for potentials, the previous route ``sympy.integrate`` of ``F_n`` (run in a child process
  with a time limit; it does not finish for ``log cosh`` at order 3).

Each comparison runs the contenders in alternating order for ``rounds`` rounds and reports
the median seconds of each, the ratio lrtheory / anchor, and checks once that the results
agree exactly.  Measured: ``modified_equation(objective, N)`` (the recursion; sympy
expressions of the fields are made only when they are read, timed separately as
``sympy_view_seconds``) and ``modified_equation(f, 12, potentials=True)`` with lrtheory's
caches cleared (the first run of a process, which also fills sympy's own cache, is
reported separately).

    python benchmarks/bench_modeq.py          # quick cases
    python benchmarks/bench_modeq.py --big    # the target cases (a few minutes)
    python benchmarks/run.py modeq            # through the harness (quick and big)
"""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from fractions import Fraction
from itertools import product
from math import factorial

import sympy as sp
from flint import fmpq, fmpq_mpoly_ctx
from harness import Benchmark
from sympy import QQ
from sympy.polys.rings import PolyRing

from lrtheory.modeq import field as modeq_field
from lrtheory.modeq import modified_equation
from lrtheory.objectives import Objective

SEED = 2024


# ---- objectives --------------------------------------------------------------------------------
def factorization() -> tuple[sp.Expr, tuple]:
    x, y = sp.symbols("x y", real=True)
    return (1 - x * y) ** 2 / 2, (x, y)


def dense_quartic(n: int = 4) -> tuple[sp.Expr, tuple]:
    """All monomials of degree ≤ 4 in n variables, coefficients p/q with p in [−5, 5] \\ {0},
    q in [1, 4], drawn with a fixed seed."""
    xs = sp.symbols(f"x1:{n + 1}", real=True)
    rng = random.Random(SEED)
    terms = []
    for e in product(range(5), repeat=n):
        if sum(e) <= 4:
            c = Fraction(rng.choice([k for k in range(-5, 6) if k]), rng.randint(1, 4))
            terms.append(sp.Rational(c.numerator, c.denominator)
                         * sp.Mul(*[v**k for v, k in zip(xs, e)]))
    return sp.Add(*terms), xs


# ---- anchors -------------------------------------------------------------------------------------
def flint_fields(expr, xs, order):
    """F_0..F_order by matching exp(hL) id with GD, L the Lie derivative of F_0 + hF_1 + …:
    Lk[j] holds the h^j coefficient of L^k id (a vector), Lk[j] = Σ_{i+l=j} (∂Lk−1[l]) F_i."""
    ctx = fmpq_mpoly_ctx.get(tuple(v.name for v in xs), "lex")
    poly = sp.Poly(expr, *xs)
    f = ctx.from_dict({m: fmpq(int(c.p), int(c.q)) for m, c in poly.terms()})
    n = len(xs)
    F = [[-f.derivative(i) for i in range(n)]]
    lie = {1: {0: F[0]}}
    grads: dict = {}

    def jac(k, l):
        if (k, l) not in grads:
            grads[(k, l)] = [[c.derivative(q) for q in range(n)] for c in lie[k][l]]
        return grads[(k, l)]

    for m in range(1, order + 1):
        new = [ctx.from_dict({}) for _ in range(n)]
        for k in range(2, m + 2):
            j = m + 1 - k
            vec = [ctx.from_dict({}) for _ in range(n)]
            for i in range(j + 1):
                D, Fi = jac(k - 1, j - i), F[i]
                for c in range(n):
                    for q in range(n):
                        vec[c] += D[c][q] * Fi[q]
            lie.setdefault(k, {})[j] = vec
            new = [a - b / factorial(k) for a, b in zip(new, vec)]
        F.append(new)
        lie[1][m] = new
    return F


def sympy_ring_fields(expr, xs, order):
    """The previous implementation: the Lie-series recursion on sympy's PolyRing."""
    R = PolyRing(xs, QQ)
    f = R.from_expr(expr)
    n = len(xs)
    fields = [[-f.diff(g) for g in R.gens]]
    P = {(1, 0): fields[0]}
    jac: dict = {}

    def jacobian(key):
        if key not in jac:
            jac[key] = [[c.diff(R.gens[q]) for q in range(n)] for c in P[key]]
        return jac[key]

    for m in range(1, order + 1):
        total = [R.zero] * n
        for k in range(2, m + 2):
            j = m + 1 - k
            acc = [R.zero] * n
            for i in range(j + 1):
                J, F = jacobian((k - 1, j - i)), fields[i]
                for c in range(n):
                    acc[c] = acc[c] + sum((F[q] * J[c][q] for q in range(n)), R.zero)
            P[(k, j)] = acc
            total = [t + a * QQ(1, factorial(k)) for t, a in zip(total, acc)]
        Fm = [-t for t in total]
        fields.append(Fm)
        P[(1, m)] = Fm
    return fields


def _integrate_old(F, x, conn):
    conn.send(str(sp.integrate(sp.simplify(-F), x)))


def old_potential_seconds(expr, order: int, limit: float):
    """Seconds of the previous route (sympy.integrate of F_order) or None past ``limit``."""
    x = sp.Symbol("x", real=True)
    F = modified_equation(Objective(expr, (x,)), order).fields[order][0]
    mp = multiprocessing.get_context("fork")
    recv, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_integrate_old, args=(F, x, send), daemon=True)
    t0 = time.perf_counter()
    proc.start()
    done = recv.poll(limit)
    seconds = time.perf_counter() - t0
    proc.kill()
    proc.join()
    return seconds if done else None


# ---- lrtheory ------------------------------------------------------------------------------------
def lrtheory_fields(expr, xs, order):
    return modified_equation(Objective(expr, xs), order)


def _clear_caches():
    for fn in (modeq_field.universal_fields, modeq_field.universal_reduction,
               modeq_field.universal_potential):
        fn.cache_clear()


def lrtheory_potentials(expr_text: str, order: int):
    _clear_caches()
    return modified_equation(expr_text, order, "x", potentials=True)


# ---- interleaved medians -------------------------------------------------------------------------
def interleaved(contenders: dict, rounds: int, first: dict | None = None) -> dict:
    """Median seconds of each contender over ``rounds`` rounds, the order rotating; the
    seconds of each contender's first run go into ``first`` when given."""
    names = list(contenders)
    times = {k: [] for k in names}
    for r in range(rounds):
        for k in names[r % len(names):] + names[:r % len(names)]:
            t0 = time.perf_counter()
            contenders[k]()
            times[k].append(time.perf_counter() - t0)
    if first is not None:
        first.update({k: v[0] for k, v in times.items()})
    return {k: statistics.median(v) for k, v in times.items()}


def _same_fields(me, anchor) -> bool:
    ours = me._engine.ring_fields
    return all(a == b for F, G in zip(ours, anchor) for a, b in zip(F, G))


def _same_sympy_ring(me, anchor) -> bool:
    xs = me.variables
    return all(sp.expand(me.fields[n][i] - anchor[n][i].as_expr()) == 0
               for n in range(len(anchor)) for i in range(len(xs)))


def compare_fields(case: str, order: int, rounds: int, with_sympy: bool) -> dict:
    expr, xs = factorization() if case == "factorization" else dense_quartic()
    contenders = {"lrtheory": lambda: lrtheory_fields(expr, xs, order),
                  "flint_anchor": lambda: flint_fields(expr, xs, order)}
    if with_sympy:
        contenders["sympy_ring_anchor"] = lambda: sympy_ring_fields(expr, xs, order)
    med = interleaved(contenders, rounds)
    me = lrtheory_fields(expr, xs, order)
    row = {"case": case, "order": order, "rounds": rounds,
           "median_seconds": {k: round(v, 4) for k, v in med.items()},
           "ratio_vs_flint": round(med["lrtheory"] / med["flint_anchor"], 3),
           "exact_agreement_flint": _same_fields(me, flint_fields(expr, xs, order))}
    if with_sympy:
        row["speedup_vs_sympy_ring"] = round(med["sympy_ring_anchor"] / med["lrtheory"], 1)
        row["exact_agreement_sympy_ring"] = _same_sympy_ring(me, sympy_ring_fields(expr, xs,
                                                                                   order))
    fresh = lrtheory_fields(expr, xs, order)
    t0 = time.perf_counter()
    _ = fresh.fields
    row["sympy_view_seconds"] = round(time.perf_counter() - t0, 3)
    return row


def flint_is_gradient(expr, xs, order) -> list:
    """The anchor's gradient test: every ∂_i F_j − ∂_j F_i is_zero() on the fmpq_mpoly."""
    n = len(xs)
    return [all((F[j].derivative(i) - F[i].derivative(j)).is_zero()
                for i in range(n) for j in range(i + 1, n))
            for F in flint_fields(expr, xs, order)]


def compare_gradient(order: int, rounds: int) -> dict:
    """``modified_equation(...).gradient`` (fields and the exact gradient test of each
    order) against the FLINT recursion with ``is_zero`` on its curls, dense quartic in 4
    variables, with the load average of the machine."""
    import os
    expr, xs = dense_quartic()
    med = interleaved({"lrtheory": lambda: lrtheory_fields(expr, xs, order).gradient,
                       "flint_anchor": lambda: flint_is_gradient(expr, xs, order)}, rounds)
    return {"case": "dense_quartic", "order": order, "rounds": rounds,
            "median_seconds": {k: round(v, 4) for k, v in med.items()},
            "ratio_vs_flint": round(med["lrtheory"] / med["flint_anchor"], 3),
            "agreement": list(lrtheory_fields(expr, xs, order).gradient) ==
            flint_is_gradient(expr, xs, order),
            "loadavg": [round(v, 2) for v in os.getloadavg()]}


def potentials_row(rounds: int, old_limit: float | None) -> dict:
    cases = ("log(cosh(x))", "exp(-x**2)")
    first: dict = {}
    med = interleaved({c: (lambda c=c: lrtheory_potentials(c, 12)) for c in cases}, rounds,
                      first)
    row = {"orders": "0..12", "median_seconds": {k: round(v, 3) for k, v in med.items()},
           "total_seconds": round(sum(med.values()), 3),
           "first_run_seconds": {k: round(v, 3) for k, v in first.items()},
           "first_run_total_seconds": round(sum(first.values()), 3)}
    if old_limit:
        row["previous_route_order3_seconds"] = {
            c: old_potential_seconds(c, 3, old_limit) or f"> {old_limit} (stopped)"
            for c in cases}
    return row


def compare_display(order: int, rounds: int) -> dict:
    """The text of the fields F_0 … F_order of (1 − xy)²/2 as ``lrtheory modeq`` prints
    it: written from the FLINT polynomials (:meth:`ModifiedEquation.field_text`) against
    the anchor, sympy's ``str`` of the sympy fields (converting them included).  The fields
    are computed before each timing; CPU-time medians; the texts compared."""
    expr, xs = factorization()
    fresh = lambda: modified_equation(expr, order, xs)  # noqa: E731
    ops = {"flint_text": lambda me: [me.field_text(n) for n in range(order + 1)],
           "sympy_str": lambda me: [tuple(str(c) for c in F) for F in me.fields]}
    times = {k: [] for k in ops}
    texts = {}
    for _ in range(rounds):
        for k, fn in ops.items():
            me = fresh()
            t0 = time.process_time()
            texts[k] = fn(me)
            times[k].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"order": order, "flint_text_cpu_s": round(med["flint_text"], 4),
            "sympy_str_cpu_s": round(med["sympy_str"], 4),
            "sympy_over_flint": round(med["sympy_str"] / max(med["flint_text"], 1e-9), 1),
            "same_text": texts["flint_text"] == texts["sympy_str"],
            "load": [round(v, 2) for v in os.getloadavg()]}


def _bench(label, fn, target):
    return Benchmark(f"modeq.{label}", fn, repeat=1, target=target,
                     extra=lambda res, _s: res)


BENCHMARKS = [
    _bench("fields.factorization_order20_quick",
           lambda: compare_fields("factorization", 20, 3, False), "ratio_vs_flint <= 1.5"),
    _bench("fields.dense_quartic_4d_order6_quick",
           lambda: compare_fields("dense_quartic", 6, 3, False), "ratio_vs_flint <= 1.5"),
    _bench("fields.vs_sympy_ring_factorization_order12",
           lambda: compare_fields("factorization", 12, 3, True), "faster than the sympy ring"),
    _bench("fields.vs_sympy_ring_dense_quartic_order4",
           lambda: compare_fields("dense_quartic", 4, 3, True), "faster than the sympy ring"),
    _bench("is_gradient.dense_quartic_4d_order3_quick", lambda: compare_gradient(3, 3),
           "ratio_vs_flint <= 2"),
    _bench("is_gradient.dense_quartic_4d_order5_quick", lambda: compare_gradient(5, 3),
           "ratio_vs_flint <= 2"),
    _bench("potentials.log_cosh_exp_gauss_orders_0_12", lambda: potentials_row(3, None),
           "total < 5 s"),
    _bench("display.factorization_order20", lambda: compare_display(20, 3),
           "flint text faster than sympy's str"),
    _bench("fields.factorization_order30_big",
           lambda: compare_fields("factorization", 30, 3, False), "ratio_vs_flint <= 1.5"),
    _bench("fields.dense_quartic_4d_order8_big",
           lambda: compare_fields("dense_quartic", 8, 3, False), "ratio_vs_flint <= 1.5"),
    _bench("potentials.previous_route_big", lambda: potentials_row(1, 60.0), "total < 5 s"),
]


def main(argv) -> int:
    big = "--big" in argv
    for b in BENCHMARKS:
        if b.name.endswith("_big") == big:
            t0 = time.perf_counter()
            row = {"name": b.name, "target": b.target, **b.run(),
                   "wall_seconds": round(time.perf_counter() - t0, 2)}
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
