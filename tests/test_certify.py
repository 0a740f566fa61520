"""The one Krawczyk test and the one branch and bound (lrtheory.certify), and the result
objects of orbits, completeness and bifurcations: exact JSON round trips, pickling, and
certificates that stay valid after a trip through another process.

Expected values are independent of the code under test: roots of polynomials in closed form
(1/3, ±√2, 7/5; the circle and the diagonal meet at ±(1/√2, 1/√2)), and certificates are
checked by running the Krawczyk test again from the stored enclosures."""
import copy
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb, arb_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory.catalogue import factorization_vector
from lrtheory.certify import (ACCEPT, EMPTY, EXCLUDE, SPLIT, UNDECIDED, UNIQUE, BoxSearch,
                              KrawczykTest, bisect_widest, box_balls, branch_and_bound,
                              krawczyk_test)
from lrtheory.dynamics.bifurcations import Bifurcation, BifurcationSearch, DoublingCascade
from lrtheory.dynamics.completeness import OrbitCompleteness
from lrtheory.dynamics.krawczyk import OrbitCertificate, shooting_residual
from lrtheory.evaluators import to_arb
from lrtheory.dynamics.orbits import (NonIsolatedSet, OrbitSearch, OrbitSearchSettings,
                                      PeriodCoverage, PeriodicOrbit, recheck_orbit,
                                      search_periodic_orbits)
from lrtheory.precision import precision
from lrtheory.results import Ball, ComplexBall, Result


# ---- the Krawczyk test ---------------------------------------------------------------------
def circle_diagonal(z):
    """F(x, y) = (x² + y² − 1, x − y): zeros ±(1/√2, 1/√2)."""
    x, y = z
    return [x * x + y * y - 1, x - y]


def circle_diagonal_jacobian(z):
    x, y = z
    return arb_mat([[2 * x, 2 * y], [1, -1]])


def test_krawczyk_proves_the_known_root_and_encloses_it():
    with precision(dps=30):
        X = [arb("0.7", "0.01"), arb("0.71", "0.02")]
        test = krawczyk_test(circle_diagonal, circle_diagonal_jacobian, X)
        assert test.verdict == UNIQUE and test.proved
        root = 1 / arb(2).sqrt()
        assert all(b.contains(root) for b in test.balls())
        assert all(x.contains(b) and b.rad() < x.rad() for x, b in zip(X, test.balls()))


def test_krawczyk_refuses_a_box_without_the_root():
    with precision(dps=30):
        away = [arb("0.5", "0.05"), arb("0.5", "0.05")]   # x² + y² ≤ 0.605 < 1
        test = krawczyk_test(circle_diagonal, circle_diagonal_jacobian, away)
        assert test.verdict == EMPTY and not test.proved and test.enclosure is None
        near = [arb("0.7071", "1e-6"), arb("0.7072", "1e-6")]  # misses the root by 1e-4
        assert krawczyk_test(circle_diagonal, circle_diagonal_jacobian, near).verdict == EMPTY
        both = [arb(0, 1), arb(0, 1)]                       # holds both roots
        assert krawczyk_test(circle_diagonal, circle_diagonal_jacobian,
                             both).verdict == UNDECIDED


def test_krawczyk_cannot_prove_a_double_root():
    with precision(dps=30):   # F(t) = t²: zero of multiplicity two at 0
        test = krawczyk_test(lambda z: [z[0] * z[0]], lambda z: [[2 * z[0]]],
                             [arb(0, "1e-3")])
        assert test.verdict == UNDECIDED and "singular" in test.reason


# ---- branch and bound ---------------------------------------------------------------------
ROOTS = [Fraction(1, 3), Fraction(7, 5)]   # and ±√2


def poly(t):
    """p(t) = (3t − 1)(t² − 2)(5t − 7): real roots 1/3, ±√2, 7/5."""
    return (3 * t - 1) * (t * t - 2) * (5 * t - 7)


def dpoly(t):
    return 3 * (t * t - 2) * (5 * t - 7) + (3 * t - 1) * 2 * t * (5 * t - 7) \
        + 5 * (3 * t - 1) * (t * t - 2)


def decide(box):
    X = box_balls(box)
    if not poly(X[0]).contains(0):
        return EXCLUDE, None
    test = krawczyk_test(lambda m: [poly(m[0])], lambda B: [[dpoly(B[0])]], X)
    if test.proved:
        return ACCEPT, test.enclosure
    return (EXCLUDE, None) if test.verdict == EMPTY else (SPLIT, None)


def contains_root(ball: Ball, root) -> bool:
    if isinstance(root, Fraction):
        return ball.contains(root)
    with precision(dps=40):
        return ball.to_arb().contains(root * arb(2).sqrt())


def test_branch_and_bound_finds_exactly_the_real_roots():
    with precision(dps=30):
        res = branch_and_bound(((-3.0, 3.0),), decide)
    assert res.decided and not res.exhausted and res.undecided == ()
    assert len(res.accepted) == 4
    roots = ROOTS + [1, -1]   # ±1 stand for ±√2
    for root in roots:
        assert sum(contains_root(enc[0], root) for _, enc in res.accepted) == 1
    splits = res.boxes - len(res.accepted) - res.excluded
    assert res.boxes == 2 * splits + 1   # a binary tree: every split adds two boxes


