"""Bifurcations of GD maps with their completeness: every method against the true list,
each with its anchor — the method a user would otherwise run — timed in the same run.

Rows (``found`` bifurcations, ``true`` the count derived independently, ``matched`` those
of the found that agree with a true one to 10⁻²⁰, ``complete`` the status the result
reports, ``undecided`` boxes left by the branch and bound):

* ``bifurcations.cubic_p4.exact`` — GD on x³/3 − x, periods ≤ 4, h ∈ [0.9, 1.5], exact
  elimination.  True list: the map is conjugate to z ↦ z² + c, c = 1/4 − h², whose real
  hyperbolic components of period ≤ 4 meeting c ∈ [−2, −0.56] give 7 bifurcations
  (doublings at the ends of the period-1, 2, 4 components of the cascade, the fold and
  doubling of the period-3 and of the second period-4 window), each h = sqrt(1/4 − c)
  with c from Newton on the quadratic family.  Anchor (baseline): the grid-sampling scan at
  its default 40 samples (``--method sample``).
* ``bifurcations.cubic_p4.sample200`` — the grid scan at 200 samples (the sample count of
  the issue); ``bifurcations.cubic_p4.continuation`` — continuation from 5 seeds.
* ``bifurcations.double_well_p4.exact`` — GD on (x² − 1)²/4, periods ≤ 4,
  h ∈ [0.5, 1.31].  True list: 6 — the doublings h = 1 (multiplier 1 − 2h), √5 − 1 (2-cycle
  multiplier 9 − 2(1 + h)²) and h₄ (Newton on g⁴) of each of the two mirror-image
  attractors (x → −x); on the invariant interval of each the map is unimodal, and in the
  order of windows of unimodal maps (Metropolis–Stein–Stein) no window of period ≤ 4 opens
  before the period-3 window at h ≈ 1.45.  Anchor: grid sampling at 40 samples.
* ``bifurcations.xy_p2_box.proved`` — GD on (1 − xy)²/2 restricted to [−0.9, 0.9]² (off the
  minimizer curve xy = 1), periods ≤ 2, h ∈ [1.1, 1.9], branch and bound.  True list: 2 —
  the doublings at h = √5 − 1 of the two diagonal 2-cycles (on x = y = t the map is
  t ↦ t(1 + h − ht²)); the origin's multipliers 1 ± h meet ±1 only at h = 2.  Anchor:
  continuation from 5 seeds, its orbit searches in [−2.5, 2.5]² (they keep orbits lying
  wholly in their box, and each diagonal 2-cycle has a point with xy > 1).
  ``bifurcations.xy_p2_box.continuation`` scores that anchor.
* ``bifurcations.xy_p2_box.undecided`` — the same for h ∈ [1.9, 2.2].  True list: 3, all
  at h = 2 — the origin's doubling (multiplier 1 − h) and the transverse doublings of the
  diagonal 2-cycles (t² = (3 ± √5)/4, transverse multiplier ∏(2t² − 1) = −1).  The
  period-2 fold system has a degenerate zero at the origin's doubling (the doubled orbit is
  born there with multiplier +1): the boxes around it stay undecided and are reported.
* ``bifurcations.parent_test.cubic_p6`` — the test whether a +1 multiplier of period 6 is
  only the doubled period-3 orbit (``_no_new_orbit``: a modular gcd bound made rigorous by
  the exact parent part over Q[h]/(q)), for every factor of the period-6 resultant, against
  the anchor: the same gcd modulo one prime (FLINT ``nmod_poly``, not a proof).  Interleaved
  medians, with the machine's load average.
* ``bifurcations.cubic_p6.exact`` — GD on x³/3 − x, periods ≤ 6, h ∈ [0.9, 1.5]: 22
  bifurcations (13 of period ≤ 5, and the real quadratic family's 5 period-6 windows: 5
  doublings and 4 folds), target < 60 s proved.
* ``bifurcations.tilted_well_p4.budget`` — GD on (x² − 1)²/4 + x/10, periods ≤ 4,
  h ∈ [0.5, 1.5] with a 240 s budget: an answer (proved, or not proved naming where the
  budget ran out) in < 5 min.
"""
import os
import statistics
import time

