"""The JSON documents the commands print or write, and their JSON Schemas.

A command's JSON is either a result (``to_json()`` of a result type, whose schema
:func:`lrtheory.results.json_schema` derives from its fields) or a document of its own:
the tables of ``sweep``, ``diagram`` and ``basins``, the claim list, the files ``init``
wrote, what ``report`` wrote, the verdict table and the results document of ``verify``,
the regression baseline.  :data:`COMMAND_DOCUMENTS` names the schema of every JSON output
of every command; :func:`document_schema` gives it (draft 2020-12, self-contained: the
result types a document holds are in its ``$defs``), and :func:`write_document_schemas`
publishes the documents' schemas as ``lrtheory/schemas/<Name>.json`` beside those of the
result types.  The building blocks are the ones of the result types
(:func:`lrtheory.results.annotation_schema`), so a number is described the same way
everywhere, and the lists of verdicts, modes and kinds come from the modules that define
them.
"""
from __future__ import annotations

import json
from pathlib import Path

#: Every JSON output of every command: ``{command: {output: schema name}}``.  The output
#: is the option that asks for it (a file it names, or stdout); the schema is a result
#: type's (:func:`lrtheory.results.json_schema`) or a document's (:data:`DOCUMENTS`).
COMMAND_DOCUMENTS = {
    "atlas": {"--format json": "Atlas", "--json FILE": "Atlas",
              "--resume FILE (each line)": "AtlasCheckpointLine"},
    "balance": {"--json": "BalanceRun", "--json-exact": "ExactForm"},
    "basins": {"--json": "BasinsOutput"},
    "bifurcations": {"--json": "BifurcationSearch", "--json-exact": "ExactForm"},
    "continue": {"--json": "BifurcationSearch", "--json --param": "TwoParameterCurves",
                 "--json-exact": "ExactForm"},
    "diagram": {"--json": "DiagramOutput"},
    "init": {"--json": "InitOutput"},
    "list": {"--json": "ClaimList", "--json-exact": "ClaimList"},
    "lyapunov": {"--json": "LyapunovSpectrum", "--json-exact": "ExactForm"},
    "modeq": {"--json": "ModifiedEquation", "--json-exact": "ExactForm"},
    "multiscale": {"--json": "MultiscaleSample", "--json-exact": "ExactForm"},
    "orbits": {"--json": "OrbitSearch", "--json-exact": "ExactForm"},
    "report": {"--json": "ReportOutput"},
    "sharpness": {"--json": "HessianSpectrum", "--json-exact": "ExactForm"},
    "sweep": {"--json": "SweepOutput"},
    "verify": {"--format json": "VerdictTable", "--json FILE": "ResultsDocument",
               "--update-baseline (--baseline FILE)": "Baseline"},
}

_STRINGS = {"type": "array", "items": {"type": "string"}}


def _count(minimum: int = 0) -> dict:
    return {"type": "integer", "minimum": minimum}


def _table(columns: dict, extra=False) -> dict:
    """A list of records with the ``columns`` (name: schema), all present; ``extra``: the
    schema of further columns (False: none)."""
    return {"type": "array", "items": {"type": "object", "properties": columns,
                                       "required": list(columns),
                                       "additionalProperties": extra}}


def _object(properties: dict, optional=()) -> dict:
    """An object with exactly these ``properties``, all required but the ``optional``."""
    return {"type": "object", "properties": properties,
            "required": [k for k in properties if k not in optional],
            "additionalProperties": False}


