"""Weekly phase - information and inter-agency working: ties between police, NPS, CRCs and providers gain trust
from co-location and successful exchanges and lose it with turnover and confidentiality; the police share
information on IOM cases over them (``agents/police.py``); what TR does to them is the inter-agency channel
(``model/channels/interagency.py``)."""

from __future__ import annotations

import numpy as np

from agents import PoliceForce
from model.week.cases import required_provider
from model.world.network import NPS_CRC, POLICE_PROBATION, Ties


class InterAgency:
    """The ties between organisations and the information table ``info[force, org]`` (1 = the
    pre-reform level, at the reference trust; at most 1.2), filled by the police forces each week."""

    def __init__(self, ties: Ties, n_orgs: int, params) -> None:
        self.ties = ties
        self.params = params
        self.reference_trust = params.information.initial_trust  # pre-reform trust on the first reported day
        self.info = np.zeros((n_orgs, n_orgs))
        self.refresh_arrays()

    def set_reference(self, model) -> None:
        """The pre-reform police-probation trust now (the steady start's): information is relative to it."""
        trust = self.mean_trust(POLICE_PROBATION)
        self.reference_trust = trust if np.isfinite(trust) and trust > 0 else self.params.information.initial_trust

    def refresh_arrays(self) -> None:
        """Tie ends and kinds as arrays (after ties are added); each force's police-probation ties."""
        a, b, kind = self.ties.arrays()
        self.a, self.b, self.kind = a.astype(np.int64), b.astype(np.int64), kind
        self.police_rows: dict[int, np.ndarray] = {}
        police = np.flatnonzero(kind == POLICE_PROBATION) if kind.size else np.zeros(0, np.int64)
        for force in np.unique(self.a[police]):
            self.police_rows[int(force)] = police[self.a[police] == force]

    def police_ties(self, force: int) -> tuple[np.ndarray, np.ndarray]:
        """A force's active police-probation partners and the trust on each tie."""
        rows = self.police_rows.get(force)
        if rows is None:
            return np.zeros(0, np.int64), np.zeros(0)
        rows = rows[self.ties.active[rows]]
        return self.b[rows], self.ties.trust[rows]

    def info_of_rows(self, model, rows) -> np.ndarray:
        """Information flow on each row's case (the organisation that holds it, or should)."""
        pop = model.pop
        org = pop.org[rows]
        idx = np.arange(rows.start or 0, rows.stop) if isinstance(rows, slice) else np.asarray(rows)
        missing = org < 0
        if missing.any():
            org = org.copy()
            org[missing] = required_provider(model, idx[missing])
        return self.info[pop.force[rows], org]

    def mean_trust(self, kind: int) -> float:
        """Mean trust over the active ties of a kind (NaN if none)."""
        t = self.ties
        sel = t.active & (self.kind == kind) if t.trust.size else np.zeros(0, bool)
        return float(t.trust[sel].mean()) if sel.any() else float("nan")

    def nps_crc_trust_of_rows(self, model, rows: np.ndarray) -> np.ndarray:
        """Trust on the tie between the NPS and the CRC of each row's area."""
        areas = model.areas
        cpa = model.pop.cpa[rows]
        out = np.full(rows.size, self.reference_trust)
        for c in np.unique(cpa):
            tie = self.ties.find(int(areas.nps_of[c]), int(areas.crc_of[c]))
            if tie >= 0 and self.ties.active[tie]:
                out[cpa == c] = self.ties.trust[tie]
        return out

    def retire_ties_of(self, org) -> None:
        """Deactivate every tie of an organisation (a provider leaving, a CRC closing)."""
        for row, (a, b) in enumerate(zip(self.ties.a, self.ties.b)):
            if org.index in (a, b):
                self.ties.active[row] = False

    def nps_crc_trust(self) -> float:
        return self.mean_trust(NPS_CRC)


def share_information(model) -> None:
    """Each police force decides what it shares with its probation partners (``PoliceForce.share_information``)."""
    forces = model.agents_by_type.get(PoliceForce)
    if forces is not None:
        forces.do("share_information")


def information(model) -> None:
    """Update trust on every active tie; refresh the information-flow table."""
    i = model.params.information
    ties = model.ties
    if ties.trust.size == 0:
        return
    a, b, kind = model.interagency.a, model.interagency.b, model.interagency.kind
    t = ties.trust
    colo = 1.0 + i.colocation_boost * ties.colocated
    conf = 1.0 - i.confidentiality_penalty * np.maximum(model.ops.confidential[a], model.ops.confidential[b])
    turnover = np.maximum(model.ops.turnover[a], model.ops.turnover[b])
    growth = i.growth_rate * colo * conf * (1.0 - t)
    decay = i.decay_rate * (1.0 + i.turnover_decay * turnover) * t
    t += np.where(ties.active, growth - decay, 0.0)
    np.clip(t, 0.0, 1.0, out=t)
    share_information(model)
    police = ties.active & (kind == POLICE_PROBATION)
    model.counts["police_probation_trust"] = float(t[police].mean()) if police.any() else float("nan")
