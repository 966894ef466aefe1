"""National Probation Service division: courts, enforcement and high risk of harm."""

from __future__ import annotations

import numpy as np

from agents.organisation import ProbationProvider
from agents.states import Agency


class NationalProbationService(ProbationProvider):
    """One NPS division covering several CPAs; enforces breaches for CRC cases."""

    agency = Agency.NPS

    @staticmethod
    def recall_acceptance(trust: np.ndarray) -> np.ndarray:
        """Chance a CRC's recall request is accepted: higher when the NPS-CRC tie is trusted (seed 003)."""
        return 0.5 + 0.5 * trust
