"""The quick checks of every registered claim, held to ``proofs_checks/baseline.json``.

A drift means a verdict or a key number changed.  If the change is intended, record it
with ``lrtheory verify --quick --update-baseline`` and commit the new baseline."""
from __future__ import annotations

from pathlib import Path

import pytest

from lrtheory import baseline as bl
from lrtheory.claims import CheckContext, run_claims, select

BASELINE = Path(__file__).resolve().parent.parent / "proofs_checks" / "baseline.json"


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    if not BASELINE.is_file():
        pytest.fail(f"{BASELINE} does not exist: run `lrtheory verify --quick "
                    f"--update-baseline` and commit it")
    ctx = CheckContext(quick=True, figure_dir=tmp_path_factory.mktemp("figures"))
    return run_claims(select(), ctx)


@pytest.mark.slow
def test_quick_run_matches_the_baseline(quick_run):
    drifts = bl.compare(quick_run, bl.load(BASELINE))
    assert not drifts, ("drift from proofs_checks/baseline.json (if intended, run `lrtheory verify "
                        "--quick --update-baseline`):\n" + "\n".join(map(str, drifts)))


@pytest.mark.slow
def test_every_registered_claim_is_in_the_baseline(quick_run):
    missing = bl.uncovered(quick_run, bl.load(BASELINE))
    assert not missing, (f"claims not in proofs_checks/baseline.json: {', '.join(missing)}; "
                         "run `lrtheory verify --quick --update-baseline`")
