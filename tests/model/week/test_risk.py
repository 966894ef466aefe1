"""Risk of harm moving and CRC-to-NPS transfers on hand-built cases."""

from __future__ import annotations

from agents.states import Agency, State
from model.week.risk import risk
from tests.helpers import hand_population, model_for


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
