"""CLI contract of `lrtheory list`, `lrtheory verify`, exit codes, no tracebacks."""
import json
import subprocess
import sys


from lrtheory import __version__
from lrtheory.cli import main


def run(*args):
    p = subprocess.run([sys.executable, "-m", "lrtheory", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_version_and_help():
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("--help")
    assert code == 0 and "verify" in out and "list" in out


def test_every_subcommand_has_help():
    from lrtheory.cli import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        code, out, err = run(name, "--help")
        assert code == 0, (name, err)
        assert "usage" in out


def test_list_one_line_per_claim():
    code, out, _ = run("list")
    lines = out.strip().splitlines()
    assert code == 0
    ids = [ln.split("\t")[0] for ln in lines]
    assert "BLOG-2" in ids and "EOS-1" in ids
    assert all(len(ln.split("\t")) == 3 for ln in lines)


def test_verify_json_contract(tmp_path):
    path = tmp_path / "r.json"
    code, out, err = run("verify", "BLOG-2", "EOS-1", "--quick", "--json", str(path),
                         "--progress")
    assert code == 0, err
    doc = json.loads(path.read_text())
    assert doc["lrtheory"] == __version__
    assert [c["id"] for c in doc["claims"]] == ["BLOG-2", "EOS-1"]
    for c in doc["claims"]:
        assert set(c) >= {"id", "title", "source", "statement", "verdict", "method",
                          "seconds", "evidence"}
        assert c["verdict"] in ("proved", "confirmed", "refuted", "inconclusive")
    assert "BLOG-2" in out and "verdict" in out
    assert "[1/2]" in err  # progress on stderr when asked (--progress)


def test_verify_unknown_id_exit_2(tmp_path):
    code, out, err = run("verify", "NOPE-7", "--json", str(tmp_path / "r.json"))
    assert code == 2
    assert "unknown claim IDs: NOPE-7" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_option_exit_2():
    code, _, err = run("verify", "--no-such-option")
    assert code == 2 and "Traceback" not in err


def test_verify_exit_1_when_a_check_errors(tmp_path, monkeypatch, capsys):
    from lrtheory import claims as C

    def boom(ctx):
        raise RuntimeError("deliberate")
    C.claim("EOS-999", title="fails", statement="$x$")(boom)
    try:
        code = main(["verify", "EOS-999", "--json", str(tmp_path / "r.json")])
    finally:
        C.REGISTRY.pop("EOS-999", None)
    assert code == 1
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["claims"][0]["verdict"] == "error"
