"""Police forces and their officers (IOM and neighbourhood roles)."""

from __future__ import annotations

import mesa

from agents.organisation import Organisation
from agents.states import PoliceRole


class PoliceForce(Organisation):
    """One of the 43 forces; staffs IOM teams in its area."""

    def __init__(self, model: mesa.Model, name: str, cpas: list[int]) -> None:
        super().__init__(model, name, cpas)
        self.iom_officers: list[PoliceOfficer] = []


class PoliceOfficer(mesa.Agent):
    """A police officer; IOM officers monitor the cohort and share intelligence."""

    def __init__(self, model: mesa.Model, force: PoliceForce, role: PoliceRole) -> None:
        super().__init__(model)
        self.force = force
        self.role = role
