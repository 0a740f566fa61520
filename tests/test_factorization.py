"""Closed forms of the factorization landscape (lrtheory.factorization) against
independent computations: the catalogue objective's sympy derivatives and GD step, SVDs,
exact rational arithmetic."""
import io
import json
import pickle
from contextlib import redirect_stdout

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

from lrtheory import factorization as fz
from lrtheory.catalogue import factorization_vector, matrix_factorization
from lrtheory.cli import main
from lrtheory.objectives import Objective
from lrtheory.precision import precision

small_q = st.fractions(min_value=-3, max_value=3, max_denominator=7)


def _fmpq_array(vals, shape):
    return np.array([fmpq(v.numerator, v.denominator) for v in vals], dtype=object).reshape(shape)


@pytest.mark.parametrize("n,m,d", [(2, 3, 2), (3, 2, 1), (1, 1, 3)])
def test_closed_form_hessian_matches_catalogue(n, m, d):
    rng = np.random.default_rng(n * 10 + m + d)
    A = rng.integers(-3, 4, size=(n, m))
    obj = matrix_factorization(A, d)
    X, Y = rng.standard_normal((n, d)), rng.standard_normal((m, d))
    H_cat = obj.numpy.hess(np.concatenate([X.ravel(), Y.ravel()]))
    np.testing.assert_allclose(fz.hessian(A.astype(float), X, Y), H_cat, atol=1e-10)


@pytest.mark.parametrize("shape", [(1, 1, 1), (2, 2, 1), (2, 2, 2), (3, 2, 1)])
def test_symbolic_proofs_small_shapes(shape):
    assert fz.prove_hessian_closed_form(*shape)
    assert fz.prove_zero_residual_structure(*shape)
    assert fz.prove_imbalance_law(*shape)
    assert fz.prove_gradient_flow_conservation(*shape)


def test_is_zero_detects_nonzero():
    x = sp.Symbol("x")
    assert not fz.is_zero(np.array([0, x * (x + 1) - x**2], dtype=object))


@pytest.mark.parametrize("d", [1, 2, 3])
def test_vector_case_proofs(d):
    assert fz.prove_vector_hessian_rank_one(d)
    assert fz.prove_vector_imbalance_law(d)
    assert fz.prove_critical_points_vector(d)
    if d <= 2:
        assert fz.prove_vector_minimizer_spectrum(d)


def test_homogeneity_and_flattest_scalar():
    assert fz.prove_homogeneity(2, 2, 2)
    res = fz.prove_flattest_scalar_minimizer()
    assert res.holds and res.value == 2 * sp.Symbol("mu", positive=True)