def _sweep_output(defs: dict) -> dict:
    """``lrtheory sweep --json`` (:func:`lrtheory.cli.cmd_sweep.sweep_document`): the
    sizes of the sweep's dimensions and the runs per behaviour, or with ``--record
    orbits`` the orbits found, certified and attracting per learning rate, parameter
    value and period."""
    from .sweeps.spec import RECORDS
    body = _object({
        "command": {"const": "sweep"},
        "record": {"enum": sorted(set(RECORDS) | {"orbits"})},
        "dims": {"type": "object", "additionalProperties": _count(1)},
        "runs": _count(), "steps": _count(),
        "behaviours": _table({"behaviour": {"type": "string"}, "label": {"type": "integer"},
                              "period": _count(), "runs": _count(),
                              "fraction": {"type": "number", "minimum": 0, "maximum": 1}}),
        "orbits": _table({"lr": {"type": "number"}, "period": _count(1),
                          "found": _count(), "certified": _count(), "attracting": _count()},
                         extra={"type": "number"}),  # the parameter values
    }, optional=("runs", "steps", "behaviours", "orbits"))
    body["if"] = {"properties": {"record": {"const": "orbits"}}}
    body["then"] = {"required": ["orbits"]}
    body["else"] = {"required": ["runs", "steps", "behaviours"]}
    return body


def _diagram_output(defs: dict) -> dict:
    """``lrtheory diagram --json``: the windows of learning rates of one behaviour and,
    with ``--mark``, the bifurcations found in the range."""
    return _object({
        "command": {"const": "diagram"},
        "windows": _table({"h_from": {"type": "number"}, "h_to": {"type": "number"},
                           "behaviour": {"type": "string"}}),
        "bifurcations": _table({"type": {"type": "string"}, "period": _count(1),
                                "lr": {"type": "number"}, "certified": {"type": "boolean"}}),
    }, optional=("bifurcations",))


def _basins_output(defs: dict) -> dict:
    """``lrtheory basins --json`` (:func:`lrtheory.cli.cmd_basins.basins_document`): the
    run's learning rate, box, grid and steps, and one record per basin of
    :func:`lrtheory.sweeps.basin_legend`."""
    from .results import annotation_schema
    nullable = {"anyOf": [{"type": "number"}, {"type": "null"}]}
    return _object({
        "command": {"const": "basins"},
        "lr": annotation_schema("Fraction", defs),
        "box": {"type": "array", "prefixItems": [{"type": "number"}] * 2, "items": False,
                "minItems": 2},
        "grid": _count(1), "steps": _count(),
        "basins": _table({
            "basin": {"type": "string"}, "code": _count(),
            "kind": {"enum": ["minimizer", "critical point", "periodic", "aperiodic",
                              "divergent"]},
            "starts": _count(), "fraction": {"type": "number", "minimum": 0, "maximum": 1},
            "loss": nullable, "period": {"anyOf": [_count(1), {"type": "null"}]},
            "point": {"anyOf": [{"type": "array", "items": {"type": "number"}},
                                {"type": "null"}]},
            "description": {"type": "string"}}),
    })


def _init_output(defs: dict) -> dict:
    """``lrtheory init --json``: the files written, in the order written."""
    return _object({"files": _STRINGS})


def _claim_list(defs: dict) -> dict:
    """``lrtheory list --json``: per claim its ID, title, citation, claim kind and the
    place it is declared (``file:line``)."""
    return _table({k: {"type": "string"} for k in ("id", "title", "source", "kind", "file")})


def _report_output(defs: dict) -> dict:
    """``lrtheory report --json`` (:func:`lrtheory.report.write_report`): the paths
    written, whether the PDF was compiled and built (and why not), the blocks shown as
    LaTeX source, the LaTeX log and its summary."""
    import dataclasses

    from .report.build import LogSummary
    from .results import annotation_schema
    path = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    summary = _object({f.name: annotation_schema(f.type, defs)
                       for f in dataclasses.fields(LogSummary)})
    return _object({
        "tex": {"type": "string"}, "pdf": path, "summary_md": {"type": "string"},
        "figures": _STRINGS, "compiled": {"type": "boolean"},
        "pdf_built": {"type": "boolean"}, "reason": {"type": "string"},
        "fallbacks": _table({k: {"type": "string"} for k in ("block", "where", "reason")}),
        "log": path, "log_summary": summary,
    }, optional=("log_summary",))


