"""Certified smoothness constants and the hypothesis strategies (BLOG-1)."""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import fmpq, fmpq_mat
from hypothesis import given, settings

from lrtheory.catalogue import double_well
from lrtheory.errors import InputError
from lrtheory.falsify import falsify
from lrtheory.objectives import Objective
from lrtheory.smoothness import (
    GDInstance, SmoothObjective, ball_lower, ball_upper, box_bounds, round_up,
    spectral_bound_of_enclosure, spectral_norm_bound)
from lrtheory.strategies import (
    PIECES, box_polynomials, cayley_orthogonal, gd_instances, normalized_rates, quadratics,
    ridge_sums)

FEW = settings(max_examples=15)


def test_spectral_norm_bound_rational_eigenvalues_is_exact():
    # eigenvalues of [[2,1],[1,2]] are 1 and 3; of diag(-5, 1) they are -5 and 1
    assert spectral_norm_bound([[2, 1], [1, 2]]) == (fmpq(3), True)
    assert spectral_norm_bound([[-5, 0], [0, 1]]) == (fmpq(5), True)


def test_spectral_norm_bound_irrational_is_a_tight_upper_bound():
    golden = (1 + math.sqrt(5)) / 2          # eigenvalues of [[1,1],[1,0]]: (1 ± √5)/2
    L, exact = spectral_norm_bound([[1, 1], [1, 0]])
    assert not exact
    assert L >= fmpq(1618033988749894, 10**15) and float(L) - golden < 1e-9


def test_spectral_norm_bound_rejects_non_symmetric():
    with pytest.raises(InputError):
        spectral_norm_bound([[1, 2], [3, 4]])


def test_ball_bounds_and_round_up_enclose():
    from flint import arb
    third = arb(1) / 3
    assert ball_lower(third) <= fmpq(1, 3) <= ball_upper(third)
    assert round_up(fmpq(1, 3), 4) == fmpq(6, 16) and round_up(fmpq(-1, 3), 4) == fmpq(-5, 16)


