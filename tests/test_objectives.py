"""Each backend agrees with the exact model: numpy, mpmath, arb balls, fmpq rationals."""
import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb, fmpq

from lrtheory.catalogue import (double_well, factorization_vector, matrix_factorization,
                                multiscale, product_loss, quadratic)
from lrtheory.errors import InputError
from lrtheory.objectives import Objective, gd_orbit_exact

CASES = [
    Objective("(1 - x*y)**2/2", "x,y"),
    Objective("log(cosh(x - 1)) + sin(y)**2/3 + exp(x*y/5)", "x,y"),
    Objective("sqrt(1 + (x*y - 1)**2) - 1 + atan(x)/7", "x,y"),
    product_loss("logcosh", 1, 2),
    multiscale("x**2/2", "sin(x)", "1/10"),
]
POINT = {2: [sp.Rational(3, 7), sp.Rational(-5, 4)], 4: [sp.Rational(1, 2), sp.Rational(1, 3),
                                                          sp.Rational(-2), sp.Rational(3, 5)],
         1: [sp.Rational(7, 9)]}
H = sp.Rational(9, 10)


def exact_values(obj, pt):
    sub = dict(zip(obj.vars, pt))
    g = [gi.subs(sub) for gi in obj.gradient]
    Hm = obj.hessian.subs(sub)
    return obj.expr.subs(sub), g, Hm


@pytest.mark.parametrize("obj", CASES, ids=lambda o: o.name[:30])
def test_backends_agree_with_exact_model(obj):
    pt = POINT[obj.dim]
    f, g, Hm = exact_values(obj, pt)
    # mpmath at 40 digits against sympy's evalf at 50
    with mpmath.workdps(40):
        mp_pt = [mpmath.mpf(int(c.p)) / int(c.q) for c in pt]
        fm = obj.mpmath.value(mp_pt)
        gm = obj.mpmath.grad(mp_pt)
        Jm = obj.mpmath.gd_jacobian(mp_pt, mpmath.mpf(9) / 10)
        assert abs(fm - mpmath.mpf(sp.N(f, 50))) < mpmath.mpf(10) ** -35
        for a, b in zip(gm, g):
            assert abs(a - mpmath.mpf(sp.N(b, 50))) < mpmath.mpf(10) ** -35
        for i in range(obj.dim):
            for j in range(obj.dim):
                ref = (1 if i == j else 0) - H * Hm[i, j]
                assert abs(Jm[i, j] - mpmath.mpf(sp.N(ref, 50))) < mpmath.mpf(10) ** -35
    # arb balls contain the exact values
    ball_pt = [arb(fmpq(int(c.p), int(c.q))) for c in pt]
    assert obj.arb.value(ball_pt).contains(arb(str(sp.N(f, 40)))) or \
        obj.arb.value(ball_pt).overlaps(arb(str(sp.N(f, 40))))
    step = obj.arb.gd_step(ball_pt, arb(fmpq(9, 10)))
    for s, xi, gi in zip(step, pt, g):
        ref = arb(str(sp.N(xi - H * gi, 40)), 1e-35)
        assert s.overlaps(ref) and s.rad() < 1e-12
    # numpy: batch of the same point twice
    X = np.array([[float(c) for c in pt]] * 2)
    gn = obj.numpy.grad(X)
    assert gn.shape == (2, obj.dim)
    np.testing.assert_allclose(gn[0], [float(b) for b in g], rtol=1e-12, atol=1e-14)
    Jn = obj.numpy.gd_jacobian(X, 0.9)
    np.testing.assert_allclose(Jn[1], np.eye(obj.dim) - 0.9 * np.array(Hm.evalf(), dtype=float),
                               rtol=1e-12, atol=1e-14)


def test_exact_rational_backend_matches_sympy():
    obj = factorization_vector(1, 1)
    orbit = gd_orbit_exact(obj, [fmpq(2), fmpq(1, 3)], fmpq(19, 10), 3)
    x, y = sp.Rational(2), sp.Rational(1, 3)
    for k in range(3):
        r = 1 - x * y
        x, y = x + sp.Rational(19, 10) * r * y, y + sp.Rational(19, 10) * r * x
        assert orbit[k + 1] == [fmpq(int(x.p), int(x.q)), fmpq(int(y.p), int(y.q))]


def test_exact_backend_rejects_transcendental():
    with pytest.raises(InputError):
        Objective("sin(x)", "x").exact.value([fmpq(1)])


def test_divergence_is_a_result_not_a_crash():
    traj = Objective("x**4/4", "x").numpy.run([[10.0]], 1.0, 12)
    assert not np.all(np.isfinite(traj[-1]))


def test_catalogue_shapes():
    assert quadratic([[2, 1], [1, 3]]).hessian == sp.Matrix([[2, 1], [1, 3]])
    mf = matrix_factorization([[1, 2], [3, 4]], 1)
    assert mf.dim == 4
    assert double_well().gradient[0].subs(double_well().vars[0], 1) == 0
    with pytest.raises(InputError):
        quadratic([[1, 2], [3, 4]])
    with pytest.raises(InputError):
        multiscale("x**2", "sin(x)", "-1")
    with pytest.raises(InputError):
        Objective("abs(x)", "x").gradient


def test_undeclared_symbols_and_params():
    L, x = sp.symbols("L x")
    with pytest.raises(InputError):
        Objective(L * x**2, (x,))
    obj = Objective(L * x**2 / 2, (x,), params=(L,))
    assert obj.gradient == (L * x,)
    with pytest.raises(InputError):
        obj.numpy
