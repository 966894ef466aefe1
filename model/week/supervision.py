"""Weekly phase - supervision: officers' hours shared across their caseloads by the employer's
operating model; contact dose and quality for each case."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from agents.officer import contact_quality as officer_contact_quality
from agents.states import Agency, SentenceKind, State
from model.engine.kernels import count_by, kernel, rows_where
from model.week.cases import is_supervised
from model.world.population import bundle

CUSTODY, COMMUNITY_ORDER = int(State.CUSTODY), int(SentenceKind.COMMUNITY)
contact_quality = kernel(officer_contact_quality)


CaseColumns = bundle("CaseColumns", ("state", "sentence_kind", "recalled", "ora", "rosh", "iom", "ttg", "ogrs", "officer",
                                     "org", "contact", "dose", "quality", "parked"), __name__)
"""The population columns the supervision pass reads and writes."""


class Standards(NamedTuple):
    """Contact standards (hours a week) and the parking rule."""

    by_rosh: tuple[float, float, float, float]  # low, medium, high, very high
    unpaid_keep: float  # share of the low-risk standard kept for a community order (much of it unpaid work)
    iom_hours: float
    ttg_hours: float
    custody_hours: float
    parking_ogrs: float
    iom_protected: bool


def supervision(model) -> None:
    """Share each officer's hours over their cases; record contact, dose and quality.

    contact = demand x min(1, officer's hours / officer's demand); dose = contact / standard;
    quality = officer quality (skill, stress) x medium (remote share x remote quality)."""
    pop, staff, p = model.pop, model.staff, model.params
    s, v = p.supervision, pop.view()
    c = CaseColumns.of(pop, v)
    on_caseload = _reset_and_find_caseloads(c)
    rows = rows_where(on_caseload)
    staff.caseload[:] = count_by(pop.officer, rows, staff.n)
    if rows.size == 0:
        staff.demand[:] = 0.0
        return
    k = Standards(by_rosh=(float(s.standard_low), float(s.standard_medium), float(s.standard_high), float(s.standard_high)),
                  unpaid_keep=1 - s.unpaid_work_share, iom_hours=p.iom.contact_hours, ttg_hours=s.standard_ttg,
                  custody_hours=s.standard_custody, parking_ogrs=s.parking_ogrs, iom_protected=model.ops.iom_protected)
    std, may_park = _standards_and_demand(on_caseload, c, k)
    demand = std  # the demand is the standard unless the employer parks the case
    if model.ops.parks.any():
        demand = std.copy()
        _park(rows_where(may_park), c, model.ops.parks, std, demand, 1 - s.parking_depth)
    staff.demand[:] = _sum_by_officer(rows, demand, pop.officer, staff.n)
    staff.supply[:] = np.maximum(np.where(staff.working(), s.contact_hours_per_fte, 0.0) - court_hours_per_post(model), 0.0)
    ratio = np.where(staff.demand > 0, np.minimum(1.0, staff.supply / np.maximum(staff.demand, 1e-9)), 0.0)
    medium = 1.0 - model.ops.remote * (1.0 - s.remote_quality)  # by organisation
    iom_contact = _contact(rows, c, std, demand, ratio, medium, staff.skill, staff.stress, p.workforce.stress_quality_loss)
    model.counts["iom_contact_hours"] += float(iom_contact.sum())
    model.counts["iom_case_weeks"] += iom_contact.size


def court_hours_per_post(model) -> np.ndarray:
    """Each post's share of its area's court work this week (reports and assessments for the week's disposals,
    enforcement of last week's breaches): done by the trusts before the split and by the NPS after it."""
    staff = model.staff
    agency = model.ops.agency[staff.employer]
    court = staff.working() & ((agency == Agency.TRUST) | (agency == Agency.NPS))
    posts = np.bincount(staff.cpa[court], minlength=model.areas.n)
    per_post = model.court_hours / np.maximum(posts, 1)
    return np.where(court, per_post[staff.cpa], 0.0)


@kernel
def _reset_and_find_caseloads(c):
    """Clear last week's contact; flag the cases on an officer's caseload (vectorisable: no stores by index)."""
    on_caseload = np.empty(c.state.shape[0], dtype=np.bool_)
    for i in range(c.state.shape[0]):
        c.contact[i] = 0.0
        c.dose[i] = 0.0
        c.quality[i] = 0.0
        c.parked[i] = False
        on_caseload[i] = (c.officer[i] >= 0) & is_supervised(c.state[i], c.sentence_kind[i], c.recalled[i], c.ora[i])
    return on_caseload


@kernel
def contact_standard(rosh, community_order, iom, in_custody, ttg, k):
    """Weekly hours a case should get: by risk of harm (the low-risk community-order standard cut to
    ``unpaid_keep``), at least the IOM standard for IOM cases; in custody, sentence planning or, in the
    last weeks before release, Through the Gate resettlement work."""
    b = k.by_rosh  # selects, not a lookup or early returns, so that the pass over rows vectorises
    x = b[0] if rosh == 0 else (b[1] if rosh == 1 else (b[2] if rosh == 2 else b[3]))
    x = x * k.unpaid_keep if community_order & (rosh == 0) else x
    x = max(x, k.iom_hours) if iom else x
    in_prison = k.ttg_hours if ttg else k.custody_hours
    return in_prison if in_custody else x


@kernel
def _standards_and_demand(on_caseload, c, k):
    """Each row's contact standard (the demand before parking), and the cases that a parking employer
    would park (OGRS at or above the parking threshold; not IOM cases when IOM is protected)."""
    n = c.state.shape[0]
    std = np.empty(n, dtype=np.float64)
    may_park = np.empty(n, dtype=np.bool_)
    for i in range(n):
        std[i] = contact_standard(c.rosh[i], c.sentence_kind[i] == COMMUNITY_ORDER, c.iom[i], c.state[i] == CUSTODY,
                                  c.ttg[i], k)
        may_park[i] = on_caseload[i] & (c.ogrs[i] >= k.parking_ogrs) & ~(k.iom_protected & c.iom[i])
    return std, may_park


@kernel
def _park(rows, c, org_parks, std, demand, keep):
    """Cases whose employer parks: flagged, and their demand cut to ``keep`` of the standard."""
    for i in rows:
        if org_parks[max(c.org[i], 0)]:
            c.parked[i] = True
            demand[i] = std[i] * keep


@kernel
def _sum_by_officer(rows, demand, officer, n_staff):
    """Demand summed by officer, in row order."""
    out = np.zeros(n_staff, dtype=np.float64)
    for i in rows:
        out[officer[i]] += demand[i]
    return out


@kernel
def _contact(rows, c, std, demand, ratio, medium, skill, stress, stress_loss):
    """Each case's contact hours, dose (share of its standard, at most 1.5) and quality (officer x medium);
    returns the contact hours of IOM cases at liberty, in row order."""
    out = np.empty(rows.shape[0], dtype=np.float64)
    m = 0
    for j in range(rows.shape[0]):
        i = rows[j]
        o = c.officer[i]
        hours = demand[i] * ratio[o]
        c.contact[i] = hours
        out[m] = hours
        m += c.iom[i] & (c.state[i] != CUSTODY)
        c.dose[i] = min(hours / max(std[i], 1e-6), 1.5)
        c.quality[i] = contact_quality(np.float64(skill[o]), np.float64(stress[o]), stress_loss) * medium[c.org[i]]
    return out[:m]