def test_cayley_orthogonal_is_exactly_orthogonal():
    S = fmpq_mat([[0, fmpq(1, 2), -2], [fmpq(-1, 2), 0, fmpq(3, 4)], [2, fmpq(-3, 4), 0]])
    Q = cayley_orthogonal(S)
    assert Q.transpose() * Q == fmpq_mat([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(InputError):
        cayley_orthogonal(fmpq_mat([[0, 1], [1, 0]]))


def test_box_bounds_double_well_matches_hand_computation():
    # f = (x² − 1)²/4: f'' = 3x² − 1, sup on [−2, 2] is 11; min f = 0
    b = box_bounds(double_well(1), [(-2, 2)], per_side=32)
    assert 11 <= b.L <= fmpq(23, 2)
    assert -fmpq(1, 2) <= b.f_lower <= 0


def test_box_bounds_two_dimensional_spectral_norm():
    # f = x²y²: H(1,1) = [[2,4],[4,2]] has ‖H‖₂ = 6, the maximum over [−1,1]²
    x, y = sp.symbols("x y", real=True)
    b = box_bounds(Objective(x**2 * y**2, (x, y)), [(-1, 1), (-1, 1)], per_side=8)
    assert 6 <= b.L <= 12 and b.f_lower <= 0


@pytest.mark.parametrize("box", [[(1, 1)], [(0, 1), (0, 1)], [(2, -2)]])
def test_box_bounds_rejects_bad_boxes(box):
    with pytest.raises(InputError):
        box_bounds(double_well(1), box)


@pytest.mark.parametrize("name", sorted(PIECES))
def test_piece_curvature_bounds_by_independent_sampling(name):
    piece = PIECES[name]
    s = sp.Symbol("s", real=True)
    f2 = sp.lambdify(s, sp.diff(piece.phi(s), s, 2), "numpy")
    f0 = sp.lambdify(s, piece.phi(s), "numpy")
    grid = np.linspace(-30, 30, 600001)
    sup = np.max(np.abs(f2(grid) * np.ones_like(grid)))
    assert sup <= float(piece.sup_abs_f2) + 1e-12
    assert sup >= float(piece.sup_abs_f2) - 1e-6          # the bound is the supremum
    assert np.min(f0(grid) * np.ones_like(grid)) >= float(piece.inf) - 1e-12


@FEW
@given(quadratics())
def test_quadratics_L_is_the_exact_top_eigenvalue(problem):
    A = problem.objective.hessian
    L, exact = spectral_norm_bound(A)
    assert exact and L == problem.L
    assert problem.f_star_exact and problem.f_lower == 0
    # PSD: every eigenvalue (numerically) ≥ 0, so the minimum 0 is attained at x = 0
    eig = np.linalg.eigvalsh(np.array(A.tolist(), dtype=float))
    assert eig.min() >= -1e-12


@FEW
@given(ridge_sums())
def test_ridge_sums_L_bounds_the_hessian_at_sample_points(problem):
    obj = problem.objective
    rng = np.random.default_rng(0)
    for x in rng.uniform(-4, 4, size=(20, obj.dim)):
        H = np.atleast_2d(obj.numpy.hess(x))
        assert np.max(np.abs(np.linalg.eigvalsh(H))) <= float(problem.L) + 1e-9
        assert obj.numpy.value(x) >= float(problem.f_lower) - 1e-9


@settings(max_examples=8)
@given(box_polynomials(max_dim=2))
def test_box_polynomials_L_bounds_the_hessian_on_the_box(problem):
    obj = problem.objective
    rng = np.random.default_rng(1)
    r = float(problem.box[0][1])
    for x in rng.uniform(-r, r, size=(30, obj.dim)):
        with mpmath.workdps(30):
            H = np.array(obj.mpmath.hess(x).tolist(), dtype=float)
        assert np.max(np.abs(np.linalg.eigvalsh(H))) <= float(problem.L) + 1e-9
        assert obj.numpy.value(x) >= float(problem.f_lower) - 1e-9


@FEW
@given(gd_instances(quadratics()))
def test_gd_instances_respect_the_learning_rate_condition(inst):
    assert 0 < inst.h * inst.problem.L < 2
    assert all(isinstance(c, fmpq) for c in inst.x0) and isinstance(inst.h, fmpq)


@settings(max_examples=8)
@given(gd_instances(box_polynomials(max_dim=1)))
def test_box_instances_start_inside_the_box(inst):
    assert inst.problem.contains(inst.x0) is True


def test_instances_reject_bad_input():
    x = sp.Symbol("x", real=True)
    obj = Objective(x**2 / 2, (x,))
    with pytest.raises(InputError):
        SmoothObjective(obj, L=fmpq(0), f_lower=fmpq(0), certificate="")
    p = SmoothObjective(obj, L=fmpq(1), f_lower=fmpq(0), certificate="f'' = 1")
    with pytest.raises(InputError):
        GDInstance(p, (fmpq(1),), fmpq(0))
    with pytest.raises(InputError):
        GDInstance(p, (fmpq(1), fmpq(2)), fmpq(1))


@settings(max_examples=40)
@given(normalized_rates(fmpq(1, 2), fmpq(11, 5)))
def test_normalized_rates_stay_in_the_open_interval(t):
    assert fmpq(1, 2) < t < fmpq(11, 5)


def test_spectral_bound_of_enclosure_uses_the_smaller_norm():
    from flint import arb_mat
    # [[2,4],[4,2]]: max row sum 6, Frobenius √40 ≈ 6.32, spectral norm 6
    assert ball_upper(spectral_bound_of_enclosure(arb_mat([[2, 4], [4, 2]]))) == 6
    # diag(3, 4): row sum 4, Frobenius 5
    assert ball_upper(spectral_bound_of_enclosure(arb_mat([[3, 0], [0, 4]]))) == 4


def test_strategies_reject_bad_parameters():
    with pytest.raises(InputError):
        normalized_rates(2, 1)
    with pytest.raises(InputError):
        falsify(quadratics(min_dim=0), lambda p: True, max_examples=1)
    with pytest.raises(InputError):
        falsify(ridge_sums(pieces=("cubic",)), lambda p: True, max_examples=1)


@settings(max_examples=10)
@given(quadratics(eigenvalues=[fmpq(5, 2), 0, fmpq(1, 3)]))
def test_quadratics_from_a_chosen_spectrum(problem):
    A = np.array(problem.objective.hessian.tolist(), dtype=float)
    assert np.allclose(sorted(np.linalg.eigvalsh(A)), [0, 1 / 3, 5 / 2])
    assert problem.L == fmpq(5, 2)
    assert sp.Matrix(problem.objective.hessian).charpoly().as_expr().equals(
        sp.Poly(sp.Symbol("lambda") * (sp.Symbol("lambda") - sp.Rational(5, 2))
                * (sp.Symbol("lambda") - sp.Rational(1, 3)), sp.Symbol("lambda")).as_expr())


def test_quadratics_reject_a_bad_spectrum():
    with pytest.raises(InputError):
        falsify(quadratics(eigenvalues=[1, -1]), lambda p: True, max_examples=1)
