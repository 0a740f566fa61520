"""Superstable parameters of the period-doubling cascade of a 1-D GD map, and Feigenbaum's δ.

For f of one variable the GD map g_h(x) = x − h f′(x) has the derivative
g_h′(x) = 1 − h f″(x), so its critical point c(h) solves f″(c) = 1/h (it moves with h
unless f is cubic).  The learning rate H_k is **superstable of period 2^k** when the
critical point lies on a cycle of period 2^k:

    1 − h f″(c) = 0,        g_h^{2^k}(c) − c = 0.

Along a cascade the H_k increase to the accumulation point, and

    δ_k = (H_{k−1} − H_{k−2}) / (H_k − H_{k−1})  →  δ = 4.669201609102990671853203820466…

(Feigenbaum's constant, for every map with a quadratic critical point).  Each H_k (with
c(H_k)) is found by Newton in (c, h) at ``dps`` digits (mpmath, the orbit of c and its
derivatives ∂/∂c, ∂/∂h propagated along the 2^k steps), from the standard extrapolated
guess H_k ≈ H_{k−1} + (H_{k−1} − H_{k−2})/δ_{k−1}.  The first two are located directly:
H_0 = 1/f″(x*) at a local minimizer x* (the critical point is the fixed point x*), and H_1
as the first sign change of g_h²(c(h)) − c(h) beyond the doubling point 2/f″(x*), refined
by the same Newton.  No orbit is followed in h and no extended system with multipliers is
solved: a level costs one Newton solve of two equations over 2^k steps.

The errors of δ_k decay geometrically (ratio ≈ 1/δ), so the sequence is accelerated by
up to :data:`MAX_PASSES` Aitken Δ² passes; each pass removes the leading geometric term of
the error.  The error of the last entry s_K of a (possibly accelerated) sequence with
successive differences Δ_K, Δ_{K−1}, Δ_{K−2} is estimated as the tail of a geometric
series,

    E = SAFETY · max(|Δ_K|, |Δ_{K−1}|) · ρ / (1 − ρ),
    ρ = max(|Δ_K/Δ_{K−1}|, |Δ_{K−1}/Δ_{K−2}|) < 1,

and the reported δ is the last entry of the pass with the smallest E.  The larger of the
last two differences is used because after Aitken passes the differences change sign
irregularly, and a last difference that is small by cancellation made the estimate up to
19 times too small (x²/2 − x³/3 + x⁴/10 at 16 levels).  :data:`SAFETY` is calibrated on
nine maps with known δ (Feigenbaum's constant is universal for maps with a quadratic
critical point): see :data:`SAFETY`.  The estimate is not a rigorous bound; ``digits``
counts only the digits it covers.
"""
from __future__ import annotations

import math

import mpmath
import sympy as sp
from sympy.printing.pycode import MpmathPrinter

from ..errors import ComputationError, InputError
from ..objectives import Objective
from ..precision import precision
from ..results import Result, result

__all__ = ["superstable_cascade", "SuperstableCascade", "feigenbaum_estimate",
           "FEIGENBAUM_DELTA", "SAFETY", "MAX_PASSES", "MIN_ENTRIES"]

#: Feigenbaum's first constant (OEIS A006890), for the ``deviation`` field only.
FEIGENBAUM_DELTA = "4.66920160910299067185320382046620161725818557747576863274565134300413"
#: Safety factor of the geometric-tail error estimate.  Calibrated on GD on nine cubic,
#: quartic and quintic objectives — x³/3 − x (the quadratic family z² + C, C = 1/4 − h²),
#: x³/3 − x + x⁴/20 and seven perturbations x²/2 + a x³ + b x⁴ + c x⁵ (listed in
#: tests/test_cascade.py) — whose superstable rates were computed to 44 digits for 18
#: levels: for every level count from 10 to 18 the true error of the reported δ was at
#: most 0.24 of the estimate with this factor (0.12 with factor 4; the former estimate
#: with |Δ_K| alone was up to 19 times too small on x²/2 − x³/3 + x⁴/10).
#: tests/test_cascade.py checks the bound across maps.
SAFETY = 2.0
#: At most this many Aitken passes (further passes stall at about 10⁻¹⁸ while their
#: differences keep shrinking, so their estimates are too small).
MAX_PASSES = 3
#: A pass is scored only when it has at least this many entries.
MIN_ENTRIES = 5
#: Levels of the cascade computed by default (2^15 steps at the last; δ to 14–15
#: digits, 13 of them covered by the error estimate on x³/3 − x).
LEVELS = 16
_MAX_NEWTON = 40


