"""Scenario discovery: PRIM finds a planted box; feature scores rank the planted factors above a noise column;
`run.py discover` on a sampled sweep restricts the parameter that drives the outcome."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import discovery
from experiments.sweeps import experiment_file, sweep
from run import main
from tests.sweep_helpers import TINY, write_experiment


def _planted(n: int = 800, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 3)), columns=["a", "b", "c"])
    return x, ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()  # the box: a > 0.6 and b < 0.3, c free


def test_prim_recovers_a_planted_box():
    x, y = _planted()
    boxes = discovery.find_boxes(x, y, max_boxes=2)
    box = boxes[0]
    assert set(box.limits) == {"a", "b"}  # c is not restricted
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.03) and box.limits["a"][1] == pytest.approx(x["a"].max())
    assert box.limits["b"][1] == pytest.approx(0.3, abs=0.03) and box.limits["b"][0] == pytest.approx(x["b"].min())
    assert box.coverage >= 0.9 and box.density >= 0.9
    inside = (x["a"] >= box.limits["a"][0]) & (x["b"] <= box.limits["b"][1])
    assert box.cases == int(inside.sum()) and box.density == pytest.approx(y[inside.to_numpy()].mean())
    assert box.coverage == pytest.approx(y[inside.to_numpy()].sum() / y.sum())
    assert len(boxes) == 1 or boxes[1].coverage < 0.2  # little is left to find outside the planted box


def test_feature_scores_rank_the_planted_factors_above_noise():
    x, y = _planted()
    x["noise"] = np.random.default_rng(9).uniform(size=len(x))
    scores = discovery.feature_scores(x, y, x["a"] * 2 + (x["b"] < 0.3), seed=1)
    assert set(scores.index[:2]) == {"a", "b"}
    assert scores.loc["c", "threshold"] < scores.loc["a", "threshold"] and scores.loc["noise", "outcome"] < 0.1


def test_importing_the_workbench_is_silent():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        discovery.workbench()
    assert not [w for w in caught if "ipyparallel" in str(w.message)]


LHS = TINY.format(reps=1, end="2011-06-30").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "lhs"
samples = 24
dummy = true
[design.factors]
"offending.base_rate" = { low = 0.03, high = 0.08 }
"information.reorganisation_shock" = { low = 0.0, high = 0.5 }
[report]
key_metrics = ["offences_total"]
series = ["recalls"]
"""


def test_discover_command_on_a_sampled_sweep(tmp_path, capsys):
    out = tmp_path / "lhs"
    sweep.run_sweep(experiment_file.load(write_experiment(tmp_path, LHS)), out, workers=1, progress=False)
    capsys.readouterr()
    table = pd.read_parquet(out / "runs.parquet")
    threshold = float(table["offences_total"].quantile(0.7))
    assert main(["discover", str(out), "--metric", "offences_total", "--above", str(threshold), "--csv"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("box 1: coverage") and "offending.base_rate >=" in printed
    page = (out / f"discover_offences_total-above-{threshold:g}.md").read_text()
    assert "## Box 1: coverage" in page and "| offending.base_rate | >= " in page
    boxes = pd.read_csv(out / "tables" / f"discover_offences_total-above-{threshold:g}_boxes.csv")
    low = float(boxes.loc[boxes["parameter"] == "offending.base_rate", "limits"].iloc[0].split()[1])
    cases = table["offences_total"] > threshold
    assert table.loc[cases, "offending.base_rate"].min() >= low - 1e-9  # the box holds every case of interest ...
    assert table.loc[table["offending.base_rate"] >= low, "offences_total"].gt(threshold).mean() >= 0.7  # ... densely
    scores = pd.read_csv(out / "tables" / f"discover_offences_total-above-{threshold:g}_scores.csv")
    assert scores["parameter"].iloc[0] == "offending.base_rate" and "dummy" in set(scores["parameter"])
    assert (out / "figures" / f"discover_offences_total-above-{threshold:g}_prim.png").is_file()
    # a threshold outside the outcome's range, a metric the sweep lacks: one line, exit 2
    assert main(["discover", str(out), "--metric", "offences_total", "--below", "1"]) == 2
    assert "no case has offences_total below 1" in capsys.readouterr().err
    assert main(["discover", str(out), "--metric", "offences_totl", "--above", "1"]) == 2
    assert "not a metric of this sweep" in capsys.readouterr().err
    assert main(["discover", str(out), "--metric", "offences_total", "--above", "5pp"]) == 2
    assert "shares and rates only" in capsys.readouterr().err
