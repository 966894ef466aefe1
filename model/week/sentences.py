"""Sentences as the law writes them (docs/ODD.md, "The law"): lengths by disposal, custody and release
dates, ORA eligibility, concurrent sentences, and the OGRS reassessment at each conviction.

- A custodial sentence is served to its halfway point in custody, then on licence to its end.
- ORA 2014 (offences from its commencement, adults, sentences under 2 years): after the licence a
  post-sentence supervision (PSS) top-up, so that licence + PSS last 12 months after release. Recall is
  possible only during the licence (``week_licence_end``); a re-release never restarts the 12 months.
- A community order or suspended sentence order (SSO) runs from sentence; given to someone in custody,
  it runs concurrently and what remains at release is supervised. A custodial sentence given to someone
  on an order or licence ends that supervision; given to someone in custody, the terms run concurrently.
"""

from __future__ import annotations

import numpy as np

from agents.states import SentenceKind, State
from model.engine.calendar import YEAR_WEEKS
from model.week.cases import open_cohorts, terminate
from model.world.inputs import Disposal

# The sentence kind (cohort and supervision rules) of each disposal.
KIND_OF = np.array([SentenceKind.COMMUNITY, SentenceKind.COMMUNITY, SentenceKind.SHORT_CUSTODY,
                    SentenceKind.LONG_CUSTODY, SentenceKind.LONG_CUSTODY], dtype=np.int8)
ORA_MAX_WEEKS = 104  # ORA 2014: sentences under 2 years
LONG_TERM_WEEKS = 4 * YEAR_WEEKS  # a term of 4 years or more
PSS_WEEKS = YEAR_WEEKS  # licence + PSS last 12 months after release
NEVER = np.iinfo(np.int32).max  # a week that never comes


def sentence_weeks(p, disposal: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Length in weeks of each sentence (for an order, its supervision period)."""
    s = p.sentencing
    n = disposal.size
    e = rng.exponential(1.0, n)
    community = s.community_weeks_min + e * (s.community_weeks_mean - s.community_weeks_min)
    sso = s.sso_weeks_min + e * (s.sso_weeks_mean - s.sso_weeks_min)
    short = np.minimum(1.0 + e * (s.short_sentence_weeks_mean - 1.0), YEAR_WEEKS - 1)
    medium = np.clip(s.medium_sentence_weeks_median * np.exp(s.medium_sentence_sigma * rng.standard_normal(n)),
                     YEAR_WEEKS, LONG_TERM_WEEKS - 1)
    long = LONG_TERM_WEEKS + e * (s.long_sentence_weeks_mean - LONG_TERM_WEEKS)
    lengths = np.where(disposal == Disposal.COMMUNITY_ORDER, community,
                       np.where(disposal == Disposal.SUSPENDED_ORDER, sso,
                                np.where(disposal == Disposal.CUSTODY_UNDER_12M, short,
                                         np.where(disposal == Disposal.CUSTODY_12M_TO_4Y, medium, long))))
    return np.ceil(lengths).astype(np.int32)


def ogrs_logit(offset, age, convictions, years_known, r):
    """OGRS on the logit scale: a person's own offset, younger age (``risk.ogrs_age_coef`` per 10 years
    from 30) and the Copas rate ln((convictions + 1) / (years since the first + 10)) (``risk.ogrs_copas_coef``)."""
    copas = np.log((np.asarray(convictions, dtype=np.float64) + 1.0) / (np.asarray(years_known, dtype=np.float64) + 10.0))
    return offset + r.ogrs_age_coef * (np.asarray(age, dtype=np.float64) - 30.0) / 10.0 + r.ogrs_copas_coef * copas


def reassess_ogrs(model, rows: np.ndarray) -> None:
    """OGRS after a conviction: moves with the person's convictions, age and time since the first."""
    pop = model.pop
    years = np.maximum(model.week - pop.week_first_conviction[rows], 0) / YEAR_WEEKS
    x = ogrs_logit(pop.ogrs_offset[rows], pop.age[rows], pop.convictions[rows], years, model.params.risk)
    pop.ogrs[rows] = np.clip(np.rint(100.0 / (1.0 + np.exp(-x))), 1, 99)


