"""Kong & Tao, "Stochasticity of deterministic gradient descent" (NeurIPS 2020): KT-1..KT-5.

All checks use the model problem of the slides, f(x) = f₀(x) + ε sin(x/ε) (σ² = 1/2), with
f₀ = x²/2 (KT-1, 2, 3, 5) or a tilted double well (KT-4), and the library in
:mod:`lrtheory.multiscale`.  Statements over intervals of rates and boxes of starts are
proved in ball arithmetic in the scaled coordinate u = x/ε (:data:`SCALED`); chaos is
stated at named rates; limits in η (KT-3, KT-4) are compared at finitely many rates, which
decides nothing about them.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from flint import arb

from lrtheory import expect
from lrtheory.certify.cycles import attracting_cycle_over_rates
from lrtheory.certify.gd_sets import ball_image, stationary_enclosures
from lrtheory.certify.sets import interval
from lrtheory.claims import Evidence, claim
from lrtheory.dynamics.bifurcations import CERTIFY_MAX_PERIOD, certify_bifurcation
from lrtheory.dynamics.diagrams import orbit_diagram
from lrtheory.expect.base import objective_arg
from lrtheory.multiscale.gibbs import (GibbsLaw, bounded_noise_variance, distances,
                                       gibbs_variance_quadratic)
from lrtheory.multiscale.large_deviations import occupation_exponent
from lrtheory.multiscale.model import Multiscale
from lrtheory.multiscale.noise import noise_law
from lrtheory.multiscale.regimes import (FEIGENBAUM_DELTA, classify_chains, majority,
                                         minimum_cascade)
from lrtheory.multiscale.roundoff import (compare_statistics, float64_chain_statistics,
                                          mp_chain_statistics)
from lrtheory.multiscale.sampling import run_chains, uniform_starts
from lrtheory.multiscale.transfer import bounded_noise_stationary
from lrtheory.numerics import fit_loglog_slope
from lrtheory.plotting import new_figure, plot_orbit_diagram
from lrtheory.precision import precision

F0 = "x**2/2"
F1 = "sin(x)"
SIGMA2 = 0.5          # exact: (1/2π)∫cos² = 1/2 (re-derived symbolically in KT-3)


def _model(eps, f0=F0) -> Multiscale:
    return Multiscale.periodic(f0, F1, eps)


def _regime_run(ms: Multiscale, h: float, chains: int, steps: int, seed: int = 0):
    """Chains started uniformly within ±0.1 of the macroscopic minimum; half the steps burn."""
    x0 = uniform_starts(0.0, 0.2, chains, 1, seed)
    run = run_chains(ms.objective, h, x0, steps, burn=steps, bins=50)
    return run, classify_chains(run, ms.cell)


# ---- the scaled coordinate of the proofs ---------------------------------------------------
#: ε of the proofs over sets and of the named instances.
EPS = sp.Rational(1, 1000)
#: GD on f(x) = x²/2 + ε sin(x/ε) at rate η, written in u = x/ε: x_{k+1} = x_k − η(x_k +
#: cos(x_k/ε)) is u_{k+1} = u_k − (η/ε)(ε u_k + cos u_k), GD on g(u) = ε u²/2 + sin u at rate
#: r = η/ε.  The linear conjugacy x = εu keeps limits, periods, multipliers and Lyapunov
#: exponents, and puts the ball arithmetic at scale 1 (a period cell is 2π long in u).
SCALED = f"u**2/{2 * EPS.q} + sin(u)"
#: f itself at ε = 1/1000 (the named instances of the Lyapunov sign).
F_EPS = f"x**2/2 + sin({EPS.q}*x)/{EPS.q}"
#: The microscopic minimum near 0 in u (ε u + cos u = 0, u ≈ −π/2) and its period cell.
CELL = ("-4", "1")


def _convergent(eps):
    """Convergent regime as a statement over a set: for every η/ε ∈ [1/10, 19/10] and every
    start u₀ in the cell of the minimum near 0, GD on εu²/2 + sin u converges to that
    minimum (a trapping region with a contraction certificate: the limit is an attracting
    fixed point, so 0 < η f''(x*) < 2 and x* is a strict local minimum)."""
    return expect.throughout(expect.gd_converges(f"u**2/{2 * eps.q} + sin(u)", "u", lr="1",
                                                 start_box=[CELL], steps=500),
                             lr_range=["1/10", "19/10"])


def _local_bounded(eps):
    """Local chaos stays microscopic: for every η/ε ∈ [4, 9/2] and every u₀ ∈ [−3, 0] the
    orbit stays in |u| ≤ 6 (|x| ≤ 6ε < 2πε, within one period of the origin): an interval
    invariant for every rate of the interval, shorter than one cell."""
    return expect.throughout(expect.gd_bounded(f"u**2/{2 * eps.q} + sin(u)", "u", lr="4",
                                               start_box=[["-3", "0"]], radius="6",
                                               steps=500), lr_range=["4", "9/2"])


CONVERGENT = _convergent(EPS)
LOCAL_BOUNDED = _local_bounded(EPS)
#: The chaotic regimes at named rates and starts (ε = 1/1000): λ₁ > 0 at η/ε = 21/5 (local
#: chaos) and η/ε = 100 (global chaos), float64 and 30 digits.
CHAOS_SIGNS = (
    expect.lyapunov_sign(F_EPS, "x", lr="21/5000", starts=["-1/1000", "-1/500"],
                         sign="positive", steps=4000),
    expect.lyapunov_sign(F_EPS, "x", lr="1/10", starts=["1/100", "-1/20"], sign="positive",
                         steps=4000),
)


# ---- KT-1 -------------------------------------------------------------------------------
@claim("KT-1", title="Four regimes of GD on a multiscale objective",
       statement=r"For $f(x)=\tfrac12x^2+\epsilon\sin(x/\epsilon)$, GD $x_{k+1}=x_k-\eta f'(x_k)$ "
                 r"converges to a microscopic local minimum for $\eta\ll\epsilon$, is chaotic "
                 r"within a microscopic cell (local chaos) for $\eta\sim\epsilon$, chaotic over "
                 r"macroscopic distances (global chaos) for $\epsilon\ll\eta\ll1$, and diverges "
                 r"for $\eta>2/L_0=2$. Read at $\epsilon=1/1000$ (in $u=x/\epsilon$, where GD "
                 r"on $f$ at rate $\eta$ is GD on $\epsilon u^2/2+\sin u$ at rate "
                 r"$\eta/\epsilon$): (i) for every $\eta/\epsilon\in[1/10,19/10]$ and every "
                 r"$u_0\in[-4,1]$ GD converges to the minimum $u^*\approx-1.569$; (ii) for "
                 r"every $\eta/\epsilon\in[4,9/2]$ and every $u_0\in[-3,0]$ the orbit stays in "
                 r"$|u|\le6<2\pi$ (within one period of the origin), and at "
                 r"$\eta/\epsilon=21/5$ the Lyapunov exponent from named starts is positive; "
                 r"(iii) at $\eta/\epsilon=100$ the Lyapunov exponent from named starts is "
                 r"positive and the orbit of $u_0=-1$ crosses many cells; (iv) for every "
                 r"$\eta>2$, every $\epsilon>0$ and every $|x_0|>\eta/(\eta-2)$ GD diverges. A "
                 r"regime map of sampled chains over a grid of $(\eta,\epsilon)$ illustrates "
                 r"it. The full run adds (i) at $\epsilon=1/100$ and $1/10000$ and (ii) at "
                 r"$\epsilon=1/10000$.")
def check_kt1(ctx) -> Evidence:
    return expect.all_of(_kt1_map_and_divergence, *_kt1_parts(ctx.quick),
                         summary="Regimes of GD on x^2/2 + eps sin(x/eps): convergence and "
                                 "local boundedness over sets of rates and starts, divergence "
                                 "beyond 2, chaos at named rates.")


def _kt1_parts(quick: bool) -> tuple:
    """The statements over sets (ε = 1/1000; in the full run also other ε) and the Lyapunov
    signs at named rates."""
    more = () if quick else (_convergent(sp.Rational(1, 100)),
                             _convergent(sp.Rational(1, 10000)),
                             _local_bounded(sp.Rational(1, 10000)))
    return (CONVERGENT, LOCAL_BOUNDED) + CHAOS_SIGNS + more


def _kt1_map_and_divergence(ctx) -> Evidence:
    """Divergence for η > 2 (exact argument), the macroscopic spread of global chaos (ball
    orbit), and the sampled regime map (an illustration, no verdict)."""
    ev = Evidence(summary="Regime map of GD over (eta, eps) for x^2/2 + eps sin(x/eps).",
                  precision="exact; Arb balls; float64 (regime map)",
                  tolerance="regime map: label of the majority of chains; chaos means "
                            "Lyapunov exponent > 0.01, local means range <= 2 cells")
    ev.note("Parts (u = x/eps; GD on f at rate eta is GD on eps u^2/2 + sin u at rate "
            "h = eta/eps): " + "; ".join(f"{i}: {p.describe()}" for i, p in
                                         enumerate(_kt1_parts(ctx.quick), 2)))
    ev.note("(i) The limit of the convergence proof is an attracting fixed point u* of GD: "
            "|1 - (eta/eps) g''(u*)| < 1 forces g''(u*) > 0, so u* is a strict local minimum "
            "(its multiplier is enclosed in KT-5).")
    _divergence_beyond_two(ev)
    _global_spread(ev, steps=40 if ctx.quick else 80)
    chains, steps = (60, 1500) if ctx.quick else (200, 5000)
    epss = [1e-2, 1e-3] if ctx.quick else [1e-2, 1e-3, 1e-4]
    expected = [(0.2, "local-min"), (1.5, "local-min"), (4.2, "local-chaos"),
                (100.0, "global-chaos")]
    rows = []
    for eps in epss:
        ms = _model(eps)
        for ratio, want in expected:
            run, labels = _regime_run(ms, ratio * eps, chains, steps)
            got, frac = majority(labels)
            rows.append([eps, ratio, want, got, f"{frac[got]:.2f}",
                         f"{np.nanmedian(run.chain_lyapunov):.3f}",
                         f"{np.median(run.chain_spread) / ms.cell:.3g}"])
        ctx.progress(f"KT-1 eps={eps} done")
    ms = _model(1e-4)
    for h in (1.9, 2.1):
        run, labels = _regime_run(ms, h, chains, steps)
        got, frac = majority(labels)
        want = "global-chaos" if h < 2 else "unstable"
        rows.append([1e-4, h / 1e-4, want, got, f"{frac[got]:.2f}",
                     f"{np.nanmedian(run.chain_lyapunov):.3f}" if got != "unstable" else "-",
                     "-"])
    ev.exact("clear_cut_regimes_matching", sum(r[2] == r[3] for r in rows))
    ev.table("Regime at clear-cut learning rates (majority over sampled chains)",
             ["eps", "eta/eps", "claimed", "measured", "fraction", "median lyapunov",
              "median range / cell"], rows,
             note=f"{chains} chains x {steps} steps after {steps} burn-in per point; an "
                  "illustration over a grid, not a proof for the rates between")
    ev.note("The regime map samples rates and starts, so it decides nothing about the "
            "intervals it stands for. Earlier versions ended 'confirmed' from this map; the "
            "verdict now rests on the proofs over sets of rates and starts, the exact "
            "divergence argument and the Lyapunov signs at named rates.")
    _regime_map(ctx, ev, epss, chains, steps)
    _bifurcation_figure(ctx, ev, quick=ctx.quick)
    ev.note("Periodic windows interrupt the chaotic range (an attracting 2-cycle for every "
            "eta/eps in [19/2, 951/100] is proved in KT-5), so 'eps << eta' is chaotic only "
            "away from such windows: chaos is stated at named rates.")
    ev.note("Between eta/eps = 2 and about 3.52 the orbits are periodic (period doublings, "
            "KT-2) and are counted as 'local-min' in the map: GD stays trapped around one "
            "microscopic minimum.")
    return ev


def _divergence_beyond_two(ev: Evidence) -> None:
    """For η > 2, any ε > 0 and |x₀| > t* = η/(η − 2): since |cos| ≤ 1,
    |x_{k+1}| = |(1 − η)x_k − η cos(x_k/ε)| ≥ (η − 1)|x_k| − η, and (η − 1)t* − η = t*, so
    |x_{k+1}| − t* ≥ (η − 1)(|x_k| − t*): |x_k| − t* grows like (η − 1)^k → ∞."""
    h, t = sp.symbols("eta t", positive=True)
    tstar = h / (h - 2)
    identity = sp.simplify((h - 1) * tstar - h - tstar) == 0
    growth = sp.simplify(((h - 1) * t - h) - tstar - (h - 1) * (t - tstar)) == 0
    ev.formula("escape bound", r"|x_{k+1}|-t^*\ge(\eta-1)(|x_k|-t^*),\qquad "
               r"t^*=\frac{\eta}{\eta-2}")
    ev.finding("(iv) for every eta > 2, every eps > 0 and every start with |x0| > "
               "eta/(eta - 2): GD diverges, |x_k| - t* >= (eta - 1)^k (|x0| - t*) (|cos| <= 1 "
               "and the identity (eta - 1) t* - eta = t*, checked symbolically)",
               "proved" if identity and growth else "inconclusive", "symbolic",
               detail="Not from every start: each stationary point of f is a fixed point of "
                      "GD at every rate (e.g. x* = eps u*, u* ~ -1.569), so divergence is "
                      "stated outside the ball |x| <= t*.")


def _global_spread(ev: Evidence, steps: int) -> None:
    """(iii) The orbit of u₀ = −1 at η/ε = 100 enclosed in balls (1200 bits) for ``steps``
    steps: its range, a rigorous lower bound, in period cells 2π (u = x/ε)."""
    obj = objective_arg(SCALED, "u")
    with precision(bits=1200):
        X, H = [arb(-1)], arb(100)
        lo = hi = X[0]
        for _ in range(steps):
            X = ball_image(obj, X, H)
            lo = lo if lo.upper() < X[0].upper() else X[0]
            hi = hi if hi.lower() > X[0].lower() else X[0]
        spread = (hi.lower() - lo.upper()) / (2 * arb.pi())
        cells = float(spread.lower())
        radius = float(X[0].rad())
    ev.approx("global_chaos_cells_crossed", cells, rel_tol=1e-9,
              note=f"orbit of u0 = -1 at eta/eps = 100, {steps} steps, lower bound")
    ev.finding(f"(iii) at eta/eps = 100 (eps = 1/1000) the orbit of x0 = -eps spans more than "
               f"{cells:.1f} period cells within {steps} steps (ball orbit, final radius "
               f"{radius:.1e}); under (ii) the orbit stays within one cell",
               "proved" if cells > 4 else "inconclusive", "interval")


def _regime_map(ctx, ev: Evidence, epss, chains: int, steps: int) -> None:
    etas = [1e-5, 1e-4, 4.2e-4, 1e-3, 4.2e-3, 1e-2, 4.2e-2, 0.1, 0.3, 1.0, 1.9, 2.5]
    codes = {"local-min": 0, "local-chaos": 1, "global-chaos": 2, "unstable": 3}
    grid = np.full((len(epss), len(etas)), np.nan)
    rows = []
    for i, eps in enumerate(epss):
        ms = _model(eps)
        row = [eps]
        for j, h in enumerate(etas):
            got, _ = majority(_regime_run(ms, h, chains // 2, steps // 2, seed=1)[1])
            grid[i, j] = codes[got]
            row.append(got)
        rows.append(row)
    ev.table("Regime map: majority regime over (eps, eta)", ["eps"] + [f"{h:g}" for h in etas],
             rows)
    fig, ax = new_figure(6.8, 2.6)
    im = ax.imshow(grid, aspect="auto", cmap="viridis", vmin=0, vmax=3)
    ax.set_xticks(range(len(etas)), [f"{h:g}" for h in etas], rotation=45)
    ax.set_yticks(range(len(epss)), [f"{e:g}" for e in epss])
    ax.set_xlabel(r"$\eta$")
    ax.set_ylabel(r"$\epsilon$")
    cb = fig.colorbar(im, ax=ax, ticks=[0, 1, 2, 3])
    cb.ax.set_yticklabels(list(codes))
    ev.figure(ctx.save_figure(fig, "regime-map", "Majority regime of GD chains on "
                              "x^2/2 + eps sin(x/eps) over (eta, eps)."))


def _bifurcation_figure(ctx, ev: Evidence, quick: bool) -> None:
    eps = 1e-3
    ratios = np.linspace(0.05, 6, 120 if quick else 400)
    x0 = np.array([0.0, 2e-4, -3e-4])
    diagram = orbit_diagram(_model(eps).objective, ratios * eps, x0[:, None], transient=1000,
                            keep=60 if quick else 150)
    fig, ax = new_figure(6.4, 3.4)
    plot_orbit_diagram({"h": ratios, "values": diagram["values"]}, ax=ax,
                       xlabel=r"$\eta/\epsilon$")
    ax.set_ylabel(r"$x$-orbit")
    ax.set_ylim(-0.01, 0.01)
    ax.set_title(r"GD on $x^2/2+\epsilon\sin(x/\epsilon)$, $\epsilon=10^{-3}$")
    ev.figure(ctx.save_figure(fig, "bifurcation", "Bifurcation diagram: x-orbit of GD "
                              "against eta/eps (three starts near 0), as in the slides."))


# ---- KT-2 -------------------------------------------------------------------------------
#: Windows of the cascade at named rates (in u = x/ε, ε = 1/1000): an attracting orbit of
#: period 2^k between the k-th and (k+1)-th doubling (η/ε, period).
KT2_WINDOWS = ((sp.Rational(543, 200), 2), (sp.Rational(1733, 500), 4),
               (sp.Rational(877, 250), 8))
#: The period cell of the minimum in u, between the maxima u ≈ −3π/2 and π/2 (rational ends
#: inside them).
MIN_CELL = ("-47/10", "3/2")
#: Named rates η/ε past the accumulation point where λ > 0 is checked.
KT2_CHAOS_RATES = (sp.Rational(18, 5), sp.Rational(4), sp.Rational(22, 5))


def _kt2_parts(quick: bool) -> tuple:
    """The windows (an attracting 2^k-cycle at each named rate, certified) and the chaos
    past the accumulation point (λ₁ > 0 at named rates); fewer in quick mode."""
    windows = [expect.periodic_orbit(SCALED, "u", lr=r, period=p, stable=True, box=MIN_CELL)
               for r, p in KT2_WINDOWS]
    chaos = [expect.lyapunov_sign(F_EPS, "x", lr=r * EPS, starts=["-1/1000", "-1/500"],
                                  sign="positive", steps=4000) for r in KT2_CHAOS_RATES]
    return tuple(windows[:2] + chaos[:1]) if quick else tuple(windows + chaos)


@claim("KT-2", title="Route to chaos through period doublings",
       statement=r"For $f(x)=\tfrac12x^2+\epsilon\sin(x/\epsilon)$, as $\eta/\epsilon$ grows "
                 r"the GD orbit from the microscopic minimum near $0$ becomes chaotic through a "
                 r"cascade of period doublings. Read at $\epsilon=1/1000$: the first doubling "
                 r"points $\eta_k$ (multiplier $-1$ of the period-$2^{k-1}$ orbit), each new "
                 r"orbit followed from its birth by continuation in $\eta$ and the doubling "
                 r"solved from the extended system in mpmath at 30 and 60 digits, the first "
                 r"four enclosed by a Krawczyk test; their ratios "
                 r"$(\eta_k-\eta_{k-1})/(\eta_{k+1}-\eta_k)$ against Feigenbaum's "
                 r"$\delta\approx4.6692$; an attracting orbit of period 2 for every "
                 r"$\eta/\epsilon\in[201/100,3]$ and of period 4 for every "
                 r"$\eta/\epsilon\in[3451/1000,3491/1000]$ in the cell of the minimum; an "
                 r"attracting orbit of period $2^k$ at the named "
                 r"rates $\eta/\epsilon=543/200,1733/500,877/250$ inside the windows; a "
                 r"positive Lyapunov exponent at the named rates $\eta/\epsilon=18/5,4,22/5$ "
                 r"past the accumulation point.")
def check_kt2(ctx) -> Evidence:
    return expect.all_of(_kt2_cascade, *_kt2_parts(ctx.quick),
                         summary="Period-doubling cascade of GD on x^2/2 + eps sin(x/eps).")


def _kt2_cascade(ctx) -> Evidence:
    """The doubling points located at 30 and 60 digits, certified, and their ratios."""
    ev = Evidence(summary="Period-doubling cascade of GD on x^2/2 + eps sin(x/eps).",
                  precision="mpmath 30 and 60 digits; float64 for periods and Lyapunov",
                  tolerance="doubling points stable to 1e-20 relative under precision "
                            "increase; last Feigenbaum ratio within 0.05 of delta")
    eps = EPS
    ms = _model(eps)
    count = 5 if ctx.quick else 7
    cascades = {dps: minimum_cascade(ms, 0.0, count, dps) for dps in (30, 60)}
    points = cascades[60].bifurcations
    results = {}
    for dps, cascade in cascades.items():
        with mpmath.workdps(dps):
            results[dps] = [+(b.lr / mpmath.mpf(eps)) for b in cascade.bifurcations]
    lo, hi = results[30], results[60]
    ratios = cascades[60].ratios
    with mpmath.workdps(60):
        change = max(abs(a - b) / b for a, b in zip(lo, hi))
    rows = [[k + 1, 2 ** k, mpmath.nstr(r, 15), mpmath.nstr(ratios[k - 1], 8)
             if 0 < k <= len(ratios) else "-"] for k, r in enumerate(hi)]
    ev.table("Period-doubling points (eps = 1/1000)",
             ["k", "period after", "eta_k/eps (60 digits)", "Feigenbaum ratio"], rows)
    for k, r in enumerate(hi[:4]):
        ev.approx(f"eta_{k + 1}_over_eps", float(r), rel_tol=1e-9)
    ev.approx("feigenbaum_ratio_last", float(ratios[-1]), rel_tol=1e-6)
    ev.finding(f"{count} period doublings located; precision 30 -> 60 digits changes them by "
               f"{float(change):.1e} (relative)", "confirmed" if change < 1e-20 else
               "inconclusive", "mpmath")
    ev.finding(*_certify_doublings(ms, points, ev), "interval")
    _windows_over_rates(ev, points)
    last = abs(ratios[-1] - FEIGENBAUM_DELTA)
    regular = cascades[60].regular
    ev.finding(f"successive gap ratios approach Feigenbaum's delta: last = "
               f"{mpmath.nstr(ratios[-1], 6)} (|diff| = {mpmath.nstr(last, 2)}); ratios from "
               f"the third on in (3, 7): {regular}",
               "confirmed" if last < 0.05 and regular else "inconclusive", "mpmath")
    with mpmath.workdps(60):
        acc = cascades[60].accumulation / mpmath.mpf(eps)
    ev.approx("accumulation_eta_over_eps", float(acc), rel_tol=1e-6)
    inside = [hi[k] < mpmath.mpf(r.p) / r.q < hi[k + 1] for k, (r, _) in enumerate(KT2_WINDOWS)]
    ev.table("Named rates inside the windows between doublings (parts 2 on) and past the "
             f"accumulation point eta_inf/eps ~ {mpmath.nstr(acc, 8)}",
             ["eta/eps", "period of the attracting orbit", "inside its window / past eta_inf"],
             [[str(r), p, ok] for (r, p), ok in zip(KT2_WINDOWS, inside)]
             + [[str(r), "chaos (lambda > 0)", bool(mpmath.mpf(r.p) / r.q > acc)]
                for r in KT2_CHAOS_RATES])
    ev.note("Earlier versions observed the period at one float64 orbit per window and the "
            "sign of lambda from sampled chains, and called the whole cascade 'confirmed'. "
            "The windows are now stated at named rates, each orbit certified attracting, and "
            "chaos at named rates past the accumulation point (float64 and 30 digits).")
    ev.note("The period-doubling points are computed with period_doubling_cascade of "
            "lrtheory.dynamics.bifurcations: at each doubling the new period-2p orbit is "
            "seeded from the normal form (x* + s, s ~ sqrt(eta - eta*)), continued in eta "
            "(tangent predictor, Newton corrector) until its multiplier crosses -1, and the "
            "doubling is solved from the extended system (orbit, multiplier = -1). Following "
            "the branch matters: other attractors coexist, e.g. another period-2 orbit "
            "doubles at eta/eps = 3.4526, and from x0 = 0 GD reaches a different period-4 "
            "orbit at eta/eps = 3.508. The orbits at the named rates are certified in the "
            "period cell of the minimum, |u + pi/2| < pi (u = x/eps), where the cascade "
            "lives; the first gap ratio (about 20.8) is far from delta because the "
            "period-2 orbit's multiplier is not monotone in eta; later ratios converge to "
            "delta.")
    return ev


#: Sub-intervals of the first two windows (η/ε) where the attracting cycle of the cascade is
#: proved for every rate, with the doubling it is born at (index into the cascade).
KT2_WINDOW_INTERVALS = (((sp.Rational(201, 100), sp.Integer(3)), 2, 0),
                        ((sp.Rational(3451, 1000), sp.Rational(3491, 1000)), 4, 1))


def _windows_over_rates(ev: Evidence, points) -> None:
    """An attracting orbit of period 2^k for every η/ε of a sub-interval of the k-th window,
    in the cell of the minimum (u = x/ε): parametric Krawczyk tests with multiplier bounds
    (:func:`lrtheory.certify.cycles.attracting_cycle_over_rates`), the numerical orbit
    found from starts next to the cascade's orbit point at the doubling it is born at."""
    obj = objective_arg(SCALED, "u")
    cell = tuple(float(sp.Rational(c)) for c in MIN_CELL)
    for (lo, hi), period, k in KT2_WINDOW_INTERVALS:
        u = float(points[k].point[0] / EPS)
        proof = attracting_cycle_over_rates(obj, interval([str(lo), str(hi)]), period,
                                            starts=[[u + 0.05], [u - 0.05]], box=cell,
                                            max_boxes=200)
        where = f"eta/eps in [{lo}, {hi}]"
        if proof.verdict == "proved":
            ev.finding(f"for every {where}: an attracting orbit of minimal period {period} "
                       f"in the cell of the minimum ({len(proof.pieces)} sub-intervals, each "
                       "with a parametric Krawczyk test and multiplier enclosures of modulus "
                       "< 1)", "proved", "interval")
        else:
            ev.finding(f"for every {where}: an attracting orbit of minimal period {period} — "
                       f"certified on all but a measure {proof.undecided_measure:.3g} of the "
                       "rates, the rest undecided", "inconclusive", "interval")


