"""One precision context for mpmath and python-flint together.

``with precision(dps=50):`` runs mpmath at 50 significant digits and python-flint ball
arithmetic at ``int(50 · 3.33) + 32`` bits (the guard bits keep ball radii small), and
restores both on exit, also on error.  ``precision(bits=200)`` sets both to 200 bits.

Both libraries keep their precision in process-wide state, so this context is not
thread-safe: lrtheory runs parallel work in separate processes, never in threads that
change precision.
"""
from __future__ import annotations

from contextlib import contextmanager

__all__ = ["precision", "current_dps", "ball_bits"]


def ball_bits(dps: int) -> int:
    """Bits of python-flint ball arithmetic used for ``dps`` decimal digits: 3.33·dps + 32."""
    return int(dps * 3.33) + 32


def current_dps() -> int:
    """mpmath's current working precision in decimal digits."""
    import mpmath
    return mpmath.mp.dps


@contextmanager
def precision(dps: int | None = None, *, bits: int | None = None):
    """Set mpmath and python-flint precision together; restore both on exit."""
    import flint
    import mpmath
    if (dps is None) == (bits is None):
        raise TypeError("give exactly one of dps and bits")
    old_mp, old_flint = mpmath.mp.prec, flint.ctx.prec
    try:
        if dps is not None:
            mpmath.mp.dps = int(dps)
            flint.ctx.prec = ball_bits(int(dps))
        else:
            mpmath.mp.prec = int(bits)
            flint.ctx.prec = int(bits)
        yield
    finally:
        mpmath.mp.prec = old_mp
        flint.ctx.prec = old_flint
