"""ORA: the Offender Rehabilitation Act 2014 (seeds 000, 002; DOMAIN.md, "The law").

From commencement, custodial terms under two years for offences committed from that day carry a licence
and post-sentence supervision to 12 months after release (``model/week/sentences.py`` and ``model/week/custody.py``
apply the law; this channel only says from which week of offending it applies)."""

from __future__ import annotations

from model.channels.base import Channel


class Ora(Channel):
    name = "ora"

    def on_ora(self, model) -> None:
        model.ora_in_force = True
        model.ora_week = model.week  # offences committed from this week on
