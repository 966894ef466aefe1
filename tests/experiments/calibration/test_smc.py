"""The calibration (ABC-SMC): it finds a parameter planted in a synthetic target; the same spec and seed give the
same posterior on any executor, interrupted and resumed or not; bad input stops before any work.

The runs are small and short (small scale, no burn-in, half a year) so that a calibration takes seconds; the
real one (experiments/data/calibration.toml) is described in docs/calibration.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from experiments.calibration import posterior
from experiments.calibration import smc as calibration
from experiments.calibration import spec as calibration_spec
from experiments.calibration.report import write_docs
from experiments.calibration.simulator import Setting
from tests.cli_helpers import assert_one_line_error, run_cli

PLANTED = 45.0  # sentencing.community_weeks_mean behind the synthetic target


def spec_text(target: float, *, low: float, high: float, budget: int = 120, population: int = 15,
              extra_prior: str = "") -> str:
    return f"""
scenario = "pre_tr"
scale = "small"
start = "2011-01-01"
end = "2011-06-30"
window_start = "2011-01-01"
window_end = "2011-07-01"
budget = {budget}
population = {population}
root_seed = 5
[fixed]
"run.burn_in_years" = 0.0
[priors."sentencing.community_weeks_mean"]
low = 20.0
high = 60.0
{extra_prior}
[targets.under_supervision]
metric = "under_supervision_mean"
national = true
value = {target}
low = {low}
high = {high}
"""


@pytest.fixture(scope="module")
def planted_target(tmp_path_factory) -> float:
    """The national caseload of a run at the planted order length (the synthetic published figure)."""
    path = tmp_path_factory.mktemp("spec") / "probe.toml"
    spec = calibration_spec.load(path, text=spec_text(235000.0, low=200000.0, high=270000.0))
    return Setting(spec).simulate({"sentencing.community_weeks_mean": PLANTED}, 12345)["under_supervision"]


def write_spec(folder: Path, text: str) -> Path:
    path = folder / "spec.toml"
    path.write_text(text)
    return path


def test_posterior_concentrates_on_the_planted_parameter(tmp_path, planted_target):
    """A target made by the model at community_weeks_mean = 45: the posterior moves there from a prior of 20-60."""
    text = spec_text(planted_target, low=planted_target * 0.98, high=planted_target * 1.02, budget=300)
    spec = calibration_spec.load(write_spec(tmp_path, text))
    out = tmp_path / "cal"
    outcome = calibration.run_calibration(spec, out, workers=1, progress=False)
    assert outcome.generations >= 2 and outcome.used <= spec.budget
    post = posterior.load(out)
    s = post.summary()["sentencing.community_weeks_mean"]
    assert abs(s["median"] - PLANTED) < 4.0, s
    assert s["high"] - s["low"] < 0.5 * (60.0 - 20.0), s  # far narrower than the prior
    gens = calibration.generations(out)
    assert [g["t"] for g in gens] == list(range(len(gens)))
    assert gens[-1]["epsilon"] < gens[1]["epsilon"] < np.inf
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["simulations_used"] == sum(g["simulations"] for g in gens) == outcome.used
    assert (out / "report.md").is_file() and (out / "figures" / "posteriors.png").is_file()
    docs = tmp_path / "docs" / "calibration.md"
    docs.parent.mkdir()
    docs.write_text("# Calibration\n\nintro\n\n<!-- calibration:begin -->\nOLD-CONTENT\n<!-- calibration:end -->\n\nafter\n")
    write_docs(out, docs, tmp_path / "docs" / "figures" / "calibration")
    text = docs.read_text()
    assert text.startswith("# Calibration\n\nintro") and text.endswith("after\n") and "OLD-CONTENT" not in text
    assert "| `sentencing.community_weeks_mean` | uniform(20, 60) |" in text
    assert "![fit](figures/calibration/fit.png)" in text
    assert (tmp_path / "docs" / "figures" / "calibration" / "fit.png").is_file()


def test_same_seed_same_posterior_on_any_executor_interrupted_or_not(tmp_path, planted_target, monkeypatch):
    """In this process, on two worker processes, and stopped by Ctrl-C in generation 2 then resumed: the
    same database generations and the same posterior.csv, byte for byte."""
    text = spec_text(planted_target, low=planted_target * 0.97, high=planted_target * 1.03, budget=60, population=6,
                     extra_prior='[priors."needs.prevalence_employment"]\nlow = 0.4\nhigh = 0.9\n')
    spec = calibration_spec.load(write_spec(tmp_path, text))
    calibration.run_calibration(spec, tmp_path / "one", workers=1, progress=False)
    calibration.run_calibration(spec, tmp_path / "two", workers=2, progress=False)

    calls = {"n": 0}
    real = Setting.simulate

    def interrupting(self, values, seed):
        calls["n"] += 1
        if calls["n"] == 20:  # inside generation 2 (generations 0 and 1 take 6 and at least 6)
            raise KeyboardInterrupt
        return real(self, values, seed)

    monkeypatch.setattr(Setting, "simulate", interrupting)
    stopped = calibration.run_calibration(spec, tmp_path / "resumed", workers=1, progress=False)
    assert stopped.interrupted and stopped.generations == 2
    monkeypatch.setattr(Setting, "simulate", real)
    calibration.run_calibration(spec, tmp_path / "resumed", workers=1, resume=True, progress=False)

    texts = {name: (tmp_path / name / "posterior.csv").read_text() for name in ("one", "two", "resumed")}
    assert texts["one"] == texts["two"] == texts["resumed"]
    gens = {name: calibration.generations(tmp_path / name) for name in texts}
    assert gens["one"] == gens["two"] == gens["resumed"] and len(gens["one"]) >= 3


@pytest.mark.parametrize("args,fragments", [
    (["--budget", "5", "--population", "10"], ["--budget 5", "population 10"]),
    (["--budget", "0"], ["budget", "[1,"]),
    (["--workers", "0"], ["--workers", "at least 1"]),
    (["--workers", "2", "--scheduler", "local"], ["--workers or --scheduler"]),
    (["--scheduler", "nonsense"], ["--scheduler", "tcp://host:8786"]),
    (["--resume"], ["--resume", "no calibration to resume"]),
])
def test_bad_options_stop_before_any_work(tmp_path, capsys, args, fragments):
    out = tmp_path / "out"
    code, err, _ = run_cli(["calibrate", *args, "--out", str(out)], capsys)
    assert_one_line_error(code, err, *fragments)
    assert not out.exists()


@pytest.mark.parametrize("change,fragments", [
    (('"sentencing.community_weeks_mean"]', '"sentencing.community_weeks_meen"]'), ["community_weeks_meen",
                                                                                 "did you mean"]),
    (("high = 60.0", "high = 600.0"), ["600", "outside the parameter's bounds"]),
    (('metric = "under_supervision_mean"', 'metric = "under_supervision"'), ["unknown metric", "under_supervision"]),
    (('end = "2011-06-30"', 'end = "2011-03-31"'), ["window_end"]),
    (('"run.burn_in_years" = 0.0', '"run.burn_in_years" = 0.0\n"sentencing.community_weeks_min" = 30.0'),
     ["lowest prior value", "community_weeks_min", "less than"]),
])
def test_bad_spec_is_one_line(tmp_path, capsys, change, fragments):
    text = spec_text(235000.0, low=200000.0, high=270000.0)
    assert change[0] in text
    path = write_spec(tmp_path, text.replace(*change))
    code, err, _ = run_cli(["calibrate", "--spec", str(path), "--out", str(tmp_path / "out")], capsys)
    assert_one_line_error(code, err, *fragments)
    assert not (tmp_path / "out").exists()


def test_a_folder_with_a_calibration_needs_resume_and_the_same_spec(tmp_path, capsys, planted_target):
    text = spec_text(planted_target, low=planted_target * 0.9, high=planted_target * 1.1, budget=6, population=6)
    path = write_spec(tmp_path, text)
    out = tmp_path / "cal"
    code, _, stdout = run_cli(["calibrate", "--spec", str(path), "--out", str(out), "--workers", "1", "--no-progress"],
                              capsys)
    assert code == 0 and "1 generation(s), 6 simulations used" in stdout
    before = (out / "posterior.csv").read_text()
    code, err, _ = run_cli(["calibrate", "--spec", str(path), "--out", str(out)], capsys)
    assert_one_line_error(code, err, "already holds a calibration", "--resume")
    path2 = tmp_path / "other.toml"
    path2.write_text(text.replace("root_seed = 5", "root_seed = 6"))
    code, err, _ = run_cli(["calibrate", "--spec", str(path2), "--out", str(out), "--resume"], capsys)
    assert_one_line_error(code, err, "other settings", "root_seed")
    assert (out / "posterior.csv").read_text() == before
    # --resume needs only --out: the folder's own spec, scale and population are used unless given
    code, err, _ = run_cli(["calibrate", "--out", str(out), "--resume", "--budget", "14", "--workers", "1",
                            "--no-progress"], capsys)
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["budget"] for s in manifest["sessions"]] == [6, 14] and manifest["settings"]["population"] == 6


def test_the_defensive_proposal_is_the_mixture_it_draws_from_and_bounds_weights():
    """Density = share x prior + (1 - share) x kernel, draws follow it, and prior / proposal <= 1 / share."""
    import pandas as pd

    from experiments.calibration.spec import Prior
    from experiments.calibration.transition import DefensiveTransition

    priors = [Prior("offending.base_rate", 0.0, 1.0), Prior("offending.frailty_shape", 0.1, 10.0, "loguniform")]
    t = DefensiveTransition(priors, prior_share=0.25)
    X = pd.DataFrame({"offending.base_rate": [0.2, 0.25, 0.3], "offending.frailty_shape": [1.0, 1.2, 0.9]})
    t.fit(X, np.array([0.2, 0.5, 0.3]))
    grid = pd.DataFrame({"offending.base_rate": [0.05, 0.25, 0.9, 1.5], "offending.frailty_shape": [0.5, 1.0, 8.0, 1.0]})
    prior = np.array([1.0 / (x * np.log(100.0)) for x in grid["offending.frailty_shape"]]) * [1, 1, 1, 0]
    expected = 0.25 * prior + 0.75 * t.kernel.pdf(grid)
    assert np.allclose(t.pdf(grid), expected)
    assert t.pdf(grid.iloc[1]) == pytest.approx(expected[1])
    assert np.all(prior / t.pdf(grid) <= 1 / 0.25 + 1e-12)
    np.random.seed(1)
    draws = pd.DataFrame([t.rvs_single() for _ in range(4000)])
    far = (draws["offending.base_rate"] > 0.6).mean()  # the kernel puts almost nothing there, the prior 40%
    assert far == pytest.approx(0.25 * 0.4, abs=0.02)