def _doubling_residual(ms: Multiscale, p: int):
    """(φ^p(x) − x, (φ^p)′(x) + 1) at (x, η) by the plain chain rule in mpmath."""
    model = ms.objective.mpmath

    def residual(x, h):
        y, mult = x, mpmath.mpf(1)
        for _ in range(p):
            mult *= 1 - h * model.hess([y])[0, 0]
            y = y - h * model.grad([y])[0]
        return [y - x, mult + 1]
    return residual


def _certify_doublings(ms: Multiscale, points, ev: Evidence):
    """Second algorithm and rigorous enclosure: mpmath's multidimensional Newton (numerical
    Jacobian) on E(x, η) = (φ^p(x) − x, (φ^p)′(x) + 1), started 1e-12 (relative) off each
    located point, at 50 digits; then a Krawczyk test in ball arithmetic (python-flint)
    for p ≤ CERTIFY_MAX_PERIOD."""
    rows, certified, agree = [], 0, True
    for k, bf in enumerate(points, start=1):
        p, x, eta = bf.period, bf.point[0], bf.lr
        with mpmath.workdps(50):
            try:
                sol = mpmath.findroot(_doubling_residual(ms, p),
                                      (x, eta * (1 + mpmath.mpf(10) ** -12)), tol=1e-90)
                diff = abs(sol[1] - eta) / eta
            except (ValueError, ZeroDivisionError):
                agree = False
                rows.append([k, p, "Newton failed", "-"])
                continue
        agree &= diff < 1e-40
        cert = p <= CERTIFY_MAX_PERIOD and certify_bifurcation(
            ms.objective, [x], eta, p, "period-doubling", dps=50)
        certified += bool(cert)
        rows.append([k, p, mpmath.nstr(diff, 3), "yes (radius 1e-25)" if cert else
                     ("no" if p <= CERTIFY_MAX_PERIOD else "not attempted")])
    ev.table("Cross-check with mpmath's multidimensional Newton (plain chain rule, numerical "
             "Jacobian) and Krawczyk certification",
             ["k", "period before", "relative difference in eta", "certified"], rows)
    n_cert = sum(1 for bf in points if bf.period <= CERTIFY_MAX_PERIOD)
    ok = agree and certified == n_cert
    return (f"the doubling points agree with a second algorithm to 1e-40 and the first "
            f"{certified} are enclosed rigorously (unique zero of the extended system in a "
            f"ball, Krawczyk test)", "proved" if ok else "inconclusive")


