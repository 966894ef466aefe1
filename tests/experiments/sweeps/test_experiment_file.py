"""Experiment files are validated before anything runs: one clear line naming the problem."""

from __future__ import annotations

import pytest

from experiments.sweeps import experiment_file
from model.parameters import ParameterError
from model.recording.metrics import SUMMARY_METRICS
from run import main
from tests.sweep_helpers import TINY, write_experiment

BASE = TINY.format(reps=2, end="2011-06-30")
CASES = [
    ("colour = 'red'\n" + BASE, ["unknown key(s) colour"]),
    (BASE.replace('"pre_tr", "tr"', '"pre_tr", "tr_reunifed"'), ["scenarios", "tr_reunifed", "tr_reunified"]),
    (BASE.replace("replications = 2", "replications = 0"), ["replications", ">= 1"]),
    (BASE.replace('scale = "small"', 'scale = "county"'), ["scale 'county'"]),
    (BASE + '[design]\nkind = "grid"\n[design.factors]\n"finance.pbr_shar" = [0.1]\n', ["finance.pbr_shar"]),
    (BASE + '[design]\nkind = "grid"\n[design.factors]\n"finance.pbr_share" = [0.1, 1.5]\n',
     ["design point 1", "finance.pbr_share", "1.5", "[0.0, 1.0]"]),
    (BASE + '[design]\nkind = "sobol"\nsamples = 6\n[design.factors]\n"finance.pbr_share" = {low = 0.0, high = 0.2}\n',
     ["power of two", "6"]),
    (BASE + '[design]\nkind = "latin"\n', ["design.kind 'latin'"]),
    (BASE + '[design]\nkind = "lhs"\nsamples = 4\n[design.factors]\n"policy.pbr" = {low = 0, high = 1}\n',
     ["policy.pbr", "only numeric"]),
    (BASE + '[design]\nkind = "lhs"\nsamples = 4\n[design.factors]\n"finance.pbr_share" = {low = 0.3, high = 0.1}\n',
     ["low < high"]),
    (BASE.replace('series = [', 'metrics = ["reoffending_rat"]\nseries = ['), ["metrics", "reoffending_rat", "reoffending_rate"]),
    (BASE.replace('"metrics.window_start" = "2011-01-01"', '"metrics.window_start" = "2011-02-30"'),
     ["metrics.window_start", "YYYY-MM-DD"]),
    ("scenarios = [\n", ["not valid TOML"]),
    (BASE.replace('scenarios = ["pre_tr", "tr"]', ""), ["needs scenarios"]),
    ('baseline = "tr_reunified"\n' + BASE, ["baseline 'tr_reunified'"]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_invalid_experiment_file_gives_one_clear_line_and_writes_nothing(tmp_path, capsys, text, expected):
    path = write_experiment(tmp_path, text)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: experiment tiny.toml"), err
    for fragment in expected:
        assert fragment in err[0]
    assert not out.exists()


def test_missing_file_and_bad_options_are_one_line_errors(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml' not found" in capsys.readouterr().err
    path = write_experiment(tmp_path)
    assert main(["sweep", str(path), "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
    assert main(["compare", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err


def test_overrides_replace_the_file_values(tmp_path):
    exp = experiment_file.load(write_experiment(tmp_path), replications=5, scale="regional", end="2011-03-31")
    assert (exp.replications, exp.scale, exp.end, len(exp.plan())) == (5, "regional", "2011-03-31", 10)
    assert exp.metrics == list(SUMMARY_METRICS)


@pytest.mark.parametrize("name", ["tr_vs_pre_tr", "iom_mechanisms", "pbr_design", "sensitivity"])
def test_shipped_experiments_are_valid(name):
    from tests.conftest import ROOT

    exp = experiment_file.load(ROOT / "experiments" / "data" / f"{name}.toml")
    expected = {"tr_vs_pre_tr": 40, "iom_mechanisms": 80, "pbr_design": 60, "sensitivity": 150}[name]
    assert len(exp.plan()) == expected
    if name == "sensitivity":  # 10 trajectories x (13 factors + the dummy + 1)
        assert len(exp.design.factors) >= 10 and exp.design.dummy


def test_summary_metrics_constant_matches_what_summarise_returns():
    from experiments.simulate import build_parameters
    from model.probation_model import ProbationModel
    from model.recording.metrics import summarise

    model = ProbationModel(build_parameters("tr", end="2011-02-28"))
    model.run()
    assert tuple(summarise(model, 0, model.recorder.recorded)) == SUMMARY_METRICS


def test_unknown_parameter_error_names_it(tmp_path):
    path = write_experiment(tmp_path, BASE.replace("[parameters]\n", '[parameters]\n"finance.pbr_sahre" = 0.2\n'))
    with pytest.raises(ParameterError, match="unknown parameter 'finance.pbr_sahre'; did you mean finance.pbr_share"):
        experiment_file.load(path)


def test_missing_dask_and_unreachable_scheduler_are_one_line_errors_and_write_nothing(tmp_path, capsys, monkeypatch):
    import builtins

    import distributed

    path = write_experiment(tmp_path)

    def refuse(*args, **kwargs):
        raise OSError("Timed out trying to connect to tcp://10.0.0.9:8786")

    monkeypatch.setattr(distributed, "Client", refuse)
    assert main(["sweep", str(path), "--scheduler", "tcp://10.0.0.9:8786", "--out", str(tmp_path / "a")]) == 2
    assert "cannot reach the dask scheduler" in capsys.readouterr().err
    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    assert main(["sweep", str(path), "--scheduler", "local", "--out", str(tmp_path / "b")]) == 2
    assert "pip install '.[cluster]'" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
