"""Where the chunks of a sweep run: in this process, in local processes, on a Dask cluster,
or on any :class:`concurrent.futures.Executor`.

:func:`open_runner` turns the user's choice into a :class:`Runner` (a context manager that
shuts down what it started and nothing else):

* nothing (or ``jobs=1``) — chunks run one after another in this process;
* ``jobs=N`` — a :class:`concurrent.futures.ProcessPoolExecutor` of N processes;
* ``executor=`` any :class:`concurrent.futures.Executor` (left running afterwards);
* ``dask=`` a :class:`distributed.Client`, a scheduler address (``tcp://host:8786``), or
  ``"local"`` for a :class:`distributed.LocalCluster` of worker processes (``jobs`` of
  them, default one per core) started for the run and closed after it.  Dask is the
  optional extra ``lrtheory[dask]``; without it ``dask=`` is an :class:`InputError`.

:meth:`Runner.map` yields ``(chunk number, result)`` as chunks finish; the caller
assembles them in chunk order, so the result does not depend on the completion order.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import re
import uuid
from contextlib import contextmanager

from ..errors import InputError

__all__ = ["Runner", "open_runner", "dask_client"]


class Runner:
    """Runs ``fn(*args)`` for each chunk; ``kind`` and ``workers`` describe where."""

    def __init__(self, kind: str, workers: int, pool=None, client=None):
        self.kind, self.workers, self.pool, self.client = kind, workers, pool, client

    def map(self, fn, jobs: dict, progress=None):
        """Yield ``(key, fn(*jobs[key]))`` for every key as the calls finish (``progress``:
        a :class:`~lrtheory.sweeps.progress.Progress` to start, or to hand to Dask)."""
        if progress is not None and self.kind != "dask":
            progress.start()
        if self.kind == "serial":
            for key, args in jobs.items():
                yield key, fn(*args)
        elif self.kind == "dask":
            yield from self._dask_map(fn, jobs, progress)
        else:
            futures = {self.pool.submit(fn, *args): key for key, args in jobs.items()}
            try:
                for fut in cf.as_completed(futures):
                    yield futures[fut], fut.result()
            finally:
                for fut in futures:
                    fut.cancel()

    def _dask_map(self, fn, jobs: dict, progress):
        from distributed import as_completed
        client, token = self.client, uuid.uuid4().hex[:12]
        shared = {}  # large arguments (the sweep) go to the workers once
        futures = {}
        for key, args in jobs.items():
            sent = []
            for a in args:
                if not isinstance(a, (int, float, str)):
                    if id(a) not in shared:
                        shared[id(a)] = client.scatter(a, broadcast=True, hash=False)
                    a = shared[id(a)]
                sent.append(a)
            fut = client.submit(fn, *sent, key=f"lrtheory-chunk-{token}-{key}", pure=False)
            futures[fut.key] = (fut, key)
        if progress is not None:
            progress.attach_dask([f for f, _ in futures.values()])
        try:
            for fut, value in as_completed([f for f, _ in futures.values()],
                                           with_results=True):
                yield futures[fut.key][1], value
        finally:
            client.cancel([f for f, _ in futures.values()])


#: Schemes of a Dask scheduler address lrtheory connects to (TCP, with or without TLS,
#: or websockets); a bare ``HOST:PORT`` means TCP.
DASK_SCHEMES = ("tcp", "tls", "ws", "wss")
_ADDRESS = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
                      r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})\Z")


def check_address(text: str) -> str:
    """``text`` (stripped) if it is a scheduler address ``[SCHEME://]HOST:PORT`` with a
    scheme of :data:`DASK_SCHEMES`, a host name, IPv4 or bracketed IPv6 address and a port
    from 1 to 65535; else :class:`InputError` saying what is wrong — before any
    connection is tried."""
    address = text.strip()
    m = _ADDRESS.match(address)
    example = "e.g. tcp://127.0.0.1:8786, or 'local'"
    if m is None:
        raise InputError(f"--dask {address!r} is not a scheduler address "
                         f"[SCHEME://]HOST:PORT ({example})")
    scheme, host, port = m.group("scheme"), m.group("host"), int(m.group("port"))
    if scheme is not None and scheme.lower() not in DASK_SCHEMES:
        raise InputError(f"--dask {address!r}: unsupported scheme {scheme!r} (use "
                         f"{', '.join(DASK_SCHEMES)})")
    if not 1 <= port <= 65535:
        raise InputError(f"--dask {address!r}: port {port} is not from 1 to 65535")
    if re.fullmatch(r"[\d.]+", host):
        import ipaddress
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise InputError(f"--dask {address!r}: {host} is not an IPv4 address") from None
    elif host.startswith("["):
        import ipaddress
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise InputError(f"--dask {address!r}: {host} is not an IPv6 address") from None
    return address


def dask_client(dask, workers: int | None = None):
    """``(client, owned)``: a :class:`distributed.Client` for ``dask`` (a Client, a
    scheduler address, or "local" for a new LocalCluster of ``workers`` processes) and the
    objects this call started (to close afterwards)."""
    try:
        import distributed
    except ImportError:
        raise InputError("Dask needs the optional dependencies: pip install "
                         "'lrtheory[dask]'") from None
    if isinstance(dask, distributed.Client):
        return dask, []
    if not isinstance(dask, str) or not dask.strip():
        raise InputError(f"dask must be a distributed.Client, a scheduler address or "
                         f"'local', got {dask!r}")
    if dask.strip() == "local":
        cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                           threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
        return client, [client, cluster]
    address = check_address(dask)
    try:
        client = distributed.Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {dask.strip()!r}: {exc}") \
            from None
    return client, [client]


def _dask_workers(client) -> int:
    info = client.scheduler_info()
    workers = info.get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


@contextmanager
def open_runner(executor=None, jobs: int | None = None, dask=None):
    """The :class:`Runner` for the choice of executor (see the module docstring)."""
    chosen = [name for name, v in (("executor", executor), ("dask", dask)) if v is not None]
    if len(chosen) > 1:
        raise InputError("choose one of executor= and dask=")
    if jobs is not None and (int(jobs) < 1 or int(jobs) != jobs):
        raise InputError(f"jobs must be a positive integer, got {jobs!r}")
    if executor is not None:
        if jobs is not None:
            raise InputError("jobs= sets the processes lrtheory starts; with executor= "
                             "the executor decides")
        if not isinstance(executor, cf.Executor):
            raise InputError("executor must be a concurrent.futures.Executor")
        yield Runner("executor", getattr(executor, "_max_workers", 1) or 1, pool=executor)
        return
    if dask is not None:
        is_local = isinstance(dask, str) and dask.strip() == "local"
        if jobs is not None and not is_local:
            raise InputError("jobs= sets the workers of dask='local'; a running cluster "
                             "has its own")
        client, owned = dask_client(dask, jobs)
        try:
            yield Runner("dask", _dask_workers(client), client=client)
        finally:
            for obj in owned:
                obj.close()
        return
    if jobs is None or int(jobs) == 1:
        yield Runner("serial", 1)
        return
    with cf.ProcessPoolExecutor(max_workers=int(jobs)) as pool:
        try:
            yield Runner("processes", int(jobs), pool=pool)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
