"""Trust on inter-agency ties and the information that flows on them."""

from __future__ import annotations

import numpy as np

from model.week.information import information
from tests.helpers import model_for


def test_trust_grows_toward_one_when_colocated():
    m = model_for(**{"information.growth_rate": 0.1, "information.decay_rate": 0.0, "information.colocation_boost": 1.0})
    m.ties.trust[:] = 0.5
    m.ops.turnover[:] = 0.0
    information(m)
    police = m.ties.active & m.ties.colocated
    assert np.allclose(m.ties.trust[police], 0.5 + 0.1 * 2.0 * 0.5)
