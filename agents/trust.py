"""Probation Trust: the public body supervising every case before TR."""

from __future__ import annotations

from agents.organisation import ProbationProvider
from agents.states import Agency


class ProbationTrust(ProbationProvider):
    """A local trust; public-sector ethos, PQF-trained staff, funded to its costs."""

    agency = Agency.TRUST
