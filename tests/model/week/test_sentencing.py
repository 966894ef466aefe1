"""The courts: who is sentenced to what within the week's places, and newcomers."""

from __future__ import annotations

import numpy as np

from agents.states import State
from model.week.sentencing import within_places
from tests.helpers import hand_population, model_for


def test_places_go_to_those_likeliest_to_be_jailed_and_the_rest_step_down():
    disposal = np.array([4, 4, 4, 2, 2, 1, 4])
    area = np.array([0, 0, 0, 0, 0, 0, 1])
    chance = np.array([0.9, 0.5, 0.7, 0.3, 0.8, 0.1, 0.2])
    places = np.array([[9, 9, 2, 9, 1], [9, 0, 0, 0, 0]])
    out = within_places(disposal, area, chance, places)
    # area 0, over 4 years: one place, to the likeliest (0.9); the others step down to 12m-4y (room there)
    assert list(out[:3]) == [4, 3, 3]
    # under 12 months: two places for two; the SSO stays; area 1 has no custody or SSO places: an order
    assert list(out[3:]) == [2, 2, 1, 0]


def test_newcomers_make_up_the_input_with_returning_people():
    m = model_for()
    m.week = 5
    rows = hand_population(m, 3, state=State.FREE, week_court=5, ogrs=60)
    before = m.court_balance.copy()
    from model.week.sentencing import sentencing

    sentencing(m)
    weekly = m.inputs.weekly(m.input_year(), m.areas.share)
    returning = m.counts["reconvictions"]
    assert returning == 3 and (m.pop.week_court[rows] == -1).all()
    # what is owed moves by the week's input less everyone sentenced, kind by kind
    sentenced = np.array([[m.counts[f"disposals_{k}"] for k in ("community_orders", "suspended_orders", "custody_under_12m",
                                                                 "custody_12m_to_4y", "custody_over_4y")]])
    assert np.allclose(m.court_balance, before + weekly - sentenced)
    assert m.counts["disposals"] == sentenced.sum() == returning + m.counts["newcomers"]
