"""Payment by Results: tallies by cohort quarter and payments."""

from __future__ import annotations

import numpy as np
import pytest

from agents.states import Rosh, SentenceKind, State
from model.channels.pbr import QUARTER_WEEKS
from model.week.cases import close_cohorts, open_cohorts
from model.week.finance import quarter_end
from tests.helpers import hand_population, model_for


def sold_model(**overrides):
    m = model_for("tr", end="2019-12-31", **overrides)
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m


def test_pbr_payment_and_crc_balance_on_a_hand_set_tally():
    m = sold_model(**{"finance.pbr_target_reduction": 0.1, "finance.pbr_binary_weight": 0.5, "finance.pbr_hurdle": 0.01})
    crc = next(o for o in m.crcs() if o.active)
    crc.contract.pbr_pot_per_quarter = 10_000.0
    crc.contract.baseline = (0.475, 4.2)
    lag_quarters = m.params.finance.pbr_lag_weeks // QUARTER_WEEKS
    q = 3
    m.pbr.tally[crc.index, q] = (100, 40, 120)  # 100 people, 40 reoffended, 120 proven reoffences
    m.pbr.quarter_active[crc.index, q] = True
    m.week = (q + 1 + lag_quarters) * QUARTER_WEEKS - 1  # the quarter end, a lag after the cohort quarter ends
    score_b = min(max((0.475 - 0.01 - 0.40) / (0.475 * 0.1), 0.0), 2.0)  # beyond the hurdle
    score_f = min(max((4.2 - 3.0) / (4.2 * 0.1), 0.0), 2.0)
    want = 10_000.0 * (0.5 * score_b + 0.5 * score_f)
    assert m.channels.market.pbr_payment(m, crc) == pytest.approx(want, rel=1e-12)
    assert want == pytest.approx(16842.105263157893)
    m.pbr.tally[crc.index, q] = (100, 47, 141)  # 0.5 points below the baseline: within the hurdle, frequency 3.0
    assert m.channels.market.pbr_payment(m, crc) == pytest.approx(10_000.0 * 0.5 * score_f)
    m.pbr.tally[crc.index, q] = (100, 60, 300)  # worse than baseline on both measures: nothing paid
    assert m.channels.market.pbr_payment(m, crc) == 0.0
    m.pbr.quarter_active[crc.index, q] = False  # a quarter before the sale: not under contract
    m.pbr.tally[crc.index, q] = (100, 40, 120)
    assert m.channels.market.pbr_payment(m, crc) == 0.0
    m.pbr.quarter_active[crc.index, q] = True
    for o in m.orgs:
        o.quarter_income = o.quarter_spend = 0.0
    balance, government = crc.balance, m.ledger["government"]
    quarter_end(m)
    assert crc.balance - balance == pytest.approx(want, rel=1e-12)  # paid once, to this CRC
    assert m.ledger["government"] - government == pytest.approx(want, rel=1e-12)  # and by nobody else
    assert m.counts["pbr_paid"] == pytest.approx(want)


def test_every_low_medium_risk_community_start_lands_in_its_crcs_pbr_tally():
    m = model_for("tr")
    m.channels.fire(m, "share_out")
    m.week = 60
    m.channels.fire(m, "sale")
    rows = hand_population(m, 40, state=State.COMMUNITY, sentence_kind=SentenceKind.COMMUNITY, week_end=200,
                           rosh=[Rosh.LOW, Rosh.MEDIUM, Rosh.HIGH, Rosh.VERY_HIGH] * 10, org=-1, officer=-1)
    m.pop.cpa[rows] = 0
    open_cohorts(m, rows, SentenceKind.COMMUNITY)  # before any allocation: the rule, not the officer, decides
    crc, nps = int(m.areas.crc_of[0]), int(m.areas.nps_of[0])
    low = m.pop.rosh[rows] < Rosh.HIGH
    assert (m.pop.cohort_org[rows[low]] == crc).all() and (m.pop.cohort_org[rows[~low]] == nps).all()
    m.pop.cohort_proven[rows] = np.arange(40) % 3
    m.week = 60 + 52

    close_cohorts(m)
    q = 60 // 13
    assert m.pbr.tally[crc, q, 0] == 20 and m.pbr.tally[crc, q, 1] == int((m.pop.cohort_proven[rows[low]] > 0).sum())
    assert m.pbr.quarter_active[crc, q] and m.pbr.tally[nps].sum() == 0
