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
    for key in ("build_s", "run_s", "wall_s", "offender_weeks_per_s", "peak_rss_mb"):
        assert small[key] > 0
    assert set(small["phases_s"]) == set(PHASES)
    assert result["peer"]["model"] == "BoltzmannWealth" and result["peer"]["agent_steps_per_s"] > 0
    assert len(result["peer"]["samples"]) == 2  # before and after the one scale; the ratio uses their median
    assert result["ratio_vs_peer"]["small"] > 0
    assert "x peer" in capsys.readouterr().out


def test_bench_rejects_unknown_scale(capsys):
    assert main(["bench", "--scales", "huge"]) == 2
    assert "--scales" in capsys.readouterr().err
