"""The split (seeds 000, 003): probation trusts become the National Probation Service and a Community
Rehabilitation Company per area; reunified later where the scenario says so.

At the share-out (``policy.share_out_date``) high risk-of-harm cases and ``tr.nps_staff_share`` of the staff
go to the NPS (the posts with most high-risk cases, POs before PSOs, IOM officers last), the rest to the
area's CRC; cases follow the organisation the new rule gives them and wait for an officer if theirs went
the other way; the trusts' ties pass to the NPS and the CRC, and their subcontracts to the CRC. After it,
cases whose risk of harm rises move from the CRC to the NPS (``model/week/risk.py``), the NPS does the courts'
work for everyone, and CRC staff leave more often (``workforce.crc_uncertainty``). At reunification
(``policy.reunification_date``, with ``policy.reunify``) CRC staff, cases and subcontracts return to the NPS.
Off: the trusts go on."""

from __future__ import annotations

import numpy as np

from agents.states import Agency, Grade, Regime
from model.channels.base import Channel
from model.week.cases import required_provider, supervised_mask, unassign
from model.world.network import NPS_CRC, POLICE_PROBATION, PROVIDER_VCS


class Split(Channel):
    name = "split"

    def on_share_out(self, model) -> None:
        p, staff, pop = self.params, model.staff, model.pop
        model.regime = Regime.SPLIT
        model.new_ties = []
        v = pop.view()
        sup = supervised_mask(model, v)
        held = sup & (pop.officer[v] >= 0)
        high_cases = np.bincount(pop.officer[v][held & (pop.rosh[v] >= p.tr.nps_case_share_rosh)], minlength=staff.n)
        all_cases = np.maximum(np.bincount(pop.officer[v][held], minlength=staff.n), 1)
        rank = (high_cases / all_cases + p.tr.share_out_po_weight * (staff.grade == Grade.PO)
                - p.tr.share_out_iom_weight * staff.iom)
        ties, reference = model.ties, model.interagency.reference_trust
        for c in range(model.areas.n):
            old_trusts = model.areas.trust_org[model.areas.trusts_of[c]]
            posts = np.flatnonzero(np.isin(staff.employer, old_trusts))
            n_nps = int(round(p.tr.nps_staff_share * posts.size))
            order = posts[np.argsort(-rank[posts], kind="stable")]
            nps, crc = model.orgs[model.areas.nps_of[c]], model.orgs[model.areas.crc_of[c]]
            staff.employer[order[:n_nps]] = nps.index
            staff.employer[order[n_nps:]] = crc.index
            for t in old_trusts:
                model.orgs[t].active = False
            nps.active = crc.active = True
            for f in model.areas.forces_of[c]:
                inherited = np.mean([ties.trust[ties.find(f, t)] for t in old_trusts])
                for t in old_trusts:
                    ties.active[ties.find(f, t)] = False
                model.new_ties.append(ties.add(f, nps.index, POLICE_PROBATION, inherited, True))
                model.new_ties.append(ties.add(f, crc.index, POLICE_PROBATION, inherited, True))
            model.new_ties.append(ties.add(nps.index, crc.index, NPS_CRC, reference, False))
            for x in model.voluntary_providers():
                if x.active and c in x.cpas and x.funder is not None:
                    old = ties.find(x.funder.index, x.index)
                    trust = ties.trust[old] if old >= 0 else reference
                    if old >= 0:
                        ties.active[old] = False
                    x.funder = crc
                    model.new_ties.append(ties.add(crc.index, x.index, PROVIDER_VCS, trust, False))
        move_cases_to_required(model, sup)

    def on_reunification(self, model) -> None:
        p, staff, pop = self.params, model.staff, model.pop
        model.regime = Regime.REUNIFIED
        for crc in model.crcs():
            c = crc.cpas[0]
            nps = model.orgs[model.areas.nps_of[c]]
            staff.employer[staff.employer == crc.index] = nps.index
            crc.active = False
            model.interagency.retire_ties_of(crc)
            for x in model.voluntary_providers():
                if x.active and c in x.cpas:
                    x.funder = nps
                    trust = model.interagency.reference_trust * p.information.reunification_trust_keep
                    model.ties.add(nps.index, x.index, PROVIDER_VCS, trust, False)
        v = pop.view()
        crc_cases = supervised_mask(model, v) & (pop.agency[v] == Agency.CRC)
        pop.agency[v][crc_cases] = Agency.NPS
        pop.org[v][crc_cases] = model.areas.nps_of[pop.cpa[v][crc_cases]]

    def setup(self, model, ops) -> None:
        """CRC staff leave more often (new owners, restructuring) once they work for one."""
        ops.extra_turnover[ops.agency == Agency.CRC] = self.params.workforce.crc_uncertainty


def move_cases_to_required(model, sup: np.ndarray) -> None:
    """After a reorganisation, cases go to the organisation the regime requires; a case keeps its officer if
    the officer went there too, otherwise it waits for a new one (a move between organisations)."""
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