# ---- KT-3 -------------------------------------------------------------------------------
@claim("KT-3", title="Gibbs limit of the long-run distribution and its error order",
       statement=r"For $f(x)=\tfrac12x^2+\epsilon\sin(x/\epsilon)$ with $\epsilon\ll\eta$ the "
                 r"long-run distribution of GD iterates is $Z^{-1}\exp(-2f_0/(\eta\sigma^2))"
                 r"\,dx+\mathcal O(\eta^2)$, $\sigma^2=\operatorname{Var}\zeta=1/2$, read as a "
                 r"statement about the law: its total-variation distance to the Gibbs law "
                 r"is $O(\eta^2)$ (a weak reading, for fixed observables, is reported "
                 r"too). Checked: "
                 r"$\sigma^2$ symbolically; the iterates' variance against the Gibbs value "
                 r"$\eta\sigma^2/2$ and the bounded-noise value $\eta\sigma^2/(2-\eta)$; total "
                 r"variation and Kolmogorov--Smirnov distances to the Gibbs law; fitted "
                 r"orders of the error in $\eta$ (at $\eta/\epsilon=1000$) and in $\epsilon$ "
                 r"(at $\eta=0.1$); stability of the statistics under mpmath recomputation.")
def check_kt3(ctx) -> Evidence:
    ev = Evidence(summary="Long-run law of deterministic GD against Gibbs and the "
                          "bounded-noise model.",
                  precision="float64 (statistics), symbolic (sigma^2), mpmath 30 digits "
                            "(round-off control)",
                  tolerance="3 standard errors (over independent chains)")
    law = noise_law(_model(sp.Rational(1, 1000)))
    ev.exact("sigma2", law.sigma2)
    ev.formula("sigma^2 of zeta = -cos(U)", sp.latex(sp.Eq(sp.Symbol(r"\sigma^2"), law.sigma2)))
    ev.finding("sigma^2 = (1/2pi) int_0^{2pi} cos^2 = 1/2, mean 0", "proved" if
               law.exact and law.sigma2 == sp.Rational(1, 2) and law.mean[0] == 0 else
               "refuted", "symbolic")
    etas = [0.4, 0.2, 0.1] if ctx.quick else [0.4, 0.2, 0.1, 0.05]
    chains, steps = (4000, 1500) if ctx.quick else (10000, 3000)
    rows, tv, var_err, abs_err, bn_ok = [], [], [], [], True
    for h in etas:
        m = _measure_law(ms=_model(h / 1000), h=h, chains=chains, steps=steps)
        rows.append([h, f"{m['var']:.6g}", f"{m['se']:.1g}", f"{m['gibbs']:.6g}",
                     f"{m['bn']:.6g}", f"{m['tv']:.4f}", f"{m['tv_noise']:.4f}",
                     f"{m['ks']:.4f}"])
        tv.append(m["tv"])
        var_err.append(abs(m["var"] / m["gibbs"] - 1))
        abs_err.append(abs(m["var"] - m["gibbs"]))
        bn_ok &= abs(m["var"] - m["bn"]) <= 3 * m["se"]
        ctx.progress(f"KT-3 eta={h}: TV {m['tv']:.4f}")
    ev.table("Long-run law at eta/eps = 1000 (x0 uniform in [-0.5, 0.5])",
             ["eta", "variance", "s.e.", "Gibbs eta s^2/2", "bounded noise eta s^2/(2-eta)",
              "TV to Gibbs", "TV noise", "KS to Gibbs"], rows,
             note=f"{chains} chains x {steps} sampled steps after 20/eta burn-in")
    fit_tv, fit_var = fit_loglog_slope(etas, tv), fit_loglog_slope(etas, var_err)
    ev.approx("tv_order_eta", fit_tv["slope"], rel_tol=0.1)
    ev.approx("variance_error_order_eta", fit_var["slope"], rel_tol=0.1)
    ev.approx("tv_distance_eta_0.1", tv[etas.index(0.1)], rel_tol=0.25,
              note="sampling noise about 10 %")
    named = ", ".join(f"{h:g}" for h in etas)
    ev.finding("GD's variance equals the bounded-noise value eta sigma^2/(2 - eta) within 3 "
               f"standard errors at each of eta = {named}",
               "confirmed" if bn_ok else "inconclusive", "float64")
    ev.finding(f"the TV distance to Gibbs decreases over the named rates eta = {named} "
               f"({tv[0]:.3f} -> {tv[-1]:.4f})",
               "confirmed" if all(a > b for a, b in zip(tv, tv[1:])) else "inconclusive",
               "float64")
    _bounded_noise_orders(ev)
    ev.finding(f"error O(eta^2) for the law of GD: not decided. The fitted orders in eta are "
               f"{fit_tv['slope']:.2f} (TV) and {fit_var['slope']:.2f} (relative variance "
               f"error), about 1, as for the bounded-noise model: a numerical contradiction, "
               f"not a certified counterexample", "inconclusive", "float64",
               detail=f"local slopes TV {np.round(fit_tv['local_slopes'], 2)}. An O(eta^2) "
                      "bound is a statement about eta -> 0: laws estimated from float64 chains "
                      f"at eta = {named} cannot refute it, and GD's invariant law has no "
                      "rigorous enclosure here. Earlier versions called this 'refuted'.")
    fit_abs = fit_loglog_slope(etas, abs_err)
    ev.approx("observable_x2_error_order_eta", fit_abs["slope"], rel_tol=0.1)
    ev.note(f"Weak reading, for the fixed observable x^2: |E x^2 - eta sigma^2/2| of GD has "
            f"fitted order {fit_abs['slope']:.2f} in eta, as the bounded-noise value "
            "eta^2 sigma^2/(2(2 - eta)) = O(eta^2) (proved for the model above): the O(eta^2) "
            "of the statement fits this weak sense, not the law itself.")
    _eps_order(ctx, ev)
    _roundoff(ctx, ev)
    _histogram_figure(ctx, ev)
    _order_figure(ctx, ev, etas, tv, var_err)
    return ev


