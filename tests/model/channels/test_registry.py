"""Channel declarations and the parameter switches derived from them."""

from __future__ import annotations

from model.channels.registry import ORDER
from tests.helpers import model_for


def test_channels_are_named_and_each_reads_its_own_switch():
    m = model_for("tr", **{"tr.channels.market": False, "tr.mechanisms.contact": False})
    assert [ch.name for ch in m.channels] == list(ORDER)
    assert {ch.name: ch.on for ch in m.channels} == {"ora": True, "through_the_gate": True, "split": True,
                                                   "market": False, "relationships": True, "contact": False,
                                                   "interagency": True}
