"""Weekly phase - custody and release: releases, licences, post-sentence supervision, order ends."""

from __future__ import annotations

import numpy as np

from agents.states import ACCOMMODATION, ALL_NEEDS, Agency, SentenceKind, State, need_bit
from model.engine.kernels import kernel, rows_where
from model.engine.keyed_draws import uniforms_at
from model.week.cases import close_cohorts, open_cohorts, terminate, unassign
from model.week.sentences import PSS_WEEKS

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

    # Releases: the end of a custodial term, or of a recall or PSS committal.
    released = rows_in_state_due(state, pop.week_release[v], w, CUSTODY, CUSTODY)
    if released.size:
        release(model, released)

    # Orders, licences and post-sentence supervision that end this week.
    ending = rows_in_state_due(state, pop.week_end[v], w, COMMUNITY, LICENCE)
    terminate(model, ending, completed=True)

    # People a year at liberty with nothing pending leave the model (their slot frees up).
    _settle(pop.state[v], pop.week_free[v], pop.week_court[v], pop.cohort_open[v], pop.iom[v], w,
            p.population.leave_after_weeks)


def release(model, rows: np.ndarray) -> None:
    """Release from custody as the law writes it (docs/ODD.md, "The law").

    At the end of a custodial term: on licence to the sentence end (none for a short term without ORA); an
    ORA term adds PSS to 12 months after release; what remains of a concurrent order is supervised too; a
    proven-reoffending cohort opens. At the end of a recall or committal: back to the licence or PSS still
    running (their end dates unchanged), or free; no new cohort."""
    p, pop, w = model.params, model.pop, model.week
    spell = pop.recalled[rows]
    first = rows[~spell]
    kind = pop.sentence_kind[first]
    ora = pop.ora[first]
    licence = (kind == SentenceKind.LONG_CUSTODY) | ora
    licence_end = np.where(licence, pop.week_licence_end[first], w)
    pss_end = np.where(ora, w + PSS_WEEKS, w)
    pop.week_licence_end[first] = licence_end
    pop.week_end[first] = np.maximum(np.maximum(licence_end, pss_end), pop.week_order_end[first])
    on_licence = (licence_end > w) | (pss_end > w)
    pop.state[first] = np.where(on_licence, State.LICENCE, State.COMMUNITY)
    pop.week_order_end[first] = -1
    pop.state[rows[spell]] = State.LICENCE
    done = rows[pop.week_end[rows] <= w]
    pop.state[done] = State.FREE
    pop.week_free[done] = w
    unassign(model, done)
    pop.agency[done], pop.org[done] = Agency.NONE, -1
    open_cohorts(model, first, kind)
    # Housing on release (seed 004), less often with resettlement help.
    u = uniforms_at(model.streams.key("custody", w), rows)
    homeless = u < p.needs.homeless_on_release * np.where(pop.ttg[rows], 1 - p.needs.ttg_housing_help, 1.0)
    pop.need[rows[homeless]] |= need_bit(ACCOMMODATION)
    pop.need_met[rows[homeless]] &= ALL_NEEDS ^ need_bit(ACCOMMODATION)
    pop.week_released[rows] = w
    pop.week_release[rows] = -1
    pop.recalled[rows] = False
    pop.ttg[rows] = False
    short = kind == SentenceKind.SHORT_CUSTODY
    c = model.counts
    c["releases"] += first.size
    c["re_releases"] += rows.size - first.size
    c["releases_short"] += int(short.sum())
    c["releases_short_supervised"] += int((short & (pop.state[first] == State.LICENCE)).sum())  # licence or PSS


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
def _settle(state, week_free, week_court, cohort_open, iom, w, after_weeks):
    """A year at liberty with nothing pending: the person leaves the model and the slot frees up."""
    for i in range(state.shape[0]):
        leave = (state[i] == FREE) & (w - week_free[i] >= after_weeks) & (week_court[i] < 0) & ~cohort_open[i]
        state[i] = EMPTY if leave else state[i]
        iom[i] &= not leave
