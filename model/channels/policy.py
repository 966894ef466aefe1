"""Policy events: the dates at which TR's channels act (``model/channels``).

Each event is scheduled at its date with Mesa's event API (or applied before the first week if its date
is on or before the start) when some channel acts at it; firing it calls every channel's hook for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# event -> (the policy date it happens at, its name in the calendar)
EVENTS = {
    "share_out": ("share_out_date", "NPS/CRC share-out"),
    "sale": ("crc_sale_date", "CRCs to their owners"),
    "ora": ("ora_date", "ORA commencement"),
    "variation": ("variation_date", "CRC contract variation"),
    "termination_announced": ("termination_announced_date", "CRC contracts to end early"),
    "ttg_enhanced": ("ttg_enhanced_date", "Through the Gate enhanced"),
    "reunification": ("reunification_date", "Reunification"),
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


def timeline(model) -> list[PolicyEvent]:
    """The events at which some channel acts, in date order."""
    pol = model.params.policy
    events = []
    for key, (date_field, name) in EVENTS.items():
        if model.channels.acts_at(key):
            label = name + (" under PbR" if key == "sale" and pol.pbr and model.channels.market.on else "")
            events.append(PolicyEvent(label, dt.date.fromisoformat(getattr(pol, date_field)),
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
