"""Agents of the probation system: people, staff and organisations."""

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
