"""The law's terms: sentence lengths, ORA eligibility, concurrent sentences."""

from __future__ import annotations

import numpy as np

from agents.states import SentenceKind, State
from model.week.custody import custody
from model.week.sentences import ora_applies, start_sentences
from model.week.sentencing import sentencing
from model.world.inputs import Disposal
from tests.helpers import hand_population, model_for


def test_sentencing_custody_ends_order_community_runs_alongside():
    m = model_for(**{"sentencing.custody_share_on_reconviction": 0.99, "sentencing.custody_ogrs_slope": 2.0})
    m.week = 30
    rows = hand_population(m, 2, state=State.COMMUNITY, week_end=80, week_court=[30, 31], pending=1, ogrs=99)
    m.court_balance[:] = 100.0  # places for everyone
    sentencing(m)
    assert m.pop.state[rows[0]] == State.CUSTODY and m.pop.sentence_kind[rows[0]] != SentenceKind.COMMUNITY
    assert 31 <= m.pop.week_release[rows[0]] <= 30 + 1040
    assert m.pop.state[rows[1]] == State.COMMUNITY  # court date not yet come
    assert m.counts["terminations"] == 1 and m.counts["completions"] == 0 and m.counts["reconvictions"] == 1
    m.params.sentencing.custody_share_on_reconviction = 0.01
    m.params.sentencing.custody_ogrs_slope = -2.0
    m.week = 31
    sentencing(m)
    assert m.pop.state[rows[1]] == State.COMMUNITY and m.pop.week_end[rows[1]] >= 80  # runs alongside
    assert m.counts["terminations"] == 1


def test_ora_covers_offences_from_commencement_and_terms_under_two_years():
    m = model_for()
    m.ora_week = 100
    rows = hand_population(m, 4, week_offence=[99, 100, 150, 150])
    assert list(ora_applies(m, rows, np.array([20, 20, 103, 104]))) == [False, True, True, False]


def test_concurrent_sentences_keep_the_term_and_the_licence():
    m = model_for()
    m.week = 100
    rows = hand_population(m, 3, state=[State.CUSTODY, State.CUSTODY, State.LICENCE],
                           sentence_kind=[SentenceKind.LONG_CUSTODY, SentenceKind.SHORT_CUSTODY, SentenceKind.LONG_CUSTODY],
                           recalled=[False, True, False], week_release=[150, 104, -1],
                           week_licence_end=[200, 120, 130], week_end=[200, 120, 130], sentence_weeks=100)
    disposal = np.array([Disposal.COMMUNITY_ORDER, Disposal.CUSTODY_12M_TO_4Y, Disposal.COMMUNITY_ORDER])
    start_sentences(m, rows, disposal, np.random.default_rng(1), weeks=np.array([160, 80, 60], dtype=np.int32))
    pop = m.pop
    # an order given in custody runs alongside: the term, its kind and its release stay
    assert pop.state[rows[0]] == State.CUSTODY and pop.sentence_kind[rows[0]] == SentenceKind.LONG_CUSTODY
    assert pop.week_release[rows[0]] == 150 and pop.week_order_end[rows[0]] == 260
    # a new term for someone recalled: a term, not a recall; the later release and end
    assert not pop.recalled[rows[1]] and pop.week_release[rows[1]] == 140 and pop.week_licence_end[rows[1]] == 180
    # an order for someone on licence: still on licence (recallable), supervised to the later end
    assert pop.state[rows[2]] == State.LICENCE and pop.week_end[rows[2]] == 160 and pop.week_licence_end[rows[2]] == 130
    m.week = 150
    custody(m)  # the first is released: licence to 200, then what remains of the order to 260
    assert pop.state[rows[0]] == State.LICENCE and pop.week_end[rows[0]] == 260
