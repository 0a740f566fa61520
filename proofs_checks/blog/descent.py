"""BLOG-1: the descent lemma for L-smooth f and its limits (h > 2/L, f not L-smooth).

Checked exactly (fmpq) or in rigorous balls (python-flint arb) on hypothesis-generated
families with a certified L (lrtheory.strategies), searched for counterexamples with the
falsifier (lrtheory.falsify); tightness and sensitivity of the constants 1 − Lh/2 and 2/L.
"""
from __future__ import annotations

import math
from functools import partial

import sympy as sp
from flint import fmpq

from lrtheory.catalogue import scalar_quadratic
from lrtheory.claims import Evidence, claim
from lrtheory.falsify import conjunction, falsify
from lrtheory.objectives import Objective, gd_orbit_exact
from lrtheory.smoothness import (
    GDInstance, SmoothObjective, monotone_decrease, per_step_descent, summed_descent, to_float)
from lrtheory.strategies import box_polynomials, gd_instances, quadratics, ridge_sums

STATEMENT = (
    r"Let $f$ be $L$-smooth ($\|\nabla^2 f\|_2\le L$, certified: exactly for quadratics, "
    r"from closed-form bounds on $\varphi''$ for sums $\sum_i c_i\varphi_i(a_i^\top x+b_i)$, "
    r"by ball arithmetic on a box for polynomials), $f^\ast\le\inf f$, "
    r"$0<h<2/L$ and $x_{k+1}=x_k-h\nabla f(x_k)$. Then for every $k$: "
    r"$f(x_{k+1})\le f(x_k)-h(1-\tfrac{Lh}{2})\|\nabla f(x_k)\|^2$, hence "
    r"$\sum_{k<N}\|\nabla f(x_k)\|^2\le \frac{f(x_0)-f^\ast}{h(1-Lh/2)}$ and "
    r"$\nabla f(x_k)\to 0$. Checked in exact rationals or balls on generated instances "
    r"(no tolerance), with the constants $1-Lh/2$ and $2/L$ moved 10\% in the unsafe "
    r"direction (must be refuted). Negative parts: the bound fails for $h>2/L$ "
    r"($f=Lx^2/2$), and for $f=x^4/4$ (not $L$-smooth) GD diverges for every fixed $h$ "
    r"from $|x_0|>\sqrt{2/h}$. Also checked: the source's intermediate display "
    r"$\sum_{k=1}^{N}\|\nabla f(x_k)\|^2\le \frac{f(x_0)-f(x_N)}{h(1-Lh/2)}$ as printed.")

SCALE = fmpq(9, 10)   # the constant L moved 10% in the unsafe direction
T_UNSAFE = fmpq(11, 5)  # the threshold 2/L moved 10% up: h < 2.2/L
NON_QUADRATIC = ("logcosh", "softplus", "pseudo_huber", "sin", "neg_gaussian")


def descent_identity() -> dict:
    """Symbolic facts behind BLOG-1: (i) ⟨g, −hg⟩ + (L/2)‖hg‖² = −h(1 − Lh/2)‖g‖²;
    (ii) for f = ½xᵀAx, f(x − hAx) − f(x) + h(1 − Lh/2)‖Ax‖² = (h²/2)(gᵀAg − L‖g‖²) with
    g = Ax, which is ≤ 0 when λ_max(A) ≤ L and = 0 along an eigenvector of eigenvalue L."""
    h, L, g = sp.symbols("h L g", real=True)
    first = sp.simplify(-h * g**2 + L / 2 * h**2 * g**2 + h * (1 - L * h / 2) * g**2)
    x1, x2, a, b, c = sp.symbols("x1 x2 a b c", real=True)
    A = sp.Matrix([[a, b], [b, c]])
    x = sp.Matrix([x1, x2])
    gv = A * x
    f = lambda v: (v.T * A * v)[0, 0] / 2  # noqa: E731
    lhs = f(x - h * gv) - f(x) + h * (1 - L * h / 2) * (gv.T * gv)[0, 0]
    rhs = h**2 / 2 * ((gv.T * A * gv)[0, 0] - L * (gv.T * gv)[0, 0])
    return {"cauchy_step": first == 0, "quadratic": sp.expand(lhs - rhs) == 0,
            "latex": sp.latex(sp.Eq(sp.Symbol("f(x-hg)-f(x)+h(1-Lh/2)|g|^2"),
                                    sp.factor(rhs)))}


