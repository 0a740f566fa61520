"""`lrtheory balance --mu 1 --x0 9 --y0 1 --lr H [--steps N] [--dps D] [--json]` — GD on
½(xy − µ)² and its limit against the stability bound (x∞ − y∞)² ≤ 2/h − 2µ (WCZT-2/3)."""
from __future__ import annotations

from fractions import Fraction

from ..errors import InputError
from .common import print_json, print_table
from .options import add_dps, add_json_flag, add_lr, add_number, add_steps

ORDER = 31


def register(sub):
    p = sub.add_parser(
        "balance", help="GD on (xy - mu)^2/2: limit, sharpness, imbalance vs 2/h - 2 mu",
        description="Run GD on f = (xy - mu)^2/2 from (x0, y0) with rate h and report "
                    "whether it converged, the limit, its sharpness against 2/h, the "
                    "imbalance (x - y)^2 against the stability bound 2/h - 2 mu.")
    add_number(p, "--mu", "target mu, a rational number", default="1", rational=True,
               metavar="MU")
    add_number(p, "--x0", "start x0, a rational number", required=True, rational=True)
    add_number(p, "--y0", "start y0, a rational number", required=True, rational=True)
    add_lr(p, "learning rate H > 0, a rational number, e.g. 4/90", rational=True)
    add_steps(p, 200_000, "maximum GD steps")
    add_dps(p, None, "run in mpmath at D digits instead of float64", absent="float64")
    add_json_flag(p)
    p.set_defaults(func=run)


def _rational(text, label) -> Fraction:
    from ..parsing import parse_number
    v = parse_number(text, label)
    if not v.is_Rational:
        raise InputError(f"{label} must be a rational number, got {text!r}")
    return Fraction(int(v.p), int(v.q))


def _float64(value: Fraction, label: str) -> float:
    """``value`` as a float64; :class:`InputError` when it is beyond float64's range."""
    try:
        return float(value)
    except OverflowError:
        raise InputError(f"{label} is beyond float64 (|x| < 1.8e308): use --dps D to run "
                         "in high precision") from None


def run(args) -> int:
    import dataclasses

    from ..balancing import run_scalar, run_scalar_mp
    from ..parsing import check_lr
    mu, x0, y0 = (_rational(v, n) for v, n in ((args.mu, "mu"), (args.x0, "x0"),
                                               (args.y0, "y0")))
    h = _rational(args.lr, "learning rate")
    check_lr(h)
    if args.dps:
        r = run_scalar_mp(mu, x0, y0, h, dps=args.dps, max_steps=args.steps)
        if r.limit is not None:  # print the high-precision limit rounded to float64
            r = dataclasses.replace(r, limit=tuple(float(c) for c in r.limit))
    else:
        _float64(mu, "--mu")
        x, y, lr = (_float64(v, n) for v, n in ((x0, "--x0"), (y0, "--y0"), (h, "--lr")))
        r = run_scalar(mu, x, y, lr, max_steps=args.steps)
    if args.json:
        print_json(r, args)
        return 0
    rows = [("converged", r.converged), ("result", r.label), ("steps run", r.steps),
            ("limit", "-" if r.limit is None else f"({r.limit[0]:.12g}, {r.limit[1]:.12g})"),
            ("sharpness at start L", f"{r.init_sharpness:.8g}"),
            ("h*L", f"{float(h) * r.init_sharpness:.6g}"),
            ("sharpness at limit", "-" if r.sharpness is None else f"{r.sharpness:.10g}"),
            ("2/h", f"{r.two_over_h:.10g}"),
            ("imbalance (x-y)^2", "-" if r.imbalance is None else f"{r.imbalance:.10g}"),
            ("bound 2/h - 2mu", f"{r.bound:.10g}"),
            ("bound holds", "-" if r.bound_holds is None else r.bound_holds)]
    print_table(["quantity", "value"], rows, args=args)
    return 0
