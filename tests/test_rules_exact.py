"""Behavioural rules checked by hand on tiny built populations, independent of any saved snapshot.

Each test computes the rule's expected value from its equation (docs/ODD.md) and compares it with
what the engine does; a seeded bug in the rule (a dropped factor, a flipped sign, an off-by-one
week) fails here even if the regression baselines were regenerated.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from agents.states import ACCOMMODATION, EMPLOYMENT, Agency, SentenceKind, State, need_bit
from model.channels.pbr import QUARTER_WEEKS
from model.week.cases import COHORT_WEEKS, close_cohorts, open_cohorts
from model.week.custody import custody
from model.week.finance import quarter_end
from model.week.offending import hazard
from tests.helpers import hand_population, model_for


def expected_hazard(p, w, *, propensity, unmet, home, week_released, week_clean, supervised,
                    dose, quality, relationship, iom_info):
    """lambda = base x propensity x needs x release spike x desistance x supervision x IOM."""
    o = p.offending
    lam = o.base_rate * propensity
    lam *= 1.0 + p.needs.hazard_weight * unmet + p.needs.housing_weight * home
    lam *= 1.0 + o.release_spike * math.exp(-(w - week_released) / o.release_spike_weeks)
    lam *= math.exp(-o.desistance_per_year * (w - week_clean) / 52.0)
    if supervised:
        lam *= 1.0 - p.supervision.effect_max * min(dose, 1.0) * quality * (0.5 + 0.5 * relationship)
    if iom_info is not None:
        lam *= max(1.0 - p.iom.offending_effect * iom_info, 0.0)
    return lam


def test_hazard_is_the_product_of_its_named_factors():
    m = model_for()
    m.week = w = 60
    rows = hand_population(
        m, 6,
        state=[State.FREE, State.COMMUNITY, State.LICENCE, State.LICENCE, State.CUSTODY, State.FREE],
        propensity=[1.0, 0.25, 4.0, 4.0, 1.0, 0.9], week_released=[-10_000, -10_000, 55, 55, 50, 58],
        week_conviction_free=[0, 10, 50, 50, 40, 30], dose=[0.0, 1.2, 0.6, 0.6, 0.5, 0.0],
        quality=[0.0, 0.8, 0.7, 0.7, 0.9, 0.0], relationship=[0.0, 0.4, 0.9, 0.9, 0.5, 0.0],
        iom=[False, False, False, True, False, True])
    m.pop.need[rows[1]] = need_bit(ACCOMMODATION) | need_bit(EMPLOYMENT)
    m.pop.need_met[rows[1]] = need_bit(EMPLOYMENT)  # one unmet need, and it is housing
    m.pop.need[rows[2:4]] = need_bit(EMPLOYMENT)
    info = 1.0  # pre-reform information flow at the starting trust
    lam = hazard(m, m.pop.view())
    cols = {name: getattr(m.pop, name)[rows] for name in ("propensity", "week_released",
                                                           "week_conviction_free", "dose", "quality", "relationship")}
    unmet = [0, 1, 1, 1, 0, 0]
    home = [0, 1, 0, 0, 0, 0]
    supervised = [False, True, True, True, False, False]
    iom = [None, None, None, info, None, info]
    for j, r in enumerate(rows):
        if m.pop.state[r] == State.CUSTODY:
            assert lam[r] == 0.0  # no offending in custody
            continue
        want = expected_hazard(m.params, w, propensity=float(cols["propensity"][j]), unmet=unmet[j], home=home[j],
                               week_released=int(cols["week_released"][j]),
                               week_clean=int(cols["week_conviction_free"][j]), supervised=supervised[j],
                               dose=float(cols["dose"][j]), quality=float(cols["quality"][j]),
                               relationship=float(cols["relationship"][j]), iom_info=iom[j])
        assert lam[r] == pytest.approx(want, rel=2e-6), j
    assert lam[rows[3]] < lam[rows[2]]  # IOM lowers the hazard of the same person
    assert lam[rows[1]] < expected_hazard(m.params, w, propensity=0.25, unmet=1, home=1,
                                          week_released=-10_000, week_clean=10, supervised=False, dose=0.0,
                                          quality=0.0, relationship=0.0, iom_info=None)  # supervision lowers it


def test_release_at_sentence_end_is_not_supervised():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 2, state=State.CUSTODY, sentence_kind=SentenceKind.LONG_CUSTODY,
                           week_release=10, week_end=[10, 11], week_licence_end=[10, 11])
    custody(m)
    assert m.pop.state[rows[0]] == State.FREE  # licence would end the week it starts
    assert m.pop.state[rows[1]] == State.LICENCE and m.pop.week_end[rows[1]] == 11


def test_cohort_is_tallied_exactly_52_weeks_after_it_opens():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 1, state=State.FREE)
    open_cohorts(m, rows, SentenceKind.COMMUNITY)
    m.pop.cohort_proven[rows] = 3
    crc = int(m.pop.cohort_crc[rows[0]])
    for week in range(11, 10 + COHORT_WEEKS):
        m.week = week
        close_cohorts(m)
        assert m.pop.cohort_start[rows[0]] == 10, week
    assert m.recorder.cohort[10].sum() == 0
    m.week = 10 + COHORT_WEEKS
    close_cohorts(m)
    assert not m.pop.cohort_open[rows[0]]
    group = 2 * int(m.pop.female[rows[0]]) + int(m.pop.minority[rows[0]])
    assert list(m.recorder.cohort[10, SentenceKind.COMMUNITY, crc, group]) == [1, 1, 3]


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


def test_fee_reconciliation_on_a_hand_built_contract_year():
    from agents.crc import Contract

    c = Contract(price=10.0, forecast=100.0, band=0.1, fixed_costs_per_week=0.0, pbr_pot_per_quarter=0.0,
                 baseline=(0.475, 4.2), year_start=0)
    c.year_volume = 52 * 100.0 * 0.95  # within the band: the forecast was paid and stands
    assert c.reconciliation(52) == 0.0
    c.year_volume = 52 * 100.0 * 0.70  # 30% short: 20% of the forecast beyond the band is repaid
    assert c.reconciliation(52) == pytest.approx(-10.0 * 52 * 100.0 * 0.20)
    c.year_volume = 52 * 100.0 * 1.25  # 25% over: 15% beyond the band is paid
    assert c.reconciliation(52) == pytest.approx(10.0 * 52 * 100.0 * 0.15)


def test_swift_breach_for_iom_cases_with_good_information():
    from model.week.enforcement import enforcement

    m = model_for(**{"enforcement.miss_prob": 1.0, "enforcement.warnings_before_breach": 0,
                     "enforcement.breach_prob_public": 1.0})
    m.week = 40
    officer = int(np.flatnonzero(m.staff.filled)[0])
    rows = hand_population(m, 2, state=State.LICENCE, officer=officer, org=int(m.staff.employer[officer]),
                           week_end=100, ogrs=99.0, dose=1.0, relationship=0.0,
                           sentence_kind=SentenceKind.LONG_CUSTODY, iom=[True, False])
    enforcement(m)
    assert list(m.pop.week_breach[rows]) == [41, 42]  # IOM: one week; others the usual two


def delays(m, rows):
    """(enforcement, transfer) delays in weeks, as the phases compute them."""
    delay = m.channels.interagency.delay
    return (list(delay(m, rows, m.params.enforcement.decision_weeks)),
            list(np.maximum(delay(m, rows, m.params.risk.transfer_delay_weeks), 1)))


def test_enforcement_and_transfer_delays_grow_as_nps_crc_trust_falls():
    m = sold_model(**{"risk.transfer_delay_weeks": 3.0})
    crc = int(m.areas.crc_of[0])
    rows = hand_population(m, 2, state=State.COMMUNITY, week_end=500, agency=[Agency.CRC, Agency.NPS],
                           org=[crc, int(m.areas.nps_of[0])])
    tie = m.ties.find(int(m.areas.nps_of[0]), crc)
    m.ties.trust[tie] = m.interagency.reference_trust / 2  # half the trust: twice the wait for CRC cases
    assert delays(m, rows) == ([4, 2], [6, 3])
    off = sold_model(**{"risk.transfer_delay_weeks": 3.0, "tr.mechanisms.interagency": False})
    rows = hand_population(off, 1, state=State.COMMUNITY, week_end=500, agency=Agency.CRC, org=crc)
    off.ties.trust[off.ties.find(int(off.areas.nps_of[0]), crc)] = off.interagency.reference_trust / 2
    assert delays(off, rows) == ([2], [3])


@pytest.mark.parametrize("on", [True, False])
def test_relationships_mechanism_acts_on_its_own_rules(on):
    m = sold_model(**{"tr.mechanisms.relationships": on})
    crc = next(o for o in m.crcs() if o.active)
    r = m.params.relationships
    assert m.ops.transfer_keep == (r.transfer_keep if on else r.officer_change_keep)
    assert m.ops.profit_perception[crc.index] == (1.0 if on else 0.0)
    assert m.ops.skill_ceiling[crc.index] == (m.params.workforce.skill_ceiling_crc if on
                                              else m.params.workforce.skill_ceiling_public)


@pytest.mark.parametrize("on", [True, False])
def test_contact_mechanism_acts_on_its_own_rules(on):
    m = sold_model(**{"tr.mechanisms.contact": on})
    crc = next(o for o in m.crcs() if o.active)
    s = m.params.supervision
    assert bool(m.ops.parks[crc.index]) is on
    assert m.ops.remote[crc.index] == (s.remote_share_crc if on else s.remote_share_trust)
    assert m.ops.iom_protected is (not on)


@pytest.mark.parametrize("on", [True, False])
def test_interagency_mechanism_acts_on_its_own_rules(on):
    m = sold_model(**{"tr.mechanisms.interagency": on})
    crc = next(o for o in m.crcs() if o.active)
    i = m.params.information
    assert m.ops.confidential[crc.index] == (1.0 if on else 0.0)
    assert m.ops.access[crc.index] == pytest.approx(1.0 - i.it_access_penalty if on else 1.0)
    assert m.ops.breach_prob[crc.index] == pytest.approx(
        m.params.enforcement.breach_prob_public * (1 - m.params.enforcement.crc_underbreach if on else 1.0))
    force = m.areas.forces_of[0][0]
    tie = m.ties.find(force, crc.index)
    assert bool(m.ties.colocated[tie]) is (not on)
