"""Phase a - sentencing: court inflow (newcomers and reconvicted people) and new sentences."""

from __future__ import annotations

import numpy as np

from agents.states import NEEDS, Offence, SentenceKind, State
from model.cases import open_cohorts, terminate
from model.jit import rows_where
from model.keyed_draws import uniforms_at

OFFENCE_MIX = np.array([0.12, 0.25, 0.25, 0.13, 0.25])  # assumption: MoJ sentencing mix, rough
CUSTODY_NEEDS_FACTOR = 1.2  # assumption: custody cases carry more needs
CUSTODY_OR_NOT, SHORT_OR_LONG = 0, 1  # parts of the week's keyed draws for the reconvicted


def describe_newcomers(model, rows: np.ndarray, kind: np.ndarray, cpa: np.ndarray,
                       rng: np.random.Generator) -> None:
    """Draw a newcomer's attributes: gender, age, offence, OGRS, RoSH, needs, frailty."""
    p, pop = model.params, model.pop
    n = rows.size
    pop.cpa[rows] = cpa
    pop.female[rows] = rng.random(n) < p.population.female_share
    pop.age[rows] = 18.0 + rng.gamma(2.0, 8.0, n)
    pop.offence[rows] = rng.choice(len(OFFENCE_MIX), size=n, p=OFFENCE_MIX)
    mean = np.select([kind == SentenceKind.COMMUNITY, kind == SentenceKind.SHORT_CUSTODY],
                     [p.risk.ogrs_mean_community, p.risk.ogrs_mean_short_custody], p.risk.ogrs_mean_long_custody) / 100.0
    conc = 4.0
    score = rng.beta(mean * conc, (1 - mean) * conc) * 100.0
    score += np.where(pop.offence[rows] <= Offence.OTHER_ACQUISITIVE, 6.0, 0.0)
    score -= np.where(pop.female[rows], 6.0, 0.0)
    pop.ogrs[rows] = np.clip(np.rint(score), 1, 99)
    u = rng.random(n)
    vh, hi = p.risk.rosh_very_high_share, p.risk.rosh_high_share
    pop.rosh[rows] = np.where(u < vh, 3, np.where(u < hi, 2, np.where(u < hi + (1 - hi) * 0.55, 1, 0)))
    prev = np.array([p.needs.prevalence_accommodation, p.needs.prevalence_employment,
                     p.needs.prevalence_substance, p.needs.prevalence_mental_health,
                     p.needs.prevalence_attitudes])
    factor = np.where(kind == SentenceKind.COMMUNITY, 1.0, CUSTODY_NEEDS_FACTOR)[:, None]
    has = rng.random((n, len(NEEDS))) < np.minimum(prev[None, :] * factor, 0.95)
    pop.need[rows] = needs_byte(has)
    pop.need_met[rows] = 0
    shape = p.offending.frailty_shape
    pop.frailty[rows] = rng.gamma(shape, 1 / shape, n)
    pop.force[rows] = pick_in_area(model.areas.forces_of, cpa, rng.random(n))
    pop.home_trust[rows] = pick_in_area(model.areas.trusts_of, cpa, rng.random(n))


def needs_byte(has: np.ndarray) -> np.ndarray:
    """Rows of booleans by need (columns in ``NEEDS`` order) as needs bytes."""
    return (has.astype(np.uint8) << np.arange(has.shape[1], dtype=np.uint8)).sum(axis=1, dtype=np.uint8)


def pick_in_area(options: list, cpa: np.ndarray, u: np.ndarray) -> np.ndarray:
    """options[c][int(u * len(options[c]))] for each person's area c (e.g. a police force of the area)."""
    sizes = np.array([len(o) for o in options])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate([np.asarray(o) for o in options])
    return flat[offsets[cpa] + (u * sizes[cpa]).astype(np.int64)]


