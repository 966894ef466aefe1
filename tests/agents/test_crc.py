"""A CRC's quarterly decisions, on its own."""

from __future__ import annotations

from agents import (
    CommunityRehabilitationCompany,
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


def test_unsold_crc_only_closes_its_books():
    m = model_for("tr", end="2019-12-31")
    m.channels.fire(m, "share_out")
    crc = m.crcs()[0]
    assert crc.owner == OwnerType.PUBLIC and crc.contract is None
    book(crc, 0.0, 1e6)
    assert crc.review_quarter() == Review() and crc.quarter_spend == 0.0


def test_crc_agentset_runs_every_review_in_build_order():
    m, _ = sold()
    crcs = m.agents_by_type[CommunityRehabilitationCompany]
    assert [c.index for c in crcs] == sorted(c.index for c in crcs)
    for c in crcs:
        book(c, 0.0, 1.0)
    responses = crcs.map("review_quarter")
    assert all(r.cut_share == m.params.finance.loss_response_cut for r in responses)
