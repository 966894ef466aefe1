"""Allocation on hand-built teams: caps, places drawn in proportion to room, overflow, the IOM cohort."""

from __future__ import annotations

import numpy as np

from agents.states import State
from model.week.allocation import allocation
from tests.helpers import hand_population, model_for


def test_allocation_fills_to_the_cap_then_overflows_to_the_least_loaded():
    m = model_for()
    st = m.staff
    m.ops.cap[:] = 2
    team = (st.employer == m.areas.trust_org[0]) & (st.cpa == 0) & st.filled & st.funded
    n_officers = int(team.sum())
    rows = hand_population(m, 2 * n_officers, state=State.COMMUNITY, week_end=100, rosh=0, ogrs=30.0)
    st.caseload[:] = 0
    allocation(m)
    assert (st.caseload[team] == 2).all()  # exactly to the cap, at random among places
    more = hand_population(m, 3 * n_officers + 1, state=State.COMMUNITY, week_end=100, rosh=0, ogrs=30.0)
    st.caseload[:] = 0
    allocation(m)
    assert (m.pop.officer[more] >= 0).all()  # nobody waits while the team has officers
    assert st.caseload[team].max() == 4 and st.caseload[team].min() == 3  # the overflow evenly spread
    assert np.array_equal(np.bincount(m.pop.officer[more], minlength=st.n), st.caseload)
    assert rows.size == 2 * n_officers


def test_allocation_draws_places_in_proportion_to_room():
    m = model_for()
    st = m.staff
    team = np.flatnonzero((st.employer == m.areas.trust_org[0]) & (st.cpa == 0) & st.funded)
    a, b = team[:2]
    st.filled[:] = False
    st.filled[[a, b]] = True
    m.ops.cap[:] = 10
    rows = hand_population(m, 1, state=State.COMMUNITY, week_end=10_000, rosh=0, ogrs=30.0)
    to_b = 0
    for week in range(400):
        m.week = week
        m.pop.officer[rows] = -1
        st.caseload[a], st.caseload[b] = 9, 7  # one free place against three
        allocation(m)
        to_b += int(m.pop.officer[rows[0]] == b)
        assert m.pop.officer[rows[0]] in (a, b)
    assert 260 <= to_b <= 340  # 300 expected (sd 8.7)