@settings(max_examples=40)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(0, 10**6))
def test_zero_residual_sharpness_is_sum_of_squared_spectral_norms(n, m, d, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((n, d)), rng.standard_normal((m, d))
    expected = np.linalg.svd(X, compute_uv=False)[0] ** 2 + \
        np.linalg.svd(Y, compute_uv=False)[0] ** 2
    assert fz.sharpness_numeric(X @ Y.T, X, Y) == pytest.approx(expected, rel=1e-9)


@settings(max_examples=40)
@given(st.lists(small_q, min_size=10, max_size=10), small_q.filter(lambda q: q > 0))
def test_matrix_imbalance_law_exact(vals, h):
    """D' = D + h²(YᵀRᵀRY − XᵀRRᵀX) exactly for A ∈ Q^{2×2}, X, Y ∈ Q^{2×1}; the step is
    the catalogue objective's exact GD step (independent of the closed form)."""
    A = _fmpq_array(vals[:4], (2, 2))
    X, Y = _fmpq_array(vals[4:6], (2, 1)), _fmpq_array(vals[6:8], (2, 1))
    obj = matrix_factorization(sp.Matrix(2, 2, [sp.Rational(v.numerator, v.denominator)
                                                for v in vals[:4]]), 1)
    z1 = obj.exact.gd_step(list(X.ravel()) + list(Y.ravel()), fmpq(h.numerator, h.denominator))
    X1, Y1 = np.array(z1[:2], dtype=object).reshape(2, 1), np.array(z1[2:], dtype=object).reshape(2, 1)
    hq = fmpq(h.numerator, h.denominator)
    assert (fz.imbalance(X1, Y1) == fz.imbalance_step_predicted(A, X, Y, hq)).all()


@settings(max_examples=60)
@given(small_q, small_q, small_q, small_q.filter(lambda q: q > 0))
def test_scalar_imbalance_multiplied_exactly(x, y, mu, h):
    """x'² − y'² = (1 − h²r²)(x² − y²), the step from the catalogue objective (exact)."""
    obj = factorization_vector(sp.Rational(mu.numerator, mu.denominator), 1)
    x1, y1 = obj.exact.gd_step([fmpq(x.numerator, x.denominator), fmpq(y.numerator, y.denominator)],
                               fmpq(h.numerator, h.denominator))
    r = x * y - mu
    expected = (1 - h * h * r * r) * (x * x - y * y)
    assert x1 * x1 - y1 * y1 == fmpq(expected.numerator, expected.denominator)


def test_balanced_factors_are_flattest():
    A = np.random.default_rng(3).standard_normal((4, 4))
    X, Y = fz.balanced_factors(A, 4)
    s1 = np.linalg.svd(A, compute_uv=False)[0]
    assert np.allclose(X @ Y.T, A) and np.allclose(X.T @ X, Y.T @ Y)
    assert fz.sharpness_numeric(A, X, Y) == pytest.approx(2 * s1, rel=1e-10)
    G = np.array([[2, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.0]])
    assert fz.sharpness_numeric(A, X @ G, Y @ np.linalg.inv(G).T) > 2 * s1


def test_mp_zero_residual_check_high_precision():
    import mpmath
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    with precision(40):
        res = fz.mp_zero_residual_check(X, Y)
        assert res.max_abs_error < mpmath.mpf(10) ** -30
    s = np.linalg.svd(X, compute_uv=False)[0] ** 2 + np.linalg.svd(Y, compute_uv=False)[0] ** 2
    assert float(res.sharpness) == pytest.approx(s, rel=1e-12)


def test_hessian_spectrum_exact_closed_forms():
    res = fz.hessian_spectrum_at(Objective("(1 - x*y)**2/2", "x,y"), {"x": "2", "y": "1/2"})
    assert res.exact and list(res.eigenvalues) == ["17/4", "0"]
    # [[2, 1], [1, 6]]: eigenvalues 4 ± sqrt(5)
    res = fz.hessian_spectrum_at(Objective("x**2 + x*y + 3*y**2", "x,y"), {"x": 0, "y": 0})
    assert [sp.simplify(sp.sympify(e)) for e in res.eigenvalues] == \
        [4 + sp.sqrt(5), 4 - sp.sqrt(5)]


def test_hessian_spectrum_numeric_fallback():
    import mpmath
    res = fz.hessian_spectrum_at(Objective("sin(x)*y", "x,y"), {"x": 1, "y": 2})
    assert res.exact is False
    with precision(60):
        a, b = -2 * mpmath.sin(1), mpmath.cos(1)  # [[a, b], [b, 0]]
        top = (a + mpmath.sqrt(a * a + 4 * b * b)) / 2
        assert abs(mpmath.mpf(res.sharpness) - top) < mpmath.mpf(10) ** -35


def _cli(argv):
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(argv)
    return code, buf.getvalue()


def test_cli_sharpness_json():
    code, out = _cli(["sharpness", "(1 - x*y)**2/2", "--vars", "x,y", "--at", "x=2,y=1/2",
                      "--json"])
    data = json.loads(out)
    assert code == 0
    assert data["point"] == {"x": "2", "y": "1/2"}
    assert data["eigenvalues"] == ["17/4", "0"] and data["sharpness"] == "17/4"
    assert data["exact"] is True
    assert fz.HessianSpectrum.from_json(data) == fz.hessian_spectrum_at(
        Objective("(1 - x*y)**2/2", "x,y"), {"x": "2", "y": "1/2"})


@pytest.mark.parametrize("argv", [
    ["sharpness", "x*y", "--vars", "x,y", "--at", "x=1"],
    ["sharpness", "x*y", "--vars", "x,y", "--at", "x=1,z=2"],
    ["sharpness", "x*y +", "--vars", "x,y", "--at", "x=1,y=2"],
    ["sharpness", "log(x)", "--vars", "x", "--at", "x=0"],
    ["sharpness", "x*y", "--vars", "x,y", "--at", "x1,y=2"],
])
def test_cli_sharpness_bad_input_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]


@pytest.mark.parametrize("G", [[[1, 0], [0, 1]], [[2, 1], [-1, 3]], [[1, 0], [0, 7]]])
def test_orbit_charpoly_identity_exact(G):
    assert fz.orbit_charpoly_identity([[1, 2], [0, 1], [3, 1]], [[1, 0], [1, 1]], G)


