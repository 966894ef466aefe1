"""Regression baseline: a small run's summary.json must match the saved one exactly.

When behaviour is meant to change, regenerate it deliberately and say so in the commit:
    REGENERATE_BASELINE=1 .venv/bin/python -m pytest tests/integration/test_core_regression.py
"""

from __future__ import annotations

import os
from pathlib import Path

from experiments import simulate

BASELINE = Path(__file__).resolve().parents[1] / "baseline" / "summary_tr_reunified_seed1_2016.json"


def test_summary_matches_saved_baseline():
    params = simulate.build_parameters("tr_reunified", seed=1, end="2016-12-31")
    text = simulate.summary_json(simulate.run("tr_reunified", params))
    if os.environ.get("REGENERATE_BASELINE") == "1":
        BASELINE.write_text(text)
    assert BASELINE.exists(), "no baseline saved: run with REGENERATE_BASELINE=1"
    assert text == BASELINE.read_text()
