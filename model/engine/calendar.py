"""The model's calendar: weekly steps on real dates."""

from __future__ import annotations

import datetime as dt

WEEK = dt.timedelta(days=7)


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
