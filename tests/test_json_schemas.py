"""Every JSON document a command prints or writes has a published JSON Schema
(``lrtheory/schemas/<Name>.json``), and the command's real output validates against it.

The schemas of result types come from their fields (``lrtheory.results.json_schema``),
those of the other documents from ``lrtheory.documents``; each run here is a small input
of the command, validated against the published file, not against the code that wrote it.
"""
import json
from pathlib import Path

import jsonschema
import pytest

from lrtheory.cli import build_parser, main
from lrtheory.documents import COMMAND_DOCUMENTS, DOCUMENTS, command_schemas, document_schema
from lrtheory.results import RESULT_TYPES, _import_result_modules

SCHEMAS = Path(__import__("lrtheory").__file__).parent / "schemas"
ATLAS = ["atlas", "x**3/3 - x", "--vars", "x", "--lr-range", "1.1", "1.6", "--boxes", "2",
         "--max-period", "2", "--max-depth", "0"]
SWEEP = ["sweep", "(x**2 - 1)**2/4", "--vars", "x", "--lr-range", "0.5", "1.5",
         "--lr-samples", "3", "--box", "-2,2", "--grid", "5", "--steps", "200"]

# (command, output of COMMAND_DOCUMENTS, argv): FILE is the output file, SCRATCH another
# file in the test's folder, RESULTS a results document of BLOG-2
RUNS = [
    ("atlas", "--format json", ATLAS + ["--format", "json"]),
    ("atlas", "--json FILE", ATLAS + ["--json", "FILE"]),
    ("atlas", "--resume FILE (each line)", ATLAS + ["--resume", "FILE"]),
    ("balance", "--json", ["balance", "--mu", "1", "--x0", "9", "--y0", "1", "--lr", "4/90",
                           "--steps", "20", "--json"]),
    ("basins", "--json", ["basins", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "0.9",
                          "--box", "-2,2", "--grid", "6", "--steps", "300", "--json"]),
    ("bifurcations", "--json", ["bifurcations", "x**3/3 - x", "--vars", "x", "--lr-range",
                                "0.9", "1.3", "--max-period", "1", "--json"]),
    ("continue", "--json", ["continue", "x**3/3 - x", "--vars", "x", "--lr-range", "0.9",
                            "1.3", "--from-period", "1", "--json"]),
    ("continue", "--json --param", ["continue", "x**2/2 + b*x**3/3 + x**4/4", "--vars", "x",
                                    "--lr-range", "1", "3", "--from-period", "1", "--param",
                                    "b=0:1", "--json"]),
    ("diagram", "--json", ["diagram", "(x**2 - 1)**2/4", "--vars", "x", "--lr-range", "0.8",
                           "1.6", "--lr-samples", "12", "--transient", "200", "--keep", "16",
                           "--mark", "1", "--json"]),
    ("init", "--json", ["init", "paper", "--json"]),
    ("list", "--json", ["list", "--json"]),
    ("lyapunov", "--json", ["lyapunov", "x**4/4", "--vars", "x", "--lr", "1", "--x0", "3",
                            "--steps", "50", "--json"]),
    ("modeq", "--json", ["modeq", "(1 - x*y)**2/2", "--vars", "x,y", "--order", "1",
                         "--json"]),
    ("multiscale", "--json", ["multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--vars",
                              "x", "--eps", "1e-2", "--lr", "0.2", "--steps", "50",
                              "--chains", "5", "--json"]),
    ("orbits", "--json", ["orbits", "(1 - x*y)**2/2", "--vars", "x,y", "--lr", "1.9",
                          "--max-period", "1", "--box", "-2.5,2.5", "--starts", "50",
                          "--json"]),
    ("report", "--json", ["report", "--results", "RESULTS", "--out", "FILE", "--no-pdf",
                          "--json"]),
    ("sharpness", "--json", ["sharpness", "(1 - x*y)**2/2", "--vars", "x,y", "--at",
                             "x=2,y=1/2", "--json"]),
    ("sweep", "--json", SWEEP + ["--json"]),
    ("verify", "--format json", ["verify", "BLOG-2", "--quick", "--json", "SCRATCH",
                                 "--format", "json"]),
    ("verify", "--json FILE", ["verify", "BLOG-2", "--quick", "--json", "FILE"]),
    ("verify", "--update-baseline (--baseline FILE)",
     ["verify", "BLOG-2", "--quick", "--json", "SCRATCH", "--baseline", "FILE",
      "--update-baseline"]),
]

# the exact form of the same runs (--json-exact): a result that from_json rebuilds
RUNS += [(c, "--json-exact", [a if a != "--json" else "--json-exact" for a in argv])
         for c, o, argv in list(RUNS) if o == "--json" and "--json-exact" in COMMAND_DOCUMENTS[c]]


