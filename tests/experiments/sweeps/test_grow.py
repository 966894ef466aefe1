"""Growing a finished sweep (more replications, grid values, Morris samples, scenarios) keeps its runs and gives
the tables a fresh sweep of that size gives; --until-halfwidth adds replications until an interval is narrow."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from experiments.sweeps import adaptive, experiment_file, sweep
from experiments.sweeps import grow as sweep_extend
from model.parameters import ParameterError
from run import main
from tests.sweep_helpers import TINY, runs, tables, write_experiment

SMALL = TINY.format(reps=2, end="2011-06-30")


def _sweep(path, out, **overrides):
    exp = experiment_file.load(path, **overrides)
    sweep_extend.prepare(exp, out)
    return sweep.run_sweep(exp, out, workers=1, progress=False)


def test_more_replications_keep_the_runs_and_match_a_fresh_sweep(tmp_path, capsys):
    path = write_experiment(tmp_path, SMALL)
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"
    assert _sweep(path, grown).ran == 4
    before = {p.name: p.stat().st_mtime_ns for p in (grown / "runs").glob("*.json")}
    assert main(["sweep", str(grown), "--replications", "3", "--workers", "1", "--no-progress"]) == 0  # the folder
    assert "extending the sweep" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in (grown / "runs").glob("*.json") if p.name in before} == before
    assert _sweep(path, fresh, replications=3).ran == 6
    assert tables(grown) == tables(fresh)
    manifest = json.loads((grown / "manifest.json").read_text())
    assert manifest["runs_total"] == 6 and manifest["extensions"][0]["replications"] == [2, 3]
    assert main(["sweep", str(grown), "--workers", "1", "--no-progress"]) == 0  # resumes as the grown sweep
    assert "ran 0" in capsys.readouterr().out
    assert main(["sweep", str(grown), "--replications", "2", "--workers", "1"]) == 2  # cannot shrink
    assert "different settings (replications)" in capsys.readouterr().err


def test_grid_values_and_scenarios_can_be_added_old_points_keep_their_indices(tmp_path):
    base = SMALL.replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]') + """
[design]
kind = "grid"
[design.factors]
"finance.pbr_share" = [0.0, 0.2]
"tr.mechanisms.contact" = [false, true]
"""
    out = tmp_path / "g"
    assert _sweep(write_experiment(tmp_path, base), out).ran == 8
    old = runs(out)
    bigger = base.replace("[false, true]", "[true, false]").replace("[0.0, 0.2]", "[0.0, 0.1, 0.2]").replace(
        'scenarios = ["tr"]', 'scenarios = ["tr", "pre_tr"]')
    outcome = _sweep(write_experiment(tmp_path, bigger, name="bigger"), out)
    assert outcome.ran == 2 * 6 * 2 - 8 and outcome.total == 24
    new = runs(out)
    keep = new[new["run_id"].isin(old["run_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(keep[old.columns], old)  # same ids, same design values, same results
    fresh = tmp_path / "fresh"
    _sweep(write_experiment(tmp_path, bigger, name="bigger"), fresh)
    cols = ["scenario", "replication", "finance.pbr_share", "tr.mechanisms.contact", "offences_total", "recalls_per_year"]
    a = new[cols].sort_values(cols[:4]).reset_index(drop=True)
    b = runs(fresh)[cols].sort_values(cols[:4]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    from experiments.analysis.report import write_report

    assert "Grown in place" in write_report(out).read_text()


def test_morris_samples_grow_but_a_latin_hypercube_cannot(tmp_path, capsys):
    text = SMALL.replace('scenarios = ["pre_tr", "tr"]', 'scenarios = ["tr"]').replace("replications = 2", "replications = 1")
    morris = text + """
