"""Phase c - allocation: cases to agencies and officers; IOM cohort selection."""

from __future__ import annotations

import numpy as np

from model.jit import group_by_small_int, kernel, smallest_k_by_group
from model.states import Agency, Grade, Offence, SentenceKind, State

COMMUNITY, LICENCE, CUSTODY, FREE = int(State.COMMUNITY), int(State.LICENCE), int(State.CUSTODY), int(State.FREE)
ROBBERY_BURGLARY = int(Offence.ROBBERY_BURGLARY)
LONG_CUSTODY, SHORT_CUSTODY = int(SentenceKind.LONG_CUSTODY), int(SentenceKind.SHORT_CUSTODY)

IOM_RECENT_RELEASE_WEEKS = 26  # assumption: non-statutory IOM covers recent short-sentence leavers


def supervised_mask(model, v: slice) -> np.ndarray:
    """Rows on a probation caseload: in the community on an order/licence, or in custody
    serving a sentence that carries supervision (12 months+, recalls, and ORA cases)."""
    pop = model.pop
    return _supervised_mask(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v])


@kernel
def is_supervised(state, sentence_kind, recalled, ora) -> bool:
    """One row of supervised_mask."""
    custody_with_supervision = (state == CUSTODY) & (
        (sentence_kind == LONG_CUSTODY) | recalled | (ora & (sentence_kind == SHORT_CUSTODY)))
    return (state == COMMUNITY) | (state == LICENCE) | custody_with_supervision


@kernel
def _supervised_mask(state, sentence_kind, recalled, ora):
    out = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        out[i] = is_supervised(state[i], sentence_kind[i], recalled[i], ora[i])
    return out


def required_provider(model, rows: np.ndarray) -> np.ndarray:
    """The organisation that should hold each case under the regime in force."""
    pop = model.pop
    if model.regime == "trusts":
        return model.trust_org[pop.home_trust[rows]]
    cpa = pop.cpa[rows]
    if model.regime == "reunified":
        return model.nps_org_of_cpa[cpa]
    high = pop.rosh[rows] >= model.params.tr.nps_case_share_rosh
    return np.where(high, model.nps_org_of_cpa[cpa], model.crc_org_of_cpa[cpa])


