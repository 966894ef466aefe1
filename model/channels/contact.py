"""Mechanism 2 - intensity and structure of contact (seed 000).

A CRC run by contract sets its own operating model: a higher caseload cap (``supervision.caseload_cap_crc``)
and more remote contact (``supervision.remote_share_crc``); under PbR it parks hard cases
(``supervision.parking_depth`` for OGRS >= ``supervision.parking_ogrs``, IOM cases too unless IOM is in the
contract) and supports fewer IOM places (``iom.crc_withdrawal``); in loss it raises its cap and remote share,
in surplus it brings them back. Off: CRCs keep the trusts' operating model."""

from __future__ import annotations

from agents import CommunityRehabilitationCompany
from agents.states import Regime
from model.channels.base import Channel


class Contact(Channel):
    name = "contact"
    needs_split = True

    def on_sale(self, model) -> None:
        p = self.params
        for crc in model.crcs():
            if crc.sold:
                crc.caseload_cap = p.supervision.caseload_cap_crc
                crc.remote_share = p.supervision.remote_share_crc
                crc.parking = crc.pbr_active

    def adapt(self, model, crc, response) -> None:
        """A CRC's operating model after its quarterly review: up a step in loss, back a step in surplus."""
        if not self.on or not crc.sold:
            return
        p = self.params
        s, f = p.supervision, p.finance
        if response.cut_share > 0:
            crc.caseload_cap *= 1.0 + f.loss_response_cap_rise
            crc.remote_share = min(s.remote_share_max, crc.remote_share + f.loss_response_remote_step)
        elif response.restore_posts > 0:
            crc.caseload_cap = max(s.caseload_cap_crc, crc.caseload_cap / (1.0 + f.loss_response_cap_rise))
            crc.remote_share = max(s.remote_share_crc, crc.remote_share - f.loss_response_remote_step)

    def operating_model(self, model, ops) -> None:
        if not self.on:
            return
        p = self.params
        ops.iom_protected = p.policy.iom_in_contract
        under_pbr = any(c.pbr_active for c in model.of_type(CommunityRehabilitationCompany))
        if model.regime == Regime.SPLIT and under_pbr and not p.policy.iom_in_contract:
            ops.iom_support[:] = 1.0 - p.iom.crc_withdrawal