def _bounded_noise_orders(ev: Evidence) -> None:
    """The iid bounded-noise model y_{k+1} = (1 − η)y_k + ηζ_k (Var ζ = σ²): its stationary
    variance v solves v = (1 − η)²v + η²σ², so v = ησ²/(2 − η); relative to the Gibbs
    variance ησ²/2 the error is η/(2 − η) = η/2 + O(η²) (first order), and the error of
    E y² itself is η²σ²/(2(2 − η)) = O(η²)."""
    h, s2, v = sp.symbols("eta sigma2 v", positive=True)
    stationary = sp.solve(sp.Eq(v, (1 - h) ** 2 * v + h ** 2 * s2), v)[0]
    relative = sp.simplify(stationary / (h * s2 / 2) - 1)
    absolute = sp.simplify(stationary - h * s2 / 2)
    first = sp.limit(relative / h, h, 0)
    second = sp.limit(absolute / h ** 2, h, 0)
    ev.formula("bounded-noise stationary variance",
               sp.latex(sp.Eq(sp.Symbol("v"), stationary)))
    ev.finding(f"for the iid bounded-noise model the stationary variance is exactly "
               f"{stationary}: its relative error to Gibbs, {relative}, is first order "
               f"(limit {first} of error/eta), its absolute error second order (limit "
               f"{second} of error/eta^2)", "proved" if first != 0 and second.is_finite
               else "inconclusive", "symbolic")


