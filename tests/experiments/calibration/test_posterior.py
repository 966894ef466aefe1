"""Parameter uncertainty in sweeps (`sweep --posterior`): one posterior draw per replication, the same in every
arm and independent of how many replications there are; identical tables on any executor; the runs record
their draw; and the variance split between parameter uncertainty and chance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import comparisons as analysis
from experiments.analysis.statistics import variance_components
from experiments.calibration import posterior
from experiments.sweeps import experiment_file, sweep
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.sweep_helpers import runs, tables, write_experiment

PARTICLES = [  # base_rate, effect_max, weight
    (0.040, 0.10, 0.1), (0.050, 0.20, 0.2), (0.060, 0.25, 0.4), (0.070, 0.30, 0.2), (0.080, 0.40, 0.1)]


def write_posterior(folder) -> posterior.Posterior:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["particle,weight,offending.base_rate,supervision.effect_max"]
    lines += [f"{i},{w!r},{b!r},{e!r}" for i, (b, e, w) in enumerate(PARTICLES)]
    (folder / "posterior.csv").write_text("\n".join(lines) + "\n")
    (folder / "manifest.json").write_text('{"label": "a test posterior", "finished_utc": "2026-01-01"}')
    return posterior.load(folder)


def test_draws_follow_the_weights_and_do_not_depend_on_the_count(tmp_path):
    post = write_posterior(tmp_path / "post")
    picks = [post.particle(j, 7) for j in range(4000)]
    freq = np.bincount(picks, minlength=5) / 4000
    assert np.allclose(freq, [w for *_, w in PARTICLES], atol=0.03)  # binomial SD at most 0.008
    assert post.particle(3, 7) == picks[3]  # a draw's particle depends on (root seed, draw) alone
    assert post.summary()["offending.base_rate"]["median"] == pytest.approx(0.06, abs=0.006)


def test_replication_k_uses_draw_k_over_repeats_in_every_arm(tmp_path):
    post = write_posterior(tmp_path / "post")
    exp = experiment_file.load(write_experiment(tmp_path, reps=6), posterior=post, posterior_repeats=2)
    grown = experiment_file.load(write_experiment(tmp_path, reps=8), posterior=post, posterior_repeats=2)
    plan = exp.plan()
    for spec in plan:
        assert spec.draw == spec.replication // 2
        assert spec.particle == post.particle(spec.draw, exp.root_seed)
        values = post.values_of(spec.particle)
        assert spec.overrides["offending.base_rate"] == values["offending.base_rate"]
        assert spec.overrides["supervision.effect_max"] == values["supervision.effect_max"]
    assert [(s.run_id, s.particle, s.seed) for s in grown.plan()[:len(plan)]] == [(s.run_id, s.particle, s.seed)
                                                                                 for s in plan]
    assert exp.digest() != experiment_file.load(write_experiment(tmp_path, reps=6)).digest()


def test_posterior_sweep_is_deterministic_and_records_its_draws(tmp_path, capsys):
    """The same command twice, in this process and on two worker processes: identical tables; every run's
    record names its draw and particle; compare splits the spread into parameters and chance."""
    write_posterior(tmp_path / "post")
    path = write_experiment(tmp_path, reps=4, end="2011-03-31")
    outs = [tmp_path / "a", tmp_path / "b"]
    for out, workers in zip(outs, ("1", "2")):
        code, err, _ = run_cli(["sweep", str(path), "--posterior", str(tmp_path / "post"), "--workers", workers,
                                "--out", str(out), "--no-progress"], capsys)
        assert code == 0, err
    assert tables(outs[0]) == tables(outs[1])
    table = runs(outs[0])
    post = posterior.load(outs[0] / "posterior")
    assert post.text == (tmp_path / "post" / "posterior.csv").read_text()
    for _, r in table.iterrows():
        assert r["draw"] == r["replication"] // 2
        assert r["offending.base_rate"] == post.values_of(int(r["particle"]))["offending.base_rate"]
    assert table.groupby("replication")["particle"].nunique().eq(1).all()
    code, err, _ = run_cli(["compare", str(outs[0])], capsys)
    assert code == 0, err
    report = (outs[0] / "report.md").read_text()
    assert "## Parameter uncertainty and chance" in report and "posterior of a test posterior" in report
    assert "2 draws, 2 replication(s) each" in report
    # the interval's unit is the draw: what the sweep can detect is stated per draw, with the warning for few
    assert "## What 2 draws can detect (4 replications, 2 a draw)" in report and "**Few draws.**" in report
    assert "Mean over draws" in report and "| 2 x 2 |" in report
    halve = [line.split("|")[-2].strip() for line in report.split("## What 2 draws", 1)[1].split("##")[0].splitlines()
             if line.startswith("| ") and not line.startswith("| outcome") and not line.startswith("| ---")]
    assert halve and all(h == "n/a" or int(h) % 2 == 0 for h in halve)  # whole draws of 2 replications


def test_intervals_are_over_draws():
    ok = pd.DataFrame({"scenario": ["s"] * 6, "point": [0] * 6, "replication": range(6), "draw": [0, 0, 1, 1, 2, 2],
                       "x": [1.0, 3.0, 5.0, 7.0, 2.0, np.nan]})
    assert analysis.by_rep(ok, "s", 0, "x") == {0: 2.0, 1: 6.0, 2: 2.0}


def test_variance_components_exact():
    v = variance_components([[1.0, 3.0], [5.0, 7.0]])
    # between: MSB = 16, within: MSW = 2, n0 = 2 -> parameter variance (16 - 2) / 2 = 7, chance 2
    assert (v["param_var"], v["chance_var"]) == (7.0, 2.0)
    assert v["param_share"] == pytest.approx(7 / 9)
    assert v["param_share_of_mean"] == pytest.approx(7 / 8)  # chance averaged over 2 runs per draw
    flat = variance_components([[4.0, 4.0], [4.0, 4.0]])
    assert (flat["param_var"], flat["chance_var"]) == (0.0, 0.0) and math.isnan(flat["param_share"])
    assert math.isnan(variance_components([[1.0], [2.0]])["chance_var"])  # no repeats: cannot tell


def test_variance_components_recover_known_parts():
    """500 draws of 4 runs: parameter SD 2, chance SD 1 -> shares near 0.8 (sampling error about 0.02)."""
    rng = np.random.default_rng(3)
    groups = [list(mu + rng.normal(0, 1, 4)) for mu in rng.normal(10, 2, 500)]
    v = variance_components(groups)
    assert v["param_var"] == pytest.approx(4.0, rel=0.15) and v["chance_var"] == pytest.approx(1.0, rel=0.1)
    assert abs(v["param_share"] - 0.8) < 0.05


@pytest.mark.parametrize("args,fragments", [
    (["--posterior-repeats", "2"], ["--posterior-repeats needs --posterior"]),
    (["--posterior", "{tmp}/nowhere"], ["--posterior", "not a folder"]),
    (["--posterior", "{tmp}/post", "--posterior-repeats", "9"], ["--posterior-repeats", "from 1 to the replications"]),
    (["--posterior", "{tmp}/bad"], ["not a real-valued parameter"]),
])
def test_bad_posterior_options(tmp_path, capsys, args, fragments):
    write_posterior(tmp_path / "post")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "posterior.csv").write_text("particle,weight,policy.split\n0,1,1\n")
    path = write_experiment(tmp_path, reps=2)
    out = tmp_path / "out"
    code, err, _ = run_cli(["sweep", str(path), *[a.format(tmp=tmp_path) for a in args], "--out", str(out)], capsys)
    assert_one_line_error(code, err, *fragments)
    assert not out.exists()
    assert sweep.load_manifest(tmp_path) is None
