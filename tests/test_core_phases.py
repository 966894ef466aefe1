"""Phases on tiny hand-built populations with exact expected results."""

from __future__ import annotations

import numpy as np

from agents.states import Agency, SentenceKind, State
from model.week.allocation import allocation
from model.week.custody import custody
from model.week.offending import offending
from model.week.risk import risk
from model.week.supervision import supervision
from tests.helpers import hand_population, model_for


def test_short_sentence_release_before_and_after_ora():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 2, state=State.CUSTODY, sentence_kind=SentenceKind.SHORT_CUSTODY,
                           week_release=10, week_end=18)
    m.pop.ora[rows[1]] = True  # sentenced after ORA commencement
    custody(m)
    assert m.pop.state[rows[0]] == State.FREE  # no statutory supervision before ORA
    assert m.pop.state[rows[1]] == State.LICENCE
    assert m.pop.week_end[rows[1]] == 10 + 52  # 12 months in the community
    assert m.counts["releases_short"] == 2 and m.counts["releases_short_supervised"] == 1
    assert list(m.pop.cohort_start[rows]) == [10, 10]


def test_order_ending_this_week_counts_a_completion():
    m = model_for()
    m.week = 5
    rows = hand_population(m, 3, state=State.COMMUNITY, week_end=[5, 6, 4], officer=-1)
    custody(m)
    assert list(m.pop.state[rows]) == [State.FREE, State.COMMUNITY, State.FREE]
    assert m.counts["completions"] == 2 and m.counts["terminations"] == 2


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


def test_supervision_shares_hours_pro_rata():
    m = model_for()
    st = m.staff
    officer = int(np.flatnonzero(st.filled & st.funded)[0])
    m.params.supervision.contact_hours_per_fte = 3.0
    st.sick[:] = False
    rows = hand_population(m, 4, state=State.LICENCE, sentence_kind=SentenceKind.LONG_CUSTODY, week_end=100,
                           rosh=2, officer=officer, org=int(st.employer[officer]))
    supervision(m)
    std = m.params.supervision.standard_high  # 1.5 h each, 6 h demanded of 3 h
    assert np.allclose(m.pop.contact[rows], std * 3.0 / (4 * std))
    assert np.allclose(m.pop.dose[rows], 0.5)
    assert st.caseload[officer] == 4


def test_no_offending_at_zero_rate():
    m = model_for(**{"offending.base_rate": 0.0})
    rows = hand_population(m, 5, state=State.FREE)
    offending(m)
    assert m.counts["offences"] == 0 and (m.pop.week_court[rows] == -1).all()


def test_certain_escalation_moves_crc_case_to_nps_after_delay():
    m = model_for("tr", end="2016-12-31", **{"risk.escalation_per_week": 0.05, "risk.transfer_delay_weeks": 3.0,
                                             "tr.mechanisms.interagency": False})
    m.channels.fire(m, "share_out")
    m.week = 20
    crc = int(m.areas.crc_of[0])
    rows = hand_population(m, 1, state=State.COMMUNITY, week_end=200, rosh=1, ogrs=99.0, agency=Agency.CRC,
                           org=crc, officer=0)
    m.params.risk.escalation_per_week = 1.0 / (99 / 50)  # certain this week
    risk(m)
    assert m.pop.rosh[rows[0]] == 2 and m.pop.week_transfer[rows[0]] == 23
    m.week = 23
    risk(m)
    assert m.pop.agency[rows[0]] == Agency.NPS and m.pop.officer[rows[0]] == -1
    assert m.counts["transfers_crc_to_nps"] == 1


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
