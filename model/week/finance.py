"""Weekly phase - money: budgets, contracts, Payment by Results and providers' funding.

Every pound is booked twice: government grants and fees are credited to an organisation and
counted in ``model.ledger['government']``; salaries, overheads and fixed costs are debited and counted
in ``model.ledger['external']``; subcontracts move money between organisations. So at any time
``government == sum(balances) + external`` (tested every week). Public bodies (the trusts, the NPS and
CRCs not run by contract) are funded to their costs; a CRC under contract is paid by it (the market
channel, ``model/channels/market.py``).
"""

from __future__ import annotations

import numpy as np

from agents import CommunityRehabilitationCompany, NationalProbationService, ProbationTrust, VoluntaryProvider
from model.engine.calendar import QUARTER_WEEKS, YEAR_WEEKS
from model.week.cases import cases_by_org_and_type


def pay(model, payer, payee, amount: float) -> None:
    """Move money between two organisations, or from (payer None) government / to (payee None) outside."""
    if amount == 0:
        return
    if payer is None:
        model.ledger["government"] += amount
    else:
        payer.debit(amount)
    if payee is None:
        model.ledger["external"] += amount
    else:
        payee.credit(amount)


def finance(model) -> None:
    """Weekly costs and income; quarterly PbR payments and reviews."""
    p, staff, w = model.params, model.staff, model.week
    f = p.finance
    weekly_officer = f.officer_cost_gbp / YEAR_WEEKS * (1.0 + f.overhead_share)
    paid_posts = staff.filled & staff.funded
    cost = np.bincount(staff.employer[paid_posts], minlength=len(model.orgs)) * weekly_officer
    funded: dict[int, list] = {}  # each funder's active providers, in the order they were built
    for vcs in model.voluntary_providers():
        if vcs.active and vcs.funder is not None:
            funded.setdefault(vcs.funder.index, []).append(vcs)
    grant_share = p.voluntary.grant_share
    weighted = None
    market = model.channels.market
    for org in model.providers():
        if not org.active:
            continue
        c = float(cost[org.index])
        subcontractors = funded.get(org.index, [])
        subcontracts = sum(x.yearly_cost * (1 - grant_share) / YEAR_WEEKS for x in subcontractors)
        if org.funded_by_grant():
            pay(model, None, org, c + subcontracts)
            pay(model, org, None, c)
        else:
            if weighted is None:
                weighted = weighted_caseload(model)
            income, spent = market.week(model, org, c, subcontracts, float(weighted[org.index]))
            pay(model, None, org, income)
            pay(model, org, None, spent - subcontracts)
            model.counts["crc_income"] += income
            model.counts["crc_cost"] += spent
        for vcs in subcontractors:
            pay(model, org, vcs, vcs.yearly_cost * (1 - grant_share) / YEAR_WEEKS)
    for vcs in model.voluntary_providers():
        if vcs.active:
            pay(model, None, vcs, vcs.yearly_cost * grant_share / YEAR_WEEKS)
            pay(model, vcs, None, vcs.yearly_cost / YEAR_WEEKS)
    if (w + 1) % QUARTER_WEEKS == 0:
        quarter_end(model)


def quarter_end(model) -> None:
    """PbR payments for the quarter whose lag has passed; then every organisation's quarterly review:
    CRCs answer losses and surpluses (the market channel carries out their decisions), providers stay or go."""
    rng = model.streams.get("finance", model.week)
    market = model.channels.market
    for crc in model.crcs():
        if crc.active:
            amount = market.pbr_payment(model, crc)
            pay(model, None, crc, amount)
            model.counts["pbr_paid"] += amount
            model.counts["crc_income"] += amount
    crcs = model.agents_by_type.get(CommunityRehabilitationCompany)
    if crcs is not None:
        for crc, review in zip(crcs, crcs.map("review_quarter")):
            model.channels.review(model, crc, review, rng)
    for kind in (ProbationTrust, NationalProbationService):
        if kind in model.agents_by_type:
            model.agents_by_type[kind].do("close_quarter")
    providers = model.agents_by_type.get(VoluntaryProvider)
    if providers is not None:
        for vcs, withdrew in zip(providers, providers.map("review_quarter")):
            if withdrew:
                model.interagency.retire_ties_of(vcs)
    model.refresh()


def weighted_caseload(model) -> np.ndarray:
    """Each organisation's supervised cases this week weighted by sentence type (``finance.weight_*``)."""
    f = model.params.finance
    by_type = cases_by_org_and_type(model)  # order, licence, PSS, custody
    return by_type @ np.array([f.weight_order, f.weight_licence, f.weight_pss, f.weight_custody])
