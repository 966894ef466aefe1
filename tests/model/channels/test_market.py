"""The market channel: the sale, contracts, fees and reconciliation."""

from __future__ import annotations

import pytest

from tests.helpers import model_for


def test_fee_reconciliation_on_a_hand_built_contract_year():
    from agents.crc import Contract

    c = Contract(price=10.0, forecast=100.0, band=0.1, fixed_costs_per_week=0.0, pbr_pot_per_quarter=0.0,
                 baseline=(0.475, 4.2), year_start=0)
    c.year_volume = 52 * 100.0 * 0.95  # within the band: the forecast was paid and stands
    assert c.reconciliation(52) == 0.0
    c.year_volume = 52 * 100.0 * 0.70  # 30% short: 20% of the forecast beyond the band is repaid
    assert c.reconciliation(52) == pytest.approx(-10.0 * 52 * 100.0 * 0.20)
    c.year_volume = 52 * 100.0 * 1.25  # 25% over: 15% beyond the band is paid
    assert c.reconciliation(52) == pytest.approx(10.0 * 52 * 100.0 * 0.15)


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
