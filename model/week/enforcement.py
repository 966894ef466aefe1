"""Weekly phase - compliance and enforcement: absences, breach decisions, NPS enforcement, recall."""

from __future__ import annotations

import numpy as np

from agents.nps import NationalProbationService
from agents.states import ACCOMMODATION, SentenceKind, State, need_bit
from model.engine.kernels import kernel, rows_due, rows_where
from model.engine.keyed_draws import exponential_at, uniform, uniforms_at
from model.week.cases import commit_for_pss_breach, recall
from model.week.sentences import impose_custody

COMMUNITY, LICENCE = int(State.COMMUNITY), int(State.LICENCE)
HOME = need_bit(ACCOMMODATION)
ABSENCE, ACT, OUTCOME, PUSH, TERM = range(5)  # parts of the week's keyed draws


def enforcement(model) -> None:
    """Count absences; decide breaches by the employer's incentives; carry out those due."""
    p, pop, w = model.params, model.pop, model.week
    e = p.enforcement
    key = model.streams.key
    v = pop.view()
    missed, push = _absences_and_pushes(pop.state[v], pop.officer[v], pop.need[v], pop.need_met[v], pop.ogrs[v],
                                        pop.relationship[v], pop.dose[v], pop.week_breach[v],
                                        bool(model.ops.recall_push.max(initial=0.0) > 0), key("enforcement", w, ABSENCE),
                                        e.miss_prob, p.supervision.parking_ogrs)
    missed, push = rows_where(missed), rows_where(push)
    push = push[model.ops.recall_push[np.maximum(pop.org[push], 0)] > 0]
    pop.warnings[missed] += 1
    due = missed[pop.warnings[missed] > e.warnings_before_breach]
    org = pop.org[due]
    act = uniforms_at(key("enforcement", w, ACT), due) < model.ops.breach_prob[org]
    acted = due[act]
    pop.warnings[due[~act]] = 0
    swift = pop.iom[acted] & (model.interagency.info_of_rows(model, acted) > p.iom.swift_information_threshold)
    delay = np.where(swift, p.iom.swift_breach_weeks,
                     model.channels.interagency.delay(model, acted, e.decision_weeks))
    pop.week_breach[acted] = w + delay
    model.counts["breaches"] += acted.size
    np.add.at(model.enforcement_actions, pop.cpa[acted], 1.0)  # court work for the court-facing service
    # A CRC under PbR may push troublesome licence cases to the NPS for recall (seed 003).
    push = push[pop.week_breach[push] < 0]  # not those whose breach was just set in motion
    push = push[uniforms_at(key("enforcement", w, PUSH), push) < e.miss_prob * model.ops.recall_push[pop.org[push]]]
    accepted = push[nps_accepts(model, push, uniforms_at(key("enforcement", w, OUTCOME), push))]
    pop.week_breach[accepted] = w + model.channels.interagency.delay(model, accepted, e.decision_weeks)
    model.counts["recall_requests_pushed"] += accepted.size
    # Breaches whose hearing or decision is this week.
    now = rows_due(pop.week_breach[v], w)
    pop.week_breach[now] = -1
    pop.warnings[now] = 0
    state = pop.state[now]
    now = now[(state == State.COMMUNITY) | (state == State.LICENCE)]
    u = uniforms_at(key("enforcement", w, OUTCOME), now)
    lic = pop.state[now] == State.LICENCE
    in_licence = lic & (pop.week_licence_end[now] > w)
    recall(model, now[in_licence])  # recall only during the licence
    pss = lic & ~in_licence  # after the licence: to the magistrates' court
    committed = now[pss & (u < e.pss_committal_prob)]
    commit_for_pss_breach(model, committed)
    model.counts["pss_breaches_to_court"] += int(pss.sum())
    com = pop.state[now] == State.COMMUNITY
    to_custody = np.where(pop.suspended[now], e.sso_activation_prob, e.breach_custody_prob)
    revoked = now[com & (u < to_custody)]
    weeks = 2 * np.maximum(1, np.ceil(exponential_at(key("enforcement", w, TERM), e.revoked_custody_weeks, revoked)))
    impose_custody(model, revoked, weeks.astype(np.int32), np.full(revoked.size, SentenceKind.SHORT_CUSTODY, np.int8))
    model.counts["breach_custody"] += revoked.size


def nps_accepts(model, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Each NPS division decides on the CRC recall requests from its areas (mask over ``rows``)."""
    accepted = np.zeros(rows.size, dtype=bool)
    if rows.size:
        trust = model.interagency.nps_crc_trust_of_rows(model, rows)
        cpa = model.pop.cpa[rows]
        for decision in model.agents_by_type[NationalProbationService].map("accept_recall_requests", cpa, trust, u):
            accepted |= decision
    return accepted


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
