"""Custody and release on hand-built populations: releases as the law writes them, order and licence ends."""

from __future__ import annotations

from agents.states import SentenceKind, State
from model.week.custody import custody
from model.week.sentences import PSS_WEEKS
from tests.helpers import hand_population, model_for


def test_short_sentence_release_before_and_after_ora():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 2, state=State.CUSTODY, sentence_kind=SentenceKind.SHORT_CUSTODY,
                           week_release=10, week_end=18)
    m.pop.ora[rows[1]] = True  # sentenced after ORA commencement
    custody(m)
    assert m.pop.state[rows[0]] == State.FREE  # no statutory supervision before ORA
    assert m.pop.state[rows[1]] == State.LICENCE
    assert m.pop.week_end[rows[1]] == 10 + 52  # 12 months in the community
    assert m.counts["releases_short"] == 2 and m.counts["releases_short_supervised"] == 1
    assert list(m.pop.cohort_start[rows]) == [10, 10]


def test_order_ending_this_week_counts_a_completion():
    m = model_for()
    m.week = 5
    rows = hand_population(m, 3, state=State.COMMUNITY, week_end=[5, 6, 4], officer=-1)
    custody(m)
    assert list(m.pop.state[rows]) == [State.FREE, State.COMMUNITY, State.FREE]
    assert m.counts["completions"] == 2 and m.counts["terminations"] == 2


def test_release_at_sentence_end_is_not_supervised():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 2, state=State.CUSTODY, sentence_kind=SentenceKind.LONG_CUSTODY,
                           week_release=10, week_end=[10, 11], week_licence_end=[10, 11])
    custody(m)
    assert m.pop.state[rows[0]] == State.FREE  # licence would end the week it starts
    assert m.pop.state[rows[1]] == State.LICENCE and m.pop.week_end[rows[1]] == 11


def test_ora_release_licence_to_sentence_end_then_pss_to_twelve_months():
    m = model_for()
    m.week = 10
    rows = hand_population(m, 3, state=State.CUSTODY, sentence_kind=[SentenceKind.SHORT_CUSTODY] * 2
                           + [SentenceKind.LONG_CUSTODY], ora=[True, False, True], week_release=10,
                           week_licence_end=[20, 20, 40], week_end=[20, 20, 40], sentence_weeks=[20, 20, 60])
    custody(m)
    pop = m.pop
    assert pop.state[rows[0]] == State.LICENCE and pop.week_licence_end[rows[0]] == 20
    assert pop.week_end[rows[0]] == 10 + PSS_WEEKS  # licence 10 weeks, then PSS to 12 months after release
    assert pop.state[rows[1]] == State.FREE  # a short term before ORA: no supervision
    assert pop.week_end[rows[2]] == 10 + PSS_WEEKS and pop.week_licence_end[rows[2]] == 40  # 18-month term: 30 + 22
    assert list(pop.cohort_open[rows]) == [True, True, True] and m.counts["releases"] == 3


def test_re_release_never_restarts_supervision_or_opens_a_cohort():
    m = model_for()
    rows = hand_population(m, 2, state=State.CUSTODY, recalled=True, sentence_kind=SentenceKind.SHORT_CUSTODY,
                           ora=True, week_release=40, week_licence_end=30, week_end=[62, 39])
    m.week = 40
    custody(m)
    pop = m.pop
    assert pop.state[rows[0]] == State.LICENCE and pop.week_end[rows[0]] == 62  # back to PSS, same end
    assert pop.state[rows[1]] == State.FREE  # the supervision period ran out inside
    assert not pop.cohort_open[rows].any() and m.counts["releases"] == 0 and m.counts["re_releases"] == 2
