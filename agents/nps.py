"""National Probation Service division: courts, enforcement and high risk of harm."""

from __future__ import annotations

from agents.organisation import ProbationProvider
from model.states import Agency


class NationalProbationService(ProbationProvider):
    """One NPS division covering several CPAs; enforces breaches for CRC cases."""

    agency = Agency.NPS

    def accepts_recall(self, trust: float, rng_u: float) -> bool:
        """A recall request from a CRC is accepted more readily when the tie is trusted."""
        return rng_u < 0.5 + 0.5 * trust
