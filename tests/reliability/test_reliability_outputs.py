"""Output safety: a run folder is complete or absent; a failing write (a full disk, a file-size limit, a
signal) leaves earlier results intact and says what happened in one line; a closed output pipe does not
lose the run."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time

import pytest

from experiments.infra.files import atomic_write_text
from experiments.sweeps import experiment_file, sweep
from tests.cli_helpers import assert_one_line_error, run_cli, snapshot
from tests.conftest import ROOT
from tests.reliability import reliability_log
from tests.sweep_helpers import tables, write_experiment

RUN_FILES = {"summary.json", "timeseries.csv", "manifest.json"}
SHORT = ["simulate", "--end", "2011-06-30", "--no-plots"]


def cli(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "run.py"), *args]


def fill(folder, leave: int) -> None:
    """Fill ``folder``'s file system until ``leave`` bytes are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_a_run_folder_is_written_whole_and_replaced_whole(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli([*SHORT, "--out", str(out)], capsys)[0] == 0
    assert {p.name for p in out.iterdir()} == RUN_FILES
    first = (out / "summary.json").read_bytes()
    assert run_cli([*SHORT, "--seed", "2", "--out", str(out)], capsys)[0] == 0
    assert {p.name for p in out.iterdir()} == RUN_FILES and (out / "summary.json").read_bytes() != first
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no staging or replaced folder left behind


def test_a_full_disk_leaves_the_earlier_results_intact_and_says_so(small_disk, capsys):
    out = small_disk / "run"
    assert run_cli([*SHORT, "--out", str(out)], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fill(small_disk, leave=8_000)  # room for a small file, not for a run
    code, err, _ = run_cli([*SHORT, "--seed", "2", "--out", str(out)], capsys)
    assert_one_line_error(code, err, "could not write the results", "No space left on device",
                          "nothing was written", "the earlier results there are untouched")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "run"]
    new = small_disk / "new-run"
    code, err, _ = run_cli([*SHORT, "--out", str(new)], capsys)
    assert_one_line_error(code, err, "No space left on device")
    assert not new.exists()
    reliability_log.fault("disk full while a simulation writes (a real 512 kB tmpfs)",
                          "one line ('could not write the results to ...: No space left on device ...; nothing was "
                          "written; the earlier results there are untouched'), exit 2; the earlier run folder "
                          "byte-identical, no partial folder")


def test_a_file_size_limit_mid_write_leaves_no_folder(tmp_path):
    out = tmp_path / "run"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (6_000, 6_000))  # the series (~5.5 kB) fits, the manifest does not

    proc = subprocess.run(cli(*SHORT, "--out", str(out)), cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=limit)
    err = proc.stderr.strip().splitlines()
    assert_one_line_error(proc.returncode, err, "could not write the results", "File too large", "nothing was written")
    assert list(tmp_path.iterdir()) == []
    reliability_log.fault("file-size limit (RLIMIT_FSIZE) hit while a simulation writes",
                          "one line naming the file and 'File too large', exit 2; no folder at all")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_signal_while_a_run_folder_is_written_leaves_it_complete_or_absent(tmp_path, sig):
    out = tmp_path / "run"
    proc = subprocess.Popen(cli("simulate", "--end", "2012-12-31", "--out", str(out)), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while not list(tmp_path.glob(".run.partial-*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the signal should land while the folder is being written"
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == (130 if sig == signal.SIGTERM else -signal.SIGKILL), stderr
    if out.exists():  # the signal came after the final rename
        assert RUN_FILES <= {p.name for p in out.iterdir()}
    if sig == signal.SIGTERM:
        assert stderr.strip() == "interrupted"
        assert "Traceback" not in stderr and list(tmp_path.glob(".run.*")) == []
        happened = "exit 130 with one line 'interrupted'; the staging folder removed, no run folder"
    else:
        happened = "the hidden staging folder is left, no run folder; the next write to that folder removes it"
        assert run_cli_subprocess(out) == 0
        assert [p.name for p in tmp_path.iterdir()] == ["run"]
    reliability_log.fault(f"{signal.Signals(sig).name} while a simulation writes its folder", happened)


def run_cli_subprocess(out) -> int:
    return subprocess.run(cli(*SHORT, "--out", str(out)), cwd=ROOT, capture_output=True, timeout=300).returncode


def test_a_closed_output_pipe_does_not_lose_the_run(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen(cli(*SHORT, "--out", str(out)), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, stderr
    assert stderr == ""
    assert {p.name for p in out.iterdir()} == RUN_FILES
    reliability_log.fault("stdout closed after one line (run.py simulate ... | head -1)",
                          "no BrokenPipeError: the rest of the output is dropped, the run folder complete, exit 0")


def test_an_atomic_write_that_fails_keeps_the_old_file_and_no_temporary(small_disk):
    path = small_disk / "data.json"
    atomic_write_text(path, "old")
    fill(small_disk, leave=4_000)
    with pytest.raises(OSError):
        atomic_write_text(path, "x" * 100_000)
    assert path.read_text() == "old"
    assert sorted(p.name for p in small_disk.iterdir()) == ["data.json", "filler"]


def test_a_full_disk_mid_sweep_keeps_the_finished_runs_and_a_resume_completes_it(small_disk, tmp_path, capsys):
    path = write_experiment(tmp_path, reps=3)
    reference = tmp_path / "reference"
    sweep.run_sweep(experiment_file.load(path), reference, workers=1, progress=False)
    out = small_disk / "sweep"
    fill(small_disk, leave=40_000)  # the folder, the manifest and a few runs, not all six
    code, err, _ = run_cli(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-progress"], capsys)
    line = assert_one_line_error(code, err, "could not save run", "No space left on device",
                                 "run the same command again to resume")
    saved = {p.name: p.read_bytes() for p in (out / "runs").glob("*.json")}
    assert 0 < len(saved) < 6
    assert not list((out / "runs").glob(".*tmp*"))
    (small_disk / "filler").unlink()
    code, err, stdout = run_cli(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-progress"], capsys)
    assert code == 0, err
    assert f"resuming: {len(saved)} finished earlier are kept" in stdout
    assert {n: (out / "runs" / n).read_bytes() for n in saved} == saved
    assert tables(out) == tables(reference)
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [s["status"] for s in sessions][-1] == "complete"
    reliability_log.fault("disk full in the middle of a sweep (a real tmpfs)",
                          f"one line ({line.split(': ')[1].split(' in ')[0]}: No space left on device), exit 2; the "
                          "finished runs kept; after freeing space the same command resumes and the tables equal an "
                          "uninterrupted sweep's")


def test_bench_json_that_fails_to_write_after_the_bench_says_so(small_disk, capsys, monkeypatch):
    import experiments.benchmark as benchmark

    result = {"scales": {}, "peer": {"model": "BoltzmannWealth", "agent_steps_per_s": 1.0, "samples": [1.0]},
              "ratio_vs_peer": {}, "targets": [], "padding": "x" * 50_000}
    monkeypatch.setattr(benchmark, "run_benchmark", lambda scales, years: result)  # the bench itself is not the point
    fill(small_disk, leave=4_000)
    before = snapshot(small_disk)
    code, err, out = run_cli(["bench", "--scales", "small", "--json", str(small_disk / "bench.json")], capsys)
    assert_one_line_error(code, err, "could not write --json", "No space left on device", "the table above is the result")
    assert out.startswith("scale") and snapshot(small_disk) == before