def _outcomes() -> list:
    from .claims.evidence import VERDICTS
    return list(VERDICTS) + ["error"]


def _verdict_table(defs: dict) -> dict:
    """``lrtheory verify --format json``: per claim run its ID, verdict (``error`` when
    the check raised), method and wall time in seconds."""
    return _table({"id": {"type": "string"}, "verdict": {"enum": _outcomes()},
                   "method": {"type": "string"},
                   "seconds": {"type": "number", "minimum": 0}})


def _claim_id() -> dict:
    from .claims.registry import ID_PATTERN
    return {"type": "string", "pattern": ID_PATTERN.pattern.replace(r"\Z", "$")}


def _results_document(defs: dict) -> dict:
    """``lrtheory verify --json FILE`` (:func:`lrtheory.claims.runner.results_document`),
    what ``lrtheory report --results`` reads: the version, the mode, the environment, one
    entry per claim (a :class:`~lrtheory.claims.ClaimRecord` without its type tag), the
    sources the claims cite and, in a project, its title and authors."""
    from .results import json_schema
    record = json_schema("ClaimRecord")
    defs.update(record.pop("$defs", {}))
    entry = {k: record[k] for k in ("type", "properties", "required", "additionalProperties")}
    entry["properties"] = {k: v for k, v in record["properties"].items() if k != "type"}
    entry["properties"]["id"] = _claim_id()
    entry["properties"]["verdict"] = {"enum": _outcomes()}
    entry["required"] = [k for k in record["required"] if k != "type"]
    defs["ClaimEntry"] = entry
    text = {"type": "string"}
    source = _object({"key": text, "authors": _STRINGS, "title": text,
                      "year": {"type": "integer"}, "venue": text, "doi": text, "url": text,
                      "citation": text})
    return _object({
        "lrtheory": text, "quick": {"type": "boolean"},
        "environment": {"type": "object", "additionalProperties": text},
        "claims": {"type": "array", "items": {"$ref": "#/$defs/ClaimEntry"}},
        "sources": {"type": "array", "items": source},
        "project": _object({"title": text, "authors": _STRINGS}),
    }, optional=("project",))


def _baseline(defs: dict) -> dict:
    """A regression baseline (:mod:`lrtheory.baseline`), written by ``lrtheory verify
    --update-baseline`` and ``pytest --lrtheory-update-baseline``: per mode and claim the
    verdict and the key numbers with the kind and tolerance each was recorded with.  The
    bounds on lengths and tolerances are checked by :func:`lrtheory.baseline.validate`."""
    from .baseline import FORMAT, KINDS, MODES, NUMBER_KEYS
    from .claims.evidence import VERDICTS
    value = {"anyOf": [{"type": "number"}, {"type": "string"}]}
    number = {"type": "object", "properties": {"kind": {"enum": list(KINDS)}},
              "propertyNames": {"enum": list(NUMBER_KEYS)},
              # an exact value is any JSON value (an integer, a fraction's text, a truth
              # value); a ball's or a float's is a number or a decimal string
              "if": {"properties": {"kind": {"enum": ["ball", "float"]}},
                     "required": ["kind"]},
              "then": {"properties": {"value": value}}}
    for key in NUMBER_KEYS[2:]:
        number["properties"][key] = {"type": "string"} if key in ("exact", "mid") else value
    entry = _object({"verdict": {"enum": list(VERDICTS)},
                     "numbers": {"type": "object", "additionalProperties": number}},
                    optional=("numbers",))
    section = {"type": "object", "required": ["claims"],
               "properties": {"updated": {"type": "string"}, "lrtheory": {"type": "string"},
                              "claims": {"type": "object", "propertyNames": _claim_id(),
                                         "additionalProperties": entry}}}
    return {"type": "object", "required": ["modes"],
            "properties": {"lrtheory_baseline": {"const": FORMAT},
                           "modes": {"type": "object", "propertyNames": {"enum": list(MODES)},
                                     "additionalProperties": section}}}


