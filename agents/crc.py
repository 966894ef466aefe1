"""Community Rehabilitation Company: low/medium risk cases, run under a contract once sold."""

from __future__ import annotations

from dataclasses import dataclass

import mesa

from agents.organisation import ProbationProvider
from agents.states import Agency, OwnerType


@dataclass
class Contract:
    """A CRC's contract as priced at the sale (DOMAIN.md, "The law and the contracts"): a fee per weighted
    case-week on the forecast volume, paid each week, reconciled at each contract year's end where the year's
    volume fell outside the band; fixed costs; a PbR pot per quarterly cohort against a baseline."""

    price: float  # GBP per weighted case-week
    forecast: float  # weighted case-weeks a week
    band: float  # share either side of the forecast paid at the forecast
    fixed_costs_per_week: float
    pbr_pot_per_quarter: float
    baseline: tuple[float, float]  # (reoffending rate, reoffences per reoffender) of the CRC's 2011 cohort
    year_start: int  # week the current contract year began
    pbr: bool = True  # part of the payment is by results
    year_volume: float = 0.0  # weighted case-weeks so far this contract year
    fixed_costs_covered: bool = False  # the 2017 variation: the MoJ pays the fixed costs
    ending: bool = False  # early termination announced: no more re-hiring

    @property
    def weekly_fee(self) -> float:
        return self.price * self.forecast

    def reconciliation(self, weeks: int) -> float:
        """Year-end payment (negative: repaid) for a contract year of ``weeks`` weeks: the price on the volume
        beyond the band, above or below."""
        expected = self.forecast * weeks
        low, high = expected * (1 - self.band), expected * (1 + self.band)
        return self.price * (self.year_volume - min(max(self.year_volume, low), high))


@dataclass(frozen=True)
class Review:
    """What a CRC decides at a quarterly review: posts to cut (a share) or to restore (a number), and whether
    to drop or add a subcontract."""

    cut_share: float = 0.0
    restore_posts: int = 0
    drop_subcontract: bool = False
    add_subcontract: bool = False


class CommunityRehabilitationCompany(ProbationProvider):
    """One CRC per Contract Package Area; its owner and contract shape its choices."""

    agency = Agency.CRC

    def __init__(self, model: mesa.Model, name: str, cpas: list[int]) -> None:
        super().__init__(model, name, cpas)
        self.owner = OwnerType.PUBLIC  # until sold
        self.contract: Contract | None = None
        self.loss_quarters = 0
        self.gain_quarters = 0
        self.posts_cut = 0  # posts cut in losses, not yet restored
        self.ttg_payment_per_week = 0.0

    @property
    def for_profit(self) -> bool:  # type: ignore[override]
        return self.owner == OwnerType.PRIVATE

    @property
    def sold(self) -> bool:
        return self.owner != OwnerType.PUBLIC

    @property
    def pbr_active(self) -> bool:
        """Paid partly by results under its contract."""
        return self.contract is not None and self.contract.pbr

    def funded_by_grant(self) -> bool:
        return self.contract is None

    def review_quarter(self) -> Review:
        """Close the quarter's books. A CRC under contract in loss cuts ``finance.loss_response_cut`` of its
        posts, and after two loss quarters in a row drops a subcontract; after ``finance.gain_quarters_to_hire``
        quarters in surplus it restores up to as many posts as a cut takes (of those it cut) and funds a
        provider again - unless its contract's early end has been announced."""
        net = self.close_quarter()
        if not (self.active and self.contract is not None):
            return Review()
        f = self.model.params.finance
        if net < 0:
            self.loss_quarters += 1
            self.gain_quarters = 0
            cut = f.loss_response_cut
            return Review(cut_share=cut, drop_subcontract=cut > 0 and self.loss_quarters >= 2)
        self.loss_quarters = 0
        self.gain_quarters += 1
        if self.gain_quarters < f.gain_quarters_to_hire or self.contract.ending:
            return Review()
        self.gain_quarters = 0
        staff = self.model.staff
        posts = int(((staff.employer == self.index) & staff.funded).sum())
        restore = min(self.posts_cut, max(1, int(round(f.loss_response_cut * posts)))) if self.posts_cut else 0
        return Review(restore_posts=restore, add_subcontract=True)
