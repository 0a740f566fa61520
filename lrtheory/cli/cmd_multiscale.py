"""`lrtheory multiscale --f0 EXPR --f1 EXPR --vars x --eps E --lr H [--steps N] [--chains C]
[--json]` — long-run statistics of GD on f₀(x) + ε f₁(x/ε) (KT-1, KT-3, KT-5)."""
from __future__ import annotations

from ..errors import InputError
from .common import ProgressLines, print_json, print_table
from .options import (MAX_CHAINS, add_count, add_json_flag, add_lr, add_number, add_progress,
                      add_seed, add_steps, add_vars, expression)

ORDER = 20


def register(sub):
    p = sub.add_parser(
        "multiscale", help="GD on f0(x) + eps f1(x/eps): regime, Lyapunov, law vs Gibbs",
        description="Run many GD chains on f(x) = f0(x) + eps*f1(x/eps) (f1 periodic, written "
                    "in the fast variable: --f1 'sin(x)' means eps*sin(x/eps)) and report "
                    "sigma^2 = Var(-grad f1) (exact when possible), the regime "
                    "(local-min, local-chaos, global-chaos, unstable), the Lyapunov exponent, "
                    "the iterates' mean and variance, and in 1-D the Gibbs variance and the "
                    "TV / KS distances to the Gibbs law exp(-2 f0/(eta sigma^2))/Z.")
    p.add_argument("--f0", required=True, metavar="EXPR", type=expression,
                   help="macroscopic objective, e.g. 'x**2/2'")
    p.add_argument("--f1", required=True, metavar="EXPR", type=expression,
                   help="periodic microscopic part in the fast variable, e.g. 'sin(x)'")
    add_vars(p, required=False, default="x")
    add_number(p, "--eps", "scale separation eps > 0", required=True, positive=True,
               metavar="EPS")
    add_lr(p, "learning rate eta > 0, exact")
    add_steps(p, 20_000, "GD steps per chain, the first quarter is burn-in (steps x chains "
                         "at most 5e9)", lo=4)
    add_count(p, "--chains", "number of chains", default=1000, lo=2, hi=MAX_CHAINS)
    add_number(p, "--start", "centre of the random starts", default="0")
    add_number(p, "--width", "width of the random starts, > 0", default="1", positive=True)
    add_seed(p)
    add_json_flag(p)
    add_progress(p)
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    import dataclasses

    from ..multiscale.analysis import sample
    from ..multiscale.model import Multiscale
    from ..parsing import check_lr, parse_number
    if args.steps * args.chains > 5 * 10**9:
        raise InputError("--steps x --chains above 5e9: choose a smaller run")
    check_lr(args.lr)
    h = float(parse_number(args.lr, "learning rate"))
    width = float(parse_number(args.width, "width"))
    ms = Multiscale.periodic(args.f0, args.f1, args.eps, args.vars)
    with ProgressLines(args.progress or None).stage(
            f"multiscale: {args.chains} chains x {args.steps} steps"):
        out = sample(ms, h, steps=args.steps, chains=args.chains,
                     start=float(parse_number(args.start, "start")), width=width,
                     seed=args.seed)
    if args.json:
        print_json(out, args)
        return 0
    rows = [[f.name, _fmt(getattr(out, f.name))] for f in dataclasses.fields(out)
            if f.name != "regime_fractions"]
    rows.append(["regime_fractions", ", ".join(f"{k} {v:.2f}" for k, v in
                                               out.regime_fractions.items() if v)])
    print_table(["quantity", "value"], rows, args=args)
    return 0


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return "-" if v is None else str(v)
