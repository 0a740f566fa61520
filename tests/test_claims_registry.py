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
    assert ev.numbers["b"].kind == "ball" and float(ev.numbers["b"].rad) <= 2e-20


# ---- free-form IDs, sources, the Registry object ---------------------------------------------
def test_free_form_ids_and_prefix_selection():
    assert C.matches("thm3.1", "thm3") and C.matches("THM3.1", "thm3.1")
    assert not C.matches("thm31", "thm3") and not C.matches("BLOG-10", "BLOG-1")
    assert C.matches("BLOG-10", "blog") and C.matches("lemma_2", "LEMMA")
    assert sorted(["BLOG-10", "BLOG-2", "a.10", "a.9"], key=C.natural_key) == \
        ["a.9", "a.10", "BLOG-2", "BLOG-10"]
    for bad in ("1-A", "", "a b", "x" * 65, "é-1"):
        with pytest.raises(InputError, match="invalid claim ID"):
            C.claim(bad, title="t", statement="s")
    with pytest.raises(InputError, match="expected must be one of"):
        C.claim("OK-1", title="t", statement="s", expected="true")


def test_builtin_sources_keep_their_citations():
    assert list(C.SOURCES) == ["BLOG", "WCZT", "KT", "REG", "EOS"]
    assert C.SOURCES["BLOG"] == 'Tao & Wang, "Fun facts about large learning rates" (blog, 2022)'
    assert C.SOURCES["REG"].endswith("(JMLR 2025), abstract only")
    assert {c.source for c in C.all_claims() if c.prefix == "KT"} == {C.SOURCES["KT"]}


def _spec(cid, source=None, file="f.py", line=1):
    return C.ClaimSpec(cid, "t", "s", source, lambda ctx: None, file=file, line=line)


def test_the_default_source_of_a_claim():
    from lrtheory.claims.registry import resolve
    a = C.Source("A", ("X",), "T", 2020)
    b = C.Source("B", ("Y",), "U", 2021)
    both = {"A": a, "B": b}
    assert resolve(_spec("A-1"), both).source_key == "A"              # the ID's prefix
    assert resolve(_spec("Z-1"), both, local=("B",)).source_key == "B"  # its file's source
    assert resolve(_spec("Z-1"), {"A": a}).source_key == "A"          # the only source
    with pytest.raises(InputError, match="f.py:1: claim Z-1 names no source"):
        resolve(_spec("Z-1"), both)
    with pytest.raises(InputError, match="names source 'C', which is not declared"):
        resolve(_spec("Z-1", "C"), both)
    assert a.citation() == 'X, "T" (2020)'


def test_the_registry_rejects_a_second_declaration_of_an_id():
    reg = C.Registry()
    reg.add(C.Claim("P-1", "t", "s", "st", print, origin="a.py:3"))
    reg.add(C.Claim("P-1", "t", "s", "st", print, origin="a.py:3"))   # the same place
    with pytest.raises(InputError, match=r"claim ID p-1 is declared twice: at a.py:3 and at "
                                         r"b.toml:7"):
        reg.add(C.Claim("p-1", "t", "s", "st", print, origin="b.toml:7"))
    with pytest.raises(InputError, match="source 'A' is declared twice, differently"):
        reg.add_source(C.Source("A", ("X",), "T", 2020, origin="one"))
        reg.add_source(C.Source("A", ("X",), "Other", 2020, origin="two"))


def test_a_declaration_outside_discovery_goes_to_the_session_registry_only(tmp_path):
    from lrtheory.claims.registry import loading

    def check(ctx):
        return C.Evidence()
    with loading():
        C.claim("LOAD-1", title="t", statement="s")(check)
    assert "LOAD-1" not in C.REGISTRY
    C.claim("SESSION-1", title="t", statement="s", source="BLOG")(check)
    try:
        assert C.REGISTRY["SESSION-1"].source == C.SOURCES["BLOG"]
        assert "SESSION-1" in C.discover(cwd=tmp_path)          # outside a project
        assert [c.id for c in C.select(["session"])] == ["SESSION-1"]
    finally:
        C.REGISTRY.pop("SESSION-1", None)
