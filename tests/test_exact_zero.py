"""An orbit point that is exactly zero prints as 0, not as Newton's last iterate (about
10^-82 at 50 digits): the zero is kept only when ball arithmetic proves the snapped point
an exact orbit, so a point that is merely tiny is left as computed."""
import mpmath
import sympy as sp

from lrtheory.cli import main
from lrtheory.dynamics.orbits import search_periodic_orbits
from lrtheory.numbers import nstr
from lrtheory.objectives import Objective


def test_the_origin_of_the_blog8_map_is_an_exact_zero():
    # grad of (1 - xy)^2/2 is (-y(1 - xy), -x(1 - xy)): zero at the origin, so G_h(0) = 0
    obj = Objective("(1 - x*y)**2/2", "x,y")
    res = search_periodic_orbits(obj, sp.Rational(19, 10), 1, (-0.5, 0.5), starts=50,
                                 dps=50, seed=0, certify=True)
    (orbit,) = res.orbits
    assert orbit.points == ((0, 0),)
    assert all(isinstance(c, mpmath.mpf) for c in orbit.points[0])
    assert orbit.certified  # the Krawczyk box about the exact point still proves it
    # multipliers of DG_h(0) = I - h [[0, -1], [-1, 0]]: 1 ± h = 2.9, -0.9
    with mpmath.workdps(60):
        want = [mpmath.mpf(29) / 10, mpmath.mpf(-9) / 10]
        assert all(abs(m - w) < mpmath.mpf(10) ** -40 for m, w in zip(orbit.multipliers, want))


def test_a_tiny_fixed_point_that_is_not_zero_is_left_as_computed():
    # f = (x - 10^-40)^2/2 has the fixed point 10^-40, below the snapping threshold
    obj = Objective("(x - 1e-40)**2/2", "x")
    res = search_periodic_orbits(obj, sp.Rational(1, 2), 1, (-1, 1), starts=20, dps=50,
                                 seed=0)
    (orbit,) = res.orbits
    x = orbit.points[0][0]
    with mpmath.workdps(60):
        assert x != 0 and abs(x - mpmath.mpf(10) ** -40) < mpmath.mpf(10) ** -80


def test_zero_prints_as_0(capsys):
    assert nstr(mpmath.mpf(0), 8) == "0" and nstr(0.0, 8) == "0"
    assert nstr(mpmath.mpf("1.5"), 8) == "1.5"
    assert nstr(mpmath.mpf(1) / 3, 4) == "0.3333"
    assert main(["orbits", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "1.9",
                 "--max-period", "1", "--box", "-0.5,0.5", "--starts", "50",
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith('1,"(0,0)",')
