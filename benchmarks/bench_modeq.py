"""Modified equations: polynomial-ring / jet-ring recursion against a naive recursion on
plain sympy expressions (h symbolic, everything expanded and re-derived at every order)."""
from math import factorial

import sympy as sp
from harness import Benchmark

from lrtheory.modeq.field import ModifiedEquation, universal_fields
from lrtheory.objectives import Objective

_X, _Y = sp.symbols("x y", real=True)
_FACT = Objective((1 - _X * _Y) ** 2 / 2, (_X, _Y))
_F1D = sp.Function("f")(_X)


def naive_modified_fields(f, variables, order):
    """F_0..F_order by matching Σ_k h^k/k! L^k id with plain expanded expressions (powers of
    h beyond the one being matched are dropped after every Lie derivative)."""
    h = sp.Symbol("h")
    fields = [[-sp.diff(f, v) for v in variables]]
    for m in range(1, order + 1):
        Ft = [sum(h**n * fields[n][i] for n in range(m)) for i in range(len(variables))]
        term, total = list(variables), [0] * len(variables)
        for k in range(1, m + 2):
            term = [sp.expand(sum(Ft[j] * sp.diff(t, v) for j, v in enumerate(variables)))
                    for t in term]
            term = [sum(t.coeff(h, j) * h**j for j in range(m + 2 - k)) for t in term]
            total = [a + h**k / factorial(k) * t for a, t in zip(total, term)]
        fields.append([-sp.expand(t).coeff(h, m + 1) for t in total])
    return fields


def _fields(order):
    return lambda: ModifiedEquation(_FACT, order).fields


def _one_d(order):
    return lambda: [F[0].as_expr() for F in universal_fields.__wrapped__(("x",), order)[1]]


BENCHMARKS = [
    Benchmark("modeq.factorization_order8", _fields(8),
              lambda: naive_modified_fields(_FACT.expr, _FACT.vars, 4), repeat=3,
              target="< 2 s (baseline: naive at order 4 only; order 8 is out of its reach)"),
    Benchmark("modeq.one_d_coordinate_free_order12", _one_d(12),
              lambda: naive_modified_fields(_F1D, (_X,), 6), repeat=3,
              target="< 2 s (baseline: naive f(x) at order 6 only)"),
    Benchmark("modeq.factorization_order5_vs_naive", _fields(5),
              lambda: naive_modified_fields(_FACT.expr, _FACT.vars, 5), repeat=3,
              target=">= 50x faster than the naive baseline"),
]
