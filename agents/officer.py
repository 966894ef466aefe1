"""Probation officers (grades PO and PSO): a post in the model's staff arrays.

The agent object is the post; its attributes read and write the model's staff arrays,
so the weekly workforce phase can be vectorised while each officer stays a Mesa agent.
The decision rules are written once, as vectorised functions of the staff's state.
"""

from __future__ import annotations

import mesa
import numpy as np

from agents.states import Grade


def contact_quality(skill, stress):
    """How much good a contact hour does: skill, dulled by stress (plain arithmetic: works on numbers
    and arrays, and the supervision phase compiles it for its per-case pass)."""
    return skill * (1.0 - 0.5 * stress)


def _column(name: str) -> property:
    def get(self: "ProbationOfficer"):
        return getattr(self.model.staff, name)[self.row].item()

    def put(self: "ProbationOfficer", value) -> None:
        getattr(self.model.staff, name)[self.row] = value

    return property(get, put)


class ProbationOfficer(mesa.Agent):
    """An offender-management post held by a PO or PSO."""

    skill = _column("skill")
    stress = _column("stress")
    caseload = _column("caseload")
    filled = _column("filled")
    funded = _column("funded")
    iom = _column("iom")

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def grade(self) -> Grade:
        return Grade(int(self.model.staff.grade[self.row]))

    @property
    def employer(self):
        return self.model.orgs[int(self.model.staff.employer[self.row])]

    @staticmethod
    def stress_target(workload: np.ndarray) -> np.ndarray:
        """Stress a workload settles at: none below 90% of capacity, full at 150%."""
        return np.clip((workload - 0.9) / 0.6, 0.0, 1.0)

    @staticmethod
    def weekly_quit_probability(stress: np.ndarray, base: float, per_stress: float,
                                extra: np.ndarray) -> np.ndarray:
        """Chance of leaving this week from yearly rates."""
        yearly = base + per_stress * stress + extra
        return 1.0 - np.exp(-yearly / 52.0)

    contact_quality = staticmethod(contact_quality)
