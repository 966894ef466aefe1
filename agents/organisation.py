"""Common state of every organisation: identity, area, and its books."""

from __future__ import annotations

import mesa

from agents.states import Agency
from model.engine.calendar import YEAR_WEEKS


class Organisation(mesa.Agent):
    """An organisation with an index into the model's organisation table and a ledger.

    The ledger always balances: ``balance == income_total - spend_total``.
    """

    agency: Agency = Agency.NONE
    for_profit: bool = False

    def __init__(self, model: mesa.Model, name: str, cpas: list[int]) -> None:
        super().__init__(model)
        self.name = name
        self.cpas = list(cpas)
        self.index = -1  # position in model.orgs, set by the model
        self.active = True
        self.balance = 0.0
        self.income_total = 0.0
        self.spend_total = 0.0
        self.quarter_income = 0.0
        self.quarter_spend = 0.0

    def credit(self, amount: float) -> None:
        self.income_total += amount
        self.quarter_income += amount
        self.balance += amount

    def debit(self, amount: float) -> None:
        self.spend_total += amount
        self.quarter_spend += amount
        self.balance -= amount

    def close_quarter(self) -> float:
        """Net income of the quarter just ended; reset the quarter's counters."""
        net = self.quarter_income - self.quarter_spend
        self.quarter_income = self.quarter_spend = 0.0
        return net

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class ProbationProvider(Organisation):
    """An organisation that supervises cases (its operating model is in ``model.ops``, set by TR's channels)."""

    def funded_by_grant(self) -> bool:
        """Public bodies are funded to their costs each week."""
        return True

    def subcontractors(self) -> list:
        """The active voluntary providers this organisation funds, in the order they were built."""
        return [x for x in self.model.voluntary_providers() if x.active and x.funder is self]

    def subcontract_cost(self) -> float:
        """Weekly cost of its subcontracts (the share of providers' costs that grants do not cover)."""
        share = 1 - self.model.params.voluntary.grant_share
        return sum(x.yearly_cost * share / YEAR_WEEKS for x in self.subcontractors())
