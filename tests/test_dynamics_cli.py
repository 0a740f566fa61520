"""The CLI contract of `lrtheory orbits`, `bifurcations` and `lyapunov` (issue 4)."""
import json

import mpmath
import numpy as np
import pytest
import sympy as sp

from lrtheory.cli import main
from lrtheory.dynamics.bifurcations import BifurcationSearch
from lrtheory.dynamics.orbits import OrbitSearch
from lrtheory.dynamics.lyapunov import LyapunovSpectrum


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_orbits_json_contract(capsys):
    """`orbits --json` prints the OrbitSearch result: it decodes back to the same object."""
    code, out, err = run(capsys, "orbits", "(x**2 - 1)**2/4", "--vars", "x", "--lr", "1.2",
                         "--period", "2", "--box=-2,2", "--starts", "50", "--dps", "40",
                         "--certify", "--json-exact")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["type"] == "OrbitSearch"
    res = OrbitSearch.from_json(doc)
    assert res.to_json(exact=True) == doc
    assert res.settings.h == sp.Rational(6, 5) and res.settings.certify
    assert {o.period for o in res.orbits} == {1, 2}
    for o in res.orbits:
        assert len(o.points) == o.period and o.certified and o.stable in (True, False)
        assert all(isinstance(c, mpmath.mpf) for pt in o.points for c in pt)
    assert [(c.period, c.found, c.complete) for c in res.coverage] == \
        [(1, 3, "estimated"), (2, 3, "estimated")]
    # the attracting 2-cycles: multiplier 9 - 2(1 + h)^2 = -17/25 to full precision
    att = [o for o in res.orbits if o.period == 2 and o.stable]
    assert len(att) == 2
    with mpmath.workdps(40):
        assert abs(att[0].multipliers[0] + mpmath.mpf(17) / 25) < 1e-35


def test_orbits_table_reports_coverage(capsys):
    code, out, err = run(capsys, "orbits", "(x**2 - 1)**2/4", "--vars", "x", "--lr", "1.2",
                         "--period", "2", "--box=-2,2", "--starts", "50", "--dps", "30")
    assert code == 0, err
    lines = out.splitlines()
    head = lines.index(next(ln for ln in lines if ln.startswith("period  starts")))
    assert [ln.split()[:3] for ln in lines[head + 1:head + 3]] == [["1", "50", "3"],
                                                                  ["2", "100", "3"]]
    assert all(ln.split()[5] == "estimated" for ln in lines[head + 1:head + 3])


def test_bifurcations_json_contract(capsys):
    code, out, err = run(capsys, "bifurcations", "(x**2 - 1)**2/4", "--vars", "x",
                         "--lr-range", "0.8", "1.25", "--max-period", "2", "--dps", "40",
                         "--method", "sample", "--samples", "12", "--json-exact")
    assert code == 0, err
    doc = json.loads(out)
    res = BifurcationSearch.from_json(doc)
    assert res.to_json(exact=True) == doc and res.method == "sample" and res.samples == 12
    assert doc["complete"]["status"] == "not proved" and "12 points" in doc["complete"]["reason"]
    bifs = res.bifurcations
    assert bifs and [b.lr for b in bifs] == sorted(b.lr for b in bifs)
    assert {b.kind for b in bifs} <= {"period-doubling", "fold"}
    assert {b.closed_form for b in bifs} >= {"1"}
    assert all(b.certified and b.lr_enclosure.contains(1) for b in bifs if b.period == 1)


def test_lyapunov_json_contract(capsys):
    code, out, err = run(capsys, "lyapunov", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "1.9",
                         "--x0", "0.3,0.31", "--steps", "5000", "--json-exact")
    assert code == 0, err
    r = LyapunovSpectrum.from_json(json.loads(out))
    assert r.exponents.shape == (1, 2) and r.exponents[0, 0] > 0.5 > 0 > r.exponents[0, 1]
    assert not r.diverged[0] and r.running[-1][0] == 5000 and r.starts.tolist() == [[0.3, 0.31]]


@pytest.mark.parametrize("argv", [
    ["orbits", "x**2+", "--vars", "x", "--lr", "1", "--period", "2"],
    ["orbits", "x**2", "--vars", "x", "--lr", "0", "--period", "2"],
    ["orbits", "x**2", "--vars", "x", "--lr", "1", "--period", "0"],
    ["orbits", "x**2 + z", "--vars", "x", "--lr", "1", "--period", "1"],
    ["orbits", "x**2", "--vars", "x", "--lr", "1", "--period", "1", "--box", "3"],
    ["bifurcations", "x**4", "--vars", "x", "--lr-range", "2", "1"],
    ["lyapunov", "x**2", "--vars", "x", "--lr", "-1", "--x0", "1"],
    ["lyapunov", "x**2", "--vars", "x", "--lr", "1", "--x0", "1,2"],
])
def test_bad_input_exits_2_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_divergent_lyapunov_is_reported(capsys):
    code, out, err = run(capsys, "lyapunov", "x**4/4", "--vars", "x", "--lr", "1", "--x0", "3",
                         "--steps", "100", "--json-exact")
    assert code == 0
    r = LyapunovSpectrum.from_json(json.loads(out))
    assert r.diverged.tolist() == [True] and np.isnan(r.exponents).all()
