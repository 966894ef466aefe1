"""Phase c - allocation: cases to agencies and officers; IOM cohort selection."""

from __future__ import annotations

import numpy as np

from model.jit import kernel
from model.states import Agency, Grade, Offence, SentenceKind, State

COMMUNITY, LICENCE, CUSTODY = int(State.COMMUNITY), int(State.LICENCE), int(State.CUSTODY)
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
    if state == COMMUNITY or state == LICENCE:
        return True
    return state == CUSTODY and (sentence_kind == LONG_CUSTODY or recalled or (ora and sentence_kind == SHORT_CUSTODY))


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
    np.add.at(staff.caseload, chosen, 1)
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
    working = staff.filled & staff.funded
    for o in np.unique(pop.org[rows]):
        mine = rows[pop.org[rows] == o]
        for c in np.unique(pop.cpa[mine]):
            case = mine[pop.cpa[mine] == c]
            officers = working & (staff.employer == o) & (staff.cpa == c)
            iom_first = case[pop.iom[case]]
            left_iom = assign(model, iom_first, np.flatnonzero(officers & staff.iom), rng)
            high = case[~pop.iom[case] & (pop.rosh[case] >= 2)]
            high = np.concatenate([left_iom[pop.rosh[left_iom] >= 2], high])
            assign(model, high, np.flatnonzero(officers & (staff.grade == Grade.PO)), rng)
            rest = np.concatenate([left_iom[pop.rosh[left_iom] < 2], case[~pop.iom[case] & (pop.rosh[case] < 2)]])
            assign(model, rest, np.flatnonzero(officers), rng)


def iom_eligible(model, v: slice, sup: np.ndarray) -> np.ndarray:
    """Adults meeting the OGRS rule, supervised or recently out of a short sentence."""
    p, pop, w = model.params, model.pop, model.week
    ogrs = pop.ogrs[v]
    rule = (ogrs >= p.iom.ogrs_threshold) | (
        (ogrs >= p.iom.ogrs_profile_threshold) & (pop.offence[v] == Offence.ROBBERY_BURGLARY))
    recent_short = ((pop.state[v] == State.FREE) & (pop.sentence_kind[v] == SentenceKind.SHORT_CUSTODY)
                    & (w - pop.week_released[v] < IOM_RECENT_RELEASE_WEEKS))
    in_community = sup & (pop.state[v] != State.CUSTODY)
    return rule & (pop.age[v] >= 18) & (in_community | recent_short)


def select_iom_cohort(model, sup: np.ndarray, rng: np.random.Generator) -> None:
    """Drop those no longer eligible; fill each CPA's places, highest OGRS first."""
    pop = model.pop
    v = pop.view()
    eligible = iom_eligible(model, v, sup)
    in_custody = pop.state[v] == State.CUSTODY
    pop.iom[v] &= eligible | in_custody
    n_cpa = len(model.cpas)
    cpa = pop.cpa[v]
    live_sup = sup & ~in_custody
    places = np.floor(model.params.iom.capacity_per_1000 / 1000.0
                      * np.bincount(cpa[live_sup], minlength=n_cpa) * model.iom_support).astype(np.int64)
    current = np.bincount(cpa[pop.iom[v]], minlength=n_cpa)
    free = places - current
    if (free <= 0).all():
        return
    cand = np.flatnonzero(eligible & ~pop.iom[v])
    order = np.lexsort((-pop.ogrs[cand], cpa[cand]))
    cand = cand[order]
    cc = cpa[cand]
    start = np.searchsorted(cc, np.arange(n_cpa))
    rank = np.arange(cand.size) - start[cc]
    pop.iom[cand[rank < free[cc]]] = True
