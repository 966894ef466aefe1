"""`run.py validate` on a tiny setting: the report has every part, its numbers are the runs', the same command
resumes without running anything again, and bad input stops before any work."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from experiments.calibration import validation
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.experiments.calibration.test_posterior import write_posterior

SPEC = """
scenario = "pre_tr"
scale = "small"
start = "2011-01-01"
end = "2011-06-30"
window_start = "2011-01-01"
window_end = "2011-07-01"
[fixed]
"run.burn_in_years" = 0.0
[priors."sentencing.community_weeks_mean"]
low = 20.0
high = 60.0
[targets.under_supervision]
metric = "under_supervision_mean"
national = true
value = 235000.0
low = 223250.0
high = 246750.0
row = "people under probation supervision"
[targets.orders_completed_rate]
value = 0.5
low = 0.45
high = 0.55
row = "a figure the model cannot reach"
"""


@pytest.fixture
def tiny(monkeypatch):
    """Steady state over 2011-2012 and predictions for 2015 only, so that the runs are short."""
    monkeypatch.setattr(validation, "STEADY_YEARS", range(2011, 2013))
    monkeypatch.setattr(validation, "PREDICTION_YEARS", range(2015, 2016))
    monkeypatch.setattr(validation, "STEADY_END", "2012-12-31")
    monkeypatch.setattr(validation, "PREDICTION_END", "2015-12-31")


def test_validate_writes_every_part_from_its_runs_and_resumes(tmp_path, capsys, tiny):
    write_posterior(tmp_path / "post")
    (tmp_path / "spec.toml").write_text(SPEC)
    docs = tmp_path / "docs" / "validation.md"
    args = ["validate", "--spec", str(tmp_path / "spec.toml"), "--posterior", str(tmp_path / "post"), "--scale", "small",
            "--replications", "2", "--workers", "1", "--out", str(tmp_path / "runs"), "--docs", str(docs),
            "--no-progress"]
    code, err, out = run_cli(args, capsys)
    assert code == 0, err
    text = docs.read_text()
    for part in ("## Pre-reform targets", "## Other pre-reform figures", "## Steady state with inputs held",
                 "## Predictions, 2015-2021", "posterior of a test posterior"):
        assert part in text
    assert (tmp_path / "docs" / "figures" / "validation" / "targets.png").is_file()
    steady = next(line for line in text.splitlines() if "(`under_supervision_mean`)" in line)
    assert steady.endswith("| yes |") or steady.endswith("| **no** |")
    records = [json.loads(p.read_text()) for p in sorted((tmp_path / "runs" / "runs").glob("*.json"))]
    assert sorted(r["job"]["group"] for r in records) == ["predictions"] * 2 + ["steady"] * 2 + ["targets"] * 2
    assert all(r["ok"] for r in records)
    # replication k: one seed and one posterior draw in all three groups
    for k in (0, 1):
        mine = [r["job"] for r in records if r["job"]["replication"] == k]
        assert len({j["seed"] for j in mine}) == 1 and len({j["particle"] for j in mine}) == 1
        assert len({j["overrides"].get("offending.base_rate") for j in mine}) == 1
    # the table's mean is the runs' mean, at national scale
    runs = [r["stats"]["under_supervision_mean"] for r in records if r["job"]["group"] == "targets"]
    spec_factor = 117.5
    mean = np.mean(runs) * spec_factor
    row = next(line for line in text.splitlines() if line.startswith("| people under probation supervision"))
    assert f"{mean:,.0f}" in row
    assert "**missed**" in next(line for line in text.splitlines() if line.startswith("| a figure the model"))
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "runs" / "runs").iterdir()}
    code, err, out = run_cli(args, capsys)
    assert code == 0 and {p.name: p.stat().st_mtime_ns for p in (tmp_path / "runs" / "runs").iterdir()} == before
    # without --docs, a check that is not the standard one writes its report beside its runs, not into docs/
    committed = Path(__file__).resolve().parents[3] / "docs" / "validation.md"
    stamp = committed.stat().st_mtime_ns
    code, err, out = run_cli([a for a in args if a not in ("--docs", str(docs))], capsys)
    assert code == 0, err
    assert (tmp_path / "runs" / "validation.md").read_text().startswith("# Validation")
    assert committed.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("args,fragments", [
    (["--replications", "1"], ["--replications", "between 2"]),
    (["--posterior", "{tmp}/nowhere"], ["--posterior", "not a folder"]),
    (["--workers", "0"], ["--workers"]),
    (["--scale", "small", "--spec", "{tmp}/missing.toml"], ["calibration spec", "not found"]),
])
def test_bad_input_stops_before_any_work(tmp_path, capsys, args, fragments):
    out = tmp_path / "runs"
    code, err, _ = run_cli(["validate", *[a.format(tmp=tmp_path) for a in args], "--out", str(out), "--docs",
                            str(tmp_path / "v.md")], capsys)
    assert_one_line_error(code, err, *fragments)
    assert not out.exists() and not (tmp_path / "v.md").exists()
