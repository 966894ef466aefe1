"""Policy events: what each reform does to organisations, staff, cases and ties.

Each event is a function of the model, scheduled at its date with Mesa's event API (or
applied before the first week if its date is on or before the start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from agents.states import Agency, Grade, OwnerType, Regime
from model.allocation import supervised_mask
from model.cases import unassign
from model.network import NPS_CRC, POLICE_PROBATION, PROVIDER_VCS

# Owners as sold in Feb 2015: all CRCs went to private-led partnerships except Durham Tees
# Valley (ARCC, a staff-mutual-led partnership). Source: MoJ announcement Dec 2014.
MUTUAL_CPAS = {"Durham Tees Valley"}
OWNER_CHOICES = {"private": OwnerType.PRIVATE, "mutual": OwnerType.MUTUAL, "voluntary": OwnerType.VOLUNTARY}


@dataclass
class PolicyEvent:
    name: str
    date: dt.date
    apply: Callable
    applied: bool = False
    model: object = None

    def fire(self) -> None:
        """Apply the event to its model (the callable Mesa's event list holds)."""
        self.apply(self.model)
        self.applied = True


def schedule(model) -> list[PolicyEvent]:
    """The scenario's events, each applied now if its date is on or before the start, else put on
    Mesa's event list between the weeks of its date."""
    events = timeline(model)
    for event in events:
        event.model = model
        week = model.cal.week_of(event.date)
        if week <= 0:
            event.fire()
        elif week < model.cal.n_weeks:
            model.schedule_event(event.fire, at=week + 0.5)
    return events


def timeline(model) -> list[PolicyEvent]:
    """The events the scenario switches on, in date order."""
    pol = model.params.policy
    d = dt.date.fromisoformat
    events = []
    if pol.split:
        events.append(PolicyEvent("NPS/CRC share-out", d(pol.share_out_date), share_out))
        events.append(PolicyEvent("CRCs to new owners" + (" under PbR" if pol.pbr else ""),
                                  d(pol.crc_sale_date), crc_sale))
        if pol.contract_amendments:
            events.append(PolicyEvent("CRC contract amendments", d(pol.amendment_date), contract_amendment))
        if pol.reunify:
            events.append(PolicyEvent("Reunification", d(pol.reunification_date), reunify))
    if pol.ora:
        events.append(PolicyEvent("ORA commencement", d(pol.ora_date), ora_commencement))
    return sorted(events, key=lambda e: e.date)


def share_out(model) -> None:
    """Split every trust: high-RoSH cases and about half the staff to the NPS, the rest to the
    area's CRC; police, NPS, CRC and provider ties are created from the trusts' ties."""
    p, staff, pop = model.params, model.staff, model.pop
    model.regime = Regime.SPLIT
    inter = model.mechanism("interagency")
    shock = p.information.reorganisation_shock if inter else 0.0
    v = pop.view()
    sup = supervised_mask(model, v)
    high_cases = np.bincount(pop.officer[v][sup & (pop.officer[v] >= 0) & (pop.rosh[v] >= p.tr.nps_case_share_rosh)],
                             minlength=staff.n)
    all_cases = np.maximum(np.bincount(pop.officer[v][sup & (pop.officer[v] >= 0)], minlength=staff.n), 1)
    high_share = (high_cases / all_cases + p.tr.share_out_po_weight * (staff.grade == Grade.PO)
                  - p.tr.share_out_iom_weight * staff.iom)
    for c in range(model.areas.n):
        posts = np.flatnonzero(np.isin(staff.employer, model.areas.trust_org[model.areas.trusts_of[c]]))
        n_nps = int(round(p.tr.nps_staff_share * posts.size))
        order = posts[np.argsort(-high_share[posts], kind="stable")]
        staff.employer[order[:n_nps]] = model.areas.nps_of[c]
        staff.employer[order[n_nps:]] = model.areas.crc_of[c]
        old_trust = model.areas.trust_org[model.areas.trusts_of[c]]
        for t in old_trust:
            model.orgs[t].active = False
        nps, crc = model.orgs[model.areas.nps_of[c]], model.orgs[model.areas.crc_of[c]]
        nps.active = crc.active = True
        for f in model.areas.forces_of[c]:
            inherited = np.mean([model.ties.trust[model.ties.find(f, t)] for t in old_trust])
            for t in old_trust:
                model.ties.active[model.ties.find(f, t)] = False
            model.ties.add(f, nps.index, POLICE_PROBATION, inherited * (1 - shock), True)
            colocated = p.policy.keep_colocation or not inter
            model.ties.add(f, crc.index, POLICE_PROBATION, inherited * (1 - shock), colocated)
        model.ties.add(nps.index, crc.index, NPS_CRC, model.interagency.reference_trust * (1 - shock), False)
        funded = [x for x in model.voluntary_providers() if x.active and c in x.cpas and x.funder is not None]
        keep = int(round(p.voluntary.crc_subcontract_share * len(funded))) if inter else len(funded)
        for i, x in enumerate(funded):
            old = model.ties.find(x.funder.index, x.index)
            trust = model.ties.trust[old] if old >= 0 else model.interagency.reference_trust
            if old >= 0:
                model.ties.active[old] = False
            x.funder = crc if i < keep else None
            if i < keep:
                model.ties.add(crc.index, x.index, PROVIDER_VCS, trust * (1 - shock), False)
    move_cases_to_required(model, sup)
    model.refresh()


def move_cases_to_required(model, sup: np.ndarray) -> None:
    """After a reorganisation, cases go to the organisation the regime requires; a case
    keeps its officer if the officer went there too, otherwise it waits for a new one."""
    from model.allocation import required_provider

    pop, staff = model.pop, model.staff
    rows = np.flatnonzero(sup)
    target = required_provider(model, rows)
    pop.org[rows] = target
    pop.agency[rows] = model.ops.agency[target]
    has = pop.officer[rows] >= 0
    lost = rows[has][staff.employer[pop.officer[rows[has]]] != target[has]]
    unassign(model, lost)
    pop.relationship[lost] *= model.ops.transfer_keep
    model.counts["officer_changed"] += lost.size


def crc_sale(model) -> None:
    """CRCs pass to their owners; contracts priced on the cost base; PbR starts."""
    p = model.params
    f = p.finance
    model.pbr.start_week = model.week
    model.pbr.baseline = model.pbr.measured_baseline(model.recorder, model.week)
    model.ttg_in_force = p.policy.through_the_gate
    caseload = model.org_caseload()
    weekly_officer = f.officer_cost_gbp / 52.0 * (1.0 + f.overhead_share)
    for crc in model.crcs():
        name = model.areas.cpas[crc.cpas[0]].name
        choice = p.policy.crc_owner
        crc.owner = OWNER_CHOICES.get(choice, OwnerType.MUTUAL if name in MUTUAL_CPAS else OwnerType.PRIVATE)
        posts = int(((model.staff.employer == crc.index) & model.staff.funded).sum())
        cost = posts * weekly_officer + crc.subcontract_cost()
        cases = max(int(caseload[crc.index]), 1) * (1 + f.crc_forecast_growth)
        pbr_share = f.pbr_share if p.policy.pbr else 0.0
        crc.pbr_share = pbr_share
        crc.fee_per_case_week = cost / cases * (1 + f.crc_price_margin) * (1 - pbr_share) * (1 - f.ora_volume_underfunding)
        crc.pbr_pot_per_person = crc.fee_per_case_week / max(1 - pbr_share, 1e-9) * pbr_share * 52.0
        crc.pbr_active = p.policy.pbr
        crc.parking = p.policy.pbr and model.mechanism("contact")
        crc.remote_share = p.supervision.remote_share_crc
        crc.caseload_cap = p.supervision.caseload_cap_crc
        if p.policy.pbr and model.mechanism("interagency"):
            crc.underbreach = p.enforcement.crc_underbreach
            crc.recall_push = p.enforcement.crc_recall_push
    model.refresh()


def ora_commencement(model) -> None:
    """From now, people sentenced to custody get 12 months' supervision after release."""
    model.ora_in_force = True
    if model.regime != Regime.TRUSTS:
        model.ttg_in_force = model.params.policy.through_the_gate


def contract_amendment(model) -> None:
    """2018: less payment at risk, more fee (MoJ's contract changes)."""
    f = model.params.finance
    for crc in model.crcs():
        if crc.pbr_active:
            old = crc.pbr_share
            new = min(old, f.amendment_pbr_share)
            gross = crc.fee_per_case_week / max(1 - old, 1e-9)
            crc.pbr_share = new
            crc.fee_per_case_week = gross * (1 - new) * (1 + f.amendment_fee_uplift)
            crc.pbr_pot_per_person = gross * new * 52.0
        else:
            crc.fee_per_case_week *= 1 + f.amendment_fee_uplift
    model.refresh()


def reunify(model) -> None:
    """CRC staff, cases and subcontracts return to the NPS; PbR ends."""
    p, staff, pop = model.params, model.staff, model.pop
    model.regime = Regime.REUNIFIED
    for crc in model.crcs():
        c = crc.cpas[0]
        nps = model.orgs[model.areas.nps_of[c]]
        staff.employer[staff.employer == crc.index] = nps.index
        crc.active = False
        crc.pbr_active = crc.parking = False
        model.interagency.retire_ties_of(crc)
        for x in model.voluntary_providers():
            if x.active and c in x.cpas:
                x.funder = nps
                trust = model.interagency.reference_trust * p.information.reunification_trust_keep
                model.ties.add(nps.index, x.index, PROVIDER_VCS, trust, False)
    v = pop.view()
    sup = supervised_mask(model, v)
    crc_cases = sup & (pop.agency[v] == Agency.CRC)
    pop.agency[v][crc_cases] = Agency.NPS
    pop.org[v][crc_cases] = model.areas.nps_of[pop.cpa[v][crc_cases]]
    model.refresh()
