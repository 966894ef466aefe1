"""Weekly phase - risk dynamics: risk of harm changes; escalated CRC cases move to the NPS after a
delay set by inter-agency trust and information flow."""

from __future__ import annotations

import numpy as np

from agents.states import Agency, Regime, State
from model.engine.kernels import kernel, rows_due, rows_where
from model.engine.keyed_draws import uniform
from model.week.cases import unassign

COMMUNITY, LICENCE, CUSTODY, CRC = int(State.COMMUNITY), int(State.LICENCE), int(State.CUSTODY), int(Agency.CRC)


def risk(model) -> None:
    """Escalate and de-escalate RoSH; request and complete CRC-to-NPS transfers."""
    p, pop, w = model.params, model.pop, model.week
    v = pop.view()
    refer = _escalate(pop.state[v], pop.rosh[v], pop.ogrs[v], pop.agency[v], pop.week_transfer[v], model.streams.key("risk", w),
                      p.risk.escalation_per_week, p.risk.deescalation_per_week)
    refer = rows_where(refer)
    pop.week_transfer[refer] = w + np.maximum(model.channels.interagency.delay(model, refer, p.risk.transfer_delay_weeks), 1)
    due = rows_due(pop.week_transfer[v], w)
    pop.week_transfer[due] = -1
    move = due[(pop.agency[due] == Agency.CRC) & (pop.rosh[due] >= 2) & (model.regime == Regime.SPLIT)]
    if move.size:
        pop.org[move] = model.areas.nps_of[pop.cpa[move]]
        pop.agency[move] = Agency.NPS
        unassign(model, move)
        pop.relationship[move] *= model.ops.transfer_keep
        model.counts["transfers_crc_to_nps"] += move.size


@kernel
def _escalate(state, rosh, ogrs, agency, week_transfer, key, escalation, deescalation):
    """Move RoSH up (weekly chance escalation x OGRS / 50) or down (weekly chance deescalation), one
    uniform each; mask of escalated CRC cases not yet referred."""
    refer = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        s = state[i]
        u = uniform(key, i)
        in_system = (s == COMMUNITY) | (s == LICENCE) | (s == CUSTODY)
        up = in_system & (rosh[i] < 2) & (u < escalation * ogrs[i] / 50.0)
        down = in_system & (rosh[i] == 2) & (u >= 1.0 - deescalation)
        rosh[i] = 2 if up else (1 if down else rosh[i])
        refer[i] = up & (agency[i] == CRC) & (week_transfer[i] < 0)
    return refer
