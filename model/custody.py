"""Phase b - custody and release: releases, licences, post-sentence supervision, order ends."""

from __future__ import annotations

import numpy as np

from agents.states import ACCOMMODATION, ALL_NEEDS, Agency, SentenceKind, State, need_bit
from model.cases import close_cohorts, open_cohorts, terminate, unassign
from model.jit import kernel, rows_where
from model.keyed_draws import uniforms_at

EMPTY, FREE, CUSTODY = int(State.EMPTY), int(State.FREE), int(State.CUSTODY)
COMMUNITY, LICENCE = int(State.COMMUNITY), int(State.LICENCE)



def custody(model) -> None:
    """Release those due, end finished orders and licences, and let the settled leave."""
    p, pop, w = model.params, model.pop, model.week
    v = pop.view()
    state = pop.state[v]
    close_cohorts(model)

    # Through the Gate: resettlement work in the last 12 weeks before release.
    if model.ttg_in_force:
        _start_through_the_gate(state, pop.week_release[v], pop.ttg[v], w, p.policy.ttg_weeks)

    # Releases.
    released = rows_in_state_due(state, pop.week_release[v], w, CUSTODY, CUSTODY)
    if released.size:
        u = uniforms_at(model.streams.key("custody", w), released)
        kind = pop.sentence_kind[released]
        short = kind == SentenceKind.SHORT_CUSTODY
        # Licence to the end of the sentence; ORA adds supervision to 12 months after release.
        end = pop.week_end[released].copy()
        ora = short & pop.ora[released]
        end = np.where(ora, np.maximum(end, w + 52), end)
        supervised = (end > w) & (~short | ora | pop.recalled[released])
        lic = released[supervised]
        pop.state[lic] = State.LICENCE
        pop.week_end[lic] = end[supervised]
        free = released[~supervised]
        pop.state[free] = State.FREE
        pop.week_free[free] = w
        unassign(model, free)
        pop.agency[free], pop.org[free] = Agency.NONE, -1
        first = ~pop.recalled[released]
        open_cohorts(model, released[first], kind[first])
        # Housing on release (seed 004), less often with resettlement help.
        homeless_p = p.needs.homeless_on_release * np.where(pop.ttg[released], 1 - p.needs.ttg_housing_help, 1.0)
        homeless = u < homeless_p
        pop.need[released[homeless]] |= need_bit(ACCOMMODATION)
        pop.need_met[released[homeless]] &= ALL_NEEDS ^ need_bit(ACCOMMODATION)
        pop.week_released[released] = w
        pop.week_release[released] = -1
        pop.recalled[released] = False
        pop.ttg[released] = False
        model.counts["releases"] += released.size
        model.counts["releases_short"] += int(short[first].sum())
        model.counts["releases_short_supervised"] += int((short & supervised)[first].sum())

    # Orders, licences and post-sentence supervision that end this week.
    ending = rows_in_state_due(state, pop.week_end[v], w, COMMUNITY, LICENCE)
    terminate(model, ending, completed=True)

    # People a year at liberty with nothing pending leave the model (their slot frees up).
    _settle(pop.state[v], pop.week_free[v], pop.week_court[v], pop.cohort_start[v], pop.iom[v], w,
            p.population.leave_after_weeks)


@kernel
def _start_through_the_gate(state, week_release, ttg, w, ttg_weeks):
    for i in range(state.shape[0]):
        ttg[i] |= (state[i] == CUSTODY) & (week_release[i] - w <= ttg_weeks)


def rows_in_state_due(state: np.ndarray, week: np.ndarray, w: int, s1: int, s2: int) -> np.ndarray:
    """Rows in state s1 or s2 whose scheduled week has come (week <= w)."""
    return rows_where(_in_state_due(state, week, w, s1, s2))


@kernel
def _in_state_due(state, week, w, s1, s2):
    out = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        out[i] = ((state[i] == s1) | (state[i] == s2)) & (week[i] <= w)
    return out


@kernel
def _settle(state, week_free, week_court, cohort_start, iom, w, after_weeks):
    """A year at liberty with nothing pending: the person leaves the model and the slot frees up."""
    for i in range(state.shape[0]):
        leave = (state[i] == FREE) & (w - week_free[i] >= after_weeks) & (week_court[i] < 0) & (cohort_start[i] < 0)
        state[i] = EMPTY if leave else state[i]
        iom[i] &= not leave
