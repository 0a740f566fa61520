"""BLOG-8 (periodic orbits of GD on (1 − xy)²/2 at h = 1.9) and BLOG-9 (GD converging to
a chaotic attractor)."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from lrtheory import expect
from lrtheory.catalogue import double_well, factorization_vector
from lrtheory.claims import Evidence, claim
from lrtheory.dynamics.bifurcations import period_doubling_cascade
from lrtheory.dynamics.completeness import (curve_expansion_bound, curve_residual_map,
                                            minimizer_band)
from lrtheory.dynamics.diagrams import orbit_diagram, plot_orbit_diagram
from lrtheory.dynamics.krawczyk import ball_str
from lrtheory.dynamics.lyapunov import lyapunov_exponents
from lrtheory.dynamics.orbits import (basin_fractions, find_periodic_orbits, real_periodic_points,
                                      same_orbit, search_periodic_orbits)
from lrtheory.dynamics.statistics import histogram_convergence
from lrtheory.numbers import nstr
from lrtheory.plotting import new_figure, plot_periodic_orbits
from lrtheory.precision import precision

H = sp.Rational(19, 10)
BOX = (-2.5, 2.5)
DPS = 50
#: Half-width of the band |xy − 1| < δ about the minimizer curve excluded from the
#: branch-and-bound completeness proof, and its depth limit and periods (quick, full).
DELTA = sp.Rational(1, 10)
BB_DEPTH = 40
BB_PERIODS = (2, 3)

BLOG8_STATEMENT = (
    r"For $f(x,y)=\tfrac12(1-xy)^2$ and GD $z_{k+1}=z_k-h\nabla f(z_k)$ with $h=1.9$: "
    r"``GD converges to orbits of period 2, 3 and 4, depending on the initial condition.'' "
    r"Checked: every periodic orbit of minimal period $p\le 4$ with all points in "
    r"$[-2.5,2.5]^2$ is found (Newton at 50 digits from seeded and grid starts), certified "
    r"(Krawczyk test on the multiple-shooting system in ball arithmetic) and classified "
    r"rigorously as attracting or repelling from certified enclosures of its multipliers; "
    r"completeness is proved exactly on the invariant lines $x=y$ and $x=-y$, and in the "
    r"whole box for periods $p\le 3$ ($p\le 2$ in quick mode) by branch and bound in ball "
    r"arithmetic; the minimizer "
    r"curve $xy=1$ (non-isolated fixed points) is classified analytically; the long-run "
    r"fate of a grid of starts is measured. The claim holds only if some orbit of period "
    r"2, 3 or 4 attracts an open set of initial conditions.")

BLOG9_STATEMENT = (
    r"Large-learning-rate GD can converge to a chaotic attractor rather than to a point. "
    r"Checked on $f(x,y)=\tfrac12(1-xy)^2$ at $h=1.9$ (the setting of BLOG-8). Proved: the "
    r"diagonal $x=y$ is invariant and GD on it is GD on $(t^2-1)^2/4$, "
    r"$t\mapsto t(1+h-ht^2)$; on it GD is chaotic in the topological sense for every "
    r"$h\in[15/8,31/16]$ (a certified orbit of period 3: orbits of every period, "
    r"topological entropy $\ge\log\frac{1+\sqrt5}{2}$), keeps $[-7/5,7/5]$ bounded and "
    r"has no attracting orbit of period $\le4$ there (the list of orbits proved "
    r"complete); the first period doublings of the route to chaos are certified. "
    r"Estimated, not proved: that a set of starts of positive measure converges to a "
    r"chaotic attractor — the same positive largest Lyapunov exponent from sampled starts "
    r"near the diagonal (QR method, float64, re-computed in mpmath at 30 digits), a "
    r"negative transverse exponent, an invariant histogram that converges as the run "
    r"lengthens — and that the ratios of the period-doubling cascade approach "
    r"Feigenbaum's $\delta$.")

#: GD on the diagonal x = y = t of (1 - xy)^2/2 is GD on this objective.
DOUBLE_WELL = "(x**2 - 1)**2/4"
#: The learning rates about h = 1.9 where the diagonal map is proved chaotic.
CHAOS_RATES = ("15/8", "31/16")


def _lines():
    """The GD map restricted to the invariant lines x = y = t and x = −y = s."""
    x, y = factorization_vector(1, 1).vars
    t = sp.Symbol("t", real=True)
    G = factorization_vector(1, 1).gd_map_exprs(H)
    diag = [sp.expand(e.subs({x: t, y: t})) for e in G]
    anti = [sp.expand(e.subs({x: t, y: -t})) for e in G]
    return t, diag, anti


# ---- BLOG-8 ----------------------------------------------------------------------------
def _minimizer_curve(ev: Evidence) -> None:
    """Fixed points on xy = 1: multipliers 1 (along the curve) and 1 − h(x² + y²)."""
    obj = factorization_vector(1, 1)
    x, y = obj.vars
    s = sp.Symbol("s", positive=True)
    Hs = obj.hessian.subs({x: s, y: 1 / s})
    eig = sorted(Hs.eigenvals(), key=lambda e: sp.count_ops(e))
    mult = sp.simplify(1 - H * (s**2 + s**-2))
    worst = sp.simplify(mult.subs(s, 1))
    bound_ok = sp.simplify(sp.diff(s**2 + s**-2, s).subs(s, 1)) == 0 and worst == 1 - 2 * H
    ev.formula("Hessian eigenvalues on the minimizer curve $(s, 1/s)$",
               r"\operatorname{spec}\nabla^2 f(s,1/s) = \{" + ", ".join(sp.latex(e) for e in eig)
               + r"\},\quad \mu = 1-h\left(s^2+s^{-2}\right) \le 1-2h = "
               + sp.latex(1 - 2 * H))
    ok = set(sp.simplify(e) for e in eig) == {0, sp.simplify(s**2 + s**-2)} and bound_ok
    ev.finding("Every fixed point on the minimizer curve $xy=1$ is linearly unstable at "
               "$h=1.9$: its multipliers are $1$ (along the curve) and "
               "$1-h(x^2+y^2)\\le 1-2h=-2.8$ (since $x^2+y^2\\ge 2xy=2$); so GD does not "
               "converge to a minimizer from an open set of starts.",
               "proved" if ok else "inconclusive", "symbolic",
               "Exact eigenvalues of the Hessian at (s, 1/s) by sympy; stability needs "
               "h(x^2+y^2) < 2, i.e. x^2+y^2 < 20/19 < 2.")
    ev.exact("minimizer_multiplier_bound", str(1 - 2 * H))


def _orbit_rows(orbits):
    rows = []
    for o in orbits:
        pts = "; ".join("(" + ", ".join(nstr(c, 8) for c in pt) + ")" for pt in o.points)
        cert = o.certificate
        mults = ", ".join(mpmath.nstr(m.real if hasattr(m, "real") else m, 8)
                          for m in o.multipliers)
        encl = ", ".join(ball_str(m.real, 10) for m in (cert.multipliers or [])) if cert else ""
        rows.append([o.period, pts, mults, encl,
                     {True: "attracting", False: "repelling", None: "undecided"}[o.stable],
                     "yes" if o.certified else "no"])
    return rows


def _on_line(o, sign) -> bool:
    """All points satisfy x = sign·y (to 30 digits; points carry 50)."""
    with precision(dps=o.dps + 10):
        return all(abs(pt[0] - sign * pt[1]) < mpmath.mpf(10) ** (-30) for pt in o.points)


def _line_completeness(ev: Evidence, orbits) -> bool:
    t, diag, anti = _lines()
    inv = sp.simplify(diag[0] - diag[1]) == 0 and sp.simplify(anti[0] + anti[1]) == 0
    rows, ok = [], inv
    for p in range(1, 5):
        n_diag = len(real_periodic_points(diag[0], t, p, BOX))
        n_anti = len(real_periodic_points(anti[0], t, p, BOX))
        if p == 1:
            n_diag -= 2  # t = ±1 lie on the minimizer curve: not isolated in the plane
        f_diag = sum(o.period for o in orbits if o.period == p and _on_line(o, 1))
        f_anti = sum(o.period for o in orbits if o.period == p and _on_line(o, -1))
        ok &= (f_diag == n_diag and f_anti == n_anti)
        rows.append([p, n_diag, f_diag, n_anti, f_anti])
    ev.table("Completeness on the invariant lines: points of minimal period $p$ (exact "
             "root isolation of $g^p(t)-t$ by FLINT) against points of the orbits found",
             ["$p$", "$x=y$: exact", "$x=y$: found", "$x=-y$: exact", "$x=-y$: found"], rows,
             note="On x = y the map is t -> t(1 + h - h t^2) (GD on (t^2-1)^2/4); on "
                  "x = -y it is s -> s(1 - h - h s^2). The fixed points t = ±1 belong to "
                  "the minimizer curve and are excluded from the isolated count.")
    ev.finding("On the invariant lines $x=\\pm y$ the search found every periodic point of "
               "period $\\le 4$ (counts equal the exact numbers of real roots of "
               "$g^p(t)-t$ in the box).", "proved" if ok else "refuted", "exact, interval",
               "FLINT certified complex root isolation of the exact rational polynomials.")
    return ok


def _curve_band(ev: Evidence):
    """Step 1: no periodic orbit other than the fixed points on xy = 1 lies in |xy − 1| < δ
    (:func:`~lrtheory.dynamics.completeness.minimizer_band`, with the closed form of the
    expansion factor shown).  Returns the certificate."""
    obj = factorization_vector(1, 1)
    lhs, rhs = curve_residual_map(obj, H)
    c = curve_expansion_bound(H, DELTA)
    band = minimizer_band(obj, H, BOX, DELTA)
    ok = sp.expand(lhs - rhs) == 0 and c > 1 and band.proved
    ev.formula("One GD step on $r=xy-1$ (exact) and the expansion bound on "
               f"$|r|<\\delta={sp.latex(DELTA)}$",
               r"r' = r\left(1-h(x^2+y^2)+h^2r(r+1)\right),\quad "
               r"|r'| \ge c|r|,\ c = 2h(1-\delta)-1-h^2\delta(1+\delta) = " + sp.latex(c))
    ev.finding("In the band $|xy-1|<1/10$ one GD step multiplies $r=xy-1$ by a factor of "
               f"modulus $\\ge c={c}>1$, so a periodic orbit with all points in the band has "
               "$r=0$: it consists of fixed points on $xy=1$. Every other periodic orbit in "
               "the box has a point outside the band.", "proved" if ok else "inconclusive",
               "symbolic, exact, interval", "r' identity expanded by sympy; bound from "
               "x^2 + y^2 >= 2|xy| = 2|1 + r| >= 2(1 - delta) and r(r + 1) < delta(1 + delta) "
               "in exact rationals; independently |phi| > 1 on the band by branch and bound "
               f"in balls ({band.boxes} boxes, {band.undecided} undecided).")
    return band if ok else None


def _box_completeness(ev: Evidence, res, band) -> int:
    """The search's branch-and-bound proofs over B minus the band: the orbit list is
    complete for small p."""
    band = band is not None
    proofs = [c.proof for c in res.coverage if c.proof is not None]
    rows = []
    for r in proofs:
        p = r.period
        ok = band and r.complete
        ev.exact(f"complete_period_{p}", ok)
        ev.exact(f"boxes_period_{p}", r.search.boxes)
        rows.append([p, r.known, len(r.matched), len(r.missing), r.search.boxes,
                     r.search.depth, len(r.search.undecided)])
        missing = "; ".join("(" + ", ".join(f"{c.mid:.10g}" for c in K) + ")"
                            for K in r.missing)
        plural = "s" if r.known != 1 else ""
        ev.finding(f"The list of isolated orbits of minimal period {p} in the box is complete "
                   f"({r.known} orbit{plural}).", "proved" if ok else "inconclusive", "interval",
                   f"Branch and bound over the box minus the band |xy - 1| < {DELTA} on the "
                   f"zeros of G^{p} - id in python-flint balls: {r.search.boxes} boxes, maximal "
                   f"depth {r.search.depth}, {len(r.search.undecided)} undecided; every box "
                   "was excluded (band, an image leaving the box, natural or mean-value form, "
                   "Krawczyk image disjoint) or holds a unique zero by the Krawczyk test; "
                   f"{len(r.matched)} of the {r.known} known orbits own such a zero, "
                   f"{len(r.missing)} zeros belong to no known orbit{': ' + missing if missing else ''}"
                   f", {len(r.unresolved)} unresolved.")
    ev.table("Completeness in the whole box by branch and bound (the band $|xy-1|<1/10$ "
             "excluded by the expansion bound)", ["$p$", "known orbits", "matched", "missing",
             "boxes", "max depth", "undecided"], rows,
             note="A zero is matched when the certified enclosure of a point of a known orbit "
                  "lies in the box where the Krawczyk test proved a unique zero of G^p - id.")
    return max(r.period for r in proofs)


def _coverage_table(ev: Evidence, res) -> None:
    rows = [[c.period, c.starts, c.found, c.classes, ", ".join(map(str, c.frequencies)),
             c.symmetric, f"{c.estimate:.1f}", f"{c.interval[1]:g}", c.complete]
            for c in res.coverage]
    ev.table("Coverage of the orbit search per period: uniform starts, orbits found, their "
             "symmetry classes, classes reached by exactly one and two starts, orbits added "
             "as images under the symmetries of f, the estimated number of orbits, a "
             "one-sided 95% upper bound, and completeness",
             ["p", "starts", "found", "classes", "f1, f2", "by symmetry", "estimate",
              "95% upper", "complete"], rows,
             note="'proved': branch and bound below; 'estimated': a statistical bound "
                  "(lrtheory.dynamics.coverage) under the sampling model, not a proof.")


def _blog8_search(ev: Evidence, ctx, band):
    obj = factorization_vector(1, 1)
    prove = BB_PERIODS[0 if ctx.quick else 1] if band is not None else 0
    ctx.progress(f"BLOG-8: orbit search, Krawczyk certification, branch and bound for "
                 f"periods <= {prove}")
    res = search_periodic_orbits(obj, H, 4, BOX, starts=2000, dps=DPS, seed=0, certify=True,
                                 prove=prove, excluded=band.region(obj) if band else None,
                                 prove_depth=BB_DEPTH)
    orbits = res.orbits
    if not ctx.quick:
        other = search_periodic_orbits(obj, H, 4, BOX, starts=6000, dps=DPS, seed=1)
        same = sum(any(same_orbit(a.points, b.points, 1e-20) for b in orbits)
                   for a in other.orbits)
        ev.exact("orbits_found_second_search", len(other.orbits),
                 "independent search: seed 1, 6000 starts at period 1")
        ev.finding("A second, independent search (seed 1, 6000 starts at period 1, "
                   "doubling with each period) finds the same orbits.",
                   "confirmed" if same == len(other.orbits) == len(orbits) else "inconclusive",
                   "mpmath", f"{len(other.orbits)} orbits, {same} of them among the "
                   f"{len(orbits)} of the first search")
    by_p = {p: [o for o in orbits if o.period == p] for p in range(1, 5)}
    for p, os_ in by_p.items():
        ev.exact(f"isolated_orbits_period_{p}", len(os_))
    ev.exact("orbits_certified", sum(o.certified for o in orbits))
    ev.exact("orbits_attracting", sum(o.stable is True for o in orbits))
    ev.note(f"{len(res.non_isolated_points(1))} Newton runs converged to non-isolated fixed "
            "points (the minimizer curve xy = 1, treated analytically above); Krawczyk "
            "needs isolated zeros, so these are not certified individually.")
    ev.table("Isolated periodic orbits of minimal period $\\le 4$ in $[-2.5,2.5]^2$ "
             "(points to 8 digits; computed at 50 digits)",
             ["p", "points", "multipliers", "certified enclosures (real part ± radius)",
              "stability", "certified"], _orbit_rows(orbits))
    all_cert = all(o.certified for o in orbits)
    n_att = sum(o.stable is True for o in orbits)
    ev.finding(f"{len(orbits)} isolated periodic orbits of minimal period $\\le 4$ found "
               f"({', '.join(f'{len(v)} of period {p}' for p, v in by_p.items())}); each is "
               "certified by a Krawczyk test (existence, local uniqueness, minimal period) and "
               f"{len(orbits) - n_att} are rigorously repelling (a certified multiplier with "
               "$|\\mu|>1$).", "proved" if all_cert else "inconclusive", "interval",
               "Krawczyk operator on the multiple-shooting system F(Z) = (G(z_i) - z_{i+1}) "
               "in python-flint balls at ~50 digits, box half-width 1e-25; multipliers "
               "enclosed by acb_mat.eig of the ball product of DG_h along the boxes. "
               "Completeness off the invariant lines: proved for small periods by branch and "
               "bound (below), numerical (Newton from seeded starts) for the others.")
    return obj, res, all_cert, n_att


def _blog8_basins(ev: Evidence, ctx, obj, orbits):
    grid, steps = (41, 2000) if ctx.quick else (161, 4000)
    ctx.progress(f"BLOG-8: basins on a {grid}x{grid} grid")
    b = basin_fractions(obj, float(H), orbits, BOX, grid=grid, steps=steps)
    fr = b["fractions"]
    rows = [[k, f"{v:.4f}"] for k, v in fr.items()]
    rows.append(["on one of the orbits found", f"{sum(b['orbit_fractions']):.4f}"])
    periodic = fr["periodic (other)"] + sum(b["orbit_fractions"])
    ends = [lab["limit"] for lab in b["labels"] if lab["label"] == "aperiodic"]
    on_diag = sum(abs(x - y) < 1e-8 for x, y in ends) / max(1, len(ends))
    rows.append(["aperiodic tails on the diagonal (|x - y| < 1e-8)", f"{on_diag:.4f}"])
    ev.approx("aperiodic_tails_on_diagonal", on_diag, rel_tol=0, abs_tol=0.01)
    ev.table(f"Long-run fate of a {grid}x{grid} grid of starts in $[-2.5,2.5]^2$ "
             f"(float64, {steps} steps, tail classification)", ["fate", "fraction"], rows,
             note="'converged' are grid points lying exactly on the minimizer curve xy = 1 "
                  "or on the anti-diagonal x = -y (the stable set of the saddle at 0); "
                  "'aperiodic' are bounded non-periodic tails (the attractor of BLOG-9).")
    ev.approx("basin_fraction_periodic", periodic, rel_tol=0, abs_tol=0.01)
    ev.approx("basin_fraction_aperiodic", fr["aperiodic"], rel_tol=0.05, abs_tol=0.01)
    ev.approx("basin_fraction_diverged", fr["diverged"], rel_tol=0.02, abs_tol=0.01)
    return periodic, fr, on_diag


#: Learning rates where GD on (1 − xy)²/2 has attracting orbits of period 2, 4 and 3 (on the
#: diagonal: inside (1, √5 − 1), (√5 − 1, h_3 ≈ 1.28803) and the period-3 window that opens
#: by a fold at h ≈ 1.450441 — see BLOG-9's cascade and the fold in the tests).
OTHER_RATES = ("11/10", "127/100", "1451/1000")


def _other_rates(ev: Evidence, ctx):
    """Where the claimed periods do attract: certified attracting orbits at other h."""
    obj = factorization_vector(1, 1)
    rows, periods = [], set()
    grid, steps = (41, 2000) if ctx.quick else (101, 4000)
    for h in OTHER_RATES:
        ctx.progress(f"BLOG-8: attracting orbits at h = {h}")
        orbits = find_periodic_orbits(obj, h, 4, BOX, starts=200 if ctx.quick else 1000,
                                      dps=30, certify=True)
        attracting = [o for o in orbits if o.stable is True and o.certified]
        basins = basin_fractions(obj, float(sp.Rational(h)), attracting, BOX, grid=grid,
                                 steps=steps)["orbit_fractions"]
        for o, frac in zip(attracting, basins):
            periods.add(o.period)
            rows.append([h, o.period, "; ".join("(" + ", ".join(mpmath.nstr(c, 8) for c in pt)
                                                + ")" for pt in o.points),
                         ", ".join(mpmath.nstr(m.real if hasattr(m, "real") else m, 8)
                                   for m in o.multipliers), f"{frac:.4f}"])
    ev.table("Certified attracting orbits of GD on $(1-xy)^2/2$ at other learning rates "
             "(30 digits, Krawczyk-certified, all multipliers enclosed inside the unit disc) "
             f"and the fraction of a {grid}x{grid} grid of starts in $[-2.5,2.5]^2$ that "
             "converges to each", ["h", "p", "points", "multipliers", "basin"], rows,
             note="At h = 11/10 the multipliers are 3 - 2h = 0.8 (transverse) and "
                  "9 - 2(1+h)^2 = 0.18 (along the diagonal), as derived by hand.")
    ev.exact("attracting_periods_at_other_rates", ",".join(map(str, sorted(periods))))
    fracs = [float(r[4]) for r in rows] or [0.0]
    ev.finding("Attracting orbits of period 2, 4 and 3 do exist for this $f$, but at other "
               "learning rates: certified at $h=1.1$ (period 2), $h=1.27$ (period 4) and "
               "$h=1.451$ (period 3), each a pair of symmetric orbits on the diagonal.",
               "proved" if periods == {2, 3, 4} else "inconclusive", "interval",
               "Same search and Krawczyk certification as at h = 1.9. Measured in float64 "
               f"(not proved): each attracts a fraction {min(fracs):.3f} to {max(fracs):.3f} "
               "of the grid of starts.")


def _orbit_figure(obj, orbits):
    fig, ax = new_figure(5.0, 5.0)
    s = np.linspace(0.4, 2.5, 200)
    for sign in (1, -1):
        ax.plot(sign * s, sign / s, color="red", lw=0.8)
    plot_periodic_orbits(orbits, ax=ax)
    tail = obj.numpy.run([0.3, 0.31], float(H), 4000)[1000:]
    ax.plot(tail[:, 0], tail[:, 1], ".", ms=1, color="k", label="attractor")
    handles = {h.get_label(): h for h in ax.get_lines()
               if h.get_label().startswith(("period", "attractor"))}
    ax.legend(handles.values(), handles.keys(), fontsize=7)
    ax.set_xlim(*BOX)
    ax.set_ylim(*BOX)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return fig


@claim("BLOG-8", title="Periodic orbits of GD on (1-xy)^2/2 at h = 1.9",
       statement=BLOG8_STATEMENT)
def check_blog8(ctx) -> Evidence:
    ev = Evidence(summary="", precision="50 digits (mpmath Newton), ~50-digit balls "
                  "(python-flint) for certification; float64 for basins",
                  tolerance="Krawczyk inclusion K(X) in int X; basin classification tol 1e-9")
    _minimizer_curve(ev)
    band = _curve_band(ev)
    obj, res, all_cert, n_att = _blog8_search(ev, ctx, band)
    orbits = res.orbits
    complete = _line_completeness(ev, orbits)
    max_p = _box_completeness(ev, res, band)
    _coverage_table(ev, res)
    periodic, fr, on_diag = _blog8_basins(ev, ctx, obj, orbits)
    _other_rates(ev, ctx)
    ev.figure(ctx.save_figure(_orbit_figure(obj, orbits), "orbits",
                              "Periodic orbits of period <= 4 of GD at h = 1.9 (all certified "
                              "repelling), the minimizer curve xy = 1 and 3000 iterates of the "
                              "attractor on the diagonal."))
    attracting_p234 = [o for o in orbits if o.stable is True and o.period in (2, 3, 4)]
    refuted = all_cert and not attracting_p234 and periodic == 0
    ev.finding("The claim as written (GD at $h=1.9$ converges to orbits of period 2, 3 and 4 "
               "depending on the initial condition) is false for $f=(1-xy)^2/2$: no orbit of "
               "period 2, 3 or 4 in the box attracts (all are certified repelling, so each "
               "attracts at most its measure-zero stable set), and no grid start converged "
               f"to a periodic orbit; a fraction {fr['aperiodic']:.3f} of the starts stays "
               f"bounded without converging (a fraction {on_diag:.3f} of those ends on the "
               f"diagonal $x=y$, where the chaotic attractor of BLOG-9 lives) and a fraction "
               f"{fr['diverged']:.3f} diverges.",
               "refuted" if refuted else "inconclusive", "interval, float64",
               "Rigorous part: repelling certificates of every orbit found. Numerical part: "
               "grid of starts in float64. Completeness of the orbit list off the lines "
               f"x = +-y is proved only for periods <= {max_p} (branch and bound).")
    ev.summary = (f"{len(orbits)} isolated orbits of period <= 4, all certified repelling "
                  f"({'complete on x = +-y' if complete else 'line counts differ'}); the "
                  "minimizer curve is unstable; no start converges to a periodic orbit: "
                  "the claim as written is refuted. Attracting orbits of period 2, 4, 3 "
                  "exist at h = 1.1, 1.27, 1.451 instead.")
    return ev


# ---- BLOG-9 ----------------------------------------------------------------------------
def _blog9_lyapunov(ev: Evidence, ctx, obj):
    """Lyapunov spectra from seeded starts near the diagonal (an estimate: a sample of
    starts and of steps); returns (a sentence for the evidence, whether they agree)."""
    m, steps = (16, 5000) if ctx.quick else (256, 50000)
    X = np.random.default_rng(9).uniform(-1.3, 1.3, size=(m, 2))
    X[:, 1] = X[:, 0] + np.random.default_rng(10).uniform(-0.05, 0.05, size=m)
    ctx.progress(f"BLOG-9: Lyapunov spectra from {m} starts, {steps} steps")
    r = lyapunov_exponents(obj, float(H), X, steps, transient=1000)
    ok = ~r["diverged"]
    lam = r["exponents"][ok]
    sem = np.std(lam[:, 0]) / np.sqrt(len(lam))
    mp_steps = 1000 if ctx.quick else 20000
    with precision(dps=30):
        r_mp = lyapunov_exponents(obj, "1.9", X[ok][:2], mp_steps, transient=1000,
                                  backend="mpmath")
    r_fl = lyapunov_exponents(obj, float(H), X[ok][:2], mp_steps, transient=1000)
    # each 2-start mean has the statistical error sigma_N / sqrt(2); their difference
    # (independent: chaotic orbits decorrelate) about sigma_N, with sigma_N the spread of
    # single-start exponents after mp_steps steps (scaled from the float64 ensemble)
    diff = np.abs(r_mp["exponents"].mean(0) - r_fl["exponents"].mean(0))
    stat = np.std(lam, axis=0) * np.sqrt(steps / mp_steps)
    ratio = float(np.max(diff / stat))
    rows = [[k, f"{v:.5f}"] for k, v in r["running"][-6:]]
    ev.table("Running estimate of $\\lambda_1$ (mean over bounded starts)", ["steps", "lambda_1"], rows)
    ev.table("Lyapunov spectrum", ["quantity", "lambda_1", "lambda_2"], [
        ["mean over starts (float64)", f"{r['mean'][0]:.5f}", f"{r['mean'][1]:.5f}"],
        ["spread (max - min) over starts", f"{r['spread'][0]:.5f}", f"{r['spread'][1]:.5f}"],
        [f"mpmath 30 digits, 2 starts, {mp_steps} steps", *[f"{v:.5f}" for v in r_mp["exponents"].mean(0)]],
        [f"float64, same 2 starts, {mp_steps} steps", *[f"{v:.5f}" for v in r_fl["exponents"].mean(0)]]])
    ev.approx("lyapunov_lambda1", float(r["mean"][0]), rel_tol=0.01,
              note="about 5 standard errors of the mean over starts")
    ev.approx("lyapunov_lambda2", float(r["mean"][1]), rel_tol=0.03)
    positive = r["mean"][0] > 10 * max(sem, r["spread"][0] / 2) and np.all(lam[:, 0] > 0)
    agree = positive and ratio < 4 and r["mean"][1] < 0
    return (f"largest Lyapunov exponent {r['mean'][0]:.4f} from {ok.sum()} bounded starts of "
            f"{m} (spread {r['spread'][0]:.4f}, standard error {sem:.1e}; "
            f"{'every one positive' if positive else 'NOT all clearly positive'}), transverse "
            f"exponent {r['mean'][1]:.4f}; mpmath at 30 digits agrees within "
            f"{ratio:.1f} statistical standard deviations"
            f"{'' if agree else ' (the estimates do not agree as expected)'}; QR of tangent "
            f"maps, {steps} steps after a 1000-step transient, seeded starts in the strip "
            "|x - y| < 0.05, |x| < 1.3"), agree


def _blog9_histogram(ev: Evidence, ctx, obj):
    lengths = [10**4, 4 * 10**4, 16 * 10**4] if ctx.quick else [10**4, 10**5, 10**6]
    ctx.progress("BLOG-9: invariant histogram")
    hc = histogram_convergence(obj, float(H), [[0.3, 0.31], [-0.7, -0.69]], lengths,
                               bins=40, rng=(-1.4, 1.4))  # an estimate from two runs
    ev.table("Invariant histogram of $x_k$: total-variation distance between the two starts "
             "and to the longest run", ["steps", "TV(start 1, start 2)", "TV(to longest)"],
             [[n, f"{a:.4f}", f"{b:.4f}"] for n, a, b in zip(lengths, hc["tv_between"],
                                                             hc["tv_to_last"])])
    dec = all(a > b for a, b in zip(hc["tv_between"], hc["tv_between"][1:]))
    ev.approx("histogram_tv_between_starts_longest", hc["tv_between"][-1], rel_tol=0.5,
              abs_tol=0.01)
    return (f"histograms of two starts approach each other as the run lengthens (TV "
            f"{hc['tv_between'][0]:.3f} -> {hc['tv_between'][-1]:.3f}; 40 bins on "
            "[-1.4, 1.4])"), dec and hc["tv_between"][-1] < 0.05


def _blog9_cascade(ev: Evidence, ctx):
    n = 8 if ctx.quick else 12
    ctx.progress(f"BLOG-9: period-doubling cascade on the diagonal, {n} points")
    r = period_doubling_cascade(double_well(1), 1, 1, n, dps=DPS)
    # precision escalation: the same cascade at 20 more digits must agree to ~DPS digits
    r_hi = period_doubling_cascade(double_well(1), 1, 1, n, dps=DPS + 20)
    with precision(dps=DPS + 20):
        change = max(abs(a.lr - b.lr) for a, b in zip(r.bifurcations, r_hi.bifurcations))
    ev.note(f"Cascade recomputed at {DPS + 20} digits: the h_k move by at most "
            f"{mpmath.nstr(change, 3)}.")
    rows = [[b.period, mpmath.nstr(b.lr, 25)] for b in r.bifurcations]
    ev.table("Period doublings of $t\\mapsto t(1+h-ht^2)$ (GD on the diagonal $x=y$): "
             "period $p\\to 2p$ at $h_k$ (50 digits)", ["p", "h_k"], rows)
    ev.table("Feigenbaum ratios $\\delta_k=(h_k-h_{k-1})/(h_{k+1}-h_k)$",
             ["k", "delta_k"], [[k + 2, mpmath.nstr(d, 12)] for k, d in enumerate(r.ratios)])
    ev.approx("feigenbaum_delta_estimate", float(r.delta), rel_tol=1e-9,
              note="deterministic 50-digit computation")
    ev.approx("cascade_accumulation_h", float(r.accumulation), rel_tol=1e-8)
    ok = r.regular and r.deviation <= 10 * r.delta_error + 1e-12 \
        and change < mpmath.mpf(10) ** (-(DPS - 5))
    ev.finding(f"On the diagonal the first {n} period doublings h_1 < ... < h_{n} "
               f"(explicit points, tabulated) accumulate near "
               f"$h_\\infty\\approx{mpmath.nstr(r.accumulation, 10)}<1.9$; the "
               f"extrapolated ratio $\\delta\\approx{mpmath.nstr(r.delta, 12)}$ (error "
               f"estimate {r.delta_error:.1e}) agrees with Feigenbaum's "
               f"$\\delta=4.6692016091\\ldots$ (deviation {r.deviation:.1e}). That the "
               "ratios converge to delta is a limit over all doublings: not decided here.",
               "confirmed" if ok else "inconclusive", "mpmath",
               "Extended system (G^p(x) = x, (G^p)'(x) = -1) by Newton at 50 digits, "
               f"recomputed at {DPS + 20} digits (max change {mpmath.nstr(change, 3)}); "
               "Aitken extrapolation of the ratios; error = change between the last two "
               "extrapolations.")
    return r


#: The diagonal statements of BLOG-9 in the claim language: a repelling orbit of period 3
#: (chaos by Sharkovskii), an invariant interval, no attracting orbit of period <= 4 (the
#: list proved complete by exact elimination), and the first two period doublings.
BLOG9_PARTS = (
    expect.periodic_orbit(DOUBLE_WELL, "x", lr="19/10", period=3, stable=False),
    expect.gd_bounded(DOUBLE_WELL, "x", lr="19/10", start_box=[["-7/5", "7/5"]]),
    expect.no_attracting_orbit(DOUBLE_WELL, "x", lr="19/10", max_period=4,
                               box=["-7/5", "7/5"]),
    expect.bifurcation(DOUBLE_WELL, "x", lr_range=["9/10", "11/10"], type="period-doubling",
                       period=1, value="1"),
    expect.bifurcation(DOUBLE_WELL, "x", lr_range=["6/5", "5/4"], type="period-doubling",
                       period=2, value="sqrt(5) - 1"),
)


@claim("BLOG-9", title="GD converges to a chaotic attractor", statement=BLOG9_STATEMENT)
def check_blog9(ctx) -> Evidence:
    return expect.all_of(
        _blog9_chaos, *BLOG9_PARTS,
        summary="On the invariant diagonal GD at h = 1.9 is proved chaotic (period 3, entropy "
                ">= log golden ratio, for every h in [15/8, 31/16]), bounded, without "
                "attracting orbits of period <= 4; convergence of a positive-measure set of "
                "starts to a chaotic attractor is estimated (Lyapunov exponents, histogram), "
                "not proved.")


def _diagonal_facts(ev: Evidence) -> bool:
    """The diagonal is invariant and carries GD on (t^2 - 1)^2/4; u = x - y obeys
    u' = u(1 - h(1 - xy)) exactly, so the diagonal is not uniformly attracting."""
    obj = factorization_vector(1, 1)
    x, y = obj.vars
    t, diag, _ = _lines()
    G = obj.gd_map_exprs(H)
    dw = sp.expand(t - H * sp.diff((t**2 - 1)**2 / 4, t))
    inv = sp.expand(diag[0] - diag[1]) == 0 and sp.expand(diag[0] - dw) == 0
    ev.finding("The diagonal $x=y$ is invariant under GD on $(1-xy)^2/2$, where the map is "
               "$t\\mapsto t(1+h-ht^2)$ = GD on $(t^2-1)^2/4$.",
               "proved" if inv else "refuted", "symbolic")
    u_next = sp.expand(G[0] - G[1] - (x - y) * (1 - H * (1 - x * y)))
    mu = lambda v: 1 - H * (1 - v**2)  # noqa: E731 - the transverse multiplier at (v, v)
    crit = sp.sqrt((1 + H) / (3 * H))
    top = sp.nsimplify(crit * (1 + H - H * crit**2))
    ok = u_next == 0 and mu(1) == 1 and sp.N(mu(top)) > 2
    ev.formula("Transverse dynamics of $u=x-y$", r"u_{k+1} = u_k\left(1-h(1-x_ky_k)\right)")
    ev.finding("No neighbourhood of the diagonal segment |t| <= 7/5 is attracted to it: the "
               "transverse multiplier 1 - h(1 - t^2) at (t, t) is 1 at t = +-1, where the "
               "curve xy = 1 of fixed points crosses the diagonal (fixed points (s, 1/s) "
               "arbitrarily close to (1, 1) never approach it), and "
               f"{sp.N(mu(top), 4)} > 1 at the critical value t = {sp.N(top, 6)} of the "
               "diagonal map; attraction to the diagonal can only hold for a set of starts, "
               "on average along orbits", "proved" if ok else "refuted", "symbolic",
               "u_{k+1} - u_k(1 - h(1 - x_k y_k)) expanded to 0 by sympy")
    return inv


