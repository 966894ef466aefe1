"""The relationships mechanism: transfer costs, profit perception, the CRC training gap."""

from __future__ import annotations

import pytest

from tests.helpers import model_for


def sold_model(**overrides):
    m = model_for("tr", end="2019-12-31", **overrides)
    m.channels.fire(m, "share_out")
    m.channels.fire(m, "sale")
    return m


@pytest.mark.parametrize("on", [True, False])
def test_relationships_mechanism_acts_on_its_own_rules(on):
    m = sold_model(**{"tr.mechanisms.relationships": on})
    crc = next(o for o in m.crcs() if o.active)
    r = m.params.relationships
    assert m.ops.transfer_keep == (r.transfer_keep if on else r.officer_change_keep)
    assert m.ops.profit_perception[crc.index] == (1.0 if on else 0.0)
    assert m.ops.skill_ceiling[crc.index] == (m.params.workforce.skill_ceiling_crc if on
                                              else m.params.workforce.skill_ceiling_public)
