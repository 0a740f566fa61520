"""Statements over a parameter of the objective (lrtheory.certify.parametric): the
parameter is a coordinate of the boxes of (h, x₀, μ) of lrtheory.certify.gd_sets.

Independent derivations used as expected values:
* f = μx²/2 + x⁴/4: x_{k+1} = x_k(1 − h(μ + x_k²)).  For h ∈ [1/10, 1/2], μ ∈ [1/2, 1] and
  |x₀| ≤ 1/2: 0 < h(μ + x²) ≤ 5/8, so |x_{k+1}| ≤ (1 − hμ)|x_k| and GD converges to 0.
  For hμ > 2: |1 − hμ − hx²| ≥ hμ − 1 > 1, so every start x₀ ≠ 0 diverges.
* f = μ(x² + y²)²/4 (radial): ‖x_{k+1}‖₂ = ‖x_k‖₂|1 − hμ‖x_k‖₂²|, divergent once
  hμ‖x‖₂² > 2; from ‖x₀‖₂ ≥ 4 with hμ ≥ 1/4 it diverges.
"""
from __future__ import annotations

import pytest
import sympy as sp

from lrtheory.certify.gd_sets import prove_over_sets
from lrtheory.certify.parametric import ParameterFamily
from lrtheory.certify.sets import box, interval
from lrtheory.errors import InputError
from lrtheory.objectives import Objective
from lrtheory.parsing import parse_variables, to_expr

QUARTIC = "mu*x**2/2 + x**4/4"


def family(f, v, p="mu"):
    xs, ps = parse_variables(v), parse_variables(p)
    return Objective(to_expr(f, xs + ps, "objective"), xs, params=ps)


def test_convergence_proved_for_every_parameter():
    proof = prove_over_sets(family(QUARTIC, "x"), interval("[1/10, 1/2]"),
                            box([["-1/2", "1/2"]], 1), "converges", target=(0,),
                            params={"mu": interval("[1/2, 1]")})
    assert proof.verdict == "proved" and proof.undecided_measure == 0
    assert all(c.startswith("trapping region") for c in proof.certificates)


def test_convergence_refuted_at_a_named_parameter():
    mus = interval("[9/10, 1]")
    proof = prove_over_sets(family(QUARTIC, "x"), interval("[5/2, 3]"),
                            box([["1/4", "1/2"]], 1), "converges", params={"mu": mus})
    assert proof.verdict == "refuted"
    h, (x0,), why = proof.fails[0]
    (name, mu), = proof.fail_params[0]
    assert name == "mu" and mus.contains(mu) and "escape region" in why and "mu in" in why
    assert h * mu > 2 and x0 != 0          # the closed form: this orbit diverges
    # the named point re-checked on its own: exact orbit, |x_k| grows by ≥ hμ − 1 > 1
    x = sp.Rational(x0)
    for _ in range(6):
        nxt = x * (1 - h * (mu + x**2))
        assert abs(nxt) >= (h * mu - 1) * abs(x)
        x = nxt


def test_divergence_in_two_variables_for_every_parameter():
    proof = prove_over_sets(family("mu*(x**2 + y**2)**2/4", "x,y"), interval("[1/2, 1]"),
                            box([["4", "5"], ["-1", "1"]], 2), "diverges",
                            params={"mu": interval("[1/2, 1]")})
    assert proof.verdict == "proved"
    assert all(c.startswith("escape region") for c in proof.certificates)


def test_an_undecided_part_is_measured_in_the_parameter_box_too():
    # near hμ = 2 convergence (and escape) take ever more steps: part stays undecided
    proof = prove_over_sets(family(QUARTIC, "x"), interval("[1, 3]"), box([["1/4", "1/2"]], 1),
                            "converges", params={"mu": interval("[1/2, 1]")}, max_boxes=80)
    assert proof.verdict == "undecided"
    assert 0 < proof.undecided_measure <= 2 * (1 / 4) * (1 / 2)   # within the (h, x0, μ) box
    assert all(len(b) == 3 for b in proof.undecided)


def test_the_whole_parameter_interval_counts_not_its_midpoint():
    # at μ = 3/4, h ∈ [11/5, 12/5]: hμ ≤ 9/5 < 2 and GD converges (proved); over
    # μ ∈ [1/2, 1] the rates with hμ > 2 diverge, so the statement must not be proved
    args = (interval("[11/5, 12/5]"), box([["1/8", "1/4"]], 1), "converges")
    at_mid = prove_over_sets(family(QUARTIC, "x"), *args, params={"mu": interval("[3/4, 3/4]")},
                             max_boxes=200)
    assert at_mid.verdict == "proved"
    over = prove_over_sets(family(QUARTIC, "x"), *args, params={"mu": interval("[1/2, 1]")},
                           max_boxes=200)
    assert over.verdict != "proved"
    for (h, _, _), params in zip(over.fails, over.fail_params):
        assert h * dict(params)["mu"] > 2


def test_parameters_are_checked_before_work():
    obj = family(QUARTIC, "x")
    with pytest.raises(InputError, match="missing"):
        ParameterFamily(obj, {})
    with pytest.raises(InputError, match="not parameters"):
        ParameterFamily(obj, {"mu": interval("[1, 2]"), "nu": interval("[1, 2]")})
    with pytest.raises(InputError, match="bounded"):
        ParameterFamily(obj, {"mu": interval("(1, inf)")})
    with pytest.raises(InputError, match="params"):
        prove_over_sets(obj, interval("[1/10, 1/2]"), box([["0", "1"]], 1), "converges")


def test_the_toml_claim_of_the_guide_is_proved(tmp_path):
    """The ``params`` claim shown in docs/guide/verdicts.md loads and is proved."""
    import re
    from pathlib import Path

    from lrtheory.claims.toml_claims import load_toml_file
    page = Path(__file__).resolve().parents[1] / "docs" / "guide" / "verdicts.md"
    block = next(b for b in re.findall(r"```toml\n(.*?)```", page.read_text(), flags=re.S)
                 if "params" in b)
    (tmp_path / "claims.toml").write_text(block)
    specs, problems = load_toml_file(tmp_path / "claims.toml")
    assert not problems
    ev = specs[0].check()
    assert ev.verdict == "proved"
    assert "every mu in [1/2, 1]" in ev.findings[-1]["statement"]


def test_the_claim_kind_names_the_parameter_of_a_counterexample():
    from lrtheory import expect
    from lrtheory.claims import CheckContext
    prop = expect.gd_converges(QUARTIC, "x", lr="5/2", start_box=[["1/4", "1/2"]],
                               params={"mu": "[9/10, 1]"})
    ev = expect.throughout(prop, lr_range="[5/2, 3]")(CheckContext())
    assert ev.verdict == "refuted"
    assert "mu = " in ev.findings[-1]["statement"]


@pytest.mark.parametrize("objective, params, match", [
    ("x**2/2", {"mu": "[0, 1]"}, "do not occur"),
    (QUARTIC, {"nu": "[0, 1]"}, "unknown name 'mu'"),
    (QUARTIC, {"mu": "(0, inf)"}, "bounded"),
    (QUARTIC, {"x": "[0, 1]"}, "variables"),
    (QUARTIC, {"mu": "[1, a]"}, "params"),
    (QUARTIC, "mu", "table"),
    (QUARTIC, {f"m{i}": "[0, 1]" for i in range(5)}, "at most 4"),
])
def test_bad_params_are_input_errors(objective, params, match):
    from lrtheory import expect
    with pytest.raises(InputError, match=match):
        expect.gd_converges(objective, "x", lr="1/2", start_box=[["0", "1"]], params=params)
