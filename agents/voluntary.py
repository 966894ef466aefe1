"""Voluntary and community providers: mentoring, housing, women's services."""

from __future__ import annotations

import mesa

from agents.organisation import Organisation
from model.engine.calendar import QUARTER_WEEKS, YEAR_WEEKS


class VoluntaryProvider(Organisation):
    """A provider that stays while its funding covers its costs."""

    def __init__(self, model: mesa.Model, name: str, cpas: list[int], yearly_cost: float) -> None:
        super().__init__(model, name, cpas)
        self.yearly_cost = yearly_cost
        self.funder: Organisation | None = None
        self.underfunded_quarters = 0

    def review_quarter(self) -> bool:
        """Stay or go: count quarters whose income fell short of cost; after ``voluntary.exit_quarters`` of
        them in a row the provider withdraws (returns True that quarter)."""
        if not self.active:
            return False
        income = self.quarter_income
        self.close_quarter()
        cost = self.yearly_cost * QUARTER_WEEKS / YEAR_WEEKS
        self.underfunded_quarters = self.underfunded_quarters + 1 if income + 1e-9 < cost else 0
        if self.underfunded_quarters >= self.model.params.voluntary.exit_quarters:
            self.active = False
            self.funder = None
        return not self.active
