"""Reproducibility: manifests record what can change a result, and `run.py rerun MANIFEST` re-runs a
simulation, a sweep or one sweep run and says whether the bytes match."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from experiments.infra import provenance
from experiments.sweeps import experiment_file, sweep
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.reliability import reliability_log
from tests.sweep_helpers import write_experiment

SIM = ["simulate", "--scenario", "tr", "--end", "2011-09-30", "--set", "metrics.window_start=2011-03-01", "--no-plots"]


@pytest.fixture(scope="module")
def simulation(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim") / "run"
    from run import main

    assert main([*SIM, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    path = write_experiment(folder)
    out = folder / "sweep"
    sweep.run_sweep(experiment_file.load(path), out, workers=1, progress=False)
    return out


def test_the_manifest_records_every_version_that_can_change_a_result_and_the_command(simulation):
    manifest = json.loads((simulation / "manifest.json").read_text())
    versions = manifest["versions"]
    for name in ("numba", "llvmlite", "scipy", "SALib", "pyabc", "numpy", "pandas", "pyarrow", "mesa", "networkx",
                 "python", "cpu", "platform"):
        assert versions.get(name) not in (None, "", "not installed"), name
    assert set(provenance.packages()) <= set(versions)
    assert manifest["command"] == f"{Path(sys.executable).name} run.py " + " ".join(SIM + ["--out", str(simulation)])
    assert manifest["code_digest"] == provenance.code_digest() and len(manifest["code_digest"]) == 16


def test_a_sweep_session_records_the_command_the_code_and_the_versions(finished_sweep):
    session = json.loads((finished_sweep / "manifest.json").read_text())["sessions"][-1]
    assert {"command", "code_digest", "versions", "git_commit"} <= set(session)
    assert session["versions"]["numba"] and session["versions"]["SALib"]
    record = json.loads(next((finished_sweep / "runs").glob("*-r000.json")).read_text())
    assert record["code"] == provenance.code_digest() and record["versions"]["scipy"]


def test_rerun_of_a_simulation_matches_byte_for_byte(simulation, tmp_path, capsys):
    out = tmp_path / "again"
    code, err, stdout = run_cli(["rerun", str(simulation / "manifest.json"), "--out", str(out)], capsys)
    assert code == 0, err
    assert "summary.json                     identical" in stdout and "the bytes match" in stdout
    assert (out / "timeseries.csv").read_bytes() == (simulation / "timeseries.csv").read_bytes()
    assert json.loads((out / "manifest.json").read_text())["rerun_of"] == str(simulation / "manifest.json")
    reliability_log.tried("run.py rerun", "a simulation's manifest", "ran")


def test_rerun_reports_a_difference_and_its_likely_causes(simulation, tmp_path, capsys):
    copy = tmp_path / "tampered"
    copy.mkdir()
    for p in simulation.iterdir():
        (copy / p.name).write_bytes(p.read_bytes())
    series = (copy / "timeseries.csv").read_text().splitlines(keepends=True)
    series[3] = series[3].replace(",", ",9", 1)
    (copy / "timeseries.csv").write_text("".join(series))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["versions"]["numba"] = "0.1.0"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    code, err, stdout = run_cli(["rerun", str(copy / "manifest.json"), "--out", str(tmp_path / "again")], capsys)
    assert code == 1, err
    assert "summary.json                     identical" in stdout
    assert "timeseries.csv                   differs (first at byte" in stdout and "line 4;" in stdout
    assert "numba: 0.1.0 then" in stdout
    reliability_log.fault("a byte changed in a saved run's timeseries.csv, then `rerun`",
                          "the file reported as differing (byte offset and line), the other identical; exit 1; the "
                          "recorded package versions that differ from now listed as likely causes")


def test_rerun_of_a_sweep_and_of_one_sweep_run_match(finished_sweep, tmp_path, capsys):
    code, err, stdout = run_cli(["rerun", str(finished_sweep / "manifest.json"), "--out", str(tmp_path / "s"),
                                 "--workers", "1"], capsys)
    assert code == 0, err
    assert "runs.parquet                     identical" in stdout and "series.parquet                   identical" in stdout
    code, err, stdout = run_cli(["rerun", str(finished_sweep / "runs" / "tr-p000-r001.json"), "--out",
                                 str(tmp_path / "r")], capsys)
    assert code == 0, err
    assert "tr-p000-r001.series.parquet      identical" in stdout and "the bytes match" in stdout
    reliability_log.tried("run.py rerun", "a sweep's manifest", "ran")
    reliability_log.tried("run.py rerun", "a sweep run's record", "ran")


@pytest.mark.parametrize("content,fragment", [
    (b"{", "is not JSON"),
    (b'{"hello": 1}', "is not a manifest this program wrote"),
    (b"\xff\xfe", "not UTF-8"),
    (b'{"scenario": "tr", "parameters": {"finance.pbr_shar": 0.1}}', "parameter 'finance.pbr_shar', which this code"),
    (b'{"scenario": "tr", "parameters": {"finance.pbr_share": 7}}', "do not pass this code's checks"),
])
def test_a_manifest_that_cannot_be_re_run_is_one_line(tmp_path, capsys, content, fragment):
    path = tmp_path / "manifest.json"
    path.write_bytes(content)
    code, err, _ = run_cli(["rerun", str(path), "--out", str(tmp_path / "again")], capsys)
    assert_one_line_error(code, err, fragment)
    assert not (tmp_path / "again").exists()
    reliability_log.tried("run.py rerun", "a damaged or foreign manifest", "one-line error")
