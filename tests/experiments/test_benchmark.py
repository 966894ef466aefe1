"""The benchmark runs at a tiny size and reports the documented JSON shape (no timing asserted)."""

from __future__ import annotations

import json

from experiments.benchmark import PHASES
from run import main


def test_bench_tiny(tmp_path, capsys):
    path = tmp_path / "bench.json"
    assert main(["bench", "--scales", "small", "--years", "0.1", "--json", str(path)]) == 0
    result = json.loads(path.read_text())
    small = result["scales"]["small"]
    assert small["weeks"] == 6
    for key in ("compile_s", "build_s", "run_s", "wall_s", "offender_weeks_per_s", "peak_rss_mb"):
        assert small[key] > 0
    assert set(small["phases_s"]) == set(PHASES)
    assert result["peer"]["model"] == "BoltzmannWealth" and result["peer"]["agent_steps_per_s"] > 0
    assert len(result["peer"]["samples"]) == 2  # before and after the one scale; the ratio uses their median
    assert result["ratio_vs_peer"]["small"] > 0
    assert result["targets"] == []  # judged only on a ten-year national run
    assert "x peer" in capsys.readouterr().out


def test_bench_rejects_unknown_scale(capsys):
    assert main(["bench", "--scales", "huge"]) == 2
    assert "--scales" in capsys.readouterr().err


def _result(wall, rss, ratio, national_owk, regional_owk, years=10, steady=2.0, run=20.0):
    scales = {"national": {"years": years, "wall_s": wall, "peak_rss_mb": rss, "offender_weeks_per_s": national_owk,
                           "steady_start_s": steady, "run_s": run},
              "regional": {"years": years, "offender_weeks_per_s": regional_owk}}
    return {"scales": scales, "ratio_vs_peer": {"national": ratio}}


def test_targets_are_judged_on_a_ten_year_national_run():
    from experiments.benchmark import check_targets

    met = check_targets(_result(29.9, 1500.0, 30.0, 10.0e6, 5.0e6, steady=4.0, run=20.0))
    assert [(t["value"], t["met"]) for t in met] == [(29.9, True), (1500.0, True), (30.0, True), (0.5, True), (0.2, True)]
    missed = check_targets(_result(30.1, 1600.0, 29.0, 3.0e6, 5.0e6, steady=5.0, run=20.0))
    assert [(t["value"], t["met"]) for t in missed] == [(30.1, False), (1600.0, False), (29.0, False), (1.667, False),
                                                        (0.25, False)]
    assert check_targets(_result(10.0, 300.0, 50.0, 1e7, 5e6, years=2)) == []
    only_national = _result(20.0, 300.0, 50.0, 1e7, 5e6)
    del only_national["scales"]["regional"]
    assert [t["target"] for t in check_targets(only_national)] == [
        "national wall s (build included)", "national peak RSS MB", "national x BoltzmannWealth",
        "national steady start / 10-year run"]
