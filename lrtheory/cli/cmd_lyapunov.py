"""`lrtheory lyapunov EXPR --vars x,y --lr H --x0 a,b` — Lyapunov spectrum of a GD orbit."""
from __future__ import annotations

from ..errors import InputError
from .common import ProgressLines, note_file, print_json, print_table
from .options import (add_dps, add_expression, add_json_flag, add_lr, add_point, add_progress,
                      add_steps, add_vars)

ORDER = 22


def register(sub):
    p = sub.add_parser(
        "lyapunov", help="Lyapunov exponents of a GD orbit (QR of tangent maps)",
        description="Lyapunov spectrum of the GD orbit from X0 by QR re-orthonormalisation "
                    "of the tangent maps I - H hess f, after a transient; float64 by default, "
                    "mpmath at --dps digits with --backend mpmath. --json prints the "
                    "LyapunovSpectrum result (lrtheory.dynamics.lyapunov) as to_json().")
    add_expression(p)
    add_vars(p)
    add_lr(p)
    add_point(p, "--x0", "start, comma-separated coordinates, e.g. -0.3,0.2")
    add_steps(p, 100_000, "GD steps measured after the transient")
    add_steps(p, 1000, "GD steps discarded first", flag="--transient", lo=0)
    p.add_argument("--backend", choices=("float64", "mpmath"), default="float64",
                   help="arithmetic of the orbit and its tangent maps")
    add_dps(p, 30, "decimal digits for --backend mpmath")
    add_json_flag(p)
    add_progress(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import mpmath

    from ..dynamics.lyapunov import lyapunov_exponents
    from ..objectives import Objective
    from ..parsing import parse_number
    obj = Objective(args.expr, args.vars)
    x0 = [float(parse_number(s, "x0")) for s in args.x0.split(",")]
    if len(x0) != obj.dim:
        raise InputError(f"--x0 has {len(x0)} coordinates, objective has {obj.dim}")
    lr = parse_number(args.lr, "learning rate")
    h = args.lr if args.backend == "mpmath" else float(lr)
    stage = ProgressLines(args.progress or None).stage(
        f"lyapunov: {args.transient} + {args.steps} steps, {args.backend}")
    with stage, mpmath.workdps(args.dps):
        r = lyapunov_exponents(obj, h, [x0], args.steps, args.transient, args.backend)
    if args.json:
        print_json(r, args)
        return 0
    if r.diverged[0]:
        print("the orbit diverged (left every bounded set): no exponents",
              file=note_file(args))
        if args.format == "csv":  # a table of no rows: its header
            print_table(["i", "lambda_i"], [], args=args)
        return 0
    expo = [float(v) for v in r.exponents[0]]
    print_table(["i", "lambda_i"], [[i + 1, f"{v:.6f}"] for i, v in enumerate(expo)], args=args)
    last = list(zip([k for k, _ in r.running], r.running_per_start[:, 0]))[-4:]
    print("running lambda_1: " + ", ".join(f"{k}: {v:.5f}" for k, v in last),
          file=note_file(args))
    return 0
