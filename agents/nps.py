"""National Probation Service division: courts, enforcement and high risk of harm."""

from __future__ import annotations

import numpy as np

from agents.organisation import ProbationProvider
from agents.states import Agency


class NationalProbationService(ProbationProvider):
    """One NPS division covering several CPAs; decides recalls, for CRC cases too."""

    agency = Agency.NPS

    def accept_recall_requests(self, cpa: np.ndarray, trust: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Which CRC recall requests from this division's areas it accepts (seed 003): each with chance
        base + (1 - base) x NPS-CRC trust (``enforcement.recall_acceptance_base``), at the request's draw ``u``."""
        base = self.model.params.enforcement.recall_acceptance_base
        mine = np.isin(cpa, self.cpas)
        return mine & (u < base + (1.0 - base) * trust)
