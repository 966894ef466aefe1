"""Each organisation's and officer's decision, on its own, with exact expected results."""

from __future__ import annotations

import numpy as np
import pytest

from agents import (
    CommunityRehabilitationCompany,
    NationalProbationService,
    PoliceForce,
    VoluntaryProvider,
    officer,
)
from agents.crc import Review
from agents.states import OwnerType
from tests.helpers import model_for


def sold(contact: bool = True, **overrides):
    m = model_for("tr", end="2019-12-31", **{"tr.mechanisms.contact": contact, **overrides})
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m, m.crcs()[0]


def book(org, income: float, spend: float) -> None:
    org.quarter_income, org.quarter_spend = income, spend


def test_crc_in_loss_cuts_posts_then_drops_a_subcontract_and_in_surplus_restores_them():
    m, crc = sold(**{"finance.loss_response_cut": 0.1, "finance.gain_quarters_to_hire": 2})
    book(crc, 100.0, 150.0)
    assert crc.review_quarter() == Review(cut_share=0.1)
    assert crc.quarter_income == crc.quarter_spend == 0.0  # the books are closed
    book(crc, 100.0, 150.0)
    assert crc.review_quarter() == Review(cut_share=0.1, drop_subcontract=True)  # a second loss quarter in a row
    crc.posts_cut = 3
    book(crc, 200.0, 150.0)
    assert crc.review_quarter() == Review() and crc.loss_quarters == 0  # one surplus quarter: not yet
    book(crc, 200.0, 150.0)
    posts = int(((m.staff.employer == crc.index) & m.staff.funded).sum())
    assert crc.review_quarter() == Review(restore_posts=min(3, round(0.1 * posts)), add_subcontract=True)
    crc.contract.ending = True  # once the early end is announced it no longer re-hires
    for _ in range(2):
        book(crc, 200.0, 150.0)
        assert crc.review_quarter() == Review()


@pytest.mark.parametrize("on", [True, False])
def test_contact_mechanism_adapts_the_operating_model_both_ways(on):
    m, crc = sold(contact=on, **{"finance.loss_response_cap_rise": 0.1, "finance.loss_response_remote_step": 0.2,
                                 "supervision.remote_share_max": 0.5})
    k = crc.index
    cap, remote = m.ops.cap[k], m.ops.remote[k]
    s = m.params.supervision
    assert (cap, remote) == ((s.caseload_cap_crc, s.remote_share_crc) if on else (s.caseload_cap_trust, s.remote_share_trust))
    rng = np.random.default_rng(0)
    m.channels.review(m, crc, Review(cut_share=0.05), rng)
    assert (m.ops.cap[k], m.ops.remote[k]) == ((pytest.approx(cap * 1.1), min(0.5, remote + 0.2)) if on else (cap, remote))
    m.channels.review(m, crc, Review(restore_posts=1), rng)
    assert (m.ops.cap[k], m.ops.remote[k]) == (pytest.approx(cap), pytest.approx(remote))
    m.refresh()  # a refresh recomputes what is derived; the CRC's operating model has one writer and stays
    assert (m.ops.cap[k], m.ops.remote[k]) == (pytest.approx(cap), pytest.approx(remote))


def test_unsold_crc_only_closes_its_books():
    m = model_for("tr", end="2019-12-31")
    m.channels.fire(m, "share_out")
    crc = m.crcs()[0]
    assert crc.owner == OwnerType.PUBLIC and crc.contract is None
    book(crc, 0.0, 1e6)
    assert crc.review_quarter() == Review() and crc.quarter_spend == 0.0


def test_provider_withdraws_after_its_patience_runs_out():
    m = model_for(**{"voluntary.exit_quarters": 2})
    x = m.of_type(VoluntaryProvider)[0]
    quarter_cost = x.yearly_cost * 13 / 52
    book(x, quarter_cost, 0.0)
    assert x.review_quarter() is False and x.underfunded_quarters == 0
    book(x, quarter_cost * 0.9, 0.0)
    assert x.review_quarter() is False and x.underfunded_quarters == 1
    book(x, quarter_cost * 0.9, 0.0)
    assert x.review_quarter() is True and not x.active and x.funder is None
    assert x.review_quarter() is False  # gone: nothing more to decide


def test_nps_accepts_recall_requests_from_its_areas_by_trust():
    m = model_for("tr", end="2019-12-31", **{"enforcement.recall_acceptance_base": 0.4})
    nps = m.of_type(NationalProbationService)[0]
    cpa = np.array([nps.cpas[0], nps.cpas[0], nps.cpas[0], 99])
    trust = np.array([0.0, 0.5, 1.0, 1.0])
    u = np.array([0.39, 0.69, 0.99, 0.0])  # thresholds 0.4, 0.7, 1.0 - each just under
    assert list(nps.accept_recall_requests(cpa, trust, u)) == [True, True, True, False]  # area 99 is not its own
    assert list(nps.accept_recall_requests(cpa, trust, u + 0.011)) == [False, False, False, False]


def test_police_force_shares_information_by_trust_and_partner_access():
    m, crc = sold()
    force = m.orgs[m.areas.forces_of[0][0]]
    i = m.params.information
    partners, trust = m.interagency.police_ties(force.index)
    assert set(partners) == {int(m.areas.nps_of[0]), crc.index}
    m.ties.trust[m.ties.find(force.index, crc.index)] = 0.6
    m.interagency.info[force.index] = 99.0
    force.share_information()
    row = m.interagency.info[force.index]
    reference = m.interagency.reference_trust
    assert row[crc.index] == pytest.approx(0.6 * (1 - i.it_access_penalty) / reference)
    nps_trust = m.ties.trust[m.ties.find(force.index, int(m.areas.nps_of[0]))]
    assert row[int(m.areas.nps_of[0])] == pytest.approx(min(nps_trust / reference, 1.2))
    assert np.count_nonzero(row) == 2  # nothing shared with organisations it has no tie to
    assert isinstance(force, PoliceForce)


def test_officer_rules():
    assert list(officer.stress_target(np.array([0.5, 0.9, 1.2, 1.5, 3.0]), 0.9, 1.5)) == pytest.approx(
        [0.0, 0.0, 0.5, 1.0, 1.0])
    p = officer.weekly_quit_probability(np.array([0.0, 1.0]), 0.1, 0.25, np.array([0.0, 0.08]))
    assert list(p) == pytest.approx([1 - np.exp(-0.1 / 52), 1 - np.exp(-0.43 / 52)])
    assert officer.contact_quality(0.8, 0.5, 0.5) == pytest.approx(0.6)


def test_crc_agentset_runs_every_review_in_build_order():
    m, _ = sold()
    crcs = m.agents_by_type[CommunityRehabilitationCompany]
    assert [c.index for c in crcs] == sorted(c.index for c in crcs)
    for c in crcs:
        book(c, 0.0, 1.0)
    responses = crcs.map("review_quarter")
    assert all(r.cut_share == m.params.finance.loss_response_cut for r in responses)
