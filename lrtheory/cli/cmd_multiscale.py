"""`lrtheory multiscale --f0 EXPR --f1 EXPR --vars x --eps E --lr H [--steps N] [--chains C]
[--json]` — long-run statistics of GD on f₀(x) + ε f₁(x/ε) (KT-1, KT-3, KT-5)."""
from __future__ import annotations

from ..errors import InputError
from ..multiscale.analysis import sample
from ..multiscale.model import Multiscale
from ..parsing import check_lr, parse_number
from .common import print_json, print_table

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
    p.add_argument("--f0", required=True, help="macroscopic objective, e.g. 'x**2/2'")
    p.add_argument("--f1", required=True, help="periodic microscopic part in the fast "
                                               "variable, e.g. 'sin(x)'")
    p.add_argument("--vars", default="x", help="variables (default: x)")
    p.add_argument("--eps", required=True, help="scale separation eps > 0")
    p.add_argument("--lr", required=True, help="learning rate eta > 0")
    p.add_argument("--steps", type=int, default=20000,
                   help="GD steps per chain, the first quarter is burn-in (default 20000)")
    p.add_argument("--chains", type=int, default=1000, help="number of chains (default 1000)")
    p.add_argument("--start", default="0", help="centre of the random starts (default 0)")
    p.add_argument("--width", default="1", help="width of the random starts (default 1)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the starts")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    if args.steps < 4 or args.chains < 2:
        raise InputError("need --steps >= 4 and --chains >= 2")
    if args.steps * args.chains > 5 * 10**9:
        raise InputError("--steps x --chains above 5e9: choose a smaller run")
    check_lr(args.lr)
    h = float(parse_number(args.lr, "learning rate"))
    width = float(parse_number(args.width, "width"))
    if not width > 0:
        raise InputError(f"--width must be positive, got {args.width}")
    ms = Multiscale.periodic(args.f0, args.f1, args.eps, args.vars)
    out = sample(ms, h, steps=args.steps, chains=args.chains,
                 start=float(parse_number(args.start, "start")), width=width, seed=args.seed)
    if args.json:
        print_json(out)
        return 0
    rows = [[k, _fmt(v)] for k, v in out.items() if k != "regime_fractions"]
    rows.append(["regime_fractions", ", ".join(f"{k} {v:.2f}" for k, v in
                                               out["regime_fractions"].items() if v)])
    print_table(["quantity", "value"], rows)
    return 0


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return "-" if v is None else str(v)
