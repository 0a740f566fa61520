"""The `lrtheory multiscale` command: JSON contract and one-line errors (exit 2)."""
import json
import math

import pytest

from lrtheory.cli import main
from lrtheory.multiscale.analysis import MultiscaleSample, sample
from lrtheory.multiscale.model import Multiscale

BASE = ["multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--vars", "x"]


def run_json(capsys, *extra):
    code = main(BASE + list(extra) + ["--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_json_contract_global_chaos(capsys):
    out = run_json(capsys, "--eps", "1e-4", "--lr", "0.2", "--steps", "2000", "--chains",
                   "400")
    for key in ("sigma2", "regime", "lyapunov", "mean", "variance", "gibbs_variance",
                "tv_distance", "ks_distance"):
        assert key in out
    assert out["sigma2"] == "1/2"
    assert out["regime"] == "global-chaos"
    # Gibbs variance of x^2/2 is eta sigma^2 / 2 = 0.05 (closed form)
    assert out["gibbs_variance"] == pytest.approx(0.05, rel=1e-8)
    # the iterates follow the bounded-noise variance eta sigma^2/(2 - eta) = 1/18
    assert out["variance"] == pytest.approx(0.2 * 0.5 / 1.8, abs=5 * out["variance_se"])
    # global chaos: lambda ~ log(eta/(2 eps)) = log 1000
    assert out["lyapunov"] == pytest.approx(math.log(1000), abs=0.02)
    assert 0 < out["tv_distance"] < 0.1 and 0 < out["ks_distance"] < 0.1
    # the JSON is the library's result, exactly
    ms = Multiscale.periodic("x**2/2", "sin(x)", "1e-4")
    assert MultiscaleSample.from_json(out) == sample(ms, 0.2, steps=2000, chains=400)


def test_json_local_min_and_unstable(capsys):
    out = run_json(capsys, "--eps", "1e-2", "--lr", "1e-3", "--steps", "2000", "--chains", "20")
    assert out["regime"] == "local-min" and out["lyapunov"] < 0
    out = run_json(capsys, "--eps", "1e-2", "--lr", "2.5", "--steps", "400", "--chains", "10")
    assert out["regime"] == "unstable" and out["variance"] is None and out["diverged"] == 10


def test_table_output(capsys):
    assert main(BASE + ["--eps", "1e-3", "--lr", "0.0043", "--steps", "2000",
                        "--chains", "40"]) == 0
    out = capsys.readouterr().out
    assert "regime" in out and "local-chaos" in out


@pytest.mark.parametrize("args", [
    ["--eps", "0", "--lr", "0.1"],
    ["--eps", "-1", "--lr", "0.1"],
    ["--eps", "0.1", "--lr", "0"],
    ["--eps", "0.1", "--lr", "-2"],
    ["--eps", "abc", "--lr", "0.1"],
    ["--eps", "0.1", "--lr", "0.1", "--steps", "1"],
    ["--eps", "0.1", "--lr", "0.1", "--width", "-1"],
])
def test_bad_numbers_exit_2(capsys, args):
    assert main(BASE + args) == 2
    err = capsys.readouterr().err
    assert err.startswith("lrtheory: error:") and err.count("\n") == 1


@pytest.mark.parametrize("f0,f1", [("x**2/2", "x"), ("x**2/", "sin(x)"),
                                   ("y**2", "sin(x)"), ("x**2/2", "__import__(x)")])
def test_bad_expressions_exit_2(capsys, f0, f1):
    code = main(["multiscale", "--f0", f0, "--f1", f1, "--eps", "0.1", "--lr", "0.1"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("lrtheory: error:") and "Traceback" not in err


def test_two_dimensional_json(capsys):
    """Separable f: per coordinate the variance is ησ²/(2 − η) with σ² = 1/2, η = 0.1."""
    code = main(["multiscale", "--f0", "(x**2+y**2)/2", "--f1", "sin(x)+sin(y)",
                 "--vars", "x,y", "--eps", "1e-4", "--lr", "0.1", "--steps", "1200",
                 "--chains", "300", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and len(out["mean"]) == 2 and out["tv_distance"] is None
    for i in range(2):
        assert out["variance"][i][i] == pytest.approx(0.05 / 1.9, rel=0.05)
