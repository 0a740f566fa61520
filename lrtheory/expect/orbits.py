"""Periodic orbits at a learning rate: "an orbit of period p exists (attracting /
repelling)" and "no attracting orbit of period ≤ p lies in a box".

How the orbits are found:

* one variable, f′ a polynomial over Q, h rational — every real point of minimal period p
  is a root of g^p(x) − x isolated by FLINT (:func:`lrtheory.dynamics.orbits.
  real_periodic_points`), grouped into orbits and each certified by a Krawczyk test with
  its multiplier enclosed: the list is **complete** (in the box, or on the whole line
  within the Cauchy bound of the roots when no box is given);
* otherwise — :func:`lrtheory.dynamics.orbits.search_periodic_orbits` with Krawczyk
  certificates; the list is complete only where its branch-and-bound proof succeeds
  (attempted in one dimension).

Verdicts: a certified orbit with the stated stability proves existence; when the list is
complete and holds no such orbit the claim is refuted (the orbits that do exist are the
evidence); an orbit found but not certified is confirmed when it is found again, with the
same stability, at twice the digits (:func:`lrtheory.dynamics.monodromy.found_again`); a
stated multiplier is judged from its enclosure
(:func:`lrtheory.dynamics.monodromy.spectral_radius_ball`).
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp

from ..dynamics.orbit_lists import (DEFAULT_BOX, DPS, STARTS, OrbitList,  # noqa: F401
                                    exact_applicable, exact_orbits, orbits_of_period,
                                    searched_orbits, superstable_orbit)
from ..dynamics.monodromy import found_again, spectral_radius_ball
from ..objectives import Objective
from .base import (ArgumentError, Expectation, Stated, bool_arg, int_arg, math, number_arg,
                   objective_arg, pair_arg, show, stated_arg, tolerance_arg)


def orbit_row(obj: Objective, o) -> list:
    mu = max(o.multipliers, key=abs)
    return [o.period, "; ".join(", ".join(mpmath.nstr(c, 12) for c in pt) for pt in o.points),
            o.stability, "yes" if o.certified else "no", mpmath.nstr(mu, 12)]


ORBIT_COLUMNS = ["period", "points", "stability", "certified", "largest multiplier"]


def record_orbit(ev, o, name: str = "orbit") -> None:
    """Key numbers of an orbit: its first coordinate and largest multiplier (enclosures
    when certified, else floats at the tolerance of the Newton solve)."""
    cert = o.certificate
    if o.certified and cert is not None:
        ev.ball(f"{name}_x0", cert.boxes[0][0].to_arb(), "first coordinate of the first point")
        if cert.multipliers:
            mu = max(cert.multipliers, key=lambda z: abs(z.real.mid) + abs(z.imag.mid))
            ev.ball(f"{name}_multiplier", mu.real.to_arb(), "real part of the largest "
                                                             "multiplier of DG^p")
        return
    ev.approx(f"{name}_x0", float(o.points[0][0]), rel_tol=1e-9, abs_tol=1e-12)
    ev.approx(f"{name}_multiplier", float(abs(max(o.multipliers, key=abs))), rel_tol=1e-9)


@dataclass(frozen=True, eq=False)
class PeriodicOrbitExpectation(Expectation):
    """An orbit of minimal period ``period`` of GD at learning rate ``lr`` exists in
    ``box`` (default: see the module docstring) — attracting when ``stable`` is True,
    repelling when False, either when None."""

    kind = "periodic-orbit"
    objective: Objective
    lr: sp.Expr
    period: int
    stable: bool | None = None
    box: tuple | None = None
    multiplier: Stated | None = None

    def at_lr(self, lr) -> "PeriodicOrbitExpectation":
        from dataclasses import replace
        return replace(self, lr=lr)

    def _wanted(self) -> str:
        return {True: "attracting ", False: "repelling ", None: ""}[self.stable]

    def describe(self) -> str:
        return (f"GD on f = {self.objective.expr} with h = {show(self.lr)} has an "
                f"{self._wanted()}orbit of minimal period {self.period}"
                + (f" in [{show(self.box[0])}, {show(self.box[1])}]" if self.box else "")
                + (f" with {self._mult_name()} {self.multiplier.text()}"
                   if self.multiplier else ""))

    def _mult_name(self) -> str:
        return "multiplier" if self.objective.dim == 1 else \
            "spectral radius of the monodromy matrix"

    def evaluate(self, ev, ctx) -> None:
        if self._superstable(ev):
            return
        ctx.progress(f"orbits of period {self.period}")
        found = orbits_of_period(self.objective, self.lr, self.period, self.box)
        ev.rests_on(found)
        ev.precision = f"{DPS} digits (mpmath), Arb balls"
        ev.table(f"Orbits of minimal period {self.period} at h = {show(self.lr)} in "
                 f"{found.where}", ORBIT_COLUMNS,
                 [orbit_row(self.objective, o) for o in found.orbits],
                 note=("complete list" if found.complete else "not proved complete")
                 + f"; {found.method}")
        if found.complete:
            ev.exact("orbits", len(found.orbits), f"orbits of minimal period {self.period}")
        match = [o for o in found.orbits if self.stable is None or o.stable is self.stable]
        if self.multiplier is not None:
            return self._multiplier(ev, found, match)
        wanted = f"an {self._wanted()}orbit of minimal period {self.period}"
        certified = [o for o in match if o.certified]
        if certified:
            record_orbit(ev, certified[0])
            ev.finding(f"There is {wanted} at h = {math(self.lr)} through "
                       f"x0 ≈ {mpmath.nstr(certified[0].points[0][0], 15)}",
                       "proved", "interval",
                       "Krawczyk test: a unique orbit with this minimal period in the boxes; "
                       "its multipliers enclosed")
        elif match and found_again(self.objective, match[0], DPS):
            record_orbit(ev, match[0])
            ev.finding(f"There is {wanted} (numerically, not certified)", "confirmed",
                       "mpmath", f"Newton at {DPS} and {2 * DPS} digits agree, same "
                                 "stability")
        elif found.complete:
            others = "; ".join(f"x0 ≈ {mpmath.nstr(o.points[0][0], 12)} ({o.stability})"
                               for o in found.orbits) or "none"
            self._refuted_by_complete_list(
                ev, found, f"There is no {wanted[3:]} in {found.where}: the complete list of "
                           f"orbits of minimal period {self.period} is: {others}")
        else:
            ev.finding(f"No {wanted[3:]} was found in {found.where}, and the search is not "
                       "proved complete", "inconclusive", "float64", found.method)


    def _refuted_by_complete_list(self, ev, found, statement: str) -> None:
        """A refutation read off the orbit list of ``found``, which is proved complete."""
        ev.finding(statement, "refuted", "exact, interval" if exact_applicable(
            self.objective, self.lr) else "interval", found.method)

    def _superstable(self, ev) -> bool:
        """A stated multiplier exactly 0 proved by an orbit through a critical point of
        the GD map (:func:`superstable_orbit`), before any search."""
        m = self.multiplier
        if m is None or m.relation != "=" or m.value != 0 or m.tolerance != 0 or \
                self.stable is False:
            return False
        exact = superstable_orbit(self.objective, self.lr, self.period)
        if exact is None:
            return False
        ev.precision = "exact (algebraic numbers)"
        ev.exact("superstable_point", show(exact))
        ev.finding(f"There is an orbit of minimal period {self.period} with multiplier 0 at "
                   f"h = {math(self.lr)}: it passes through the critical point x = "
                   f"{math(exact)} of the GD map (G'(x) = 0), and G^{self.period}(x) = x "
                   "exactly", "proved", "symbolic",
                   "exact algebraic arithmetic; the minimal period checked exactly")
        return True

    def _multiplier(self, ev, found, match) -> None:
        """The stated multiplier (1-D) or spectral radius of DG^p (n-D), decided for each
        certified orbit from its enclosure; a stated 0 exactly by a superstable orbit
        (:func:`superstable_orbit`)."""
        m, name = self.multiplier, self._mult_name()
        decisions = [(o, m.decide(spectral_radius_ball(o))) for o in match if o.certified]
        hits = [o for o, d in decisions if d == "proved"]
        if hits:
            record_orbit(ev, hits[0])
            ev.finding(f"There is an orbit of minimal period {self.period} through x0 ≈ "
                       f"{mpmath.nstr(hits[0].points[0][0], 15)} whose {name} "
                       f"{spectral_radius_ball(hits[0]).str(12)} satisfies {m.text()}", "proved",
                       "interval", "Krawczyk certificate with enclosed multipliers")
            return
        values = "; ".join(f"x0 ≈ {mpmath.nstr(o.points[0][0], 12)}: "
                           f"{spectral_radius_ball(o).str(8) if o.certified else 'not certified'}"
                           for o in match) or "none"
        all_out = all(d == "refuted" for _, d in decisions) and len(decisions) == len(match)
        if found.complete and all_out:
            self._refuted_by_complete_list(
                ev, found, f"No orbit of minimal period {self.period} in {found.where} has "
                           f"{name} {m.text()}: the complete list has {values}")
        else:
            ev.finding(f"No orbit of minimal period {self.period} was shown to have {name} "
                       f"{m.text()} ({values}; "
                       f"{'complete list' if found.complete else 'list not proved complete'})",
                       "inconclusive", "interval", found.method)


@dataclass(frozen=True, eq=False)
class NoAttractingOrbitExpectation(Expectation):
    """No attracting orbit of period ≤ ``max_period`` of GD at ``lr`` lies in ``box``."""

    kind = "no-attracting-orbit"
    objective: Objective
    lr: sp.Expr
    max_period: int
    box: tuple

    def at_lr(self, lr) -> "NoAttractingOrbitExpectation":
        from dataclasses import replace
        return replace(self, lr=lr)

    def describe(self) -> str:
        return (f"GD on f = {self.objective.expr} with h = {show(self.lr)} has no attracting "
                f"orbit of period <= {self.max_period} in [{show(self.box[0])}, "
                f"{show(self.box[1])}]")

    def evaluate(self, ev, ctx) -> None:
        obj, h = self.objective, self.lr
        ctx.progress(f"orbits of period <= {self.max_period}")
        lists = [exact_orbits(obj, h, p, self.box) for p in range(1, self.max_period + 1)] \
            if exact_applicable(obj, h) else searched_orbits(obj, h, self.max_period, self.box)
        ev.rests_on(tuple(lists))
        ev.precision = f"{DPS} digits (mpmath), Arb balls"
        orbits = [o for lst in lists for o in lst.orbits]
        ev.table(f"Orbits of period <= {self.max_period} at h = {show(h)} in {lists[0].where}",
                 ORBIT_COLUMNS, [orbit_row(obj, o) for o in orbits],
                 note="; ".join(f"period {lst.period}: "
                                f"{'complete' if lst.complete else 'not proved complete'}"
                                for lst in lists) + f"; {lists[0].method}")
        attracting = [o for o in orbits if o.stable is True]
        complete = all(lst.complete for lst in lists)
        if complete:
            ev.exact("orbits", len(orbits), f"orbits of period <= {self.max_period}")
        certified = [o for o in attracting if o.certified]
        if certified:
            o = certified[0]
            record_orbit(ev, o, "attracting_orbit")
            ev.finding(f"Counterexample: an attracting orbit of period {o.period} through "
                       f"x0 ≈ {mpmath.nstr(o.points[0][0], 15)}, largest |multiplier| ≈ "
                       f"{mpmath.nstr(abs(max(o.multipliers, key=abs)), 6)}", "refuted",
                       "interval", "Krawczyk certificate with enclosed multipliers")
        elif complete and all(o.certified and o.stable is False for o in orbits):
            ev.finding(f"All {len(orbits)} orbits of period <= {self.max_period} in the box "
                       "are repelling, and the list is complete", "proved",
                       "exact, interval" if exact_applicable(obj, h) else "interval",
                       lists[0].method)
        elif attracting:
            ev.finding(f"An orbit of period {attracting[0].period} looks attracting but is "
                       "not certified", "inconclusive", "mpmath")
        elif not complete and self._none_again(ctx):
            ev.finding("No attracting orbit was found, also with twice the starts and digits "
                       "(the search is not proved complete)", "confirmed", "mpmath",
                       lists[0].method)
        else:
            ev.finding("No attracting orbit was found, but some orbits' stability or the "
                       "completeness of the list is not decided", "inconclusive", "interval",
                       lists[0].method)

    def _none_again(self, ctx) -> bool:
        from ..dynamics.orbits import search_periodic_orbits
        lo, hi = self.box
        again = search_periodic_orbits(self.objective, self.lr, self.max_period,
                                       (float(lo), float(hi)), 2 * STARTS, 2 * DPS, seed=1)
        return all(o.stable is not True for o in again.orbits) and not again.non_isolated


def _box(value):
    return None if value is None else pair_arg("box", value)


def periodic_orbit(objective, vars=None, *, lr, period, stable=None, box=None,
                   multiplier=None, tolerance=None, digits=None) -> PeriodicOrbitExpectation:
    """Expect an orbit of minimal ``period`` of GD on ``objective`` at learning rate ``lr``
    (an exact number, possibly algebraic: ``"sqrt(5)/2"``) in ``box = [LO, HI]`` (every
    coordinate), attracting when ``stable`` is True, repelling when False, with
    ``multiplier`` (one variable: the multiplier (G^p)'; several: the spectral radius of
    the monodromy matrix DG^p) equal to the stated value up to ``tolerance`` (or
    ``digits`` decimals) when given — ``multiplier = "0"`` states superstability (see
    the module docstring for the method)."""
    obj = objective_arg(objective, vars)
    if multiplier is None and (tolerance is not None or digits is not None):
        raise ArgumentError("tolerance", "applies to a stated multiplier; give multiplier")
    return PeriodicOrbitExpectation(obj, number_arg("lr", lr, positive=True),
                                    int_arg("period", period, 1, 12),
                                    None if stable is None else bool_arg("stable", stable),
                                    _box(box),
                                    stated_arg("multiplier", multiplier,
                                               tolerance_arg(tolerance, digits)))


def no_attracting_orbit(objective, vars=None, *, lr, max_period, box
                        ) -> NoAttractingOrbitExpectation:
    """Expect no attracting orbit of period ≤ ``max_period`` of GD on ``objective`` at
    ``lr`` in ``box = [LO, HI]``."""
    obj = objective_arg(objective, vars)
    return NoAttractingOrbitExpectation(obj, number_arg("lr", lr, positive=True),
                                        int_arg("max_period", max_period, 1, 8),
                                        pair_arg("box", box))
