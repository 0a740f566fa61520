"""Safe writes and bounded reads (lrtheory.io): atomic writes with the umask's mode,
temporary files cleaned, device nodes and outside links refused, input files bounded,
NaN as valid JSON, and concurrent baseline updates serialized by a lock."""
from __future__ import annotations

import json
import math
import multiprocessing
import os
import stat
import time

import pytest

from lrtheory import baseline as bl
from lrtheory import io, limits
from lrtheory.errors import InputError


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda m: os.umask(m)
    os.umask(old)


# -- writes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mask,expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_mode_the_umask_gives(tmp_path, umask, mask, expected):
    umask(mask)
    io.atomic_write_text(tmp_path / "a.json", "{}")
    assert _mode(tmp_path / "a.json") == expected


def test_a_rewrite_keeps_the_mode_of_the_file(tmp_path, umask):
    path = tmp_path / "results.json"
    io.atomic_write_text(path, "1")
    os.chmod(path, 0o640)
    umask(0o077)
    io.atomic_write_text(path, "2")
    assert path.read_text() == "2" and _mode(path) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    io.atomic_write_text(path, "old")

    def boom(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(io.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        io.atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def _dead_pid() -> int:
    """The id of a process that has exited (a child that was reaped)."""
    proc = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    proc.start()
    proc.join()
    return proc.pid


def test_temporaries_of_killed_runs_are_removed_at_the_next_write(tmp_path):
    path = tmp_path / "baseline.json"
    dead = tmp_path / f".baseline.json.{_dead_pid()}-0123456789ab.tmp"
    alive = tmp_path / f".baseline.json.{os.getppid()}-0123456789ab.tmp"
    old_style = tmp_path / ".baseline.json.k3j4h5g6.tmp"
    other = tmp_path / ".other.json.1-0123456789ab.tmp"
    for p in (dead, alive, old_style, other):
        p.write_text("partial")
    os.utime(old_style, (time.time() - 2 * io.STALE_SECONDS,) * 2)
    io.atomic_write_json(path, {"a": 1})
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([path.name, alive.name, other.name])


def test_a_write_killed_midway_leaves_the_old_file(tmp_path):
    """A child is killed (SIGKILL) while it writes; the target keeps its old content and
    the next write removes the child's temporary file."""
    path = tmp_path / "big.bin"
    io.atomic_write_bytes(path, b"old")
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()

    def writer():
        real_fsync = os.fsync

        def slow_fsync(fd):
            started.set()
            time.sleep(60)
            real_fsync(fd)
        os.fsync = slow_fsync
        io.atomic_write_bytes(path, b"x" * 1_000_000)
    proc = ctx.Process(target=writer)
    proc.start()
    assert started.wait(30)
    proc.kill()
    proc.join()
    assert path.read_bytes() == b"old"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    io.atomic_write_bytes(path, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin"]


@pytest.mark.parametrize("kind", ["device", "fifo", "directory", "link out", "dangling out"])
def test_outputs_that_must_not_be_replaced_are_refused(tmp_path, kind):
    target = tmp_path / "out.json"
    if kind == "device":
        target = "/dev/null"
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    elif kind == "link out":
        (tmp_path / "elsewhere").mkdir()
        secret = tmp_path / "elsewhere" / "keep.txt"
        secret.write_text("precious")
        (tmp_path / "sub").mkdir()
        target = tmp_path / "sub" / "out.json"
        target.symlink_to(secret)
    else:
        (tmp_path / "sub").mkdir()
        target = tmp_path / "sub" / "out.json"
        target.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(InputError, match="refusing"):
        io.check_output_path(target)
    with pytest.raises(InputError):
        io.atomic_write_json(target, {"a": 1})
    if kind == "link out":
        assert (tmp_path / "elsewhere" / "keep.txt").read_text() == "precious"
        assert target.is_symlink()
    if kind == "fifo":
        assert stat.S_ISFIFO(os.stat(target).st_mode)


def test_a_link_inside_its_folder_is_followed_and_kept(tmp_path):
    real = tmp_path / "results-v2.json"
    real.write_text("{}")
    link = tmp_path / "results.json"
    link.symlink_to(real.name)
    io.atomic_write_json(link, {"a": 1})
    assert link.is_symlink() and json.loads(real.read_text()) == {"a": 1}


def test_check_output_path_refuses_a_file_as_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="(?i)not a directory"):
        io.check_output_path(tmp_path / "file" / "out.json")


# -- reads ----------------------------------------------------------------------------------

def test_reading_a_device_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(InputError, match="not a regular file"):
        io.read_json("/dev/zero", "results file")
    assert time.perf_counter() - start < 1


def test_reading_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError, match="FIFO"):
        io.read_text(tmp_path / "pipe")


def test_files_beyond_the_size_limit_are_refused(tmp_path):
    path = tmp_path / "big.json"
    path.write_text("[" + "0," * 600 + "0]")
    with pytest.raises(InputError, match="MAX_INPUT_FILE_BYTES"):
        io.read_json(path, max_bytes=1000)
    assert io.read_json(path, max_bytes=2000)[0] == 0


@pytest.mark.parametrize("depth,ok", [(limits.MAX_JSON_DEPTH, True),
                                      (limits.MAX_JSON_DEPTH + 1, False),
                                      (100_000, False)])
def test_json_nesting_is_bounded(tmp_path, depth, ok):
    path = tmp_path / "deep.json"
    path.write_text("[" * depth + "]" * depth)
    if ok:
        assert isinstance(io.read_json(path), list)
    else:
        with pytest.raises(InputError, match="MAX_JSON_DEPTH"):
            io.read_json(path)


def test_non_utf8_and_malformed_json_are_input_errors(tmp_path):
    (tmp_path / "a.json").write_bytes(b"\xff\xfe{")
    (tmp_path / "b.json").write_text("{oops")
    for name in ("a.json", "b.json"):
        with pytest.raises(InputError):
            io.read_json(tmp_path / name)


def test_nan_and_infinity_are_written_as_valid_json_and_read_back(tmp_path):
    path = tmp_path / "r.json"
    io.atomic_write_json(path, {"a": math.nan, "b": [math.inf, -math.inf, 1.5]})
    text = path.read_text()

    def refuse(token):
        raise AssertionError(f"invalid JSON token {token}")
    raw = json.loads(text, parse_constant=refuse)        # strict JSON
    assert raw["a"] == {"type": "float", "value": "nan"}
    back = io.read_json(path)
    assert math.isnan(back["a"]) and back["b"][:2] == [math.inf, -math.inf]


# -- baselines: tolerances, NaN, concurrent updates ----------------------------------------

def _results(cid: str, value, quick=True, **tol) -> dict:
    number = {"value": value, "kind": "float", "rel_tol": 1e-9, "abs_tol": 0.0, **tol}
    return {"lrtheory": "0.1.0", "quick": quick, "claims": [
        {"id": cid, "verdict": "confirmed", "evidence": {"numbers": {"v": number}}}]}


@pytest.mark.parametrize("tol", [{"rel_tol": math.inf}, {"abs_tol": -1.0},
                                 {"rel_tol": math.nan}, {"abs_tol": "abc"},
                                 {"rel_tol": True}])
def test_invalid_tolerances_are_refused(tmp_path, tol):
    with pytest.raises(InputError, match="finite number >= 0"):
        bl.make_baseline(_results("BLOG-1", 1.0, **tol))
    path = tmp_path / "baseline.json"
    good = bl.make_baseline(_results("BLOG-1", 1.0))
    number = good["modes"]["quick"]["claims"]["BLOG-1"]["numbers"]["v"]
    number.update(tol)
    path.write_text(io.dumps(good))
    with pytest.raises(InputError, match="finite number >= 0"):
        bl.load(path)


def test_a_baseline_with_infinite_tolerance_written_by_hand_is_refused(tmp_path):
    path = tmp_path / "baseline.json"
    good = io.dumps(bl.make_baseline(_results("BLOG-1", 1.0)))
    path.write_text(good.replace('"rel_tol": 1e-09', '"rel_tol": Infinity'))
    with pytest.raises(InputError, match="rel_tol"):
        bl.load(path)


def test_nan_values_round_trip_and_compare_sensibly(tmp_path):
    path = tmp_path / "baseline.json"
    run = _results("BLOG-1", math.nan)
    run["claims"][0]["evidence"]["numbers"]["e"] = {"value": math.nan, "kind": "exact"}
    bl.save(bl.make_baseline(run), path)
    json.loads(path.read_text(), parse_constant=lambda t: pytest.fail(f"token {t}"))
    base = bl.load(path)
    assert bl.compare(run, base) == []                      # NaN matches NaN
    other = _results("BLOG-1", 1.0)
    other["claims"][0]["evidence"]["numbers"]["e"] = {"value": 2.0, "kind": "exact"}
    drifts = {d.name: d.by for d in bl.compare(other, base)}
    assert drifts == {"v": "one value is NaN", "e": "exact values differ"}


def _update(path: str, cid: str, start) -> None:
    """One `--update-baseline` run: read the baseline, compute, record."""
    previous = bl.load(path) if os.path.exists(path) else None
    start.wait()
    time.sleep(0.01 * (hash(cid) % 5))
    bl.save(bl.make_baseline(_results(cid, float(len(cid))), previous), path)


def test_concurrent_baseline_updates_lose_nothing(tmp_path):
    path = str(tmp_path / "baseline.json")
    bl.save(bl.make_baseline(_results("BLOG-0", 0.0)), path)
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    ids = [f"BLOG-{i}" for i in range(1, 7)]
    procs = [ctx.Process(target=_update, args=(path, cid, start)) for cid in ids]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    claims = bl.load(path)["modes"]["quick"]["claims"]
    assert sorted(claims) == sorted(["BLOG-0", *ids])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_update_records_into_the_current_file(tmp_path):
    path = tmp_path / "baseline.json"
    bl.update(path, _results("BLOG-1", 1.0))
    bl.update(path, _results("BLOG-2", 2.0))
    bl.update(path, _results("BLOG-1", 3.0, quick=False))
    modes = bl.load(path)["modes"]
    assert sorted(modes["quick"]["claims"]) == ["BLOG-1", "BLOG-2"]
    assert modes["full"]["claims"]["BLOG-1"]["numbers"]["v"]["value"] == 3.0


def test_the_lock_times_out_with_an_input_error(tmp_path):
    path = tmp_path / "baseline.json"
    with io.locked(path):
        ctx = multiprocessing.get_context("fork")
        q = ctx.Queue()

        def other():
            try:
                with io.locked(path, timeout=0.3):
                    q.put("got the lock")
            except InputError as exc:
                q.put(str(exc))
        p = ctx.Process(target=other)
        p.start()
        p.join(30)
        assert "locked by another lrtheory process" in q.get(timeout=5)
