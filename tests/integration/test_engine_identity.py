"""Engine identity: every weekly series, cohort tally, person and post ends bit-for-bit as saved.

Optimisations of the engine must not change results. This fingerprints whole runs (all state,
not just the summary) and compares them with digests saved before the change. When behaviour is
meant to change, regenerate deliberately and say so in the commit:
    REGENERATE_BASELINE=1 .venv/bin/python -m pytest tests/integration/test_engine_identity.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

from experiments.simulate import build_parameters
from model.probation_model import ProbationModel
from model.world.population import SCHEMA
from model.world.staff import STAFF_SCHEMA

DIGESTS = Path(__file__).resolve().parents[1] / "baseline" / "engine_fingerprints.json"
RUNS = {
    "small_tr_reunified_2011_2021_seed1": ("tr_reunified", "small", 1, "2021-12-31", {}),
    "regional_tr_data_sharing_2011_2016_seed2": ("tr_data_sharing", "regional", 2, "2016-06-30", {}),
    "small_tr_keep_colocation_no_mechanisms_seed3": ("tr_keep_colocation", "small", 3, "2019-12-31",
                                                     {"tr.mechanisms.contact": False, "iom.ogrs_threshold": 60}),
}


def fingerprint(model: ProbationModel) -> str:
    """SHA-256 over the recorder's series and cohorts, every population column and every staff column."""
    h = hashlib.sha256()
    rec = model.recorder
    for name in sorted(rec.series):
        h.update(name.encode())
        h.update(np.ascontiguousarray(rec.series[name][: rec.recorded]).tobytes())
    h.update(np.ascontiguousarray(rec.cohort).tobytes())
    n = model.pop.high_water
    for name in SCHEMA:
        h.update(np.ascontiguousarray(getattr(model.pop, name)[:n]).tobytes())
    for name in STAFF_SCHEMA:
        h.update(np.ascontiguousarray(getattr(model.staff, name)).tobytes())
    return h.hexdigest()


@pytest.mark.parametrize("key", list(RUNS))
def test_run_is_bit_identical_to_the_saved_fingerprint(key):
    scenario, scale, seed, end, overrides = RUNS[key]
    model = ProbationModel(build_parameters(scenario, overrides, scale=scale, seed=seed, end=end))
    model.run()
    digest = fingerprint(model)
    saved = json.loads(DIGESTS.read_text()) if DIGESTS.exists() else {}
    if os.environ.get("REGENERATE_BASELINE") == "1":
        saved[key] = digest
        DIGESTS.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")
    assert key in saved, "no fingerprint saved: run with REGENERATE_BASELINE=1"
    assert digest == saved[key]