def ora_applies(model, rows: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """ORA supervision for custodial terms under 2 years for offences from its commencement."""
    return (model.pop.week_offence[rows] >= model.ora_week) & (weeks < ORA_MAX_WEEKS)


def start_sentences(model, rows: np.ndarray, disposal: np.ndarray, rng: np.random.Generator,
                    weeks: np.ndarray | None = None) -> None:
    """Put people on the sentences just passed (a conviction each; OGRS reassessed)."""
    pop, w = model.pop, model.week
    if rows.size == 0:
        return
    weeks = sentence_weeks(model.params, disposal, rng) if weeks is None else weeks
    kind = KIND_OF[disposal]
    pop.convictions[rows] += 1
    pop.week_conviction_free[rows] = w
    reassess_ogrs(model, rows)
    order = kind == SentenceKind.COMMUNITY
    start_orders(model, rows[order], weeks[order], disposal[order] == Disposal.SUSPENDED_ORDER)
    impose_custody(model, rows[~order], weeks[~order], kind[~order])


def start_orders(model, rows: np.ndarray, weeks: np.ndarray, suspended: np.ndarray) -> None:
    """Community orders and SSOs: start now; alongside a current order, licence or custodial term."""
    pop, w = model.pop, model.week
    state = pop.state[rows]
    end = w + weeks
    inside = state == State.CUSTODY
    held = (state == State.COMMUNITY) | (state == State.LICENCE)
    fresh = ~inside & ~held
    pop.week_order_end[rows[inside]] = np.maximum(pop.week_order_end[rows[inside]], end[inside])
    pop.week_end[rows[held]] = np.maximum(pop.week_end[rows[held]], end[held])
    new = rows[fresh]
    pop.state[new] = State.COMMUNITY
    pop.sentence_kind[new] = SentenceKind.COMMUNITY
    pop.week_end[new] = end[fresh]
    pop.suspended[new] = suspended[fresh]
    pop.suspended[rows[held]] |= suspended[held]
    pop.warnings[new] = 0
    pop.week_breach[new] = -1
    open_cohorts(model, rows, SentenceKind.COMMUNITY)
    model.counts["court_orders_started"] += rows.size


def impose_custody(model, rows: np.ndarray, weeks: np.ndarray, kind: np.ndarray) -> None:
    """Custodial terms: release at the halfway point (at least a week); concurrent with a term being served;
    a current order or licence ends."""
    pop, w = model.pop, model.week
    if rows.size == 0:
        return
    state = pop.state[rows]
    supervised = (state == State.COMMUNITY) | (state == State.LICENCE)
    terminate(model, rows[supervised], completed=False)
    inside = pop.state[rows] == State.CUSTODY
    release = w + np.maximum(1, weeks // 2)
    end = w + weeks
    ora = ora_applies(model, rows, weeks)
    later = ~inside | (end >= pop.week_licence_end[rows])  # the new term decides the release rules
    pop.week_release[rows] = np.where(inside, np.maximum(pop.week_release[rows], release), release)
    pop.week_licence_end[rows] = np.where(inside, np.maximum(pop.week_licence_end[rows], end), end)
    pop.sentence_kind[rows] = np.where(later, kind, pop.sentence_kind[rows])
    pop.sentence_weeks[rows] = np.where(later, weeks, pop.sentence_weeks[rows])
    pop.ora[rows] = np.where(later, ora, pop.ora[rows])
    pop.week_order_end[rows[~inside]] = -1
    pop.state[rows] = State.CUSTODY
    pop.recalled[rows] = False  # a new term, not a recall
    pop.suspended[rows] = False
    pop.ttg[rows] = False
    pop.week_breach[rows] = -1
    pop.warnings[rows] = 0
    pop.prior_custody[rows] += 1
    model.counts["custody_starts"] += rows.size
    model.counts["custody_starts_short"] += int((kind == SentenceKind.SHORT_CUSTODY).sum())