def _diagonal_chaos(ev: Evidence, ctx) -> None:
    """The certified atlas of the diagonal map over CHAOS_RATES: a parametric Krawczyk
    certificate of an orbit whose period is not a power of two for every h of each box."""
    from lrtheory.atlas import atlas
    ctx.progress("BLOG-9: certified atlas of the diagonal map about h = 1.9")
    res = atlas(DOUBLE_WELL, "x", lr_range=CHAOS_RATES, boxes=2 if ctx.quick else 4,
                max_period=3 if ctx.quick else 6, max_depth=1)
    ev.table("Certified atlas of the diagonal map t -> t(1 + h - ht^2)", ["h from", "h to",
             "class", "period", "entropy >=", "unique"], res.table(),
             note="chaotic: an orbit of minimal period not a power of two certified by a "
                  "parametric Krawczyk test for every h of the box (lrtheory.atlas)")
    chaotic = res.measure("chaotic")
    lo, hi = (sp.Rational(v) for v in CHAOS_RATES)
    total = hi - lo
    entropy = min((b.entropy_lower for b in res.boxes if b.label == "chaotic"), default=None)
    shown = None if entropy is None else math.floor(entropy * 10**4) / 10**4  # rounded down
    ev.exact("diagonal_chaotic_measure", str(chaotic), "proved measure of chaotic rates")
    if entropy is not None:
        ev.approx("diagonal_entropy_lower_bound", entropy, rel_tol=1e-9)
    whole = sp.Rational(chaotic.numerator, chaotic.denominator) == total
    ev.finding(f"For every h in [{CHAOS_RATES[0]}, {CHAOS_RATES[1]}] (h = 1.9 included) GD on "
               "the diagonal has a certified periodic orbit whose period is not a power of "
               "two: by Sharkovskii's theorem it has periodic orbits of every period, and its "
               f"topological entropy is at least {shown} (Block, Guckenheimer, Misiurewicz "
               "& Young)" if whole else f"GD on the diagonal is proved chaotic on a measure "
               f"{chaotic} of the {total} rates about 1.9; undecided: the rest",
               "proved" if whole else "inconclusive", "interval",
               "parametric Krawczyk test with h enclosed by the ball of each box")


