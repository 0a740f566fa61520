"""Tables of the LaTeX report: long source keys wrap inside their column."""
import shutil

import pytest

from lrtheory import report as report_pkg
from lrtheory.report.latex import escape, escape_key

LONG_KEY = "KongTao2020MultiscaleLossLandscapes"


def test_short_keys_stay_whole_and_long_ones_may_break_anywhere():
    assert escape_key("BLOG") == "BLOG" and escape_key("S12") == "S12"
    text = escape_key("Kong_Tao")
    assert text.replace(r"\allowbreak{}", "") == escape("Kong_Tao")
    assert text.count(r"\allowbreak{}") == len("Kong_Tao")  # after every character
    assert escape_key(None) == ""


def _results(key: str) -> dict:
    claim = {"id": "X-1", "title": "A claim", "source": "Kong & Tao, multiscale",
             "source_key": key, "statement": "f is smooth", "verdict": "proved",
             "method": "exact", "evidence": {}, "seconds": 0.1}
    return {"lrtheory": "0", "quick": True, "environment": {}, "claims": [claim],
            "sources": [{"key": key, "text": "Kong & Tao, multiscale"}]}


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("latexmk") is None, reason="latexmk not installed")
def test_a_long_source_key_wraps_in_the_summary_table(tmp_path):
    info = report_pkg.write_report(_results(LONG_KEY), tmp_path / "out", base_dirs=[])
    assert info["pdf_built"], info
    assert info["log_summary"]["overfull_hbox"] == 0, info["log_summary"]
    tex = (tmp_path / "out" / "lrtheory-report.tex").read_text()
    assert r"K\allowbreak{}o\allowbreak{}n\allowbreak{}g" in tex  # the summary table's cell