def _measure_law(ms: Multiscale, h: float, chains: int, steps: int, seed: int = 0) -> dict:
    """Variance, Gibbs/bounded-noise references and TV/KS for GD on x²/2 + ε f₁(x/ε)."""
    sd = np.sqrt(gibbs_variance_quadratic(h, SIGMA2))
    x0 = uniform_starts(0.0, 1.0, chains, 1, seed)
    run = run_chains(ms.objective, h, x0, steps, burn=int(20 / h), bins=240,
                     hist_range=(-8 * sd, 8 * sd), tail=0)
    d = distances(run, GibbsLaw(ms.f0, ms.vars[0], h, SIGMA2))
    return {"var": run.variance, "se": run.variance_se, "run": run,
            "gibbs": gibbs_variance_quadratic(h, SIGMA2),
            "bn": bounded_noise_variance(h, SIGMA2), "tv": d.tv, "ks": d.ks,
            "tv_noise": d.tv_noise, "ks_noise": d.ks_noise}


def _eps_order(ctx, ev: Evidence) -> None:
    h = 0.1
    fracs = [0.1, 0.05, 0.025, 0.0125, 0.006, 0.003, 0.001, 0.0003] if not ctx.quick else \
        [0.1, 0.025, 0.006, 0.001]
    chains, steps = (2000, 1500) if ctx.quick else (6000, 3000)
    rows, xs, ys = [], [], []
    for fr in fracs:
        m = _measure_law(_model(h * fr), h, chains, steps)
        err = abs(m["var"] / m["bn"] - 1)
        rows.append([h * fr, f"{err:.3g}", f"{m['se'] / m['bn']:.1g}", f"{m['tv']:.4f}"])
        if err > 3 * m["se"] / m["bn"]:
            xs.append(h * fr)
            ys.append(err)
    ev.table("Error in eps at eta = 0.1: relative deviation of the variance from the "
             "bounded-noise value", ["eps", "|var/var_bn - 1|", "s.e.", "TV to Gibbs"], rows)
    if len(xs) >= 3:
        fit = fit_loglog_slope(xs, ys)
        ev.approx("variance_error_order_eps", fit["slope"], rel_tol=0.3)
        ev.note(f"Observed order in eps (least-squares over the points above 3 s.e.): "
                f"{fit['slope']:.2f}, local slopes {np.round(fit['local_slopes'], 2)}. The "
                "decay is not a clean power law: between eps/eta = 0.025 and 0.0125 it is "
                "non-monotone (resonances of the fast phase at particular eta/eps); below "
                f"eps ~ {min(xs):g} the deviation is under the statistical floor.")
    under = [float(r[1]) <= 3 * float(r[2]) for r in rows]
    ev.finding("the eps-error vanishes as eps/eta -> 0: the deviation from the bounded-noise "
               "variance falls below 3 s.e. at the two smallest eps",
               "confirmed" if all(under[-2:]) else "inconclusive", "float64")


def _roundoff(ctx, ev: Evidence) -> None:
    h, ms = 0.1, _model(1e-4)
    n, steps = (8, 800) if ctx.quick else (16, 2000)
    x0 = np.random.default_rng(3).uniform(-0.5, 0.5, n)
    mp = mp_chain_statistics(ms, h, x0, steps, burn=50, dps=30)
    f64 = float64_chain_statistics(ms, h, x0, steps, burn=50)
    pert = float64_chain_statistics(ms, h, x0 * (1 + 1e-12), steps, burn=50)
    rows, ok = [], True
    for label, other in (("mpmath 30 digits", mp), ("float64, starts x(1+1e-12)", pert)):
        for key, c in compare_statistics(other, f64).items():
            ok &= c.z < 4
            rows.append([label, key, f"{c.a:.5g}", f"{c.b:.5g}", f"{c.z:.2f}"])
    ev.table(f"Round-off control at eta = 0.1, eps = 1e-4 ({n} chains x {steps} steps)",
             ["recomputed in", "statistic", "recomputed", "float64", "|diff|/s.e."], rows)
    ev.finding("time averages (mean, second moment, Lyapunov exponent) agree with the "
               "float64 ones within 4 standard errors in 30-digit arithmetic and from "
               "perturbed starts", "confirmed" if ok else "inconclusive", "mpmath, float64")


