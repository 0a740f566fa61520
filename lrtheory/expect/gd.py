"""GD from given starts and learning rates: it converges (to a stated point or set),
diverges, or stays bounded (within a radius).

Each (start, learning rate) pair is run in float64 and in mpmath at :data:`DPS` digits for
``steps`` steps (:func:`lrtheory.gd.run_gd`, classified as converged / periodic /
aperiodic / divergent).  Convergence, divergence and boundedness are statements about
every step of the orbit: numerical runs that agree, with no certificate, leave the run
``inconclusive`` (they are a sample of the steps), never ``confirmed``.
Rigorous certificates, each for the exact start and learning rate, in Arb balls:

* **convergence** — a box B about the numerical limit (of G^p for a p-cycle) on which G^p
  is a contraction mapping B into itself (‖DG^p(B)‖∞ = q < 1 and
  ‖G^p(c) − c‖∞ + q·r < r for the centre c and half-width r), and the ball orbit of the
  start enters B: the orbit converges to the unique fixed point of G^p in B;
* **divergence** (one variable, f′ a polynomial over Q, h rational) — c > 1 and R with
  G(x)² − c²x² > 0 for |x| ≥ R (exact: R bounds every root, the sign is checked at ±R),
  and the ball orbit reaches |x_k| ≥ R: then |x_{k+j}| ≥ c^j|x_k| → ∞;
* **boundedness** — a box I around the numerical tail with G(I) ⊂ I (the images of a
  grid of sub-boxes), entered by the ball orbit; or a convergence certificate.

GD can converge only to a stationary point, so a stated limit where ∇f ≠ 0 (exactly) is
refuted at once.

**Over sets** — a ``start_box`` instead of ``starts``, or a learning-rate interval given
by :func:`lrtheory.expect.throughout` — the statement is quantified over the set, and
:meth:`GDExpectation.evaluate_over` decides it by the rule of the verdicts guide:

1. the falsifier first: exact rational orbits (:func:`lrtheory.certify.falsifier.exact_orbit`)
   at the closed ends of the rate interval, a simple rate inside and three grid rates,
   from every start (the corners and centre of a box) — an exact cycle of period ≥ 2
   refutes convergence, any exact cycle refutes divergence; the certified runs above at
   the same pairs; for one variable, crossings of the orbit with a fixed point proven by
   the intermediate value theorem (:func:`lrtheory.certify.falsifier.crossings`), which
   refute divergence (and convergence to another point) on a set of rates of measure 0;
2. then the proof over the whole set (:func:`lrtheory.certify.gd_sets.prove_over_sets`):
   ``proved``, ``refuted`` by a certified box of counterexamples (a rate and start in it
   named), or ``inconclusive`` naming the undecided rates and starts and their measure.

**Over parameters** — ``params`` ({name: bounded interval}) makes the statement hold for
every value of the objective's parameters: the falsifier runs at the corners and the
centre of the parameter box (values substituted, named in a counterexample), and the
parameters are coordinates of the boxes of the proof (:mod:`lrtheory.certify.parametric`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..certify.gd_runs import (BLOWUP, DPS, ESCAPE_FACTORS, RADII,  # noqa: F401
                               RunFacts, balls, contraction_box, escape_radius,
                               invariant_box, study_run)
from ..objectives import Objective
from .base import (Expectation, expr_arg, int_arg, math, number_arg, numbers_arg, objective_arg,
                   point_arg, point_text, points_arg, show)

STEPS = 10_000
MAX_STEPS = 1_000_000
#: Why a numerical run decides nothing about all steps.
UNCERTIFIED = "no certificate covers every step (a finite run is a sample of the steps)"
#: Steps of the certified runs of the falsifier over a set.
FALSIFY_STEPS = 2000


# ---- the expectations ----------------------------------------------------------------------
def _run_label(facts: RunFacts, variables) -> str:
    return f"from {point_text(variables, facts.start)} with h = {show(facts.h)}"


@dataclass(frozen=True, eq=False)
class GDExpectation(Expectation):
    """GD on ``objective`` from every start of ``starts`` with every learning rate of
    ``lrs`` ``behaviour`` ("converges", "diverges" or "bounded"); for "converges" the
    limit may be stated as the point ``to`` or the set ``to_set = 0``, for "bounded" a
    ``radius`` (max-norm)."""

    objective: Objective
    starts: tuple
    lrs: tuple
    behaviour: str
    steps: int = STEPS
    to: tuple | None = None
    to_set: sp.Expr | None = None
    radius: sp.Expr | None = None
    start_box: object = None     # a lrtheory.certify.sets.Box replacing the points of starts
    params: tuple = ()           # ((name, Interval), …): "for every value of the parameters"

    @property
    def kind(self) -> str:  # type: ignore[override]
        return f"gd-{'converges' if self.behaviour == 'converges' else self.behaviour}"

    def at_lr(self, lr) -> "GDExpectation":
        from dataclasses import replace
        return replace(self, lrs=(lr,))

    def describe(self) -> str:
        target = f" to ({', '.join(map(show, self.to))})" if self.to else \
            (f" to the set {show(self.to_set)} = 0" if self.to_set is not None else "")
        within = f" within |x| <= {show(self.radius)}" if self.radius is not None else ""
        origin = f"every start in {self.start_box}" if self.start_box is not None else \
            f"{len(self.starts)} start(s)"
        over = "".join(f" for every {n} in {side}" for n, side in self.params)
        return (f"GD on f = {self.objective.expr} from {origin} with "
                f"h in {{{', '.join(map(show, self.lrs))}}}{over} {self.behaviour}{target}"
                f"{within}")

    def evaluate(self, ev, ctx) -> None:
        if self.start_box is not None or self.params:
            from ..certify.sets import Interval
            for h in self.lrs:
                self.evaluate_over(Interval(h, h), ev, ctx)
            return
        obj = self.objective
        ev.precision = f"float64 and mpmath at {DPS} digits; Arb balls at {DPS} digits"
        if self.to is not None and self._not_stationary(ev):
            return
        rows = []
        for i, (x0, h) in enumerate((x0, h) for h in self.lrs for x0 in self.starts):
            ctx.progress(f"run {i + 1}: h = {show(h)}")
            facts = study_run(obj, x0, h, self.steps, self.radius)
            rows.append([point_text(obj.vars, x0), show(h), facts.labels[0], facts.labels[1],
                         f"{facts.max_abs:.6g}", self._certificate(facts)])
            ev.exact(f"run{i}_label", facts.label, _run_label(facts, obj.vars))
            verdict, method, text = getattr(self, f"_{self.behaviour}")(facts)
            ev.finding(f"GD {_run_label(facts, obj.vars)}: {text}", verdict, method)
        ev.table(f"GD runs ({self.steps} steps)", ["start", "h", "float64", f"mpmath {DPS}",
                                                   "max |x| (tail)", "certificate"], rows)

    def _not_stationary(self, ev) -> bool:
        obj = self.objective
        grad = [sp.simplify(g.subs(dict(zip(obj.vars, self.to)))) for g in obj.gradient]
        if all(g == 0 for g in grad):
            return False
        ev.finding(f"GD cannot converge to {point_text(obj.vars, self.to)}: the gradient "
                   f"there is ({', '.join(map(show, grad))}) ≠ 0, and a limit of "
                   "x_{k+1} = x_k − h∇f(x_k) is a stationary point", "refuted", "symbolic")
        return True

    @staticmethod
    def _certificate(facts: RunFacts) -> str:
        if facts.limit_box:
            c, r, p = facts.limit_box
            return (f"contraction of G^{p} on a box of half-width {r:.1e}, entered at step "
                    f"{facts.entered}")
        if facts.escape:
            R, c, k = facts.escape
            return f"escape: |x| >= {show(R)} at step {k}, then |G(x)| >= {show(c)}|x|"
        if facts.invariant:
            return f"invariant box {facts.invariant[0]}, entered at step {facts.invariant[1]}"
        return "none"

    # -- converges -----------------------------------------------------------------------------
    def _converges(self, f: RunFacts):
        if f.limit_box and f.limit_box[2] > 1:
            return ("refuted", "interval", f"converges to a cycle of period "
                    f"{f.limit_box[2]}, not to a point (certified)")
        if f.escape:
            return "refuted", "exact, interval", "diverges to infinity (certified)"
        if f.limit_box:
            return self._certified_limit(f)
        if f.agree and f.labels[1] == "converged":
            return self._numerical_limit(f)
        return ("inconclusive", "float64", f"{f.labels[0]} in float64, {f.labels[1]} in "
                "mpmath; no certificate")

    def _certified_limit(self, f: RunFacts):
        from flint import arb
        centre, r, _ = f.limit_box
        box = [arb(c, r) for c in centre]
        if self.to is not None:
            target = balls(self.to)
            if all(b.contains(t) for b, t in zip(box, target)):
                return ("proved", "interval", "converges to the stated point (contraction "
                        "certificate; the stated point is stationary and in the box)")
            if any(not b.overlaps(t) for b, t in zip(box, target)):
                return ("refuted", "interval", f"converges to the fixed point in the box "
                        f"about ({', '.join(f'{c:.12g}' for c in centre)}) of half-width "
                        f"{r:.1e}, which excludes the stated point")
            return ("inconclusive", "interval", "converges to a fixed point whose box "
                    "touches the stated point without containing it")
        if self.to_set is not None:
            value = self._set_value(box)
            if not value.contains(0):
                return ("refuted", "interval", f"converges to a point near "
                        f"({', '.join(f'{c:.12g}' for c in centre)}) where the set's "
                        f"function is {value.mid().str(6, radius=False)} ≠ 0")
            return ("confirmed", "interval", "converges (contraction certificate) to a point "
                    "whose distance to the set is below the certificate's resolution")
        return ("proved", "interval", f"converges to a point near "
                f"({', '.join(f'{c:.12g}' for c in centre)}) (contraction certificate)")

    def _set_value(self, box):
        from ..evaluators import compile_exprs
        fn = compile_exprs([self.to_set], self.objective.vars, "arb")
        return fn(*box)[0]

    def _numerical_limit(self, f: RunFacts):
        tol = 1e-8 * (1 + float(np.max(np.abs(f.last))))
        if self.to is not None:
            gap = float(np.max(np.abs(f.last - np.array([float(t) for t in self.to]))))
            if gap < tol:
                return ("inconclusive", "mpmath", "converges numerically to the stated point "
                        f"(float64 and mpmath agree; distance {gap:.1e}); {UNCERTIFIED}")
            return ("inconclusive", "mpmath", f"converges numerically to "
                    f"({', '.join(f'{v:.12g}' for v in f.last)}), not to the stated point; "
                    "not certified")
        if self.to_set is not None:
            from ..evaluators import compile_exprs
            value = abs(float(compile_exprs([self.to_set], self.objective.vars,
                                            "numpy")(*f.last)[0]))
            if value < tol:
                return ("inconclusive", "mpmath", f"converges numerically to the set "
                        f"(|s(x_N)| = {value:.1e}; float64 and mpmath agree); {UNCERTIFIED}")
            return ("inconclusive", "mpmath", f"converges numerically to a point where "
                    f"|s| = {value:.3g}; not certified")
        return ("inconclusive", "mpmath", "converges numerically (float64 and mpmath agree); "
                + UNCERTIFIED)

    # -- diverges -----------------------------------------------------------------------------
    def _diverges(self, f: RunFacts):
        if f.escape:
            return "proved", "exact, interval", "diverges to infinity (escape certificate)"
        if f.limit_box:
            return ("refuted", "interval", f"converges to a {'point' if f.limit_box[2] == 1 else f'cycle of period {f.limit_box[2]}'} "
                    "(contraction certificate)")
        if f.invariant:
            return "refuted", "interval", "stays in an invariant box (certified)"
        if f.agree and f.labels[1] == "divergent":
            return ("inconclusive", "mpmath", "diverges numerically (float64 overflows, mpmath "
                    f"exceeds 1e50); {UNCERTIFIED}")
        return ("inconclusive", "float64", f"{f.labels[0]} in float64, {f.labels[1]} in "
                "mpmath; no certificate")

    # -- bounded ------------------------------------------------------------------------------
    def _bounded(self, f: RunFacts):
        within = self.radius is None or f.max_abs <= float(self.radius)
        if f.outside is not None:
            return ("refuted", "interval", f"at step {f.outside[0]} the iterate has |x| >= "
                    f"{f.outside[1]:.6g} > {show(self.radius)} (ball arithmetic)")
        if f.escape:
            return "refuted", "exact, interval", "diverges to infinity (escape certificate)"
        inside_radius = self.radius is None or self._certified_within(f)
        if (f.limit_box or f.invariant) and inside_radius:
            return "proved", "interval", "stays bounded (" + self._certificate(f) + ")"
        if f.agree and f.labels[1] != "divergent" and within:
            return ("inconclusive", "mpmath", f"stays bounded numerically over {self.steps} "
                    f"steps; {UNCERTIFIED}")
        return ("inconclusive", "float64", f"{f.labels[0]} in float64, {f.labels[1]} in "
                "mpmath; no certificate")

    def _certified_within(self, f: RunFacts) -> bool:
        r = float(self.radius)
        if f.invariant:
            return all(max(abs(lo), abs(hi)) <= r for lo, hi in f.invariant[0])
        if not f.limit_box:
            return False
        c, rad, _ = f.limit_box
        return max(abs(v) for v in c) + rad <= r and f.max_abs <= r


    # -- over sets ----------------------------------------------------------------------------
    def evaluate_over(self, rates, ev, ctx) -> None:
        """Decide the statement for every rate of the interval ``rates`` and every start
        (module docstring: falsifier, then proof)."""
        from ..certify.gd_sets import prove_over_sets
        from ..certify.sets import PointSet
        ev.precision = (f"exact rationals; Arb balls ({DPS} digits for single runs, "
                        "128 bits over sets)")
        if self.to is not None and self._not_stationary(ev):
            return
        starts = self.start_box if self.start_box is not None else PointSet(self.starts)
        if self._param_counterexample(rates, starts, ev, ctx) if self.params else \
                self._counterexample(rates, starts, ev, ctx):
            return
        if self.to_set is not None:
            ev.finding(f"No counterexample at the rates and starts tried; convergence to the "
                       f"set {show(self.to_set)} = 0 for every h in {rates} is not decided "
                       "(the set proofs certify isolated limits)", "inconclusive", "interval")
            return
        ctx.progress("proof over the rates and starts (branch and bound)")
        proof = prove_over_sets(self.objective, rates, starts, self.behaviour,
                                radius=self.radius, target=self.to,
                                params=dict(self.params) or None)
        ev.rests_on(proof)
        self._report_proof(proof, rates, starts, ev)

    def _counterexample(self, rates, starts, ev, ctx) -> bool:
        """The falsifier (module docstring): a counterexample finding, or False."""
        obj = self.objective
        from ..certify.falsifier import falsifier_rates, sample_starts
        pairs = [(h, x0) for h in falsifier_rates(rates) for x0 in sample_starts(starts)]
        for h, x0 in pairs:
            orbit = self._exact_counterexample(x0, h)
            if orbit is not None:
                ev.finding(f"Counterexample: at h = {math(h)} from "
                           f"{point_text(obj.vars, x0)} the exact orbit is "
                           f"{orbit.describe()}, so GD does not {self._verb()}", "refuted",
                           "exact")
                return True
        rows, found = [], None
        for h, x0 in pairs:
            ctx.progress(f"falsifier: h = {show(h)}")
            facts = study_run(obj, x0, h, min(self.steps, FALSIFY_STEPS), self.radius)
            verdict, method, text = getattr(self, f"_{self.behaviour}")(facts)
            rows.append([point_text(obj.vars, x0), show(h), verdict, text])
            if verdict == "refuted" and found is None:
                found = (facts, method, text)
        ev.table("Falsifier: certified runs at the ends, inside and at the starts",
                 ["start", "h", "verdict", "finding"], rows)
        if found is not None:
            facts, method, text = found
            ev.finding(f"Counterexample: GD {_run_label(facts, obj.vars)}: {text}", "refuted",
                       method)
            return True
        return self._crossing(rates, starts, ev)

    def _param_counterexample(self, rates, starts, ev, ctx) -> bool:
        """The falsifier at the corners and the centre of the parameter box, each on the
        objective with those values substituted; a counterexample names them."""
        from dataclasses import replace

        from ..certify.sets import Box
        names = [n for n, _ in self.params]
        values = Box(tuple(side for _, side in self.params))
        obj = self.objective
        for point in dict.fromkeys(values.corners() + [values.centre()]):
            at = dict(zip(names, point))
            fixed = Objective(obj.expr.subs({p: at[str(p)] for p in obj.params}), obj.vars)
            ctx.progress(f"falsifier at {', '.join(f'{n} = {show(v)}' for n, v in at.items())}")
            if replace(self, objective=fixed, params=())._counterexample(rates, starts, ev, ctx):
                where = ", ".join(f"{n} = {math(v)}" for n, v in at.items())
                last = ev.findings[-1]
                ev.findings[-1] = replace(last, statement=f"At {where}: {last.statement}")
                return True
        return False

    def _exact_counterexample(self, x0, h):
        """An exact eventually periodic orbit
        (:func:`lrtheory.certify.falsifier.exact_cycle`) that contradicts the statement,
        or None."""
        from ..certify.falsifier import exact_cycle
        orbit = exact_cycle(self.objective, x0, h)
        if orbit is None or not orbit.periodic or self.behaviour == "bounded":
            return None
        if self.behaviour == "diverges" or orbit.period > 1:
            return orbit
        limit = orbit.points[orbit.preperiod]
        if self.to is not None and limit != (show(self.to[0]) if len(self.to) == 1 else
                                             "(" + ", ".join(map(show, self.to)) + ")"):
            return orbit
        return None

    def _crossing(self, rates, starts, ev) -> bool:
        """A crossing of the orbit with a fixed point (one variable,
        :func:`lrtheory.certify.falsifier.crossings_over`), refuting divergence or
        convergence to another point."""
        from ..certify.falsifier import crossings_over
        if not (self.behaviour == "diverges" or self.to is not None):
            return False
        for c in crossings_over(self.objective, starts, rates):
            if self.to is not None and c.target == show(self.to[0]):
                continue
            ev.exact("crossing_rates", f"[{show(c.h_lo)}, {show(c.h_hi)}]",
                     "an interval of rates holding a counterexample h*")
            ev.finding(f"Counterexample (intermediate value theorem, balls): "
                       f"{c.describe()}; so GD does not {self._verb()} at that rate",
                       "refuted", "interval")
            return True
        return False

    def _verb(self) -> str:
        return {"converges": "converge" + (" to the stated point" if self.to else ""),
                "diverges": "diverge", "bounded": "stay bounded"}[self.behaviour]

    def _report_proof(self, proof, rates, starts, ev) -> None:
        """The finding of a :class:`~lrtheory.certify.gd_sets.SetProof`."""
        coords = "(h, x0" + "".join(f", {n}" for n, _ in self.params) + ")"
        ev.exact("boxes", proof.boxes, f"boxes of {coords} decided by the branch and bound")
        where = f"every h in {rates} and every start in {starts}"
        n = self.objective.dim
        where += "".join(f" and every {n} in {side}" for n, side in self.params)
        if proof.verdict == "proved":
            ev.finding(f"For {where}: GD {self.behaviour} — each of the {proof.holds} boxes "
                       f"of {coords} covering the set is certified "
                       f"({'; '.join(proof.certificates)})",
                       "proved", "interval")
        elif proof.verdict == "refuted":
            h, x0, why = proof.fails[0]
            at = "".join(f", {n} = {math(v)}" for n, v in
                         (proof.fail_params[0] if proof.fail_params else ()))
            ev.finding(f"Counterexample: at h = {math(h)}{at} from "
                       f"{point_text(self.objective.vars, x0)} "
                       f"GD does not {self._verb()} — {why}", "refuted", "interval")
        else:
            ev.exact("undecided_measure", proof.undecided_measure,
                     f"measure of the {coords} set left undecided")
            ev.table(f"Undecided boxes of {coords}", ["h", "x0"] + [n for n, _ in self.params],
                     [[f"[{b[0][0]:.9g}, {b[0][1]:.9g}]",
                       ", ".join(f"[{lo:.6g}, {hi:.6g}]" for lo, hi in b[1:1 + n])] +
                      [f"[{lo:.6g}, {hi:.6g}]" for lo, hi in b[1 + n:]]
                      for b in proof.undecided[:20]],
                     note=f"{len(proof.undecided)} boxes in all")
            ev.finding(f"For {where}: no counterexample found; {proof.holds} boxes of {coords} "
                       f"are certified, the rest is undecided — measure "
                       f"{proof.undecided_measure:.3g}: {_undecided_text(proof, rates, n)}",
                       "inconclusive", "interval")


def _undecided_text(proof, rates, dim=None) -> str:
    """The undecided rates as a hull per connected run of boxes, and the hull of the
    undecided starts (text)."""
    spans = sorted((b[0][0], b[0][1]) for b in proof.undecided)
    merged = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    text = "rates " + ", ".join(f"[{lo:.9g}, {hi:.9g}]" for lo, hi in merged[:6])
    if len(merged) > 6:
        text += f" and {len(merged) - 6} more"
    if rates.hi is None:
        text += f"; every rate of {rates} above the covered part"
    if proof.undecided:
        dim = dim or len(proof.undecided[0]) - 1
        hull = [(min(b[i][0] for b in proof.undecided), max(b[i][1] for b in proof.undecided))
                for i in range(1, dim + 1)]
        text += "; starts within " + " × ".join(f"[{lo:.6g}, {hi:.6g}]" for lo, hi in hull)
    return text


def _steps(steps) -> int:
    return int_arg("steps", steps, 1, MAX_STEPS)


def _parameters(objective, vars, params):
    """The objective with the parameters named by ``params`` ({name: interval}) and the
    ((name, Interval), …) of the statement "for every value of the parameters"."""
    from ..certify.sets import interval
    from ..parsing import parse_variables, to_expr
    from .base import ArgumentError, argument
    if not isinstance(params, dict) or not params:
        raise ArgumentError("params", "give a table of parameter intervals, e.g. "
                            "{ mu = \"[1/2, 1]\" }")
    from ..certify.parametric import MAX_PARAMETERS
    if len(params) > MAX_PARAMETERS:
        raise ArgumentError("params", f"at most {MAX_PARAMETERS} parameters, got {len(params)}")
    if isinstance(objective, Objective) or vars is None:
        raise ArgumentError("params", "give the objective as text with its vars")
    with argument("params"):
        symbols = parse_variables(list(params))
        sides = tuple((str(p), interval(params[str(p)], f"params.{p}")) for p in symbols)
        for name, side in sides:
            if not side.bounded:
                raise ArgumentError("params", f"{name} needs a bounded interval")
    with argument("vars"):
        xs = parse_variables(vars)
    clash = sorted({s.name for s in xs} & {n for n, _ in sides})
    if clash:
        raise ArgumentError("params", f"{clash} are variables, not parameters")
    with argument("objective"):
        obj = Objective(to_expr(objective, xs + symbols, "objective"), xs, params=symbols)
        obj.hessian  # noqa: B018 - checks differentiability now
    unused = [n for n, _ in sides if n not in {s.name for s in obj.expr.free_symbols}]
    if unused:
        raise ArgumentError("params", f"{unused} do not occur in the objective")
    return obj, sides


def _common(objective, vars, starts, lr, start_box=None, params=None):
    """The objective, the start points (or () with a start box), the rates, the box and
    the parameter intervals."""
    from ..certify.sets import start_set
    from .base import ArgumentError, argument
    obj, sides = _parameters(objective, vars, params) if params is not None else \
        (objective_arg(objective, vars), ())
    lrs = numbers_arg("lr", lr, positive=True)
    with argument("start_box" if start_box is not None else "starts"):
        starts_ = start_set(starts, start_box, obj.dim)
    if (start_box is not None or sides) and not all(h.is_Rational for h in lrs):
        raise ArgumentError("lr", "with start_box or params the learning rates must be "
                            "rational")
    if start_box is None:
        return obj, points_arg("starts", starts, obj.dim), lrs, None, sides
    return obj, (), lrs, starts_, sides


def gd_converges(objective, vars=None, *, lr, starts=None, start_box=None, to=None,
                 to_set=None, steps=STEPS, params=None) -> GDExpectation:
    """Expect GD on ``objective`` from every start of ``starts`` (points) or of
    ``start_box`` (one interval per variable, e.g. ``[["-1", "1"], "(0, 2]"]``) with every
    learning rate of ``lr`` (one or a list) to converge — to the point ``to``, or to the set
    ``to_set = 0`` (an expression), when given; with ``params`` ({name: interval}, e.g.
    ``{"mu": "[1/2, 1]"}``) for every value of the objective's parameters."""
    obj, pts, lrs, box, sides = _common(objective, vars, starts, lr, start_box, params)
    if to is not None and to_set is not None:
        from .base import ArgumentError
        raise ArgumentError("to_set", "give either to (a point) or to_set (a set), not both")
    return GDExpectation(obj, pts, lrs, "converges", _steps(steps),
                         None if to is None else point_arg("to", to, obj.dim),
                         None if to_set is None else expr_arg("to_set", to_set, obj.vars),
                         start_box=box, params=sides)


def gd_diverges(objective, vars=None, *, lr, starts=None, start_box=None, steps=STEPS,
                params=None) -> GDExpectation:
    """Expect GD on ``objective`` from every start (``starts`` or ``start_box``) with every
    learning rate (and every value of the parameters ``params``) to diverge."""
    obj, pts, lrs, box, sides = _common(objective, vars, starts, lr, start_box, params)
    return GDExpectation(obj, pts, lrs, "diverges", _steps(steps), start_box=box,
                         params=sides)


def gd_bounded(objective, vars=None, *, lr, starts=None, start_box=None, radius=None,
               steps=STEPS, params=None) -> GDExpectation:
    """Expect GD on ``objective`` from every start (``starts`` or ``start_box``) with every
    learning rate (and every value of the parameters ``params``) to stay bounded — within
    ``radius`` (max-norm) when given."""
    obj, pts, lrs, box, sides = _common(objective, vars, starts, lr, start_box, params)
    return GDExpectation(obj, pts, lrs, "bounded", _steps(steps), radius=None if radius is None
                         else number_arg("radius", radius, positive=True), start_box=box,
                         params=sides)
