"""Proofs over sets of learning rates and starts (verdicts issue): each GD statement on a
1-D and a 2-D objective, decided over the whole set (falsifier, then branch and bound in
ball arithmetic, :func:`lrtheory.expect.throughout`), against the sampled check it
replaces — the same statement at 11 equally spaced rates from the given starts (the
corners and centre of a start box), each run certified or compared at two precisions.

The baseline decides less: it can refute, but a statement over an interval is never
proved by it.  ``extra`` reports the verdict of each and the boxes of the proof.

* ``sets.converges.1d`` — x²/2 + x⁴/4, h ∈ [1/10, 9/10], x₀ ∈ {±1, ±1/2} (proved);
* ``sets.converges.2d`` — x²/2 + y² + xy/2, h ∈ [1/10, 1/2], x₀ ∈ [−1, 1]² (proved);
* ``sets.diverges.1d`` — x²/2, h ∈ [5/2, 4], x₀ ∈ {1, −1/3} (proved);
* ``sets.diverges.2d`` — (x² + y²)²/4, h ∈ [1/2, 1], x₀ ∈ [3, 4] × [−1, 1] (proved by the
  escape cone of :mod:`lrtheory.certify.escape`; the samples can only stay inconclusive);
* ``sets.converges.escape.2d`` — the same set, "converges" (refuted: a start certified to
  diverge through the escape cone);
* ``sets.converges.params.1d`` — μx²/2 + x⁴/4 for every μ ∈ [1/2, 1], h ∈ [1/10, 1/2],
  x₀ ∈ [−1/2, 1/2] (proved over boxes of (h, x₀, μ));
* ``sets.diverges.params.2d`` — μ(x² + y²)²/4 for every μ ∈ [1/2, 1], h ∈ [1/2, 1],
  x₀ ∈ [4, 5] × [−1, 1] (proved by escape cones with the parameter balls); the sampled
  check of these two runs the 11 rates at μ = 1/2, 3/4, 1;
* ``sets.diverges.crossing.1d`` — x³/3 + x²/2, h ∈ [31/10, 4], x₀ = 1/5 (refuted by a
  crossing with a fixed point; the samples all diverge);
* ``sets.bounded.1d`` / ``sets.bounded.2d`` — the converging cases within a radius;
* ``sets.converges.2d.minima`` — (x² − 1)²/4 + y²/2 from a box about (1, 0) to (1, 0);
* ``sets.cycle.1d`` / ``sets.cycle.2d`` — an attracting 2-cycle for every h of an interval
  (x³/3 − x on [1.05, 1.2]; x³/3 − x + y²/2 on [1.1, 1.15]) by parametric Krawczyk tests,
  against :func:`lrtheory.expect.periodic_orbit` at 11 rates;
* ``sets.inequality.1d`` / ``sets.inequality.2d`` — the tight e^x ≥ 1 + x on [−1, 2] and
  1/a² + 1/b² + a²b² ≥ 3 on [1/4, 4]² (second-order certificate), against float64 values on
  a grid of 10⁶ points (which can only report a minimum ≈ 0).
"""
from harness import Benchmark

from lrtheory import expect
from lrtheory.claims import CheckContext
from lrtheory.certify.sets import interval

QUARTIC = ("x**2/2 + x**4/4", "x")
COUPLED = ("x**2/2 + y**2 + x*y/2", "x,y")
BOX2 = [["-1", "1"], ["-1", "1"]]
RADIAL = ("(x**2 + y**2)**2/4", "x,y")

CASES = {
    "converges.1d": (expect.gd_converges, QUARTIC, {"starts": ["1", "-1", "1/2", "-1/2"]},
                     "[1/10, 9/10]"),
    "converges.2d": (expect.gd_converges, COUPLED, {"start_box": BOX2}, "[1/10, 1/2]"),
    "converges.2d.minima": (expect.gd_converges, ("(x**2 - 1)**2/4 + y**2/2", "x,y"),
                            {"start_box": [["1/2", "3/2"], ["-1/2", "1/2"]], "to": ["1", "0"]},
                            "[1/4, 1/2]"),
    "diverges.1d": (expect.gd_diverges, ("x**2/2", "x"), {"starts": ["1", "-1/3"]},
                    "[5/2, 4]"),
    "diverges.2d": (expect.gd_diverges, RADIAL, {"start_box": [["3", "4"], ["-1", "1"]]},
                    "[1/2, 1]"),
    "converges.escape.2d": (expect.gd_converges, RADIAL,
                            {"start_box": [["3", "4"], ["-1", "1"]]}, "[1/2, 1]"),
    "converges.params.1d": (expect.gd_converges, ("mu*x**2/2 + x**4/4", "x"),
                            {"start_box": [["-1/2", "1/2"]], "params": {"mu": "[1/2, 1]"}},
                            "[1/10, 1/2]"),
    "diverges.params.2d": (expect.gd_diverges, ("mu*(x**2 + y**2)**2/4", "x,y"),
                           {"start_box": [["4", "5"], ["-1", "1"]], "params": {"mu": "[1/2, 1]"}},
                           "[1/2, 1]"),
    "diverges.crossing.1d": (expect.gd_diverges, ("x**3/3 + x**2/2", "x"),
                             {"starts": ["1/5"]}, "[31/10, 4]"),
    "bounded.1d": (expect.gd_bounded, QUARTIC, {"starts": ["1", "-1"], "radius": "2"},
                   "[1/10, 9/10]"),
    "bounded.2d": (expect.gd_bounded, COUPLED, {"start_box": BOX2, "radius": "3"},
                   "[1/10, 1/2]"),
}
_VERDICTS: dict = {}


