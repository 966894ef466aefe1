"""`compare`: intervals, paired differences, factorial attribution and sensitivity indices in the report."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from experiments import designs, experiment_file, sensitivity, sweep
from experiments.report import write_report
from experiments.statistics import factorial_effects, mean_ci, paired_diff
from tests.sweep_helpers import TINY, runs, write_experiment


def test_mean_ci_is_the_student_t_interval():
    m, lo, hi, n = mean_ci([1.0, 2.0, 3.0, float("nan")])
    assert (m, n) == (2.0, 3)
    assert hi - m == pytest.approx(4.302652729911275 * 1.0 / math.sqrt(3))  # t(0.975, 2) * sd / sqrt(n)
    assert lo == pytest.approx(2 * m - hi)
    assert math.isnan(mean_ci([5.0])[1])
    assert paired_diff({0: 3.0, 1: 5.0, 2: 9.0}, {0: 1.0, 1: 2.0})[::3] == (2.5, 2)


def test_factorial_effects_recover_a_known_linear_model_with_interaction():
    def y(a, b, c):
        return 1 + 2 * a + 0.5 * b - 1.0 * c + 3 * a * b

    data = {lv: y(*lv) for lv in itertools.product((0, 1), repeat=3)}
    eff = factorial_effects(data, ["a", "b", "c"])
    assert eff[("a",)] == pytest.approx(3.5) and eff[("b",)] == pytest.approx(2.0) and eff[("c",)] == pytest.approx(-1.0)
    assert eff[("a", "b")] == pytest.approx(1.5) and eff[("a", "c")] == 0 and eff[("a", "b", "c")] == 0
    odd = sum(v for k, v in eff.items() if len(k) % 2)
    assert odd == pytest.approx(data[(1, 1, 1)] - data[(0, 0, 0)])  # the report's "total" identity


def test_morris_indices_rank_a_known_function():
    design = designs.parse({"kind": "morris", "samples": 8, "factors": {
        "finance.pbr_share": {"low": 0.0, "high": 1.0}, "supervision.effect_max": {"low": 0.0, "high": 1.0},
        "iom.offending_effect": {"low": 0.0, "high": 1.0}}})
    design.points(3)
    y = 3.0 * design.matrix[:, 0] + 1.0 * design.matrix[:, 1]

    class Exp:
        root_seed = 3

    Exp.design = design
    r = sensitivity.indices(Exp, y)
    assert r["mu_star"][2] == 0 and r["mu_star"][0] == pytest.approx(3 * r["mu_star"][1])
    assert (r["mu_star_conf"] >= 0).all()


GRID = TINY.format(reps=3, end="2011-09-30").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "grid"
[design.factors]
"tr.mechanisms.relationships" = [false, true]
"tr.mechanisms.interagency" = [false, true]
[report]
key_metrics = ["police_probation_trust", "relationship_continuity"]
series = ["police_probation_trust"]
"""


def test_grid_sweep_report_has_intervals_paired_differences_and_attribution(tmp_path):
    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "s"
    sweep.run_sweep(experiment_file.load(path), out, workers=1, progress=False)
    report = write_report(out).read_text()
    table = runs(out)
    assert "## Outcomes by arm" in report and "## Paired differences against tr · relationships=off, interagency=off" in report
    assert "## Attribution to factors" in report
    assert "| metric | total | relationships | interagency | relationships x interagency | reps |" in report
    # the main effect of inter-agency working on police-probation trust, recomputed from the runs table
    on = table["tr.mechanisms.interagency"]
    per_rep = [table[(table.replication == k) & on]["police_probation_trust"].mean()
               - table[(table.replication == k) & ~on]["police_probation_trust"].mean() for k in range(3)]
    m, lo, hi, _ = mean_ci(per_rep)
    assert m < 0  # TR's effect on inter-agency working lowers trust once the split has happened
    row = next(line for line in report.splitlines() if line.startswith("| police_probation_trust | ") and "[" in line
               and line.count("|") == 7)
    assert f"{m:.4g} [{lo:.4g}, {hi:.4g}]" in row
    assert (out / "figures" / "series_police_probation_trust.png").stat().st_size > 5000


def test_morris_sweep_report_has_indices_and_a_plot(tmp_path):
    text = TINY.format(reps=1, end="2011-06-30").replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "morris"
samples = 2
[design.factors]
"information.reorganisation_shock" = { low = 0.0, high = 0.5 }
"offending.base_rate" = { low = 0.03, high = 0.08 }
[report]
key_metrics = ["offences_total", "police_probation_trust"]
series = ["recalls"]
"""
    out = tmp_path / "m"
    sweep.run_sweep(experiment_file.load(write_experiment(tmp_path, text)), out, workers=1, progress=False)
    report = write_report(out).read_text()
    assert "## Global sensitivity (Morris elementary effects)" in report
    rows = [line for line in report.splitlines() if line.startswith("| offences_total | ")]
    assert rows[0].split(" | ")[1] == "offending.base_rate"  # the offending rate dominates offences
    assert (out / "figures" / "sensitivity_tr.png").is_file()
    assert "## Outcomes over the sampled parameter space" in report
    assert np.isfinite(runs(out)["offences_total"]).all()
