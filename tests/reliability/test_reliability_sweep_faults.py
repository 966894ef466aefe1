"""Sweep faults: a killed parent leaves no process; a lost worker's runs are retried, never recorded as
model failures; one invocation at a time holds a folder; a script without a main guard works; runs lost
for good are left for the next invocation, which completes the sweep."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import psutil
import pytest

from experiments import scenarios
from experiments.infra import executors
from experiments.infra.executors import InProcessExecutor
from experiments.sweeps import experiment_file, sweep
from model.parameters import ParameterError
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.conftest import ROOT
from tests.reliability import reliability_log
from tests.sweep_helpers import runs, tables, write_experiment


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    """A tiny experiment (3 replications, 6 runs of half a year) and its uninterrupted in-process sweep."""
    folder = tmp_path_factory.mktemp("faults")
    path = write_experiment(folder, reps=3, end="2011-12-31")
    reference = folder / "reference"
    sweep.run_sweep(experiment_file.load(path), reference, workers=1, progress=False)
    return path, reference


def start_sweep(path, out, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "run.py"), "sweep", str(path), "--out", str(out),
                             "--no-progress", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for_runs(out, n: int, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while len(list((out / "runs").glob("*-r*.json"))) < n and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep should still be running"


def family(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def all_gone(processes: list[psutil.Process], timeout: float = 30) -> list[psutil.Process]:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return alive


def test_killing_the_parent_leaves_no_process_and_the_next_run_says_the_session_was_killed(experiment, tmp_path):
    path, reference = experiment
    out = tmp_path / "killed"
    proc = start_sweep(path, out, "--workers", "2")
    wait_for_runs(out, 1, proc)
    children = family(proc.pid)
    names = sorted({" ".join(c.cmdline()[-3:]) for c in children})
    assert any("forkserver" in n for n in names) and len(children) >= 4, names  # tracker, forkserver, 2 workers
    proc.kill()
    proc.wait()
    left = all_gone(children)
    assert not left, [p.cmdline() for p in left]
    resumed = start_sweep(path, out, "--workers", "1")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [s["status"] for s in sessions] == ["killed (ended without closing)", "complete"]
    assert tables(out) == tables(reference)
    reliability_log.fault("kill -9 of a sweep's parent (2 local workers)",
                          f"its {len(children)} processes (resource tracker, forkserver, workers) all exit within "
                          "30 s; the next invocation marks that session killed and completes the sweep")


def test_killing_a_worker_retries_its_runs_without_recording_failures(experiment, tmp_path):
    path, reference = experiment
    out = tmp_path / "worker-killed"
    proc = start_sweep(path, out, "--workers", "2")
    wait_for_runs(out, 1, proc)
    forkserver = next(c for c in psutil.Process(proc.pid).children() if "forkserver" in " ".join(c.cmdline()))
    victim = forkserver.children()[0]
    victim.kill()
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "retry" in stdout and "BrokenProcessPool" in stdout and "not a model failure" in stdout
    assert "restarting the workers" in stdout
    assert not list((out / "runs").glob("*.error.json"))
    assert (runs(out)["status"] == "ok").all()
    assert tables(out) == tables(reference)
    reliability_log.fault("kill -9 of one local worker mid-sweep",
                          "its in-flight runs retried on a new pool (logged, not failures), no error records, "
                          "tables byte-identical to an uninterrupted sweep, exit 0")


def test_ctrl_c_ends_the_workers_at_once_and_the_sweep_resumes(experiment, tmp_path):
    path, reference = experiment
    out = tmp_path / "interrupted"
    proc = start_sweep(path, out, "--workers", "2")
    wait_for_runs(out, 1, proc)
    children = family(proc.pid)
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "run the same command again to resume" in stdout
    assert not all_gone(children, timeout=15)
    assert json.loads((out / "manifest.json").read_text())["sessions"][-1]["status"] == "interrupted"
    resumed = start_sweep(path, out, "--workers", "1")
    assert resumed.wait(timeout=300) == 0
    assert tables(out) == tables(reference)
    reliability_log.fault("Ctrl-C (SIGINT) to a sweep with 2 local workers",
                          "exit 130 at once, workers ended, session 'interrupted'; a resume completes it")


def test_a_second_invocation_on_the_same_folder_is_refused_with_one_line(experiment, tmp_path, capsys):
    path, _ = experiment
    out = tmp_path / "busy"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from experiments.infra.folder_lock import FolderLock
        with FolderLock(__import__("pathlib").Path({str(out)!r}), "sweep"):
            print("held", flush=True)
            time.sleep(120)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code, err, _ = run_cli(["sweep", str(path), "--out", str(out), "--workers", "1"], capsys)
        assert_one_line_error(code, err, "is in use by run.py sweep", f"pid {holder.pid}", "give another --out")
        code, err, _ = run_cli(["compare", str(out)], capsys)
        assert code == 2
        assert sorted(p.name for p in out.iterdir()) == [".lock"]
    finally:
        holder.kill()
        holder.wait()
    assert sweep.run_sweep(experiment_file.load(path), out, workers=1, progress=False).ok == 6  # free again
    reliability_log.fault("a second invocation into a folder another one holds",
                          "one line naming the holder (pid, command), exit 2, nothing written; free once it exits")


def test_run_sweep_from_a_script_without_a_main_guard(experiment, tmp_path):
    path, reference = experiment
    script = tmp_path / "my_sweep.py"
    out = tmp_path / "scripted"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from experiments.sweeps import experiment_file
        from experiments.sweeps import sweep
        outcome = sweep.run_sweep(experiment_file.load({str(path)!r}), __import__("pathlib").Path({str(out)!r}),
                                  workers=2, progress=False)
        print("outcome", outcome.ok, outcome.failed, outcome.lost)
        """))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("outcome") == 1 and "outcome 6 0 0" in proc.stdout
    assert tables(out) == tables(reference)
    reliability_log.fault("run_sweep called from a script without `if __name__ == \"__main__\":`",
                          "the workers do not run the script again: 6 of 6 runs ok, tables identical")


