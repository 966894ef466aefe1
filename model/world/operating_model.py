"""Organisations' operating models as arrays indexed by organisation, for the weekly passes.

The organisations (Mesa agents) hold their own state - owner, contract, caseload cap, remote share,
parking, breach and recall behaviour, set only through TR's channels (``model/channels``).
``OperatingModel.refresh`` mirrors it into arrays, starting from the pre-reform defaults, and then lets
each channel adjust what it alone governs. It is called once a week or whenever a policy event or a
review changes something.
"""

from __future__ import annotations

import numpy as np


class OperatingModel:
    """Per-organisation arrays (``cap[org]``, ``parks[org]``, ...) and the settings of the regime in force."""

    def __init__(self, n_orgs: int, params) -> None:
        self.turnover = np.full(n_orgs, params.workforce.turnover_base)  # yearly leaving rate, smoothed
        self.turnover_week = np.zeros(n_orgs)

    def refresh(self, model) -> None:
        """Every organisation's current operating model, then each channel's own part."""
        p = model.params
        orgs = model.orgs
        n = len(orgs)
        self.agency = np.array([o.agency for o in orgs], dtype=np.int8)
        self.cap = np.array([getattr(o, "caseload_cap", 0.0) for o in orgs])
        self.remote = np.array([getattr(o, "remote_share", 0.0) for o in orgs])
        self.parks = np.array([bool(getattr(o, "parking", False)) for o in orgs])
        self.breach_prob = np.array([o.breach_probability(p.enforcement.breach_prob_public)
                                     if hasattr(o, "breach_probability") else p.enforcement.breach_prob_public for o in orgs])
        self.recall_push = np.array([getattr(o, "recall_push", 0.0) for o in orgs])
        self.profit_perception = np.zeros(n)
        self.confidential = np.zeros(n)
        self.extra_turnover = np.zeros(n)
        self.skill_ceiling = np.full(n, p.workforce.skill_ceiling_public)
        self.access = np.ones(n)
        self.transfer_keep = p.relationships.officer_change_keep
        self.iom_protected = True
        self.iom_support = np.ones(model.areas.n)
        self.vcs_capacity_share = np.zeros(model.areas.n)
        initial = np.zeros(model.areas.n)
        for x in model.voluntary_providers():
            initial[x.cpas[0]] += 1
            if x.active:
                self.vcs_capacity_share[x.cpas[0]] += 1.0 if x.funder is not None else p.voluntary.grant_share
        self.vcs_capacity_share /= np.maximum(initial, 1)
        model.channels.operating_model(model, self)
