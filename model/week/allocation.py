"""Weekly phase - allocation: cases to agencies and officers; IOM cohort selection."""

from __future__ import annotations

import numpy as np

from agents.states import Agency, Grade, Offence, SentenceKind, State
from model.engine.kernels import group_by_small_int, kernel, rows_where, smallest_k_by_group
from model.engine.keyed_draws import random_bits_at, uniform, uniforms_at
from model.week.cases import is_supervised, required_provider, unassign

COMMUNITY, LICENCE, CUSTODY, FREE = int(State.COMMUNITY), int(State.LICENCE), int(State.CUSTODY), int(State.FREE)
ROBBERY_BURGLARY = int(Offence.ROBBERY_BURGLARY)
LONG_CUSTODY, SHORT_CUSTODY = int(SentenceKind.LONG_CUSTODY), int(SentenceKind.SHORT_CUSTODY)

ORDER, PICK, IOM_TIES = 0, 1, 2  # parts of the week's keyed draws: cases' order, places drawn, IOM ties


@kernel
def _caseload_masks(state, sentence_kind, recalled, ora, officer):
    """Masks: supervised; holding an officer though no longer supervised; supervised without an officer."""
    n = state.shape[0]
    sup, stale, waiting = np.empty(n, dtype=np.bool_), np.empty(n, dtype=np.bool_), np.empty(n, dtype=np.bool_)
    for i in range(n):
        s = is_supervised(state[i], sentence_kind[i], recalled[i], ora[i])
        sup[i] = s
        stale[i] = (not s) & (officer[i] >= 0)
        waiting[i] = s & (officer[i] < 0)
    return sup, stale, waiting


def allocation(model) -> None:
    """Allocate unallocated caseload to the right organisation and an officer with room."""
    pop, staff, w = model.pop, model.staff, model.week
    v = pop.view()
    sup, stale, rows = _caseload_masks(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v], pop.officer[v])
    # A new sentence can end statutory supervision (e.g. a short term replacing a long one).
    stale, rows = rows_where(stale), rows_where(rows)
    if stale.size:
        unassign(model, stale)
        pop.org[stale], pop.agency[stale] = -1, Agency.NONE
    select_iom_cohort(model, sup)
    if rows.size == 0:
        return
    org = required_provider(model, rows)
    moved = (pop.org[rows] >= 0) & (pop.org[rows] != org)
    pop.org[rows] = org
    pop.agency[rows] = model.ops.agency[org]
    pop.relationship[rows[moved]] *= model.ops.transfer_keep
    # Teams: (organisation, area) in ascending order; cases in a random order within a team.
    n_cpa = model.areas.n
    key = pop.org[rows].astype(np.int64) * n_cpa + pop.cpa[rows]
    shuffle = model.streams.key("allocation", w, ORDER)
    order = np.argsort(key * (1 << 40) + (random_bits_at(shuffle, rows) >> 24).astype(np.int64), kind="stable")
    rows, key = rows[order], key[order]
    posts = np.flatnonzero(staff.filled & staff.funded)
    post_key = staff.employer[posts].astype(np.int64) * n_cpa + staff.cpa[posts]
    order = np.argsort(post_key, kind="stable")
    posts, post_key = posts[order], post_key[order]
    teams, starts = np.unique(key, return_index=True)
    bounds = np.append(starts, key.size)
    lo, hi = np.searchsorted(post_key, teams, "left"), np.searchsorted(post_key, teams, "right")
    free = np.floor(model.ops.cap[staff.employer] - staff.caseload)
    _allocate(rows, bounds, posts, lo, hi, pop.iom, pop.rosh, staff.iom, staff.grade == Grade.PO, free,
              staff.caseload, pop.officer, model.streams.key("allocation", w, PICK))


@kernel
def _allocate(rows, bounds, posts, lo, hi, iom, rosh, post_iom, post_po, free, caseload, officer, key):
    """For each team: IOM cases to IOM officers first; then high risk of harm (and IOM cases left over)
    to probation officers; then everyone left to any officer. Each group's cases, in order, take
    places drawn at random without replacement from the officers' free places under the cap (a post with
    f free places is f places). The cap is the organisation's aim, not a wall: cases beyond the places go,
    one by one, to the team's officer with the fewest cases."""
    draws = 0
    for t in range(bounds.shape[0] - 1):
        case = rows[bounds[t]:bounds[t + 1]]
        team = posts[lo[t]:hi[t]]
        iom_cases = case[iom[case]]
        left = _assign(iom_cases, team[post_iom[team]], free, caseload, officer, key, draws)
        draws += iom_cases.shape[0] - left.shape[0]
        others = case[~iom[case]]
        high = np.concatenate((left[rosh[left] >= 2], others[rosh[others] >= 2]))
        unplaced_high = _assign(high, team[post_po[team]], free, caseload, officer, key, draws)
        draws += high.shape[0] - unplaced_high.shape[0]
        rest = np.concatenate((left[rosh[left] < 2], others[rosh[others] < 2]))
        unplaced = _assign(rest, team, free, caseload, officer, key, draws)
        draws += rest.shape[0] - unplaced.shape[0]
        _overflow(np.concatenate((unplaced_high, unplaced)), team, caseload, officer)


