"""Phase h - compliance and enforcement: absences, breach decisions, NPS enforcement, recall."""

from __future__ import annotations

import numpy as np

from agents.nps import NationalProbationService
from model.states import ACCOMMODATION, Agency, SentenceKind, State

SWIFT_WEEKS = 1  # seed 000: IOM's agreed swift response to breach


def enforcement(model) -> None:
    """Count absences; decide breaches by the employer's incentives; carry out those due."""
    p, pop, w = model.params, model.pop, model.week
    e = p.enforcement
    rng = model.streams.get("enforcement", w)
    v = pop.view()
    n = pop.high_water
    u_miss, u_act, u_out, u_push = rng.random(n), rng.random(n), rng.random(n), rng.random(n)
    state = pop.state[v]
    active = ((state == State.COMMUNITY) | (state == State.LICENCE)) & (pop.officer[v] >= 0)
    unmet_home = pop.need[v][:, ACCOMMODATION] & ~pop.need_met[v][:, ACCOMMODATION]
    p_miss = e.miss_prob * (0.5 + pop.ogrs[v] / 100.0) * (1.5 - pop.relationship[v]) * (1.0 + unmet_home)
    p_miss = p_miss * np.minimum(pop.dose[v], 1.0)  # an absence is noticed only where contact is due
    missed = np.flatnonzero(active & (u_miss[v] < p_miss) & (pop.week_breach[v] < 0))
    pop.warnings[missed] += 1
    due = missed[pop.warnings[missed] > e.warnings_before_breach]
    org = pop.org[due]
    act = u_act[due] < model.org_breach_prob[org]
    acted = due[act]
    pop.warnings[due[~act]] = 0
    delay = np.where(pop.iom[acted] & (model.info_of_rows(acted) > 0.5), SWIFT_WEEKS,
                     model.enforcement_delay(acted))
    pop.week_breach[acted] = w + delay
    model.counts["breaches"] += acted.size
    # A CRC under PbR may push troublesome licence cases to the NPS for recall (seed 003).
    push = np.flatnonzero(active & (state == State.LICENCE) & (model.org_recall_push[np.maximum(pop.org[v], 0)] > 0)
                          & (pop.ogrs[v] >= p.supervision.parking_ogrs) & (pop.week_breach[v] < 0))
    push = push[u_push[push] < e.miss_prob * model.org_recall_push[pop.org[push]]]
    accepted = push[u_out[push] < NationalProbationService.recall_acceptance(model.nps_crc_trust_of_rows(push))]
    pop.week_breach[accepted] = w + model.enforcement_delay(accepted)
    model.counts["recall_requests_pushed"] += accepted.size
    # Breaches whose hearing or decision is this week.
    now = np.flatnonzero((pop.week_breach[v] >= 0) & (pop.week_breach[v] <= w))
    pop.week_breach[now] = -1
    pop.warnings[now] = 0
    now = now[np.isin(pop.state[now], (State.COMMUNITY, State.LICENCE))]
    lic = now[pop.state[now] == State.LICENCE]
    model.recall(lic)
    com = now[pop.state[now] == State.COMMUNITY]
    revoked = com[u_out[com] < e.breach_custody_prob]
    model.terminate(revoked, completed=False)
    pop.state[revoked] = State.CUSTODY
    pop.sentence_kind[revoked] = SentenceKind.SHORT_CUSTODY
    pop.week_release[revoked] = w + np.maximum(1, np.ceil(rng.exponential(6.0, n)[revoked])).astype(np.int32)
    pop.week_end[revoked] = pop.week_release[revoked] * 2 - w
    pop.ora[revoked] = model.ora_in_force
    pop.agency[revoked] = Agency.NONE
    model.counts["breach_custody"] += revoked.size
