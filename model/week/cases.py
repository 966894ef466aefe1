"""Changes to people's cases that several phases make: leaving an officer's caseload, the end of
supervision, recall to custody, and proven-reoffending cohorts opening and closing."""

from __future__ import annotations

import numpy as np

from agents.states import ACCOMMODATION, EMPLOYMENT, Agency, Regime, SentenceKind, State, need_bit
from model.engine.calendar import YEAR_WEEKS
from model.engine.kernels import kernel, rows_where
from model.engine.keyed_draws import exponential_at, uniforms_at

COMMUNITY, LICENCE, CUSTODY = int(State.COMMUNITY), int(State.LICENCE), int(State.CUSTODY)
LONG_CUSTODY, SHORT_CUSTODY = int(SentenceKind.LONG_CUSTODY), int(SentenceKind.SHORT_CUSTODY)
FIXED_OR_STANDARD, RERELEASE = 0, 1  # parts of the week's keyed recall draws
FIXED_TERM_SHORT_WEEKS, FIXED_TERM_LONG_WEEKS = 2, 4  # fixed-term recall: 14 days (terms under 12 months), 28 days
PSS_COMMITTAL_WEEKS = 2  # ORA 2014: up to 14 days' custody for a PSS breach
COHORT_WEEKS = YEAR_WEEKS  # MoJ proven reoffending: an offence within 12 months ...
PROOF_WEEKS = 78  # ... proven within that year or a further 6 months (CALIBRATION.md)


# ---- who is supervised, and by whom -------------------------------------------------------
def supervised_mask(model, v: slice) -> np.ndarray:
    """Rows on a probation caseload: in the community on an order/licence, or in custody
    serving a sentence that carries supervision (12 months+, recalls, and ORA cases)."""
    pop = model.pop
    return _supervised_mask(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v])


@kernel
def is_supervised(state, sentence_kind, recalled, ora) -> bool:
    """One row of supervised_mask."""
    custody_with_supervision = (state == CUSTODY) & (
        (sentence_kind == LONG_CUSTODY) | recalled | (ora & (sentence_kind == SHORT_CUSTODY)))
    return (state == COMMUNITY) | (state == LICENCE) | custody_with_supervision


@kernel
def _supervised_mask(state, sentence_kind, recalled, ora):
    out = np.empty(state.shape[0], dtype=np.bool_)
    for i in range(state.shape[0]):
        out[i] = is_supervised(state[i], sentence_kind[i], recalled[i], ora[i])
    return out


def required_provider(model, rows: np.ndarray) -> np.ndarray:
    """The organisation that should hold each case under the regime in force."""
    pop = model.pop
    if model.regime == Regime.TRUSTS:
        return model.areas.trust_org[pop.home_trust[rows]]
    cpa = pop.cpa[rows]
    if model.regime == Regime.REUNIFIED:
        return model.areas.nps_of[cpa]
    high = pop.rosh[rows] >= model.params.tr.nps_case_share_rosh
    return np.where(high, model.areas.nps_of[cpa], model.areas.crc_of[cpa])


# ---- leaving a caseload, ending supervision, recall -----------------------------------------
def unassign(model, rows: np.ndarray) -> None:
    """Take rows off their officers' caseloads."""
    pop, staff = model.pop, model.staff
    off = pop.officer[rows]
    held = off >= 0
    if held.any():
        staff.caseload -= np.bincount(off[held], minlength=staff.n).astype(staff.caseload.dtype)
    pop.officer[rows] = -1


