"""Mechanism 3 - inter-agency working and communication (seeds 000, 001).

At the split the new ties start with less trust (``information.reorganisation_shock``) and police and CRC
staff stop being co-located (unless ``policy.keep_colocation``); a for-profit CRC's commercial
confidentiality slows trust growth and cuts information (``information.confidentiality_penalty``) and CRC
staff lose IT access (``information.it_access_penalty``), unless data sharing is mandated; a CRC under PbR
under-breaches (``enforcement.crc_underbreach``) and pushes recalls onto the NPS
(``enforcement.crc_recall_push``); and what passes between a CRC and the NPS (enforcement, transfers) waits
longer as NPS-CRC trust falls. Off: ties carry over whole and co-located, nothing is confidential, and a
CRC case goes through the NPS as fast as a trust case went through its trust."""

from __future__ import annotations

import numpy as np

from agents.states import Agency
from model.channels.base import Channel
from model.world.network import POLICE_PROBATION


class InterAgencyWorking(Channel):
    name = "interagency"

    def on_share_out(self, model) -> None:
        """The ties the split just made lose trust; police and CRC staff are no longer co-located."""
        p = self.params
        ties = model.ties
        for row in model.new_ties:
            ties.trust[row] *= 1.0 - p.information.reorganisation_shock
            partner = model.orgs[ties.b[row]]
            if ties.kind[row] == POLICE_PROBATION and partner.agency == Agency.CRC and not p.policy.keep_colocation:
                ties.colocated[row] = False

    def setup(self, model, ops) -> None:
        """Without mandated data sharing, CRC staff reach less of the police's systems."""
        if not self.params.policy.data_sharing_mandated:
            ops.access[ops.agency == Agency.CRC] = 1.0 - self.params.information.it_access_penalty

    def on_sale(self, model) -> None:
        """Under PbR a CRC breaches less and pushes recalls; a for-profit owner keeps its data to itself."""
        p, ops = self.params, model.ops
        for crc in model.crcs():
            if crc.sold and crc.pbr_active:
                ops.breach_prob[crc.index] = p.enforcement.breach_prob_public * (1.0 - p.enforcement.crc_underbreach)
                ops.recall_push[crc.index] = p.enforcement.crc_recall_push
            if crc.for_profit and not p.policy.data_sharing_mandated:
                ops.confidential[crc.index] = 1.0

    def delay(self, model, rows: np.ndarray, base: float) -> np.ndarray:
        """Weeks for a step that passes between a CRC and the NPS (enforcement, a transfer): ``base``, divided
        for CRC cases by the NPS-CRC trust relative to the reference trust (floored at 0.2)."""
        crc = model.pop.agency[rows] == Agency.CRC
        if not self.on or not crc.any():
            return np.full(rows.size, int(round(base)), dtype=np.int32)
        norm = model.interagency.nps_crc_trust_of_rows(model, rows) / model.interagency.reference_trust
        return np.ceil(np.where(crc, base / np.maximum(norm, 0.2), base)).astype(np.int32)
