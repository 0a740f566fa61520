"""The CLI contract of `lrtheory orbits`, `bifurcations` and `lyapunov` (issue 4)."""
import json

import mpmath
import pytest

from lrtheory.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_orbits_json_contract(capsys):
    code, out, err = run(capsys, "orbits", "(x**2 - 1)**2/4", "--vars", "x", "--lr", "1.2",
                         "--period", "2", "--box=-2,2", "--starts", "50", "--dps", "40",
                         "--certify", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["lr"] == "1.2"
    assert {o["period"] for o in doc["orbits"]} == {1, 2}
    for o in doc["orbits"]:
        assert set(o) >= {"period", "points", "multipliers", "stable", "certified"}
        assert len(o["points"]) == o["period"]
        assert all(isinstance(c, str) for pt in o["points"] for c in pt)
        assert all(len(m) == 2 for m in o["multipliers"])
        assert o["stable"] in (True, False, None) and isinstance(o["certified"], bool)
    # the attracting 2-cycle: multiplier 9 - 2(1 + h)^2 = -17/25 to full precision
    att = [o for o in doc["orbits"] if o["period"] == 2 and o["stable"]]
    assert len(att) == 2
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(att[0]["multipliers"][0][0]) + mpmath.mpf(17) / 25) < 1e-35


def test_bifurcations_json_contract(capsys):
    code, out, err = run(capsys, "bifurcations", "(x**2 - 1)**2/4", "--vars", "x",
                         "--lr-range", "0.8", "1.25", "--max-period", "2", "--dps", "40",
                         "--samples", "12", "--json")
    assert code == 0, err
    bifs = json.loads(out)["bifurcations"]
    assert bifs and [float(b["lr"]) for b in bifs] == sorted(float(b["lr"]) for b in bifs)
    for b in bifs:
        assert set(b) >= {"type", "period", "lr", "point", "certified", "closed_form"}
        assert b["type"] in ("period-doubling", "fold")
    assert {b["closed_form"] for b in bifs} >= {"1"}


def test_lyapunov_json_contract(capsys):
    code, out, err = run(capsys, "lyapunov", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "1.9",
                         "--x0", "0.3,0.31", "--steps", "5000", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["exponents"]) == 2 and doc["exponents"][0] > 0.5 > 0 > doc["exponents"][1]
    assert doc["diverged"] is False and doc["running"][-1][0] == 5000


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
                         "--steps", "100", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["diverged"] is True and doc["exponents"] == [None]