@result
class SuperstableCascade(Result):
    """Superstable learning rates H_0 < H_1 < … of a 1-D GD map and Feigenbaum's δ.

    lrs : H_k (mpf), where the critical point c has period 2^k
    critical_points : c(H_k) (mpf), f″(c) = 1/H_k
    ratios : δ_k = (H_{k−1} − H_{k−2})/(H_k − H_{k−1}), k = 2, …
    delta : the estimate of δ (the last entry of the Aitken pass with the smallest error
        estimate; ``aitken_passes`` of them, 0 = the last ratio)
    delta_error : its error estimate (see the module doc)
    digits : significant digits of ``delta`` implied by the error estimate,
        ⌊−log10(delta_error/delta)⌋ (0 when there is no finite estimate)
    deviation : |delta − δ| with δ = 4.6692016091029906718532038204662… (68 digits)
    accumulation : H_∞ ≈ H_K + (H_K − H_{K−1})/(delta − 1)
    dps : working precision of the Newton solves (decimal digits)
    """

    lrs: tuple
    critical_points: tuple
    ratios: tuple
    delta: mpmath.mpf
    delta_error: float
    digits: int
    aitken_passes: int
    deviation: float
    accumulation: mpmath.mpf
    dps: int

    _repr_skip = ("critical_points", "ratios")


def superstable_cascade(obj: Objective, x_min, levels: int = LEVELS, *,
                        dps: int | None = None) -> SuperstableCascade:
    """The superstable learning rates H_0, …, H_{levels−1} of the period-doubling cascade of
    GD on the 1-D objective ``obj`` that starts at the local minimizer near ``x_min``, and
    Feigenbaum's δ from them with an error estimate (module doc).  Newton at ``dps``
    digits (default 20 + levels: H_k − H_{k−1} shrinks like δ^{−k}, so each level needs
    about log10 δ ≈ 0.67 more digits for the same accuracy of δ_k); ``levels`` between 4
    and 24 (an error estimate needs 7; level k iterates 2^k steps).

    Raises :class:`InputError` for a bad objective or arguments, :class:`ComputationError`
    when a Newton solve fails or leaves the cascade (a ratio outside (2, 8) from the third
    on)."""
    if not isinstance(obj, Objective) or obj.dim != 1:
        raise InputError("superstable_cascade needs a 1-D lrtheory Objective")
    if obj.params:
        raise InputError(f"objective has symbolic parameters {list(obj.params)}")
    levels = int(levels)
    dps = 20 + levels if dps is None else int(dps)
    if not 4 <= levels <= 24:
        raise InputError("levels must be between 4 and 24")
    if dps < 20:
        raise InputError("dps must be at least 20")
    with precision(dps):
        cmap = _CriticalMap(obj)
        first = _first_levels(cmap, mpmath.mpf(x_min))
        H, C = [first[0][0], first[1][0]], [first[0][1], first[1][1]]
        seed = mpmath.mpf(FEIGENBAUM_DELTA)       # the first guess only: Newton decides
        for k in range(2, levels):
            ratio = (H[-2] - H[-3]) / (H[-1] - H[-2]) if k > 2 else seed
            guess = H[-1] + (H[-1] - H[-2]) / ratio
            h, c = cmap.newton(guess, C[-1], 2 ** k)
            H.append(h)
            C.append(c)
            _check_cascade(H)
        ratios = [(H[k - 1] - H[k - 2]) / (H[k] - H[k - 1]) for k in range(2, len(H))]
        delta, err, passes = feigenbaum_estimate(ratios)
        acc = H[-1] + (H[-1] - H[-2]) / (delta - 1)
        deviation = float(abs(delta - mpmath.mpf(FEIGENBAUM_DELTA)))
    digits = int(math.floor(-math.log10(err / float(delta)))) if 0 < err < math.inf else 0
    return SuperstableCascade(tuple(H), tuple(C), tuple(ratios), delta, float(err),
                              max(digits, 0), passes, deviation, acc, dps)