def terminate(model, rows: np.ndarray, completed: bool) -> None:
    """End supervision: count the termination and its outcomes; leave the caseload."""
    if rows.size == 0:
        return
    pop, c = model.pop, model.counts
    c["terminations"] += rows.size
    if completed:
        c["completions"] += rows.size
    unmet = pop.need[rows] & ~pop.need_met[rows]
    c["term_accommodation_ok"] += int((unmet & need_bit(ACCOMMODATION) == 0).sum())
    c["term_employment_ok"] += int((unmet & need_bit(EMPLOYMENT) == 0).sum())
    pop.state[rows] = State.FREE
    pop.week_free[rows] = model.week
    unassign(model, rows)
    pop.agency[rows], pop.org[rows] = Agency.NONE, -1
    pop.parked[rows] = False
    pop.week_transfer[rows] = -1
    pop.week_breach[rows] = -1


def recall(model, rows: np.ndarray) -> None:
    """Recall licence cases to custody (the NPS decides; only during the licence). A share
    ``enforcement.fixed_term_recall_share`` are fixed-term recalls - 14 days for terms under 12 months,
    28 days for longer ones; the rest standard recalls, to the sentence end unless re-released earlier
    (after a mean ``enforcement.standard_recall_weeks``). They stay on the caseload."""
    if rows.size == 0:
        return
    pop, w, e = model.pop, model.week, model.params.enforcement
    u = uniforms_at(model.streams.key("recall", w, FIXED_OR_STANDARD), rows)
    fixed = u < e.fixed_term_recall_share
    short = pop.sentence_kind[rows] == SentenceKind.SHORT_CUSTODY
    fixed_weeks = np.where(short, FIXED_TERM_SHORT_WEEKS, FIXED_TERM_LONG_WEEKS)
    rerelease = np.ceil(exponential_at(model.streams.key("recall", w, RERELEASE), e.standard_recall_weeks, rows))
    standard = np.minimum(pop.week_licence_end[rows] - w, np.maximum(rerelease, 1))
    pop.state[rows] = State.CUSTODY
    pop.recalled[rows] = True
    pop.week_release[rows] = w + np.maximum(np.where(fixed, fixed_weeks, standard), 1).astype(np.int32)
    pop.week_breach[rows] = -1
    c = model.counts
    c["recalls"] += rows.size
    c["recalls_fixed_term"] += int(fixed.sum())
    c["recalls_short"] += int(short.sum())


def commit_for_pss_breach(model, rows: np.ndarray) -> None:
    """A magistrates' court commits PSS cases in breach to custody for up to 14 days; the PSS runs on."""
    if rows.size == 0:
        return
    pop = model.pop
    pop.state[rows] = State.CUSTODY
    pop.recalled[rows] = True  # a spell inside a supervision period: back to it on release
    pop.week_release[rows] = model.week + PSS_COMMITTAL_WEEKS
    pop.week_breach[rows] = -1
    model.counts["pss_committals"] += rows.size


def release_cases(model, posts: np.ndarray) -> None:
    """Cases of posts just vacated or cut (a mask over posts) wait for a new officer."""
    pop = model.pop
    v = pop.view()
    lost = rows_where(_cases_of_posts(pop.officer[v], posts))
    pop.officer[lost] = -1
    pop.relationship[lost] *= model.params.relationships.officer_change_keep
    model.staff.caseload[posts] = 0
    model.counts["officer_changed"] += lost.size


@kernel
def _cases_of_posts(officer, posts):
    """Mask of rows whose officer holds one of the flagged posts."""
    out = np.empty(officer.shape[0], dtype=np.bool_)
    for i in range(officer.shape[0]):
        out[i] = (officer[i] >= 0) & posts[max(officer[i], 0)]
    return out


def group_of(pop, rows: np.ndarray) -> np.ndarray:
    """Each person's group for the tallies: 0 man, white; 1 man, minority ethnic; 2 woman, white; 3 woman,
    minority ethnic."""
    return 2 * pop.female[rows].astype(np.int64) + pop.minority[rows].astype(np.int64)