def quartic_threshold(h: fmpq, x0: fmpq, steps: int) -> dict:
    """GD on f = x⁴/4, x_{k+1} = x_k(1 − h x_k²), exactly: whether |x_k| increases strictly
    at every step, decreases strictly at every step, or x_k = ±x0 (period 2)."""
    obj = Objective(sp.Symbol("x", real=True)**4 / 4, "x")
    xs = [p[0] for p in gd_orbit_exact(obj, [x0], h, steps)]
    mags = [abs(v) for v in xs]
    return {"h": h, "x0": x0, "h_x0_sq": h * x0 * x0,
            "increasing": all(a < b for a, b in zip(mags, mags[1:])),
            "decreasing": all(a > b for a, b in zip(mags, mags[1:])),
            "period2": all(v == x0 * (-1)**k for k, v in enumerate(xs)),
            "last_abs": mags[-1]}


def _family_searches(ev: Evidence, n: int) -> None:
    families = {"quadratics": quadratics(), "ridge sums": ridge_sums(),
                "box polynomials": box_polynomials()}
    rows, total, undecided, refuted, worst = [], 0, 0, [], {}
    for fname, fam in families.items():
        rep = falsify(gd_instances(fam), conjunction(per_step_descent(8), summed_descent(8)),
                      max_examples=n)
        total += rep.examples
        undecided += rep.undecided
        if rep.refuted:
            refuted.append(rep.summary())
        worst[fname] = rep.worst_held
        rows.append([fname, rep.examples, rep.held, rep.undecided,
                     "yes" if rep.refuted else "no", f"{-rep.worst_held:.3e}",
                     repr(rep.worst_instance)])
    ev.table("Falsifier search over certified L-smooth families (h = t/L, 0 < t < 2): per-step "
             "descent inequality and summed bound, N = 8",
             ["family", "instances", "held", "undecided", "counterexample",
              "min relative slack", "tightest instance"], rows,
             note="relative slack (a − b)/(|a| + |b|) of the inequality a ≥ b; 0 = attained; "
                  "undecided = ball sign not decided at 256 and 1024 bits, or the orbit left "
                  "the certified box")
    ev.exact("instances_checked", total)
    ev.exact("instances_undecided", undecided)
    ev.approx("min_relative_slack_ridge_sums", -worst["ridge sums"], rel_tol=1e-6,
              abs_tol=1e-12, note="deterministic search (derandomized hypothesis); "
                                  "0 = the bound is attained")
    if refuted:
        ev.finding("Descent lemma and summed bound on the certified families", "refuted",
                   "exact, interval", detail="; ".join(refuted))
    else:
        ev.finding(f"Per-step descent inequality and summed bound hold on all {total} "
                   f"generated instances whose signs are decided ({undecided} undecided)",
                   "proved", "exact, interval",
                   detail="every inequality decided in fmpq or by a ball whose sign is certain")


def _sensitivity(ev: Evidence, n: int, quick: bool) -> None:
    families = {"quadratics": quadratics}
    if not quick:
        families["non-quadratic ridge sums"] = partial(ridge_sums, pieces=NON_QUADRATIC)
    cases = []
    for fname, fam in families.items():
        cases += [(fname, "factor 1 − 0.9·Lh/2 per step", gd_instances(fam()),
                   per_step_descent(8, scale=SCALE)),
                  (fname, "factor 1 − 0.9·Lh/2 in the summed bound", gd_instances(fam()),
                   summed_descent(8, scale=SCALE)),
                  (fname, "h < 2.2/L ⇒ f(x_{k+1}) ≤ f(x_k)",
                   gd_instances(fam(max_dim=1), t_max=T_UNSAFE), monotone_decrease(8))]
    rows, all_found = [], True
    for fname, label, strat, stmt in cases:
        rep = falsify(strat, stmt, max_examples=max(n, 60))
        all_found &= rep.refuted
        cx = rep.counterexample
        rows.append([fname, label, "yes" if rep.refuted else "no", rep.examples,
                     repr(cx) if cx is not None else "",
                     f"{rep.outcome.detail.get('worst_relative_slack', 0):.4g}" if cx else ""])
    ev.table("Sensitivity: constants moved 10% in the unsafe direction",
             ["family", "statement", "refuted", "instances", "shrunk counterexample",
              "relative slack"], rows)
    ev.exact("sensitivity_all_refuted", all_found)
    ev.exact("sensitivity_cases", len(rows))
    ev.finding("The constants are tight: with L → 0.9L in 1 − Lh/2, or with h up to 2.2/L, "
               "the statement is refuted by a shrunk counterexample",
               "proved" if all_found else "inconclusive", "exact, interval",
               detail="; ".join(str(r[4]) for r in rows))


