"""Organisations' operating models as arrays indexed by organisation, for the weekly passes.

The organisations (Mesa agents) hold their own state - owner, contract, caseload cap, remote share,
breach and recall behaviour; ``OperatingModel.refresh`` mirrors it, with the reform's switches, into
arrays once a week or whenever a policy event or a review changes it.
"""

from __future__ import annotations

import numpy as np

from agents import CommunityRehabilitationCompany
from agents.states import Agency, OwnerType, Regime


class OperatingModel:
    """Per-organisation arrays (``cap[org]``, ``parks[org]``, ...) and the settings of the regime in force."""

    def __init__(self, n_orgs: int, params) -> None:
        self.turnover = np.full(n_orgs, params.workforce.turnover_base)  # yearly leaving rate, smoothed
        self.turnover_week = np.zeros(n_orgs)

    def refresh(self, model) -> None:
        """Mirror every organisation's current operating model into the arrays."""
        p = model.params
        orgs = model.orgs
        n = len(orgs)
        rel, contact, inter = (model.mechanism(k) for k in ("relationships", "contact", "interagency"))
        self.agency = np.array([o.agency for o in orgs], dtype=np.int8)
        self.cap = np.array([getattr(o, "caseload_cap", 0.0) for o in orgs])
        self.remote = np.array([getattr(o, "remote_share", 0.0) for o in orgs])
        self.parks = np.zeros(n, dtype=bool)
        self.profit_perception = np.zeros(n)
        self.breach_prob = np.full(n, p.enforcement.breach_prob_public)
        self.recall_push = np.zeros(n)
        self.confidential = np.zeros(n)
        self.extra_turnover = np.zeros(n)
        self.skill_ceiling = np.full(n, p.workforce.skill_ceiling_public)
        for o in orgs:
            if not isinstance(o, CommunityRehabilitationCompany):
                continue
            k = o.index
            sold = o.owner != OwnerType.PUBLIC
            if not contact:
                self.cap[k], self.remote[k] = p.supervision.caseload_cap_trust, p.supervision.remote_share_trust
            elif not sold:
                self.remote[k] = p.supervision.remote_share_trust
            self.parks[k] = o.parks_hard_cases() and contact
            if rel and sold:
                self.profit_perception[k] = 1.0 if o.for_profit else p.relationships.mutual_profit_perception
                self.skill_ceiling[k] = p.workforce.skill_ceiling_crc
            self.breach_prob[k] = o.breach_probability(p.enforcement.breach_prob_public)
            self.recall_push[k] = o.recall_push
            if inter and o.for_profit and not p.policy.data_sharing_mandated:
                self.confidential[k] = 1.0
            self.extra_turnover[k] = p.workforce.crc_uncertainty
        self.transfer_keep = p.relationships.transfer_keep if rel else p.relationships.officer_change_keep
        self.iom_protected = p.policy.iom_in_contract or not contact
        crcs = [o for o in orgs if isinstance(o, CommunityRehabilitationCompany)]
        withdraw = (model.regime == Regime.SPLIT and contact and not p.policy.iom_in_contract
                    and any(o.pbr_active for o in crcs))
        self.iom_support = np.full(model.areas.n, 1.0 - (p.iom.crc_withdrawal if withdraw else 0.0))
        it = p.information.it_access_penalty if (inter and not p.policy.data_sharing_mandated) else 0.0
        self.access = np.where(self.agency == Agency.CRC, 1.0 - it, 1.0)
        self.vcs_capacity_share = np.zeros(model.areas.n)
        initial = np.zeros(model.areas.n)
        for x in model.voluntary_providers():
            initial[x.cpas[0]] += 1
            if x.active:
                self.vcs_capacity_share[x.cpas[0]] += 1.0 if x.funder is not None else p.voluntary.grant_share
        self.vcs_capacity_share /= np.maximum(initial, 1)