def _over_set(name):
    kind, (f, v), args, rates = CASES[name]
    prop = kind(f, v, lr=str(interval(rates).simplest()), **args)
    ev = expect.throughout(prop, lr_range=rates)(CheckContext())
    _VERDICTS[name] = ev.verdict
    return ev


def _sampled(name):
    """The statement at 11 equally spaced rates (the check the set proof replaces); with
    parameters, at the ends and the middle of each parameter interval."""
    kind, (f, v), args, rates = CASES[name]
    args = dict(args)
    if "params" in args:
        verdicts = [_sampled_at(name, kind, f, v, args, rates, values)
                    for values in _param_samples(args.pop("params"))]
        _VERDICTS[name + ".sampled"] = "refuted" if "refuted" in verdicts else \
            "proved" if set(verdicts) == {"proved"} else "inconclusive"
        return verdicts
    return _sampled_at(name, kind, f, v, args, rates, {})


def _param_samples(params) -> list:
    """{name: value} at the ends and the middle of each parameter interval (one name)."""
    (name, text), = params.items()
    side = interval(text)
    return [{name: str(value)} for value in (side.lo, (side.lo + side.hi) / 2, side.hi)]


def _sampled_at(name, kind, f, v, args, rates, values):
    """The statement at 11 rates with the parameter ``values`` substituted."""
    args = dict(args)
    if values:
        from lrtheory.parsing import parse_variables, to_expr
        names = parse_variables(list(values))
        expr = to_expr(f, parse_variables(v) + names, "objective")
        f = str(expr.subs({s: interval(values[s.name]).lo for s in names}))
    if "start_box" in args:
        from lrtheory.certify.sets import box
        b = box(args.pop("start_box"), len(v.split(",")))
        args["starts"] = [[str(c) for c in p] for p in b.corners() + [b.centre()]]
    lrs = [str(h) for h in interval(rates).grid(11)]
    ev = kind(f, v, lr=lrs, **args)(CheckContext())
    _VERDICTS[name + ".sampled"] = ev.verdict
    return ev.verdict


def _extra(name):
    def extra(ev, seconds):
        boxes = getattr(ev.numbers.get("boxes"), "value", None)
        return {"verdict": ev.verdict, "boxes": boxes,
                "sampled_verdict": _VERDICTS.get(name + ".sampled")}
    return extra


CYCLES = {"cycle.1d": ("x**3/3 - x", "x", "[1.05, 1.2]"),
          "cycle.2d": ("x**3/3 - x + y**2/2", "x,y", "[1.1, 1.15]")}
MARGINS = {"inequality.1d": ("exp(x) - 1 - x", "x", [["-1", "2"]]),
           "inequality.2d": ("1/a**2 + 1/b**2 + a**2*b**2 - 3", "a,b",
                             [["1/4", "4"], ["1/4", "4"]])}


def _cycle(name):
    from lrtheory.certify.cycles import attracting_cycle_over_rates
    from lrtheory.objectives import Objective
    f, v, rates = CYCLES[name]
    return attracting_cycle_over_rates(Objective(f, v), interval(rates), 2)


def _cycle_sampled(name):
    f, v, rates = CYCLES[name]
    lrs = interval(rates).grid(11)
    return [expect.periodic_orbit(f, v, lr=str(h), period=2, stable=True)(CheckContext())
            .verdict for h in lrs]


def _margin(name):
    from lrtheory.certify.margins import prove_nonnegative
    from lrtheory.certify.sets import box
    from lrtheory.parsing import parse_variables, to_expr
    g, v, b = MARGINS[name]
    variables = parse_variables(v)
    return prove_nonnegative(to_expr(g, variables, "g"), variables, box(b, len(variables)))


def _margin_sampled(name):
    import numpy as np
    import sympy as sp

    from lrtheory.parsing import parse_variables, to_expr
    g, v, b = MARGINS[name]
    variables = parse_variables(v)
    fn = sp.lambdify(variables, to_expr(g, variables, "g"), "numpy")
    n = 10**6 if len(variables) == 1 else 10**3
    axes = [np.linspace(float(sp.Rational(lo)), float(sp.Rational(hi)), n) for lo, hi in b]
    return float(np.min(fn(*np.meshgrid(*axes))))


BENCHMARKS = [
    Benchmark(f"sets.{name}", (lambda n=name: _over_set(n)),
              baseline=(lambda n=name: _sampled(n)), repeat=1, extra=_extra(name),
              target="decided over the whole set (proved or refuted), never from samples")
    for name in CASES
]
BENCHMARKS += [
    Benchmark(f"sets.{name}", (lambda n=name: _cycle(n)),
              baseline=(lambda n=name: _cycle_sampled(n)), repeat=1, extra=lambda r, s: {"verdict": r.verdict, "pieces": len(r.pieces)},
              target="proved for every rate (the baseline checks 11)")
    for name in CYCLES
] + [
    Benchmark(f"sets.{name}", (lambda n=name: _margin(n)),
              baseline=(lambda n=name: _margin_sampled(n)), repeat=1,
              extra=lambda r, s: {"verdict": r.verdict, "boxes": r.boxes,
                                  "convex_boxes": r.convex_boxes},
              target="tight inequality proved (the grid only sees a minimum near 0)")
    for name in MARGINS
]