from flint import fmpz, nmod_poly

import mpmath
from harness import Benchmark

from lrtheory import Objective
from lrtheory.bifurcation.boxes import box_bifurcations
from lrtheory.bifurcation.continuation import continue_branches
from lrtheory.bifurcation import exact as E
from lrtheory.bifurcation.exact import exact_bifurcations
from lrtheory.dynamics.bifurcations import find_bifurcations

CUBIC = Objective("x**3/3 - x", "x")
WELL = Objective("(x**2 - 1)**2/4", "x")
XY = Objective("(1 - x*y)**2/2", "x,y")


def _quadratic_family(p: int, multiplier: int, c0: str):
    """c where z ↦ z² + c has a period-p point with (f_c^p)′ = multiplier: Newton in (z, c)
    from the attracting orbit at c0."""
    def system(z, c):
        w, d = z, mpmath.mpf(1)
        for _ in range(p):
            d *= 2 * w
            w = w * w + c
        return [w - z, d - multiplier]
    c, z = mpmath.mpf(c0), mpmath.mpf(0)
    for _ in range(20000):
        z = z * z + c
    return mpmath.findroot(system, (z, c))[1]


def _double_well_period4():
    """h₄: Newton on g⁴(x) = x, (g⁴)′(x) = −1 for g(x) = (1 + h)x − hx³."""
    def system(x, h):
        w, d = x, mpmath.mpf(1)
        for _ in range(4):
            d *= 1 + h - 3 * h * w * w
            w = (1 + h) * w - h * w ** 3
        return [w - x, d + 1]
    return mpmath.findroot(system, (mpmath.mpf("0.609"), mpmath.mpf("1.288")))[1]


with mpmath.workdps(60):
    TRUE = {
        "cubic": [(k, p, mpmath.sqrt(mpmath.mpf(1) / 4 - _quadratic_family(p, s, c0)))
                  for k, p, s, c0 in [("period-doubling", 1, -1, "-0.74"),
                                      ("period-doubling", 2, -1, "-1.24"),
                                      ("period-doubling", 4, -1, "-1.36"),
                                      ("fold", 3, 1, "-1.755"),
                                      ("period-doubling", 3, -1, "-1.765"),
                                      ("fold", 4, 1, "-1.9410"),
                                      ("period-doubling", 4, -1, "-1.9418")]],
        "well": [("period-doubling", p, h) for p, h in
                 [(1, mpmath.mpf(1)), (2, mpmath.sqrt(5) - 1), (4, _double_well_period4())]
                 for _ in range(2)],
        "xy_low": [("period-doubling", 2, mpmath.sqrt(5) - 1)] * 2,
        "xy_high": [("period-doubling", 1, mpmath.mpf(2))] +
                   [("period-doubling", 2, mpmath.mpf(2))] * 2,
    }


def _score(case: str):
    """``extra`` of a row: found, true, matched (greedy, |h − h_true| < 10⁻²⁰), complete."""
    def extra(res, seconds):
        left = list(TRUE[case])
        matched = 0
        with mpmath.workdps(60):
            for b in res.bifurcations:
                hit = next((t for t in left if (t[0], t[1]) == (b.kind, b.period)
                            and abs(b.lr - t[2]) < 1e-20), None)
                if hit is not None:
                    left.remove(hit)
                    matched += 1
        return {"found": len(res.bifurcations), "true": len(TRUE[case]), "matched": matched,
                "complete": res.complete.status, "undecided": len(res.undecided)}
    return extra


def _one_prime_gcd_degree(maps, p: int, q) -> int:
    """The anchor: deg gcd(Φ_p(x, r), D_p(x, r) − 1) over F_ℓ at one root r of q mod ℓ."""
    ell = fmpz(2**61)
    while True:
        ell = E._next_prime(ell)
        roots = nmod_poly([int(c) for c in q.coeffs()], int(ell)).roots()
        if roots:
            break
    phi, dm1 = (E._at_root(E._integral_rows(P), roots[0][0], int(ell))
                for P in (maps.dynatomic(p), maps.multiplier(p) - 1))
    return phi.gcd(dm1).degree()


