"""The ``--json`` outputs of the commands, read as other programs read them.

Each output is strict JSON (no NaN/Infinity, no integer beyond 2**53, no mantissa/exponent
pairs or expression trees), validates against the published JSON Schema of its result
type, is a table of floats for pandas where it is a list of records, and ``--json-exact``
still gives the exact form that ``from_json`` rebuilds."""
import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from lrtheory.cli import main
from lrtheory.results import RESULT_TYPES, json_schema
from test_results import _json_ints as _ints

SCHEMAS = Path(__import__("lrtheory").__file__).parent / "schemas"

COMMANDS = {
    "orbits": ["orbits", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "1.9", "--max-period",
               "2", "--box", "-2.5,2.5", "--certify", "--starts", "300"],
    "bifurcations": ["bifurcations", "x**3/3 - x", "--vars", "x", "--lr-range", "0.9", "1.3",
                     "--max-period", "2"],
    "lyapunov": ["lyapunov", "x**4/4", "--vars", "x", "--lr", "1", "--x0", "3",
                 "--steps", "200"],
    "balance": ["balance", "--mu", "1", "--x0", "9", "--y0", "1", "--lr", "4/90"],
    "modeq": ["modeq", "(1 - x*y)**2/2", "--vars", "x,y", "--order", "1", "--potential"],
    "multiscale": ["multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--vars", "x", "--eps",
                   "1e-4", "--lr", "0.2", "--steps", "500", "--chains", "50"],
}


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out




def _strict(text):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_output_is_plain_and_matches_its_schema(name, capsys):
    out = run(capsys, COMMANDS[name] + ["--json"])
    doc = _strict(out)
    assert '"man"' not in out and '"tree"' not in out and '"type": "mpf"' not in out
    assert all(abs(v) <= 2**53 for v in _ints(doc))
    jsonschema.validate(doc, json_schema(doc["type"]))
    # the published schema file is the generated one
    published = json.loads((SCHEMAS / f"{doc['type']}.json").read_text())
    assert published == json_schema(doc["type"])
    # and the exact form still rebuilds the result that the readable form describes
    exact = run(capsys, COMMANDS[name] + ["--json-exact"])
    obj = RESULT_TYPES[doc["type"]].from_json(exact)
    assert obj.to_json() == doc or name in ("multiscale", "orbits")  # timing, sampling


def test_format_json_is_json(capsys):
    a = _strict(run(capsys, COMMANDS["balance"] + ["--format", "json"]))
    b = _strict(run(capsys, COMMANDS["balance"] + ["--json"]))
    assert a == b


def test_orbit_list_is_a_table_of_floats_for_pandas(capsys):
    doc = _strict(run(capsys, COMMANDS["orbits"] + ["--json"]))
    table = pd.json_normalize(doc["orbits"])
    assert len(table) == 5  # the five orbits of periods 1 and 2 (README example)
    assert table["h.value"].dtype == float and (table["h.value"] == 1.9).all()
    assert set(table["h.exact"]) == {"19/10"}
    points = pd.DataFrame([p for o in doc["orbits"] for p in o["points"]], columns=["x", "y"])
    assert points.dtypes.tolist() == [float, float]
    # a period-2 orbit of f = (1 - xy)^2/2 at h = 1.9 on the diagonal x = y = ±1.4327...
    assert (points.abs().max() < 2.5).all()
    coverage = pd.json_normalize(doc["coverage"])
    assert coverage["found"].dtype.kind == "i"


def test_every_json_table_reads_in_pandas(capsys):
    """pandas.read_json reads every list of records of every --json output."""
    from io import StringIO
    for name, argv in COMMANDS.items():
        doc = _strict(run(capsys, argv + ["--json"]))
        for key, value in doc.items():
            if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
                frame = pd.read_json(StringIO(json.dumps(value)), orient="records")
                assert len(frame) == len(value), (name, key)
                flat = pd.json_normalize(value)
                assert len(flat) == len(value)


def test_bifurcation_rates_are_numbers_with_exact_enclosures(capsys):
    doc = _strict(run(capsys, COMMANDS["bifurcations"] + ["--json"]))
    table = pd.json_normalize(doc["bifurcations"])
    assert table["lr"].dtype == float
    # the period-doubling of x^3/3 - x at h = 1 (closed form: 2/f''(1) = 1) and at
    # h = sqrt(6)/2 (period 2); independent closed forms
    assert table["lr"].iloc[0] == 1.0
    assert abs(table["lr"].iloc[1] - 6 ** 0.5 / 2) < 1e-15
    exact = doc["bifurcations"][1]["lr_exact"]  # the algebraic number sqrt(6)/2
    assert exact["closed_form"] == "sqrt(6)/2" and exact["minpoly"] == [-3, 0, 2]
    ball = exact["enclosure"]
    assert set(ball) == {"mid", "rad"} and float(ball["rad"]) < 1e-20
    assert abs(float(ball["mid"]) - 6 ** 0.5 / 2) <= float(ball["rad"]) + 1e-16


def test_published_schemas_cover_every_result_type():
    import importlib
    import pkgutil

    import lrtheory
    for m in pkgutil.walk_packages(lrtheory.__path__, "lrtheory."):
        if "pytest" not in m.name and not m.name.endswith("__main__"):
            importlib.import_module(m.name)
    names = {p.stem for p in SCHEMAS.glob("*.json")}
    missing = {n for n, c in RESULT_TYPES.items() if c.__module__.startswith("lrtheory.")
               } - names
    assert not missing, (f"no schema file for {sorted(missing)}: run python -c \"from "
                         "lrtheory.results import write_schemas; write_schemas()\"")
    for n in names & set(RESULT_TYPES):
        assert json.loads((SCHEMAS / f"{n}.json").read_text()) == json_schema(n), n
