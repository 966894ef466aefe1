"""The contact mechanism: caps, remote contact, parking and IOM support."""

from __future__ import annotations

import numpy as np
import pytest

from agents.crc import Review
from experiments import simulate
from tests.helpers import model_for


def sold_model(**overrides):
    m = model_for("tr", end="2019-12-31", **overrides)
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m


def sold(contact: bool = True, **overrides):
    m = model_for("tr", end="2019-12-31", **{"tr.mechanisms.contact": contact, **overrides})
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m, m.crcs()[0]


@pytest.mark.parametrize("on", [True, False])
def test_contact_mechanism_acts_on_its_own_rules(on):
    m = sold_model(**{"tr.mechanisms.contact": on})
    crc = next(o for o in m.crcs() if o.active)
    s = m.params.supervision
    assert bool(m.ops.parks[crc.index]) is on
    assert m.ops.remote[crc.index] == (s.remote_share_crc if on else s.remote_share_trust)
    assert m.ops.iom_protected is (not on)


def test_contact_off_leaves_no_case_without_an_officer_and_parks_nothing():
    params = simulate.build_parameters("tr", {"tr.mechanisms.contact": False}, seed=2, end="2020-12-31")
    frame = simulate.run("tr", params).timeseries
    late = frame[frame["date"] >= "2019-01-01"]
    assert late["parked"].max() == 0
    assert late["unallocated"].mean() < 0.01 * late["under_supervision"].mean()
    assert (late["remote_share_crc"] == params.supervision.remote_share_trust).all()  # the share in use


@pytest.mark.parametrize("on", [True, False])
def test_contact_mechanism_adapts_the_operating_model_both_ways(on):
    m, crc = sold(contact=on, **{"finance.loss_response_cap_rise": 0.1, "finance.loss_response_remote_step": 0.2,
                                 "supervision.remote_share_max": 0.5})
    k = crc.index
    cap, remote = m.ops.cap[k], m.ops.remote[k]
    s = m.params.supervision
    assert (cap, remote) == ((s.caseload_cap_crc, s.remote_share_crc) if on else (s.caseload_cap_trust, s.remote_share_trust))
    rng = np.random.default_rng(0)
    m.channels.review(m, crc, Review(cut_share=0.05), rng)
    assert (m.ops.cap[k], m.ops.remote[k]) == ((pytest.approx(cap * 1.1), min(0.5, remote + 0.2)) if on else (cap, remote))
    m.channels.review(m, crc, Review(restore_posts=1), rng)
    assert (m.ops.cap[k], m.ops.remote[k]) == (pytest.approx(cap), pytest.approx(remote))
    m.refresh()  # a refresh recomputes what is derived; the CRC's operating model has one writer and stays
    assert (m.ops.cap[k], m.ops.remote[k]) == (pytest.approx(cap), pytest.approx(remote))
