"""Phase i - risk dynamics: risk of harm changes; escalated CRC cases move to the NPS after a
delay set by inter-agency trust and information flow."""

from __future__ import annotations

import numpy as np

from model.states import Agency, State


def risk(model) -> None:
    """Escalate and de-escalate RoSH; request and complete CRC-to-NPS transfers."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("risk", w)
    v = pop.view()
    n = pop.high_water
    u = rng.random(n)
    state = pop.state[v]
    in_system = (state == State.COMMUNITY) | (state == State.LICENCE) | (state == State.CUSTODY)
    rosh = pop.rosh[v]
    up = in_system & (rosh < 2) & (u[v] < p.risk.escalation_per_week * pop.ogrs[v] / 50.0)
    down = in_system & (rosh == 2) & (u[v] > 1.0 - p.risk.deescalation_per_week)
    rosh[up] = 2
    rosh[down] = 1
    # Escalated CRC cases are referred to the NPS.
    refer = np.flatnonzero(up & (pop.agency[v] == Agency.CRC) & (pop.week_transfer[v] < 0))
    pop.week_transfer[refer] = w + model.transfer_delay(refer)
    due = np.flatnonzero((pop.week_transfer[v] >= 0) & (pop.week_transfer[v] <= w))
    pop.week_transfer[due] = -1
    move = due[(pop.agency[due] == Agency.CRC) & (pop.rosh[due] >= 2) & (model.regime == "split")]
    if move.size:
        pop.org[move] = model.nps_org_of_cpa[pop.cpa[move]]
        pop.agency[move] = Agency.NPS
        model.unassign(move)
        pop.relationship[move] *= model.transfer_keep
        model.counts["transfers_crc_to_nps"] += move.size
