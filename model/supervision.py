"""Phase d - supervision: officers' hours shared across their caseloads by the employer's
operating model; contact dose and quality for each case."""

from __future__ import annotations

import numpy as np

from agents.officer import contact_quality as officer_contact_quality
from agents.states import SentenceKind, State
from model.allocation import is_supervised
from model.jit import count_by, kernel, rows_where

CUSTODY, COMMUNITY_ORDER = int(State.CUSTODY), int(SentenceKind.COMMUNITY)
contact_quality = kernel(officer_contact_quality)


def supervision(model) -> None:
    """Share each officer's hours over their cases; record contact, dose and quality."""
    pop, staff = model.pop, model.staff
    s, v = model.params.supervision, pop.view()
    on_caseload = _reset_and_find_caseloads(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v],
                                            pop.officer[v], pop.contact[v], pop.dose[v], pop.quality[v], pop.parked[v])
    rows = rows_where(on_caseload)
    staff.caseload[:] = count_by(pop.officer, rows, staff.n)
    if rows.size == 0:
        staff.demand[:] = 0.0
        return
    by_rosh = np.array([s.standard_low, s.standard_medium, s.standard_high, s.standard_high])
    std, demand, may_park = _standards_and_demand(
        on_caseload, pop.state[v], pop.sentence_kind[v], pop.rosh[v], pop.iom[v], pop.ttg[v], pop.ogrs[v], by_rosh,
        1 - s.unpaid_work_share, model.params.iom.contact_hours, s.standard_medium, s.standard_custody,
        s.parking_ogrs, model.ops.iom_protected)
    if model.ops.parks.any():
        _park(rows_where(may_park), pop.org, model.ops.parks, std, demand, pop.parked, 1 - s.parking_depth)
    staff.demand[:] = _sum_by_officer(rows, demand, pop.officer, staff.n)
    staff.supply[:] = np.where(staff.working(), s.contact_hours_per_fte, 0.0)
    ratio = np.where(staff.demand > 0, np.minimum(1.0, staff.supply / np.maximum(staff.demand, 1e-9)), 0.0)
    iom_contact = _contact(rows, std, demand, ratio, pop.officer, pop.org, pop.contact, pop.dose, pop.quality,
                           model.ops.remote, 1.0 - s.remote_quality, staff.skill, staff.stress,
                           model.params.workforce.stress_quality_loss, pop.iom, pop.state)
    model.counts["iom_contact_hours"] += float(iom_contact.sum())
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
def _standards_and_demand(on_caseload, state, sentence_kind, rosh, iom, ttg, ogrs, by_rosh, unpaid_keep, iom_hours,
                          ttg_hours, custody_hours, parking_ogrs, iom_protected):
    """Each row's contact standard (the demand before parking), and the cases that a parking employer
    would park. One vectorised pass: selects rather than branches or lookups."""
    n = state.shape[0]
    std = np.empty(n, dtype=np.float64)
    may_park = np.empty(n, dtype=np.bool_)
    b0, b1, b2, b3 = by_rosh[0], by_rosh[1], by_rosh[2], by_rosh[3]
    for i in range(n):
        r = rosh[i]
        x = b0 if r == 0 else (b1 if r == 1 else (b2 if r == 2 else b3))
        x = x * unpaid_keep if (sentence_kind[i] == COMMUNITY_ORDER) & (r == 0) else x
        x = max(x, iom_hours) if iom[i] else x
        x = (ttg_hours if ttg[i] else custody_hours) if state[i] == CUSTODY else x
        std[i] = x
        may_park[i] = on_caseload[i] & (ogrs[i] >= parking_ogrs) & ~(iom_protected & iom[i])
    return std, std.copy(), may_park


@kernel
def _park(rows, org, org_parks, std, demand, parked, keep):
    """Cases whose employer parks: flagged, and their demand cut to ``keep`` of the standard."""
    for i in rows:
        if org_parks[max(org[i], 0)]:
            parked[i] = True
            demand[i] = std[i] * keep


@kernel
def _sum_by_officer(rows, demand, officer, n_staff):
    """Demand summed by officer, in row order."""
    out = np.zeros(n_staff, dtype=np.float64)
    for i in rows:
        out[officer[i]] += demand[i]
    return out


@kernel
def _contact(rows, std, demand, ratio, officer, org, contact, dose, quality, org_remote, remote_loss, skill, stress,
             stress_loss, iom, state):
    """Each case's contact hours, dose (share of its standard) and quality (officer and medium); returns
    the contact hours of IOM cases at liberty, in row order."""
    out = np.empty(rows.shape[0], dtype=np.float64)
    m = 0
    for j in range(rows.shape[0]):
        i = rows[j]
        o = officer[i]
        c = demand[i] * ratio[o]
        contact[i] = c
        out[m] = c
        m += iom[i] & (state[i] != CUSTODY)
        dose[i] = min(c / max(std[i], 1e-6), 1.5)
        medium = 1.0 - org_remote[org[i]] * remote_loss
        quality[i] = contact_quality(np.float64(skill[o]), np.float64(stress[o]), stress_loss) * medium
    return out[:m]