def _exact_form(type_name: str) -> dict:
    """A result in the exact form (``to_json(exact=True)``), which ``from_json`` checks
    when it reads it back: an object tagged with its type."""
    return {"type": "object", "required": ["type"],
            "properties": {"type": {"const": type_name}}}


def _atlas_checkpoint_line(defs: dict) -> dict:
    """One line of the checkpoint of ``lrtheory atlas --resume FILE``
    (:mod:`lrtheory.atlas.checkpoint`), a JSON Lines file: the first line the run's header
    (objective, variables, largest period, radius, settings, version), each further line
    one classified box, its key (depth, lower and upper end as exact text) and the
    :class:`~lrtheory.atlas.BoxClass` in the exact form."""
    text = {"type": "string"}
    header = _object({"objective": text, "variables": _STRINGS, "max_period": _count(1),
                      "radius": {"type": "number"}, "settings": _exact_form("AtlasSettings"),
                      "lrtheory": text})
    key = {"type": "array", "prefixItems": [_count(), text, text], "items": False,
           "minItems": 3}
    return {"oneOf": [_object({"atlas": header}),
                      _object({"key": key, "box": _exact_form("BoxClass")})]}


#: The documents that are not result types: name -> the function building its schema
#: (its docstring is the schema's description).
def _exact_form_document(defs: dict) -> dict:
    """A result in the exact form (``--json-exact``, ``to_json(exact=True)``) that
    ``Result.from_json`` rebuilds bit for bit: ``{"type": NAME, field: value, …}`` with
    every field of the result type NAME; a value is null, a boolean, a number, a string, a
    list, a tagged number (``mpf`` as integer mantissa and binary exponent, ``Fraction``,
    ``float`` for the non-finite ones, ``mpc``, ``ndarray``), a ``sympy`` expression tree,
    another result, or an object of values."""
    from .results import exact_form_defs
    exact_form_defs(defs)
    return {"$ref": "#/$defs/tagged"}


DOCUMENTS = {"SweepOutput": _sweep_output, "DiagramOutput": _diagram_output,
             "BasinsOutput": _basins_output, "InitOutput": _init_output,
             "ClaimList": _claim_list, "ReportOutput": _report_output,
             "VerdictTable": _verdict_table, "ResultsDocument": _results_document,
             "Baseline": _baseline, "AtlasCheckpointLine": _atlas_checkpoint_line,
             "ExactForm": _exact_form_document}


def document_schema(name: str) -> dict:
    """The JSON Schema (draft 2020-12) of the document ``name``: one of :data:`DOCUMENTS`,
    or a result type (then :func:`lrtheory.results.json_schema`)."""
    if name not in DOCUMENTS:
        from .results import json_schema
        return json_schema(name)
    build = DOCUMENTS[name]
    defs: dict = {}
    body = build(defs)
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": f"https://lrtheory.invalid/schemas/{name}.json", "title": name,
           "description": " ".join((build.__doc__ or "").split()), **body}
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


def command_schemas(command: str) -> dict:
    """``{output: schema name}`` of the JSON outputs of ``command`` (``"sweep"``)."""
    if command not in COMMAND_DOCUMENTS:
        raise KeyError(f"no JSON output of a command {command!r}")
    return dict(COMMAND_DOCUMENTS[command])


def write_document_schemas(folder=None) -> list:
    """Write the schema of every document of :data:`DOCUMENTS` to ``folder`` (default:
    the package's ``schemas/``) as ``<Name>.json``; the files written."""
    folder = Path(folder) if folder is not None else Path(__file__).parent / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(DOCUMENTS):
        path = folder / f"{name}.json"
        path.write_text(json.dumps(document_schema(name), indent=1, ensure_ascii=False)
                        + "\n")
        written.append(path)
    return written
