"""Absences, breaches, recalls and revocations on hand-built cases."""

from __future__ import annotations

import numpy as np

from agents.states import SentenceKind, State
from model.week.enforcement import enforcement
from tests.helpers import hand_population, model_for


def breach_due(m, rows, w):
    """Make each row's breach outcome fall due in week ``w``."""
    m.week = w
    m.pop.week_breach[rows] = w
    m.params.enforcement.miss_prob = 0.0  # no new absences this week


def test_breach_after_warnings_leads_to_recall():
    m = model_for(**{"enforcement.miss_prob": 1.0, "enforcement.warnings_before_breach": 0,
                     "enforcement.breach_prob_public": 1.0})
    m.week = 40
    officer = int(np.flatnonzero(m.staff.filled)[0])
    rows = hand_population(m, 1, state=State.LICENCE, officer=officer, org=int(m.staff.employer[officer]),
                           week_end=100, week_licence_end=100, ogrs=99.0, dose=1.0, relationship=0.0,
                           sentence_kind=SentenceKind.LONG_CUSTODY)
    enforcement(m)
    assert m.counts["breaches"] == 1 and m.pop.week_breach[rows[0]] == 42
    m.week = 42
    enforcement(m)
    assert m.pop.state[rows[0]] == State.CUSTODY and m.pop.recalled[rows[0]]
    assert m.counts["recalls"] == 1


def test_swift_breach_for_iom_cases_with_good_information():
    from model.week.enforcement import enforcement

    m = model_for(**{"enforcement.miss_prob": 1.0, "enforcement.warnings_before_breach": 0,
                     "enforcement.breach_prob_public": 1.0})
    m.week = 40
    officer = int(np.flatnonzero(m.staff.filled)[0])
    rows = hand_population(m, 2, state=State.LICENCE, officer=officer, org=int(m.staff.employer[officer]),
                           week_end=100, ogrs=99.0, dose=1.0, relationship=0.0,
                           sentence_kind=SentenceKind.LONG_CUSTODY, iom=[True, False])
    enforcement(m)
    assert list(m.pop.week_breach[rows]) == [41, 42]  # IOM: one week; others the usual two


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
