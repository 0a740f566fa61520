"""REG-1..REG-5: the product family ℓ(xy) under large-learning-rate GD.

Only the abstract of Wang, Xu, Zhao, Tao (JMLR 2025) is available; every check below is
lrtheory's quantitative reading of it, on f(x, y) = ℓ(xy) with µ = 1 and the losses of
:data:`lrtheory.catalogue.LOSSES` (pseudo-Huber and log cosh are the "good regularity"
losses: bounded ℓ′; quadratic and quartic are the contrast).  The checks share, cached
per process, a float64 sweep over a grid of h and fixed-seed starts (measurements) and
the runs from the same starts at the same rates, taken exactly, certified in ball
arithmetic (:func:`lrtheory.stability.regularity.certified_run`): convergence to a
minimizer, the limit's sharpness, gap and imbalance, catapult episodes and a linear rate.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from lrtheory import expect
from lrtheory.catalogue import LOSSES
from lrtheory.certify.gd_sets import prove_over_sets
from lrtheory.certify.sets import PointSet, box, interval
from lrtheory.claims import Evidence, claim
from lrtheory.plotting import new_figure
from lrtheory.stability.regularity import (SUBQUADRATIC, box_starts, certified_run,
                                           family_objective, loss_expr,
                                           minimizer_hessian_identity, minimizer_region,
                                           near_minimizer_starts, regularity_profile,
                                           replay_mpmath, run_family, sharpness)

MU = 1
H_GRID = (0.25, 0.3, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95)
READING = (r"\emph{Our reading of the abstract} of Wang--Xu--Zhao--Tao (only the abstract "
           r"is available), on $f(x,y)=\ell(xy)$, $\mu=1$, $\ell\in\{$pseudo-Huber "
           r"$\sqrt{1+(s-\mu)^2}-1$, $\log\cosh(s-\mu)\}$ (bounded $\ell'$), with the quadratic "
           r"$\frac12(s-\mu)^2$ and quartic as contrast; GD $z_{k+1}=z_k-h\nabla f(z_k)$ for "
           r"$h\in\{0.25,\dots,0.95\}<1/\mu$ from fixed-seed unbalanced starts with "
           r"$|x_0|\in[3.5,6]$, $x_0y_0-\mu\in[-0.4\mu,0.4\mu]$. ")


def _starts(quick: bool) -> dict:
    """The listed fixed-seed starts: near the minimizer set ("near", d = 1), uniform in
    [-6, 6]^2 ("box") and, in full mode, near the minimizer set for d = 2 ("vec")."""
    n = 6 if quick else 16
    out = {"near": near_minimizer_starts(n, 1, MU, seed=0), "box": box_starts(n, 1, seed=1)}
    if not quick:
        out["vec"] = near_minimizer_starts(n, 2, MU, 2)
    return out


@lru_cache(maxsize=2)
def _sweep(quick: bool) -> dict:
    """{(loss, h): [StartResult]} for the near-minimizer starts and every loss (float64
    measurements), the starts and the run length."""
    steps = 1500 if quick else 4000
    starts = _starts(quick)["near"]
    near = {(loss, h): run_family(loss, h, starts, steps, MU) for loss in LOSSES
            for h in H_GRID}
    return {"near": near, "starts": starts, "steps": steps}


def _shared(compute, what: str, ctx, ev: Evidence) -> dict:
    """``compute(ctx.quick)`` (cached per process), noting in the evidence when it was
    computed by an earlier REG check of this run (its time is then counted there)."""
    hits = compute.cache_info().hits
    value = compute(ctx.quick)
    if compute.cache_info().hits > hits:
        ev.note(f"The {what} computed once for this run by an earlier REG check "
                "and reused here; its running time is counted there.")
    return value


def _shared_sweep(ctx, ev: Evidence) -> dict:
    """The GD sweep of :func:`_sweep`, shared by the REG checks of a run."""
    return _shared(_sweep, "GD sweep was", ctx, ev)


def _converged(results):
    return [r for r in results if r.label == "converged"]


def _median(vals):
    vals = [v for v in vals if np.isfinite(v)]
    return float(np.median(vals)) if vals else float("nan")


def _escalation(ev: Evidence, sweep: dict, loss: str, h: float) -> bool:
    """Replay one float64 run in mpmath at 30 and 60 digits; compare limit and gap."""
    r = next(r for r in sweep["near"][(loss, h)] if r.label == "converged")
    runs = [replay_mpmath(loss, h, r.x0, sweep["steps"], MU, dps) for dps in (30, 60)]
    d_prec = abs(runs[0].gap - runs[1].gap)
    d_f64 = abs(runs[1].gap - r.gap)
    d_lim = max(abs(a - b) for a, b in zip(runs[1].limit, r.limit))
    ev.table(f"Precision escalation: {loss}, h = {h}, start {np.round(r.x0, 4).tolist()}",
             ["arithmetic", "gap 2/h - S_inf", "limit"],
             [["float64", f"{r.gap:.12g}", np.round(r.limit, 10).tolist()]] +
             [[f"mpmath {q.dps} digits", f"{q.gap:.12g}", np.round(q.limit, 10).tolist()]
              for q in runs])
    ev.approx(f"gap_mp60_{loss}_h{h}", runs[1].gap, rel_tol=1e-6)
    ok = d_prec < 1e-12 and d_f64 < 1e-6 and d_lim < 1e-6
    ev.note(f"Escalation {loss}, h={h}: |gap(30)-gap(60)| = {d_prec:.1e}, "
            f"|gap(float64)-gap(60)| = {d_f64:.1e}, max limit difference {d_lim:.1e}.")
    return ok


def _sharpness_figure(ctx, ev, h: float = 0.55):
    """Sharpness along one run per loss with the 2/h line (quick runs too: cheap)."""
    fig, ax = new_figure()
    start = near_minimizer_starts(1, 1, MU, seed=0)
    for loss in LOSSES:
        obj = family_objective(loss, MU, 1)
        S = sharpness(obj, obj.numpy.run(start, h, 300))[:, 0]
        S[~(np.isfinite(S) & (S < 1e8))] = np.nan  # a diverged run leaves the plot
        ax.semilogy(S, label=loss, lw=1)
    ax.axhline(2 / h, color="k", ls="--", lw=1, label="2/h")
    ax.set_ylim(0.5, 1e8)
    ax.set_xlabel("iteration k")
    ax.set_ylabel("sharpness")
    ax.legend(fontsize=7)
    ev.figure(ctx.save_figure(fig, "sharpness", f"Sharpness of GD iterates, h = {h}, start "
                                                f"{np.round(start[0], 3).tolist()}"))


# ---- certified runs (REG-1, REG-3, REG-4, REG-5) -------------------------------------------
#: The grid of h as exact decimals (the certified runs use these rates exactly).
H_EXACT = tuple(sp.Rational(str(h)) for h in H_GRID)


@lru_cache(maxsize=2)
def _certified(quick: bool) -> dict:
    """{(starts, loss, h): [CertifiedRun]} for the bounded-l' losses at the exact rates of
    the grid from the starts of :func:`_starts` (floats are exact binary rationals)."""
    return {(name, loss, h): [certified_run(loss, h, [sp.Rational(float(c)) for c in x0], MU,
                                            tighten=1e-9 if quick else 1e-12)
                              for x0 in starts]
            for name, starts in _starts(quick).items() for loss in SUBQUADRATIC
            for h in H_EXACT}


def _shared_certified(ctx, ev: Evidence) -> dict:
    """The certified runs of :func:`_certified`, shared by the REG checks of a run."""
    return _shared(_certified, "certified runs were", ctx, ev)


def _certified_rows(runs: dict, name: str) -> tuple[list, list]:
    """Table rows per (loss, h) of the certified runs of one start set, and the runs that
    were not certified."""
    rows, missing = [], []
    for loss in SUBQUADRATIC:
        for h in H_EXACT:
            rs = runs[(name, loss, h)]
            ok = [r for r in rs if r.proved]
            beyond = sum(bool(r.sharpness) and bool(r.sharpness[0][0] * h > 2) for r in rs)
            missing += [r for r in rs if not r.proved]
            rows.append([loss, str(h), f"{beyond}/{len(rs)}", f"{len(ok)}/{len(rs)}",
                         max((r.entered for r in ok), default="-"),
                         f"{max((r.trap.q for r in ok), default=float('nan')):.4f}"])
    return rows, missing


# ---- REG-1 --------------------------------------------------------------------------------
@claim("REG-1", title="Global convergence of large-LR GD for good regularity",
       statement=READING + r"Claims checked, for both bounded-$\ell'$ losses: (i) GD converges "
       r"to a minimizer ($x_\infty y_\infty=\mu$) from each listed start at each $h$ of the "
       r"grid (taken exactly, $h=1/4,3/10,\dots,19/20$) although $h>2/L_0$, "
       r"$L_0=\lambda_{\max}\nabla^2 f(z_0)$ (near-minimizer starts); also from the listed "
       r"fixed-seed starts in $[-6,6]^2$ and (full mode) for $\ell(x^\top y)$, "
       r"$x,y\in\mathbb R^2$; (ii) from the first near-minimizer start for every "
       r"$h\in[1/4,19/20]$; (iii) global: from almost every start of $[-6,6]^2$ at "
       r"$h=1/2$. Not from every start: on the anti-diagonal $y=-x$, invariant under GD, the "
       r"orbit converges to the saddle $(0,0)$ for every $h\in(0,1)$. The regularity (growth "
       r"exponent of $|\ell'|$) is measured; quadratic and quartic runs are reported as "
       r"contrast, and (full mode) the range of $h$ with convergence for $\mu=1/4$ is measured "
       r"as a limit of this reading.")
def check_reg1(ctx) -> Evidence:
    return expect.all_of(
        _reg1_instances, _reg1_sets, *REG1_ANTIDIAGONAL,
        summary="GD on l(xy) with bounded l': convergence to a minimizer proved in balls for "
                "each listed (start, h); over an interval of h and over a box of starts the "
                "undecided part is measured; the anti-diagonal converges to the saddle.")


#: On the anti-diagonal y = -x GD on pseudo-Huber l(xy) is GD on g(x) = l(-x^2)/2
#: (x' = x + h l'(-x^2) x): it converges to the saddle x = 0 for every h of the interval.
REG1_ANTIDIAGONAL = (
    expect.throughout(expect.gd_converges("(sqrt(1 + (x**2 + 1)**2) - 1)/2", "x", lr="1/2",
                                          starts=[["1"], ["6"]], to=["0"]),
                      lr_range=["1/4", "19/20"]),
)


def _reg1_instances(ctx) -> Evidence:
    """Convergence to a minimizer from each listed start at each h of the grid, certified in
    balls; the measured regularity and the float64 sweep of the contrast losses."""
    ev = Evidence(summary="GD on l(xy) over a grid of large h: convergence per loss",
                  precision="Arb balls (128 bits) through the reduced map; float64 sweep "
                            "(mpmath 30/60 digits for the escalation)",
                  tolerance="certified: a normal-contraction trap (q < 1) entered")
    ctx.progress("REG-1: regularity profiles")
    prof_rows = []
    for loss in LOSSES:
        p = regularity_profile(loss, MU)
        prof_rows.append([loss, str(p.ell2_at_mu), str(p.dell_at_infinity),
                          f"{p.growth_exponent:.3f}"])
        ev.approx(f"growth_exponent_{loss}", p.growth_exponent, rel_tol=1e-3, abs_tol=1e-3)
    ev.table("Measured regularity: |l'(mu + r)| ~ r^p fitted on r in [10, 1e4]",
             ["loss", "l''(mu)", "lim l'(s), s -> inf", "growth exponent p"], prof_rows)
    ctx.progress("REG-1: certified runs")
    runs = _shared_certified(ctx, ev)
    ev.formula("reduced map", r"s'=s-h\ell'(s)N+h^2\ell'(s)^2s,\quad "
                              r"N'=N-4h\ell'(s)s+h^2\ell'(s)^2N,\quad s=x^\top y,\ "
                              r"N=\|x\|^2+\|y\|^2")
    titles = {"near": "near-minimizer starts", "box": "fixed-seed starts in [-6, 6]^2",
              "vec": "l(x.y), x, y in R^2, near-minimizer starts"}
    for name in ("near", "box", "vec"):
        if not any(k[0] == name for k in runs):
            continue
        rows, missing = _certified_rows(runs, name)
        ev.table(f"Certified runs, {titles[name]}: 'h L0 > 2' from the ball enclosure of "
                 "the sharpness at the start (d = 1); trap entered at the step shown, "
                 "contraction q of s - mu there",
                 ["loss", "h", "h L0 > 2", "converges to a minimizer", "max entry step",
                  "max q"], rows)
        n = sum(len(runs[k]) for k in runs if k[0] == name)
        ev.exact(f"certified_{name}", f"{n - len(missing)}/{n}")
        ev.finding(f"GD converges to a minimizer from each of the {titles[name]} at each h "
                   "of the grid (each run certified: its ball orbit enters a trap where "
                   "|s - mu| contracts by q < 1 and N stays bounded, so the steps are summable)",
                   "proved" if not missing else "inconclusive", "interval",
                   detail="not certified: " + ", ".join(
                       f"{r.loss} h={r.h} from {[float(c) for c in r.x0]}" for r in missing[:5])
                   if missing else "")
    beyond = [r for h in H_EXACT for loss in SUBQUADRATIC for r in runs[("near", loss, h)]
              if r.sharpness and bool(r.sharpness[0][0] * h > 2)]
    n_near = sum(len(runs[("near", loss, h)]) for loss in SUBQUADRATIC for h in H_EXACT)
    ev.finding("every near-minimizer (start, h) has h > 2/L0 (ball enclosure of L0)",
               "proved" if len(beyond) == n_near else "refuted", "interval",
               detail=f"{len(beyond)} of {n_near}")
    _reg1_float_sweep(ctx, ev)
    return ev


def _reg1_float_sweep(ctx, ev: Evidence) -> None:
    """The float64 sweep of every loss (the contrast losses included), reported as
    measurements; its agreement with a 30/60-digit replay is a note."""
    sweep = _shared_sweep(ctx, ev)
    rows = []
    for loss in LOSSES:
        for h in H_GRID:
            res = sweep["near"][(loss, h)]
            labels = {lab: sum(r.label == lab for r in res) for lab in
                      ("converged", "periodic", "aperiodic", "diverged")}
            rows.append([loss, h, f"{sum(r.sharp0 * h > 2 for r in res)}/{len(res)}",
                         len([r for r in _converged(res) if r.residual < 1e-9]),
                         labels["diverged"], labels["periodic"] + labels["aperiodic"]])
    ev.table("Float64 sweep (measured), near-minimizer starts: outcome per loss and h",
             ["loss", "h", "h > 2/L0", "converged to minimizer", "diverged",
              "periodic/aperiodic"], rows)
    n_conv = {loss: sum(len(_converged(sweep["near"][(loss, h)])) for h in H_GRID)
              for loss in LOSSES}
    total = len(sweep["starts"]) * len(H_GRID)
    for loss in LOSSES:
        ev.exact(f"converged_{loss}", f"{n_conv[loss]}/{total}")
    esc = _escalation(ev, sweep, "pseudo_huber", 0.55)
    ev.note("The float64 sweep is a measurement (the certified runs above decide (i)); one "
            "of its runs " + ("agrees" if esc else "does NOT agree") + " with its 30 and "
            "60-digit replay.")
    ev.note(f"Contrast: quadratic converges in {n_conv['quadratic']}/{total} and quartic in "
            f"{n_conv['quartic']}/{total} float64 runs of the same grid; they diverge once "
            "h L0 is large (unbounded l'), which is what good regularity prevents.")
    if not ctx.quick:
        _small_mu_range(ctx, ev)
    _sharpness_figure(ctx, ev)


def _reg1_sets(ctx) -> Evidence:
    """(ii) every h of [1/4, 19/20] from one start and (iii) almost every start of
    [-6, 6]^2 at h = 1/2, by branch and bound with the normal-contraction trap; the
    anti-diagonal's invariance and its orbits' limit, exactly."""
    ev = Evidence(summary="REG-1 over sets of rates and starts",
                  precision="Arb balls (128 bits); sympy", tolerance="exact / rigorous")
    _reg1_antidiagonal(ev)
    budget = 40 if ctx.quick else 600
    start = tuple(sp.Rational(float(c)) for c in _starts(ctx.quick)["near"][0])
    for loss in (("pseudo_huber",) if ctx.quick else SUBQUADRATIC):
        ctx.progress(f"REG-1: every h in [1/4, 19/20], {loss}")
        proof = prove_over_sets(family_objective(loss, MU, 1), interval(["1/4", "19/20"]),
                                PointSet([start]), "converges", max_boxes=budget,
                                regions=(minimizer_region(loss, MU, 1),))
        _set_finding(ev, proof, f"{loss}: GD converges to a minimizer from "
                     f"{[float(c) for c in start]} for every h in [1/4, 19/20]",
                     f"undecided_rates_{loss}", 0.7)
    ctx.progress("REG-1: almost every start of [-6, 6]^2, h = 1/2")
    proof = prove_over_sets(family_objective("pseudo_huber", MU, 1), interval(["1/2", "1/2"]),
                            box([["-6", "6"], ["-6", "6"]], 2), "converges", max_boxes=budget,
                            regions=(minimizer_region("pseudo_huber", MU, 1),))
    _set_finding(ev, proof, "pseudo_huber, h = 1/2: GD converges to a minimizer from almost "
                 "every start of [-6, 6]^2", "undecided_starts_pseudo_huber", 144.0)
    ev.note("Earlier versions were confirmed from float64 runs at the sampled (start, h) "
            "pairs, reading 'from every start of [-6, 6]^2' off fixed-seed samples of the box "
            "and 'large h' off the grid. Now each listed (start, h) is proved in balls; the "
            "statement over the box is read for almost every start, since the anti-diagonal "
            "is a proved set of starts whose orbits end at the saddle; over the interval of h "
            "and over the box the part not decided is measured, so the verdict is "
            "inconclusive.")
    return ev


def _set_finding(ev: Evidence, proof, statement: str, key: str, total: float) -> None:
    """The finding of a proof over a set: proved, refuted (a certified counterexample box
    with a named rate and start), or inconclusive with the undecided measure."""
    ev.approx(key, proof.undecided_measure, rel_tol=0.05, abs_tol=1e-3)
    if proof.verdict == "proved":
        ev.finding(statement, "proved", "interval", detail=f"{proof.holds} boxes, each "
                   f"certified: {'; '.join(proof.certificates[:2])}")
    elif proof.verdict == "refuted":
        h, x, why = proof.fails[0]
        ev.finding(statement, "refuted", "interval", detail=f"counterexample h = {h}, start "
                   f"{[str(c) for c in x]}: {why}")
    else:
        sides = list(zip(*proof.undecided))           # per coordinate: (lo, hi) of each box
        spans = " x ".join(f"[{min(lo for lo, _ in s):.6g}, {max(hi for _, hi in s):.6g}]"
                           for s in sides)
        ev.finding(statement, "inconclusive", "interval",
                   detail=f"no counterexample box; {proof.holds} boxes certified (normal-"
                          f"contraction trap), undecided measure {proof.undecided_measure:.3g} "
                          f"of {total:g} in (h, start) coordinates, in {len(proof.undecided)} "
                          f"boxes within (h, start) in {spans}. Orbits "
                          "through the catapult are sensitive to h and x0, so the boxes that "
                          "a ball orbit follows are tiny; near the anti-diagonal the orbit "
                          "lingers at the saddle.")


def _reg1_antidiagonal(ev: Evidence) -> None:
    """y = -x is invariant (exactly) and on it |x_{k+1}| <= (1 + h l'(0))|x_k|: every such
    orbit converges to the saddle (0, 0), for both bounded-l' losses and every h in (0, 1)."""
    x, h = sp.symbols("x h", real=True)
    for loss in SUBQUADRATIC:
        obj = family_objective(loss, MU, 1)
        (X, Y), (gx, gy) = obj.vars, obj.gradient
        sub = {X: x, Y: -x}
        invariant = sp.simplify((x - h * gx.subs(sub)) + (-x - h * gy.subs(sub))) == 0
        ell, s = loss_expr(loss, MU)
        d1 = sp.diff(ell, s)
        at0 = sp.simplify(d1.subs(s, 0))
        increasing = sp.simplify(sp.diff(ell, s, 2)).is_positive is True   # l'' > 0 on R
        bounded = sp.limit(d1, s, -sp.oo) == -1        # so l' > -1 on R
        ok = invariant and bool(at0 < 0) and bounded and increasing
        ev.finding(f"{loss}: the anti-diagonal y = -x is invariant and every orbit on it "
                   "converges to the saddle (0, 0) (x_{k+1} = x_k(1 + h l'(-x_k^2)) with "
                   f"-1 < l'(-x^2) <= l'(0) = {at0} < 0, so 0 <= 1 + h l' <= 1 + h l'(0) < 1 "
                   "for h in (0, 1)): GD does not converge to a minimizer from every start",
                   "proved" if ok else "inconclusive", "symbolic")


def _small_mu_range(ctx, ev, mu=0.25, hs=(0.5, 1.0, 1.25, 1.5, 2.0, 3.0, 3.9)):
    """How far the convergent range of h reaches when stable minimizers exist up to
    h = 1/µ = 4 (µ = 1/4): measured, reported as a limit of the reading (full mode)."""
    ctx.progress("REG-1: range of h for mu = 1/4")
    starts = near_minimizer_starts(8, 1, mu, seed=0)
    rows = []
    for loss in SUBQUADRATIC:
        for h in hs:
            res = run_family(loss, h, starts, 3000, mu)
            labels = [r.label for r in res]
            rows.append([loss, h, labels.count("converged"), labels.count("diverged"),
                         len(res) - labels.count("converged") - labels.count("diverged")])
    ev.table(f"mu = {mu}: stable minimizers exist for h < 1/mu = {1 / mu:g}; outcome of GD "
             "from near-minimizer starts", ["loss", "h", "converged", "diverged", "other"], rows)
    n = len(starts)
    all_conv = [h for h in hs if all(r[2] == n for r in rows if r[1] == h)]
    all_div = [h for h in hs if all(r[3] == n for r in rows if r[1] == h)]
    ev.note(f"Limit of the reading: with mu = {mu} both bounded-l' losses converge from every "
            f"start only up to h = {max(all_conv, default=float('nan'))} and diverge from "
            f"every start from h = {min(all_div, default=float('nan'))} on, although stable "
            f"minimizers exist up to h = {1 / mu:g}. In the far field l' -> +-1 and the GD map "
            "is linear with multiplier 1 - h on the invariant diagonal, so h < 2/sup|l'| is "
            "necessary: the large-LR convergence range is bounded by the saturation of l', "
            "not only by 1/mu. The checked statement is for mu = 1.")


# ---- REG-2 --------------------------------------------------------------------------------
@claim("REG-2", title="Edge of stability: limit sharpness just below 2/h",
       statement=READING + r"At a minimizer the Hessian is $\ell''(\mu)vv^\top$, $v=(y,x)$ "
       r"(proved symbolically), so the limit's sharpness is $S_\infty=x_\infty^2+y_\infty^2\in"
       r"[2\mu,2/h]$. Claims checked: (a) every limit has $S_\infty\le 2/h$; (b) the relative "
       r"EoS gap $1-hS_\infty/2$ of the bounded-$\ell'$ losses is smaller than the quadratic "
       r"loss's on every (start, $h$) where both converge; (c) the gap tends to $0$ as $h$ "
       r"grows, in the non-trivial sense that the median relative gap decreases along the "
       r"$h$ grid (the absolute gap is forced to $0$ as $h\to1/\mu$ by $S_\infty\ge2\mu$).")
def check_reg2(ctx) -> Evidence:
    ev = Evidence(summary="EoS gap 2/h - S_inf of GD limits per loss and h",
                  precision="float64; sympy for the minimizer Hessian; mpmath 30/60 escalation",
                  tolerance="S_inf <= 2/h + 1e-9")
    for loss in ("quadratic", "pseudo_huber", "logcosh"):
        ident = minimizer_hessian_identity(loss, MU, 1)
        ev.finding(f"{loss}: Hessian on xy = mu equals l''(mu) v v^T, sharpness "
                   f"{ident.sharpness_on_set}", "proved" if ident.residual_zero
                   else "inconclusive", "symbolic")
    ident2 = minimizer_hessian_identity("pseudo_huber", MU, 2)
    ev.finding("pseudo_huber, d = 2: Hessian on x.y = mu equals l''(mu) v v^T", "proved"
               if ident2.residual_zero else "inconclusive", "symbolic")
    sweep = _shared_sweep(ctx, ev)
    near = sweep["near"]
    rows, stable, med = [], True, {}
    for loss in LOSSES:
        for h in H_GRID:
            conv = _converged(near[(loss, h)])
            stable &= all(r.sharp_limit <= 2 / h + 1e-9 for r in conv)
            rg = [r.rel_gap for r in conv]
            med[(loss, h)] = _median(rg)
            window = 2 / h - 2 * MU
            rows.append([loss, h, len(conv), f"{_median([r.gap for r in conv]):.4g}",
                         f"{med[(loss, h)]:.4g}", f"{max(rg):.4g}" if rg else "-",
                         f"{_median([r.gap / window for r in conv]):.3g}"])
    ev.table("EoS gap per loss and h (medians over converged starts); 'edge fraction' = "
             "gap/(2/h - 2 mu): 0 at the edge, 1 at the flattest (balanced) minimizer",
             ["loss", "h", "converged", "gap", "rel. gap 1 - h S/2", "max rel. gap",
              "edge fraction"], rows)
    ev.finding("(a) every converged limit has S_inf <= 2/h", "confirmed" if stable else
               "refuted", "float64")
    pairs, wins = 0, 0
    for h in H_GRID:
        quad = {tuple(r.x0): r for r in _converged(near[("quadratic", h)])}
        for loss in SUBQUADRATIC:
            for r in _converged(near[(loss, h)]):
                q = quad.get(tuple(r.x0))
                if q is not None:
                    pairs += 1
                    wins += r.rel_gap < q.rel_gap
    ev.exact("paired_runs_subquadratic_gap_smaller", f"{wins}/{pairs}")
    ev.finding("(b) bounded-l' relative gap smaller than quadratic's on the same (start, h)",
               "inconclusive" if pairs == 0 else ("confirmed" if wins == pairs else "refuted"),
               "float64", detail=f"{wins} of {pairs} paired runs")
    for loss in SUBQUADRATIC:
        series = [med[(loss, h)] for h in H_GRID]
        gaps = [_median([r.gap for r in _converged(near[(loss, h)])]) for h in H_GRID]
        decreasing = all(b <= a for a, b in zip(series, series[1:]))
        ev.finding(f"(c) {loss}: median relative gap decreases along the h grid",
                   "confirmed" if decreasing else "refuted", "float64",
                   detail="median 1 - h S_inf/2 per h: " +
                          ", ".join(f"{h}: {v:.3f}" for h, v in zip(H_GRID, series)) +
                          "; median absolute gap 2/h - S_inf: " +
                          ", ".join(f"{h}: {v:.3f}" for h, v in zip(H_GRID, gaps)))
        for h in (0.35, 0.55, 0.95):
            ev.approx(f"rel_gap_{loss}_h{h}", med[(loss, h)], rel_tol=1e-3, abs_tol=1e-6)
    ev.approx("rel_gap_quadratic_h0.25", med[("quadratic", 0.25)], rel_tol=1e-3, abs_tol=1e-6)
    overall = []
    for loss in LOSSES:
        conv = [r for h in H_GRID for r in _converged(near[(loss, h)])]
        overall.append(f"{loss}: " + (f"{_median([r.rel_gap for r in conv]):.3f} "
                                      f"(range {min(r.rel_gap for r in conv):.3f}.."
                                      f"{max(r.rel_gap for r in conv):.3f}, {len(conv)} runs)"
                                      if conv else "no converged run"))
    ev.note("Measured EoS gaps, median relative gap 1 - h S_inf/2 over all converged runs of "
            "the grid: " + "; ".join(overall) + ".")
    esc = _escalation(ev, sweep, "logcosh", 0.45)
    ev.finding("float64 gap reproduced at 30 and 60 digits", "confirmed" if esc else
               "inconclusive", "mpmath")
    fig, ax = new_figure()
    for loss in LOSSES:
        ys = [med[(loss, h)] for h in H_GRID]
        ax.plot(H_GRID, ys, "o-", label=loss, ms=3)
    ax.plot(H_GRID, [1 - h * MU for h in H_GRID], "k--", lw=1, label=r"max: $1-h\mu$")
    ax.set_xlabel("h")
    ax.set_ylabel(r"median relative gap $1-hS_\infty/2$")
    ax.legend(fontsize=7)
    ev.figure(ctx.save_figure(fig, "gap-vs-h", "EoS gap of the GD limit against h per loss"))
    return ev


# ---- REG-3 --------------------------------------------------------------------------------
@claim("REG-3", title="Balancing: |x_inf| close to |y_inf| under large h",
       statement=READING + r"Claims checked for the bounded-$\ell'$ losses, from each listed "
       r"near-minimizer start at each $h$ of the grid (taken exactly): the limit imbalance "
       r"$\bigl||x_\infty|-|y_\infty|\bigr|$ is below the initial imbalance, obeys the "
       r"stability bound $(|x_\infty|-|y_\infty|)^2<2/h-2\mu$, and its median over the "
       r"listed starts decreases strictly along the grid (larger $h$, more balance). Limits "
       r"are enclosed in balls; the statement for other starts or rates between the grid "
       r"points is not decided.")
def check_reg3(ctx) -> Evidence:
    return expect.all_of(
        _reg3_balancing, *REG3_SPECTRA,
        summary="Limits of GD on l(xy) enclosed in balls: more balanced than the start, within "
                "the stability bound, and more balanced as h grows along the grid; at a "
                "minimizer the sharpness is (|x| - |y|)^2 + 2 mu (exactly).")


#: At a minimizer of l(xy) (mu = 1, l''(1) = 1) the Hessian is vv^T, v = (y, x): its
#: eigenvalues are x^2 + y^2 = (|x| - |y|)^2 + 2 and 0 — 17/4 at (2, 1/2), 257/16 at
#: (4, 1/4) — which ties the imbalance of a limit to its sharpness.
REG3_SPECTRA = (
    expect.hessian_spectrum("sqrt(1 + (x*y - 1)**2) - 1", "x,y", at=["2", "1/2"],
                            equals=["17/4", "0"]),
    expect.hessian_spectrum("log(cosh(x*y - 1))", "x,y", at=["4", "1/4"],
                            equals=["257/16", "0"]),
)


def _reg3_balancing(ctx) -> Evidence:
    """The imbalance of the certified limits against the start, the stability bound and h."""
    ev = Evidence(summary="Imbalance of GD limits per loss and h",
                  precision="Arb balls (128 bits) through the reduced map; float64 for the "
                            "contrast losses",
                  tolerance="rigorous enclosures of the limits")
    runs = _shared_certified(ctx, ev)
    rows, below, bound, med = [], True, True, {}
    for loss in SUBQUADRATIC:
        for h in H_EXACT:
            rs = runs[("near", loss, h)]
            ok = [r for r in rs if r.proved]
            init = [abs(abs(r.x0[0]) - abs(r.x0[1])) for r in ok]
            below &= len(ok) == len(rs) and all(bool(r.imbalance[1] < i)
                                                for r, i in zip(ok, init))
            bound &= all(bool(r.n_limit[1] < 2 / h) for r in ok)
            med[(loss, h)] = (_median([r.imbalance[0] for r in ok]),
                              _median([r.imbalance[1] for r in ok]))
            rows.append([loss, str(h), f"{len(ok)}/{len(rs)}",
                         f"{_median([float(i) for i in init]):.4g}",
                         f"[{med[(loss, h)][0]:.10g}, {med[(loss, h)][1]:.10g}]",
                         f"{np.sqrt(max(2 / float(h) - 2 * MU, 0)):.4g}"])
    ev.table("Imbalance ||x_inf| - |y_inf|| = sqrt(N_inf - 2 mu), enclosure of the median "
             "over the listed starts (certified limits)",
             ["loss", "h", "certified", "initial (median)", "limit (median)",
              "bound sqrt(2/h - 2 mu)"], rows)
    ev.finding("every limit is more balanced than its start and within the stability bound "
               "(N_inf < 2/h: the trap's contraction |1 - h N_inf| <= q < 1)",
               "proved" if below and bound else "inconclusive", "interval")
    for loss in SUBQUADRATIC:
        series = [med[(loss, h)] for h in H_EXACT]
        ok = all(b[1] < a[0] for a, b in zip(series, series[1:]))
        ev.finding(f"{loss}: the median imbalance over the listed starts decreases strictly "
                   "along the grid (each median's upper bound below the previous lower bound)",
                   "proved" if ok else ("refuted" if any(b[0] > a[1] for a, b in
                                                         zip(series, series[1:]))
                                        else "inconclusive"), "interval",
                   detail=", ".join(f"{h}: {v[0]:.4f}" for h, v in zip(H_EXACT, series)))
        ev.approx(f"imbalance_{loss}_h0.95", sum(series[-1]) / 2, rel_tol=1e-3, abs_tol=1e-8)
    near = _shared_sweep(ctx, ev)["near"]
    quad = {h: _median([abs(r.imbalance) for r in _converged(near[("quadratic", h)])])
            for h in H_GRID}
    ev.note("Contrast (float64, measured): median imbalance of the quadratic loss's converged "
            "runs per h: " + ", ".join(f"{h}: {v:.3g}" for h, v in quad.items()) + ".")
    ev.note("On xy = mu the gap and the imbalance are tied exactly: "
            "2/h - S_inf = 2/h - 2 mu - (|x_inf| - |y_inf|)^2, so a limit at the edge of "
            "stability is the most unbalanced stable one and a balanced limit is the "
            "furthest from the edge.")
    ev.note("Earlier versions checked these inequalities on float64 limits of the same runs "
            "(confirmed from the sample); the limits are now enclosed in balls.")
    return ev


# ---- REG-4 --------------------------------------------------------------------------------
@claim("REG-4", title="Catapults: loss rises then falls while the sharpness drops below 2/h",
       statement=READING + r"A catapult episode is a step $a$ with $S_a>2/h$, a later step "
       r"where the loss is at least $2\times$ its value at $a$, and a still later step $e$ "
       r"where the loss is at most its value at $a$ and $S_e<2/h$. Claims checked on the "
       r"listed near-minimizer starts at the $h$ of the grid (taken exactly): catapult "
       r"episodes occur in GD runs of each bounded-$\ell'$ loss beyond $2/L_0$, and these "
       r"runs converge to a minimizer (the catapult is followed by convergence, not "
       r"divergence); other starts and rates between the grid points are not decided.")
def check_reg4(ctx) -> Evidence:
    return expect.all_of(
        _reg4_catapults, *REG4_BEYOND,
        summary="Catapult episodes certified in balls along GD runs of l(xy) that start beyond "
                "2/L0, each followed by certified convergence to a minimizer.")


#: A start of the catapult runs beyond the stability threshold: at (5, 1/4) the sharpness
#: of pseudo-Huber l(xy) exceeds 2/h for every h >= 9/20 of the grid (it is about 22.9).
REG4_BEYOND = (
    expect.sharpness("sqrt(1 + (x*y - 1)**2) - 1", "x,y", at=["5", "1/4"], at_least="40/9"),
)


def _reg4_catapults(ctx) -> Evidence:
    """Catapult episodes whose inequalities hold for the ball enclosures, and convergence."""
    ev = Evidence(summary="Catapult episodes along certified GD runs",
                  precision="Arb balls (128 bits) through the reduced map",
                  tolerance="rise factor 2; every inequality of an episode holds for the "
                            "whole ball")
    runs = _shared_certified(ctx, ev)
    rows, hits, conv_after = [], {}, True
    example = None
    for loss in SUBQUADRATIC:
        for h in H_EXACT:
            rs = runs[("near", loss, h)]
            eps = [(r, _certified_catapults(r)) for r in rs]
            with_cat = [(r, c) for r, c in eps if c]
            hits[loss] = hits.get(loss, 0) + len(with_cat)
            conv_after &= all(r.proved for r, _ in with_cat)
            if example is None and with_cat:
                example = with_cat[0]
            peak = max((c.loss_peak / c.loss_start for _, cs in with_cat for c in cs),
                       default=float("nan"))
            rows.append([loss, str(h), f"{len(with_cat)}/{len(rs)}",
                         sum(len(c) for _, c in eps), f"{peak:.3g}",
                         sum(r.proved for r, _ in with_cat)])
    ev.table("Certified catapult episodes per loss and h",
             ["loss", "h", "runs with catapult", "episodes", "max loss rise factor",
              "of which converge (certified)"], rows)
    n_runs = len(runs[("near", SUBQUADRATIC[0], H_EXACT[0])]) * len(H_EXACT)
    for loss in SUBQUADRATIC:
        ev.exact(f"runs_with_catapult_{loss}", f"{hits[loss]}/{n_runs}")
    found = all(hits[loss] > 0 for loss in SUBQUADRATIC)
    ev.finding("catapult episodes occur for each bounded-l' loss beyond 2/L0, and each run "
               "with one converges to a minimizer", "proved" if found and conv_after else
               "inconclusive", "interval", detail=f"runs with a certified catapult: {hits}")
    if example is not None:
        r, (c, *_) = example
        ev.note(f"Example ({r.loss}, h = {r.h}, start {[round(float(v), 4) for v in r.x0]}): "
                f"loss {c.loss_start:.3g} at step {c.start} (S = {c.sharp_start:.3g} > 2/h) "
                f"rises to {c.loss_peak:.3g} at step {c.peak} and is back at step {c.end} "
                f"with S = {c.sharp_end:.3g} < 2/h; the run enters the minimizer trap at step "
                f"{r.entered}.")
    near = _shared_sweep(ctx, ev)["near"]
    contrast = {loss: sum(bool(r.catapults) for h in H_GRID for r in near[(loss, h)])
                for loss in LOSSES if loss not in SUBQUADRATIC}
    for loss, n in contrast.items():
        ev.exact(f"runs_with_catapult_{loss}", f"{n}/{n_runs}")
    ev.note("Contrast (float64, measured): runs with a catapult episode " +
            ", ".join(f"{loss}: {n}/{n_runs}" for loss, n in contrast.items()) +
            " (unbounded l': most of these runs diverge).")
    ev.note("Earlier versions detected the episodes on float64 runs (confirmed from the "
            "sample); here each episode's inequalities hold for the ball enclosures.")
    return ev


def _certified_catapults(run) -> list:
    """The catapult episodes of a certified run whose inequalities hold for the enclosures
    (episodes located on the midpoints by :func:`lrtheory.stability.detectors.catapults`)."""
    from lrtheory.stability.detectors import catapults
    if not run.sharpness:
        return []
    L, S = np.array(run.losses), np.array(run.sharpness)
    thr = 2 / run.h
    out = []
    for c in catapults(L.mean(axis=1), S.mean(axis=1), float(run.h), 2.0):
        if bool(S[c.start][0] > thr) and L[c.peak][0] >= 2 * L[c.start][1] and \
                L[c.end][1] <= L[c.start][0] and bool(S[c.end][1] < thr):
            out.append(c)
    return out


# ---- REG-5 --------------------------------------------------------------------------------
@claim("REG-5", title="Non-asymptotic convergence rate under large LR",
       statement=READING + r"The abstract announces an explicit non-asymptotic rate but not "
       r"its form, so the bound itself cannot be checked. Claims checked on the listed "
       r"near-minimizer starts at the $h$ of the grid (taken exactly), for the bounded-$\ell'$ "
       r"losses: after a finite transient of $K$ steps GD obeys an explicit non-asymptotic "
       r"linear bound $f_k\le\frac{M}{2}e^2q^{2(k-K)}$ ($k\ge K$; $K,e,q<1,M$ certified per "
       r"run), and the per-step factor of the loss tends to the linearization's "
       r"$(1-hS_\infty)^2$ (enclosed). The float64 fit of the factor is reported as a "
       r"measurement; other starts and rates between the grid points are not decided.")
def check_reg5(ctx) -> Evidence:
    return expect.all_of(
        _reg5_rate, *REG5_SHARPNESS,
        summary="An explicit linear bound on the loss after a certified transient, per run; "
                "the asymptotic factor (1 - h S_inf)^2 with S_inf = l''(mu)(x^2 + y^2) at the "
                "limit (exactly 2 mu at the balanced minimizer).")


#: The factor (1 - h S_inf)^2 uses the sharpness of the limit, l''(1)(x^2 + y^2): 2 at the
#: balanced minimizer (1, 1) (the fastest rate, (1 - 2h)^2), 82/9 at (-3, -1/3).
REG5_SHARPNESS = (
    expect.sharpness("log(cosh(x*y - 1))", "x,y", at=["1", "1"], equals="2"),
    expect.sharpness("sqrt(1 + (x*y - 1)**2) - 1", "x,y", at=["-3", "-1/3"], equals="82/9"),
)


def _reg5_rate(ctx) -> Evidence:
    """The certified linear bound per run and the enclosed asymptotic factor."""
    ev = Evidence(summary="Certified linear rate vs the linearization at the limit",
                  precision="Arb balls (128 bits) through the reduced map; float64 fit",
                  tolerance="rigorous enclosures")
    runs = _shared_certified(ctx, ev)
    rows, ok = [], True
    for loss in SUBQUADRATIC:
        for h in H_EXACT:
            rs = runs[("near", loss, h)]
            good = [r for r in rs if r.proved and r.first is not None]
            ok &= len(good) == len(rs)
            rho = [((1 - h * r.n_limit[1]) ** 2, (1 - h * r.n_limit[0]) ** 2) for r in good]
            rows.append([loss, str(h), f"{len(good)}/{len(rs)}",
                         max((r.entered for r in good), default="-"),
                         f"{max((r.first.q for r in good), default=float('nan')):.4f}",
                         f"{_median([float(min(a, b)) for a, b in rho]):.6g}",
                         f"{max((float(abs(a - b)) for a, b in rho), default=float('nan')):.1e}"])
    ev.table("Certified linear bound f_k <= (M/2) e^2 q^(2(k-K)) per loss and h, and the "
             "asymptotic factor (1 - h S_inf)^2 (median over the listed starts; the widest "
             "enclosure)",
             ["loss", "h", "certified", "max K", "max q", "(1 - h S_inf)^2", "enclosure width"],
             rows)
    ev.finding("from each listed start at each h of the grid the loss obeys a certified "
               "linear bound after a finite transient K, and its per-step factor tends to "
               "(1 - h S_inf)^2 = (1 - h l''(mu) N_inf)^2",
               "proved" if ok else "inconclusive", "interval")
    _reg5_fit(ctx, ev)
    ev.note("The rate (1 - h S_inf)^2 = (1 - h gap)^2 (for h S_inf near 2) tends to 1 as the "
            "limit approaches the edge: convergence at the edge of stability is slow.")
    ev.note("Earlier versions fitted the rate on float64 runs only (confirmed from the "
            "sample); the bound is now certified per run and the fit is a measurement.")
    return ev


def _reg5_fit(ctx, ev: Evidence) -> None:
    """The float64 fit of the linear factor against the linearization (a measurement)."""
    near = _shared_sweep(ctx, ev)["near"]
    worst = 0.0
    for loss in SUBQUADRATIC:
        for h in H_GRID:
            fits = [r.rate for r in _converged(near[(loss, h)]) if r.rate]
            worst = max([worst] + [abs(f.log_ratio - 1) for f in fits])
    ev.approx("worst_rate_deviation_subquadratic", worst, rel_tol=0.5, abs_tol=1e-3)
    ev.note(f"Measured (float64): the factor fitted on 1e-24 <= f_k <= 1e-6 agrees with "
            f"(1 - h S_inf)^2 to |log rho_fit / log rho_pred - 1| <= {worst:.2e} over the "
            "bounded-l' runs of the grid.")
