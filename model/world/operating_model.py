"""Organisations' operating models as arrays indexed by organisation, for the weekly passes.

Each array has one writer. Set when the world is built (the pre-reform defaults) and then only by:
- the contact channel (``model/channels/contact.py``): ``cap``, ``remote``, ``parks``, ``iom_protected``,
  ``iom_support``;
- the inter-agency channel (``model/channels/interagency.py``): ``breach_prob``, ``recall_push``, ``access``,
  ``confidential``;
- the relationships channel (``model/channels/relationships.py``): ``profit_perception``, ``skill_ceiling``,
  ``transfer_keep``;
- the split (``model/channels/split.py``): ``extra_turnover``;
- the workforce phase (``model/week/workforce.py``): ``turnover``, ``turnover_week``;
- ``refresh``, from the voluntary providers' own decisions: ``vcs_capacity_share``.
``refresh`` runs after every policy event and quarterly review: it recomputes what is derived from the regime in
force and the providers' state; nothing is copied from the organisations' attributes.
"""

from __future__ import annotations

import numpy as np

from agents.states import Agency


class OperatingModel:
    """Per-organisation arrays (``cap[org]``, ``parks[org]``, ...) and the settings of the regime in force."""

    def __init__(self, orgs: list, n_areas: int, params) -> None:
        s, e, w = params.supervision, params.enforcement, params.workforce
        n = len(orgs)
        self.agency = np.array([o.agency for o in orgs], dtype=np.int8)
        provider = self.agency != Agency.NONE
        self.cap = np.where(self.agency == Agency.NPS, s.caseload_cap_nps, np.where(provider, s.caseload_cap_trust, 0.0))
        self.remote = np.where(provider, s.remote_share_trust, 0.0)
        self.parks = np.zeros(n, dtype=bool)
        self.breach_prob = np.full(n, e.breach_prob_public)
        self.recall_push = np.zeros(n)
        self.access = np.ones(n)
        self.confidential = np.zeros(n)
        self.profit_perception = np.zeros(n)
        self.skill_ceiling = np.full(n, w.skill_ceiling_public)
        self.transfer_keep = params.relationships.officer_change_keep
        self.extra_turnover = np.zeros(n)
        self.turnover = np.full(n, w.turnover_base)  # yearly leaving rate, smoothed
        self.turnover_week = np.zeros(n)
        self.iom_protected = True
        self.iom_support = np.ones(n_areas)
        self.vcs_capacity_share = np.zeros(n_areas)

    def refresh(self, model) -> None:
        """What follows from the regime in force and the providers' state, after an event or a review."""
        p = model.params
        self.iom_support = np.ones(model.areas.n)
        self.vcs_capacity_share = np.zeros(model.areas.n)
        initial = np.zeros(model.areas.n)
        for x in model.voluntary_providers():
            initial[x.cpas[0]] += 1
            if x.active:
                self.vcs_capacity_share[x.cpas[0]] += 1.0 if x.funder is not None else p.voluntary.grant_share
        self.vcs_capacity_share /= np.maximum(initial, 1)
        model.channels.operating_model(model, self)