def _beyond_threshold(ev: Evidence) -> None:
    """h ≥ 2/L on f = x²/2 (L = 1): exact orbits."""
    obj = scalar_quadratic(1)
    rows, ok = [], True
    for t in (fmpq(2), fmpq(201, 100), fmpq(11, 5), fmpq(3)):
        xs = [p[0] for p in gd_orbit_exact(obj, [fmpq(1)], t, 10)]
        f = [x * x / 2 for x in xs]
        grows = all(b > a for a, b in zip(f, f[1:]))
        period2 = all(x == (-1)**k for k, x in enumerate(xs))
        c = t * (1 - t / 2)
        sum_bound_fails = c <= 0 and sum(x * x for x in xs[:10]) > 0
        ok &= (period2 if t == 2 else grows) and sum_bound_fails
        rows.append([str(t), "period 2, |∇f(x_k)| = 1" if period2 else "f(x_k) strictly increasing",
                     str(f[-1]), str(c), sum_bound_fails])
    ev.table("f = x²/2 (L = 1), x₀ = 1, h ≥ 2/L: exact orbits (10 steps)",
             ["h", "behaviour", "f(x_10)", "h(1 − Lh/2)", "summed bound false"], rows,
             note="for a quadratic the per-step inequality holds with equality at every h, so "
                  "it is the descent (f decreasing) and the summed bound that fail")
    ev.finding("The bound fails for h ≥ 2/L: on f = x²/2, h = 2 gives a period-2 orbit with "
               "∇f(x_k) ↛ 0 and h > 2 gives f(x_k) → ∞; h(1 − Lh/2) ≤ 0 makes the summed "
               "bound false", "proved" if ok else "refuted", "exact")