def feigenbaum_estimate(ratios) -> tuple:
    """(estimate, error estimate, Aitken passes) of the limit of ``ratios`` (mpf): the
    sequence and up to :data:`MAX_PASSES` Aitken Δ² passes of it are scored by the
    geometric-tail estimate of their last entry (module doc; inf for a pass of fewer than
    :data:`MIN_ENTRIES` entries or with |ρ| ≥ 1) and the best is returned (the last ratio
    with an infinite error when none can be scored)."""
    best = (ratios[-1], math.inf, 0)
    seq = list(ratios)
    for passes in range(MAX_PASSES + 1):
        err = _tail_estimate(seq)
        if err < best[1]:
            best = (seq[-1], err, passes)
        seq = _aitken(seq)
    return best


def _tail_estimate(seq) -> float:
    """SAFETY·max(|Δ_K|, |Δ_{K−1}|)·ρ/(1 − ρ) with ρ the larger of |Δ_K/Δ_{K−1}|,
    |Δ_{K−1}/Δ_{K−2}| (module doc)."""
    if len(seq) < MIN_ENTRIES:
        return math.inf
    d = [seq[-1] - seq[-2], seq[-2] - seq[-3], seq[-3] - seq[-4]]
    if d[1] == 0 or d[2] == 0:
        return math.inf
    rho = max(abs(d[0] / d[1]), abs(d[1] / d[2]))
    if rho >= 1:
        return math.inf
    return SAFETY * float(max(abs(d[0]), abs(d[1])) * rho / (1 - rho))


def _aitken(seq) -> list:
    """s_k − (s_k − s_{k−1})² / (s_k − 2 s_{k−1} + s_{k−2}) (entries with a zero
    denominator are dropped)."""
    out = []
    for a, b, c in zip(seq, seq[1:], seq[2:]):
        den = (c - b) - (b - a)
        if den != 0:
            out.append(c - (c - b) ** 2 / den)
    return out


def _check_cascade(H):
    """A new level must continue the cascade: increasing, with ratios in (2, 8) from the
    third on (Newton converging to an earlier level or to another window breaks this)."""
    if H[-1] <= H[-2]:
        raise ComputationError(f"Newton for period {2 ** (len(H) - 1)} returned h = "
                               f"{mpmath.nstr(H[-1], 15)}, not beyond the previous level")
    if len(H) >= 4:
        ratio = (H[-2] - H[-3]) / (H[-1] - H[-2])
        if not 2 < ratio < 8:
            raise ComputationError(f"ratio {mpmath.nstr(ratio, 6)} at period "
                                   f"{2 ** (len(H) - 1)}: Newton left the cascade")


