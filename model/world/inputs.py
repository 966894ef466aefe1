"""Court disposals by year (``model/data/disposals.csv``): what the courts put into probation each week.

Disposals are the model's driver in every scenario: each week the courts sentence, in each area, the
area's share of the year's national disposals of each kind. People already in the model who are due
in court take their share first; newcomers make up the rest (``model/week/sentencing.py``).
"""

from __future__ import annotations

import csv
from enum import IntEnum
from functools import cache
from pathlib import Path

import numpy as np

from model.engine.calendar import WEEKS_PER_YEAR

DATA = Path(__file__).parents[1] / "data" / "disposals.csv"


class Disposal(IntEnum):
    """The kinds of court disposal the inputs count."""

    COMMUNITY_ORDER = 0
    SUSPENDED_ORDER = 1
    CUSTODY_UNDER_12M = 2
    CUSTODY_12M_TO_4Y = 3
    CUSTODY_OVER_4Y = 4


COLUMNS = ("community_orders", "suspended_sentence_orders", "custody_under_12m", "custody_12m_to_4y", "custody_over_4y")
CUSTODY = (Disposal.CUSTODY_UNDER_12M, Disposal.CUSTODY_12M_TO_4Y, Disposal.CUSTODY_OVER_4Y)


@cache
def table() -> tuple[np.ndarray, np.ndarray]:
    """(years, disposals[year, kind]) from the data file."""
    with DATA.open(newline="") as f:
        rows = list(csv.DictReader(f))
    years = np.array([int(r["year"]) for r in rows])
    values = np.array([[float(r[c]) for c in COLUMNS] for r in rows])
    return years, values


def yearly(year: int) -> np.ndarray:
    """National disposals of each kind in ``year`` (the first or last row outside the data's years)."""
    years, values = table()
    return values[int(np.clip(year - years[0], 0, len(years) - 1))].copy()


class Inputs:
    """The disposals a run uses: observed by year, or held at the start year's level."""

    def __init__(self, params) -> None:
        self.held = params.inputs.volumes == "held"
        self.start_year = params.start_date.year
        self._years: dict[int, np.ndarray] = {}  # asked for every week: computed once a year
        self._weekly: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def national_per_year(self, year: int) -> np.ndarray:
        if year not in self._years:
            self._years[year] = yearly(self.start_year if self.held else year)
        return self._years[year].copy()

    def weekly(self, year: int, area_share: np.ndarray) -> np.ndarray:
        """Expected disposals a week by area and kind: national yearly x area share / WEEKS_PER_YEAR."""
        known = self._weekly.get(year)
        if known is None or known[0] is not area_share:
            known = self._weekly[year] = (area_share, np.outer(area_share, self.national_per_year(year)) / WEEKS_PER_YEAR)
        return known[1].copy()
