"""Every bifurcation of a one-dimensional polynomial GD map in a learning-rate interval,
proved complete by exact elimination.

For f ∈ Q[x] the GD map g(x, h) = x − h f′(x) is a polynomial in (x, h).  A point of
minimal period p is a root of the dynatomic polynomial

    Φ_p(x, h) = ∏_{d | p} (g^d(x, h) − x)^{μ(p/d)}        (μ the Möbius function),

and its orbit has the multiplier D_p(x, h) = ∂_x g^p(x, h).  A period doubling has
D_p = −1, a fold (or, with a symmetry, a pitchfork) D_p = +1.  The resultant

    R_s(h) = Res_x(Φ_p(x, h), D_p(x, h) − s),        s = ±1,

computed exactly over Z with FLINT, vanishes at every h where such a point exists (real or
complex: the leading coefficients in x are powers of h, so h > 0 is never spurious).  Hence:

1. factor R_s over Z; the real roots of each irreducible factor q in [a, b] are isolated
   by Arb (``fmpz_poly.complex_roots``: real roots come back with an exactly zero
   imaginary part);
2. at each root H, every solution (x, H) ∈ C² of {Φ_p = 0, D_p = s} is found from the
   roots of Φ_p(·, H), refined by Newton in (x, h) and certified unique in a small box by
   the Krawczyk test (on the real 4-dimensional form of the complex system); a box
   symmetric about the real axis proves a real solution, one away from it a non-real one;
3. a certified solution is regular, so it has intersection multiplicity 1: when the
   solutions at H number exactly the multiplicity of q in R_s, none is missing.

If every root passes step 3 the list of bifurcations with h ∈ [a, b] and minimal period
≤ P is **proved complete**; otherwise the result names the roots where it is not.  Real
solutions are grouped into orbits; a multiplier +1 of period 2d at a period-doubling
parameter of period d (the doubled orbit leaving the period-d orbit) is recorded with that
doubling, not as a fold.  The learning rate of every bifurcation is an algebraic number
given by its minimal polynomial q, with radicals when deg q ≤ 2.

The result is the :class:`~lrtheory.bifurcation.results.BifurcationSearch` of every method
(``method="exact"``): each :class:`~lrtheory.bifurcation.results.Bifurcation` has
``lr_exact`` (the :class:`~lrtheory.bifurcation.results.AlgebraicNumber`), ``lr`` and
``point`` (the midpoints of the enclosures, exactly), ``enclosure`` (x and h) and ``orbit``
(the enclosures of the orbit's points).  ``ExactBifurcation`` and ``ExactBifurcationList``
are the former names of these types.
"""
from __future__ import annotations

import math
import time

import mpmath
import numpy as np
import sympy as sp
from flint import acb, acb_poly, arb, fmpq, fmpq_mpoly_ctx, fmpq_poly, fmpz_poly

from ..certify.krawczyk import krawczyk_test
from ..errors import ComputationError, InputError
from ..numbers import convert
from ..objectives import Objective
from ..precision import precision
from ..results import Ball
from .results import (NOT_PROVED, PROVED, AlgebraicNumber, Bifurcation, BifurcationSearch,
                      SearchCompleteness)

__all__ = ["exact_bifurcations", "is_exact_applicable", "ball_mpf", "ExactBifurcation",
           "ExactBifurcationList", "AlgebraicNumber", "SearchCompleteness"]

#: Largest degree of g^p in x handled (the dynatomic polynomials grow like deg(g)^p).
MAX_ITERATE_DEGREE = 256
KINDS = {-1: "period-doubling", 1: "fold"}
METHOD = ("exact elimination: resultants over Q (FLINT), root isolation (Arb), Krawczyk "
          "certification in (x, h)")

#: The names of the exact method's results before every method returned the same types.
ExactBifurcation = Bifurcation
ExactBifurcationList = BifurcationSearch


def ball_mpf(ball: Ball) -> mpmath.mpf:
    """The midpoint of a :class:`Ball` as an mpmath number, exactly."""
    from mpmath.libmp import from_man_exp
    return mpmath.mp.make_mpf(from_man_exp(ball.mid_man, ball.mid_exp))


