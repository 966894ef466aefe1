"""The offending hazard and its draws on hand-built people."""

from __future__ import annotations

import math

import pytest

from agents.states import ACCOMMODATION, EMPLOYMENT, State, need_bit
from model.week.offending import hazard, offending
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


def test_no_offending_at_zero_rate():
    m = model_for(**{"offending.base_rate": 0.0})
    rows = hand_population(m, 5, state=State.FREE)
    offending(m)
    assert m.counts["offences"] == 0 and (m.pop.week_court[rows] == -1).all()


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
