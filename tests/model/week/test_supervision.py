"""Supervision on hand-built caseloads: hours shared pro rata, contact standards, parking."""

from __future__ import annotations

import numpy as np

from agents.states import SentenceKind, State
from model.week.supervision import supervision
from tests.helpers import hand_population, model_for


def test_supervision_shares_hours_pro_rata():
    m = model_for()
    st = m.staff
    officer = int(np.flatnonzero(st.filled & st.funded)[0])
    m.params.supervision.contact_hours_per_fte = 3.0
    st.sick[:] = False
    rows = hand_population(m, 4, state=State.LICENCE, sentence_kind=SentenceKind.LONG_CUSTODY, week_end=100,
                           rosh=2, officer=officer, org=int(st.employer[officer]))
    supervision(m)
    std = m.params.supervision.standard_high  # 1.5 h each, 6 h demanded of 3 h
    assert np.allclose(m.pop.contact[rows], std * 3.0 / (4 * std))
    assert np.allclose(m.pop.dose[rows], 0.5)
    assert st.caseload[officer] == 4