# ---- the polynomial data ------------------------------------------------------------------
def is_exact_applicable(obj: Objective) -> bool:
    """Whether the exact method applies: one variable, f′ a polynomial over Q."""
    if obj.dim != 1 or obj.params:
        return False
    poly = sp.Poly(obj.gradient[0], obj.vars[0]) if obj.gradient[0].is_polynomial(obj.vars[0]) \
        else None
    return poly is not None and all(c.is_Rational for c in poly.all_coeffs())


class _Maps:
    """g, its iterates, Φ_p and D_p as FLINT polynomials in (x, h)."""

    def __init__(self, obj: Objective, max_period: int):
        if not is_exact_applicable(obj):
            raise InputError("the exact bifurcation method needs one variable and a polynomial "
                             "gradient with rational coefficients")
        self.ctx = fmpq_mpoly_ctx.get(("x", "h"), "lex")
        x, h = self.ctx.gens()
        dfx = sp.Poly(obj.gradient[0], obj.vars[0])
        fprime = sum((fmpq(int(c.p), int(c.q)) * x ** k
                      for (k,), c in dfx.terms()), self.ctx.from_dict({}))
        self.x, self.h = x, h
        self.g = x - h * fprime
        deg = max(dfx.degree(), 1)
        if deg ** max_period > MAX_ITERATE_DEGREE:
            raise InputError(f"deg(g)^P = {deg}^{max_period} exceeds {MAX_ITERATE_DEGREE}: "
                             "lower --max-period")
        self.iterates = {1: self.g}
        for k in range(2, max_period + 1):
            self.iterates[k] = self.g.compose(self.iterates[k - 1], h)

    def dynatomic(self, p: int):
        """Φ_p = ∏_{d|p} (g^d − x)^{μ(p/d)} (an exact quotient)."""
        num = den = self.ctx.from_dict({(0, 0): 1})
        for d in range(1, p + 1):
            if p % d == 0:
                mu = _mobius(p // d)
                if mu == 1:
                    num = num * (self.iterates[d] - self.x)
                elif mu == -1:
                    den = den * (self.iterates[d] - self.x)
        return num / den

    def multiplier(self, p: int):
        return self.iterates[p].derivative("x")


def _mobius(n: int) -> int:
    result_, k = 1, 2
    while k * k <= n:
        if n % k == 0:
            n //= k
            if n % k == 0:
                return 0
            result_ = -result_
        k += 1
    return -result_ if n > 1 else result_


def _to_fmpz_poly_in_h(R) -> fmpz_poly:
    terms = R.to_dict()
    deg = max(k[1] for k in terms)
    coeffs = [fmpq(0)] * (deg + 1)
    for (i, j), c in terms.items():
        if i:
            raise ValueError("resultant still depends on x")
        coeffs[j] = fmpq(c)
    den = math.lcm(*[int(c.q) for c in coeffs])
    return fmpz_poly([int(c.p) * (den // int(c.q)) for c in coeffs])


class _Bivariate:
    """P(x, h) = Σ_i c_i(h) x^i for evaluation in acb and complex floats."""

    def __init__(self, P):
        terms = P.to_dict()
        deg_x = max((k[0] for k in terms), default=0)
        deg_h = max((k[1] for k in terms), default=0)
        rows = [[fmpq(0)] * (deg_h + 1) for _ in range(deg_x + 1)]
        for (i, j), c in terms.items():
            rows[i][j] = fmpq(c)
        self.rows = rows

    def _row_polys(self):
        bits = _bits()
        if getattr(self, "_cached_bits", None) != bits:
            self._polys = [acb_poly([acb(c) for c in row]) for row in self.rows]
            self._cached_bits = bits
        return self._polys

    def at_h(self, h) -> acb_poly:
        """The univariate polynomial P(·, h) in x."""
        return acb_poly([row(h) for row in self._row_polys()])

    def acb(self, x, h):
        return self.at_h(h)(x)


class _System:
    """F(x, h) = (Φ_p, D_p − s) with its exact Jacobian, evaluated in C²."""

    def __init__(self, maps: _Maps, p: int, s: int):
        phi, D = maps.dynatomic(p), maps.multiplier(p) - s
        self.parts = [_Bivariate(P) for P in (phi, D)]
        self.jac = [[_Bivariate(P.derivative(v)) for v in ("x", "h")] for P in (phi, D)]
        self.phi = self.parts[0]

    def certify(self, x: acb, h: acb, radius: arb):
        """Krawczyk on the real form (Re x, Im x, Re h, Im h); a centre within ``radius`` of
        the real axis is put on it, so that a unique zero there is real."""
        centre = [x.real, x.imag, h.real, h.imag]
        centre = [c if k % 2 == 0 or abs(c) > radius else arb(0) for k, c in enumerate(centre)]
        box = [c + arb(0, radius) for c in centre]
        symmetric = centre[1] == 0 and centre[3] == 0
        return krawczyk_test(self._F_real, self._J_real, box), symmetric

    def _F_real(self, box):
        x, h = acb(box[0], box[1]), acb(box[2], box[3])
        vals = [P.acb(x, h) for P in self.parts]
        return [vals[0].real, vals[0].imag, vals[1].real, vals[1].imag]

    def _J_real(self, box):
        x, h = acb(box[0], box[1]), acb(box[2], box[3])
        rows = []
        for row in self.jac:
            a, b = (P.acb(x, h) for P in row)
            rows.append([a.real, -a.imag, b.real, -b.imag])
            rows.append([a.imag, a.real, b.imag, b.real])
        return rows


# ---- the search ------------------------------------------------------------------------------
def exact_bifurcations(obj: Objective, lr_range, max_period: int, dps: int = 60, *,
                       budget: float | None = None, progress=None) -> BifurcationSearch:
    """Every period doubling and fold of minimal period ≤ ``max_period`` of GD on the 1-D
    polynomial objective ``obj`` with h in ``lr_range`` (see the module docstring).

    ``budget``: seconds of wall time; it is checked between steps (a resultant, a factor,
    a root), and when it is spent the search stops with what it has found and the result
    is ``not proved``, naming where it stopped.  ``progress``: a callable given one line
    per period and multiplier (resultant degree, factors, roots in range, time)."""
    lo, hi = (convert(v, "learning rate") for v in lr_range)
    if not (0 < lo < hi):
        raise InputError(f"the learning-rate range needs 0 < A < B, got {lo}, {hi}")
    if not 1 <= int(max_period) <= 12:
        raise InputError("--max-period must be between 1 and 12")
    if budget is not None and not budget > 0:
        raise InputError(f"the time budget must be positive, got {budget}")
    maps = _Maps(obj, int(max_period))
    found, open_roots = [], []
    clock = _Clock(budget, progress)
    with precision(dps):
        try:
            for p in range(1, int(max_period) + 1):
                for s in (-1, 1):
                    _search(maps, p, s, (lo, hi), found, open_roots, clock)
        except _BudgetSpent as stop:
            open_roots.insert(0, str(stop))
        bifs = _merge_doublings(maps, found, int(dps))
    complete = SearchCompleteness(PROVED if not open_roots else NOT_PROVED, METHOD,
                                  "; ".join(open_roots))
    bifs.sort(key=lambda b: (b.lr, b.period, b.kind))
    return BifurcationSearch(tuple(bifs), (lo, hi), int(max_period), dps=int(dps),
                             complete=complete, method="exact", objective=str(obj.expr),
                             variables=(str(obj.vars[0]),))


class _BudgetSpent(Exception):
    """The time budget ran out (the message says where)."""


class _Clock:
    """Elapsed time, the budget check between steps and the progress lines."""

    def __init__(self, budget, progress):
        self.t0, self.budget, self.progress = time.monotonic(), budget, progress

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def check(self, where: str) -> None:
        if self.budget is not None and self.elapsed() > self.budget:
            raise _BudgetSpent(f"budget of {self.budget:g} s reached at {where}")

    def run(self, task, args: tuple, where: str):
        """``task(*args)``, in a forked process when there is a budget, so that one long FLINT
        call (a resultant) cannot overrun it: the process is ended when the budget is
        spent."""
        if self.budget is None:
            return task(*args)
        import multiprocessing
        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        worker = ctx.Process(target=_send_result, args=(task, args, send),
                             daemon=True)
        worker.start()
        send.close()
        ready = receive.poll(max(self.budget - self.elapsed(), 0))
        try:
            out = receive.recv() if ready else None
        except EOFError:      # the worker ended without an answer
            raise ComputationError(f"the worker process failed at {where}") from None
        finally:
            worker.terminate()
            worker.join()
        if not ready:
            raise _BudgetSpent(f"budget of {self.budget:g} s reached at {where}")
        return out

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(f"exact: {line} ({self.elapsed():.1f} s)")


def _send_result(task, args: tuple, connection) -> None:
    connection.send(task(*args))
    connection.close()


def _resultant(maps: _Maps, p: int, s: int) -> list | None:
    """Res_x(Φ_p, D_p − s) as the integer coefficients of a polynomial in h (a list, which
    a pipe carries), or None when it vanishes."""
    R = maps.dynatomic(p).resultant(maps.multiplier(p) - s, "x")
    return None if R.is_zero() else [int(c) for c in _to_fmpz_poly_in_h(R).coeffs()]


def _search(maps: _Maps, p: int, s: int, lr_range, found: list, open_roots: list,
            clock: _Clock):
    where = f"period {p}, multiplier {s:+d}"
    clock.check(f"{where} (before its resultant)")
    R = clock.run(_resultant, (maps, p, s), f"{where} (computing its resultant)")
    if R is None:
        open_roots.append(f"{where}: the resultant vanishes identically")
        return
    clock.check(f"{where} (before factoring its resultant)")
    R = fmpz_poly(R)
    _, factors = R.factor()
    all_roots = [(q, m, root) for q, m in factors if q.degree() > 0
                 for root, _ in q.complex_roots()]
    system, parent_only = _System(maps, p, s), {}
    in_range = [(q, m, H) for q, m, H in all_roots
                if H.imag == 0 and not (q.degree() == 1 and q[0] == 0)
                and _in_range(H.real, lr_range) is not False]
    clock.say(f"{where}: resultant of degree {R.degree()} in h, {len(factors)} factors, "
              f"{len(in_range)} real roots in range")
    for done, (q, m, H) in enumerate(in_range):
        clock.check(f"{where}, root {done + 1} of {len(in_range)} in range")
        label = f"{where}, h ≈ {float(H.real.mid()):.12g}"
        if _in_range(H.real, lr_range) is None:
            open_roots.append(f"{label}: cannot decide whether h lies in the range")
            continue
        if s == 1 and p % 2 == 0:
            key = tuple(int(c) for c in q.coeffs())
            if key not in parent_only:          # once per factor, not per root
                parent_only[key] = _no_new_orbit(maps, p, q)
            if parent_only[key]:
                continue  # only the period-(p/2) doubling, seen from the doubled orbit
        others = [r for qq, _, r in all_roots if r is not H]
        sols = _escalated(lambda: _solutions_at(system, H.real, m, others), _bits())
        if sols is None:
            open_roots.append(f"{label}: the certified solutions do not account for the "
                              f"multiplicity {m} of its factor")
            continue
        H = acb(_refined_root(q, H.real))
        number = AlgebraicNumber(tuple(int(c) for c in q.coeffs()), Ball.from_arb(H.real),
                                 _closed_form(q, H.real))
        for orbit in _orbits(maps, p, H.real, [x for x, real in sols if real]):
            found.append((p, s, number, orbit))
    if in_range:
        clock.say(f"{where}: {len(in_range)} roots examined")


def _refined_root(q: fmpz_poly, H: arb, steps: int = 60) -> arb:
    """The simple real root of q in H narrowed to the working precision by interval
    Newton: N = m − q(m)/q′(H) (m the midpoint) contains the root when q′ has no zero in
    H, and replaces H while it lies inside it (Arb's isolation of roots of a high-degree
    q with large coefficients can stop far above the working precision)."""
    dq = q.derivative()
    target = arb(2) ** (10 - _bits())
    for _ in range(steps):
        if H.rad() <= target * abs(H.mid()):
            break
        m = arb(H.mid())
        N = m - q(m) / dq(H)
        if not H.contains(N) or N.rad() >= H.rad():
            break
        H = N
    return H


def _no_new_orbit(maps: _Maps, p: int, q: fmpz_poly) -> bool:
    """Whether, at the roots H of the irreducible q, every common root of Φ_p and D_p − 1
    is a point of period p/2 (the doubled orbit leaving its parent), i.e. whether
    A = gcd(Φ_p, D_p − 1) over the number field K = Q[h]/(q) has only roots of
    P = g^{p/2} − x.  True is proved; False means "not shown" (the root is then examined
    by the certified solver, which proves the solutions or leaves the root open).

    1. Modular upper bound: for a prime ℓ with q mod ℓ of full degree and squarefree
       (ℓ ∤ lc(q)·disc(q), so 𝔭 = (ℓ, h − r) is a prime of K of degree 1 for each root r
       of q mod ℓ, Dedekind–Kummer) and lc_x(Φ_p), lc_x(D_p − 1) nonzero at r, reduction
       h ↦ r maps A onto a divisor of the gcd over F_ℓ (Gauss's lemma over the local ring
       at 𝔭), so deg A ≤ n := deg gcd(Φ_p(x, r), D_p(x, r) − 1) in F_ℓ[x]
       (FLINT ``nmod_poly``).  A prime whose gcd has a root off P(x, r) is passed over.
    2. Exact lower bound: W = the part of A made of roots of P, computed over K by
       repeated gcds with the small P and exact divisions (:class:`_NumberField`).
       W | A, so deg W = n proves A = W: no new orbit.

    A modular gcd alone is only an upper bound (an unlucky prime can merge roots); the
    answer rests on the exact W and on the bound of step 1, which holds for every prime
    that passes its checks."""
    bound = _modular_gcd_degree(maps, p, q)
    if bound is None:
        return False
    return _parent_part_degree(maps, p, q) == bound


#: Primes tried for the modular bound (the first below 2^62 that pass the checks are used).
MODULAR_PRIMES = 3
_PRIME_START = 2**62


def _modular_gcd_degree(maps: _Maps, p: int, q: fmpz_poly) -> int | None:
    """The smallest n = deg gcd(Φ_p, D_p − 1) over F_ℓ at h = r (a root of q mod ℓ) among
    :data:`MODULAR_PRIMES` good primes whose gcd has all its roots on g^{p/2} − x; None
    when no prime gives such a gcd (see :func:`_no_new_orbit`)."""
    from flint import fmpz, nmod_poly
    polys = [_integral_rows(P) for P in (maps.dynatomic(p), maps.multiplier(p) - 1,
                                            maps.iterates[p // 2] - maps.x)]
    best, ell, tried = None, fmpz(_PRIME_START), 0
    while tried < MODULAR_PRIMES:
        ell = _next_prime(ell)
        q_mod = nmod_poly([int(c) for c in q.coeffs()], int(ell))
        if q_mod.degree() != q.degree() or q_mod.gcd(q_mod.derivative()).degree() > 0:
            continue
        roots = q_mod.roots()
        if not roots:
            continue
        r = roots[0][0]
        phi, dm1, parent = (_at_root(rows, r, int(ell)) for rows in polys)
        if phi is None or dm1 is None or parent is None:
            continue
        tried += 1
        common = phi.gcd(dm1)
        rest, shared = common, common.gcd(parent)
        while shared.degree() > 0:
            rest = rest // shared
            shared = rest.gcd(shared)
        if rest.degree() == 0:
            best = common.degree() if best is None else min(best, common.degree())
    return best


def _next_prime(n):
    n += 1
    while not n.is_prime():
        n += 1
    return n


def _integral_rows(P) -> list:
    """P(x, h) scaled to integer coefficients: one fmpz_poly in h per power of x."""
    rows = _Bivariate(P).rows
    den = math.lcm(*[int(c.q) for row in rows for c in row])
    return [fmpz_poly([int(c.p) * (den // int(c.q)) for c in row]) for row in rows]


def _at_root(rows: list, r, ell: int):
    """Σ_i rows_i(r) x^i in F_ℓ[x], or None when its leading coefficient vanishes
    (the reduction would drop the degree in x)."""
    from flint import nmod_poly
    coeffs = [nmod_poly([int(c) for c in row.coeffs()], ell)(r) for row in rows]
    if int(coeffs[-1]) == 0:
        return None
    return nmod_poly([int(c) for c in coeffs], ell)


def _parent_part_degree(maps: _Maps, p: int, q: fmpz_poly) -> int:
    """deg W, W the largest divisor of gcd(Φ_p, D_p − 1) over K = Q[h]/(q) whose roots are
    roots of g^{p/2} − x: the gcd with g^{p/2} − x is divided out of both until it is
    constant (exact divisions; every gcd has the small g^{p/2} − x as one argument)."""
    field = _NumberField(fmpq_poly([int(c) for c in q.coeffs()]))
    a, b = field.lift(maps.dynatomic(p)), field.lift(maps.multiplier(p) - 1)
    parent = field.lift(maps.iterates[p // 2] - maps.x)
    degree = 0
    while True:
        shared = field.gcd(field.gcd(parent, a), b)
        if len(shared) <= 1:
            return degree
        a, b = field.exact_quotient(a, shared), field.exact_quotient(b, shared)
        degree += len(shared) - 1


class _NumberField:
    """Polynomials in x over K = Q[h]/(q), q irreducible: coefficient lists (constant term
    first) of fmpq_poly reduced mod q, with exact division and a monic gcd."""

    def __init__(self, q: fmpq_poly):
        self.q = q

    def lift(self, P) -> list:
        return self._trim([fmpq_poly(row) % self.q for row in _Bivariate(P).rows])

    def _trim(self, a: list) -> list:
        while a and a[-1].is_zero():
            a.pop()
        return a

    def _inverse(self, a: fmpq_poly) -> fmpq_poly:
        g, s, _ = a.xgcd(self.q)
        return (s * fmpq_poly([1 / g[0]])) % self.q

    def _divmod(self, a: list, b: list):
        a, quot = list(a), [fmpq_poly([])] * max(len(a) - len(b) + 1, 0)
        inv = self._inverse(b[-1])
        while len(a) >= len(b) and a:
            k, c = len(a) - len(b), (a[-1] * inv) % self.q
            quot[k] = c
            for i, bi in enumerate(b):
                a[k + i] = (a[k + i] - c * bi) % self.q
            a = self._trim(a)
        return quot, a

    def exact_quotient(self, a: list, b: list) -> list:
        """a / b, which must divide exactly."""
        quot, rem = self._divmod(a, b)
        if rem:
            raise ArithmeticError("inexact division over the number field")
        return self._trim(quot)

    def gcd(self, a: list, b: list) -> list:
        while b:
            a, b = b, self._divmod(a, b)[1]
        inv = self._inverse(a[-1])
        return [(c * inv) % self.q for c in a]


def _in_range(H: arb, lr_range):
    lo, hi = (arb(fmpq(int(v.p), int(v.q))) for v in lr_range)
    if H > lo and H < hi:
        return True
    if H < lo or H > hi:
        return False
    return None


def _bits() -> int:
    import flint
    return flint.ctx.prec


#: Precision escalation: the solutions at a root are sought again at up to this many
#: times the working precision (evaluating high-degree polynomials cancels digits).
ESCALATION = (1, 2, 4)


def _escalated(task, bits: int):
    """Run ``task`` at increasing precision until it returns something other than None."""
    for factor in ESCALATION:
        with precision(bits=bits * factor):
            out = task()
        if out is not None:
            return out
    return None


def _roots_of(P: acb_poly, isolated_only: bool = False) -> list:
    """All roots of P: Arb's isolated enclosures when P is squarefree at this precision,
    otherwise float roots polished by Newton at the working precision (midpoints), or
    nothing with ``isolated_only``."""
    try:
        return [r.mid() for r in P.roots(tol=arb(2) ** (-int(0.8 * _bits())))]
    except ValueError:
        if isolated_only:
            return []
    coeffs = [complex(float(c.real.mid()), float(c.imag.mid())) for c in P.coeffs()]
    out = []
    for z0 in np.roots(coeffs[::-1]):
        z = acb(z0.real, z0.imag)
        out.append(_newton(P, z, 200) or z)
    return out


def _newton(P: acb_poly, x: acb, steps: int = 40):
    """A root of P near ``x`` by Newton at the working precision on exact midpoints, or
    None without convergence."""
    dP = P.derivative()
    tol = arb(2) ** (-(_bits() // 2))
    for _ in range(steps):
        d = dP(x)
        if d == 0 or not d.is_finite():
            return None
        step = (P(x) / d).mid()
        x = (x - step).mid()
        if abs(step).mid() < tol * (1 + abs(x).mid()):
            return x
    return None


def _solutions_at(system: _System, H: arb, multiplicity: int, other_roots):
    """All solutions (x, H) in C² with their realness, or None unless exactly
    ``multiplicity`` distinct ones are certified.  The candidates are the roots of Φ_p(·, H)
    and, when they do not account for the multiplicity, the roots of D_p(·, H) − s (a fold
    point is a double root of Φ_p, which Arb cannot isolate, but a simple root of D_p − 1
    when (g^p)″ ≠ 0)."""
    h = acb(H.mid())
    phi, D = system.phi.at_h(h), system.parts[1].at_h(h)
    for candidates in (lambda: _roots_of(phi), lambda: _roots_of(D, isolated_only=True)):
        sols = _certified(system, H, h, phi, D, candidates(), other_roots)
        if len(sols) == multiplicity:
            return [(enc[0], real) for _, real, enc in sols]
    return None


def _certified(system: _System, H: arb, h: acb, phi, D, candidates, other_roots) -> list:
    """(x, realness, Krawczyk enclosure) of the distinct solutions certified from the
    candidates that are near-common roots of Φ_p(·, H) and D_p(·, H) − s.  h = H is known
    to the working precision, so x alone is refined: by Newton on D_p − s (where a fold
    or doubling point is simple when (g^p)″ ≠ 0), else on Φ_p."""
    radius = arb(2) ** (-(_bits() // 3))
    near = arb(2) ** -10
    sols = []
    for x0 in candidates:
        if not all(abs(P(x0)).mid() < near * (1 + abs(P.coeffs()[-1]).mid())
                   for P in (phi, D)):
            continue
        x = _newton(D, x0) or _newton(phi, x0)
        if x is None or any(abs(x - w).mid() < radius for w, _, _ in sols):
            continue
        test, real = system.certify(x, h, radius)
        if not test.proved:
            continue
        hx = acb(test.enclosure[2].to_arb(), test.enclosure[3].to_arb())
        if not H.overlaps(hx.real) or any(hx.overlaps(r) for r in other_roots):
            continue
        sols.append((x, real, test.enclosure))
    return sols


def _orbits(maps: _Maps, p: int, H: arb, points) -> list[tuple]:
    """Group real points into orbits of g(·, H) by following ball images."""
    g = _Bivariate(maps.g)
    left, orbits = list(points), []
    while left:
        start = left.pop(0)
        orbit, x = [start], start.to_arb()
        for _ in range(p - 1):
            x = g.acb(acb(x), acb(H)).real
            hit = next((b for b in left if b.to_arb().overlaps(x)), None)
            if hit is None:
                break
            left.remove(hit)
            orbit.append(hit)
            x = hit.to_arb()
        orbits.append(tuple(orbit))
    return orbits


def _merge_doublings(maps: _Maps, found, dps: int) -> list:
    """Turn (period, sign, h, orbit) into bifurcations; a multiplier +1 of period 2d at a
    period-doubling parameter of period d is that doubling seen from the doubled orbit."""
    out = []
    doublings = {(p, n.minpoly) for p, s, n, _ in found if s == -1}
    for p, s, number, orbit in found:
        if s == 1 and p % 2 == 0 and (p // 2, number.minpoly) in doublings:
            continue
        kind = KINDS[s] if s == -1 else _plus_one_kind(maps, p, number, orbit)
        out.append(Bifurcation(kind, p, ball_mpf(number.enclosure), (ball_mpf(orbit[0]),),
                               dps, True, enclosure=(orbit[0], number.enclosure),
                               closed_form=number.closed_form or None,
                               orbit=tuple((b,) for b in orbit), lr_exact=number))
    return out


def _plus_one_kind(maps: _Maps, p: int, number: AlgebraicNumber, orbit) -> str:
    second = _Bivariate(maps.iterates[p].derivative("x").derivative("x"))
    value = second.acb(acb(orbit[0].to_arb()), acb(number.enclosure.to_arb())).real
    return "fold" if not value.contains(0) else "degenerate +1"


def _closed_form(q: fmpz_poly, root: arb) -> str:
    if q.degree() > 2:
        return ""
    t = sp.Symbol("h")
    poly = sum(int(c) * t ** k for k, c in enumerate(q.coeffs()))
    real = [r for r in sp.solve(poly, t) if r.is_real]
    if not real:
        return ""
    best = min(real, key=lambda r: abs(float(r) - float(root.mid())))
    return str(sp.radsimp(best))
