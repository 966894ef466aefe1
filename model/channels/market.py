"""The market (seeds 001, 003, 004; DOMAIN.md, "The law and the contracts"): CRCs sold and run by contract.

At the sale (``policy.crc_sale_date``) each CRC passes to its owner (as sold, or as a scenario says) under a
contract priced on the then-forecast volume (``finance.forecast_caseload`` x the area's share, in case-weeks
weighted by sentence type): ``finance.contract_value_gbp_m`` x ``finance.modelled_share`` a year, of which
``finance.pbr_share`` is Payment by Results (``policy.pbr``) and the rest a fee paid weekly on the forecast
and reconciled at each contract year's end for the volume beyond ``finance.volume_band``. A CRC carries its
staff, subcontracts and fixed costs (``finance.fixed_costs_gbp_m``); from the 2017 variation the MoJ pays the
fixed costs. PbR pays each quarterly cohort of the CRC's cases, after ``finance.pbr_lag_weeks``, a binary
measure (beating the baseline by ``finance.pbr_hurdle``) and a frequency measure against the CRC's 2011
baseline. At each quarterly review a CRC answers losses (cut posts, drop a subcontract) and surpluses
(restore posts, fund a provider) - ``CommunityRehabilitationCompany.review_quarter``. At the split the CRC
keeps only ``voluntary.crc_subcontract_share`` of the trusts' subcontracts ("monopolies", seed 004). What a
CRC earns or loses is an outcome. Off: CRCs stay public bodies funded to their costs."""

from __future__ import annotations

import numpy as np

from agents.crc import Contract
from agents.states import OwnerType
from model.channels.base import Channel
from model.engine.calendar import WEEKS_PER_YEAR
from model.week.finance import weighted_caseload
from model.week.workforce import cut_posts, restore_posts
from model.world.network import PROVIDER_VCS

# Owners as sold in Feb 2015: all CRCs went to private-led partnerships except Durham Tees Valley (ARCC, a
# staff-mutual-led partnership). Source: MoJ announcement Dec 2014.
MUTUAL_CPAS = {"Durham Tees Valley"}
OWNER_CHOICES = {"private": OwnerType.PRIVATE, "mutual": OwnerType.MUTUAL, "voluntary": OwnerType.VOLUNTARY}


class Market(Channel):
    name = "market"

    def on_share_out(self, model) -> None:
        """The CRC keeps only a share of the trusts' subcontracts."""
        share = self.params.voluntary.crc_subcontract_share
        for crc in model.crcs():
            funded = crc.subcontractors()
            for x in funded[int(round(share * len(funded))):]:
                x.funder = None
                model.interagency.retire_ties_of(x)

    def on_sale(self, model) -> None:
        p = self.params
        f = p.finance
        model.pbr.start_week = model.week
        weighted, count = weighted_caseload(model), model.org_caseload()
        for crc in model.crcs():
            name = model.areas.cpas[crc.cpas[0]].name
            crc.owner = OWNER_CHOICES.get(p.policy.crc_owner, OwnerType.MUTUAL if name in MUTUAL_CPAS else OwnerType.PRIVATE)
            share = model.areas.share[crc.cpas[0]]
            value = f.contract_value_gbp_m * 1e6 * f.modelled_share * share  # a year, at the forecast volume
            pbr = f.pbr_share if p.policy.pbr else 0.0
            mean_weight = weighted[crc.index] / count[crc.index] if count[crc.index] else f.weight_order
            forecast = f.forecast_caseload * share * mean_weight  # weighted case-weeks a week
            crc.contract = Contract(price=value * (1 - pbr) / WEEKS_PER_YEAR / forecast, forecast=forecast,
                                    band=f.volume_band,
                                    fixed_costs_per_week=f.fixed_costs_gbp_m * 1e6 * f.modelled_share * share / WEEKS_PER_YEAR,
                                    pbr_pot_per_quarter=value * pbr / 4.0, baseline=model.pbr.baseline_of(crc.cpas[0]),
                                    year_start=model.week, pbr=p.policy.pbr)

    def on_variation(self, model) -> None:
        for crc in model.crcs():
            if crc.contract is not None:
                crc.contract.fixed_costs_covered = True

    def on_termination_announced(self, model) -> None:
        for crc in model.crcs():
            if crc.contract is not None:
                crc.contract.ending = True

    def on_reunification(self, model) -> None:
        for crc in model.crcs():
            crc.contract = None

    # ---- money ------------------------------------------------------------------------
    def week(self, model, crc, staff_cost: float, subcontracts: float, weighted_cases: float) -> tuple[float, float]:
        """A CRC's income and costs this week under its contract: the fee on the forecast, the fixed costs
        once the variation covers them, enhanced TTG; staff, subcontracts and fixed costs. Also counts the
        week's weighted volume and reconciles a contract year that ends."""
        c = crc.contract
        c.year_volume += weighted_cases
        income = c.weekly_fee + crc.ttg_payment_per_week + (c.fixed_costs_per_week if c.fixed_costs_covered else 0.0)
        if model.week + 1 - c.year_start >= round(WEEKS_PER_YEAR):
            income += c.reconciliation(model.week + 1 - c.year_start)
            c.year_start, c.year_volume = model.week + 1, 0.0
        return income, staff_cost + subcontracts + c.fixed_costs_per_week

    def pbr_payment(self, model, crc) -> float:
        """PbR for the cohort quarter whose follow-up and lag end now."""
        if crc.contract is None or not crc.pbr_active:
            return 0.0
        return model.pbr.payment(crc.index, crc.contract.pbr_pot_per_quarter, crc.contract.baseline, model.week)

    def on_review(self, model, crc, review, rng: np.random.Generator) -> None:
        """Carry out a CRC's quarterly decision on posts and subcontracts (its operating model is the contact
        channel's)."""
        if crc.contract is None:
            return
        if review.cut_share > 0:
            crc.posts_cut += cut_posts(model, crc, review.cut_share, rng)
        if review.restore_posts > 0:
            crc.posts_cut -= restore_posts(model, crc, review.restore_posts)
        if review.drop_subcontract:
            funded = crc.subcontractors()
            if funded:
                funded[-1].funder = None
                model.interagency.retire_ties_of(funded[-1])
        if review.add_subcontract:
            free = [x for x in model.voluntary_providers() if x.active and x.funder is None and crc.cpas[0] in x.cpas]
            if free:
                free[0].funder = crc
                model.ties.add(crc.index, free[0].index, PROVIDER_VCS, model.interagency.reference_trust, False)
