"""`lrtheory balance --mu 1 --x0 9 --y0 1 --lr H [--steps N] [--dps D] [--json]` — GD on
½(xy − µ)² and its limit against the stability bound (x∞ − y∞)² ≤ 2/h − 2µ (WCZT-2/3)."""
from __future__ import annotations

from fractions import Fraction

from ..balancing import run_scalar, run_scalar_mp
from ..errors import InputError
from ..parsing import check_lr, parse_number
from .common import print_json, print_table

ORDER = 31


def register(sub):
    p = sub.add_parser(
        "balance", help="GD on (xy - mu)^2/2: limit, sharpness, imbalance vs 2/h - 2 mu",
        description="Run GD on f = (xy - mu)^2/2 from (x0, y0) with rate h and report "
                    "whether it converged, the limit, its sharpness against 2/h, the "
                    "imbalance (x - y)^2 against the stability bound 2/h - 2 mu.")
    p.add_argument("--mu", default="1", help="target mu (default 1)")
    p.add_argument("--x0", required=True)
    p.add_argument("--y0", required=True)
    p.add_argument("--lr", required=True, metavar="H", help="learning rate, e.g. 4/90")
    p.add_argument("--steps", type=int, default=200_000, help="maximum steps (default 200000)")
    p.add_argument("--dps", type=int, default=None,
                   help="run in mpmath at this many digits instead of float64")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _rational(text, label) -> Fraction:
    v = parse_number(text, label)
    if not v.is_Rational:
        raise InputError(f"{label} must be a rational number, got {text!r}")
    return Fraction(int(v.p), int(v.q))


def run(args) -> int:
    mu, x0, y0 = (_rational(v, n) for v, n in ((args.mu, "mu"), (args.x0, "x0"),
                                               (args.y0, "y0")))
    h = _rational(args.lr, "learning rate")
    check_lr(h)
    if args.steps < 1:
        raise InputError(f"--steps must be positive, got {args.steps}")
    if args.dps is not None and not 15 <= args.dps <= 1000:
        raise InputError(f"--dps must be between 15 and 1000, got {args.dps}")
    if args.dps:
        r = run_scalar_mp(mu, x0, y0, h, dps=args.dps, max_steps=args.steps)
        r.limit = None if r.limit is None else tuple(float(c) for c in r.limit)
    else:
        r = run_scalar(mu, float(x0), float(y0), float(h), max_steps=args.steps)
    out = r.to_json()
    out["converged"] = r.label == "converged"
    out["h"] = str(h)
    if args.json:
        print_json(out)
        return 0
    rows = [("converged", out["converged"]), ("result", r.label), ("steps run", r.steps),
            ("limit", "-" if r.limit is None else f"({r.limit[0]:.12g}, {r.limit[1]:.12g})"),
            ("sharpness at start L", f"{r.init_sharpness:.8g}"),
            ("h*L", f"{float(h) * r.init_sharpness:.6g}"),
            ("sharpness at limit", "-" if r.sharpness is None else f"{r.sharpness:.10g}"),
            ("2/h", f"{r.two_over_h:.10g}"),
            ("imbalance (x-y)^2", "-" if r.imbalance is None else f"{r.imbalance:.10g}"),
            ("bound 2/h - 2mu", f"{r.bound:.10g}"),
            ("bound holds", "-" if r.bound_holds is None else r.bound_holds)]
    print_table(["quantity", "value"], rows)
    return 0
