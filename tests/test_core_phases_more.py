"""More phases on tiny hand-built populations with exact expected results."""

from __future__ import annotations

import numpy as np

from agents.states import ACCOMMODATION, SentenceKind, State, need_bit
from model.week.enforcement import enforcement
from model.week.finance import finance
from model.week.information import information
from model.week.needs import needs
from model.week.relationships import relationships
from model.week.sentencing import sentencing
from model.week.workforce import workforce
from tests.helpers import hand_population, model_for


def test_sentencing_custody_ends_order_community_runs_alongside():
    m = model_for(**{"sentencing.custody_share_on_reconviction": 0.99, "sentencing.custody_ogrs_slope": 2.0})
    m.week = 30
    rows = hand_population(m, 2, state=State.COMMUNITY, week_end=80, week_court=[30, 31], pending=1, ogrs=99)
    m.court_balance[:] = 100.0  # places for everyone
    sentencing(m)
    assert m.pop.state[rows[0]] == State.CUSTODY and m.pop.sentence_kind[rows[0]] != SentenceKind.COMMUNITY
    assert 31 <= m.pop.week_release[rows[0]] <= 30 + 1040
    assert m.pop.state[rows[1]] == State.COMMUNITY  # court date not yet come
    assert m.counts["terminations"] == 1 and m.counts["completions"] == 0 and m.counts["reconvictions"] == 1
    m.params.sentencing.custody_share_on_reconviction = 0.01
    m.params.sentencing.custody_ogrs_slope = -2.0
    m.week = 31
    sentencing(m)
    assert m.pop.state[rows[1]] == State.COMMUNITY and m.pop.week_end[rows[1]] >= 80  # runs alongside
    assert m.counts["terminations"] == 1


def test_relationship_update_is_exact():
    m = model_for(**{"relationships.build_rate": 0.1, "relationships.decay_rate": 0.05})
    rows = hand_population(m, 2, state=State.COMMUNITY, relationship=0.5, dose=[1.0, 0.0], quality=[0.8, 0.0],
                           org=-1)
    relationships(m)
    assert np.isclose(m.pop.relationship[rows[0]], 0.5 + 0.1 * 1.0 * 0.8 * 0.5)
    assert np.isclose(m.pop.relationship[rows[1]], 0.5 - 0.05 * 0.5)


def test_needs_providers_meet_needs_up_to_capacity():
    m = model_for(**{"needs.success_prob": 1.0, "needs.relapse_per_week": 0.0, "needs.vcs_places_per_1000": 0.0})
    rows = hand_population(m, 3, state=State.LICENCE, officer=0, week_end=90)
    m.pop.need[rows] = need_bit(ACCOMMODATION)
    needs(m)
    assert (m.pop.need_met[rows] == 0).all()  # no places, nothing met
    m.params.needs.vcs_places_per_1000 = 1e6
    needs(m)
    assert (m.pop.need_met[rows] == need_bit(ACCOMMODATION)).all()


def test_trust_grows_toward_one_when_colocated():
    m = model_for(**{"information.growth_rate": 0.1, "information.decay_rate": 0.0, "information.colocation_boost": 1.0})
    m.ties.trust[:] = 0.5
    m.ops.turnover[:] = 0.0
    information(m)
    police = m.ties.active & m.ties.colocated
    assert np.allclose(m.ties.trust[police], 0.5 + 0.1 * 2.0 * 0.5)


def test_breach_after_warnings_leads_to_recall():
    m = model_for(**{"enforcement.miss_prob": 1.0, "enforcement.warnings_before_breach": 0,
                     "enforcement.breach_prob_public": 1.0})
    m.week = 40
    officer = int(np.flatnonzero(m.staff.filled)[0])
    rows = hand_population(m, 1, state=State.LICENCE, officer=officer, org=int(m.staff.employer[officer]),
                           week_end=100, week_licence_end=100, ogrs=99.0, dose=1.0, relationship=0.0,
                           sentence_kind=SentenceKind.LONG_CUSTODY)
    enforcement(m)
    assert m.counts["breaches"] == 1 and m.pop.week_breach[rows[0]] == 42
    m.week = 42
    enforcement(m)
    assert m.pop.state[rows[0]] == State.CUSTODY and m.pop.recalled[rows[0]]
    assert m.counts["recalls"] == 1


def test_finance_pays_public_bodies_their_costs():
    m = model_for()
    m.week = 3
    before = {o.index: o.balance for o in m.orgs}
    finance(m)
    assert m.ledger["government"] > 0
    for o in m.providers():
        assert abs(o.balance - before[o.index]) < 1e-6  # funded to cost: no surplus, no deficit
    assert np.isclose(m.ledger["government"], sum(o.balance for o in m.orgs) + m.ledger["external"])


def test_no_leavers_at_zero_turnover_and_stress_tracks_workload():
    m = model_for(**{"workforce.turnover_base": 0.0, "workforce.turnover_stress": 0.0, "workforce.stress_rate": 1.0,
                     "workforce.sickness_stress": 0.0})
    m.staff.demand[:] = 2 * m.params.supervision.contact_hours_per_fte  # workload 2.0 -> full stress
    workforce(m)
    assert m.counts["leavers"] == 0
    working = m.staff.filled & m.staff.funded
    assert np.allclose(m.staff.stress[working], 1.0)
