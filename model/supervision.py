"""Phase d - supervision: officers' hours shared across their caseloads by the employer's
operating model; contact dose and quality for each case."""

from __future__ import annotations

import numpy as np

from agents.officer import ProbationOfficer
from model.allocation import supervised_mask
from model.states import SentenceKind, State


def contact_standard(model, rows: np.ndarray) -> np.ndarray:
    """Weekly contact hours a case should get."""
    s, pop = model.params.supervision, model.pop
    by_rosh = np.array([s.standard_low, s.standard_medium, s.standard_high, s.standard_high])
    std = by_rosh[pop.rosh[rows]]
    unpaid = (pop.sentence_kind[rows] == SentenceKind.COMMUNITY) & (pop.rosh[rows] == 0)
    std = np.where(unpaid, std * (1 - s.unpaid_work_share), std)
    std = np.where(pop.iom[rows], np.maximum(std, model.params.iom.contact_hours), std)
    in_custody = pop.state[rows] == State.CUSTODY
    ttg = in_custody & pop.ttg[rows]
    return np.where(in_custody, np.where(ttg, s.standard_medium, s.standard_custody), std).astype(np.float32)


def supervision(model) -> None:
    """Share each officer's hours over their cases; record contact, dose and quality."""
    pop, staff = model.pop, model.staff
    v = pop.view()
    sup = supervised_mask(model, v)
    pop.contact[v] = 0.0
    pop.dose[v] = 0.0
    pop.quality[v] = 0.0
    pop.parked[v] = False
    rows = np.flatnonzero(sup & (pop.officer[v] >= 0))
    staff.caseload[:] = np.bincount(pop.officer[rows], minlength=staff.n)
    if rows.size == 0:
        staff.demand[:] = 0.0
        return
    std = contact_standard(model, rows)
    org = pop.org[rows]
    parks = model.org_parks[org] & (pop.ogrs[rows] >= model.params.supervision.parking_ogrs)
    if model.iom_protected:
        parks &= ~pop.iom[rows]
    demand = np.where(parks, std * (1 - model.params.supervision.parking_depth), std)
    pop.parked[rows] = parks
    officer = pop.officer[rows]
    staff.demand[:] = np.bincount(officer, weights=demand, minlength=staff.n)
    staff.supply[:] = np.where(staff.working(), model.params.supervision.contact_hours_per_fte, 0.0)
    ratio = np.where(staff.demand > 0, np.minimum(1.0, staff.supply / np.maximum(staff.demand, 1e-9)), 0.0)
    contact = demand * ratio[officer]
    pop.contact[rows] = contact
    pop.dose[rows] = np.minimum(contact / np.maximum(std, 1e-6), 1.5)
    remote = model.org_remote[org]
    medium = 1.0 - remote * (1.0 - model.params.supervision.remote_quality)
    officer_q = ProbationOfficer.contact_quality(staff.skill[officer], staff.stress[officer])
    pop.quality[rows] = officer_q * medium
    iom_rows = pop.iom[rows] & (pop.state[rows] != State.CUSTODY)
    model.counts["iom_contact_hours"] += float(contact[iom_rows].sum())
    model.counts["iom_case_weeks"] += int(iom_rows.sum())
