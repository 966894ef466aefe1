"""The calibrated defaults: each is the median of the posterior in experiments/data/calibrated (to three significant
figures), cites the calibration with its 95% interval, and covers exactly the calibration spec's free parameters."""

from __future__ import annotations

from pathlib import Path

from experiments.calibration import posterior
from experiments.calibration import spec as calibration_spec
from model.parameters import CALIBRATED, Parameters, walk

ROOT = Path(__file__).resolve().parents[3]
CALIBRATED_DIR = ROOT / "experiments" / "data" / "calibrated"


def test_each_calibrated_default_is_its_posterior_median_and_cites_the_calibration():
    summary = posterior.load(CALIBRATED_DIR).summary()
    fields = {name: (value, f) for name, value, f in walk(Parameters())}
    for name, s in summary.items():
        value, f = fields[name]
        assert value == float(f"{s['median']:.3g}"), (name, value, s["median"])
        assert f.metadata["source"] == f"{CALIBRATED}, 95% interval {s['low']:.3g}-{s['high']:.3g}", name
        assert s["low"] <= value <= s["high"], name


def test_the_calibrated_parameters_are_the_specs_free_parameters_and_no_others():
    spec = calibration_spec.load(ROOT / "experiments" / "data" / "calibration.toml")
    summary = posterior.load(CALIBRATED_DIR).summary()
    citing = {name for name, _, f in walk(Parameters()) if f.metadata["source"].startswith(CALIBRATED)}
    assert set(summary) == {prior.name for prior in spec.priors} == citing
    assert len(citing) == 13
