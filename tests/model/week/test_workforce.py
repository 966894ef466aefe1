"""Stress, leaving and hiring of posts."""

from __future__ import annotations

import numpy as np

from model.week.workforce import workforce
from tests.helpers import model_for


def test_no_leavers_at_zero_turnover_and_stress_tracks_workload():
    m = model_for(**{"workforce.turnover_base": 0.0, "workforce.turnover_stress": 0.0, "workforce.stress_rate": 1.0,
                     "workforce.sickness_stress": 0.0})
    m.staff.demand[:] = 2 * m.params.supervision.contact_hours_per_fte  # workload 2.0 -> full stress
    workforce(m)
    assert m.counts["leavers"] == 0
    working = m.staff.filled & m.staff.funded
    assert np.allclose(m.staff.stress[working], 1.0)
