"""Building the world on the first day: areas, organisations, staff, police and ties.

Each builder creates Mesa agents on the model and returns what it built; ``ProbationModel``
keeps the results. Randomness comes from the model's "staff" stream only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents import (
    CommunityRehabilitationCompany,
    NationalProbationService,
    PoliceForce,
    ProbationTrust,
    VoluntaryProvider,
)
from agents.states import Agency, Grade
from model.engine.calendar import YEAR_WEEKS
from model.world import geography
from model.world.geography import CPA
from model.world.network import POLICE_PROBATION, PROVIDER_VCS, Ties
from model.world.staff import Staff


@dataclass
class Areas:
    """The simulated Contract Package Areas and, for each, its organisations (indices into ``model.orgs``)."""

    cpas: list[CPA]
    fraction: float  # sampling fraction applied to the areas' real sizes
    share: np.ndarray  # each area's share of the national caseload, times the fraction
    trusts_of: list[np.ndarray]  # per area: its trusts' numbers (positions in trust_org)
    trust_org: np.ndarray  # trust number -> organisation index
    nps_of: np.ndarray  # area -> its NPS division
    crc_of: np.ndarray  # area -> its CRC
    forces_of: list[list[int]]  # area -> its police forces

    @property
    def n(self) -> int:
        return len(self.cpas)


def register(model, org) -> None:
    """Give an organisation its index in ``model.orgs``."""
    org.index = len(model.orgs)
    model.orgs.append(org)


def build_organisations(model) -> Areas:
    """Trusts, NPS divisions and CRCs (inactive until the split), police forces and voluntary providers."""
    p = model.params
    cpas, fraction = geography.select(p.run.scale, p.population.national_supervised)
    total = sum(c.weight for c in geography.CPAS)
    share = np.array([c.weight / total for c in cpas]) * fraction
    trusts_of: list[np.ndarray] = []
    trusts: list[ProbationTrust] = []
    for c, cpa in enumerate(cpas):
        ids = []
        for name in cpa.trusts:
            t = ProbationTrust(model, f"{name} Probation Trust", [c])
            register(model, t)
            ids.append(len(trusts))
            trusts.append(t)
        trusts_of.append(np.array(ids))
    divisions: dict[str, NationalProbationService] = {}
    nps_of = np.zeros(len(cpas), dtype=np.int64)
    crc_of = np.zeros(len(cpas), dtype=np.int64)
    for c, cpa in enumerate(cpas):
        if cpa.division not in divisions:
            d = NationalProbationService(model, f"NPS {cpa.division}", [])
            d.active = False
            register(model, d)
            divisions[cpa.division] = d
        divisions[cpa.division].cpas.append(c)
        nps_of[c] = divisions[cpa.division].index
        crc = CommunityRehabilitationCompany(model, f"{cpa.name} CRC", [c])
        crc.active = False
        register(model, crc)
        crc_of[c] = crc.index
    forces_of: list[list[int]] = []
    for c, cpa in enumerate(cpas):
        ids = []
        for name in cpa.forces:
            f = PoliceForce(model, f"{name} Police", [c])
            register(model, f)
            ids.append(f.index)
        forces_of.append(ids)
    cost = p.finance.vcs_contract_gbp / (1 - p.voluntary.grant_share)
    for c, cpa in enumerate(cpas):
        for k in range(p.voluntary.providers_per_cpa):
            x = VoluntaryProvider(model, f"{cpa.name} provider {k + 1}", [c], cost)
            register(model, x)
            x.funder = trusts[trusts_of[c][k % len(trusts_of[c])]]
    return Areas(cpas, fraction, share, trusts_of, np.array([t.index for t in trusts]), nps_of, crc_of, forces_of)


def build_staff(model, areas: Areas, rng: np.random.Generator) -> Staff:
    """Offender-management posts by area (the national total x the area's share), spread over its trusts;
    PO or PSO grade; IOM officers designated to cover the area's IOM places; skill and tenure."""
    p = model.params
    w = p.workforce
    total_w = sum(c.weight for c in geography.CPAS)
    per_cpa = [max(4, int(round(w.om_staff_national * c.weight / total_w * areas.fraction
                                * p.population.national_supervised / 235_000))) for c in areas.cpas]
    # posts reserved for enhanced Through the Gate (unfunded until then; built in every scenario, so that the
    # scenarios share their staff draws)
    reserve = [int(np.round(p.finance.ttg_staff * areas.share[c])) for c in range(areas.n)]
    staff = Staff(sum(per_cpa) + sum(reserve))
    at_liberty = p.population.caseload_share_at_liberty
    row = 0
    for c, n in enumerate(per_cpa):
        trusts = areas.trust_org[areas.trusts_of[c]]
        rows = np.arange(row, row + n)
        staff.cpa[rows] = c
        staff.employer[rows] = trusts[np.arange(n) % len(trusts)]
        staff.grade[rows] = np.where(rng.random(n) < w.po_share, Grade.PO, Grade.PSO)
        supervised = p.population.national_supervised * areas.share[c]
        n_iom = int(np.ceil(p.iom.capacity_per_1000 / 1000 * supervised * at_liberty / p.iom.cases_per_probation_officer))
        po = rows[staff.grade[rows] == Grade.PO]
        staff.iom[po[:n_iom]] = True
        row += n
    for c, n in enumerate(reserve):  # the CRC's, unfunded until enhanced Through the Gate
        rows = np.arange(row, row + n)
        staff.cpa[rows] = c
        staff.employer[rows] = areas.crc_of[c]
        staff.grade[rows] = np.where(np.arange(n) < round(w.po_share * n), Grade.PO, Grade.PSO)
        staff.funded[rows] = staff.filled[rows] = False
        staff.reserved[rows] = True
        row += n
    staff.skill[:] = np.clip(rng.normal(w.skill_ceiling_public - w.initial_skill_gap, w.initial_skill_sd, staff.n),
                             w.skill_floor, 1.0)
    staff.week_joined[:] = -rng.integers(0, int(round(YEAR_WEEKS * w.initial_tenure_max_years)), staff.n)
    return staff


def build_ties(model, areas: Areas) -> Ties:
    """Police-probation ties (co-located) in each area and each provider's tie to its funding trust."""
    trust = model.params.information.initial_trust
    ties = Ties()
    for c in range(areas.n):
        for f in areas.forces_of[c]:
            for t in areas.trust_org[areas.trusts_of[c]]:
                ties.add(f, int(t), POLICE_PROBATION, trust, True)
    for x in model.orgs:
        if isinstance(x, VoluntaryProvider):
            ties.add(x.funder.index, x.index, PROVIDER_VCS, trust, False)
    return ties


def providers(model) -> list:
    """Organisations that supervise cases: trusts, NPS divisions and CRCs."""
    return [o for o in model.orgs if o.agency != Agency.NONE]
