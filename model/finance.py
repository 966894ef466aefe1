"""Phase - money: budgets, fees, Payment by Results and providers' funding.

Every pound is booked twice: government grants and fees are credited to an organisation and
counted in ``model.ledger['government']``; salaries and overheads are debited and counted in
``model.ledger['external']``; subcontracts move money between organisations. So at any time
``government == sum(balances) + external`` (tested every week).
"""

from __future__ import annotations

import numpy as np

from agents import CommunityRehabilitationCompany, NationalProbationService, ProbationTrust, VoluntaryProvider
from model.pbr import QUARTER_WEEKS
from model.workforce import cut_posts


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
    weekly_officer = f.officer_cost_gbp / 52.0 * (1.0 + f.overhead_share)
    paid_posts = staff.filled & staff.funded
    cost = np.bincount(staff.employer[paid_posts], minlength=len(model.orgs)) * weekly_officer
    caseload = model.org_caseload()
    funded: dict[int, list] = {}  # each funder's active providers, in the order they were built
    for vcs in model.voluntary_providers():
        if vcs.active and vcs.funder is not None:
            funded.setdefault(vcs.funder.index, []).append(vcs)
    grant_share = p.voluntary.grant_share
    for org in model.providers():
        if not org.active:
            continue
        c = float(cost[org.index])
        subcontractors = funded.get(org.index, [])
        subcontracts = sum(x.yearly_cost * (1 - grant_share) / 52.0 for x in subcontractors)
        if org.funded_by_grant():
            pay(model, None, org, c + subcontracts)
        else:
            fee = org.fee_per_case_week * float(caseload[org.index])
            pay(model, None, org, fee)
            model.counts["crc_income"] += fee
            model.counts["crc_cost"] += c + subcontracts
        pay(model, org, None, c)
        for vcs in subcontractors:
            pay(model, org, vcs, vcs.yearly_cost * (1 - grant_share) / 52.0)
    for vcs in model.voluntary_providers():
        if vcs.active:
            pay(model, None, vcs, vcs.yearly_cost * p.voluntary.grant_share / 52.0)
            pay(model, vcs, None, vcs.yearly_cost / 52.0)
    if (w + 1) % QUARTER_WEEKS == 0:
        quarter_end(model)


def quarter_end(model) -> None:
    """PbR payments for the quarter whose lag has passed; then every organisation's quarterly review:
    CRCs answer losses (cut posts, drop a subcontract), providers stay or go."""
    rng = model.streams.get("finance", model.week)
    for crc in model.crcs():
        if crc.active and crc.sold:
            amount = model.pbr.payment(crc, model.week)
            pay(model, None, crc, amount)
            model.counts["pbr_paid"] += amount
            model.counts["crc_income"] += amount
    crcs = model.agents_by_type[CommunityRehabilitationCompany]
    for crc, response in zip(crcs, crcs.map("review_quarter")):
        if response.cut_share > 0:
            cut_posts(model, crc, response.cut_share, rng)
        if response.drop_subcontract:
            drop_subcontract(model, crc)
    for kind in (ProbationTrust, NationalProbationService):
        if kind in model.agents_by_type:
            model.agents_by_type[kind].do("close_quarter")
    providers = model.agents_by_type.get(VoluntaryProvider)
    if providers is not None:
        for vcs, withdrew in zip(providers, providers.map("review_quarter")):
            if withdrew:
                model.interagency.retire_ties_of(vcs)
    model.refresh()


def drop_subcontract(model, org) -> None:
    """The organisation stops funding its most recently built subcontractor."""
    funded = org.subcontractors()
    if funded:
        x = funded[-1]
        x.funder = None
        model.interagency.retire_ties_of(x)