def published(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def json_outputs(parser) -> dict:
    """{command: the options of its subparser that ask for JSON}: ``--json``,
    ``--json-exact``, a ``--format`` with the choice ``json`` (counted as ``--json`` where
    ``--json`` is a flag: then ``--format json`` is the same output)."""
    sub = next(a for a in parser._actions if a.dest == "command")
    found = {}
    for name, p in sub.choices.items():
        flag = any("--json" in a.option_strings and a.nargs == 0 for a in p._actions)
        opts = {o for a in p._actions for o in a.option_strings
                if o in ("--json", "--json-exact")
                or (o == "--format" and "json" in (a.choices or ()))}
        if flag:
            opts.discard("--format")
        if opts:
            found[name] = opts
    return found


def test_every_command_with_json_output_names_its_schemas():
    """A command that prints JSON and has no schema in COMMAND_DOCUMENTS fails here."""
    outputs = json_outputs(build_parser())
    assert outputs, "no command with --json found: the parser inspection is broken"
    missing = sorted(set(outputs) - set(COMMAND_DOCUMENTS))
    assert not missing, f"commands printing JSON without a schema: {missing}"
    assert not set(COMMAND_DOCUMENTS) - set(outputs), "a schema for a command without JSON"
    for command, opts in outputs.items():
        outs = command_schemas(command)
        # the options that ask for JSON (--json-exact too: the exact form) each name one
        for opt in opts:
            assert any(o.split()[0] == opt for o in outs), (command, opt)


def test_every_named_schema_is_published_and_current():
    _import_result_modules()
    names = {n for outs in COMMAND_DOCUMENTS.values() for n in outs.values()}
    assert set(DOCUMENTS) <= names and not set(DOCUMENTS) & set(RESULT_TYPES)
    for name in sorted(names):
        assert name in DOCUMENTS or name in RESULT_TYPES, name
        path = SCHEMAS / f"{name}.json"
        assert path.is_file(), (f"no schema file for {name}: run python -c \"from "
                                "lrtheory.documents import write_document_schemas; "
                                "write_document_schemas()\"")
        assert published(name) == document_schema(name), name
        jsonschema.Draft202012Validator.check_schema(published(name))


def test_every_output_is_exercised_below():
    assert {(c, o) for c, o, _ in RUNS} == \
        {(c, o) for c, outs in COMMAND_DOCUMENTS.items() for o in outs}


def _documents(output: str, stdout: str, file: Path) -> list:
    """The JSON documents of one output: stdout, the file, or each line of the file."""
    if "(each line)" in output:
        return [json.loads(line) for line in file.read_text().splitlines()]
    if "FILE" in output:
        return [json.loads(file.read_text())]
    return [json.loads(stdout)]


@pytest.fixture(scope="module")
def results_file(tmp_path_factory):
    """A results document of a quick run of BLOG-2 (for ``report``)."""
    path = tmp_path_factory.mktemp("results") / "results.json"
    assert main(["verify", "BLOG-2", "--quick", "--json", str(path)]) == 0
    return path


@pytest.mark.parametrize("command, output, argv", RUNS, ids=[f"{c} {o}" for c, o, _ in RUNS])
def test_the_output_validates_against_its_published_schema(command, output, argv, tmp_path,
                                                          monkeypatch, capsys, results_file):
    monkeypatch.chdir(tmp_path)
    file = tmp_path / ("out" if command == "report" else "out.json")
    paths = {"FILE": file, "SCRATCH": tmp_path / "scratch.json", "RESULTS": results_file}
    argv = [str(paths[a]) if a in paths else a for a in argv]
    assert main(argv) == 0, capsys.readouterr().err
    stdout = capsys.readouterr().out
    docs = _documents(output, stdout, file)
    assert docs
    schema = published(COMMAND_DOCUMENTS[command][output])
    for doc in docs:
        jsonschema.validate(doc, schema)


def test_the_built_in_baseline_validates():
    """The stored baseline of the built-in claims (written by --update-baseline), and the
    baseline of every number kind that lrtheory.baseline.validate accepts."""
    from test_security_documents import GOOD
    root = Path(__file__).resolve().parents[1]
    jsonschema.validate(json.loads((root / "proofs_checks/baseline.json").read_text()),
                        published("Baseline"))
    jsonschema.validate(GOOD, published("Baseline"))


@pytest.mark.parametrize("name, doc", [
    # a sweep of behaviours without its table
    ("SweepOutput", {"command": "sweep", "record": "limit", "dims": {"lr": 3}}),
    # orbit counts need the orbits table
    ("SweepOutput", {"command": "sweep", "record": "orbits", "dims": {"lr": 3}, "runs": 3,
                     "steps": 10, "behaviours": []}),
    ("DiagramOutput", {"command": "diagram", "windows": [{"h_from": 1.0, "h_to": 2.0}]}),
    ("BasinsOutput", {"command": "basins", "lr": 0.1, "box": [-1.0, 1.0], "grid": 3,
                      "steps": 10, "basins": []}),  # lr without its exact text
    ("VerdictTable", [{"id": "Z-1", "verdict": "passed", "method": "", "seconds": 0.1}]),
    ("ClaimList", [{"id": "Z-1", "title": "t", "source": "s", "kind": "python"}]),
    ("InitOutput", {"files": "a.toml"}),
    ("Baseline", {"lrtheory_baseline": 1, "modes": {"slow": {"claims": {}}}}),
    ("Baseline", {"lrtheory_baseline": 1, "modes": {"quick": {"claims": {
        "Z-1": {"verdict": "proved", "numbers": {"x": {"kind": "float", "value": [1]}}}}}}}),
    ("Baseline", {"lrtheory_baseline": 1, "modes": {"quick": {"claims": {
        "Z 1": {"verdict": "proved"}}}}}),  # an ID with whitespace
    ("AtlasCheckpointLine", {"key": [0, "1", "2"], "box": {"type": "Atlas"}}),
    # the exact form: a result without its fields, numbers and trees out of their grammar
    ("ExactForm", {"type": "HessianSpectrum"}),
    ("ExactForm", {"type": "mpf", "man": "12", "exp": 0}),
    ("ExactForm", {"type": "mpf", "man": 12, "exp": 0, "value": "nan"}),
    ("ExactForm", {"type": "Fraction", "value": "1/x"}),
    ("ExactForm", {"type": "sympy", "text": "x", "tree": [1, 2]}),
    ("ExactForm", {"type": "Ball", "mid_man": 1, "mid_exp": 0, "rad_man": 0, "rad_exp": 0,
                   "special": "", "bogus": 1}),
    ("ExactForm", {"type": "Opaque", "cls": "x", "text": "y"}),  # a field misnamed
])
def test_the_schemas_reject_malformed_documents(name, doc):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, published(name))
