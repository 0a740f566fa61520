"""The registry: discovery, selection, error isolation, verdict combination."""
import pytest

from lrtheory import claims as C
from lrtheory.errors import InputError


@pytest.fixture
def temp_claims():
    added = []

    def add(cid, fn):
        C.claim(cid, title=f"temp {cid}", statement=r"$x$")(fn)
        added.append(cid)
    yield add
    for cid in added:
        C.REGISTRY.pop(cid, None)


def test_discovery_finds_foundation_claims():
    ids = [c.id for c in C.all_claims()]
    for cid in ("BLOG-2", "BLOG-3", "EOS-1"):
        assert cid in ids
    assert len(ids) == len(set(ids))


def test_select_prefix_and_unknown():
    blog = C.select(["BLOG"])
    assert blog and all(c.id.startswith("BLOG-") for c in blog)
    assert [c.id for c in C.select(["eos-1"])] == ["EOS-1"]
    with pytest.raises(InputError, match="NOPE-1"):
        C.select(["NOPE-1"])


def test_error_isolation(temp_claims):
    def boom(ctx):
        raise RuntimeError("deliberate failure")

    def fine(ctx):
        ev = C.Evidence()
        ev.finding("trivially true", "proved", "exact")
        return ev

    def bad_type(ctx):
        return 42
    temp_claims("EOS-901", boom)
    temp_claims("EOS-902", fine)
    temp_claims("EOS-903", bad_type)
    res = C.run_claims([C.REGISTRY[i] for i in ("EOS-901", "EOS-902", "EOS-903")],
                       C.CheckContext(quick=True))
    verdicts = {r["id"]: r["verdict"] for r in res["claims"]}
    assert verdicts == {"EOS-901": "error", "EOS-902": "proved", "EOS-903": "error"}
    err = res["claims"][0]["evidence"]
    assert "deliberate failure" in err["error"] and "Traceback" in err["traceback"]


def test_combine_verdicts():
    assert C.combine_verdicts(["proved", "confirmed"]) == "confirmed"
    assert C.combine_verdicts(["proved", "refuted", "inconclusive"]) == "refuted"
    assert C.combine_verdicts(["proved", "inconclusive"]) == "inconclusive"
    assert C.combine_verdicts(["proved"]) == "proved"
    assert C.combine_verdicts([]) == "inconclusive"
    with pytest.raises(ValueError):
        C.combine_verdicts(["maybe"])


def test_evidence_numbers_carry_kinds():
    from flint import arb
    ev = C.Evidence()
    ev.exact("n", 3)
    ev.approx("x", 0.5, rel_tol=1e-6)
    ev.ball("b", arb("1.5", "1e-20"))
    assert ev.numbers["n"]["kind"] == "exact"
    assert ev.numbers["x"]["rel_tol"] == 1e-6
    assert ev.numbers["b"]["kind"] == "ball" and float(ev.numbers["b"]["radius"]) <= 2e-20