def _quartic(ev: Evidence, quick: bool) -> None:
    """f = x⁴/4: hG(x)² − hx² = h²x⁴(hx² − 2) with G(x) = x(1 − hx²), exactly."""
    x, h = sp.symbols("x h", positive=True)
    G = x * (1 - h * x**2)
    identity = sp.expand(h * G**2 - h * x**2 - h**2 * x**4 * (h * x**2 - 2)) == 0
    ev.formula("x⁴/4: threshold", r"h\,G(x)^2-h\,x^2=h^2x^4\,(hx^2-2),\quad G(x)=x(1-hx^2)")
    rows, ok = [], identity
    steps = 4 if quick else 6
    for hv in (fmpq(1, 100), fmpq(1, 8), fmpq(1, 2), fmpq(2), fmpq(10)):
        scaled = 2 * 10**6 / hv              # floor(1000·√(2/h)) = isqrt(floor(2·10⁶/h))
        m = math.isqrt(int(scaled.p) // int(scaled.q))
        up, down = fmpq(m + 2, 1000), fmpq(m - 1, 1000)   # just above / just below √(2/h)
        above, below = quartic_threshold(hv, up, steps), quartic_threshold(hv, down, steps)
        ok &= above["increasing"] and below["decreasing"] and hv * up * up > 2 > hv * down * down
        rows.append([str(hv), str(up), "increasing" if above["increasing"] else "NOT increasing",
                     str(down), "decreasing" if below["decreasing"] else "NOT decreasing"])
        square = sp.sqrt(sp.Rational(2) / sp.Rational(int(hv.p), int(hv.q)))
        if square.is_Rational:
            p2 = quartic_threshold(hv, fmpq(int(square.p), int(square.q)), steps)
            ok &= p2["period2"]
            rows.append([str(hv), str(square), "period 2 (|x0| = √(2/h))", "", ""])
    ev.table(f"f = x⁴/4: exact GD orbits ({steps} steps) just above / below |x₀| = √(2/h)",
             ["h", "x₀ above", "|x_k|", "x₀ below", "|x_k|"], rows)
    ev.finding("f = x⁴/4 is not L-smooth and GD diverges for every fixed h > 0: "
               "h x₀² > 2 ⇒ |x_k| ↑ ∞ (identity; then |x_{k+1}| ≥ (h x₀² − 1)|x_k|), "
               "h x₀² = 2 ⇒ period 2, h x₀² < 2 ⇒ |x_k| ↓; checked exactly on a grid of h",
               "proved" if ok else "refuted", "symbolic, exact")


def _printed_display(ev: Evidence, n: int) -> None:
    """The source prints Σ_{k=1}^N ‖∇f(x_k)‖² ≤ (f(x_0) − f(x_N))/c (indices shifted)."""
    x = sp.Symbol("x", real=True)
    cos = SmoothObjective(Objective(sp.cos(x) + 1, (x,)), L=fmpq(1), f_lower=fmpq(0),
                          certificate="|cos''| ≤ 1", f_star_exact=True)
    inst = GDInstance(cos, (fmpq(1, 10),), fmpq(1))
    printed = summed_descent(1, first=1)(inst)
    corrected = summed_descent(1, first=0)(inst)
    rep = falsify(gd_instances(box_polynomials(max_dim=1)), summed_descent(6, first=1),
                  max_examples=n)
    ev.table("The source's intermediate display as printed (k = 1..N, f(x_N))",
             ["instance", "N", "printed display", "relative slack", "k = 0..N−1 with f*"],
             [[repr(inst), 1, {True: "holds", False: "fails", None: "undecided"}[printed.holds],
               f"{printed.detail.get('worst_relative_slack', 0):.4g}",
               {True: "holds", False: "fails", None: "undecided"}[corrected.holds]],
              [repr(rep.counterexample) if rep.refuted else "(none found)", 6,
               "fails" if rep.refuted else "no counterexample",
               f"{rep.outcome.detail.get('worst_relative_slack', 0):.4g}" if rep.refuted else "",
               ""]])
    ok = printed.holds is False and corrected.holds is True
    ev.exact("printed_display_counterexample", ok)
    ev.finding("The intermediate display Σ_{k=1}^N ‖∇f(x_k)‖² ≤ (f(x_0) − f(x_N))/(h(1 − Lh/2)) "
               "as printed is an index slip: it fails for f = 1 + cos x, x₀ = 1/10, h = 1, "
               "N = 1 (ball arithmetic), while Σ_{k<N} with f* (the catalogue's form) holds",
               "proved" if ok else "inconclusive", "interval",
               detail=rep.summary())


@claim("BLOG-1", title="Descent lemma for L-smooth f, h < 2/L", statement=STATEMENT)
def check_blog1(ctx) -> Evidence:
    ev = Evidence(summary="Descent lemma and summed gradient bound on certified L-smooth "
                          "families, falsifier search, tightness and sensitivity of 1 − Lh/2 "
                          "and 2/L; counterexamples for h ≥ 2/L and for x⁴/4.",
                  precision="exact rationals (fmpq); python-flint balls at 256 bits, "
                            "escalated to 1024 bits when undecided",
                  tolerance="none: every inequality decided exactly or by a certain ball sign")
    n = 25 if ctx.quick else 150
    ident = descent_identity()
    ev.formula("quadratic descent identity", ident["latex"])
    ev.finding("Proof algebra: ⟨g, −hg⟩ + (L/2)‖hg‖² = −h(1 − Lh/2)‖g‖², and on ½xᵀAx the "
               "descent gap is (h²/2)(gᵀAg − L‖g‖²) ≤ 0, = 0 on the top eigenvector "
               "(so 1 − Lh/2 cannot be improved)",
               "proved" if ident["cauchy_step"] and ident["quadratic"] else "refuted",
               "symbolic")
    ctx.progress("BLOG-1: falsifier over certified families")
    _family_searches(ev, n)
    ctx.progress("BLOG-1: sensitivity")
    _sensitivity(ev, n, ctx.quick)
    _beyond_threshold(ev)
    _quartic(ev, ctx.quick)
    ctx.progress("BLOG-1: the printed display")
    _printed_display(ev, 2 * n)
    ev.note("∇f(x_k) → 0 follows from the summed bound: its partial sums are bounded "
            "independently of N, so the terms tend to 0.")
    ev.note("The source says GD 'converges to a stationary point' but its proof gives "
            "∇f(x_k) → 0 only; convergence of x_k itself is not shown.")
    return ev
