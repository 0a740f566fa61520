"""The option vocabulary shared by every command (lrtheory.cli.options): every option has
help text and shows its default; values that start with a minus sign are values; shared
options have the same bounds everywhere."""
import argparse
import json
import math

import pytest

from lrtheory.cli import build_parser, main
from lrtheory.cli import options as O

PARSER = build_parser()
COMMANDS = next(a for a in PARSER._actions
                if isinstance(a, argparse._SubParsersAction)).choices


def _shown_help(parser, action) -> str:
    """The help line of ``action`` as ``--help`` prints it (defaults expanded)."""
    return " ".join(parser._get_formatter()._expand_help(action).split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_help_and_shows_its_default(name):
    parser = COMMANDS[name]
    text = parser.format_help()
    for action in parser._actions:
        assert action.help and action.help.strip(), f"{name}: {action.dest} has no help"
        for flag in action.option_strings:
            assert flag in text
        if not action.option_strings or action.default is argparse.SUPPRESS:
            continue
        shown = _shown_help(parser, action)
        if action.required:
            assert "(required)" in shown, (name, action.dest, shown)
        elif action.nargs == 0:
            assert "(default: off)" in shown, (name, action.dest, shown)
        else:
            assert "(default" in shown, (name, action.dest, shown)
            if action.default is not None and "(default: %(default)s)" in \
                    parser._get_formatter()._get_help_string(action):
                assert f"(default: {action.default})" in shown


def test_top_level_help_lists_every_command():
    text = PARSER.format_help()
    assert all(name in text for name in COMMANDS)
    assert all(a.help for a in PARSER._actions)


def _parse(*argv):
    return PARSER.parse_args(list(argv))


@pytest.mark.parametrize("argv,dest,value", [
    (["orbits", "x**2", "--vars", "x", "--lr", "1", "--max-period", "1", "--box", "-2.5,2.5"],
     "box", "-2.5,2.5"),
    (["orbits", "x**2", "--vars", "x", "--lr", "1", "--period", "1", "--box=-2.5,2.5"],
     "box", "-2.5,2.5"),
    (["bifurcations", "x**4", "--vars", "x", "--lr-range", "1", "2", "--box", "-1,-1/2"],
     "box", "-1,-1/2"),
    (["lyapunov", "x*y", "--vars", "x,y", "--lr", "1", "--x0", "-0.5,0.3"], "x0", "-0.5,0.3"),
    (["lyapunov", "x", "--vars", "x", "--lr", "1", "--x0", "-.5"], "x0", "-.5"),
    (["balance", "--x0", "-9", "--y0", "-1/2", "--lr", "1/10", "--mu", "-1"], "y0", "-1/2"),
    (["balance", "--x0", "-9", "--y0", "1", "--lr", "1/10", "--mu", "-1"], "mu", "-1"),
    (["multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--eps", "1", "--lr", "1",
      "--start", "-pi/4"], "start", "-pi/4"),
    (["modeq", "-x**2", "--vars", "x"], "expr", "-x**2"),
    (["sharpness", "-x**2*y", "--vars", "x,y", "--at", "x=-1,y=2"], "expr", "-x**2*y"),
])
def test_values_starting_with_a_minus_sign(argv, dest, value):
    assert getattr(_parse(*argv), dest) == value


def test_period_spellings_are_one_option():
    base = ["orbits", "x**2", "--vars", "x", "--lr", "1"]
    assert _parse(*base, "--period", "3").period == _parse(*base, "--max-period", "3").period == 3


def _integer_options():
    for name, parser in COMMANDS.items():
        for action in parser._actions:
            if hasattr(action.type, "bounds"):
                yield name, action


@pytest.mark.parametrize("name,action", list(_integer_options()),
                         ids=lambda v: v if isinstance(v, str) else v.option_strings[0])
def test_counts_accept_exactly_their_stated_range(name, action):
    lo, hi = action.type.bounds
    assert action.type(str(lo)) == lo and action.type(str(hi)) == hi
    for bad in (str(lo - 1), str(hi + 1), "1.5", "ten", "9" * 5000):
        with pytest.raises(argparse.ArgumentTypeError):
            action.type(bad)
    assert f"{lo} to {hi}" in _shown_help(COMMANDS[name], action)


def test_shared_options_have_the_same_bounds_everywhere():
    """--dps, --seed, --steps, --max-period: one range in every command that has them."""
    ranges = {}
    for _, action in _integer_options():
        ranges.setdefault(action.option_strings[0], set()).add(action.type.bounds)
    assert ranges["--dps"] == {O.DPS_RANGE}
    assert ranges["--seed"] == {(0, O.MAX_SEED)}
    assert {hi for _, hi in ranges["--steps"]} == {O.MAX_STEPS}
    assert ranges["--max-period"] == {(1, O.MAX_PERIOD)}
    from lrtheory.modeq.field import MAX_ORDER
    assert ranges["--order"] == {(0, MAX_ORDER)}


# ---- real runs with negative values (small sizes); expected values derived by hand ------
def _json(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def _num(v) -> float:
    """A number of the JSON output, however it is written: a JSON number, a decimal
    string, or a tagged exact mpf {"type": "mpf", "man", "exp"}."""
    if isinstance(v, dict) and v.get("type") == "mpf":
        return math.ldexp(v["man"], v["exp"])
    if isinstance(v, dict) and "value" in v:  # an exact number: its float value
        return float(v["value"])
    return float(v)


def _nums(v) -> list:
    """The numbers of a (nested) list, as the readable JSON writes arrays, flattened."""
    if isinstance(v, list):
        return [x for item in v for x in _nums(item)]
    return [_num(v)]


def test_lyapunov_from_a_negative_start(capsys):
    """f = x⁴/4 + x³/3 − x² has f' = x(x + 2)(x − 1): from −0.5 GD with h = 1/10 falls to
    the minimum −2, where f'' = 6, so the exponent is log|1 − 6h| = log 0.4 (from +0.5 it
    would reach 1, f'' = 3, log 0.7)."""
    doc = _json(capsys, "lyapunov", "x**4/4 + x**3/3 - x**2", "--vars", "x", "--lr", "1/10",
                "--x0", "-0.5", "--steps", "200", "--transient", "300", "--json")
    assert _nums(doc["exponents"]) == pytest.approx([math.log(0.4)], abs=1e-9)


def test_balance_from_negated_start_gives_negated_limit(capsys):
    """f = (xy − µ)²/2 is invariant under (x, y) → (−x, −y) and float64 negation is exact,
    so GD from (−9, −1) is the exact negative of GD from (9, 1)."""
    args = ["--lr", "4/90", "--steps", "5000", "--json"]
    neg = _json(capsys, "balance", "--x0", "-9", "--y0", "-1", *args)
    pos = _json(capsys, "balance", "--x0", "9", "--y0", "1", *args)
    assert neg["limit"] is not None
    assert _nums(neg["limit"]) == [-c for c in _nums(pos["limit"])]
    assert neg["steps"] == pos["steps"]


def test_orbits_in_a_box_with_a_negative_bound(capsys):
    """Fixed points of GD on (x² − 1)²/4 are the critical points x³ − x = 0: −1, 0, 1, all
    inside [−1.5, 1.5]."""
    doc = _json(capsys, "orbits", "(x**2 - 1)**2/4", "--vars", "x", "--lr", "1.2",
                "--max-period", "1", "--box", "-1.5,1.5", "--starts", "5", "--dps", "20",
                "--json")
    points = sorted(_num(o["points"][0][0]) for o in doc["orbits"] if o["period"] == 1)
    assert points == pytest.approx([-1.0, 0.0, 1.0], abs=1e-15)


def test_bifurcations_in_a_box_with_a_negative_bound(capsys):
    """Fixed points of GD on (x² − 1)²/4: ±1 with multiplier 1 − 2h, which passes −1 at
    h = 1 (a period doubling at both minimizers), and 0 with 1 + h > 1 (never ±1).  So in
    [0.8, 1.1] the period-1 bifurcations are exactly (h, x) = (1, −1) and (1, 1)."""
    doc = _json(capsys, "bifurcations", "(x**2 - 1)**2/4", "--vars", "x", "--lr-range",
                "0.8", "1.1", "--max-period", "1", "--samples", "6", "--box", "-2,2", "--json")
    found = doc["bifurcations"]
    assert sorted(_num(b["point"][0]) for b in found) == pytest.approx([-1, 1], abs=1e-12)
    assert [_num(b["lr"]) for b in found] == pytest.approx([1, 1], abs=1e-12)


def test_multiscale_from_a_negative_centre(capsys):
    """With η = 10⁻⁵ ≪ ε = 10⁻³ every chain settles in a microscopic minimum within one
    period 2πε of its start, so the mean stays within 0.05 + 2πε of the centre −1."""
    doc = _json(capsys, "multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--eps", "1e-3",
                "--lr", "1e-5", "--steps", "40", "--chains", "8", "--start", "-1",
                "--width", "0.1", "--json")
    assert abs(_num(doc["mean"]) + 1) < 0.05 + 2 * math.pi * 1e-3


def test_sharpness_at_a_point_with_negative_coordinates(capsys):
    """f = x²y: Hessian [[2y, 2x], [2x, 0]] = [[4, −2], [−2, 0]] at (−1, 2), eigenvalues
    2 ± 2√2."""
    doc = _json(capsys, "sharpness", "x**2*y", "--vars", "x,y", "--at", "x=-1,y=2", "--json")
    assert [_num(v) for v in doc["numeric"]] == pytest.approx(
        [2 + 2 * math.sqrt(2), 2 - 2 * math.sqrt(2)], rel=1e-15)


def test_modeq_of_an_expression_starting_with_minus(capsys):
    """f = −x²: F₀ = −f' = 2x and F₁ = −f'f''/2 = −(−2x)(−2)/2 = −2x."""
    from lrtheory.parsing import parse_expression
    doc = _json(capsys, "modeq", "-x**2", "--vars", "x", "--order", "1", "--format", "json")
    fields = [[parse_expression(c["text"] if isinstance(c, dict) else c, "x") for c in F]
              for F in doc["fields"]]
    assert fields == [[parse_expression("2*x", "x")], [parse_expression("-2*x", "x")]]


# ---- one vocabulary: output formats, ranges, unknown names ---------------------------------
TABLE_COMMANDS = ["balance", "bifurcations", "continue", "lyapunov", "modeq", "multiscale",
                  "orbits", "sharpness"]


@pytest.mark.parametrize("name", TABLE_COMMANDS)
def test_every_analysis_command_takes_json_and_format(name):
    flags = {o for a in COMMANDS[name]._actions for o in a.option_strings}
    assert {"--json", "--json-exact", "--format"} <= flags
    fmt = next(a for a in COMMANDS[name]._actions if "--format" in a.option_strings)
    assert "json" in fmt.choices


def test_format_csv_prints_the_table_as_csv(capsys):
    import csv
    argv = ["balance", "--mu", "1", "--x0", "9", "--y0", "1", "--lr", "4/90"]
    assert main(argv) == 0
    table = [ln.split("  ")[0].strip() for ln in capsys.readouterr().out.splitlines()]
    assert main(argv + ["--format", "csv"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0] == ["quantity", "value"] and len(rows) == len(table)
    assert [r[0] for r in rows] == table
    assert main(argv) == 0 and "," not in capsys.readouterr().out.splitlines()[0]


def test_ranges_are_written_either_way():
    a = PARSER.parse_args(["bifurcations", "x**4", "--vars", "x", "--lr-range", "0.5", "1.5",
                           "--box", "-2", "2"])
    b = PARSER.parse_args(["bifurcations", "x**4", "--vars", "x", "--lr-range", "0.5,1.5",
                           "--box", "-2,2"])
    assert a.lr_range == b.lr_range == ["0.5", "1.5"] and a.box == b.box == "-2,2"


@pytest.mark.parametrize("argv,message", [
    (["orbits", "x**2", "--vars", "x", "--learning-rate", "1.9", "--max-period", "1"],
     "unrecognized option --learning-rate (did you mean --lr?)"),
    (["orbits", "x**2", "--vars", "x", "--lr", "1.9", "--max-period", "1", "--boxx", "1,2"],
     "unrecognized option --boxx (did you mean --box?)"),
    (["bifurcations", "x**4", "--vars", "x", "--lr-range", "1", "2", "3"],
     "expected two numbers LO HI or LO,HI"),
    (["bifurcations", "x**4", "--vars", "x", "--lr-range", "2,1"], "must satisfy A < B"),
])
def test_unknown_options_get_the_closest_known_one(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err and "required" not in err


def test_unknown_claim_ids_get_the_closest_known_one(capsys, tmp_path):
    assert main(["verify", "BLOG-99", "--json", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "unknown claim IDs: BLOG-99" in err and "did you mean BLOG-9?" in err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("argv,line", [
    (["orbits", "x**4/4 - x**2/2", "--vars", "x", "--lr", "1/2", "--max-period", "2",
      "--starts", "50"], "orbits: period 2:"),
    (["lyapunov", "x**4/4", "--vars", "x", "--lr", "1", "--x0", "0.5", "--steps", "50"],
     "lyapunov: 1000 + 50 steps, float64: done in"),
    (["multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--vars", "x", "--eps", "1e-3",
      "--lr", "0.2", "--steps", "400", "--chains", "10"], "multiscale: 10 chains x 400 steps"),
])
def test_long_commands_show_progress_lines(capsys, argv, line):
    assert main(argv) == 0
    assert line not in capsys.readouterr().err  # quiet when stderr is not a terminal
    assert main(argv + ["--progress"]) == 0
    assert line in capsys.readouterr().err
