"""A police force's information sharing."""

from __future__ import annotations

import numpy as np
import pytest

from agents import (
    PoliceForce,
)
from tests.helpers import model_for


def sold(contact: bool = True, **overrides):
    m = model_for("tr", end="2019-12-31", **{"tr.mechanisms.contact": contact, **overrides})
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m, m.crcs()[0]


def test_police_force_shares_information_by_trust_and_partner_access():
    m, crc = sold()
    force = m.orgs[m.areas.forces_of[0][0]]
    i = m.params.information
    partners, trust = m.interagency.police_ties(force.index)
    assert set(partners) == {int(m.areas.nps_of[0]), crc.index}
    m.ties.trust[m.ties.find(force.index, crc.index)] = 0.6
    m.interagency.info[force.index] = 99.0
    force.share_information()
    row = m.interagency.info[force.index]
    reference = m.interagency.reference_trust
    assert row[crc.index] == pytest.approx(0.6 * (1 - i.it_access_penalty) / reference)
    nps_trust = m.ties.trust[m.ties.find(force.index, int(m.areas.nps_of[0]))]
    assert row[int(m.areas.nps_of[0])] == pytest.approx(min(nps_trust / reference, 1.2))
    assert np.count_nonzero(row) == 2  # nothing shared with organisations it has no tie to
    assert isinstance(force, PoliceForce)
