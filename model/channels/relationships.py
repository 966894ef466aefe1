"""Mechanism 1 - offender-staff relationships (seed 000, Evans 2014).

TR breaks relationships when cases move between the NPS and a CRC ("to-ing and fro-ing": a move keeps
``relationships.transfer_keep``, less than an officer change within an organisation keeps), caps them
where the owner is seen as profit-driven ("they can suss people out": the ceiling falls by
``relationships.profit_discount`` x perception), and CRCs' training without the PQF lowers their staff's
skill ceiling. Off: a move costs what an officer change costs, and sold CRCs are like the trusts."""

from __future__ import annotations

from model.channels.base import Channel


class Relationships(Channel):
    name = "relationships"

    def setup(self, model, ops) -> None:
        ops.transfer_keep = self.params.relationships.transfer_keep

    def on_sale(self, model) -> None:
        p, ops = self.params, model.ops
        for crc in model.crcs():
            if crc.sold:
                ops.profit_perception[crc.index] = 1.0 if crc.for_profit else p.relationships.mutual_profit_perception
                ops.skill_ceiling[crc.index] = p.workforce.skill_ceiling_crc
