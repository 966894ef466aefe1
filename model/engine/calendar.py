"""The model's calendar: weekly steps on real dates."""

from __future__ import annotations

import datetime as dt

WEEK = dt.timedelta(days=7)
WEEKS_PER_YEAR = 52.1775  # mean weeks in a calendar year (365.2425 / 7): yearly inputs and money spread over weeks
YEAR_WEEKS = 52  # a year in whole weeks: the law's 12 months (PSS, cohorts), and yearly rates in the rules
QUARTER_WEEKS = 13  # a quarter: contracts' and organisations' reviews, PbR cohorts


def parse_date(text: str | dt.date) -> dt.date:
    """Parse an ISO date (YYYY-MM-DD); raise ValueError with the text if it is not one."""
    if isinstance(text, dt.date):
        return text
    return dt.date.fromisoformat(str(text))


class Calendar:
    """Maps week indices (0 = the week starting on ``start``) to dates and back."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        if end <= start:
            raise ValueError(f"end {end} is not after start {start}")
        self.start = start
        self.end = end
        self.n_weeks = (end - start).days // 7 + 1

    def date_of(self, week: int) -> dt.date:
        """First day of week ``week``."""
        return self.start + week * WEEK

    def week_of(self, date: dt.date) -> int:
        """Index of the first week starting on or after ``date`` (may be negative)."""
        days = (date - self.start).days
        return -((-days) // 7)

    def year_of(self, week: int) -> int:
        return self.date_of(week).year

    def years(self) -> list[int]:
        return list(range(self.start.year, self.date_of(self.n_weeks - 1).year + 1))
