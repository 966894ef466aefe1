"""What probation officers do in response to their work: how much good a contact hour does, the stress a
workload brings, and the chance of leaving. Officers are rows of the staff arrays (``model.staff``); these
rules are applied to all posts at once by the supervision and workforce phases."""

from __future__ import annotations

import numpy as np

from model.engine.calendar import YEAR_WEEKS


def contact_quality(skill, stress, stress_loss):
    """How much good a contact hour does: skill, dulled by stress (``workforce.stress_quality_loss`` of it
    at full stress). Plain arithmetic: works on numbers and arrays; the supervision pass compiles it."""
    return skill * (1.0 - stress_loss * stress)


def stress_target(workload: np.ndarray, onset: float, full: float) -> np.ndarray:
    """Stress a workload settles at: none below ``onset`` (a share of capacity), full at ``full``."""
    return np.clip((workload - onset) / (full - onset), 0.0, 1.0)


def weekly_quit_probability(stress: np.ndarray, base: float, per_stress: float, extra: np.ndarray) -> np.ndarray:
    """Chance of leaving this week from yearly rates."""
    yearly = base + per_stress * stress + extra
    return 1.0 - np.exp(-yearly / YEAR_WEEKS)
