"""Invariants checked every week of a run through the split, the sale and ORA."""

from __future__ import annotations

import numpy as np

from agents.states import State
from model.week.cases import supervised_mask
from tests.helpers import model_for


def check(m) -> None:
    pop, st = m.pop, m.staff
    v = pop.view()
    state = pop.state[v]
    assert np.isin(state, [s.value for s in State]).all()
    live = state != State.EMPTY
    sup = supervised_mask(m, v)
    has_officer = pop.officer[v] >= 0
    assert not (has_officer & ~sup).any(), "an officer holds a case that is not supervised"
    counts = np.bincount(pop.officer[v][has_officer], minlength=st.n)
    assert np.array_equal(counts, st.caseload), "caseloads differ from assignments"
    assert not (has_officer & ~(st.filled & st.funded)[np.maximum(pop.officer[v], 0)]).any()
    gov = m.ledger["government"]
    held = sum(o.balance for o in m.orgs) + m.ledger["external"]
    assert abs(gov - held) <= 1e-6 * max(1.0, abs(gov)), "money does not balance"
    for o in m.orgs:
        assert abs(o.balance - (o.income_total - o.spend_total)) <= 1e-6 * max(1.0, o.income_total)
    for name in ("relationship", "contact", "dose", "quality", "ogrs", "propensity"):
        assert np.isfinite(getattr(pop, name)[v][live]).all(), name
    assert ((pop.relationship[v] >= 0) & (pop.relationship[v] <= 1)).all()
    # the law: a term being served has its release ahead; a recall or committal is a spell in custody;
    # supervision in the community has its end ahead, and a licence never outlasts it
    assert (pop.week_release[v][state == State.CUSTODY] >= m.week).all()
    assert not (pop.recalled[v] & (state != State.CUSTODY)).any()
    community = (state == State.COMMUNITY) | (state == State.LICENCE)
    assert (pop.week_end[v][community] >= m.week).all()
    assert (pop.week_licence_end[v][state == State.LICENCE] <= pop.week_end[v][state == State.LICENCE]).all()
    assert ((m.ties.trust >= 0) & (m.ties.trust <= 1)).all()


def test_invariants_every_week_through_the_reform_and_reunification():
    """Every week from 2011 through the split, the sale, ORA, the 2017 variation, the 2018 announcement, enhanced
    Through the Gate and reunification."""
    m = model_for("tr_reunified", end="2021-12-31")
    check(m)
    seen = set()
    while m.running:
        m.step()
        check(m)
        seen.add((m.date.year, m.regime))
    assert (2016, "split") in seen and (2018, "split") in seen and (2021, "reunified") in seen
    assert m.ora_in_force and all(e.applied for e in m.events)
