"""Initialisation: the caseload, prisoners and recent leavers on the first day, in steady state."""

from __future__ import annotations

import numpy as np

from agents.states import N_NEEDS, SentenceKind, State
from model.sentencing import describe_newcomers, needs_byte


def populate(model, rng: np.random.Generator) -> None:
    """Create the starting population with elapsed times drawn uniformly within sentences."""
    p, pop = model.params, model.pop
    pp, s = p.population, p.sentencing
    national = pp.national_supervised
    n_cpa = model.areas.n
    share = model.areas.share
    short_stock = s.custody_starts_per_year * s.short_custody_share * (s.short_sentence_weeks_mean / 2) / 52.0
    groups = [
        (State.COMMUNITY, SentenceKind.COMMUNITY, national * pp.share_community),
        (State.LICENCE, SentenceKind.LONG_CUSTODY, national * pp.share_licence),
        (State.CUSTODY, SentenceKind.LONG_CUSTODY, national * pp.share_prerelease),
        (State.CUSTODY, SentenceKind.SHORT_CUSTODY, short_stock),
        (State.FREE, SentenceKind.COMMUNITY, national * pp.free_pool_per_supervised * 0.6),
        (State.FREE, SentenceKind.SHORT_CUSTODY, national * pp.free_pool_per_supervised * 0.4),
    ]
    for state, kind, size in groups:
        counts = rng.poisson(size * share)
        cpa = np.repeat(np.arange(n_cpa), counts).astype(np.int16)
        rows = pop.add(cpa.size)
        kinds = np.full(rows.size, kind, dtype=np.int8)
        describe_newcomers(model, rows, kinds, cpa, rng)
        n = rows.size
        pop.state[rows] = state
        pop.sentence_kind[rows] = kind
        pop.week_conviction_free[rows] = -rng.integers(0, 52, n)
        if state == State.COMMUNITY:
            pop.week_end[rows] = 1 + rng.integers(0, int(s.community_weeks_mean * 1.5), n)
        elif state == State.LICENCE:
            pop.week_end[rows] = 1 + rng.integers(0, 78, n)
            pop.week_released[rows] = -rng.integers(0, 52, n)
        elif state == State.CUSTODY:
            half = (s.short_sentence_weeks_mean if kind == SentenceKind.SHORT_CUSTODY
                    else s.long_sentence_weeks_median) / 2
            pop.week_release[rows] = 1 + rng.integers(0, max(int(half), 1), n)
            pop.week_end[rows] = pop.week_release[rows] + int(half)
        else:
            pop.week_free[rows] = -rng.integers(0, 52, n)
            pop.week_released[rows] = np.where(kind == SentenceKind.SHORT_CUSTODY, pop.week_free[rows], -10_000)
        # Some needs were already met by past supervision (assumption: a third).
        pop.need_met[rows] = pop.need[rows] & needs_byte(rng.random((n, N_NEEDS)) < 0.33)
        pop.relationship[rows] = np.where(state in (State.COMMUNITY, State.LICENCE),
                                          rng.uniform(0.2, 0.7, n), 0.0).astype(np.float32)
