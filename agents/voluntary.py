"""Voluntary and community providers: mentoring, housing, women's services."""

from __future__ import annotations

import mesa

from agents.organisation import Organisation


class VoluntaryProvider(Organisation):
    """A provider that stays while its funding covers its costs."""

    def __init__(self, model: mesa.Model, name: str, cpas: list[int], yearly_cost: float) -> None:
        super().__init__(model, name, cpas)
        self.yearly_cost = yearly_cost
        self.funder: Organisation | None = None
        self.underfunded_quarters = 0

    def review_quarter(self, income: float, cost: float, patience: int) -> bool:
        """Count quarters of under-funding; return True when the provider withdraws."""
        if income + 1e-9 < cost:
            self.underfunded_quarters += 1
        else:
            self.underfunded_quarters = 0
        if self.underfunded_quarters >= patience:
            self.active = False
        return not self.active
