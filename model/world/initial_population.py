"""The first day of a world before its burn-in: the sentences a constant inflow would leave running.

For each kind of disposal, at the start year's rate, the stock in custody and under supervision is
the inflow times the mean time in that phase (Little's law); who is in it is drawn length-biased (a
term twice as long is twice as likely to be running) with the time served uniform within it. People
are drawn like newcomers; their histories, the pool at liberty, cohorts and relationships come from
the burn-in that follows (``model/world/steady_start.py``).
"""

from __future__ import annotations

import numpy as np

from agents.states import SentenceKind, State
from model.week.sentences import KIND_OF, sentence_weeks
from model.world.inputs import Disposal
from model.world.newcomers import describe_newcomers

POOL = 20_000  # sentences drawn per disposal to sample the stocks from


def populate(model, rng: np.random.Generator) -> None:
    """Create the people serving sentences on the first day."""
    weekly = model.inputs.weekly(model.input_year(), model.areas.share)
    for disposal in Disposal:
        kind = SentenceKind(int(KIND_OF[disposal]))
        pool = sentence_weeks(model.params, np.full(POOL, disposal), rng)
        if kind == SentenceKind.COMMUNITY:
            phases = [(State.COMMUNITY, np.zeros(POOL, np.int32), pool)]
        else:
            inside = np.maximum(1, pool // 2)
            licence = pool - inside if kind == SentenceKind.LONG_CUSTODY else np.zeros(POOL, np.int32)
            phases = [(State.CUSTODY, inside, inside), (State.LICENCE, inside, licence)]
        for state, before, duration in phases:
            if duration.sum() == 0:
                continue
            counts = rng.poisson(weekly[:, disposal] * duration.mean())
            pick = rng.choice(POOL, size=int(counts.sum()), p=duration / duration.sum())
            elapsed = np.floor(rng.random(pick.size) * duration[pick]).astype(np.int32)
            cpa = np.repeat(np.arange(model.areas.n), counts).astype(np.int16)
            rows = model.pop.add(pick.size)
            describe_newcomers(model, rows, np.full(rows.size, kind, np.int8), cpa, rng)
            _serving(model, rows, state, kind, disposal, pool[pick], before[pick], duration[pick], elapsed)


def _serving(model, rows, state, kind, disposal, weeks, before, duration, elapsed) -> None:
    """Set rows to be ``elapsed`` weeks into a phase of ``duration`` weeks that began ``before`` weeks
    after sentence (weeks relative to now, week 0)."""
    pop = model.pop
    left = np.maximum(duration - elapsed, 1)
    pop.state[rows] = state
    pop.sentence_kind[rows] = kind
    pop.sentence_weeks[rows] = weeks
    pop.convictions[rows] += 1
    pop.week_conviction_free[rows] = -(before + elapsed) if state == State.LICENCE else -elapsed
    pop.week_offence[rows] = pop.week_conviction_free[rows] - 1
    if state == State.COMMUNITY:
        pop.week_end[rows] = left
        pop.suspended[rows] = disposal == Disposal.SUSPENDED_ORDER
        return
    pop.prior_custody[rows] = 1
    if state == State.CUSTODY:
        pop.week_release[rows] = left
        pop.week_licence_end[rows] = left + (weeks - before)
        pop.week_end[rows] = pop.week_licence_end[rows]
    else:
        pop.week_released[rows] = -elapsed
        pop.week_licence_end[rows] = left
        pop.week_end[rows] = left
