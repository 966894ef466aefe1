"""What pyabc calls: one simulation from free-parameter values to the targets' statistics, and the distance
between those statistics and the published figures, scaled by each figure's published range."""

from __future__ import annotations

import math
import sys
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyabc

from experiments.calibration.spec import Spec, Target
from experiments.calibration.statistics import statistics
from model.probation_model import ProbationModel

SEED_KEY = "_seed"  # recorded with every particle's statistics: its simulation can be run again
FAILED_KEY = "_failed"  # 1 if the simulation raised: its statistics are missing, so it is rejected


@dataclass(frozen=True)
class Setting:
    """The picklable part of a spec a worker needs: how to build a run and which statistics to return."""

    spec: Spec

    def simulate(self, values: dict[str, float], seed: int) -> dict[str, float]:
        """One run: the targets' statistics (counts marked national multiplied to national equivalents)."""
        model = ProbationModel(self.spec.parameters(values, seed))
        model.run()
        stats = statistics(model)
        out = {}
        for t in self.spec.targets:
            x = stats.get(t.metric)
            out[t.key] = math.nan if x is None else float(x) * (self.spec.national_factor if t.national else 1.0)
        return out


class TargetModel:
    """The pyabc model: a parameter set -> the targets' statistics. The run's seed is drawn from numpy's global
    generator, which the sampler seeds for each job (so a job's particle depends on its seed alone)."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.names = setting.spec.names()

    def __call__(self, parameter: Any) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**62, dtype=np.int64))
        values = {name: float(parameter[name]) for name in self.names}
        try:
            stats = self.setting.simulate(values, seed)
        except Exception:  # noqa: BLE001 - the particle is rejected and counted; the calibration goes on
            print(f"a simulation raised at {values} (seed {seed}):\n{traceback.format_exc()}", file=sys.stderr)
            return {**{t.key: math.nan for t in self.setting.spec.targets}, SEED_KEY: float(seed), FAILED_KEY: 1.0}
        return {**stats, SEED_KEY: float(seed), FAILED_KEY: 0.0}


def scaled_distance(targets: list[Target], stats: dict[str, float]) -> float:
    """Root mean square of the targets' scaled deviations (``Target.z``): 1 when every statistic sits at an end
    of its published range."""
    z = np.array([t.z(stats.get(t.key)) for t in targets])
    return float(np.sqrt(np.mean(z * z)))


class ScaledDistance(pyabc.Distance):
    """pyabc's distance: ``scaled_distance`` against the spec's targets (their values are pyabc's x_0)."""

    def __init__(self, targets: list[Target]) -> None:
        super().__init__()
        self.targets = list(targets)

    def __call__(self, x: dict, x_0: dict, t: int | None = None, par: dict | None = None) -> float:
        return scaled_distance(self.targets, x)
