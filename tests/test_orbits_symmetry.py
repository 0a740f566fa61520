"""Orbit lists closed under the objective's signed-permutation symmetries, further rounds of
starts, and the coverage line of the CLI."""
import random

import numpy as np
import pytest
import sympy as sp

from lrtheory.catalogue import factorization_vector
from lrtheory.dynamics.orbits import same_orbit, search_periodic_orbits
from lrtheory.dynamics.symmetry import apply, describe, symmetry_group
from lrtheory.objectives import Objective
from lrtheory.precision import precision


def names(obj, group):
    return sorted(describe(S, obj.vars) for S in group[1:])


def test_symmetry_groups_found_by_hand():
    """(1 − xy)²/2 is invariant under x ↔ y and (x, y) ↦ (−x, −y), hence their product;
    not under x ↦ −x alone ((1 + xy)²/2 ≠ f).  cos x + cos y has the 8 symmetries of the
    square.  A box that is not symmetric about 0 keeps the permutations only."""
    f = factorization_vector(1, 1)
    assert names(f, symmetry_group(f, (-2.5, 2.5))) == [
        "(x, y) -> (-x, -y)", "(x, y) -> (-y, -x)", "(x, y) -> (y, x)"]
    assert names(f, symmetry_group(f, (-1, 2))) == ["(x, y) -> (y, x)"]
    assert len(symmetry_group(Objective("cos(x) + cos(y)", "x,y"), (-3, 3))) == 8
    assert len(symmetry_group(Objective("x**3/3 - x", "x"), (-2, 2))) == 1
    assert len(symmetry_group(Objective("x**2/2 + y**4/4 + x*y", "x,y"), (-2, 2))) == 2


def test_detected_symmetries_commute_with_the_gd_map_exactly():
    """G_h(Sx) = S·G_h(x) in exact rationals at random points, for every S found."""
    rng = random.Random(5)
    for expr, v in [("(1 - x*y)**2/2", "x,y"), ("x**4 + y**4 - x**2*y**2 + z**2", "x,y,z")]:
        obj = Objective(expr, v)
        group = symmetry_group(obj, (-1, 1))
        assert len(group) > 1
        h = sp.Rational(7, 5)
        for S in group:
            for _ in range(5):
                x = [sp.Rational(rng.randint(-50, 50), rng.randint(1, 20)) for _ in v.split(",")]
                lhs = obj.exact.gd_step(apply(S, x), h)
                rhs = apply(S, obj.exact.gd_step(x, h))
                assert lhs == rhs


def test_orbit_list_is_closed_and_images_are_certified():
    """A thin search (10 starts at period 1, one round) of (1 − xy)²/2 at h = 1.9: the
    symmetry images complete the period-3 list to the 12 orbits of the full search, every
    image is certified on its own, and the list holds S·orbit for every orbit and S."""
    obj = factorization_vector(1, 1)
    res = search_periodic_orbits(obj, "1.9", 3, (-2.5, 2.5), starts=10, dps=30,
                                 certify=True, max_rounds=1)
    group = symmetry_group(obj, (-2.5, 2.5))
    three = res.by_period(3)
    assert len(three) == 12 and res.coverage[2].symmetric > 0
    assert all(o.certified for o in res.orbits)
    for o in res.orbits:
        for S in group:
            with precision(dps=40):
                image = [apply(S, pt) for pt in o.points]
                assert sum(same_orbit(image, b.points, 1e-25)
                           for b in res.by_period(o.period)) == 1


def test_more_rounds_when_orbits_may_be_missing():
    """The same thin search with up to 4 rounds: the rounds are added exactly while the
    estimate says orbits are missing, and they find at least as many orbits."""
    obj = factorization_vector(1, 1)
    one = search_periodic_orbits(obj, "1.9", 5, (-2.5, 2.5), starts=4, dps=20, max_rounds=1)
    four = search_periodic_orbits(obj, "1.9", 5, (-2.5, 2.5), starts=4, dps=20, max_rounds=4)
    n5 = 4 * 2 ** 4
    assert one.coverage[4].starts == n5
    assert four.coverage[4].starts in (2 * n5, 3 * n5, 4 * n5)
    assert four.coverage[4].found >= one.coverage[4].found
    assert four.coverage[4].found == 68 or four.coverage[4].starts == 4 * n5


@pytest.mark.slow
def test_issue_example_finds_all_408_period_seven_orbits():
    """`orbits '(1 - x*y)**2/2' --lr 1.9 --period 7` with the default budget: the two orbits
    the search missed before, images under (x, y) ↦ (−y, −x), are now in the list."""
    obj = factorization_vector(1, 1)
    res = search_periodic_orbits(obj, "1.9", 7, (-2.5, 2.5), starts=1000, dps=20,
                                 max_rounds=1)
    c = res.coverage[6]
    assert c.found == 408 and c.interval[1] >= 408
    P = np.array([o.float_points()[0] for o in res.by_period(7)])
    assert len(np.unique(np.round(P, 8), axis=0)) == 408
