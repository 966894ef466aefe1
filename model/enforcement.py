"""Phase h - compliance and enforcement: absences, breach decisions, NPS enforcement, recall."""

from __future__ import annotations

import numpy as np

from agents.nps import NationalProbationService
from agents.states import ACCOMMODATION, Agency, SentenceKind, State, need_bit
from model.jit import kernel, rows_due, rows_where
from model.keyed_draws import exponential_at, uniform, uniforms_at

COMMUNITY, LICENCE = int(State.COMMUNITY), int(State.LICENCE)
HOME = need_bit(ACCOMMODATION)
SWIFT_WEEKS = 1  # seed 000: IOM's agreed swift response to breach
REVOKED_CUSTODY_WEEKS = 6.0  # assumption: mean weeks served on a revoked order (a short term, released halfway)
ABSENCE, ACT, OUTCOME, PUSH, TERM = range(5)  # parts of the week's keyed draws


def enforcement(model) -> None:
    """Count absences; decide breaches by the employer's incentives; carry out those due."""
    p, pop, w = model.params, model.pop, model.week
    e = p.enforcement
    key = model.streams.key
    v = pop.view()
    missed, push = _absences_and_pushes(pop.state[v], pop.officer[v], pop.need[v], pop.need_met[v], pop.ogrs[v],
                                        pop.relationship[v], pop.dose[v], pop.week_breach[v],
                                        bool(model.org_recall_push.max(initial=0.0) > 0), key("enforcement", w, ABSENCE),
                                        e.miss_prob, p.supervision.parking_ogrs)
    missed, push = rows_where(missed), rows_where(push)
    push = push[model.org_recall_push[np.maximum(pop.org[push], 0)] > 0]
    pop.warnings[missed] += 1
    due = missed[pop.warnings[missed] > e.warnings_before_breach]
    org = pop.org[due]
    act = uniforms_at(key("enforcement", w, ACT), due) < model.org_breach_prob[org]
    acted = due[act]
    pop.warnings[due[~act]] = 0
    delay = np.where(pop.iom[acted] & (model.info_of_rows(acted) > 0.5), SWIFT_WEEKS,
                     model.enforcement_delay(acted))
    pop.week_breach[acted] = w + delay
    model.counts["breaches"] += acted.size
    # A CRC under PbR may push troublesome licence cases to the NPS for recall (seed 003).
    push = push[pop.week_breach[push] < 0]  # not those whose breach was just set in motion
    push = push[uniforms_at(key("enforcement", w, PUSH), push) < e.miss_prob * model.org_recall_push[pop.org[push]]]
    accepted = push[uniforms_at(key("enforcement", w, OUTCOME), push)
                    < NationalProbationService.recall_acceptance(model.nps_crc_trust_of_rows(push))]
    pop.week_breach[accepted] = w + model.enforcement_delay(accepted)
    model.counts["recall_requests_pushed"] += accepted.size
    # Breaches whose hearing or decision is this week.
    now = rows_due(pop.week_breach[v], w)
    pop.week_breach[now] = -1
    pop.warnings[now] = 0
    now = now[np.isin(pop.state[now], (State.COMMUNITY, State.LICENCE))]
    lic = now[pop.state[now] == State.LICENCE]
    model.recall(lic)
    com = now[pop.state[now] == State.COMMUNITY]
    revoked = com[uniforms_at(key("enforcement", w, OUTCOME), com) < e.breach_custody_prob]
    model.terminate(revoked, completed=False)
    pop.state[revoked] = State.CUSTODY
    pop.sentence_kind[revoked] = SentenceKind.SHORT_CUSTODY
    custody_weeks = exponential_at(key("enforcement", w, TERM), REVOKED_CUSTODY_WEEKS, revoked)
    pop.week_release[revoked] = w + np.maximum(1, np.ceil(custody_weeks)).astype(np.int32)
    pop.week_end[revoked] = pop.week_release[revoked] * 2 - w
    pop.ora[revoked] = model.ora_in_force
    pop.agency[revoked] = Agency.NONE
    model.counts["breach_custody"] += revoked.size


@kernel
def absence_chance(miss_prob, ogrs, relationship, homeless, dose):
    """Weekly chance of an unacceptable absence: base x (0.5 + OGRS/100) x (1.5 - relationship) x
    (2 if homeless) x min(dose, 1) (no appointments, no absences)."""
    return miss_prob * (0.5 + ogrs / 100.0) * (1.5 - relationship) * (2.0 if homeless else 1.0) * min(dose, 1.0)


@kernel
def _absences_and_pushes(state, officer, need, need_met, ogrs, relationship, dose, week_breach, any_push, key, miss_prob,
                         parking_ogrs):
    """Masks: rows missing an appointment this week, and high-OGRS licence cases that a CRC pushing recalls
    may push (when any does; the caller keeps those whose organisation pushes)."""
    n = state.shape[0]
    missed = np.empty(n, dtype=np.bool_)
    push = np.empty(n, dtype=np.bool_)
    for i in range(n):
        s = state[i]
        active = ((s == COMMUNITY) | (s == LICENCE)) & (officer[i] >= 0) & (week_breach[i] < 0)
        homeless = (need[i] & ~need_met[i] & HOME) != 0
        missed[i] = active & (uniform(key, i) < absence_chance(miss_prob, ogrs[i], relationship[i], homeless, dose[i]))
        push[i] = any_push & active & (s == LICENCE) & (ogrs[i] >= parking_ogrs)
    return missed, push
