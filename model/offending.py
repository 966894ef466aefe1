"""Phase g - offending: weekly hazard, offences (most undetected), detection and conviction."""

from __future__ import annotations

import numpy as np

from agents.states import ACCOMMODATION, N_NEEDS, State
from model.jit import kernel, rows_where
from model.keyed_draws import poisson_by_row

EMPTY, FREE, COMMUNITY, LICENCE = int(State.EMPTY), int(State.FREE), int(State.COMMUNITY), int(State.LICENCE)

COHORT_WEEKS = 52  # MoJ: offence within 12 months ...
PROOF_WEEKS = 78  # ... proven within that year or a further 6 months (CALIBRATION.md)


def hazard(model, v: slice, age: bool = False) -> np.ndarray:
    """Expected offences this week for every row (0 for those in custody or not in use).

    With ``age``, everyone in the system first ages a week and their propensity declines (one pass)."""
    p, pop, w = model.params, model.pop, model.week
    o = p.offending
    # numpy computes x ** 2.0 as x * x (checked over every float32 in [0, 2]): the kernel squares in place
    square = o.ogrs_exponent == 2.0
    ogrs_factor = pop.ogrs[v][:0] if square else (pop.ogrs[v] / 50.0) ** o.ogrs_exponent
    # exp() of the integer weeks since release and since the last conviction, as numpy computes them
    since = np.arange(w - int(pop.week_released[v].min(initial=w)) + 1, dtype=np.int32)
    spike = 1.0 + o.release_spike * np.exp(-since.astype(np.float32) / o.release_spike_weeks)
    clean = np.arange(max(w - int(pop.week_conviction_free[v].min(initial=w)), 0) + 1, dtype=np.int32)
    desist = np.exp(-o.desistance_per_year * (clean / 52.0))
    iom = rows_where(pop.iom[v])
    # information flow can exceed its pre-reform level (up to 1.2): an effect above 1/1.2 must not turn negative
    iom_factor = np.maximum(1.0 - p.iom.offending_effect * model.info_of_rows(iom), 0.0)
    return _hazard(w, pop.state[v], square, pop.ogrs[v], ogrs_factor, pop.frailty[v], pop.female[v], pop.need[v], pop.need_met[v],
                   pop.week_released[v], pop.week_conviction_free[v], pop.dose[v], pop.quality[v],
                   pop.relationship[v], iom, iom_factor, spike, desist, o.base_rate, o.female_factor,
                   p.needs.hazard_weight, p.needs.housing_weight, p.supervision.effect_max, age, pop.age[v],
                   np.float32(np.exp(-o.career_decline_per_year / 52.0)))


@kernel
def _hazard(w, state, square, ogrs, ogrs_factor, frailty, female, need, need_met, week_released, week_conviction_free, dose,
            quality, relationship, iom, iom_factor, spike, desist, base_rate, female_factor, hazard_weight,
            housing_weight, effect_max, ageing, age, decline):
    """Three passes, each vectorised: the person's own propensity; the table lookups by weeks since
    release and since conviction; the supervision effect. (numpy's float32/float64 steps kept.)"""
    n = state.shape[0]
    lam = np.empty(n, dtype=np.float32)
    f32 = np.float32
    for i in range(n):
        if ageing:
            live = state[i] != EMPTY
            frailty[i] = frailty[i] * (decline if live else f32(1.0))
            age[i] = age[i] + (f32(1 / 52) if live else f32(0.0))
        r = ogrs[i] / f32(50.0)
        x = f32(f32(base_rate) * (r * r if square else ogrs_factor[i])) * frailty[i]
        x = f32(np.float64(x) * (female_factor if female[i] else 1.0))
        unmet = need[i] & ~need_met[i]
        count = 0
        for k in range(N_NEEDS):
            count += (unmet >> k) & 1
        home = (unmet >> ACCOMMODATION) & 1
        lam[i] = f32(np.float64(x) * ((1.0 + hazard_weight * count) + housing_weight * home))
    for i in range(n):
        x = lam[i] * spike[w - week_released[i]]
        lam[i] = f32(np.float64(x) * desist[max(w - week_conviction_free[i], 0)])
    for i in range(n):
        s = state[i]
        d = min(dose[i], f32(1.0))
        effect = f32(f32(f32(effect_max) * d) * quality[i]) * f32(f32(0.5) + f32(0.5) * relationship[i])
        x = lam[i] * (f32(f32(1.0) - effect) if (s == COMMUNITY) | (s == LICENCE) else f32(1.0))
        lam[i] = x if (s == FREE) | (s == COMMUNITY) | (s == LICENCE) else f32(0.0)
    for j in range(iom.shape[0]):
        i = iom[j]
        lam[i] = f32(np.float64(lam[i]) * iom_factor[j])
    return lam


def offending(model) -> None:
    """Draw offences and detections; schedule court dates; count proven reoffences in cohorts."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("offending", w)
    v = pop.view()
    lam = hazard(model, v, age=True)
    offenders, offences = poisson_by_row(model.streams.key("offending", w), lam)
    model.counts["offences"] += int(offences.sum())
    # IOM cases are more often caught, the more information flows (the uplift is zero for the rest)
    p_detect = np.full(offenders.size, p.offending.detection_prob)
    iom = np.flatnonzero(pop.iom[offenders])
    p_detect[iom] = p.offending.detection_prob * (1.0 + p.iom.detection_uplift * model.info_of_rows(offenders[iom]))
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
    start = pop.cohort_start[rows]
    in_cohort = (start >= 0) & (w - start < COHORT_WEEKS) & (pop.week_court[rows] - start <= PROOF_WEEKS)
    pop.cohort_proven[rows[in_cohort]] += d[in_cohort].astype(np.int16)
    # Charged on licence: often recalled at once (enforcement decides the rest).
    on_licence = rows[pop.state[rows] == State.LICENCE]
    recall = on_licence[rng.random(on_licence.size) < p.enforcement.offence_recall_prob]
    model.recall(recall)
