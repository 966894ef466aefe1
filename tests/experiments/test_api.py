"""The Python API: one run as tables, a sweep from a dict or a file, quiet unless asked; the worked example
in examples/ runs at small scale."""

from __future__ import annotations

import runpy
import tomllib

import numpy as np
import pandas as pd
import pytest

from experiments import api, simulate
from model.parameters import ParameterError
from tests.conftest import ROOT
from tests.sweep_helpers import TINY, tables, write_experiment

QUICK = {"metrics.window_start": "2011-01-01", "policy.share_out_date": "2011-03-01",
         "policy.crc_sale_date": "2011-04-01", "policy.ora_date": "2011-04-01"}


def test_simulate_returns_the_summary_series_by_year_and_custom_metrics(capsys):
    run = api.simulate("tr", end="2011-09-30", seed=4, parameters=QUICK,
                       custom={"recalls_per_breach": {"ratio": ["recalls", "breaches"]}})
    assert capsys.readouterr().out == ""  # quiet
    ref = simulate.run("tr", simulate.build_parameters("tr", QUICK, seed=4, end="2011-09-30"))
    assert {k: v for k, v in ref.summary.items() if not k.endswith("_by_year")} == {
        k: v for k, v in run.summary.items() if k != "recalls_per_breach"}
    assert isinstance(run.series.index, pd.DatetimeIndex) and run.series.index[0] == pd.Timestamp("2011-01-01")
    np.testing.assert_array_equal(run.series["recalls"].to_numpy(), ref.timeseries["recalls"].to_numpy())
    assert run.summary["recalls_per_breach"] == pytest.approx(run.series["recalls"].sum() / run.series["breaches"].sum())
    row = run.by_year[(run.by_year["metric"] == "recalls_per_year") & (run.by_year["year"] == 2011)]
    assert row["value"].iloc[0] == pytest.approx(ref.summary["recalls_per_year_by_year"]["2011"])
    assert {"recalls_per_breach"} <= set(run.by_year["metric"])
    assert list(run.events.columns) == ["date", "event"] and len(run.events) > 0
    with pytest.raises(ParameterError, match="finance.pbr_shar"):
        api.simulate("tr", parameters={"finance.pbr_shar": 0.1})


SPEC = {
    "name": "tiny", "description": "tiny", "scenarios": ["pre_tr", "tr"], "replications": 2, "scale": "small",
    "end": "2011-06-30", "root_seed": 11,
    "series": ["under_supervision", "caseload_trust", "recalls", "police_probation_trust"],
    "parameters": {k: v for k, v in QUICK.items()},
}


def test_a_sweep_from_a_dict_equals_the_same_sweep_from_a_file_and_is_quiet(tmp_path, capsys):
    from_dict = api.sweep(SPEC, out=tmp_path / "d")
    assert capsys.readouterr().out == ""
    assert tomllib.loads(api.to_toml({k: v for k, v in SPEC.items() if k != "name"}))["parameters"] == SPEC["parameters"]
    api.sweep(write_experiment(tmp_path, TINY.format(reps=2, end="2011-06-30")), out=tmp_path / "f")
    assert tables(tmp_path / "d") == tables(tmp_path / "f")
    assert from_dict.outcome.ok == 4 and len(from_dict.runs) == 4
    assert set(from_dict.series["scenario"]) == {"pre_tr", "tr"} and not from_dict.by_year.empty
    diffs = from_dict.differences(["short_custody_supervised_share"])
    assert diffs["arm"].tolist() == ["tr"] and diffs["mean"].iloc[0] > 0  # ORA supervises short sentences
    assert from_dict.effects().empty  # not a factorial
    report = from_dict.report(formats=("svg",), csv=True)
    assert "## Findings" in report.read_text() and any(p.suffix == ".svg" for p in from_dict.figures())
    again = api.open_sweep(tmp_path / "d")
    pd.testing.assert_frame_equal(again.runs, from_dict.runs)
    api.sweep(SPEC, out=tmp_path / "v", verbose=True)
    assert "sweep tiny: 4 runs" in capsys.readouterr().out
    with pytest.raises(ParameterError, match="open_sweep|not a sweep folder"):
        api.open_sweep(tmp_path)


def test_sweep_spec_design_and_custom_metrics_write_valid_toml():
    spec = {"scenarios": ["tr"], "design": {"kind": "lhs", "samples": 4, "dummy": True,
                                            "factors": {"finance.pbr_share": {"low": 0.0, "high": 0.3}}},
            "custom_metrics": {"a": {"sum": "victims"}, "b": {"mean": "caseload_crc", "from": "2016-01-01",
                                                               "to": "2019-12-31"}},
            "report": {"key_metrics": ["reoffending_rate"]}}
    assert tomllib.loads(api.to_toml(spec)) == spec
    exp = api.load_spec({**spec, "name": "x"})
    assert exp.name == "x" and len(exp.points) == 4 and set(exp.custom) == {"a", "b"}


def test_the_worked_example_runs_at_small_scale(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXAMPLE_QUICK", "1")
    monkeypatch.setenv("EXAMPLE_OUT", str(tmp_path))
    monkeypatch.chdir(ROOT / "examples")  # as a notebook would: the example finds the repository itself
    ns = runpy.run_path(str(ROOT / "examples" / "iom_mechanisms_walkthrough.py"), run_name="__example__")
    printed = capsys.readouterr().out
    assert "proven reoffending rate:" in printed and "## Findings" not in printed
    effects = ns["effects"]
    trust = effects[(effects["metric"] == "police_probation_trust") & (effects["effect"] == "interagency")].iloc[0]
    assert trust["high"] < 0  # TR's effect on inter-agency working lowers police-probation trust, clearly
    assert len(ns["mechanisms"].runs) == 8 * 2
    assert (tmp_path / "iom_mechanisms" / "report.md").is_file()
    assert (tmp_path / "iom_mechanisms" / "figures" / "effects.pdf").is_file()
    assert (tmp_path / "iom_mechanisms" / "tables" / "effects.csv").is_file()
    box = ns["boxes"][0]
    assert "offending.base_rate" in box.limits and box.coverage >= 0.5
