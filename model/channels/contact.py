"""Mechanism 2 - intensity and structure of contact (seed 000).

A CRC run by contract sets its own operating model: a higher caseload cap (``supervision.caseload_cap_crc``)
and more remote contact (``supervision.remote_share_crc``); under PbR it parks hard cases
(``supervision.parking_depth`` for OGRS >= ``supervision.parking_ogrs``, IOM cases too unless IOM is in the
contract) and supports fewer IOM places (``iom.crc_withdrawal``); in loss it raises its cap and remote share,
in surplus it brings them back. Off: CRCs keep the trusts' operating model.

It alone writes the CRCs' caseload caps, remote shares and parking, and the IOM support in
``OperatingModel``, from the CRC's contract (set by the market at the sale, whose hooks run first) and its
quarterly reviews."""

from __future__ import annotations

from agents.states import Regime
from model.channels.base import Channel


class Contact(Channel):
    name = "contact"

    def setup(self, model, ops) -> None:
        ops.iom_protected = self.params.policy.iom_in_contract

    def on_sale(self, model) -> None:
        s, ops = self.params.supervision, model.ops
        for crc in model.crcs():
            if crc.sold:
                ops.cap[crc.index] = s.caseload_cap_crc
                ops.remote[crc.index] = s.remote_share_crc
                ops.parks[crc.index] = crc.pbr_active

    def on_review(self, model, crc, review, rng) -> None:
        """A CRC's operating model after its quarterly review: up a step in loss, back a step in surplus."""
        if not crc.sold:
            return
        s, f, ops, k = self.params.supervision, self.params.finance, model.ops, crc.index
        if review.cut_share > 0:
            ops.cap[k] *= 1.0 + f.loss_response_cap_rise
            ops.remote[k] = min(s.remote_share_max, ops.remote[k] + f.loss_response_remote_step)
        elif review.restore_posts > 0:
            ops.cap[k] = max(s.caseload_cap_crc, ops.cap[k] / (1.0 + f.loss_response_cap_rise))
            ops.remote[k] = max(s.remote_share_crc, ops.remote[k] - f.loss_response_remote_step)

    def on_reunification(self, model) -> None:
        for crc in model.crcs():
            model.ops.parks[crc.index] = False

    def operating_model(self, model, ops) -> None:
        p = self.params
        under_pbr = any(c.pbr_active for c in model.crcs())
        if model.regime == Regime.SPLIT and under_pbr and not p.policy.iom_in_contract:
            ops.iom_support[:] = 1.0 - p.iom.crc_withdrawal
