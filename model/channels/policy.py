"""Policy events: the dates at which TR's channels act (``model/channels``).

Each event is declared once (``EVENTS``: its date, its name, the channels and the policy switch it needs). It
is scheduled at its date with Mesa's event API (or applied before the first week if its date is on or before
the start) when it happens in the run's world and some channel acts at it; firing it calls every channel's
hook for it, in ``registry.ORDER``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from model.channels.registry import BY_NAME


@dataclass(frozen=True)
class EventDeclaration:
    """A policy event: the date parameter it happens at, its name in the calendar, the channels without which
    it does not happen, and the policy switch that must be on for it."""

    date_field: str
    label: str
    needs: tuple[str, ...] = ()
    switch: str = ""

    def happens(self, params) -> bool:
        on = all(getattr(params.tr, BY_NAME[c].group).__dict__[c] for c in self.needs)
        return on and (not self.switch or bool(getattr(params.policy, self.switch)))


EVENTS = {
    "share_out": EventDeclaration("share_out_date", "NPS/CRC share-out", ("split",)),
    "sale": EventDeclaration("crc_sale_date", "CRCs to their owners", ("split", "market")),
    "ora": EventDeclaration("ora_date", "ORA commencement"),
    "variation": EventDeclaration("variation_date", "CRC contract variation", ("split", "market"), "contract_variation"),
    "termination_announced": EventDeclaration("termination_announced_date", "CRC contracts to end early",
                                              ("split", "market"), "early_termination"),
    "ttg_enhanced": EventDeclaration("ttg_enhanced_date", "Through the Gate enhanced", ("through_the_gate", "split", "market")),
    "reunification": EventDeclaration("reunification_date", "Reunification", ("split",), "reunify"),
}


@dataclass
class PolicyEvent:
    name: str
    date: dt.date
    apply: Callable
    applied: bool = False
    model: object = None

    def fire(self) -> None:
        """Apply the event to its model (the callable Mesa's event list holds)."""
        self.apply(self.model)
        self.applied = True


def occurs(model, key: str) -> bool:
    """Whether an event happens in the model's world: its channels and switch are on and some channel acts at it."""
    return EVENTS[key].happens(model.params) and model.channels.acts_at(key)


def timeline(model) -> list[PolicyEvent]:
    """The events that happen in this world and at which some channel acts, in date order."""
    pol = model.params.policy
    events = []
    for key, event in EVENTS.items():
        if occurs(model, key):
            label = event.label + (" under PbR" if key == "sale" and pol.pbr else "")
            events.append(PolicyEvent(label, dt.date.fromisoformat(getattr(pol, event.date_field)),
                                      lambda m, key=key: m.channels.fire(m, key)))
    return sorted(events, key=lambda e: e.date)


def schedule(model) -> list[PolicyEvent]:
    """The scenario's events, each applied now if its date is on or before the start, else put on
    Mesa's event list between the weeks of its date."""
    events = timeline(model)
    for event in events:
        event.model = model
        week = model.cal.week_of(event.date)
        if week <= 0:
            event.fire()
        elif week < model.cal.n_weeks:
            model.schedule_event(event.fire, at=week + 0.5)
    return events
