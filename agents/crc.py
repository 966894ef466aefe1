"""Community Rehabilitation Company: low/medium risk cases, paid partly by results."""

from __future__ import annotations

import mesa

from agents.organisation import ProbationProvider
from agents.states import Agency, OwnerType


class CommunityRehabilitationCompany(ProbationProvider):
    """One CRC per Contract Package Area; its owner and contract shape its choices."""

    agency = Agency.CRC

    def __init__(self, model: mesa.Model, name: str, cpas: list[int], caseload_cap: float,
                 remote_share: float) -> None:
        super().__init__(model, name, cpas, caseload_cap, remote_share)
        self.owner = OwnerType.PUBLIC  # until sold
        self.fee_per_case_week = 0.0
        self.pbr_share = 0.0
        self.pbr_pot_per_person = 0.0
        self.loss_quarters = 0
        self.underbreach = 0.0
        self.recall_push = 0.0
        self.parking = False

    @property
    def for_profit(self) -> bool:  # type: ignore[override]
        return self.owner == OwnerType.PRIVATE

    def funded_by_grant(self) -> bool:
        return self.owner == OwnerType.PUBLIC

    def breach_probability(self, base: float) -> float:
        return base * (1.0 - self.underbreach)

    def parks_hard_cases(self) -> bool:
        return self.parking

    def review_quarter(self, net_income: float, cut: float, adapt_operating_model: bool) -> float:
        """Answer a loss: return the share of staff posts to cut; may raise caps and remote contact."""
        if net_income >= 0:
            self.loss_quarters = 0
            return 0.0
        self.loss_quarters += 1
        if adapt_operating_model:
            self.caseload_cap *= 1.05
            self.remote_share = min(0.8, self.remote_share + 0.05)
        return cut
