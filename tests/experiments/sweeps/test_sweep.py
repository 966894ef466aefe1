"""Sweeps: common random numbers, identical tables on every executor, failures recorded, resume after SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from experiments.sweeps import experiment_file, sweep
from experiments.sweeps import worker as sweep_worker
from experiments.sweeps.experiment_file import replication_seeds
from tests.conftest import ROOT
from tests.sweep_helpers import runs, tables, write_experiment


def test_replication_k_has_one_seed_in_every_arm_and_it_does_not_depend_on_the_count(tmp_path):
    exp = experiment_file.load(write_experiment(tmp_path, reps=3))
    plan = exp.plan()
    assert len(plan) == 6 and len({s.run_id for s in plan}) == 6
    for k in range(3):
        assert len({s.seed for s in plan if s.replication == k}) == 1
    assert len({s.seed for s in plan}) == 3
    assert replication_seeds(11, 5)[:3] == replication_seeds(11, 3) == exp.seeds()


def test_in_process_process_pool_and_dask_local_cluster_give_identical_tables(tmp_path):
    exp = experiment_file.load(write_experiment(tmp_path))
    outs = {}
    for name, kwargs in (("inproc", {"workers": 1}), ("pool", {"workers": 2}),
                         ("dask", {"workers": 2, "scheduler": "local"})):
        outs[name] = tmp_path / name
        outcome = sweep.run_sweep(exp, outs[name], progress=False, **kwargs)
        assert (outcome.ok, outcome.failed, outcome.ran) == (4, 0, 4)
    reference = tables(outs["inproc"])
    assert tables(outs["pool"]) == reference
    assert tables(outs["dask"]) == reference
    table = runs(outs["inproc"])
    assert list(table["run_id"]) == ["pre_tr-p000-r000", "tr-p000-r000", "pre_tr-p000-r001", "tr-p000-r001"]
    assert (table["status"] == "ok").all()
    # the split happens inside the window, so the paired scenarios really differ
    assert table.loc[1, "short_custody_supervised_share"] > table.loc[0, "short_custody_supervised_share"]
    series = pd.read_parquet(outs["inproc"] / "series.parquet")
    assert len(series) == 4 * series["week"].nunique() and series["week"].max() == 25


def test_a_run_that_raises_is_recorded_and_the_rest_finish_then_retry_failed_reruns_it(tmp_path, monkeypatch):
    exp = experiment_file.load(write_experiment(tmp_path))
    clean = tmp_path / "clean"
    sweep.run_sweep(exp, clean, workers=1, progress=False)
    bad_seed = exp.seeds()[1]
    real_run = sweep_worker.simulate.run

    def flaky(scenario, params):
        if scenario == "tr" and params.run.seed == bad_seed:
            raise RuntimeError("boom in week 3")
        return real_run(scenario, params)

    monkeypatch.setattr(sweep_worker.simulate, "run", flaky)
    out = tmp_path / "sweep"
    outcome = sweep.run_sweep(exp, out, workers=1, progress=False)
    assert (outcome.ok, outcome.failed) == (3, 1)
    record = (out / "runs" / "tr-p000-r001.error.json").read_text()
    assert "RuntimeError: boom in week 3" in record and "Traceback" in record and "flaky" in record
    table = runs(out)
    assert list(table["status"]) == ["ok", "ok", "ok", "failed"]
    assert table.loc[3, "reoffending_rate"] != table.loc[3, "reoffending_rate"]  # NaN for the failed run
    assert sweep.run_sweep(exp, out, workers=1, progress=False).ran == 0  # failed runs are skipped ...
    monkeypatch.setattr(sweep_worker.simulate, "run", real_run)
    again = sweep.run_sweep(exp, out, workers=1, retry_failed=True, progress=False)  # ... unless retried
    assert (again.ran, again.ok, again.failed) == (1, 4, 0)
    assert not (out / "runs" / "tr-p000-r001.error.json").exists()
    assert tables(out) == tables(clean)


def test_sigkill_mid_sweep_then_resume_skips_finished_runs_and_matches_an_uninterrupted_sweep(tmp_path):
    path = write_experiment(tmp_path, reps=4, end="2011-12-31")
    reference = tmp_path / "reference"
    sweep.run_sweep(experiment_file.load(path), reference, workers=1, progress=False)
    out = tmp_path / "killed"
    cmd = [sys.executable, str(ROOT / "run.py"), "sweep", str(path), "--workers", "1", "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((out / "runs").glob("*-r*.json"))) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")}
    assert 2 <= len(finished) < 8, "the kill should land mid-sweep"
    assert not (out / "runs.parquet").exists()
    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {len(finished)} finished earlier are kept" in resumed.stdout
    assert f"ran {8 - len(finished)} in" in resumed.stdout
    for name, mtime in finished.items():  # not recomputed
        assert (out / "runs" / name).stat().st_mtime_ns == mtime
    assert tables(out) == tables(reference)


def test_a_folder_holding_another_sweep_is_refused(tmp_path):
    path = write_experiment(tmp_path)
    out = tmp_path / "s"
    sweep.run_sweep(experiment_file.load(path), out, workers=1, progress=False)
    with pytest.raises(experiment_file.ParameterError, match="different settings \\(replications"):
        sweep.run_sweep(experiment_file.load(path, replications=3), out, workers=1, progress=False)