def assign(model, rows: np.ndarray, candidates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Give ``rows`` officers from ``candidates`` with free places under the employer's cap,
    spread at random over the free places; return the rows left without one."""
    staff = model.staff
    if rows.size == 0 or candidates.size == 0:
        return rows
    cap = model.org_cap[staff.employer[candidates]]
    free = np.maximum(np.floor(cap - staff.caseload[candidates]).astype(np.int64), 0)
    total = int(free.sum())
    if total == 0:
        return rows
    slots = np.repeat(candidates, free)
    take = min(rows.size, total)
    chosen = slots[rng.choice(total, size=take, replace=False)]
    got = rows[:take]
    model.pop.officer[got] = chosen
    staff.caseload += np.bincount(chosen, minlength=staff.n).astype(staff.caseload.dtype)
    return rows[take:]


def allocation(model) -> None:
    """Allocate unallocated caseload to the right organisation and an officer with room."""
    pop, staff, w = model.pop, model.staff, model.week
    rng = model.streams.get("allocation", w)
    v = pop.view()
    sup = supervised_mask(model, v)
    # A new sentence can end statutory supervision (e.g. a short term replacing a long one).
    stale = np.flatnonzero(~sup & (pop.officer[v] >= 0))
    if stale.size:
        model.unassign(stale)
        pop.org[stale], pop.agency[stale] = -1, Agency.NONE
    rows = np.flatnonzero(sup & (pop.officer[v] < 0))
    model.select_iom_cohort(sup, rng)
    if rows.size == 0:
        return
    org = required_provider(model, rows)
    moved = (pop.org[rows] >= 0) & (pop.org[rows] != org)
    pop.org[rows] = org
    pop.agency[rows] = model.org_agency[org]
    pop.relationship[rows[moved]] *= model.transfer_keep
    rows = rows[rng.permutation(rows.size)]
    # Teams: (organisation, area) in ascending order; cases keep their random order within a team.
    n_cpa = len(model.cpas)
    key = pop.org[rows].astype(np.int64) * n_cpa + pop.cpa[rows]
    order = np.argsort(key, kind="stable")
    rows, key = rows[order], key[order]
    posts = np.flatnonzero(staff.filled & staff.funded)
    post_key = staff.employer[posts].astype(np.int64) * n_cpa + staff.cpa[posts]
    posts = posts[np.argsort(post_key, kind="stable")]
    post_key = np.sort(post_key, kind="stable")
    teams, starts = np.unique(key, return_index=True)
    ends = np.append(starts[1:], key.size)
    lo, hi = np.searchsorted(post_key, teams, "left"), np.searchsorted(post_key, teams, "right")
    for k in range(teams.size):
        case, officers = rows[starts[k]:ends[k]], posts[lo[k]:hi[k]]
        iom_first = case[pop.iom[case]]
        left_iom = assign(model, iom_first, officers[staff.iom[officers]], rng)
        high = case[~pop.iom[case] & (pop.rosh[case] >= 2)]
        high = np.concatenate([left_iom[pop.rosh[left_iom] >= 2], high])
        assign(model, high, officers[staff.grade[officers] == Grade.PO], rng)
        rest = np.concatenate([left_iom[pop.rosh[left_iom] < 2], case[~pop.iom[case] & (pop.rosh[case] < 2)]])
        assign(model, rest, officers, rng)


def iom_eligible(model, v: slice, sup: np.ndarray) -> np.ndarray:
    """Adults meeting the OGRS rule, supervised or recently out of a short sentence."""
    p, pop = model.params, model.pop
    return _iom_eligible(model.week, sup, pop.state[v], pop.ogrs[v], pop.offence[v], pop.sentence_kind[v],
                         pop.week_released[v], pop.age[v], np.float32(p.iom.ogrs_threshold),
                         np.float32(p.iom.ogrs_profile_threshold))


@kernel
def _iom_eligible(w, sup, state, ogrs, offence, sentence_kind, week_released, age, threshold, profile_threshold):
    out = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        rule = (ogrs[i] >= threshold) | ((ogrs[i] >= profile_threshold) & (offence[i] == ROBBERY_BURGLARY))
        recent_short = ((state[i] == FREE) & (sentence_kind[i] == SHORT_CUSTODY)
                        & (w - week_released[i] < IOM_RECENT_RELEASE_WEEKS))
        in_community = sup[i] & (state[i] != CUSTODY)
        out[i] = rule & (age[i] >= 18) & (in_community | recent_short)
    return out


def select_iom_cohort(model, sup: np.ndarray, rng: np.random.Generator) -> None:
    """Drop those no longer eligible; fill each CPA's places, highest OGRS first (ties: lower row)."""
    pop = model.pop
    v = pop.view()
    n_cpa = len(model.cpas)
    eligible = iom_eligible(model, v, sup)
    live_sup, current = _keep_eligible(pop.iom[v], eligible, sup, pop.state[v], pop.cpa[v], n_cpa)
    places = np.floor(model.params.iom.capacity_per_1000 / 1000.0 * live_sup * model.iom_support).astype(np.int64)
    free = places - current
    if (free <= 0).all():
        return
    cand = np.flatnonzero(eligible & ~pop.iom[v])
    cc = pop.cpa[cand]
    by_area, bounds = group_by_small_int(cc, n_cpa)
    pop.iom[cand[smallest_k_by_group(-pop.ogrs[cand], by_area, bounds, free)]] = True


@kernel
def _keep_eligible(iom, eligible, sup, state, cpa, n_cpa):
    """Drop the IOM flag of the ineligible at large; count supervised-at-large and cohort by area."""
    live_sup = np.zeros(n_cpa, dtype=np.int64)
    current = np.zeros(n_cpa, dtype=np.int64)
    for i in range(iom.shape[0]):
        in_custody = state[i] == CUSTODY
        iom[i] &= eligible[i] | in_custody
        live_sup[cpa[i]] += sup[i] & ~in_custody
        current[cpa[i]] += iom[i]
    return live_sup, current