def _histogram_figure(ctx, ev: Evidence) -> None:
    h = 0.2
    ms = _model(h / 1000)
    run = _measure_law(ms, h, 2000, 1500)["run"]
    centers = (run.edges[1:] + run.edges[:-1]) / 2
    width = run.edges[1] - run.edges[0]
    g = GibbsLaw(ms.f0, ms.vars[0], h, SIGMA2)
    fig, ax = new_figure()
    ax.bar(centers, run.probabilities[1:-1] / width, width=width, alpha=0.5, label="GD")
    xs = np.linspace(run.edges[0], run.edges[-1], 400)
    ax.plot(xs, np.interp(xs, g.x, g.density_grid), "k", label=r"Gibbs $\eta\sigma^2/2$")
    s2 = bounded_noise_variance(h, SIGMA2)
    ax.plot(xs, np.exp(-xs**2 / (2 * s2)) / np.sqrt(2 * np.pi * s2), "r--",
            label=r"Gaussian, var $\eta\sigma^2/(2-\eta)$")
    ax.set_xlabel("x")
    ax.legend()
    ax.set_title(r"$\eta=0.2$, $\epsilon=2\cdot10^{-4}$")
    ev.figure(ctx.save_figure(fig, "histogram", "Histogram of GD iterates against the Gibbs "
                              "density and the bounded-noise Gaussian."))


def _order_figure(ctx, ev: Evidence, etas, tv, var_err) -> None:
    fig, ax = new_figure()
    ax.loglog(etas, tv, "o-", label="TV to Gibbs")
    ax.loglog(etas, var_err, "s-", label="|var/var_Gibbs - 1|")
    e = np.array(etas)
    ax.loglog(e, e / (2 - e), "k:", label=r"$\eta/(2-\eta)$")
    ax.loglog(e, e**2, "k--", label=r"$\eta^2$")
    ax.set_xlabel(r"$\eta$")
    ax.legend()
    ev.figure(ctx.save_figure(fig, "error-order", "Distance of the long-run law to Gibbs "
                              "against eta (eta/eps = 1000): first order, not second."))


# ---- KT-4 -------------------------------------------------------------------------------
DOUBLE_WELL = "(x**2 - 1)**2/4 + x/20"
#: GD on f₀ + ε sin(x/ε) (ε = 1/1000) at rate η written in v = x/ε − 997, near x = 1: GD on
#: g(v) = f₀(ε(v + 997))/ε + sin(v + 997) at rate η/ε (the affine conjugacy of
#: :data:`SCALED`, shifted so that the right well's microscopic minimum near x ≈ 0.9974
#: sits at v ≈ 0.41, at scale 1).
DOUBLE_WELL_CELL = "((((v + 997)/1000)**2 - 1)**2/4 + (v + 997)/20000)*1000 + sin(v + 997)"
#: Small η stays: for every η/ε ∈ [1/20, 1/2] and every start x₀ ∈ [0.995, 1] (v₀ ∈ [−2, 3],
#: inside one period cell) GD converges to the microscopic minimum of that cell.
KT4_STAYS = expect.throughout(expect.gd_converges(DOUBLE_WELL_CELL, "v", lr="1/10",
                                                  start_box=[["-2", "3"]], steps=500),
                              lr_range=["1/20", "1/2"])


@claim("KT-4", title="Escape from microscopic minima and well occupation",
       statement=r"For the tilted double well $f_0(x)=(x^2-1)^2/4+x/20$ plus "
                 r"$\epsilon\sin(x/\epsilon)$: GD with $\epsilon\ll\eta$ escapes the "
                 r"microscopic minima and visits both macroscopic wells with frequencies "
                 r"close to the Gibbs prediction $P_G=\int_{x>x_s}Z^{-1}e^{-2f_0/(\eta\sigma^2)}$ "
                 r"($x_s$ the saddle); GD with $\eta\ll\epsilon$ stays in the microscopic "
                 r"minimum nearest to its start. Checked: escape of chains started in one "
                 r"well; GD's right-well frequency against the stationary law of the "
                 r"bounded-noise model (iid $\zeta$; transfer operator); that law against "
                 r"$P_G$ as $\eta\to0$, (i) in absolute terms and (ii) relatively, "
                 r"$P/P_G\to1$ (the Gibbs law giving the rare well's frequency to leading "
                 r"exponential order); small-$\eta$ limits; at $\epsilon=1/1000$, for every "
                 r"$\eta/\epsilon\in[1/20,1/2]$ and every start $x_0\in[0.995,1]$ (one period "
                 r"cell) GD converges to the microscopic minimum of that cell.")
def check_kt4(ctx) -> Evidence:
    return expect.all_of(_kt4_occupation, KT4_STAYS,
                         summary="Well occupation of deterministic GD on a tilted double well "
                                 "with microscopic wiggles; small rates stay in their cell.")


def _kt4_occupation(ctx) -> Evidence:
    """Escape and well frequencies of GD against the bounded-noise model and Gibbs."""
    ev = Evidence(summary="Well occupation of deterministic GD on a tilted double well with "
                          "microscopic wiggles.", precision="float64",
                  tolerance="occupation standard errors over independent chains; transfer "
                            "operator checked by doubling its resolution")
    cases = [(0.3, 1e-3), (0.25, 1e-3)] if ctx.quick else \
        [(0.3, 1e-3), (0.3, 1e-4), (0.25, 1e-3), (0.2, 1e-3)]
    chains, steps = (1000, 3000) if ctx.quick else (3000, 10000)
    rows, link_ok, escape_ok = [], True, True
    for h, ratio in cases:
        ms = Multiscale.periodic(DOUBLE_WELL, F1, h * ratio)
        m = _occupation(ms, h, chains, steps, bins=1500)
        link_ok &= abs(m["gd"] - m["bn"]) < abs(m["bn"] - m["gibbs"]) / 4
        escape_ok &= m["crossed"] > 0.5
        rows.append([h, h * ratio, f"{m['crossed']:.3f}", f"{m['gd']:.4f}", f"{m['gd_se']:.1g}",
                     f"{m['bn']:.4f}", f"{abs(m['gd'] - m['bn']) / m['gd_se']:.1f}",
                     f"{m['gibbs']:.4f}"])
        ctx.progress(f"KT-4 eta={h}: occupation {m['gd']:.3f} vs bounded noise "
                     f"{m['bn']:.3f}, Gibbs {m['gibbs']:.3f}")
    ev.table("Right-well frequency: GD against the bounded-noise model and Gibbs",
             ["eta", "eps", "escaped (started right)", "GD frequency", "s.e.",
              "bounded noise (transfer op.)", "|GD - BN|/s.e.", "Gibbs"], rows,
             note=f"{chains} chains x {steps} steps started from the bounded-noise law; "
                  f"escape measured on {chains // 4} chains started at x = 1 +- 0.1")
    ev.note("GD's frequency exceeds the bounded-noise one by a few standard errors at "
            "eps = eta/1000 (about +0.004 at eta = 0.3 in a 4000 x 15000 run) and the "
            "excess shrinks at eps = eta/10^4: a finite-eps effect, an order of magnitude "
            "below the gap to Gibbs.")
    ev.approx("occupation_gd_eta_0.3", float(rows[0][3]), rel_tol=0.1,
              note="standard error about 2 %")
    ev.finding("large-eta GD escapes the microscopic minima: most chains started in the "
               "right well cross the saddle", "confirmed" if escape_ok else "inconclusive",
               "float64")
    ev.finding("GD's right-well frequency is that of the bounded-noise model up to less than "
               "a quarter of the bounded-noise model's distance to Gibbs",
               "confirmed" if link_ok else "inconclusive", "float64")
    _gibbs_occupation_limit(ctx, ev)
    _small_eta_stays(ctx, ev)
    return ev


