"""The split: the share-out of cases, staff and ties; reunification."""

from __future__ import annotations

from agents.states import Agency, Regime
from tests.helpers import model_for


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
