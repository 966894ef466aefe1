"""What runs in a sweep's worker processes: one RunSpec in, its results (or its traceback) out; and the
set-up that makes a local worker ignore Ctrl-C and exit with its parent."""

from __future__ import annotations

import os
import select
import signal
import threading
import time
import traceback
from typing import Any

from experiments import simulate
from experiments.infra import provenance
from experiments.infra.files import pid_alive
from experiments.sweeps.experiment_file import RunSpec


def execute_run(spec: RunSpec) -> dict[str, Any]:
    """Simulate one run; never raises, so that one failure cannot stop a sweep. (Anything that reaches the
    sweep as an exception is therefore the infrastructure's, not the model's.)"""
    t0 = time.perf_counter()
    try:
        params = simulate.build_parameters(spec.scenario, spec.overrides, scale=spec.scale, seed=spec.seed,
                                           start=spec.start, end=spec.end)
        result = simulate.run(spec.scenario, params)
    except Exception as exc:  # noqa: BLE001 - recorded with its traceback, the sweep goes on
        return {"run_id": spec.run_id, "ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "wall_s": time.perf_counter() - t0,
                "code": provenance.code_digest()}
    frame = result.timeseries[["date", *spec.series]]
    return {"run_id": spec.run_id, "ok": True, "summary": result.summary, "events": result.events,
            "series": {col: frame[col].tolist() for col in frame.columns},
            "versions": result.manifest["versions"], "wall_s": time.perf_counter() - t0,
            "code": provenance.code_digest()}


def worker_identity() -> dict[str, Any]:
    """The code and package versions this process runs (compared with the sweep's before a cluster is used)."""
    return {"code": provenance.code_digest(), "versions": provenance.versions(), "path": str(provenance.ROOT),
            "pid": os.getpid()}


def init_worker(parent_pid: int) -> None:
    """A local worker's set-up: Ctrl-C is the parent's to handle, and the worker exits when the parent does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="exit-with-parent", daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    """Block until the parent process has gone, then end this worker at once."""
    try:
        fd = os.pidfd_open(parent_pid)
    except (AttributeError, OSError):  # no pidfd (an old kernel) or the parent is already gone: poll
        while pid_alive(parent_pid):
            time.sleep(0.5)
    else:
        select.select([fd], [], [])
    os._exit(1)