def _occupation(ms: Multiscale, h: float, chains: int, steps: int, bins: int) -> dict:
    """Right-well (x > x_s) frequency of GD chains started from the bounded-noise law, the
    bounded-noise and Gibbs frequencies, and the fraction of chains started at x = 1 that
    cross the saddle."""
    x = ms.vars[0]
    xs = float(sp.nsolve(sp.diff(ms.f0, x), x, 0))
    law = bounded_noise_stationary(ms, h, -2.5, 2.5, bins=bins)
    edges, pi = law.edges, law.probabilities
    rng = np.random.default_rng(2)
    cell = rng.choice(bins, size=chains, p=pi)
    x0 = (edges[cell] + rng.random(chains) * (edges[1] - edges[0]))[:, None]
    right = lambda X: (X[:, :1] > xs).astype(float)  # noqa: E731
    opts = dict(burn=steps // 10, bins=60, hist_range=(xs - 3, xs + 3), tail=0, thin=2)
    gd = run_chains(ms.objective, h, x0, steps, observe=right, **opts)
    occ = gd.sum_obs[:, 0] / gd.samples
    esc = run_chains(ms.objective, h, uniform_starts(1.0, 0.2, chains // 4, 1, seed=3), steps,
                     **opts)
    centers = (edges[1:] + edges[:-1]) / 2
    return {"gd": float(occ.mean()), "gd_se": float(occ.std(ddof=1) / np.sqrt(chains)),
            "bn": float(pi[centers > xs].sum()),
            "gibbs": GibbsLaw(ms.f0, x, h, SIGMA2, around=(-3, 3)).mass_above(xs),
            "crossed": float(np.mean((esc.lo[:, 0] < xs) & (esc.hi[:, 0] > xs)))}


def _gibbs_occupation_limit(ctx, ev: Evidence) -> None:
    """Bounded-noise right-well frequency P(η) (transfer operator, two resolutions) against
    the Gibbs frequency P_G(η) as η → 0."""
    etas = [0.3, 0.1, 0.05] if ctx.quick else [0.3, 0.2, 0.1, 0.07, 0.05]
    res = (1500, 3000) if ctx.quick else (2000, 4000)
    rows, absdiff, ratio = [], [], []
    for h in etas:
        ms = Multiscale.periodic(DOUBLE_WELL, F1, h / 1000)
        x = ms.vars[0]
        xs = float(sp.nsolve(sp.diff(ms.f0, x), x, 0))
        P = []
        for bins in res:
            P.append(bounded_noise_stationary(ms, h, -2.5, 2.5, bins=bins).mass_above(xs))
        pg = GibbsLaw(ms.f0, x, h, SIGMA2, around=(-3, 3)).mass_above(xs)
        absdiff.append(abs(P[-1] - pg))
        ratio.append(P[-1] / pg)
        rows.append([h, f"{P[-1]:.4g}", f"{abs(P[-1] - P[0]):.1g}", f"{pg:.4g}",
                     f"{P[-1] - pg:+.3g}", f"{P[-1] / pg:.3f}",
                     f"{-h * np.log(P[-1] / pg):.4f}"])
    ev.table("Bounded-noise right-well frequency P against Gibbs P_G as eta -> 0",
             ["eta", "P (transfer operator)", "change on refinement", "P_G", "P - P_G",
              "P / P_G", "-eta log(P/P_G)"], rows,
             note="The last column is about constant: P/P_G ~ exp(-c/eta), the effective "
                  "difference of the wells' depths differs from Gibbs' at leading "
                  "exponential order: the noise -cos(U) is bounded (arcsine law), so uphill "
                  "large deviations cost more than under Gaussian noise of the same "
                  "variance, and the higher well is visited less than Gibbs predicts.")
    ev.approx("occupation_ratio_eta_0.05", ratio[-1], rel_tol=0.05)
    ms = Multiscale.periodic(DOUBLE_WELL, F1, sp.Rational(1, 1000))
    x = ms.vars[0]
    left, saddle, right = sorted(float(r) for r in sp.Poly(sp.diff(ms.f0, x), x).nroots())
    ld = occupation_exponent(ms, left, saddle, right, SIGMA2)
    measured = -etas[-1] * np.log(ratio[-1])
    ev.approx("large_deviation_c", ld.c, rel_tol=1e-6)
    ev.formula("climbing momentum", r"\log I_0(p(x)) = p(x)\,f_0'(x),\qquad "
               r"\frac{P}{P_G}\approx\exp\Big(-\frac{1}{\eta}\Big[\int_{x_l}^{x_s}p"
               r"-\int_{x_r}^{x_s}p-\frac{2(f_0(x_r)-f_0(x_l))}{\sigma^2}\Big]\Big)")
    ev.finding(f"the exponent c in P/P_G ~ exp(-c/eta) is predicted by the small-eta large "
               f"deviations of the bounded noise (Hamilton-Jacobi with the cumulant "
               f"generating function log I0 of -cos U): c = {ld.c:.5f}, measured "
               f"-eta log(P/P_G) = {measured:.5f} at eta = {etas[-1]}",
               "confirmed" if abs(measured - ld.c) < 0.01 else "inconclusive", "float64",
               detail="prefactor corrections make the measured value approach c at rate "
                      "O(eta)")
    ev.finding("(i) absolute: |P - P_G| <= " + f"{max(absdiff):.3f}" + " at the named rates "
               "eta = " + ", ".join(str(h) for h in etas) + ", decreasing to "
               + f"{absdiff[-1]:.1e}" + " at eta = " + f"{etas[-1]}",
               "confirmed" if absdiff[-1] < absdiff[0] and max(absdiff) < 0.1
               else "inconclusive", "float64")
    ev.finding("(ii) relative: P/P_G -> 1 as eta -> 0; measured P/P_G = "
               + ", ".join(f"{r:.3f}" for r in ratio) + " at eta = "
               + ", ".join(str(h) for h in etas) + ", i.e. the rare well's Gibbs frequency "
               "is off by a factor exp(-c/eta), c ~ " + f"{-etas[-1] * np.log(ratio[-1]):.3f}",
               "inconclusive", "float64",
               detail="Not decided: a numerical contradiction, not a certified "
                      "counterexample. A limit eta -> 0 is not refuted by the ratio at "
                      "finitely many rates, and the transfer-operator solve is float64. "
                      "Computed for the iid bounded-noise model, which GD matches where it "
                      "can be simulated to equilibrium (table above); at small eta the hops "
                      "between wells are too rare to simulate GD itself. Earlier versions "
                      "called this 'refuted'.")


def _small_eta_stays(ctx, ev: Evidence):
    eps = 1e-3
    ms = Multiscale.periodic(DOUBLE_WELL, F1, eps)
    h = eps / 10
    x0 = uniform_starts(1.0, 0.4, 200, 1, seed=4)
    run = run_chains(ms.objective, h, x0, 4000, burn=4000, tail=32)
    limit = run.tail[-1, :, 0]
    moved = np.abs(limit - x0[:, 0]) / ms.cell
    grad = np.abs(ms.objective.numpy.grad(limit[:, None])[:, 0])
    curv = ms.objective.numpy.hess(limit[:, None])[:, 0, 0]
    ok = bool(np.all(moved < 1) and np.all(grad < 1e-10) and np.all(curv > 0))
    ev.table("Small learning rate eta = eps/10 (eps = 1e-3), 200 chains",
             ["max distance moved / cell", "max |f'(limit)|", "min f''(limit)"],
             [[f"{moved.max():.3f}", f"{grad.max():.1e}", f"{curv.min():.1f}"]],
             note="sampled starts in [0.8, 1.2]: an illustration; the statement over an "
                  "interval of rates and a cell of starts is proved in part 2")
    ev.note(f"Small eta, sampled: every one of the 200 chains stopped at a minimum within one "
            f"cell of its start: {ok}. Earlier versions called this 'confirmed' from the "
            "sample.")


# ---- KT-5 -------------------------------------------------------------------------------
@claim("KT-5", title="Sign of the Lyapunov exponent across regimes",
       statement=r"For $f(x)=\tfrac12x^2+\epsilon\sin(x/\epsilon)$ the Lyapunov exponent "
                 r"$\lambda=\lim_n\frac1n\sum_{k<n}\log|1-\eta f''(x_k)|$ of GD is "
                 r"negative when GD converges ($\eta/\epsilon<2$) and positive in the local- "
                 r"and global-chaos regimes. Read at $\epsilon=1/1000$: (i) for every "
                 r"$\eta/\epsilon\in[1/10,19/10]$ and every start $x_0\in[-4\epsilon,\epsilon]$ "
                 r"GD converges to the minimum $x^*\approx-1.569\epsilon$ and "
                 r"$\lambda=\log|1-\eta f''(x^*)|<0$; (ii) $\lambda>0$ at the named rates "
                 r"$\eta/\epsilon=21/5$ (local chaos) and $100$ (global chaos) from named "
                 r"starts, in float64 and at 30 digits; (iii) in global chaos "
                 r"$\lambda\approx\log(\eta/\epsilon)+\mathbb E\log|\sin U|"
                 r"=\log(\eta/(2\epsilon))$ at named rates (means over chains). The chaotic "
                 r"range holds periodic windows, where $\lambda<0$ from the window's basin.")
def check_kt5(ctx) -> Evidence:
    return expect.all_of(_kt5_chains, CONVERGENT, _negative_over_rates, *KT5_SIGNS,
                         _window(ctx.quick),
                         summary="Sign of the Lyapunov exponent of GD: negative over the "
                                 "convergent interval (proved), positive at named chaotic "
                                 "rates, periodic windows inside the chaotic range.")


#: The sign at named rates (eps = 1/1000): negative at eta/eps = 3/2 (convergent; a
#: contraction certificate), positive at eta/eps = 21/5 and 100 (local and global chaos,
#: where lambda ≈ log(eta/(2 eps)) = log 50).
KT5_SIGNS = (
    expect.lyapunov_sign(F_EPS, "x", lr="3/2000", starts=["1/100", "-1/20"], sign="negative",
                         steps=4000),
) + CHAOS_SIGNS


def _window(quick: bool):
    """A periodic window inside the chaotic range: an attracting 2-cycle of GD for every
    η/ε ∈ [19/2, 951/100] (in u = x/ε; sampled rates, then parametric Krawczyk tests
    with multiplier bounds over sub-intervals)."""
    return expect.throughout(expect.periodic_orbit(SCALED, "u", lr="19/2", period=2,
                                                   stable=True, box=["-8", "8"]),
                             lr_range=["19/2", "951/100"], samples=2 if quick else 5)


def _negative_over_rates(ctx) -> Evidence:
    """λ < 0 for every rate of the convergent interval: the minimum u* (ε u + cos u = 0) is
    enclosed by a Krawczyk test, its multiplier m(r) = 1 − r g''(u*) = 1 − r(ε − sin u*)
    is linear in r = η/ε, so |m| on [a, b] is at most max(|m(a)|, |m(b)|); an orbit that
    converges to u* has λ = log|m(r)| (Cesàro means of log|G'(u_k)| → log|G'(u*)|)."""
    obj = objective_arg(SCALED, "u")
    ev = Evidence(precision="Arb balls (128 bits)", tolerance="rigorous enclosure")
    with precision(bits=128):
        (u,), = stationary_enclosures(obj, [[-1.5692]])
        curvature = arb(EPS.p) / EPS.q - u.sin()
        ends = [abs(1 - arb(r.p) / r.q * curvature) for r in (sp.Rational(1, 10),
                                                              sp.Rational(19, 10))]
        q = max(float(m.upper()) for m in ends)
    ev.approx("multiplier_bound_convergent", q, rel_tol=1e-9,
              note="max |1 - (eta/eps) g''(u*)| over eta/eps in [1/10, 19/10]")
    ev.finding(f"(i) for every eta/eps in [1/10, 19/10]: the minimum u* in {u.str(10)} has "
               f"multiplier |1 - (eta/eps) g''(u*)| <= {q:.6g} < 1, so every orbit that "
               f"converges to it (every start of [-4, 1], part 2) has lambda <= "
               f"log({q:.6g}) = {np.log(q):.4g} < 0",
               "proved" if q < 1 else "inconclusive", "interval")
    return ev


def _kt5_chains(ctx) -> Evidence:
    """Lyapunov exponents of many GD chains across eta/eps, against their limits."""
    ev = Evidence(precision="float64; mpmath 30 digits for the round-off control",
                  tolerance="sign per chain; 4 standard errors for the asymptotic value")
    eps = 1e-3
    ms = _model(eps)
    scan = list(np.round(np.geomspace(5, 1000, 12 if ctx.quick else 25), 1))
    ratios = [0.5, 1.5, 1.9, 3.8, 4.2, 4.4] + scan
    chains, steps = (60, 2000) if ctx.quick else (200, 6000)
    rows, conv_ok, asym, lam_med, windows = [], True, [], [], []
    ctx.progress(f"KT-5: Lyapunov exponents of {chains} chains at {len(ratios)} values of "
                 "eta/eps")
    for r in ratios:
        run, labels = _regime_run(ms, r * eps, chains, steps)
        lam = run.chain_lyapunov
        lam_med.append(float(np.nanmedian(lam)))
        pos = float(np.mean(lam > 0))
        if r < 2:
            limit = run.tail[-1]
            exact = np.log(np.abs(1 - r * eps * ms.objective.numpy.hess(limit)[:, 0, 0]))
            conv_ok &= bool(np.all(lam < 0) and np.max(np.abs(lam - exact)) < 1e-6)
        elif pos < 0.5:
            windows.append(r)
        if r >= 100:
            se = float(np.std(lam, ddof=1) / np.sqrt(lam.size))
            asym.append((r, float(np.mean(lam)), se, float(np.log(r / 2))))
        rows.append([r, majority(labels)[0], f"{np.nanmedian(lam):.4f}", f"{pos:.2f}"])
    ev.table("Lyapunov exponent per eta/eps (eps = 1e-3)",
             ["eta/eps", "regime", "median lambda", "fraction lambda > 0"], rows,
             note=f"{chains} chains x {steps} steps after {steps} burn-in")
    ev.note("Sampled chains: the convergent rates agree with log|1 - eta f''(x*)| at each "
            f"chain's limit (to 1e-6: {conv_ok}); at the scanned rates eta/eps > 4 the "
            f"majority of chains has lambda > 0 except {[float(w) for w in windows] or 'none'}"
            ". A scan samples rates and starts: earlier versions ended 'confirmed' from it; "
            "the signs now rest on the proof over the convergent interval (parts 2, 3) and "
            "on the named rates (parts 4 to 6).")
    ev.note("Parts 2 and 7 are stated in u = x/eps, where GD on f at rate eta is GD on "
            f"eps u^2/2 + sin u at rate h = eta/eps: 2: {CONVERGENT.describe()}; "
            f"7: {_window(ctx.quick).describe()}")
    ev.note("The chaotic range holds periodic windows: part 7 proves an attracting 2-cycle "
            "for every eta/eps in [19/2, 951/100] (in u = x/eps), and an orbit in its basin "
            "has lambda = (1/2) log|multiplier| < 0. So lambda > 0 is not a property of every "
            "rate past eta/eps = 4; it is stated at named rates.")
    asym_rows, asym_ok = [], True
    for r, mean, se, pred in asym:
        asym_ok &= abs(mean - pred) < 4 * se + 0.01
        asym_rows.append([r, f"{mean:.5f}", f"{se:.1g}", f"{pred:.5f}"])
    ev.table("Global chaos: lambda against log(eta/(2 eps))",
             ["eta/eps", "mean lambda", "s.e.", "log(eta/(2 eps))"], asym_rows)
    ev.finding("(iii) in global chaos lambda = log(eta/eps) + E log|sin U| + o(1) at the "
               "named rates eta/eps = " + ", ".join(f"{r:g}" for r, *_ in asym)
               + f" (mean over {chains} chains within 4 s.e. + 0.01)",
               "confirmed" if asym_ok else "inconclusive", "float64")
    for r, mean, _, _ in asym:
        ev.approx(f"lyapunov_eta_over_eps_{r:g}", mean, rel_tol=0.01)
    ctx.progress("KT-5: round-off control in mpmath (30 digits)")
    x0 = np.random.default_rng(7).uniform(-0.1, 0.1, 6 if ctx.quick else 12)
    h = 4.4 * eps
    cmp = compare_statistics(mp_chain_statistics(ms, h, x0, 1500, burn=500, dps=30),
                             float64_chain_statistics(ms, h, x0, 1500, burn=500))["lyapunov"]
    ev.table("Round-off control: local chaos eta/eps = 4.4",
             ["mpmath 30 digits", "float64", "|diff|/s.e."],
             [[f"{cmp.a:.4f}", f"{cmp.b:.4f}", f"{cmp.z:.2f}"]])
    ev.finding("the Lyapunov exponent of the local-chaos regime is the same in 30-digit "
               "arithmetic at eta/eps = 4.4 (within 4 s.e.)",
               "confirmed" if cmp.z < 4 else "inconclusive",
               "mpmath")
    fig, ax = new_figure()
    ax.semilogx(ratios, lam_med, "o-")
    ax.plot(ratios, [np.log(r / 2) if r > 4 else np.nan for r in ratios], "k:",
            label=r"$\log(\eta/2\epsilon)$")
    ax.legend()
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xlabel(r"$\eta/\epsilon$")
    ax.set_ylabel(r"median Lyapunov exponent")
    ev.figure(ctx.save_figure(fig, "lyapunov", "Median Lyapunov exponent of GD chains on "
                              "x^2/2 + eps sin(x/eps), eps = 1e-3."))
    return ev
