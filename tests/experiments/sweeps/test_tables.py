"""Sweep tables: metrics by year in a long table, design values on series rows, CSV of every table; metrics
of the user's own defined in the experiment file from the weekly series; --samples on the command line."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from experiments.sweeps import custom_metrics, experiment_file, sweep
from model.parameters import ParameterError
from run import main
from tests.sweep_helpers import TINY, runs, write_experiment

CUSTOM = TINY.format(reps=2, end="2011-09-30").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "grid"
[design.factors]
"tr.mechanisms.interagency" = [false, true]
[custom_metrics.recalls_per_breach]
ratio = ["recalls", "breaches"]
[custom_metrics.trust_summer]
mean = "police_probation_trust"
from = "2011-06-01"
to = "2011-08-31"
[custom_metrics.victims_a_year]
sum = "victims"
per_year = true
label = "victims"
unit = "a year"
[report]
key_metrics = ["recalls_per_breach", "police_probation_trust"]
"""


@pytest.fixture(scope="module")
def custom_sweep(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("custom")
    out = tmp / "s"
    exp = experiment_file.load(write_experiment(tmp, CUSTOM))
    sweep.run_sweep(exp, out, workers=1, progress=False, csv=True)
    return exp, out


def test_custom_metrics_are_computed_from_the_weekly_series(custom_sweep):
    exp, out = custom_sweep
    assert {"breaches", "victims"} <= set(exp.series)  # series they need are kept
    table = runs(out)
    series = pd.read_parquet(out / "series.parquet")
    for _, row in table.iterrows():
        s = series[series["run_id"] == row["run_id"]]
        assert row["recalls_per_breach"] == pytest.approx(s["recalls"].sum() / s["breaches"].sum())
        summer = s[(s["date"] >= "2011-06-01") & (s["date"] <= "2011-08-31")]
        assert len(summer) == 13 and row["trust_summer"] == pytest.approx(summer["police_probation_trust"].mean())
        assert row["victims_a_year"] == pytest.approx(s["victims"].sum() / (len(s) / 52.1775))
    # the design's switch moves them: inter-agency working on lowers trust
    on = table["tr.mechanisms.interagency"]
    assert table.loc[on, "trust_summer"].max() < table.loc[~on, "trust_summer"].min()


def test_by_year_long_table_series_design_columns_and_csv(custom_sweep):
    exp, out = custom_sweep
    by_year = pd.read_parquet(out / "by_year.parquet")
    record = json.loads((out / "runs" / "tr-p001-r000.json").read_text())
    sel = by_year[(by_year["run_id"] == "tr-p001-r000") & (by_year["metric"] == "recalls_per_year")]
    assert dict(zip(sel["year"].astype(str), sel["value"])) == pytest.approx(record["summary"]["recalls_per_year_by_year"])
    assert list(by_year.columns[:6]) == ["run_id", "scenario", "point", "replication", "seed", "tr.mechanisms.interagency"]
    assert set(by_year["year"]) == {2011}
    assert {"recalls_per_breach", "trust_summer"} <= set(by_year["metric"])  # custom metrics by year too
    assert by_year["metric"].nunique() == len(exp.metrics) - 1 + len(exp.custom)  # all but cohort_size
    series = pd.read_parquet(out / "series.parquet")
    assert "tr.mechanisms.interagency" in series.columns
    assert (series.groupby("run_id")["tr.mechanisms.interagency"].nunique() == 1).all()
    assert series.loc[series["point"] == 1, "tr.mechanisms.interagency"].all()
    for name in ("runs", "series", "by_year"):
        csv = pd.read_csv(out / f"{name}.csv")
        assert len(csv) == len(pd.read_parquet(out / f"{name}.parquet"))


@pytest.mark.parametrize("table,fragment", [
    ({"x": {"ratio": ["recalls"]}}, "[numerator, denominator]"),
    ({"x": {"mean": "recals"}}, "'recals' is not a weekly series"),
    ({"x": {"sum": "recalls", "mean": "recalls"}}, "exactly one of"),
    ({"reoffending_rate": {"sum": "recalls"}}, "already a model metric"),
    ({"x": {"mean": "recalls", "per_year": True}}, "only with sum"),
    ({"x": {"sum": "recalls", "from": "2011-13-01"}}, "not a date"),
    ({"x": {"sum": "recalls", "from": "2012-01-01", "to": "2011-01-01"}}, "before from"),
    ({"Bad-Name": {"sum": "recalls"}}, "lower case"),
    ({"x": {"sum": "recalls", "colour": 1}}, "unknown key(s) colour"),
])
def test_bad_custom_metric_is_one_clear_error(table, fragment):
    with pytest.raises(ParameterError) as err:
        custom_metrics.parse(table)
    assert fragment in str(err.value)


def test_custom_metric_errors_stop_a_sweep_before_it_runs(tmp_path, capsys):
    path = write_experiment(tmp_path, CUSTOM.replace('ratio = ["recalls", "breaches"]', 'ratio = ["recalls", "breeches"]'))
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "custom_metrics.recalls_per_breach" in err and "'breeches'" in err and not (tmp_path / "o").exists()


def test_samples_on_the_command_line_sets_a_sampled_design(tmp_path, capsys):
    text = TINY.format(reps=1, end="2011-03-31").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "lhs"
samples = 3
[design.factors]
"offending.base_rate" = { low = 0.03, high = 0.08 }
"""
    path = write_experiment(tmp_path, text)
    assert len(experiment_file.load(path, samples=5).points) == 5
    out = tmp_path / "o"
    assert main(["sweep", str(path), "--samples", "4", "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    table = runs(out)
    assert len(table) == 4 and np.isfinite(table["offences_total"]).all()
    assert json.loads((out / "manifest.json").read_text())["settings"]["design"]["samples"] == 4
    grid = write_experiment(tmp_path, CUSTOM, name="grid")
    assert main(["sweep", str(grid), "--samples", "4", "--workers", "1"]) == 2
    assert "--samples applies to a sampled design" in capsys.readouterr().err
