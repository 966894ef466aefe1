"""TR as channels: every channel off is the pre-reform world; each channel on its own does what it says;
PbR cohorts land where the allocation rule puts them; the switch faults once found stay fixed."""

from __future__ import annotations

import numpy as np
import pytest

from agents.states import Agency, Regime, Rosh, SentenceKind, State
from experiments import simulate
from model.channels import policy
from model.channels.registry import ORDER
from model.week.cases import open_cohorts
from tests.helpers import hand_population, model_for

ALL_OFF = {"tr.channels.split": False, "tr.channels.market": False, "tr.channels.ora": False,
           "tr.channels.through_the_gate": False, "tr.mechanisms.relationships": False,
           "tr.mechanisms.contact": False, "tr.mechanisms.interagency": False}


def test_tr_with_every_channel_off_is_the_pre_reform_world():
    end = "2019-12-31"
    off = simulate.run("tr", simulate.build_parameters("tr", ALL_OFF, seed=4, end=end))
    pre = simulate.run("pre_tr", simulate.build_parameters("pre_tr", seed=4, end=end))
    assert off.events == [] and pre.events == []
    assert simulate.summary_json(off) == simulate.summary_json(pre)
    assert simulate.timeseries_csv(off) == simulate.timeseries_csv(pre)


def test_channels_are_named_and_each_reads_its_own_switch():
    m = model_for("tr", **{"tr.channels.market": False, "tr.mechanisms.contact": False})
    assert [ch.name for ch in m.channels] == list(ORDER)
    assert {ch.name: ch.on for ch in m.channels} == {"ora": True, "through_the_gate": True, "split": True,
                                                   "market": False, "relationships": True, "contact": False,
                                                   "interagency": True}


def test_split_alone_shares_out_cases_and_staff_without_the_market():
    m = model_for("tr", **{"tr.channels.market": False})
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    assert m.regime == Regime.SPLIT
    crc = m.crcs()[0]
    assert crc.active and crc.contract is None and crc.owner.name == "PUBLIC"  # no sale without the market
    staff = m.staff
    nps = (m.ops.agency[staff.employer] == Agency.NPS).sum()
    assert nps == round(m.params.tr.nps_staff_share * (~staff.reserved).sum())  # reserved posts: the CRC's, later
    assert m.ops.extra_turnover[crc.index] == m.params.workforce.crc_uncertainty  # CRC churn is the split's
    assert crc.funded_by_grant() and m.ops.cap[crc.index] == m.params.supervision.caseload_cap_trust


def test_market_alone_sells_and_prices_the_contract_as_written():
    m = model_for("tr", **{"tr.mechanisms.relationships": False, "tr.mechanisms.contact": False,
                           "tr.mechanisms.interagency": False})
    m.channels.fire(m, "share_out")
    funded_before = len(m.crcs()[0].subcontractors())
    m.channels.fire(m, "sale")
    f = m.params.finance
    crc = m.crcs()[0]
    c = crc.contract
    share = m.areas.share[crc.cpas[0]]
    value = f.contract_value_gbp_m * 1e6 * f.modelled_share * share
    assert crc.sold and crc.pbr_active
    assert c.weekly_fee * 52.1775 == pytest.approx(value * (1 - f.pbr_share))  # the fee at the forecast volume
    assert c.pbr_pot_per_quarter * 4 == pytest.approx(value * f.pbr_share)
    assert c.fixed_costs_per_week * 52.1775 == pytest.approx(f.fixed_costs_gbp_m * 1e6 * f.modelled_share * share)
    assert funded_before == round(m.params.voluntary.crc_subcontract_share * m.params.voluntary.providers_per_cpa)
    # with the mechanisms off, a sold CRC keeps the trusts' operating model and behaviour
    k = crc.index
    assert m.ops.cap[k] == m.params.supervision.caseload_cap_trust and not m.ops.parks[k]
    assert m.ops.breach_prob[k] == m.params.enforcement.breach_prob_public and m.ops.profit_perception[k] == 0.0
    m.channels.fire(m, "variation")
    assert c.fixed_costs_covered
    m.channels.fire(m, "termination_announced")
    assert c.ending


def test_ora_and_through_the_gate_act_without_the_split():
    m = model_for("ora_only")
    assert policy.occurs(m, "ora") and not policy.occurs(m, "share_out")
    m.week = 30
    m.channels.fire(m, "ora")
    assert m.ora_in_force and m.ora_week == 30 and m.ttg_in_force  # Through the Gate with the trusts
    no_ttg = model_for("ora_only", **{"tr.channels.through_the_gate": False})
    no_ttg.channels.fire(no_ttg, "ora")
    assert no_ttg.ora_in_force and not no_ttg.ttg_in_force


def test_every_low_medium_risk_community_start_lands_in_its_crcs_pbr_tally():
    m = model_for("tr")
    m.channels.fire(m, "share_out")
    m.week = 60
    m.channels.fire(m, "sale")
    rows = hand_population(m, 40, state=State.COMMUNITY, sentence_kind=SentenceKind.COMMUNITY, week_end=200,
                           rosh=[Rosh.LOW, Rosh.MEDIUM, Rosh.HIGH, Rosh.VERY_HIGH] * 10, org=-1, officer=-1)
    m.pop.cpa[rows] = 0
    open_cohorts(m, rows, SentenceKind.COMMUNITY)  # before any allocation: the rule, not the officer, decides
    crc, nps = int(m.areas.crc_of[0]), int(m.areas.nps_of[0])
    low = m.pop.rosh[rows] < Rosh.HIGH
    assert (m.pop.cohort_org[rows[low]] == crc).all() and (m.pop.cohort_org[rows[~low]] == nps).all()
    m.pop.cohort_proven[rows] = np.arange(40) % 3
    m.week = 60 + 52
    from model.week.cases import close_cohorts

    close_cohorts(m)
    q = 60 // 13
    assert m.pbr.tally[crc, q, 0] == 20 and m.pbr.tally[crc, q, 1] == int((m.pop.cohort_proven[rows[low]] > 0).sum())
    assert m.pbr.quarter_active[crc, q] and m.pbr.tally[nps].sum() == 0


def test_contact_off_leaves_no_case_without_an_officer_and_parks_nothing():
    params = simulate.build_parameters("tr", {"tr.mechanisms.contact": False}, seed=2, end="2020-12-31")
    frame = simulate.run("tr", params).timeseries
    late = frame[frame["date"] >= "2019-01-01"]
    assert late["parked"].max() == 0
    assert late["unallocated"].mean() < 0.01 * late["under_supervision"].mean()
    assert (late["remote_share_crc"] == params.supervision.remote_share_trust).all()  # the share in use
