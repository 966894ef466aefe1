"""TR's channels, each declared once: its name, where its switch lives, the class that carries it, what its
switch means and where that comes from, and the channels whose hooks run before its own at the same moment.

Everything else is derived from ``CHANNELS``: the switches ``tr.channels.*`` and ``tr.mechanisms.*`` and the
rules ``tr.rules.*`` in the parameter tree (``model/parameters.py``), the order in which hooks run
(``ORDER``), the structural-parameter list, and the channel tables of the docs. This module imports nothing
of the model's, so the parameter tree can be built from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelDeclaration:
    """One way TR changes the world."""

    name: str
    group: str  # "channels" (TR's structural changes) or "mechanisms" (its effect on an IOM mechanism)
    rule: str  # the class that carries it, ``module:Class``
    doc: str  # what switching it off removes
    source: str
    after: tuple[str, ...] = ()  # channels whose hooks run before this one's at the same event or review

    @property
    def switch(self) -> str:
        return f"tr.{self.group}.{self.name}"


CHANNELS: tuple[ChannelDeclaration, ...] = (
    ChannelDeclaration("ora", "channels", "model.channels.ora:Ora",
                       "ORA: licence and post-sentence supervision for short terms (offences from policy.ora_date)",
                       "seeds 000, 002: Offender Rehabilitation Act 2014"),
    ChannelDeclaration("through_the_gate", "channels", "model.channels.through_the_gate:ThroughTheGate",
                       "Through the Gate: resettlement work in custody's last weeks, from ORA commencement",
                       "seeds 003, 004: resettlement prisons"),
    ChannelDeclaration("split", "channels", "model.channels.split:Split",
                       "the split: cases and staff shared out, transfers on escalation, CRC staff churn, reunification",
                       "seeds 000, 003: trusts split into the NPS and 21 CRCs"),
    ChannelDeclaration("market", "channels", "model.channels.market:Market",
                       "the market: CRCs sold, paid by contract (fees, PbR), answering losses and gains, supply chain",
                       "seeds 001, 003, 004; DOMAIN.md: CRCs sold and paid by contract", after=("split",)),
    ChannelDeclaration("relationships", "mechanisms", "model.channels.relationships:Relationships",
                       "transfer resets, profit-motive discount, CRC training gap", "seed 000 mechanism 1",
                       after=("market",)),
    ChannelDeclaration("contact", "mechanisms", "model.channels.contact:Contact",
                       "PbR prioritisation/parking, remote contact, CRC contact standards", "seed 000 mechanism 2",
                       after=("market",)),
    ChannelDeclaration("interagency", "mechanisms", "model.channels.interagency:InterAgencyWorking",
                       "trust shocks, confidentiality, IT access, co-location loss, breach incentives",
                       "seed 000 mechanism 3; seed 001", after=("split", "market")),
)
BY_NAME = {c.name: c for c in CHANNELS}


def hook_order(channels: tuple[ChannelDeclaration, ...] = CHANNELS) -> tuple[str, ...]:
    """The channels in the order their hooks run: each after those it names, otherwise as declared."""
    done: list[str] = []
    pending = list(channels)
    while pending:
        ready = next((c for c in pending if all(a in done for a in c.after)), None)
        if ready is None:
            raise ValueError(f"channels {[c.name for c in pending]} name each other in 'after'")
        done.append(ready.name)
        pending.remove(ready)
    return tuple(done)


ORDER = hook_order()
