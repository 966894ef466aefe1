"""The NPS's decisions on recall requests."""

from __future__ import annotations

import numpy as np

from agents import (
    NationalProbationService,
)
from tests.helpers import model_for


def test_nps_accepts_recall_requests_from_its_areas_by_trust():
    m = model_for("tr", end="2019-12-31", **{"enforcement.recall_acceptance_base": 0.4})
    nps = m.of_type(NationalProbationService)[0]
    cpa = np.array([nps.cpas[0], nps.cpas[0], nps.cpas[0], 99])
    trust = np.array([0.0, 0.5, 1.0, 1.0])
    u = np.array([0.39, 0.69, 0.99, 0.0])  # thresholds 0.4, 0.7, 1.0 - each just under
    assert list(nps.accept_recall_requests(cpa, trust, u)) == [True, True, True, False]  # area 99 is not its own
    assert list(nps.accept_recall_requests(cpa, trust, u + 0.011)) == [False, False, False, False]
