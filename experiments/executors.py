"""Executors behind one concurrent.futures interface: in-process, local processes, dask distributed."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor

from model.parameters import ParameterError


class InProcessExecutor(Executor):
    """Runs each task at submit time in this process (``--workers 1``: simplest to debug and profile)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future, as other executors do
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


class DaskExecutor(Executor):
    """A dask ``distributed`` client's executor that also closes the client (and a LocalCluster) on shutdown."""

    def __init__(self, scheduler: str, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ParameterError("--scheduler needs dask's distributed package: pip install '.[cluster]'") from None
        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ParameterError(f"--scheduler {scheduler}: cannot reach the dask scheduler ({exc})") from None
        self._executor = self.client.get_executor(pure=False)
        self.description = f"dask {'LocalCluster' if self.cluster else scheduler} ({self.n_workers()} workers)"

    def n_workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(workers: int | None, scheduler: str | None) -> tuple[Executor, int, str]:
    """(executor, how many runs to keep in flight, description)."""
    if scheduler:
        ex = DaskExecutor(scheduler, workers or os.cpu_count() or 1)
        return ex, max(1, 2 * ex.n_workers()), ex.description
    n = (os.cpu_count() or 1) if workers is None else workers
    if n < 1:
        raise ParameterError(f"--workers must be at least 1, got {n}")
    if n == 1:
        return InProcessExecutor(), 1, "in-process"
    # forkserver: workers start from a clean single-threaded process (fork from a threaded one can deadlock)
    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("forkserver"))
    return pool, 2 * n, f"{n} local processes"
