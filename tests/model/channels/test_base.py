"""Channels as a whole: with every channel off, TR is the pre-reform world."""

from __future__ import annotations

from experiments import simulate

ALL_OFF = {"tr.channels.split": False, "tr.channels.market": False, "tr.channels.ora": False,
           "tr.channels.through_the_gate": False, "tr.mechanisms.relationships": False,
           "tr.mechanisms.contact": False, "tr.mechanisms.interagency": False}


def test_tr_with_every_channel_off_is_the_pre_reform_world():
    end = "2019-12-31"
    off = simulate.run("tr", simulate.build_parameters("tr", ALL_OFF, seed=4, end=end))
    pre = simulate.run("pre_tr", simulate.build_parameters("pre_tr", seed=4, end=end))
    assert off.events == [] and pre.events == []
    assert simulate.summary_json(off) == simulate.summary_json(pre)
    assert simulate.timeseries_csv(off) == simulate.timeseries_csv(pre)
