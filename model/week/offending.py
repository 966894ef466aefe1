"""Weekly phase - offending: weekly hazard, offences (most undetected), detection and conviction.

The weekly hazard of a person at liberty is the product of named factors (docs/ODD.md, Offending):

    lambda = base x propensity x needs x release spike x desistance x supervision x IOM

where a person's propensity, set when they first come to court, is risk(OGRS then) x frailty x sex
and declines as they age out of crime (``ageing``). Each factor is one small function below. Those of
an integer (weeks since release; weeks since the last conviction; the byte of unmet needs) are
tabulated once per run by calling that same function over the integer's range.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from agents.states import ACCOMMODATION, N_NEEDS, State
from model.engine.calendar import YEAR_WEEKS
from model.engine.kernels import kernel, rows_where
from model.engine.keyed_draws import poisson_by_row
from model.week import cases
from model.week.cases import COHORT_WEEKS, PROOF_WEEKS
from model.world.population import bundle

EMPTY, FREE, COMMUNITY, LICENCE = int(State.EMPTY), int(State.FREE), int(State.COMMUNITY), int(State.LICENCE)



# ---- the factors ------------------------------------------------------------------------
def propensity(frailty: np.ndarray, ogrs: np.ndarray, female: np.ndarray, o) -> np.ndarray:
    """A person's own rate relative to the base: frailty (gamma, mean 1) x (OGRS / 50) ^ exponent x sex."""
    return frailty * (np.asarray(ogrs, dtype=np.float64) / 50.0) ** o.ogrs_exponent * np.where(female, o.female_factor, 1.0)


def needs_factor(unmet: np.ndarray, per_need: float, housing: float) -> np.ndarray:
    """1 + per_need x (number of unmet needs) + housing x (accommodation unmet)."""
    unmet = np.asarray(unmet, dtype=np.int64)
    count = sum((unmet >> k) & 1 for k in range(N_NEEDS))
    return 1.0 + per_need * count + housing * ((unmet >> ACCOMMODATION) & 1)


def release_spike(weeks_since_release: np.ndarray, size: float, decay_weeks: float) -> np.ndarray:
    """1 + size x exp(-weeks since release / decay weeks): risk is highest just after release."""
    return 1.0 + size * np.exp(-np.asarray(weeks_since_release, dtype=np.float64) / decay_weeks)


def desistance(weeks_clean: np.ndarray, per_year: float) -> np.ndarray:
    """exp(-per_year x years since the last conviction)."""
    return np.exp(-per_year * np.asarray(weeks_clean, dtype=np.float64) / YEAR_WEEKS)


@kernel
def supervision_effect(dose, quality, relationship, effect_max):
    """Share of the hazard removed by supervision: effect_max x min(dose, 1) x quality x (0.5 + 0.5 r)."""
    return effect_max * min(dose, 1.0) * quality * (0.5 + 0.5 * relationship)


def iom_factor(information: np.ndarray, effect: float) -> np.ndarray:
    """1 - IOM effect x information flow (1 = pre-reform level; up to 1.2), never below 0."""
    return np.maximum(1.0 - effect * information, 0.0)


# ---- tables and columns ----------------------------------------------------------------
class FactorTables(NamedTuple):
    """The integer-argument factors, tabulated: needs[unmet byte], spike[weeks], desist[weeks]."""

    needs: np.ndarray
    spike: np.ndarray
    desist: np.ndarray


def factor_tables(p, weeks: int) -> FactorTables:
    """Each factor over its integer argument (weeks up to ``weeks``)."""
    o = p.offending
    span = np.arange(weeks + 1)
    return FactorTables(needs_factor(np.arange(1 << N_NEEDS), p.needs.hazard_weight, p.needs.housing_weight),
                        release_spike(span, o.release_spike, o.release_spike_weeks),
                        desistance(span, o.desistance_per_year))


HazardColumns = bundle("HazardColumns", ("state", "propensity", "need", "need_met", "week_released",
                                         "week_conviction_free", "dose", "quality", "relationship"), __name__)
"""The population columns the hazard reads."""


class HazardRates(NamedTuple):
    """The scalar parameters of the hazard."""

    base_rate: float
    effect_max: float