def test_flattest_on_orbit_reaches_twice_top_singular_value():
    A = np.random.default_rng(5).standard_normal((3, 3))
    best = fz.flattest_on_orbit(A, A.copy(), np.eye(3), starts=2)
    assert best == pytest.approx(2 * np.linalg.svd(A, compute_uv=False)[0], rel=1e-6)


def test_hessian_spectrum_irreducible_quintic_falls_back_to_high_precision():
    """Tridiagonal Hessian diag(1, 2, 3, 5, 8) with unit off-diagonals: its characteristic
    polynomial has no roots in radicals found by sympy, so the result is numeric."""
    expr = "x1**2/2 + x2**2 + 3*x3**2/2 + 5*x4**2/2 + 4*x5**2 + x1*x2 + x2*x3 + x3*x4 + x4*x5"
    res = fz.hessian_spectrum_at(Objective(expr, "x1,x2,x3,x4,x5"), {f"x{i}": 0 for i in range(1, 6)})
    M = np.diag([1.0, 2, 3, 5, 8]) + np.diag(np.ones(4), 1) + np.diag(np.ones(4), -1)
    assert res.exact is False
    np.testing.assert_allclose([float(e) for e in res.eigenvalues],
                               np.linalg.eigvalsh(M)[::-1], rtol=1e-13)


def test_hessian_spectrum_three_real_roots_in_real_form():
    res = fz.hessian_spectrum_at(Objective("x**2 + x*y + 3*y**2/2 + y*z + 5*z**2/2", "x,y,z"),
                                 {"x": 0, "y": 0, "z": 0})
    M = np.array([[2.0, 1, 0], [1, 3, 1], [0, 1, 5]])
    assert res.exact and not any("I" in e for e in res.eigenvalues)
    np.testing.assert_allclose([float(sp.N(sp.sympify(e), 30)) for e in res.eigenvalues],
                               np.linalg.eigvalsh(M)[::-1], rtol=1e-13)


# ---- result objects: exact JSON round trip and pickling --------------------------------
_mpf = st.builds(lambda m, e: mpmath.mpf(mpmath.libmp.from_man_exp(m, e)),
                 st.integers(-2**200, 2**200), st.integers(-300, 300))
_text = st.text(max_size=30)
_expr = st.none() | st.sampled_from([sp.Integer(2) * sp.Symbol("mu", positive=True),
                                     sp.sqrt(5) + 4, sp.Rational(17, 4)])


def _round_trips(r):
    assert type(r).from_json(r.to_json(exact=True)) == r
    assert type(r).from_json(json.dumps(r.to_json(exact=True))) == r
    assert pickle.loads(pickle.dumps(r)) == r
    assert type(r).__name__ in repr(r) and "<table>" in r._repr_html_()


@given(st.builds(fz.SymbolicCheck, _text, st.lists(st.integers(1, 9), max_size=3).map(tuple),
                 st.booleans(), _expr),
       st.builds(fz.ZeroResidualCheck, _mpf, _mpf, _mpf, st.integers(15, 200)),
       st.builds(fz.HessianSpectrum,
                 st.dictionaries(st.sampled_from(["x", "y", "z"]), _text, max_size=3),
                 st.lists(_text, min_size=1, max_size=4).map(tuple), _text, st.booleans(),
                 st.lists(_text, max_size=4).map(tuple)))
def test_factorization_results_round_trip(check, zero, spectrum):
    for r in (check, zero, spectrum):
        _round_trips(r)
    assert bool(check) is check.holds


def test_factorization_results_from_computations_round_trip():
    X, Y = np.random.default_rng(1).standard_normal((2, 3, 2))
    with precision(40):
        zero = fz.mp_zero_residual_check(X, Y)
    assert zero.dps == 40
    spectra = [fz.hessian_spectrum_at(Objective("(1 - x*y)**2/2", "x,y"), {"x": "2", "y": "1/2"}),
               fz.hessian_spectrum_at(Objective("sin(x)*y", "x,y"), {"x": 1, "y": 2})]
    for r in [zero, fz.prove_imbalance_law(2, 2, 1), fz.prove_flattest_scalar_minimizer(),
              fz.orbit_charpoly_identity([[1, 2], [0, 1], [3, 1]], [[1, 0], [1, 1]],
                                         [[2, 1], [-1, 3]])] + spectra:
        _round_trips(r)
    assert spectra[0].sympy_eigenvalues() == (sp.Rational(17, 4), 0)
    assert spectra[0]["sharpness"] == "17/4" and zero["dps"] == 40  # the former dict keys
    assert fz.prove_imbalance_law(2, 2, 1).shape == (2, 2, 1)
