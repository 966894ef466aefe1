"""The inter-agency mechanism: trust shocks, delays, breach and recall behaviour."""

from __future__ import annotations

import numpy as np
import pytest

from agents.states import Agency, State
from tests.helpers import hand_population, model_for


def sold_model(**overrides):
    m = model_for("tr", end="2019-12-31", **overrides)
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m


def delays(m, rows):
    """(enforcement, transfer) delays in weeks, as the phases compute them."""
    delay = m.channels.interagency.delay
    return (list(delay(m, rows, m.params.enforcement.decision_weeks)),
            list(np.maximum(delay(m, rows, m.params.risk.transfer_delay_weeks), 1)))


def test_enforcement_and_transfer_delays_grow_as_nps_crc_trust_falls():
    m = sold_model(**{"risk.transfer_delay_weeks": 3.0})
    crc = int(m.areas.crc_of[0])
    rows = hand_population(m, 2, state=State.COMMUNITY, week_end=500, agency=[Agency.CRC, Agency.NPS],
                           org=[crc, int(m.areas.nps_of[0])])
    tie = m.ties.find(int(m.areas.nps_of[0]), crc)
    m.ties.trust[tie] = m.interagency.reference_trust / 2  # half the trust: twice the wait for CRC cases
    assert delays(m, rows) == ([4, 2], [6, 3])
    off = sold_model(**{"risk.transfer_delay_weeks": 3.0, "tr.mechanisms.interagency": False})
    rows = hand_population(off, 1, state=State.COMMUNITY, week_end=500, agency=Agency.CRC, org=crc)
    off.ties.trust[off.ties.find(int(off.areas.nps_of[0]), crc)] = off.interagency.reference_trust / 2
    assert delays(off, rows) == ([2], [3])


@pytest.mark.parametrize("on", [True, False])
def test_interagency_mechanism_acts_on_its_own_rules(on):
    m = sold_model(**{"tr.mechanisms.interagency": on})
    crc = next(o for o in m.crcs() if o.active)
    i = m.params.information
    assert m.ops.confidential[crc.index] == (1.0 if on else 0.0)
    assert m.ops.access[crc.index] == pytest.approx(1.0 - i.it_access_penalty if on else 1.0)
    assert m.ops.breach_prob[crc.index] == pytest.approx(
        m.params.enforcement.breach_prob_public * (1 - m.params.enforcement.crc_underbreach if on else 1.0))
    force = m.areas.forces_of[0][0]
    tie = m.ties.find(force, crc.index)
    assert bool(m.ties.colocated[tie]) is (not on)