@kernel
def _overflow(cases, team, caseload, officer):
    """Each case to the team's officer with the fewest cases (the first such in team order)."""
    if team.shape[0] == 0:
        return
    for c in cases:
        best = team[0]
        for p in team:
            if caseload[p] < caseload[best]:
                best = p
        officer[c] = best
        caseload[best] += 1


@kernel
def _assign(cases, candidates, free, caseload, officer, key, first_draw):
    """Give the first cases places drawn without replacement (a partial Fisher-Yates shuffle of the
    candidates' free places); return the cases left without one."""
    total = 0
    for c in candidates:
        total += max(free[c], 0.0)
    take = min(cases.shape[0], int(total))
    if take == 0:
        return cases
    places = np.empty(int(total), dtype=np.int64)
    m = 0
    for c in candidates:
        for _ in range(int(max(free[c], 0.0))):
            places[m] = c
            m += 1
    for j in range(take):
        r = j + int(uniform(key, first_draw + j) * (m - j))
        places[j], places[r] = places[r], places[j]
        officer[cases[j]] = places[j]
        caseload[places[j]] += 1
        free[places[j]] -= 1.0
    return cases[take:]


def select_iom_cohort(model, sup: np.ndarray) -> None:
    """Drop those no longer eligible; fill each CPA's places, highest OGRS first (ties in a random order)."""
    p, pop = model.params, model.pop
    v = pop.view()
    n_cpa = model.areas.n
    candidate = _review_iom(model.week, sup, pop.state[v], pop.ogrs[v], pop.offence[v], pop.sentence_kind[v],
                            pop.week_released[v], pop.age[v], p.iom.ogrs_threshold,
                            p.iom.ogrs_profile_threshold, p.iom.recent_release_weeks, pop.iom[v])
    live_sup, current = _count_by_area(sup, pop.state[v], pop.iom[v], pop.cpa[v], n_cpa)
    places = np.floor(p.iom.capacity_per_1000 / 1000.0 * live_sup * model.ops.iom_support).astype(np.int64)
    free = places - current
    if (free <= 0).all():
        return
    cand = rows_where(candidate)
    by_area, bounds = group_by_small_int(pop.cpa[cand], n_cpa)
    rank = -pop.ogrs[cand] + uniforms_at(model.streams.key("allocation", model.week, IOM_TIES), cand)
    pop.iom[cand[smallest_k_by_group(rank, by_area, bounds, free)]] = True


@kernel
def _review_iom(w, sup, state, ogrs, offence, sentence_kind, week_released, age, threshold, profile_threshold,
                recent_weeks, iom):
    """Eligibility: adults meeting the OGRS rule, supervised in the community or recently out of a short
    sentence. The ineligible at large leave IOM; returns the mask of the eligible not in it."""
    candidate = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        rule = (ogrs[i] >= threshold) | ((ogrs[i] >= profile_threshold) & (offence[i] == ROBBERY_BURGLARY))
        recent_short = ((state[i] == FREE) & (sentence_kind[i] == SHORT_CUSTODY)
                        & (w - week_released[i] < recent_weeks))
        in_custody = state[i] == CUSTODY
        eligible = rule & (age[i] >= 18) & ((sup[i] & ~in_custody) | recent_short)
        iom[i] &= eligible | in_custody
        candidate[i] = eligible & ~iom[i]
    return candidate


@kernel
def _count_by_area(sup, state, iom, cpa, n_cpa):
    """Supervised people at large, and the IOM cohort, by area."""
    live_sup = np.zeros(n_cpa, dtype=np.int64)
    current = np.zeros(n_cpa, dtype=np.int64)
    for i in range(state.shape[0]):
        live_sup[cpa[i]] += sup[i] & (state[i] != CUSTODY)
        current[cpa[i]] += iom[i]
    return live_sup, current
