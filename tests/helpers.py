"""Small builders shared by tests."""

from __future__ import annotations

import numpy as np

from experiments.simulate import build_parameters
from model.probation_model import ProbationModel
from model.world.population import Population


def model_for(scenario: str = "pre_tr", end: str = "2012-12-31", **overrides) -> ProbationModel:
    """A small model for phase tests: by default no burn-in (the first day's sentences only), since the
    tests replace or hand-set the people they look at."""
    overrides = {"run.burn_in_years": 0.0, "run.settle_weeks": 0, **overrides}
    return ProbationModel(build_parameters(scenario, overrides, end=end))


def hand_population(model: ProbationModel, n: int, **columns) -> np.ndarray:
    """Replace the model's population with ``n`` hand-set rows; return their row indices."""
    model.pop = Population(capacity=max(n, 1))
    rows = model.pop.add(n)
    model.pop.cpa[rows] = 0
    model.pop.force[rows] = model.areas.forces_of[0][0]
    model.pop.home_trust[rows] = 0
    model.pop.ogrs[rows] = 50.0
    for name, value in columns.items():
        getattr(model.pop, name)[rows] = value
    return rows
