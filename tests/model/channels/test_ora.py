"""ORA and Through the Gate."""

from __future__ import annotations

from model.channels import policy
from tests.helpers import model_for


def test_ora_and_through_the_gate_act_without_the_split():
    m = model_for("ora_only")
    assert policy.occurs(m, "ora") and not policy.occurs(m, "share_out")
    m.week = 30
    m.channels.fire(m, "ora")
    assert m.ora_in_force and m.ora_week == 30 and m.ttg_in_force  # Through the Gate with the trusts
    no_ttg = model_for("ora_only", **{"tr.channels.through_the_gate": False})
    no_ttg.channels.fire(no_ttg, "ora")
    assert no_ttg.ora_in_force and not no_ttg.ttg_in_force