def _parent_test(p: int = 6, rounds: int = 3) -> dict:
    maps = E._Maps(CUBIC, p)
    R = E.fmpz_poly(E._resultant(maps, p, 1))
    factors = [q for q, _ in R.factor()[1] if q.degree() > 1]
    contenders = {"lrtheory": lambda: [E._no_new_orbit(maps, p, q) for q in factors],
                  "one_prime_anchor": lambda: [_one_prime_gcd_degree(maps, p, q)
                                               for q in factors]}
    times = {k: [] for k in contenders}
    for r in range(rounds):
        for k in list(contenders)[r % 2:] + list(contenders)[:r % 2]:
            t0 = time.process_time()
            contenders[k]()
            times[k].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"factor_degrees": [q.degree() for q in factors],
            "median_cpu_seconds": {k: round(v, 4) for k, v in med.items()},
            "ratio_vs_anchor": round(med["lrtheory"] / med["one_prime_anchor"], 2),
            "loadavg": [round(v, 2) for v in os.getloadavg()]}


def _completeness(res, seconds) -> dict:
    return {"found": len(res.bifurcations), "complete": res.complete.status,
            "reason": res.complete.reason[:120], "loadavg": [round(v, 2)
                                                              for v in os.getloadavg()]}


BENCHMARKS = [
    Benchmark("bifurcations.cubic_p4.exact",
              lambda: exact_bifurcations(CUBIC, ("0.9", "1.5"), 4),
              baseline=lambda: find_bifurcations(CUBIC, ("0.9", "1.5"), 4, samples=40),
              repeat=3, target="all 7, proved complete", extra=_score("cubic")),
    Benchmark("bifurcations.cubic_p4.sample40",
              lambda: find_bifurcations(CUBIC, ("0.9", "1.5"), 4, samples=40),
              repeat=1, target="anchor", extra=_score("cubic")),
    Benchmark("bifurcations.cubic_p4.sample200",
              lambda: find_bifurcations(CUBIC, ("0.9", "1.5"), 4, samples=200),
              repeat=1, target="anchor", extra=_score("cubic")),
    Benchmark("bifurcations.cubic_p4.continuation",
              lambda: continue_branches(CUBIC, ("0.9", "1.5"), 4),
              repeat=1, target="branches through folds, switching at doublings",
              extra=_score("cubic")),
    Benchmark("bifurcations.double_well_p4.exact",
              lambda: exact_bifurcations(WELL, ("0.5", "1.31"), 4),
              baseline=lambda: find_bifurcations(WELL, ("0.5", "1.31"), 4, samples=40),
              repeat=1, target="all 6, proved complete", extra=_score("well")),
    Benchmark("bifurcations.parent_test.cubic_p6", _parent_test, repeat=1,
              target="rigorous, within a few times the one-prime gcd",
              extra=lambda res, _s: res),
    Benchmark("bifurcations.cubic_p6.exact",
              lambda: exact_bifurcations(CUBIC, ("0.9", "1.5"), 6),
              repeat=1, target="22 bifurcations, proved complete, < 60 s",
              extra=_completeness),
    Benchmark("bifurcations.tilted_well_p4.budget",
              lambda: exact_bifurcations(Objective("(x**2 - 1)**2/4 + x/10", "x"),
                                         ("0.5", "1.5"), 4, budget=240),
              repeat=1, target="answered (proved or not proved with the place) < 300 s",
              extra=_completeness),
    Benchmark("bifurcations.xy_p2_box.proved",
              lambda: box_bifurcations(XY, ("1.1", "1.9"), 2, box=(-0.9, 0.9)),
              baseline=lambda: continue_branches(XY, ("1.1", "1.9"), 2, box=(-2.5, 2.5)),
              repeat=1, target="proved or undecided boxes named", extra=_score("xy_low")),
    Benchmark("bifurcations.xy_p2_box.continuation",
              lambda: continue_branches(XY, ("1.1", "1.9"), 2, box=(-2.5, 2.5)),
              repeat=1, target="anchor", extra=_score("xy_low")),
    Benchmark("bifurcations.xy_p2_box.undecided",
              lambda: box_bifurcations(XY, ("1.9", "2.2"), 2, box=(-0.9, 0.9)),
              repeat=1, target="proved or undecided boxes named", extra=_score("xy_high")),
]
