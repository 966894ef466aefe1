"""The relationship update on hand-built rows."""

from __future__ import annotations

import numpy as np

from agents.states import State
from model.week.relationships import relationships
from tests.helpers import hand_population, model_for


def test_relationship_update_is_exact():
    m = model_for(**{"relationships.build_rate": 0.1, "relationships.decay_rate": 0.05})
    rows = hand_population(m, 2, state=State.COMMUNITY, relationship=0.5, dose=[1.0, 0.0], quality=[0.8, 0.0],
                           org=-1)
    relationships(m)
    assert np.isclose(m.pop.relationship[rows[0]], 0.5 + 0.1 * 1.0 * 0.8 * 0.5)
    assert np.isclose(m.pop.relationship[rows[1]], 0.5 - 0.05 * 0.5)
