"""The README's cluster recipe exactly as written, on a real dask cluster: `dask scheduler` and `dask worker
tcp://host:port` started as separate processes from the project folder with the venv (no PYTHONPATH), then
`run.py sweep ... --scheduler tcp://host:port`. The sweep sends its code to the cluster, and its tables
equal a local sweep's byte for byte. A dask worker killed mid-sweep costs a retry, never a failure."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from experiments.sweeps import experiment_file, sweep
from tests.conftest import ROOT
from tests.reliability import reliability_log
from tests.sweep_helpers import tables, write_experiment

DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and one worker, each its own process group, started as the README says."""
    if not DASK.exists():
        pytest.skip("dask's command-line tools are not installed in this environment")
    logs = tmp_path_factory.mktemp("dask-logs")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # a lost worker surfaces at once as KilledWorker (dask's default would retry it 3 times itself), so that
    # the sweep's own retry is what is tested
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "0"
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(DASK), "scheduler", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT,
                              start_new_session=True)]
    deadline = time.monotonic() + 120
    while not listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    procs.append(subprocess.Popen([str(DASK), "worker", address], cwd=ROOT, env=env,
                                  stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT,
                                  start_new_session=True))
    try:
        yield address, procs[1], env
    finally:
        for proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def sweep_on(address: str, path: Path, out: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "run.py", "sweep", str(path), "--scheduler", address, "--out", str(out),
                             "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_the_readme_cluster_recipe_gives_the_tables_of_a_local_sweep(cluster, tmp_path):
    address, _, env = cluster
    path = write_experiment(tmp_path)
    local = tmp_path / "local"
    sweep.run_sweep(experiment_file.load(path), local, workers=1, progress=False)
    out = tmp_path / "cluster"
    proc = sweep_on(address, path, out, env)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert f"running 4 on dask {address} (1 workers)" in stdout
    assert tables(out) == tables(local)
    reliability_log.fault("the README's cluster recipe: `dask scheduler`, `dask worker ADDRESS` from the project "
                          "folder, no PYTHONPATH",
                          "the sweep sends its code to the cluster; 4 of 4 runs ok, tables byte-identical to a "
                          "local sweep")


def test_a_dask_worker_killed_mid_sweep_costs_a_retry_not_a_failure(cluster, tmp_path):
    address, worker, env = cluster
    path = write_experiment(tmp_path, reps=3, end="2012-12-31")
    local = tmp_path / "local"
    sweep.run_sweep(experiment_file.load(path), local, workers=1, progress=False)
    out = tmp_path / "cluster"
    proc = sweep_on(address, path, out, env)
    deadline = time.monotonic() + 600
    while not list((out / "runs").glob("*-r*.json")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    nanny = psutil.Process(worker.pid)
    victim = next(p for p in nanny.children(recursive=True) if "spawn_main" in " ".join(p.cmdline()))
    victim.kill()
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert "retry" in stdout and "KilledWorker" in stdout and "not a model failure" in stdout
    assert not list((out / "runs").glob("*.error.json"))
    assert tables(out) == tables(local)
    reliability_log.fault("kill -9 of the dask worker process mid-sweep (dask's own retries off)",
                          "its tasks come back as KilledWorker and are retried on the restarted worker; no failure "
                          "recorded, tables byte-identical to a local sweep")
