"""Executors behind one concurrent.futures interface: in-process, local processes, dask distributed.

Each is a ``SweepExecutor``: ``submit``, ``restart`` after an infrastructure failure (a worker
lost, a pool broken), ``shutdown`` that leaves no process behind, and ``window``, how many
runs to keep in flight.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import socket
import sys
import tempfile
import types
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from experiments.infra import provenance
from experiments.infra.errors import UsageError
from experiments.sweeps.worker import init_worker, worker_identity

MAX_WORKERS = 512
SCHEDULER = re.compile(r"(?:(?P<scheme>tcp|tls|ucx|ws|wss)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})")


class InProcessExecutor(Executor):
    """Runs each task at submit time in this process (``--workers 1``: simplest to debug and profile)."""

    window = 1
    description = "in-process"

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future, as other executors do
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future

    def restart(self) -> None:
        """Nothing to restart: this process is the worker."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing runs in the background."""


@contextmanager
def _main_module_hidden():
    """While worker processes start, hide the ``__main__`` module: a forkserver child otherwise runs the
    calling script again to rebuild it, and a script without ``if __name__ == "__main__":`` would start
    a second sweep inside every worker. The workers need only experiments.sweeps.worker."""
    real = sys.modules["__main__"]
    blank = types.ModuleType("__main__")
    blank.__spec__ = None
    sys.modules["__main__"] = blank
    try:
        yield
    finally:
        sys.modules["__main__"] = real


class LocalProcessPool:
    """A forkserver ProcessPoolExecutor whose workers ignore Ctrl-C (the parent stops them) and exit when
    the parent exits, even by kill -9; ``restart`` replaces a broken pool."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.window = 2 * workers
        self.description = f"{workers} local processes"
        self._start()

    def _start(self) -> None:
        # forkserver: workers start from a clean single-threaded process (fork from a threaded one can deadlock)
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["experiments.sweeps.worker"])
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=init_worker,
                                        initargs=(os.getpid(),))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        with _main_module_hidden():  # a submit may start a worker process
            return self.pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        self._kill()
        self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if wait:
            self.pool.shutdown(wait=True, cancel_futures=cancel_futures)
        else:
            self._kill()

    def _kill(self) -> None:
        """Stop now: cancel what is queued and end the worker processes (a run in progress is lost)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.kill()
        for proc in processes:
            proc.join(timeout=10)


def check_scheduler(address: str) -> None:
    """UsageError unless ``address`` is 'local' or a reachable-looking dask scheduler address. Connects to nothing."""
    if address == "local":
        return
    m = SCHEDULER.fullmatch(address)
    if not m or not 1 <= int(m["port"]) <= 65535:
        raise UsageError(f"--scheduler {address!r}: expected 'local' or a dask scheduler address like tcp://host:8786")
    host = m["host"].strip("[]")
    try:
        socket.getaddrinfo(host, int(m["port"]))
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"--scheduler {address!r}: unknown host {host!r} ({getattr(exc, 'strerror', exc)})") from None


class DaskExecutor:
    """A dask ``distributed`` client's executor that also closes the client (and a LocalCluster) on shutdown.

    On a running cluster (an address), this project's code is sent to every worker first (dask's
    UploadDirectory plugin, workers restarted to load it), so a worker needs only the same packages,
    not the project folder on its path; each worker is then checked to run exactly this code with the
    same package versions.
    """

    def __init__(self, scheduler: str, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--scheduler needs dask's distributed package: pip install '.[cluster]'") from None
        self.scheduler = scheduler
        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            check_scheduler(scheduler)
            self.client = self._connect(Client)
            try:
                self._ship_code()
            except BaseException:
                self.client.close()
                raise
        self._executor = self.client.get_executor(pure=False)
        self.window = max(2, 2 * self.n_workers())
        self.description = f"dask {'LocalCluster' if self.cluster else scheduler} ({self.n_workers()} workers)"

    def _connect(self, client_class):
        try:
            client = client_class(self.scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--scheduler {self.scheduler}: cannot reach the dask scheduler ({exc})") from None
        try:
            client.wait_for_workers(1, timeout=30)
        except (OSError, TimeoutError) as exc:
            client.close()
            raise UsageError(f"--scheduler {self.scheduler}: the scheduler has no workers ({type(exc).__name__}); "
                             f"start one with: dask worker {self.scheduler}") from None
        return client

    def _ship_code(self) -> None:
        """Send this code to the cluster unless every worker runs it already; then check them."""
        here = worker_identity()
        found = self._identities()
        if found is None or any(there["code"] != here["code"] for there in found.values()):
            self._upload()
            found = self._identities(strict=True)
        for address, there in found.items():
            if there["code"] != here["code"]:
                raise UsageError(f"--scheduler {self.scheduler}: {address} runs other code "
                                 f"({there['code']}, here {here['code']}) from {there['path']}")
            differ = sorted(k for k in here["versions"] if k not in ("cpu", "platform")
                            and there["versions"].get(k) != here["versions"][k])
            if differ:
                k = differ[0]
                raise UsageError(f"--scheduler {self.scheduler}: {address} has {k} {there['versions'].get(k)}, "
                                 f"here {here['versions'][k]}; install the same requirements.lock on every machine")

    def _identities(self, strict: bool = False) -> dict | None:
        """worker_identity() of every worker; None if they, or the scheduler, cannot load the code yet. (The
        scheduler only unpickles the tasks, so any version of the code will do there, and a long-lived
        scheduler keeps the first it loaded.)"""
        try:
            found = dict(self.client.run(worker_identity))
            self.client.run_on_scheduler(worker_identity)
            return found
        except Exception as exc:  # noqa: BLE001 - whatever the cluster raised, it cannot run this code
            if strict:
                raise UsageError(f"--scheduler {self.scheduler}: the dask cluster cannot load this project's code "
                                 f"({type(exc).__name__}: {exc}); start the workers with a nanny (the default of "
                                 "dask worker)") from None
            return None

    def _upload(self) -> None:
        from distributed.diagnostics.plugin import UploadDirectory

        digest = provenance.code_digest()
        with tempfile.TemporaryDirectory() as tmp:
            bundle = Path(tmp) / f"probation_abm_code_{digest}"
            for path in [*provenance.code_files(), provenance.ROOT / "pyproject.toml"]:
                target = bundle / path.relative_to(provenance.ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            # mode "all": the scheduler unpickles the task graph too, so it needs the code as well as the workers
            self.client.register_plugin(UploadDirectory(str(bundle), restart_workers=True, update_path=True,
                                                        skip_words=("__pycache__",), mode="all"),
                                        name=f"probation-abm-code-{digest}")
        self.client.wait_for_workers(1, timeout=60)

    def n_workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        """A lost dask worker's tasks are rescheduled by dask itself; reconnect only if the client was closed."""
        if self.client.status in ("closed", "closing", "failed"):
            from distributed import Client

            self.client = self._connect(Client)
            self._executor = self.client.get_executor(pure=False)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            self._executor.shutdown(wait=wait)
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def make_executor(workers: int | None, scheduler: str | None):
    """The executor for ``--workers`` / ``--scheduler``; UsageError if it cannot start."""
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise UsageError(f"--workers must be between 1 and {MAX_WORKERS}, got {workers}")
    if scheduler:
        return DaskExecutor(scheduler, workers or os.cpu_count() or 1)
    n = (os.cpu_count() or 1) if workers is None else workers
    if n == 1:
        return InProcessExecutor()
    return LocalProcessPool(n)
