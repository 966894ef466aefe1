"""Phase g - offending: weekly hazard, offences (most undetected), detection and conviction."""

from __future__ import annotations

import numpy as np

from model.needs import count_true
from model.states import ACCOMMODATION, State

COHORT_WEEKS = 52  # MoJ: offence within 12 months ...
PROOF_WEEKS = 78  # ... proven within that year or a further 6 months (CALIBRATION.md)


def hazard(model, v: slice) -> np.ndarray:
    """Expected offences this week for every row (0 for those in custody or not in use)."""
    p, pop, w = model.params, model.pop, model.week
    o = p.offending
    state = pop.state[v]
    at_large = (state == State.FREE) | (state == State.COMMUNITY) | (state == State.LICENCE)
    lam = o.base_rate * (pop.ogrs[v] / 50.0) ** o.ogrs_exponent * pop.frailty[v]
    lam *= np.where(pop.female[v], o.female_factor, 1.0)
    unmet = pop.need[v] & ~pop.need_met[v]
    lam *= 1.0 + p.needs.hazard_weight * count_true(unmet) + p.needs.housing_weight * unmet[:, ACCOMMODATION]
    since = (w - pop.week_released[v]).astype(np.float32)
    lam *= 1.0 + o.release_spike * np.exp(-since / o.release_spike_weeks)
    years_clean = np.maximum(w - pop.week_conviction_free[v], 0) / 52.0
    lam *= np.exp(-o.desistance_per_year * years_clean)
    supervised = (state == State.COMMUNITY) | (state == State.LICENCE)
    effect = p.supervision.effect_max * np.minimum(pop.dose[v], 1.0) * pop.quality[v] * (
        0.5 + 0.5 * pop.relationship[v])
    lam *= np.where(supervised, 1.0 - effect, 1.0)
    iom = np.flatnonzero(pop.iom[v])
    lam[iom] *= 1.0 - p.iom.offending_effect * model.info_of_rows(iom)
    return np.where(at_large, lam, 0.0)


def offending(model) -> None:
    """Draw offences and detections; schedule court dates; count proven reoffences in cohorts."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("offending", w)
    v = pop.view()
    live = pop.state[v] != State.EMPTY
    pop.frailty[v] *= np.where(live, np.float32(np.exp(-p.offending.career_decline_per_year / 52.0)), np.float32(1.0))
    pop.age[v] += np.where(live, np.float32(1 / 52), np.float32(0.0))
    lam = hazard(model, v)
    offences = rng.poisson(lam)
    model.counts["offences"] += int(offences.sum())
    offenders = np.flatnonzero(offences)
    p_detect = p.offending.detection_prob * (1.0 + p.iom.detection_uplift * pop.iom[offenders] * model.info_of_rows(offenders))
    detected = rng.binomial(offences[offenders], np.minimum(p_detect, 1.0))
    caught = detected > 0
    rows, d = offenders[caught], detected[caught]
    if rows.size == 0:
        return
    lag = 1 + rng.geometric(1.0 / p.sentencing.court_lag_weeks, rows.size)
    model.counts["proven"] += int(d.sum())
    first = pop.week_court[rows] < 0
    pop.week_court[rows[first]] = w + lag[first]
    pop.pending[rows] += d.astype(np.int16)
    start = pop.cohort_start[rows]
    in_cohort = (start >= 0) & (w - start < COHORT_WEEKS) & (pop.week_court[rows] - start <= PROOF_WEEKS)
    pop.cohort_proven[rows[in_cohort]] += d[in_cohort].astype(np.int16)
    # Charged on licence: often recalled at once (enforcement decides the rest).
    on_licence = rows[pop.state[rows] == State.LICENCE]
    recall = on_licence[rng.random(on_licence.size) < p.enforcement.offence_recall_prob]
    model.recall(recall)