def open_cohorts(model, rows: np.ndarray, kind) -> None:
    """Start a proven-reoffending cohort for rows with none open (one per person per year)."""
    pop = model.pop
    kind = np.broadcast_to(np.asarray(kind, dtype=np.int8), rows.shape)
    keep = ~pop.cohort_open[rows]
    rows, kind = rows[keep], kind[keep]
    pop.cohort_open[rows] = True
    pop.cohort_start[rows] = model.week
    pop.cohort_kind[rows] = kind
    pop.cohort_crc[rows] = pop.rosh[rows] < model.params.tr.nps_case_share_rosh
    # PbR counts a person against the organisation the allocation rule gives their case at the cohort's start
    pop.cohort_org[rows] = required_provider(model, rows) if model.regime == Regime.SPLIT else -1
    pop.cohort_proven[rows] = 0


def close_cohorts(model) -> None:
    """Tally cohorts whose 12 months have passed (their proven offences are known): into the
    recorder's cohort table and, for CRC cases, the CRC's Payment-by-Results tally."""
    pop, w = model.pop, model.week
    v = pop.view()
    done = rows_where(_cohorts_due(pop.cohort_open[v], pop.cohort_start[v], w - COHORT_WEEKS))
    if done.size == 0:
        return
    if model.reporting:
        model.recorder.tally_cohorts(pop.cohort_start[done], pop.cohort_kind[done].astype(np.int64),
                                     pop.cohort_crc[done], group_of(pop, done), pop.cohort_proven[done])
        first_year = done[(pop.cohort_start[done] < model.first_year_weeks) & pop.cohort_crc[done]
                          & (pop.cohort_start[done] >= 0)]
        model.pbr.tally_baseline(pop.cpa[first_year].astype(np.int64), pop.cohort_proven[first_year])
    org = pop.cohort_org[done]
    crc = (org >= 0) & (model.ops.agency[np.maximum(org, 0)] == Agency.CRC)
    if crc.any():
        rows = done[crc]
        model.pbr.tally_cohorts(org[crc], pop.cohort_start[rows], pop.cohort_proven[rows])
    pop.cohort_open[done] = False


@kernel
def _cohorts_due(cohort_open, cohort_start, started_by):
    """Mask of open cohorts that started at or before ``started_by`` (12 months ago or more)."""
    out = np.empty(cohort_open.shape[0], dtype=np.bool_)
    for i in range(cohort_open.shape[0]):
        out[i] = cohort_open[i] & (cohort_start[i] <= started_by)
    return out


# ---- caseloads by organisation --------------------------------------------------------------
def cases_by_org(model) -> np.ndarray:
    """Supervised cases held by each organisation now."""
    pop = model.pop
    v = pop.view()
    return _cases_by_org(pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v], pop.org[v], len(model.orgs))


@kernel
def _cases_by_org(state, sentence_kind, recalled, ora, org, n_orgs):
    out = np.zeros(n_orgs, dtype=np.int64)
    for i in range(state.shape[0]):
        out[max(org[i], 0)] += is_supervised(state[i], sentence_kind[i], recalled[i], ora[i]) & (org[i] >= 0)
    return out


def cases_by_org_and_type(model) -> np.ndarray:
    """Supervised cases held by each organisation by type: (order, licence, PSS, in custody)."""
    pop = model.pop
    v = pop.view()
    return _cases_by_org_and_type(model.week, pop.state[v], pop.sentence_kind[v], pop.recalled[v], pop.ora[v], pop.org[v],
                                  pop.week_licence_end[v], len(model.orgs))


@kernel
def _cases_by_org_and_type(w, state, sentence_kind, recalled, ora, org, week_licence_end, n_orgs):
    out = np.zeros((n_orgs, 4), dtype=np.int64)
    for i in range(state.shape[0]):
        if org[i] < 0 or not is_supervised(state[i], sentence_kind[i], recalled[i], ora[i]):
            continue
        s = state[i]
        kind = 0 if s == COMMUNITY else (3 if s == CUSTODY else (1 if week_licence_end[i] > w else 2))
        out[org[i], kind] += 1
    return out
