"""Tables of every command read by other programs: ``--json`` documents whose tables
``pandas.DataFrame`` / ``pd.json_normalize`` read, and ``--format csv`` outputs that hold
the CSV table alone on stdout (notes and second tables go to stderr), so that
``pd.read_csv`` reads them.

Expected values come from closed forms: on f = x²/2, GD is x -> (1 - h) x, which converges
for 0 < h < 2, has the period-2 orbits x -> -x at h = 2 and diverges for h > 2; its
Lyapunov exponent is log|1 - h|."""
import io
import json
import math

import pandas as pd
import pytest

from lrtheory.cli import main

QUAD = ["x**2/2", "--vars", "x"]


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def read_json(capsys, argv):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(run(capsys, argv)[0], parse_constant=refuse)


def read_csv(capsys, argv):
    out, err = run(capsys, argv)
    return pd.read_csv(io.StringIO(out)), err


# ---- --json of the sweep commands, verify and atlas ----------------------------------------
def test_basins_json_is_a_table_for_pandas(capsys):
    # h = 3: x -> -2x, every start but the fixed point 0 diverges; the grid of 5 starts
    # in [-2, 2] holds 0 once
    doc = read_json(capsys, ["basins", *QUAD, "--lr", "3", "--box", "-2,2", "--grid", "5",
                             "--steps", "100", "--json"])
    assert doc["lr"] == {"value": 3, "exact": "3"} and doc["grid"] == 5
    table = pd.DataFrame(doc["basins"]).set_index("basin")
    assert table.loc["divergent", "starts"] == 4
    assert table["fraction"].dtype == float
    assert table.loc["divergent", "fraction"] == pytest.approx(0.8)
    minimizer = table[table["kind"] == "minimizer"]
    assert minimizer["starts"].tolist() == [1] and minimizer["loss"].tolist() == [0.0]


def test_diagram_json_windows_follow_the_closed_form(capsys):
    argv = ["diagram", *QUAD, "--lr-range", "0.5", "2.5", "--lr-samples", "5", "--x0",
            "0.5", "--no-continue", "--transient", "100", "--keep", "8"]
    doc = read_json(capsys, argv + ["--json"])
    windows = pd.json_normalize(doc, "windows")
    assert windows.values.tolist() == [[0.5, 1.5, "converged"], [2.0, 2.0, "period 2"],
                                       [2.5, 2.5, "divergent"]]
    csv, _ = read_csv(capsys, argv + ["--format", "csv"])
    assert csv.columns.tolist() == ["h from", "h to", "behaviour"]
    assert csv["behaviour"].tolist() == windows["behaviour"].tolist()


def test_sweep_json_counts_behaviours(capsys):
    argv = ["sweep", *QUAD, "--lr-range", "0.5", "2.5", "--lr-samples", "5", "--x0", "0.5",
            "--steps", "200"]
    doc = read_json(capsys, argv + ["--json"])
    assert doc["runs"] == 5 and doc["dims"] == {"lr": 5, "start": 1}
    table = pd.DataFrame(doc["behaviours"]).set_index("behaviour")
    assert table["runs"].to_dict() == {"converged": 3, "period 2": 1, "divergent": 1}
    assert table["fraction"].sum() == pytest.approx(1.0)
    # CSV: the table alone on stdout, the line describing the runs on stderr
    csv, err = read_csv(capsys, argv + ["--format", "csv"])
    assert csv.set_index("behaviour")["runs"].to_dict() == table["runs"].to_dict()
    assert "5 runs" in err


def test_sweep_json_orbit_counts_are_a_long_table(capsys):
    # the one fixed point 0 of x -> (1 - h) x, attracting for 0 < h < 2; no period-2 orbit
    doc = read_json(capsys, ["sweep", *QUAD, "--lr-range", "0.5", "1.5", "--lr-samples",
                             "3", "--record", "orbits", "--max-period", "2", "--starts",
                             "10", "--json"])
    table = pd.DataFrame(doc["orbits"])
    assert table.columns.tolist() == ["lr", "period", "found", "certified", "attracting"]
    assert table["lr"].tolist() == [0.5, 0.5, 1.0, 1.0, 1.5, 1.5]
    one = table[table["period"] == 1]
    assert (one[["found", "certified", "attracting"]] == 1).all().all()
    assert (table[table["period"] == 2][["found", "certified"]] == 0).all().all()


def test_atlas_format_json_prints_the_atlas(capsys, tmp_path):
    argv = ["atlas", *QUAD, "--lr-range", "1/2", "5/2", "--boxes", "4", "--max-depth",
            "0", "--max-period", "2"]
    doc = read_json(capsys, argv + ["--format", "json", "--json", str(tmp_path / "a.json")])
    assert doc == json.loads((tmp_path / "a.json").read_text())  # what --json FILE writes
    boxes = pd.json_normalize(doc["boxes"])
    lo, hi = boxes["lo"].astype(float), boxes["hi"].astype(float)
    assert (hi - lo).sum() == pytest.approx(2.0)
    assert (hi[boxes["label"] == "attracting"] <= 2).all()  # attracting only for h < 2
    csv, err = read_csv(capsys, argv + ["--format", "csv"])
    assert csv.columns[0] == "h from" and "proved measure" in err


def test_verify_format_json_is_the_verdict_table(capsys, tmp_path):
    path = tmp_path / "results.json"
    records = read_json(capsys, ["verify", "BLOG-2", "--quick", "--json", str(path),
                                 "--format", "json"])
    written = json.loads(path.read_text())["claims"]
    table = pd.DataFrame(records)
    assert table.columns.tolist() == ["id", "verdict", "method", "seconds"]
    assert table[["id", "verdict"]].values.tolist() == [[c["id"], c["verdict"]]
                                                        for c in written]


