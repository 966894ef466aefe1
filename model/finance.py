"""Phase k - money: budgets, fees, Payment by Results and providers' funding.

Every pound is booked twice: government grants and fees are credited to an organisation and
counted in ``model.ledger['government']``; salaries and overheads are debited and counted in
``model.ledger['external']``; subcontracts move money between organisations. So at any time
``government == sum(balances) + external`` (tested every week).
"""

from __future__ import annotations

import numpy as np

from agents.crc import CommunityRehabilitationCompany
from agents.states import OwnerType
from agents.voluntary import VoluntaryProvider

QUARTER_WEEKS = 13


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
    caseload = model.org_caseload
    funded: dict[int, list] = {}  # each funder's active providers, in the model's order
    for vcs in model.vcs:
        if vcs.active and vcs.funder is not None:
            funded.setdefault(id(vcs.funder), []).append(vcs)
    for org in model.providers:
        if not org.active:
            continue
        c = float(cost[org.index])
        if org.funded_by_grant():
            pay(model, None, org, c + model.subcontract_cost(org))
        else:
            fee = org.fee_per_case_week * float(caseload[org.index])
            pay(model, None, org, fee)
            model.counts["crc_income"] += fee
            model.counts["crc_cost"] += c + model.subcontract_cost(org)
        pay(model, org, None, c)
        for vcs in funded.get(id(org), ()):
            pay(model, org, vcs, vcs.yearly_cost * (1 - p.voluntary.grant_share) / 52.0)
    for vcs in model.vcs:
        if vcs.active:
            pay(model, None, vcs, vcs.yearly_cost * p.voluntary.grant_share / 52.0)
            pay(model, vcs, None, vcs.yearly_cost / 52.0)
    if (w + 1) % QUARTER_WEEKS == 0:
        quarter_end(model)


def pbr_payment(model, crc: CommunityRehabilitationCompany) -> float:
    """Payment for the cohort quarter whose lag ends now: binary and frequency measures
    against the baseline; full pot at the target reduction, nothing at or above baseline."""
    f = model.params.finance
    q = (model.week + 1) // QUARTER_WEEKS - 1 - f.pbr_lag_weeks // QUARTER_WEEKS
    if q < 0 or crc.pbr_pot_per_person <= 0:
        return 0.0
    n, re, proven = model.pbr_tally[crc.index, q]
    if n == 0 or not model.pbr_quarter_active[crc.index, q]:
        return 0.0
    rate = re / n
    freq = proven / re if re else 0.0
    base_b, base_f = model.pbr_baseline
    score_b = np.clip((base_b - rate) / (base_b * f.pbr_target_reduction), 0.0, 2.0)
    score_f = np.clip((base_f - freq) / (base_f * f.pbr_target_reduction), 0.0, 2.0)
    score = f.pbr_binary_weight * score_b + (1 - f.pbr_binary_weight) * score_f
    return float(crc.pbr_pot_per_person * n * score)


def quarter_end(model) -> None:
    """PbR payments, CRC loss responses, providers' stay-or-go decisions."""
    p = model.params
    rng = model.streams.get("finance", model.week)
    for org in model.providers:
        if isinstance(org, CommunityRehabilitationCompany) and org.active and org.owner != OwnerType.PUBLIC:
            amount = pbr_payment(model, org)
            pay(model, None, org, amount)
            model.counts["pbr_paid"] += amount
            model.counts["crc_income"] += amount
            cut = org.review_quarter(org.close_quarter(), p.finance.loss_response_cut,
                                     adapt_operating_model=model.mechanism("contact"))
            if cut > 0:
                model.cut_posts(org, cut, rng)
                if org.loss_quarters >= 2:
                    model.drop_subcontract(org)
        else:
            org.close_quarter()
    for vcs in model.vcs:
        if not vcs.active:
            continue
        income = vcs.quarter_income
        vcs.close_quarter()
        cost = vcs.yearly_cost * QUARTER_WEEKS / 52.0
        if isinstance(vcs, VoluntaryProvider) and vcs.review_quarter(income, cost, p.voluntary.exit_quarters):
            vcs.funder = None
            model.retire_tie_with(vcs)
    model.refresh_org_arrays()

