"""The bounded-noise transfer operator (lrtheory.multiscale.transfer; KT-3, KT-4)."""
import numpy as np
import pytest
import sympy as sp

from lrtheory.errors import InputError
from lrtheory.multiscale.gibbs import bounded_noise_chains, bounded_noise_variance
from lrtheory.multiscale.model import Multiscale
from lrtheory.multiscale.sampling import uniform_starts
from lrtheory.multiscale.transfer import bounded_noise_stationary


def moments(edges, p):
    c = (edges[1:] + edges[:-1]) / 2
    m = float((p * c).sum())
    return m, float((p * c * c).sum()) - m * m


@pytest.mark.parametrize("h", [0.4, 0.1])
def test_stationary_variance_quadratic_closed_form(h):
    """f0 = x²/2: stationary variance ησ²/(2 − η), σ² = 1/2, mean 0 by symmetry."""
    ms = Multiscale.periodic("x**2/2", "sin(x)", "1/10000")
    law = bounded_noise_stationary(ms, h, -1, 1, bins=1000)
    edges, p = law.edges, law.probabilities
    m, v = moments(edges, p)
    assert abs(m) < 1e-10
    assert v == pytest.approx(bounded_noise_variance(h, 0.5), rel=5e-4)
    assert p.sum() == pytest.approx(1) and (p >= 0).all()
    # symmetric law: half the mass on each side of 0; all of it above -1
    assert law.mass_above(0.0) == pytest.approx(0.5, abs=1e-10)
    assert law.mass_above(-1.0) == pytest.approx(1.0) and law.mass_above(1.0) == 0.0


def test_double_well_occupation_against_simulation():
    """Second algorithm: the iid simulation of the same model, started from its law."""
    h = 0.3
    ms = Multiscale.periodic("(x**2 - 1)**2/4 + x/20", "sin(x)", "3/10000")
    x = ms.vars[0]
    xs = float(sp.nsolve(sp.diff(ms.f0, x), x, 0))
    law = bounded_noise_stationary(ms, h, -2.5, 2.5, bins=1000)
    edges, p = law.edges, law.probabilities
    centers = (edges[1:] + edges[:-1]) / 2
    rng = np.random.default_rng(0)
    x0 = rng.choice(centers, size=2000, p=p)[:, None]
    run = bounded_noise_chains(ms, h, x0, 3000, seed=1, burn=100, tail=0,
                               observe=lambda X: (X[:, :1] > xs).astype(float))
    occ = run.sum_obs[:, 0] / run.samples
    assert abs(occ.mean() - p[centers > xs].sum()) < 4 * occ.std(ddof=1) / np.sqrt(occ.size)


def test_transfer_rejects_bad_input():
    ms = Multiscale.periodic("x**2/2", "sin(x)", "1/100")
    with pytest.raises(InputError):
        bounded_noise_stationary(ms, 0.1, 1, -1)
    ms2 = Multiscale.periodic("(x**2 + y**2)/2", "sin(x) + sin(y)", "1/100", "x,y")
    with pytest.raises(InputError):
        bounded_noise_stationary(ms2, 0.1, -1, 1)


def test_run_chains_uniform_starts_shape():
    assert uniform_starts(0, 1, 7, 3).shape == (7, 3)
