"""Probation officers (grades PO and PSO): a post in the model's staff arrays.

Each post is a Mesa agent (a node of the staff network); its state lives in the model's staff arrays
(``model.staff``, row = post) so that the weekly workforce and supervision passes are vectorised.
The officers' rules are written here, once, as functions of that state.
"""

from __future__ import annotations

import mesa
import numpy as np

from agents.states import Grade
from model.engine.calendar import YEAR_WEEKS


def contact_quality(skill, stress, stress_loss):
    """How much good a contact hour does: skill, dulled by stress (``workforce.stress_quality_loss`` of it
    at full stress). Plain arithmetic: works on numbers and arrays; the supervision pass compiles it."""
    return skill * (1.0 - stress_loss * stress)


class ProbationOfficer(mesa.Agent):
    """An offender-management post held by a PO or PSO."""

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
    def stress_target(workload: np.ndarray, onset: float, full: float) -> np.ndarray:
        """Stress a workload settles at: none below ``onset`` (a share of capacity), full at ``full``."""
        return np.clip((workload - onset) / (full - onset), 0.0, 1.0)

    @staticmethod
    def weekly_quit_probability(stress: np.ndarray, base: float, per_stress: float,
                                extra: np.ndarray) -> np.ndarray:
        """Chance of leaving this week from yearly rates."""
        yearly = base + per_stress * stress + extra
        return 1.0 - np.exp(-yearly / YEAR_WEEKS)

    contact_quality = staticmethod(contact_quality)