def test_branch_and_bound_reports_undecided_boxes_when_the_budget_is_short():
    with precision(dps=30):
        short = branch_and_bound(((-3.0, 3.0),), decide, max_boxes=5)
        shallow = branch_and_bound(((-3.0, 3.0),), decide, max_depth=2)
    assert short.exhausted and short.boxes == 5 and short.undecided
    assert not shallow.exhausted and shallow.undecided and shallow.depth == 2
    for res in (short, shallow):
        for root in ROOTS + [1, -1]:   # each root is accepted or inside an undecided box
            t = float(root) if isinstance(root, Fraction) else root * 2 ** 0.5
            assert any(contains_root(enc[0], root) for _, enc in res.accepted) or \
                any(lo <= t <= hi for ((lo, hi),) in res.undecided)


def test_bisect_widest_cuts_the_widest_side():
    a, b = bisect_widest(((0.0, 1.0), (0.0, 4.0)), fraction=0.25)
    assert a == ((0.0, 1.0), (0.0, 1.0)) and b == ((0.0, 1.0), (1.0, 4.0))
    with pytest.raises(ValueError):
        branch_and_bound(((0.0, 1.0),), lambda box: ("maybe", None))


# ---- BLOG-8's certified orbit list in another process --------------------------------------
@pytest.fixture(scope="module")
def blog8_search():
    obj = factorization_vector(1, 1)
    res = search_periodic_orbits(obj, "1.9", 4, (-2.5, 2.5), starts=1000, dps=50,
                                 certify=True)
    assert [len(res.by_period(p)) for p in (1, 2, 3, 4)] == [1, 4, 12, 28]
    assert all(o.certified for o in res.orbits)
    return obj, res


def still_certified(obj, orbit) -> bool:
    """The stored enclosures hold a zero of the shooting system: the residual ball over
    them contains 0 and the Krawczyk test run again on exactly those boxes proves it."""
    boxes = orbit.certificate.balls()
    with precision(dps=orbit.dps):
        residual = shooting_residual(obj, boxes, to_arb(orbit.h))
    return all(r.contains(0) for r in residual) and recheck_orbit(obj, orbit).proved


def test_certified_orbit_list_pickles_and_stays_a_certificate(blog8_search):
    obj, res = blog8_search
    back = pickle.loads(pickle.dumps(res))
    assert back == res and back.orbits == res.orbits
    assert type(back.orbits[0].certificate.boxes[0][0]) is Ball
    assert all(still_certified(obj, o) for o in back.orbits)
    text = json.dumps(res.to_json(exact=True))
    assert OrbitSearch.from_json(text) == res


def test_certified_orbit_list_through_a_process_pool(blog8_search):
    obj, res = blog8_search
    with ProcessPoolExecutor(max_workers=2) as pool:
        back = pool.submit(copy.copy, res).result()
        rechecked = list(pool.map(recheck_orbit, [obj] * len(res.orbits), res.orbits))
    assert back == res
    assert all(still_certified(obj, o) for o in back.orbits)
    assert all(c.proved and c.minimal for c in rechecked)
    for c, o in zip(rechecked, res.orbits):   # the new enclosures lie in the stored ones
        assert all(old.contains(new) for pn, po in zip(c.boxes, o.certificate.boxes)
                   for new, old in zip(pn, po))


# ---- round trips of the result types -------------------------------------------------------
ints = st.integers(min_value=-(2**200), max_value=2**200)
exps = st.integers(min_value=-400, max_value=400)
mpfs = st.one_of(
    st.builds(lambda m, e: mpmath.mp.make_mpf(mpmath.libmp.from_man_exp(m, e)), ints, exps),
    st.sampled_from([mpmath.inf, -mpmath.inf, mpmath.nan]))
mpcs = st.builds(mpmath.mpc, mpfs, mpfs)
balls = st.one_of(st.builds(Ball, ints, exps, st.integers(0, 2**30), exps),
                  st.sampled_from([Ball(special="nan"), Ball(special="unbounded")]))
cballs = st.builds(ComplexBall, balls, balls)
floats = st.floats(allow_nan=True, allow_infinity=True)
rationals = st.builds(lambda p, q: sp.Rational(p, q), st.integers(1, 10**6),
                      st.integers(1, 10**6))
stable = st.sampled_from([True, False, None])
words = st.text(max_size=20)


def points(n_max=3):
    return st.integers(1, 3).flatmap(lambda n: st.lists(
        st.tuples(*[mpfs] * n), min_size=1, max_size=n_max).map(tuple))


certificates = st.builds(
    OrbitCertificate, st.booleans(), floats,
    st.lists(st.lists(balls, min_size=2, max_size=2).map(tuple), max_size=3).map(tuple),
    st.booleans(), st.one_of(st.none(), st.lists(cballs, max_size=2).map(tuple)), stable,
    words)
