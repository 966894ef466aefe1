"""A hypothesis as a channel rule: CRCs keep their contact face to face whatever their losses.

The model's contact mechanism (model/channels/contact.py) lets a CRC under contract set a higher share of
remote contact at the sale and raise it further at each quarterly review in loss. This rule keeps the rest
of that mechanism (caseload caps, parking, IOM support) but holds remote contact at the trusts' level.
Name it in a scenario file (experiments/data/scenarios/tr_steady_remote.toml does):

    [parameters]
    "tr.rules.contact" = "examples.steady_remote_contact:SteadyRemoteContact"

docs/extending.md walks through it.
"""

from __future__ import annotations

from model.channels.contact import Contact


class SteadyRemoteContact(Contact):
    """The contact mechanism with remote contact held at the trusts' share."""

    def on_sale(self, model) -> None:
        super().on_sale(model)
        for crc in model.crcs():
            model.ops.remote[crc.index] = self.params.supervision.remote_share_trust

    def on_review(self, model, crc, review, rng) -> None:
        remote = model.ops.remote[crc.index]
        super().on_review(model, crc, review, rng)
        model.ops.remote[crc.index] = remote
