"""What organisations and people decide: CRCs, the NPS, police forces, voluntary providers, trusts (their books),
and officers' responses to their work; each decision testable on a hand-built state."""

from agents.crc import CommunityRehabilitationCompany
from agents.nps import NationalProbationService
from agents.organisation import Organisation
from agents.police import PoliceForce
from agents.trust import ProbationTrust
from agents.voluntary import VoluntaryProvider

__all__ = [
    "CommunityRehabilitationCompany",
    "NationalProbationService",
    "Organisation",
    "PoliceForce",
    "ProbationTrust",
    "VoluntaryProvider",
]
