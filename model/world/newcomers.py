"""People new to the model: who they are when they first come to court.

A newcomer's attributes are drawn once: sex, age, offence type, OGRS (by the disposal they receive),
risk of serious harm, needs, their personal offending propensity, and their criminal history (previous
convictions and years since the first), from which their OGRS moves later (``model/week/sentences.py``).
"""

from __future__ import annotations

import numpy as np

from agents.states import NEEDS, Offence, Rosh, SentenceKind
from model.engine.calendar import YEAR_WEEKS
from model.week.offending import propensity
from model.week.sentences import ogrs_logit

# Offence types of people starting probation: robbery/burglary, other acquisitive, violence, drugs, other.
OFFENCE_MIX = np.array([0.12, 0.25, 0.25, 0.13, 0.25])  # assumption: rough MoJ sentencing mix by offence group


def describe_newcomers(model, rows: np.ndarray, kind: np.ndarray, cpa: np.ndarray,
                       rng: np.random.Generator) -> None:
    """Draw newcomers' attributes (``kind``: the sentence kind they are about to receive)."""
    p, pop = model.params, model.pop
    r = p.risk
    n = rows.size
    pop.cpa[rows] = cpa
    pop.female[rows] = rng.random(n) < p.population.female_share
    pop.minority[rows] = rng.random(n) < p.population.minority_share
    pop.age[rows] = 18.0 + rng.gamma(2.0, (p.population.age_mean_at_entry - 18.0) / 2.0, n)
    pop.offence[rows] = rng.choice(len(OFFENCE_MIX), size=n, p=OFFENCE_MIX)
    mean = np.where(kind == SentenceKind.COMMUNITY, r.ogrs_mean_community,
                    np.where(kind == SentenceKind.SHORT_CUSTODY, r.ogrs_mean_short_custody, r.ogrs_mean_long_custody)) / 100.0
    score = rng.beta(mean * r.ogrs_concentration, (1 - mean) * r.ogrs_concentration) * 100.0
    score += np.where(pop.offence[rows] <= Offence.OTHER_ACQUISITIVE, r.ogrs_acquisitive_bonus, 0.0)
    score -= np.where(pop.female[rows], r.ogrs_female_offset, 0.0)
    ogrs = np.clip(np.rint(score), 1, 99)
    pop.ogrs[rows] = ogrs
    u = rng.random(n)
    vh, hi = r.rosh_very_high_share, r.rosh_high_share
    pop.rosh[rows] = np.where(u < vh, Rosh.VERY_HIGH, np.where(u < hi, Rosh.HIGH,
                              np.where(u < hi + (1 - hi) * r.rosh_medium_share, Rosh.MEDIUM, Rosh.LOW)))
    prev = np.array([p.needs.prevalence_accommodation, p.needs.prevalence_employment,
                     p.needs.prevalence_substance, p.needs.prevalence_mental_health,
                     p.needs.prevalence_attitudes])
    factor = np.where(kind == SentenceKind.COMMUNITY, 1.0, p.needs.custody_factor)[:, None]
    has = rng.random((n, len(NEEDS))) < np.minimum(prev[None, :] * factor, 0.95)
    pop.need[rows] = needs_byte(has)
    pop.need_met[rows] = 0
    o = p.offending
    frailty = rng.gamma(o.frailty_shape, 1 / o.frailty_shape, n)
    pop.propensity[rows] = propensity(frailty, ogrs, pop.female[rows], o)
    # History: previous convictions rise with OGRS; the first conviction lies somewhere in adult life.
    years_known = rng.random(n) * (pop.age[rows] - 17.0)
    previous = rng.poisson(ogrs / 100.0 * r.previous_convictions_at_ogrs_100)
    pop.convictions[rows] = previous
    pop.prior_custody[rows] = rng.binomial(previous, p.sentencing.previous_custody_share)
    pop.week_first_conviction[rows] = model.week - np.rint(years_known * YEAR_WEEKS).astype(np.int32)
    # the offset that gives the drawn OGRS once this conviction is counted (model/week/sentences.py reassesses it)
    pop.ogrs_offset[rows] = logit(ogrs / 100.0) - ogrs_logit(0.0, pop.age[rows], previous + 1, years_known, r)
    pop.force[rows] = pick_in_area(model.areas.forces_of, cpa, rng.random(n))
    pop.home_trust[rows] = pick_in_area(model.areas.trusts_of, cpa, rng.random(n))


def logit(x: np.ndarray) -> np.ndarray:
    return np.log(x / (1.0 - x))


def needs_byte(has: np.ndarray) -> np.ndarray:
    """Rows of booleans by need (columns in ``NEEDS`` order) as needs bytes."""
    return (has.astype(np.uint8) << np.arange(has.shape[1], dtype=np.uint8)).sum(axis=1, dtype=np.uint8)


def pick_in_area(options: list, cpa: np.ndarray, u: np.ndarray) -> np.ndarray:
    """options[c][int(u * len(options[c]))] for each person's area c (e.g. a police force of the area)."""
    sizes = np.array([len(o) for o in options])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate([np.asarray(o) for o in options])
    return flat[offsets[cpa] + (u * sizes[cpa]).astype(np.int64)]
