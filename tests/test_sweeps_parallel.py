"""Sweeps across processes and clusters give the serial result bit for bit: local processes,
distributed.LocalCluster with worker processes, a scheduler and two workers started as
separate processes on 127.0.0.1 (the CLI's --dask ADDRESS), and a sweep killed between
chunks and resumed.  Slow (process start-up): marked ``slow``, run in CI."""
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

xr = pytest.importorskip("xarray", reason="lrtheory.sweeps needs xarray (lrtheory[dask])")

from lrtheory.sweeps import (GDTask, OrbitsTask, Sweep, diagram, open_dataset,  # noqa: E402
                             run_sweep)

from test_sweeps import assert_same_bits  # noqa: E402

pytestmark = pytest.mark.slow
DOUBLE_WELL = "(x**2 - 1)**2/4"


def gd_sweep():
    return Sweep.of("(x*y - mu)**2/2", "x,y", lr=[0.5, 1.2, 1.9], params={"mu": [1, 2]},
                    box=(-1.5, 1.5), grid=6, task=GDTask("lyapunov", steps=300, tail=16))


def orbit_sweep():
    return Sweep.of(DOUBLE_WELL, "x", lr=[0.9, 1.1, 1.2],
                    task=OrbitsTask(max_period=2, box=(-2, 2), starts=20), seed=7)


def test_local_processes_and_chunk_sizes_match_serial():
    for sweep in (gd_sweep(), orbit_sweep()):
        ref = run_sweep(sweep)
        for jobs, size in ((2, 1), (2, 17), (2, None)):
            assert_same_bits(run_sweep(sweep, jobs=jobs, chunk_size=size), ref)
    lr = np.linspace(0.8, 1.5, 10)
    ref = diagram(DOUBLE_WELL, "x", lr, [[0.5], [1.3], [-0.2]], transient=100, keep=8)
    assert_same_bits(diagram(DOUBLE_WELL, "x", lr, [[0.5], [1.3], [-0.2]], transient=100,
                             keep=8, jobs=2, chunk_size=1), ref)


def test_dask_local_cluster_with_processes_matches_serial():
    distributed = pytest.importorskip("distributed", reason="Dask is lrtheory[dask]")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        for sweep in (gd_sweep(), orbit_sweep()):
            stats = {}
            got = run_sweep(sweep, dask=client, chunk_size=5, stats=stats)
            assert stats["executor"] == "dask" and stats["workers"] == 2
            assert_same_bits(got, run_sweep(sweep))
        assert client.status == "running"  # a client given by the caller stays open
    assert_same_bits(run_sweep(gd_sweep(), dask="local", jobs=2), run_sweep(gd_sweep()))


def _start(*argv, log):
    return subprocess.Popen([sys.executable, "-m", "dask", *argv], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def scheduler(tmp_path):
    """A Dask scheduler and two single-thread workers, separate processes on 127.0.0.1."""
    pytest.importorskip("distributed", reason="Dask is lrtheory[dask]")
    info = tmp_path / "scheduler.json"
    log = open(tmp_path / "dask.log", "w")
    procs = [_start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                    "--scheduler-file", str(info), log=log)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists():
            assert time.monotonic() < deadline, (tmp_path / "dask.log").read_text()
            time.sleep(0.2)
        time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for i in range(2):
            procs.append(_start("worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                                "--no-dashboard", "--name", f"w{i}", log=log))
        import distributed
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for p in procs[::-1]:
            p.send_signal(signal.SIGINT)
        for p in procs[::-1]:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()


def _lrtheory(*argv, cwd):
    return subprocess.run([sys.executable, "-m", "lrtheory", *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


SWEEP_ARGS = ["sweep", "(1 - x*y)**2/2", "--vars", "x,y", "--lr-range", "0.5", "2",
              "--lr-samples", "4", "--box", "-2,2", "--grid", "12", "--steps", "400",
              "--record", "sharpness"]


def test_external_scheduler_through_the_cli(scheduler, tmp_path):
    p = _lrtheory(*SWEEP_ARGS, "--dask", scheduler, "--out", "cluster.nc", "--chunk-size", "50",
                  cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "dask, 2 worker(s)" in p.stderr
    serial = _lrtheory(*SWEEP_ARGS, "--out", "serial.nc", cwd=tmp_path)
    assert serial.returncode == 0, serial.stderr
    assert_same_bits(open_dataset(tmp_path / "cluster.nc"), open_dataset(tmp_path / "serial.nc"))
    assert p.stdout == serial.stdout


def test_killed_sweep_resumes_without_recomputing_finished_chunks(tmp_path):
    """Kill the command (SIGKILL) once some chunks are on disk, resume, and compare with
    an uninterrupted run; the resumed run reports exactly the chunks it found."""
    args = ["sweep", "(1 - x*y)**2/2", "--vars", "x,y", "--lr-range", "0.5", "2",
            "--lr-samples", "6", "--box", "-2,2", "--grid", "40", "--steps", "3000",
            "--chunk-size", "300"]
    partial = tmp_path / "k.nc.partial"
    proc = subprocess.Popen([sys.executable, "-m", "lrtheory", *args, "--out", "k.nc"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while len(list(partial.glob("chunk-*.npz"))) < 3:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    done = sorted(partial.glob("chunk-*.npz"))
    total = -(-6 * 40 * 40 // 300)
    assert 3 <= len(done) < total and not (tmp_path / "k.nc").exists()
    resumed = _lrtheory(*args, "--out", "k.nc", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{total} chunks ({total - len(done)} computed, {len(done)} resumed)" in resumed.stderr
    fresh = _lrtheory(*args, "--out", "fresh.nc", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert_same_bits(open_dataset(tmp_path / "k.nc"), open_dataset(tmp_path / "fresh.nc"))
    assert not partial.exists()


def test_verify_in_parallel_gives_the_serial_document(tmp_path):
    """REG-1 and REG-2 share a sweep cached by their module: the note REG-2 writes about
    it is the serial one only when both run in one process, in order."""
    ids = ["BLOG-2", "BLOG-3", "REG-1", "REG-2", "EOS-1"]
    runs = {}
    for name, extra in (("serial", []), ("jobs", ["--jobs", "2"])):
        p = _lrtheory("verify", *ids, "--quick", "--json", f"{name}/results.json", *extra,
                      cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        runs[name] = (json.loads((tmp_path / name / "results.json").read_text()), p.stdout)

    def comparable(doc):
        doc = json.loads(json.dumps(doc))
        doc["environment"].pop("date")
        for c in doc["claims"]:
            c.pop("seconds")
        return doc
    assert comparable(runs["jobs"][0]) == comparable(runs["serial"][0])
    table = [line.split()[:2] for line in runs["serial"][1].splitlines()]
    assert table == [line.split()[:2] for line in runs["jobs"][1].splitlines()]
    assert [c["id"] for c in runs["jobs"][0]["claims"]] == ids
