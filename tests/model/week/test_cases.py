"""Shared case transitions: recall, cohorts, who is supervised and by whom."""

from __future__ import annotations

import pytest

from agents.states import SentenceKind, State
from model.week.cases import COHORT_WEEKS, close_cohorts, open_cohorts, recall
from tests.helpers import hand_population, model_for


def test_cohort_is_tallied_exactly_52_weeks_after_it_opens():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 1, state=State.FREE)
    open_cohorts(m, rows, SentenceKind.COMMUNITY)
    m.pop.cohort_proven[rows] = 3
    crc = int(m.pop.cohort_crc[rows[0]])
    for week in range(11, 10 + COHORT_WEEKS):
        m.week = week
        close_cohorts(m)
        assert m.pop.cohort_start[rows[0]] == 10, week
    assert m.recorder.cohort[10].sum() == 0
    m.week = 10 + COHORT_WEEKS
    close_cohorts(m)
    assert not m.pop.cohort_open[rows[0]]
    group = 2 * int(m.pop.female[rows[0]]) + int(m.pop.minority[rows[0]])
    assert list(m.recorder.cohort[10, SentenceKind.COMMUNITY, crc, group]) == [1, 1, 3]


@pytest.mark.parametrize("kind,weeks", [(SentenceKind.SHORT_CUSTODY, 2), (SentenceKind.LONG_CUSTODY, 4)])
def test_fixed_term_recall_is_14_or_28_days(kind, weeks):
    m = model_for(**{"enforcement.fixed_term_recall_share": 1.0})
    m.week = 50
    rows = hand_population(m, 1, state=State.LICENCE, sentence_kind=kind, week_licence_end=200, week_end=200)
    recall(m, rows)
    assert m.pop.week_release[rows[0]] == 50 + weeks and m.counts["recalls_fixed_term"] == 1


def test_standard_recall_ends_by_the_sentence_end():
    m = model_for(**{"enforcement.fixed_term_recall_share": 0.0, "enforcement.standard_recall_weeks": 200.0})
    m.week = 50
    rows = hand_population(m, 40, state=State.LICENCE, sentence_kind=SentenceKind.LONG_CUSTODY,
                           week_licence_end=60, week_end=60)
    recall(m, rows)
    release = m.pop.week_release[rows]
    assert (release > 50).all() and (release <= 60).all() and (release == 60).sum() > 20
    assert m.counts["recalls_fixed_term"] == 0