class _CriticalMap:
    """f′, f″, f‴ of a 1-D objective at the working precision, the orbit of the critical
    point with its derivatives (f′ and f″ inlined in the loop), and float f′, f″, f‴."""

    def __init__(self, obj: Objective):
        x = obj.vars[0]
        d1 = obj.gradient[0]
        d2 = sp.diff(d1, x)
        d3 = sp.diff(d2, x)
        if d3 == 0:
            raise InputError("f‴ vanishes: the GD map is affine and has no cascade")
        self.f1, self.f2, self.f3 = (_compile([e], x)[1] for e in (d1, d2, d3))
        self.orbit = _compile([d1, d2], x, loop=True)[0]      # at the working precision
        self.float_f = [sp.lambdify(x, e, "math") for e in (d1, d2, d3)]

    def newton(self, h, c, p: int):
        """(H, c): Newton in (c, h) on 1 − h f″(c) = 0, g_h^p(c) − c = 0 from (c, h)."""
        tol = mpmath.mpf(10) ** (-(mpmath.mp.dps - 6))
        for _ in range(_MAX_NEWTON):
            xp, a, b = self.orbit(c, h, p)
            f2c = self.f2(c)
            F1, F2 = 1 - h * f2c, xp - c
            J11, J12, J21, J22 = -h * self.f3(c), -f2c, a - 1, b
            det = J11 * J22 - J12 * J21
            if det == 0 or not mpmath.isfinite(det):
                break
            dc = -(F1 * J22 - J12 * F2) / det
            dh = -(J11 * F2 - J21 * F1) / det
            c, h = c + dc, h + dh
            if abs(dh) <= tol * abs(h) and abs(dc) <= tol * (1 + abs(c)):
                return h, c
        raise ComputationError(f"Newton for the superstable period-{p} learning rate did "
                               f"not converge (last h = {mpmath.nstr(h, 15)})")

    # -- the first two levels (float location, then Newton) -------------------------------
    def float_critical(self, h: float, c: float) -> float:
        """c(h) on the branch through ``c``: Newton on f″(c) = 1/h in floats."""
        _, f2, f3 = self.float_f
        try:
            for _ in range(60):
                step = (f2(c) - 1 / h) / f3(c)
                c -= step
                if abs(step) <= 1e-15 * (1 + abs(c)):
                    break
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.nan
        return c

    def float_return(self, h: float, c: float) -> float:
        """g_h²(c) − c in floats (nan when the orbit overflows)."""
        f1 = self.float_f[0]
        try:
            x = c - h * f1(c)
            return x - h * f1(x) - c
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.nan


def _first_levels(cmap: _CriticalMap, x_min):
    """(H_0, x*) and (H_1, c(H_1)): the minimizer x* near ``x_min`` (Newton on f′ = 0),
    H_0 = 1/f″(x*); H_1 from the first sign change of g_h²(c(h)) − c(h) over
    (2H_0, 4H_0] (the fixed point doubles at 2/f″(x*) = 2H_0), refined by Newton."""
    xs, tol = x_min, mpmath.mpf(10) ** (-(mpmath.mp.dps - 6))
    for _ in range(_MAX_NEWTON):
        curvature = cmap.f2(xs)
        if curvature == 0 or not mpmath.isfinite(curvature):
            break
        step = cmap.f1(xs) / curvature
        xs -= step
        if abs(step) <= tol * (1 + abs(xs)):
            break
    curvature = cmap.f2(xs)
    if not (abs(cmap.f1(xs)) <= tol * (1 + abs(xs)) and curvature > 0):
        raise InputError(f"no local minimizer (f′ = 0, f″ > 0) found from x = {x_min}")
    H0 = 1 / curvature
    h0 = float(H0)
    grid = [2 * h0 * (1 + 1e-6) + 2 * h0 * i / 512 for i in range(513)]
    c, prev = float(xs), None
    for h in grid:
        cn = cmap.float_critical(h, c)
        value = math.nan
        if math.isfinite(cn):
            c = cn
            value = cmap.float_return(h, c)
        if prev is not None and math.isfinite(value) and value * prev[1] < 0:
            guess = prev[0] + (h - prev[0]) * prev[1] / (prev[1] - value)
            H1, c1 = cmap.newton(mpmath.mpf(guess), mpmath.mpf(c), 2)
            if not H1 > 2 * H0:
                raise ComputationError("Newton for the superstable period-2 learning rate "
                                       "returned to the fixed point")
            return (H0, xs), (H1, c1)
        prev = (h, value) if math.isfinite(value) else None
    raise ComputationError("no superstable period-2 learning rate in (2H_0, 4H_0]: the "
                           "fixed point does not start a doubling cascade")