# ---- --format csv: the table alone on stdout ---------------------------------------------
def test_sharpness_csv_holds_only_the_table(capsys):
    # Hessian of (1 - xy)^2/2 at (2, 1/2): [[1/4, 1], [1, 4]], trace 17/4, determinant 0
    csv, err = read_csv(capsys, ["sharpness", "(1 - x*y)**2/2", "--vars", "x,y", "--at",
                                 "x=2,y=1/2", "--format", "csv"])
    assert csv.columns.tolist() == ["eigenvalue", "numeric"]
    assert csv["numeric"].tolist() == [4.25, 0.0]
    assert "sharpness: 17/4" in err and "exact: true" in err


def test_lyapunov_csv_holds_only_the_table(capsys):
    csv, err = read_csv(capsys, ["lyapunov", *QUAD, "--lr", "1/2", "--x0", "1", "--steps",
                                 "50", "--transient", "0", "--format", "csv"])
    assert csv.columns.tolist() == ["i", "lambda_i"]
    assert csv["lambda_i"].tolist() == pytest.approx([math.log(0.5)], abs=1e-6)
    assert "running lambda_1" in err


def test_orbits_csv_holds_the_orbits_and_stderr_the_coverage(capsys):
    csv, err = read_csv(capsys, ["orbits", *QUAD, "--lr", "1/2", "--max-period", "2",
                                 "--box", "-1,1", "--starts", "20", "--format", "csv"])
    assert csv.columns.tolist() == ["period", "points", "multipliers", "stability",
                                    "certified"]
    assert csv["period"].tolist() == [1]  # the fixed point 0 only
    assert "estimate" in err  # the coverage table


def test_every_command_that_prints_results_has_json_and_a_format():
    """Every command prints JSON on request; those whose output is a table take --format
    with json and (but modeq, which prints formulas) csv; init and report, which write
    files, print what they wrote with --json."""
    import argparse

    from lrtheory.cli import build_parser
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in sub.choices.items():
        options = {o: a for a in parser._actions for o in a.option_strings}
        assert "--json" in options, name
        if name in ("init", "report"):
            continue
        assert "--format" in options, name
        assert "json" in options["--format"].choices, name
        assert "csv" in options["--format"].choices or name == "modeq", name


@pytest.mark.parametrize("name", ["orbits", "bifurcations", "lyapunov", "balance",
                                  "multiscale"])
def test_csv_output_is_one_rectangular_table(name, capsys):
    """Every line on stdout is a row of the one table: as many fields as the header."""
    import csv

    from test_json_outputs import COMMANDS
    out, err = run(capsys, COMMANDS[name] + ["--format", "csv"])
    rows = list(csv.reader(io.StringIO(out)))
    assert rows and all(len(r) == len(rows[0]) for r in rows), out
    assert len(pd.read_csv(io.StringIO(out))) == len(rows) - 1
    if name == "lyapunov":  # x^4/4 from 3 at h = 1 diverges: the header, no rows
        assert rows == [["i", "lambda_i"]] and "diverged" in err
    else:
        assert len(rows) >= 2


def test_list_csv_reads_as_the_claims(capsys):
    csv, _ = read_csv(capsys, ["list", "--format", "csv"])
    doc = read_json(capsys, ["list", "--json"])
    assert csv.values.tolist() == [[c["id"], c["title"], c["source"]] for c in doc]


def _record_lists(doc, path=()):
    """(path, list) of every list of JSON objects in ``doc``: the tables of a document."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _record_lists(v, path + (k,))
    elif isinstance(doc, list):
        if doc and all(isinstance(x, dict) for x in doc):
            yield path, doc
        for i, x in enumerate(doc):
            yield from _record_lists(x, path + (i,))


@pytest.mark.parametrize("name", ["orbits", "bifurcations"])
def test_every_table_of_a_json_result_is_a_frame_for_pandas(name, capsys):
    """Each list of records flattens (pd.json_normalize) to one row per record whose cells
    are plain values: numbers, text, booleans, or lists of them."""
    from test_json_outputs import COMMANDS
    doc = read_json(capsys, COMMANDS[name] + ["--json"])
    tables = list(_record_lists(doc))
    assert tables[0][0] == (name,) and len(tables[0][1]) >= 2  # the orbits, bifurcations
    for path, records in tables:
        frame = pd.json_normalize(records)
        assert len(frame) == len(records), path
        for column in frame.columns:
            for cell in frame[column]:
                assert not isinstance(cell, dict), (path, column)


def test_report_json_says_what_was_written(capsys, tmp_path):
    from test_report_tables import _results
    results = tmp_path / "results.json"
    results.write_text(json.dumps(_results("S1")))
    doc = read_json(capsys, ["report", "--results", str(results), "--out",
                             str(tmp_path / "out"), "--no-pdf", "--json"])
    assert doc["pdf"] is None and not doc["pdf_built"] and doc["reason"] == "PDF not requested"
    tex = (tmp_path / "out" / "lrtheory-report.tex")
    assert doc["tex"] == str(tex) and r"\begin{document}" in tex.read_text()
    assert "X-1" in (tmp_path / "out" / "SUMMARY.md").read_text()
    assert doc["summary_md"] == str(tmp_path / "out" / "SUMMARY.md")


def test_init_json_lists_the_files_written(capsys, tmp_path):
    doc = read_json(capsys, ["init", str(tmp_path / "paper"), "--json"])
    on_disk = sorted(str(p) for p in (tmp_path / "paper").rglob("*") if p.is_file())
    assert sorted(doc["files"]) == on_disk and len(on_disk) == 4
