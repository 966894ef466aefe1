"""Needs, referrals and officers' work on hand-built rows."""

from __future__ import annotations

from agents.states import ACCOMMODATION, State, need_bit
from model.week.needs import needs
from tests.helpers import hand_population, model_for


def test_needs_providers_meet_needs_up_to_capacity():
    m = model_for(**{"needs.success_prob": 1.0, "needs.relapse_per_week": 0.0, "needs.vcs_places_per_1000": 0.0})
    rows = hand_population(m, 3, state=State.LICENCE, officer=0, week_end=90)
    m.pop.need[rows] = need_bit(ACCOMMODATION)
    needs(m)
    assert (m.pop.need_met[rows] == 0).all()  # no places, nothing met
    m.params.needs.vcs_places_per_1000 = 1e6
    needs(m)
    assert (m.pop.need_met[rows] == need_bit(ACCOMMODATION)).all()