class _Printer(MpmathPrinter):
    """mpmath code with rational constants hoisted (``constants``: name → (p, q), made
    numbers once, at the working precision) and integers left as Python integers."""

    def __init__(self):
        super().__init__({"fully_qualified_modules": True})
        self.constants = {}

    def _print_Rational(self, expr):
        name = f"k{len(self.constants)}"
        self.constants[name] = (int(expr.p), int(expr.q))
        return name

    def _print_Integer(self, expr):
        return str(int(expr))

    def _print_Pow(self, expr, rational=False):
        if expr.exp.is_Integer and 2 <= expr.exp <= 4:
            return "*".join([f"({self._print(expr.base)})"] * int(expr.exp))
        return super()._print_Pow(expr, rational)


#: x_p, a = ∂x_p/∂c and b = ∂x_p/∂h of x_0 = c, x_(i+1) = x_i − h f′(x_i), with
#: d0 = f′(x_i), d1 = f″(x_i): a ← (1 − h d1) a, b ← (1 − h d1) b − d0.
_LOOP = '''
def orbit(c, h, p):
    x, a, b = c, ONE, ZERO
    for _ in range(p):
{body}
        m = 1 - h * d1
        b = m * b - d0
        a = m * a
        x = x - h * d0
    return x, a, b
'''


def _compile(exprs, x, loop: bool = False):
    """(orbit function, evaluator): with ``loop`` the orbit loop above with (f′, f″) =
    ``exprs`` inlined; else ``fn(x)`` evaluating the single expression (mpf in, mpf out)."""
    printer = _Printer()
    temps, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("t_"))
    sub = {x: sp.Symbol("x")}
    lines = [f"{t} = {printer.doprint(e.xreplace(sub))}" for t, e in temps]
    lines += [f"d{i} = {printer.doprint(e.xreplace(sub))}" for i, e in enumerate(reduced)]
    if loop:
        src = _LOOP.format(body="\n".join("        " + ln for ln in lines))
        return _mpfr_orbit(src, printer.constants) or \
            (_exec(src, mpmath, mpmath.mpf, printer.constants)["orbit"], None)
    src = "def fn(x):\n" + "".join(f"    {ln}\n" for ln in lines) + "    return d0\n"
    return None, _exec(src, mpmath, mpmath.mpf, printer.constants)["fn"]


def _exec(src: str, functions, number, constants) -> dict:
    """Run the generated ``src`` with ``mpmath.<name>`` looked up in ``functions`` and
    the constants, ONE and ZERO made by ``number``."""
    ns = {"mpmath": functions, "ONE": number(1), "ZERO": number(0)}
    ns.update({name: number(p) / q for name, (p, q) in constants.items()})
    exec(compile(src, "<lrtheory.bifurcation.cascade>", "exec"), ns)
    return ns


def _mpfr_orbit(src: str, constants):
    """The orbit loop in gmpy2's MPFR numbers (mpmath's own backend) at mpmath's working
    precision — about 8 times faster per step than mpf objects, the same correctly
    rounded operations — wrapped to take and return mpf; None when the code calls a
    function gmpy2 does not have under the same name."""
    import re

    import gmpy2
    names = set(re.findall(r"mpmath\.(\w+)", src))
    if not all(callable(getattr(gmpy2, n, None)) for n in names):
        return None
    prec = mpmath.mp.prec
    with gmpy2.context(precision=prec):
        raw = _exec(src, gmpy2, gmpy2.mpfr, constants)["orbit"]

    def to_mpfr(v):
        sign, man, exp, _ = v._mpf_
        return gmpy2.mul_2exp(gmpy2.mpfr(-man if sign else man), exp)

    def to_mpf(v):
        if not gmpy2.is_finite(v):
            return mpmath.mpf(float(v))
        man, exp = v.as_mantissa_exp()
        return mpmath.mpf((int(man), int(exp)))

    def orbit(c, h, p):
        with gmpy2.context(precision=prec):
            return tuple(to_mpf(v) for v in raw(to_mpfr(c), to_mpfr(h), p))
    return orbit, None
