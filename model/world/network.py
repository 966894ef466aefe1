"""The organisation/staff network: a networkx graph with trust held on inter-agency ties.

Trust lives in arrays (one row per tie) so the weekly update is vectorised; the graph is
the structure, and ``graph()`` writes the current trust onto its edges when asked.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from agents.states import PoliceRole

POLICE_PROBATION, NPS_CRC, PROVIDER_VCS = 0, 1, 2
TIE_KINDS = ("police-probation", "nps-crc", "provider-vcs")


@dataclass(frozen=True)
class PoliceOfficer:
    """A police officer of the network view: IOM teams and neighbourhood officers (no rule reads them; the IOM
    effect comes from information flow)."""

    force: object  # the PoliceForce
    role: PoliceRole


def police_officers(model) -> list[PoliceOfficer]:
    """IOM police officers for each force's share of its area's IOM places, and a few neighbourhood officers."""
    p, areas = model.params, model.areas
    officers: list[PoliceOfficer] = []
    for c, forces in enumerate(areas.forces_of):
        for f in forces:
            force = model.orgs[f]
            share = areas.share[c] / len(forces)
            iom_places = p.iom.capacity_per_1000 / 1000 * p.population.national_supervised * share
            officers += [PoliceOfficer(force, PoliceRole.IOM)] * max(1, int(np.ceil(iom_places / p.iom.cases_per_police_officer)))
            officers += [PoliceOfficer(force, PoliceRole.NEIGHBOURHOOD)] * p.iom.neighbourhood_officers_per_force
    return officers


class Ties:
    """Inter-organisation ties with trust, co-location and an active flag."""

    def __init__(self) -> None:
        self.a: list[int] = []
        self.b: list[int] = []
        self.kind: list[int] = []
        self.trust = np.zeros(0, dtype=np.float64)
        self.active = np.zeros(0, dtype=bool)
        self.colocated = np.zeros(0, dtype=bool)
        self.index: dict[tuple[int, int], int] = {}

    def add(self, a: int, b: int, kind: int, trust: float, colocated: bool) -> int:
        """Add (or reactivate) the tie a-b; return its row."""
        key = (min(a, b), max(a, b))
        if key in self.index:
            row = self.index[key]
            self.trust[row], self.active[row], self.colocated[row] = trust, True, colocated
            return row
        row = len(self.a)
        self.a.append(a)
        self.b.append(b)
        self.kind.append(kind)
        self.trust = np.append(self.trust, trust)
        self.active = np.append(self.active, True)
        self.colocated = np.append(self.colocated, colocated)
        self.index[key] = row
        return row

    def find(self, a: int, b: int) -> int:
        return self.index.get((min(a, b), max(a, b)), -1)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.asarray(self.a), np.asarray(self.b), np.asarray(self.kind)


def build_graph(model) -> nx.Graph:
    """Graph of organisations (kind='org') and staff (kind='staff'/'police') with trust on ties."""
    g = nx.Graph()
    for org in model.orgs:
        g.add_node(org.unique_id, kind="org", org_type=type(org).__name__, name=org.name, active=org.active)
    staff = model.staff
    for r in range(staff.n):
        g.add_node(("post", r), kind="staff", iom=bool(staff.iom[r]), active=bool(staff.funded[r]))
        employer = model.orgs[int(staff.employer[r])]
        g.add_edge(("post", r), employer.unique_id, kind="employment", trust=None)
    for k, police in enumerate(model.police_officers):
        g.add_node(("police", k), kind="police", iom=police.role == PoliceRole.IOM, active=True)
        g.add_edge(("police", k), police.force.unique_id, kind="employment", trust=None)
    a, b, kind = model.ties.arrays()
    for row in np.flatnonzero(model.ties.active):
        u, v = model.orgs[a[row]].unique_id, model.orgs[b[row]].unique_id
        g.add_edge(u, v, kind=TIE_KINDS[kind[row]], trust=float(model.ties.trust[row]),
                   colocated=bool(model.ties.colocated[row]))
    # IOM teams: IOM probation officers linked to their area's IOM police officers.
    iom_rows = np.flatnonzero(staff.iom & staff.funded)
    for k, police in enumerate(model.police_officers):
        if police.role != PoliceRole.IOM:
            continue
        for r in iom_rows:
            if staff.cpa[r] in police.force.cpas:
                org = int(staff.employer[r])
                tie = model.ties.find(org, police.force.index)
                trust = float(model.ties.trust[tie]) if tie >= 0 else None
                g.add_edge(("post", int(r)), ("police", k), kind="iom-team", trust=trust)
    return g