def start_sentence(model, rows: np.ndarray, kind: np.ndarray, rng: np.random.Generator) -> None:
    """Put people on a new sentence this week."""
    p, pop, w = model.params, model.pop, model.week
    s = p.sentencing
    n = rows.size
    community = kind == SentenceKind.COMMUNITY
    short = kind == SentenceKind.SHORT_CUSTODY
    length = np.where(
        community, 26 + rng.exponential(s.community_weeks_mean - 26, n),
        np.where(short, 1 + rng.exponential(s.short_sentence_weeks_mean - 1, n),
                 s.long_sentence_weeks_median * rng.lognormal(0.0, 0.6, n)))
    length = np.where(short, np.minimum(length, 51), np.where(kind == SentenceKind.LONG_CUSTODY,
                                                             np.maximum(length, 52), length))
    length = np.ceil(length).astype(np.int32)
    was_custody = pop.state[rows] == State.CUSTODY
    pop.sentence_kind[rows] = kind
    pop.ora[rows] = model.ora_in_force
    pop.week_conviction_free[rows] = w
    pop.recalled[rows] = False
    pop.warnings[rows] = 0
    pop.week_breach[rows] = -1
    # Community sentence: starts now (concurrent with custody if already inside).
    c_mask = community & ~was_custody
    c_rows = rows[c_mask]
    on_order = pop.state[c_rows] == State.COMMUNITY
    pop.state[c_rows] = State.COMMUNITY
    pop.week_end[c_rows] = np.where(on_order, np.maximum(pop.week_end[c_rows], w + length[c_mask]), w + length[c_mask])
    open_cohorts(model, c_rows, SentenceKind.COMMUNITY)
    # Custody: release at the halfway point.
    k_mask = ~community
    k_rows = rows[k_mask]
    release = w + np.maximum(1, length[k_mask] // 2)
    pop.week_release[k_rows] = np.where(was_custody[k_mask], np.maximum(pop.week_release[k_rows], release), release)
    pop.week_end[k_rows] = np.maximum(pop.week_end[k_rows] * was_custody[k_mask], w + length[k_mask])
    pop.state[k_rows] = State.CUSTODY
    model.counts["custody_starts"] += k_rows.size
    model.counts["community_starts"] += c_rows.size


def sentencing(model) -> None:
    """Sentence the reconvicted whose court date has come, and this week's newcomers."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("sentencing", w)
    s = p.sentencing
    v = pop.view()
    # Reconvicted: court date is this week.
    due = rows_where(pop.week_court[v] == w)
    if due.size:
        u = uniforms_at(model.streams.key("sentencing", w, CUSTODY_OR_NOT), due)
        custody = u < s.custody_share_on_reconviction
        # A custodial sentence ends a current order or licence; a community one runs alongside it.
        ended = np.isin(pop.state[due], (State.COMMUNITY, State.LICENCE)) & custody
        terminate(model, due[ended], completed=False)
        short = uniforms_at(model.streams.key("sentencing", w, SHORT_OR_LONG), due) < s.short_custody_share
        kind = np.where(custody, np.where(short, SentenceKind.SHORT_CUSTODY, SentenceKind.LONG_CUSTODY),
                        SentenceKind.COMMUNITY).astype(np.int8)
        pop.week_court[due] = -1
        pop.pending[due] = 0
        start_sentence(model, due, kind, rng)
        model.counts["reconvictions"] += due.size
    # Newcomers, by CPA (Poisson numbers from national rates times the area's share).
    weekly = np.array([s.community_starts_per_year, s.custody_starts_per_year * (1 - s.short_custody_share),
                       s.custody_starts_per_year * s.short_custody_share]) / 52.0 * s.fresh_share
    counts = rng.poisson(np.outer(model.areas.share, weekly))
    kinds = np.repeat(np.tile([SentenceKind.COMMUNITY, SentenceKind.LONG_CUSTODY, SentenceKind.SHORT_CUSTODY],
                              model.areas.n), counts.ravel()).astype(np.int8)
    cpa = np.repeat(np.repeat(np.arange(model.areas.n), 3), counts.ravel()).astype(np.int16)
    if kinds.size:
        rows = pop.add(kinds.size)
        describe_newcomers(model, rows, kinds, cpa, rng)
        start_sentence(model, rows, kinds, rng)
        model.counts["newcomers"] += rows.size
