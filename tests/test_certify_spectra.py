"""lrtheory.certify.spectra: spectra and λ_max comparisons decided exactly or in balls,
against closed-form eigenvalues (the golden ratio of [[1, 1], [1, 0]], the 1 and 3 of
[[2, 1], [1, 2]]) and numpy's symmetric eigensolver."""
import numpy as np
import pytest
import sympy as sp
from flint import arb, arb_mat

from lrtheory.certify.spectra import (compare_top_eigenvalue, compare_top_eigenvalue_on_balls,
                                      eigenvalues_in, not_eigenvalues, spectrum_is,
                                      top_eigenpair)
from lrtheory.precision import precision

A = sp.Matrix([[2, 1], [1, 2]])           # eigenvalues 1 and 3
FIB = sp.Matrix([[1, 1], [1, 0]])         # eigenvalues (1 ± √5)/2
PHI = (1 + sp.sqrt(5)) / 2


def test_the_exact_spectrum_with_multiplicities():
    assert spectrum_is(A, [3, 1]) == (True, [])
    assert spectrum_is(A, [3, 2]) == (False, [2])
    assert spectrum_is(A, [3, 3]) == (False, [])          # a root, with the wrong count
    assert spectrum_is(FIB, [PHI, 1 - PHI]) == (True, [])


def test_eigenvalues_counted_in_intervals_agree_with_numpy():
    H = sp.Matrix(4, 4, lambda i, j: sp.Rational(1, i + j + 1))    # Hilbert matrix
    ev = np.linalg.eigvalsh(np.array(H.tolist(), dtype=float))
    for lo, hi in [(0, 1), (sp.Rational(1, 10), 2), (sp.Rational(1, 100000), 1)]:
        assert eigenvalues_in(H, lo, hi) == int(np.sum((ev >= lo) & (ev <= hi)))
    assert eigenvalues_in(sp.eye(3) * 2, 2, 2) == 3                   # multiplicity
    assert eigenvalues_in(FIB, PHI, PHI) == 1                         # irrational ends


def test_the_top_eigenvalue_compared_exactly():
    assert compare_top_eigenvalue(A, 3) == ("=", "exact")
    eps = sp.Rational(1, 10**40)
    assert compare_top_eigenvalue(A, 3 + eps) == ("<", "exact")
    assert compare_top_eigenvalue(A, 3 - eps) == (">", "exact")
    # φ to 50 digits, rounded down and up: λ_max lies strictly between
    below = sp.Rational(int(sp.floor(PHI * 10**50)), 10**50)
    assert compare_top_eigenvalue(FIB, below) == (">", "exact")
    assert compare_top_eigenvalue(FIB, below + sp.Rational(1, 10**50)) == ("<", "exact")
    assert compare_top_eigenvalue(FIB, PHI) == ("=", "exact")


def test_a_matrix_with_irrational_entries_is_compared_in_balls():
    H = sp.Matrix([[sp.sqrt(2), 0], [0, 1]])
    assert compare_top_eigenvalue(H, sp.Rational(141421356, 10**8)) == (">", "interval")
    assert compare_top_eigenvalue(H, sp.Rational(14142136, 10**7)) == ("<", "interval")
    # equality cannot be shown in balls: agreement to 20 digits is reported as such
    assert compare_top_eigenvalue(H, sp.sqrt(2)) == ("≈", "mpmath")
    assert not_eigenvalues(H, [1, 2, sp.sqrt(2)]) == [2]


def test_a_ball_of_matrices_is_decided_for_every_member_or_left_undecided():
    with precision(40):
        Hb = arb_mat([[arb(2, 0.01), 0], [0, 1]])      # diag(t, 1), t in [1.99, 2.01]
        vec = [sp.Integer(1), sp.Integer(0)]
        assert compare_top_eigenvalue_on_balls(Hb, sp.Rational(203, 100), vec, 2.0)[0] == "<"
        assert compare_top_eigenvalue_on_balls(Hb, sp.Rational(197, 100), vec, 2.0)[0] == ">"
        # 2.005 lies inside the range of λ_max over the ball: neither side is proved
        assert compare_top_eigenvalue_on_balls(Hb, sp.Rational(401, 200), vec, 2.0) == \
            ("?", "interval")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_approximate_top_eigenpair_agrees_with_numpy(seed):
    rng = np.random.default_rng(seed)
    B = rng.integers(-5, 6, size=(3, 3))
    H = sp.Matrix(B + B.T)
    top, vec = top_eigenpair(H)
    w, V = np.linalg.eigh(np.array(H.tolist(), dtype=float))
    assert top == pytest.approx(w[-1], rel=1e-13, abs=1e-13)
    v = np.array([float(c) for c in vec])
    assert abs(abs(v @ V[:, -1]) - 1) < 1e-12