orbits = st.builds(lambda pts, mults, s, h, dps, c, cert: PeriodicOrbit(
    len(pts), pts, mults, s, h, dps, c, cert), points(), st.lists(
    st.one_of(mpfs, mpcs), min_size=1, max_size=2).map(tuple), stable, rationals,
    st.integers(15, 200), st.booleans(), st.one_of(st.none(), certificates))
boxes = st.lists(st.tuples(floats, floats), min_size=1, max_size=2).map(tuple)
box_searches = st.builds(
    BoxSearch, st.lists(st.tuples(boxes, st.lists(balls, max_size=2).map(tuple)),
                        max_size=3).map(tuple),
    st.lists(boxes, max_size=3).map(tuple), st.integers(0, 10**6), st.integers(0, 10**6),
    st.integers(0, 60), st.booleans())
completeness = st.builds(
    OrbitCompleteness, st.integers(1, 8), box_searches, st.integers(0, 50),
    st.lists(st.integers(0, 50), max_size=4).map(tuple),
    st.lists(st.lists(balls, min_size=2, max_size=2).map(tuple), max_size=2).map(tuple),
    st.lists(st.lists(balls, min_size=2, max_size=2).map(tuple), max_size=2).map(tuple),
    words)
coverages = st.builds(
    PeriodCoverage, st.integers(1, 12), st.integers(0, 10**6), st.integers(0, 10**4),
    st.integers(0, 10**4), st.tuples(st.integers(0, 99), st.integers(0, 99)),
    st.one_of(st.none(), floats), st.one_of(st.none(), st.tuples(floats, floats)),
    st.sampled_from(["proved", "estimated", "unknown"]), st.one_of(st.none(), completeness),
    st.integers(0, 99), words)
search_settings = st.builds(
    OrbitSearchSettings, rationals, st.integers(1, 12), st.tuples(floats, floats),
    st.integers(1, 10**5), floats, st.integers(1, 10**6), st.integers(15, 200),
    st.integers(0, 2**32 - 1), st.booleans(), st.integers(0, 4), words, st.integers(0, 60))
families = st.builds(NonIsolatedSet, st.integers(1, 12), st.integers(0, 5).map(
    lambda k: np.random.default_rng(k).uniform(-3, 3, size=(k, 2))))
searches = st.builds(OrbitSearch, st.lists(orbits, max_size=3).map(tuple),
                     st.lists(families, max_size=2).map(tuple),
                     st.lists(coverages, max_size=2).map(tuple), search_settings)
bifurcations = st.builds(
    Bifurcation, st.sampled_from(["period-doubling", "fold"]), st.integers(1, 64), mpfs,
    st.lists(mpfs, min_size=1, max_size=2).map(tuple), st.integers(15, 200), st.booleans(),
    st.one_of(st.none(), floats), st.one_of(st.none(), st.lists(balls, max_size=3).map(tuple)),
    st.one_of(st.none(), words))
bifurcation_searches = st.builds(
    BifurcationSearch, st.lists(bifurcations, max_size=3).map(tuple),
    st.tuples(rationals, rationals), st.integers(1, 16), st.tuples(floats, floats),
    st.integers(2, 1000), st.integers(1, 10**5), st.integers(15, 500), st.booleans(),
    st.sampled_from(["unknown"]))
cascades = st.builds(
    DoublingCascade, st.lists(bifurcations, max_size=3).map(tuple),
    st.lists(mpfs, max_size=3).map(tuple), st.lists(mpfs, max_size=2).map(tuple), mpfs,
    floats, mpfs, floats, mpfs, st.booleans())
krawczyk_tests = st.builds(KrawczykTest, st.sampled_from([UNIQUE, EMPTY, UNDECIDED]),
                           st.one_of(st.none(), st.lists(balls, max_size=3).map(tuple)),
                           words)


def structure(v):
    """Types all the way down (equality of results compares canonical JSON only)."""
    if isinstance(v, Result):
        return (type(v).__name__,) + tuple(structure(getattr(v, f))
                                           for f in v.__dataclass_fields__)
    if isinstance(v, (tuple, list)):
        return tuple(structure(x) for x in v)
    return type(v).__name__


def assert_round_trip(r):
    back = type(r).from_json(json.dumps(r.to_json(exact=True)))
    assert back == r and structure(back) == structure(r)
    assert repr(back) == repr(r)
    unpickled = pickle.loads(pickle.dumps(r))
    assert unpickled == r and structure(unpickled) == structure(r)
    assert r._repr_html_().startswith("<table>")


@settings(max_examples=40, deadline=None)
@given(st.one_of(certificates, orbits, coverages, search_settings, families, searches,
                 box_searches, completeness, krawczyk_tests))
def test_orbit_result_round_trips(r):
    assert_round_trip(r)


@settings(max_examples=40, deadline=None)
@given(st.one_of(bifurcations, bifurcation_searches, cascades))
def test_bifurcation_result_round_trips(r):
    assert_round_trip(r)
