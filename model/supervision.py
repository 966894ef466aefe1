"""Phase d - supervision: officers' hours shared across their caseloads by the employer's
operating model; contact dose and quality for each case."""

from __future__ import annotations

import numpy as np

from agents.officer import contact_quality
from model.allocation import is_supervised
from model.jit import count_by, kernel
from model.states import SentenceKind, State

CUSTODY, COMMUNITY_ORDER = int(State.CUSTODY), int(SentenceKind.COMMUNITY)


def supervision(model) -> None:
    """Share each officer's hours over their cases; record contact, dose and quality."""
    pop, staff = model.pop, model.staff
    s, v = model.params.supervision, pop.view()
    on_caseload = _reset_and_find_caseloads(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v],
                                            pop.officer[v], pop.contact[v], pop.dose[v], pop.quality[v], pop.parked[v])
    rows = np.flatnonzero(on_caseload)
    staff.caseload[:] = count_by(pop.officer, rows, staff.n)
    if rows.size == 0:
        staff.demand[:] = 0.0
        return
    by_rosh = np.array([s.standard_low, s.standard_medium, s.standard_high, s.standard_high])
    std, demand, demand_sum = _standards_and_demand(
        rows, pop.state, pop.sentence_kind, pop.officer, pop.rosh, pop.iom, pop.ttg, pop.org, pop.ogrs, pop.parked,
        by_rosh, 1 - s.unpaid_work_share, model.params.iom.contact_hours, s.standard_medium, s.standard_custody,
        model.org_parks, np.float32(s.parking_ogrs), model.iom_protected, 1 - s.parking_depth, staff.n)
    staff.demand[:] = demand_sum
    staff.supply[:] = np.where(staff.working(), s.contact_hours_per_fte, 0.0)
    ratio = np.where(staff.demand > 0, np.minimum(1.0, staff.supply / np.maximum(staff.demand, 1e-9)), 0.0)
    iom_contact = _contact(rows, std, demand, ratio, pop.officer, pop.org, pop.contact, pop.dose, pop.quality,
                           model.org_remote, 1.0 - s.remote_quality, staff.skill, staff.stress, pop.iom, pop.state)
    model.counts["iom_contact_hours"] += float(iom_contact.sum())  # numpy's float32 sum, as before
    model.counts["iom_case_weeks"] += iom_contact.size


@kernel
def _reset_and_find_caseloads(state, sentence_kind, recalled, ora, officer, contact, dose, quality, parked):
    """Clear last week's contact; flag the cases on an officer's caseload (vectorisable: no stores by index)."""
    on_caseload = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        contact[i] = 0.0
        dose[i] = 0.0
        quality[i] = 0.0
        parked[i] = False
        on_caseload[i] = (officer[i] >= 0) & is_supervised(state[i], sentence_kind[i], recalled[i], ora[i])
    return on_caseload


@kernel
def _standards_and_demand(rows, state, sentence_kind, officer, rosh, iom, ttg, org, ogrs, parked, by_rosh, unpaid_keep,
                          iom_hours, ttg_hours, custody_hours, org_parks, parking_ogrs, iom_protected, parked_keep,
                          n_staff):
    """Each case's contact standard and (after parking) demand; demand summed by officer in row order.
    Selects rather than branches: the conditions are mixed at random over rows."""
    m = rows.shape[0]
    std = np.empty(m, dtype=np.float32)
    demand = np.empty(m, dtype=np.float32)
    demand_sum = np.zeros(n_staff, dtype=np.float64)
    keep = np.float32(parked_keep)
    for j in range(m):
        i = rows[j]
        r = rosh[i]
        x = by_rosh[r]
        x = x * unpaid_keep if (sentence_kind[i] == COMMUNITY_ORDER) & (r == 0) else x
        x = max(x, iom_hours) if iom[i] else x
        x = (ttg_hours if ttg[i] else custody_hours) if state[i] == CUSTODY else x
        sj = np.float32(x)
        std[j] = sj
        parks = org_parks[org[i]] & (ogrs[i] >= parking_ogrs) & ~(iom_protected & iom[i])
        parked[i] = parks
        dj = sj * keep if parks else sj
        demand[j] = dj
        demand_sum[officer[i]] += dj
    return std, demand, demand_sum


@kernel
def _contact(rows, std, demand, ratio, officer, org, contact, dose, quality, org_remote, remote_loss, skill, stress,
             iom, state):
    """Each case's contact hours, dose (share of its standard) and quality (officer and medium); returns
    the contact hours of IOM cases at liberty, in row order."""
    f32 = np.float32
    out = np.empty(rows.shape[0], dtype=np.float32)
    m = 0
    for j in range(rows.shape[0]):
        i = rows[j]
        o = officer[i]
        c = demand[j] * ratio[o]
        contact[i] = c
        out[m] = c
        m += iom[i] & (state[i] != CUSTODY)
        dose[i] = min(c / max(std[j], f32(1e-6)), f32(1.5))
        medium = 1.0 - org_remote[org[i]] * remote_loss
        quality[i] = np.float64(contact_quality(skill[o], stress[o])) * medium
    return out[:m]
