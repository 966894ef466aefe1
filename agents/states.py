"""Enumerations shared by the model and its agents."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class State(IntEnum):
    """Where a person is. Every live row is in exactly one state."""

    EMPTY = 0  # slot not in use (never used, or the person left the system)
    FREE = 1  # at liberty without statutory supervision
    CUSTODY = 2
    COMMUNITY = 3  # community order or suspended sentence order
    LICENCE = 4  # licence or post-sentence supervision after release


class Regime(StrEnum):
    """Who supervises cases: the probation trusts, the NPS and CRCs after the split, or the NPS alone."""

    TRUSTS = "trusts"
    SPLIT = "split"
    REUNIFIED = "reunified"


class Rosh(IntEnum):
    """Risk of serious harm."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    VERY_HIGH = 3


class Agency(IntEnum):
    """Kind of organisation supervising a case."""

    NONE = 0
    TRUST = 1
    NPS = 2
    CRC = 3


class SentenceKind(IntEnum):
    COMMUNITY = 0
    SHORT_CUSTODY = 1  # under 12 months
    LONG_CUSTODY = 2  # 12 months or more


class Offence(IntEnum):
    ROBBERY_BURGLARY = 0
    OTHER_ACQUISITIVE = 1
    VIOLENCE = 2
    DRUGS = 3
    OTHER = 4


class Grade(IntEnum):
    PSO = 0
    PO = 1


class PoliceRole(IntEnum):
    IOM = 0
    NEIGHBOURHOOD = 1


class OwnerType(IntEnum):
    PUBLIC = 0
    PRIVATE = 1
    MUTUAL = 2
    VOLUNTARY = 3


NEEDS = ("accommodation", "employment", "substance", "mental_health", "attitudes")
ACCOMMODATION, EMPLOYMENT, SUBSTANCE, MENTAL_HEALTH, ATTITUDES = range(5)
# A person's needs (and those met) are one byte each: bit k set = need k (see ``need_bit``).
N_NEEDS = len(NEEDS)
ALL_NEEDS = (1 << N_NEEDS) - 1


def need_bit(k: int) -> int:
    """The bit of need ``k`` in a needs byte."""
    return 1 << k
