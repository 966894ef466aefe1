"""Community Rehabilitation Company: low/medium risk cases, paid partly by results."""

from __future__ import annotations

from dataclasses import dataclass

import mesa

from agents.organisation import ProbationProvider
from agents.states import Agency, OwnerType


@dataclass(frozen=True)
class LossResponse:
    """What a CRC decides at a quarterly review: the share of its posts to cut, and whether to drop a
    subcontract."""

    cut_share: float = 0.0
    drop_subcontract: bool = False


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

    @property
    def sold(self) -> bool:
        return self.owner != OwnerType.PUBLIC

    def funded_by_grant(self) -> bool:
        return not self.sold

    def breach_probability(self, base: float) -> float:
        return base * (1.0 - self.underbreach)

    def parks_hard_cases(self) -> bool:
        return self.parking

    def review_quarter(self) -> LossResponse:
        """Close the quarter's books; an active, sold CRC in loss cuts posts (``finance.loss_response_cut``),
        and - when TR's contact mechanism lets the operating model adapt - raises its caseload cap and
        remote contact; after two loss quarters in a row it also drops a subcontract."""
        net = self.close_quarter()
        if not (self.active and self.sold):
            return LossResponse()
        if net >= 0:
            self.loss_quarters = 0
            return LossResponse()
        self.loss_quarters += 1
        p = self.model.params
        if self.model.mechanism("contact"):
            self.caseload_cap *= 1.0 + p.finance.loss_response_cap_rise
            self.remote_share = min(p.supervision.remote_share_max, self.remote_share + p.finance.loss_response_remote_step)
        cut = p.finance.loss_response_cut
        return LossResponse(cut, cut > 0 and self.loss_quarters >= 2)