[design]
kind = "morris"
samples = 2
[design.factors]
"offending.base_rate" = { low = 0.03, high = 0.08 }
"information.reorganisation_shock" = { low = 0.0, high = 0.5 }
"""
    path = write_experiment(tmp_path, morris)
    out = tmp_path / "m"
    assert _sweep(path, out).ran == 6
    assert _sweep(path, out, samples=3).ran == 3
    assert tables(out) == (lambda o: (_sweep(path, o, samples=3), tables(o))[1])(tmp_path / "fresh")
    lhs = write_experiment(tmp_path, text + """
[design]
kind = "lhs"
samples = 3
[design.factors]
"offending.base_rate" = { low = 0.03, high = 0.08 }
""", name="lhs")
    out = tmp_path / "l"
    _sweep(lhs, out)
    assert main(["sweep", str(lhs), "--samples", "4", "--out", str(out), "--workers", "1"]) == 2
    assert "different settings (design, points)" in capsys.readouterr().err


def test_targets_parse_with_pp_for_shares_and_one_line_errors(tmp_path):
    exp = experiment_file.load(write_experiment(tmp_path, SMALL))
    assert adaptive.parse_targets(["reoffending_rate=0.5pp", "recalls_per_year=20"], exp) == {
        "reoffending_rate": pytest.approx(0.005), "recalls_per_year": 20.0}
    for bad, fragment in (("recalls_per_year=2pp", "shares"), ("nope=1", "not a metric"), ("reoffending_rate", "METRIC=VALUE"),
                          ("recalls_per_year=-1", "positive"), ("recalls_per_year=x", "not a number")):
        with pytest.raises(ParameterError, match=fragment):
            adaptive.parse_targets([bad], exp)


def test_next_replications_is_where_the_t_interval_reaches_the_target():
    from experiments.analysis.statistics import t_halfwidth

    m = adaptive.next_replications(4, 1.0, 0.6, cap=100)
    assert 4 < m < 16 and t_halfwidth(1.0, m) <= 0.6 < t_halfwidth(1.0, m - 1)
    assert adaptive.next_replications(4, 1.0, 0.01, cap=100) == 16  # at most four times as many
    assert adaptive.next_replications(4, 1.0, 0.01, cap=10) == 10


def test_until_halfwidth_adds_replications_until_the_paired_interval_is_narrow_or_the_cap(tmp_path, capsys):
    path = write_experiment(tmp_path, SMALL)
    probe = tmp_path / "probe"
    _sweep(path, probe, replications=3)
    widths = adaptive.halfwidths(experiment_file.load(path, replications=3), runs(probe), ["recalls_per_year"])
    target = 0.7 * widths["recalls_per_year"][0]
    out = tmp_path / "a"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-progress",
                 "--until-halfwidth", f"recalls_per_year={target}", "--max-replications", "12"]) == 0
    record = json.loads((out / "adaptive.json").read_text())
    rounds = record["rounds"]
    assert rounds[0]["replications"] == 3 and rounds[0]["halfwidths"]["recalls_per_year"] > target
    assert [r["replications"] for r in rounds] == sorted({r["replications"] for r in rounds})
    last = rounds[-1]
    if record["stopped"] == "reached":
        assert last["halfwidths"]["recalls_per_year"] <= target
    else:
        assert record["stopped"] == "cap" and last["replications"] == 12
    assert len(runs(out)) == 2 * last["replications"]  # every round's runs kept
    final = adaptive.halfwidths(experiment_file.load(path, replications=last["replications"]), runs(out),
                                ["recalls_per_year"])
    assert final["recalls_per_year"][0] == pytest.approx(last["halfwidths"]["recalls_per_year"])
    capped = tmp_path / "c"
    assert main(["sweep", str(path), "--out", str(capped), "--workers", "1", "--no-progress",
                 "--until-halfwidth", "recalls_per_year=0.0001", "--max-replications", "4"]) == 0
    assert json.loads((capped / "adaptive.json").read_text())["stopped"] == "cap" and len(runs(capped)) == 8
    assert "(the cap; not every target reached)" in capsys.readouterr().out
