"""Money: costs, grants and contracts, booked twice."""

from __future__ import annotations

import numpy as np

from model.week.finance import finance
from tests.helpers import model_for


def test_finance_pays_public_bodies_their_costs():
    m = model_for()
    m.week = 3
    before = {o.index: o.balance for o in m.orgs}
    finance(m)
    assert m.ledger["government"] > 0
    for o in m.providers():
        assert abs(o.balance - before[o.index]) < 1e-6  # funded to cost: no surplus, no deficit
    assert np.isclose(m.ledger["government"], sum(o.balance for o in m.orgs) + m.ledger["external"])
