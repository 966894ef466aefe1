"""Through the Gate: resettlement work with prisoners in their last weeks inside (seeds 003, 004).

From ORA commencement (resettlement prisons, 2015) the supervising organisation works with each prisoner
for the last ``policy.ttg_weeks`` before release - CRCs after the split, the trusts where there is no
split. From ``policy.ttg_enhanced_date`` (2019) it is paid separately and enhanced: CRCs get a yearly
payment and add posts (CALIBRATION.md, Inputs)."""

from __future__ import annotations

from agents.states import Regime
from model.channels.base import Channel
from model.engine.calendar import WEEKS_PER_YEAR
from model.week.workforce import fund_reserved_posts


class ThroughTheGate(Channel):
    name = "through_the_gate"

    def on_ora(self, model) -> None:
        model.ttg_in_force = True

    def on_ttg_enhanced(self, model) -> None:
        """CRCs run by contract are paid for enhanced TTG and add posts for it."""
        if model.regime != Regime.SPLIT:
            return
        f = self.params.finance
        for crc in model.crcs():
            if not (crc.active and crc.sold):
                continue
            share = model.areas.share[crc.cpas[0]]
            crc.ttg_payment_per_week = f.ttg_payment_gbp_m * 1e6 * share / WEEKS_PER_YEAR
            fund_reserved_posts(model, crc)  # finance.ttg_staff x the area's share, reserved when built