class Hazard:
    """The weekly hazard of a run, with its factor tables.

    The release spike is read at min(weeks, end of table): the table is long enough (40 decay times)
    that its last entry is exactly 1 in float64. The desistance table grows when someone's last
    conviction lies further back than it reaches."""

    def __init__(self, params, weeks: int) -> None:
        self.params = params
        self.tables = factor_tables(params, max(weeks, int(40 * params.offending.release_spike_weeks) + 1))
        o = params.offending
        self.rates = HazardRates(o.base_rate, params.supervision.effect_max)

    def __call__(self, model, v: slice) -> np.ndarray:
        """Expected offences this week for every row in ``v`` (0 for those in custody or not in use)."""
        pop, w = model.pop, model.week
        longest_clean = w - int(pop.week_conviction_free[v].min(initial=w))
        if longest_clean >= self.tables.desist.size:
            self.tables = factor_tables(self.params, 2 * longest_clean)
        lam = weekly_hazard(w, HazardColumns.of(pop, v), self.rates, self.tables)
        iom = rows_where(pop.iom[v])
        lam[iom] *= iom_factor(model.interagency.info_of_rows(model, iom), model.params.iom.offending_effect)
        return lam


@kernel
def weekly_hazard(w, c, r, t):
    """lambda = base x propensity x needs x release spike x desistance x (1 - supervision effect),
    for people at liberty; 0 for the rest. (IOM is applied by the caller, to the cohort.)"""
    n = c.state.shape[0]
    lam = np.empty(n, dtype=np.float64)
    last_spike = t.spike.shape[0] - 1
    for i in range(n):
        s = c.state[i]
        if (s != FREE) & (s != COMMUNITY) & (s != LICENCE):
            lam[i] = 0.0
            continue
        unmet = c.need[i] & ~c.need_met[i]
        spike = t.spike[min(w - c.week_released[i], last_spike)]
        x = r.base_rate * c.propensity[i] * t.needs[unmet] * spike * t.desist[max(w - c.week_conviction_free[i], 0)]
        if s != FREE:
            x *= 1.0 - supervision_effect(c.dose[i], c.quality[i], c.relationship[i], r.effect_max)
        lam[i] = x
    return lam


def hazard(model, v: slice) -> np.ndarray:
    """The model's weekly hazard for rows ``v``."""
    return model.hazard(model, v)


# ---- the phase ---------------------------------------------------------------------------
def offending(model) -> None:
    """Draw offences and detections; schedule court dates; count proven reoffences in cohorts."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("offending", w)
    v = pop.view()
    lam = hazard(model, v)
    offenders, offences = poisson_by_row(model.streams.key("offending", w), lam)
    model.counts["offences"] += int(offences.sum())
    # IOM cases are more often caught, the more information flows (the uplift is zero for the rest)
    p_detect = np.full(offenders.size, p.offending.detection_prob)
    iom = np.flatnonzero(pop.iom[offenders])
    info = model.interagency.info_of_rows(model, offenders[iom])
    p_detect[iom] = p.offending.detection_prob * (1.0 + p.iom.detection_uplift * info)
    detected = rng.binomial(offences, np.minimum(p_detect, 1.0))
    caught = detected > 0
    rows, d = offenders[caught], detected[caught]
    if rows.size == 0:
        return
    lag = 1 + rng.geometric(1.0 / p.sentencing.court_lag_weeks, rows.size)
    model.counts["proven"] += int(d.sum())
    first = pop.week_court[rows] < 0
    pop.week_court[rows[first]] = w + lag[first]
    pop.pending[rows] += d.astype(np.int16)
    pop.week_offence[rows[first]] = w
    start = pop.cohort_start[rows]
    in_cohort = pop.cohort_open[rows] & (w - start < COHORT_WEEKS) & (pop.week_court[rows] - start <= PROOF_WEEKS)
    pop.cohort_proven[rows[in_cohort]] += d[in_cohort].astype(np.int16)
    # Charged during the licence (not PSS): often recalled at once (enforcement decides the rest).
    on_licence = rows[(pop.state[rows] == State.LICENCE) & (pop.week_licence_end[rows] > w)]
    recall = on_licence[rng.random(on_licence.size) < p.enforcement.offence_recall_prob]
    cases.recall(model, recall)


def ageing(model) -> None:
    """Everyone in the system ages a week; each person's propensity declines (ageing out of crime)."""
    pop = model.pop
    v = pop.view()
    decline = np.exp(-model.params.offending.career_decline_per_year / YEAR_WEEKS)
    _age_one_week(pop.state[v], pop.age[v], pop.propensity[v], decline)


@kernel
def _age_one_week(state, age, propensity, decline):
    for i in range(state.shape[0]):
        if state[i] != EMPTY:
            age[i] += 1.0 / YEAR_WEEKS
            propensity[i] *= decline
