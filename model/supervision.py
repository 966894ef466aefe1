"""Phase d - supervision: officers' hours shared across their caseloads by the employer's
operating model; contact dose and quality for each case."""

from __future__ import annotations

import numpy as np

from agents.officer import contact_quality
from model.allocation import is_supervised
from model.jit import kernel
from model.states import SentenceKind, State

CUSTODY, COMMUNITY_ORDER = int(State.CUSTODY), int(SentenceKind.COMMUNITY)


def supervision(model) -> None:
    """Share each officer's hours over their cases; record contact, dose and quality."""
    pop, staff = model.pop, model.staff
    s, v = model.params.supervision, pop.view()
    by_rosh = np.array([s.standard_low, s.standard_medium, s.standard_high, s.standard_high])
    rows, std, demand, demand_sum = _caseloads_and_demand(
        pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v], pop.officer[v], pop.rosh[v], pop.iom[v],
        pop.ttg[v], pop.org[v], pop.ogrs[v], pop.contact[v], pop.dose[v], pop.quality[v], pop.parked[v], staff.caseload,
        by_rosh, 1 - s.unpaid_work_share, model.params.iom.contact_hours, s.standard_medium, s.standard_custody,
        model.org_parks, np.float32(s.parking_ogrs), model.iom_protected, 1 - s.parking_depth)
    if rows.size == 0:
        staff.demand[:] = 0.0
        return
    staff.demand[:] = demand_sum
    staff.supply[:] = np.where(staff.working(), s.contact_hours_per_fte, 0.0)
    ratio = np.where(staff.demand > 0, np.minimum(1.0, staff.supply / np.maximum(staff.demand, 1e-9)), 0.0)
    contact = _contact(rows, std, demand, ratio, pop.officer, pop.org, pop.contact, pop.dose, pop.quality,
                       model.org_remote, 1.0 - s.remote_quality, staff.skill, staff.stress)
    iom_rows = pop.iom[rows] & (pop.state[rows] != State.CUSTODY)
    model.counts["iom_contact_hours"] += float(contact[iom_rows].sum())
    model.counts["iom_case_weeks"] += int(iom_rows.sum())


@kernel
def _caseloads_and_demand(state, sentence_kind, recalled, ora, officer, rosh, iom, ttg, org, ogrs, contact, dose,
                          quality, parked, caseload, by_rosh, unpaid_keep, iom_hours, ttg_hours, custody_hours,
                          org_parks, parking_ogrs, iom_protected, parked_keep):
    """Reset last week's contact; count caseloads; each case's standard and (after parking) demand."""
    n = state.shape[0]
    caseload[:] = 0
    rows = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        contact[i] = dose[i] = quality[i] = 0.0
        parked[i] = False
        on_caseload = (officer[i] >= 0) & is_supervised(state[i], sentence_kind[i], recalled[i], ora[i])
        rows[m] = i
        m += on_caseload
        caseload[max(officer[i], 0)] += on_caseload
    rows = rows[:m]
    std = np.empty(m, dtype=np.float32)
    demand = np.empty(m, dtype=np.float32)
    demand_sum = np.zeros(caseload.shape[0], dtype=np.float64)
    for j in range(m):
        i = rows[j]
        x = by_rosh[rosh[i]]
        if sentence_kind[i] == COMMUNITY_ORDER and rosh[i] == 0:
            x = x * unpaid_keep
        if iom[i]:
            x = max(x, iom_hours)
        if state[i] == CUSTODY:
            x = ttg_hours if ttg[i] else custody_hours
        std[j] = x
        parks = org_parks[org[i]] and ogrs[i] >= parking_ogrs and not (iom_protected and iom[i])
        parked[i] = parks
        demand[j] = std[j] * np.float32(parked_keep) if parks else std[j]
        demand_sum[officer[i]] += demand[j]
    return rows, std, demand, demand_sum


@kernel
def _contact(rows, std, demand, ratio, officer, org, contact, dose, quality, org_remote, remote_loss, skill, stress):
    """Each case's contact hours, dose (share of its standard) and quality (officer and medium)."""
    f32 = np.float32
    out = np.empty(rows.shape[0], dtype=np.float32)
    for j in range(rows.shape[0]):
        i = rows[j]
        o = officer[i]
        c = demand[j] * ratio[o]
        out[j] = contact[i] = c
        dose[i] = min(c / max(std[j], f32(1e-6)), f32(1.5))
        medium = 1.0 - org_remote[org[i]] * remote_loss
        quality[i] = np.float64(contact_quality(skill[o], stress[o])) * medium
    return out
