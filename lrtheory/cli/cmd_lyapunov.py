"""`lrtheory lyapunov EXPR --vars x,y --lr H --x0 a,b` — Lyapunov spectrum of a GD orbit."""
from __future__ import annotations

import math

import mpmath

from ..dynamics.lyapunov import lyapunov_exponents
from ..errors import InputError
from ..objectives import Objective
from ..parsing import parse_number
from .cmd_orbits import decimal_string
from .common import print_json, print_table

ORDER = 22


def register(sub):
    p = sub.add_parser(
        "lyapunov", help="Lyapunov exponents of a GD orbit (QR of tangent maps)",
        description="Lyapunov spectrum of the GD orbit from X0 by QR re-orthonormalisation "
                    "of the tangent maps I - H hess f, after a transient; float64 by default, "
                    "mpmath at --dps digits with --backend mpmath. Write negative starts as "
                    "--x0=-0.3,0.2.")
    p.add_argument("expr")
    p.add_argument("--vars", required=True)
    p.add_argument("--lr", required=True)
    p.add_argument("--x0", required=True, help="start, comma separated")
    p.add_argument("--steps", type=int, default=100000)
    p.add_argument("--transient", type=int, default=1000)
    p.add_argument("--backend", choices=("float64", "mpmath"), default="float64")
    p.add_argument("--dps", type=int, default=30, help="digits for --backend mpmath")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    obj = Objective(args.expr, args.vars)
    x0 = [float(parse_number(s, "x0")) for s in args.x0.split(",")]
    if len(x0) != obj.dim:
        raise InputError(f"--x0 has {len(x0)} coordinates, objective has {obj.dim}")
    if args.steps < 1 or args.steps > 10**8 or args.transient < 0:
        raise InputError("--steps must be in 1..1e8 and --transient >= 0")
    lr = parse_number(args.lr, "learning rate")
    h = args.lr if args.backend == "mpmath" else float(lr)
    with mpmath.workdps(args.dps):
        r = lyapunov_exponents(obj, h, [x0], args.steps, args.transient, args.backend)
    expo = [float(v) for v in r["exponents"][0]]
    diverged = bool(r["diverged"][0])
    out = {"lr": decimal_string(lr, 17), "x0": args.x0.split(","), "steps": args.steps,
           "transient": args.transient, "backend": args.backend,
           "exponents": [None if diverged or not math.isfinite(v) else v for v in expo],
           "diverged": diverged,
           "running": [[k, float(v[0])] for k, v in zip([k for k, _ in r["running"]],
                                                         r["running_per_start"])]}
    if args.json:
        print_json(out)
        return 0
    if diverged:
        print("the orbit diverged (left every bounded set): no exponents")
        return 0
    print_table(["i", "lambda_i"], [[i + 1, f"{v:.6f}"] for i, v in enumerate(expo)])
    last = out["running"][-4:]
    print("running lambda_1: " + ", ".join(f"{k}: {v:.5f}" for k, v in last))
    return 0