class FlakyExecutor(InProcessExecutor):
    """The in-process executor with workers that die: ``losses[run_id]`` submissions of that run fail as a
    lost worker would (BrokenProcessPool), or as a lost dask worker would (``kind``)."""

    window = 2
    description = "flaky test executor"

    def __init__(self, losses: dict[str, int], kind=BrokenProcessPool) -> None:
        self.losses = dict(losses)
        self.kind = kind
        self.restarts = 0

    def submit(self, fn, spec):
        if self.losses.get(spec.run_id, 0) > 0:
            self.losses[spec.run_id] -= 1
            future: Future = Future()
            future.set_exception(self.kind(f"worker running {spec.run_id} died"))
            return future
        return super().submit(fn, spec)

    def restart(self) -> None:
        self.restarts += 1


class KilledWorker(Exception):
    """Stands for distributed.scheduler.KilledWorker: one task lost, the executor itself fine."""


@pytest.mark.parametrize("kind", [BrokenProcessPool, KilledWorker])
def test_runs_lost_twice_are_retried_and_never_recorded_as_failures(experiment, tmp_path, monkeypatch, kind):
    path, reference = experiment
    flaky = FlakyExecutor({"tr-p000-r001": 2, "pre_tr-p000-r002": 1}, kind)
    monkeypatch.setattr(executors, "make_executor", lambda workers, scheduler: flaky)
    out = tmp_path / "flaky"
    outcome = sweep.run_sweep(experiment_file.load(path), out, progress=False)
    assert (outcome.ok, outcome.failed, outcome.lost) == (6, 0, 0)
    assert flaky.restarts == (3 if kind is BrokenProcessPool else 0)
    assert not list((out / "runs").glob("*.error.json"))
    assert tables(out) == tables(reference)