def _blog9_chaos(ctx) -> Evidence:
    """The diagonal facts and its certified chaos, the estimated attractor (Lyapunov
    exponents, histogram) stated as undecided, and the cascade."""
    ev = Evidence(precision="exact and python-flint balls (diagonal); float64 and mpmath 30 "
                            "digits (Lyapunov); 50 digits (cascade)",
                  tolerance="mpmath vs float64 exponents within 4 statistical scales; "
                            "histogram TV < 0.05 at the longest run")
    obj = factorization_vector(1, 1)
    _diagonal_facts(ev)
    _diagonal_chaos(ev, ctx)
    lyap, lyap_ok = _blog9_lyapunov(ev, ctx, obj)
    hist, hist_ok = _blog9_histogram(ev, ctx, obj)
    ev.finding("A set of starts of positive measure converges to a chaotic attractor (typical "
               "orbits approach the diagonal and have a positive Lyapunov exponent): "
               "estimated, not proved", "inconclusive", "float64, mpmath",
               f"Estimates{' (consistent)' if lyap_ok and hist_ok else ' (NOT consistent)'}: "
               f"{lyap}; {hist}. Undecided: the whole set of starts, e.g. the sampled strip "
               "(area 0.26) — finite runs from seeded starts are a sample of starts and of "
               "steps; on the diagonal itself an attracting orbit of period > 4 at h = 1.9 "
               "(a periodic window) is not excluded, so a positive Lyapunov exponent of "
               "almost every t is not proved either. Earlier versions called this part "
               "'confirmed' from the same samples.")
    r = _blog9_cascade(ev, ctx)
    if not ctx.quick:
        hs = np.linspace(0.9, 2.0, 700)
        d = orbit_diagram(double_well(1), hs, [[0.3]], transient=1500, keep=150)
        ax = plot_orbit_diagram(d, "t", {f"$h_{k + 1}$": b.lr for k, b in
                                         enumerate(r.bifurcations[:3])} | {"h = 1.9": 1.9})
        ev.figure(ctx.save_figure(ax, "orbit-diagram", "Orbit diagram of GD on the diagonal "
                                  "x = y of (1-xy)^2/2 (the cubic map t -> t(1+h-ht^2)); "
                                  "vertical lines: the first period doublings (computed at 50 digits) and h = 1.9."))
    ev.summary = ("At h = 1.9, GD on (1-xy)^2/2 is proved chaotic on the invariant diagonal "
                  "(period 3, positive entropy) and bounded there; that a positive-measure "
                  "set of starts converges to a chaotic attractor is estimated (positive "
                  "Lyapunov exponent, negative transverse exponent, converging histogram), "
                  "not proved; a Feigenbaum period-doubling cascade leads there.")
    return ev
