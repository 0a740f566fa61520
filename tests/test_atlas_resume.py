"""Resumable atlas runs: a run stopped after k boxes and started again with the same
checkpoint gives the atlas of an uninterrupted run, serially and with two processes."""
from __future__ import annotations

import json

import pytest

from lrtheory.atlas import atlas
from lrtheory.cli import main
from lrtheory.errors import InputError

CUBIC = "x**3/3 - x"
KW = dict(boxes=4, max_period=4, max_depth=1)
RANGE = ("1.05", "1.45")


class Stop(Exception):
    """Raised by the test hook to interrupt a run."""


def stop_after(k: int):
    seen = []

    def hook(box):
        seen.append(box)
        if len(seen) >= k:
            raise Stop
    return hook, seen


@pytest.fixture(scope="module")
def uninterrupted():
    return atlas(CUBIC, "x", RANGE, **KW)


def checkpoint_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("jobs", [None, 2])
def test_interrupted_then_resumed_equals_uninterrupted(tmp_path, uninterrupted, jobs):
    path = tmp_path / "atlas.jsonl"
    hook, first = stop_after(3)
    with pytest.raises(Stop):
        atlas(CUBIC, "x", RANGE, jobs=jobs, resume=path, on_box=hook, **KW)
    stored = checkpoint_lines(path)[1:]
    assert len(stored) >= 3  # every box handed to the hook was on disk first
    keys = {tuple(r["key"]) for r in stored}
    assert {(b.depth, b.lo, b.hi) for b in first} <= keys
    counted = []
    resumed = atlas(CUBIC, "x", RANGE, jobs=jobs, resume=path, on_box=counted.append, **KW)
    assert resumed == uninterrupted
    total = len(checkpoint_lines(path)) - 1
    # nothing stored was classified again, and every job of the run is in the file
    assert not keys & {(b.depth, b.lo, b.hi) for b in counted}
    assert total == len(stored) + len(counted) == 2 * len(resumed.boxes) - KW["boxes"]


def test_a_line_cut_by_a_kill_is_dropped(tmp_path, uninterrupted):
    path = tmp_path / "atlas.jsonl"
    hook, _ = stop_after(2)
    with pytest.raises(Stop):
        atlas(CUBIC, "x", RANGE, resume=path, on_box=hook, **KW)
    with open(path, "a") as fh:
        fh.write('{"key": [0, "1.05", "1.1')  # a write cut short
    assert atlas(CUBIC, "x", RANGE, resume=path, **KW) == uninterrupted
    assert all(line.endswith("}") for line in path.read_text().splitlines())


def test_more_rounds_reuse_the_finished_atlas(tmp_path):
    path = tmp_path / "atlas.jsonl"
    atlas(CUBIC, "x", RANGE, resume=path, **KW)
    before = len(checkpoint_lines(path))
    counted = []
    deeper = atlas(CUBIC, "x", RANGE, resume=path, on_box=counted.append,
                   **{**KW, "max_depth": 2})
    assert all(b.depth == 2 for b in counted)
    assert len(checkpoint_lines(path)) == before + len(counted)
    assert deeper == atlas(CUBIC, "x", RANGE, **{**KW, "max_depth": 2})


def test_a_checkpoint_of_another_atlas_is_refused(tmp_path):
    path = tmp_path / "atlas.jsonl"
    atlas(CUBIC, "x", ("1.5", "1.6"), boxes=1, max_period=3, max_depth=0, resume=path)
    with pytest.raises(InputError, match="not a checkpoint of this atlas"):
        atlas(CUBIC, "x", ("1.5", "1.6"), boxes=1, max_period=4, max_depth=0, resume=path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(path.read_text().splitlines()[0] + "\n" + '{"key": [0, "1", "2"], '
                   '"box": {"type": "BoxClass", "lo": "1.5", "hi": "1.6", "label": '
                   '"divergent"}}\n')
    with pytest.raises(InputError, match="not the box its key names"):
        atlas(CUBIC, "x", ("1.5", "1.6"), boxes=1, max_period=3, max_depth=0, resume=bad)


def test_cli_resume_gives_the_uninterrupted_table(tmp_path, capsys):
    argv = ["atlas", CUBIC, "--vars", "x", "--lr-range", *RANGE, "--boxes", "4",
            "--max-period", "4", "--max-depth", "1"]
    assert main(argv) == 0
    plain = capsys.readouterr().out
    path = tmp_path / "ck.jsonl"
    hook, _ = stop_after(2)
    with pytest.raises(Stop):
        atlas(CUBIC, "x", RANGE, resume=path, on_box=hook, **KW)
    assert main(argv + ["--resume", str(path)]) == 0
    assert capsys.readouterr().out == plain
    other = argv[:5] + ["1.5", "1.6"] + argv[7:] + ["--max-period", "3", "--resume",
                                                    str(path)]
    assert main(other) == 2
    err = capsys.readouterr().err
    assert err.startswith("lrtheory: error:") and len(err.strip().splitlines()) == 1