def test_a_run_lost_three_times_is_left_out_and_the_next_invocation_completes_the_sweep(experiment, tmp_path,
                                                                                       monkeypatch, capsys):
    path, reference = experiment
    out = tmp_path / "lost"
    monkeypatch.setattr(executors, "make_executor", lambda workers, scheduler: FlakyExecutor({"tr-p000-r001": 3}))
    code, err, stdout = run_cli(["sweep", str(path), "--out", str(out), "--no-progress"], capsys)
    assert code == 1, err
    assert "5 of 6 runs finished, 0 failed" in stdout and "1 run(s) were lost to worker failures" in stdout
    assert "worker running tr-p000-r001 died" in stdout and "run the same command again" in stdout
    assert not list((out / "runs").glob("*.error.json"))
    assert json.loads((out / "manifest.json").read_text())["sessions"][-1]["status"] == "incomplete"
    assert list(runs(out)["run_id"]) == [s.run_id for s in experiment_file.load(path).plan() if s.run_id != "tr-p000-r001"]
    monkeypatch.setattr(executors, "make_executor", lambda workers, scheduler: InProcessExecutor())
    code, err, stdout = run_cli(["sweep", str(path), "--out", str(out), "--no-progress"], capsys)  # a plain resume
    assert code == 0 and "ran 1 in" in stdout
    assert tables(out) == tables(reference)
    reliability_log.fault("a run whose worker is lost 3 times (injected)",
                          "left unrecorded (not a failure), session 'incomplete', exit 1 with one line saying so; "
                          "a plain resume runs it and the tables equal an uninterrupted sweep's")


def test_a_damaged_run_record_is_run_again(experiment, tmp_path):
    path, reference = experiment
    out = tmp_path / "damaged-run"
    exp = experiment_file.load(path)
    sweep.run_sweep(exp, out, workers=1, progress=False)
    (out / "runs" / "tr-p000-r002.json").write_text('{"run_id": "tr-p0')
    outcome = sweep.run_sweep(exp, out, workers=1, progress=False)
    assert outcome.ran == 1 and outcome.ok == 6
    assert tables(out) == tables(reference)
    reliability_log.fault("a finished run's record damaged between invocations",
                          "noted in the log; that run is done again; tables identical")


def test_a_scenario_edited_since_the_sweep_started_is_refused(experiment, tmp_path, monkeypatch):
    path, _ = experiment
    out = tmp_path / "edited"
    exp = experiment_file.load(path)
    sweep.run_sweep(exp, out, workers=1, progress=False)
    edited = tmp_path / "scenarios"
    edited.mkdir()
    for p in scenarios.SCENARIO_DIR.glob("*.toml"):
        (edited / p.name).write_text(p.read_text())
    (edited / "tr.toml").write_text((edited / "tr.toml").read_text() + '"finance.pbr_share" = 0.3\n')
    monkeypatch.setattr(scenarios, "SCENARIO_DIR", edited)
    with pytest.raises(ParameterError, match="scenario tr has changed since the sweep"):
        sweep.run_sweep(exp, out, workers=1, progress=False)
    reliability_log.fault("a scenario file edited between two invocations of one sweep",
                          "refused in one line: the runs would mix two versions of the scenario")


def test_a_worker_ignores_ctrl_c_and_exits_when_its_parent_is_killed():
    worker = ("import sys, time; sys.path.insert(0, sys.argv[1]); from experiments.sweeps.worker import init_worker;"
              "init_worker(int(sys.argv[2])); print('ready', flush=True); time.sleep(600)")
    middle = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", {worker!r}, {str(ROOT)!r}, str(os.getpid())],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        print(child.pid, flush=True)
        time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True)
    child = psutil.Process(int(middle.stdout.readline()))
    child.send_signal(signal.SIGINT)
    time.sleep(0.5)
    assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE  # Ctrl-C is the parent's to handle
    middle.kill()
    middle.wait()
    assert not all_gone([child], timeout=10)
