"""Rigorous certification in ball arithmetic: one Krawczyk test and one branch and bound.

* :mod:`.krawczyk` — :func:`krawczyk_test` proves that a box holds exactly one zero of a
  square system F(z) = 0 (or none), given ball evaluators of F and of its Jacobian, and
  returns the tightened enclosure K(X) ∩ X;
* :mod:`.branch_and_bound` — :func:`branch_and_bound` covers a box by sub-boxes, each
  accepted, excluded or split by a callback, within a depth limit and a box budget; boxes
  left undecided are listed in the result, never dropped.

Over sets (:mod:`.sets`, :mod:`.falsifier`, :mod:`.gd_sets`, :mod:`.cycles`,
:mod:`.margins`): intervals
with open, closed or unbounded ends, boxes and point lists as values; counterexamples re-checked exactly or in
balls (exact cycles, crossings of an orbit with a fixed point by the intermediate value
theorem); convergence, divergence and boundedness of GD proved for every rate and start of
a set by branch and bound; an attracting p-cycle for every rate of an interval
(parametric Krawczyk tests with multiplier bounds); inequalities g ≥ 0 over boxes, tight
ones by a second-order certificate at the touching point; spectra and λ_max against a
stated value, exactly or for every matrix of a ball matrix (:mod:`.spectra`).

Periodic orbits (multiple shooting), their completeness in a box and bifurcations in the
learning rate (:mod:`lrtheory.dynamics`) are all certified through these two functions.
"""
from .branch_and_bound import ACCEPT, EXCLUDE, SPLIT, BoxSearch, bisect_widest, branch_and_bound
from .krawczyk import (EMPTY, UNDECIDED, UNIQUE, KrawczykTest, ball_identity, box_balls,
                       excludes_zero, krawczyk_test, mid_inverse)
from .sets import Box, Interval, PointSet, box, interval, learning_rates, point_set, start_set

__all__ = ["krawczyk_test", "KrawczykTest", "UNIQUE", "EMPTY", "UNDECIDED", "ball_identity",
           "mid_inverse", "excludes_zero", "box_balls", "branch_and_bound", "BoxSearch",
           "bisect_widest", "ACCEPT", "EXCLUDE", "SPLIT", "Interval", "Box", "PointSet",
           "interval", "box", "point_set", "learning_rates", "start_set"]
