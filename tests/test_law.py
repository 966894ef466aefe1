"""The law as written (docs/ODD.md, "The law"), phase by phase on hand-built people."""

from __future__ import annotations

import numpy as np
import pytest

from agents.states import SentenceKind, State
from model.week.cases import recall
from model.week.custody import custody
from model.week.enforcement import enforcement
from model.week.sentences import PSS_WEEKS, ora_applies, start_sentences
from model.week.sentencing import within_places
from model.world.inputs import Disposal
from tests.helpers import hand_population, model_for


def breach_due(m, rows, w):
    """Make each row's breach outcome fall due in week ``w``."""
    m.week = w
    m.pop.week_breach[rows] = w
    m.params.enforcement.miss_prob = 0.0  # no new absences this week


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


def test_ora_covers_offences_from_commencement_and_terms_under_two_years():
    m = model_for()
    m.ora_week = 100
    rows = hand_population(m, 4, week_offence=[99, 100, 150, 150])
    assert list(ora_applies(m, rows, np.array([20, 20, 103, 104]))) == [False, True, True, False]


def test_recall_only_during_the_licence_and_pss_breach_goes_to_court():
    m = model_for(**{"enforcement.pss_committal_prob": 1.0, "enforcement.fixed_term_recall_share": 1.0})
    rows = hand_population(m, 2, state=State.LICENCE, sentence_kind=SentenceKind.SHORT_CUSTODY, ora=True,
                           week_licence_end=[30, 20], week_end=62, officer=-1)
    breach_due(m, rows, 25)
    enforcement(m)
    pop = m.pop
    assert pop.state[rows[0]] == State.CUSTODY and pop.week_release[rows[0]] == 25 + 2  # fixed-term: 14 days
    assert pop.state[rows[1]] == State.CUSTODY and pop.week_release[rows[1]] == 25 + 2  # committal: 14 days
    assert m.counts["recalls"] == 1 and m.counts["pss_breaches_to_court"] == 1 and m.counts["pss_committals"] == 1


def test_pss_breach_without_committal_leaves_the_case_in_the_community():
    m = model_for(**{"enforcement.pss_committal_prob": 0.0})
    rows = hand_population(m, 1, state=State.LICENCE, ora=True, week_licence_end=20, week_end=62, officer=-1)
    breach_due(m, rows, 25)
    enforcement(m)
    assert m.pop.state[rows[0]] == State.LICENCE and m.counts["recalls"] == 0
    assert m.counts["pss_breaches_to_court"] == 1


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


def test_places_go_to_those_likeliest_to_be_jailed_and_the_rest_step_down():
    disposal = np.array([4, 4, 4, 2, 2, 1, 4])
    area = np.array([0, 0, 0, 0, 0, 0, 1])
    chance = np.array([0.9, 0.5, 0.7, 0.3, 0.8, 0.1, 0.2])
    places = np.array([[9, 9, 2, 9, 1], [9, 0, 0, 0, 0]])
    out = within_places(disposal, area, chance, places)
    # area 0, over 4 years: one place, to the likeliest (0.9); the others step down to 12m-4y (room there)
    assert list(out[:3]) == [4, 3, 3]
    # under 12 months: two places for two; the SSO stays; area 1 has no custody or SSO places: an order
    assert list(out[3:]) == [2, 2, 1, 0]


def test_newcomers_make_up_the_input_with_returning_people():
    m = model_for()
    m.week = 5
    rows = hand_population(m, 3, state=State.FREE, week_court=5, ogrs=60)
    before = m.court_balance.copy()
    from model.week.sentencing import sentencing

    sentencing(m)
    weekly = m.inputs.weekly(m.input_year(), m.areas.share)
    returning = m.counts["reconvictions"]
    assert returning == 3 and (m.pop.week_court[rows] == -1).all()
    # what is owed moves by the week's input less everyone sentenced, kind by kind
    sentenced = np.array([[m.counts[f"disposals_{k}"] for k in ("community_orders", "suspended_orders", "custody_under_12m",
                                                                 "custody_12m_to_4y", "custody_over_4y")]])
    assert np.allclose(m.court_balance, before + weekly - sentenced)
    assert m.counts["disposals"] == sentenced.sum() == returning + m.counts["newcomers"]
