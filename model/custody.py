"""Phase b - custody and release: releases, licences, post-sentence supervision, order ends."""

from __future__ import annotations

import numpy as np

from model.states import ACCOMMODATION, Agency, SentenceKind, State

TTG_WEEKS = 12  # seeds 003, 004: the CRC works with a prisoner for the last 3 months
LEAVE_AFTER_WEEKS = 52  # assumption: a year at liberty with no conviction and the person leaves the model


def custody(model) -> None:
    """Release those due, end finished orders and licences, and let the settled leave."""
    p, pop, w = model.params, model.pop, model.week
    rng = model.streams.get("custody", w)
    v = pop.view()
    state = pop.state[v]
    model.close_cohorts()

    # Through the Gate: resettlement work in the last 12 weeks before release.
    if model.ttg_in_force:
        soon = (state == State.CUSTODY) & (pop.week_release[v] - w <= TTG_WEEKS) & ~pop.ttg[v]
        pop.ttg[v][soon] = True

    # Releases.
    released = np.flatnonzero((state == State.CUSTODY) & (pop.week_release[v] <= w))
    if released.size:
        u = rng.random(pop.high_water)[released]
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
        model.unassign(free)
        pop.agency[free], pop.org[free] = Agency.NONE, -1
        first = ~pop.recalled[released]
        model.open_cohorts(released[first], kind[first])
        # Housing on release (seed 004), less often with resettlement help.
        homeless_p = p.needs.homeless_on_release * np.where(pop.ttg[released], 1 - p.needs.ttg_housing_help, 1.0)
        homeless = u < homeless_p
        pop.need[released[homeless], ACCOMMODATION] = True
        pop.need_met[released[homeless], ACCOMMODATION] = False
        pop.week_released[released] = w
        pop.week_release[released] = -1
        pop.recalled[released] = False
        pop.ttg[released] = False
        model.counts["releases"] += released.size
        model.counts["releases_short"] += int(short[first].sum())
        model.counts["releases_short_supervised"] += int((short & supervised)[first].sum())

    # Orders, licences and post-sentence supervision that end this week.
    ending = np.flatnonzero(np.isin(state, (State.COMMUNITY, State.LICENCE)) & (pop.week_end[v] <= w))
    model.terminate(ending, completed=True)

    # People a year at liberty with nothing pending leave the model (their slot frees up).
    settled = ((pop.state[v] == State.FREE) & (w - pop.week_free[v] >= LEAVE_AFTER_WEEKS)
               & (pop.week_court[v] < 0) & (pop.cohort_start[v] < 0))
    pop.state[v][settled] = State.EMPTY
    pop.iom[v][settled] = False
