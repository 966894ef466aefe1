"""Between pre_tr and tr the model moves the way the seed documents lead one to expect, and each
mechanism switch moves its own indicator back toward the no-reform world."""

from __future__ import annotations

import pytest

from experiments import simulate

END = "2018-12-31"


def run(scenario: str, **overrides) -> dict:
    params = simulate.build_parameters(scenario, overrides, seed=1, end=END)
    return simulate.run(scenario, params).summary


@pytest.fixture(scope="module")
def pre():
    return run("pre_tr")


@pytest.fixture(scope="module")
def tr():
    return run("tr")


def test_tr_against_pre_tr(pre, tr):
    assert tr["relationship_continuity"] < pre["relationship_continuity"] - 0.1
    assert tr["police_probation_trust"] < pre["police_probation_trust"] - 0.05
    assert tr["iom_contacts_per_case_week"] < 0.8 * pre["iom_contacts_per_case_week"]
    assert pre["short_custody_supervised_share"] == 0.0
    assert tr["short_custody_supervised_share"] > 0.75  # ORA covers offences from Feb 2015, so it ramps up
    assert tr["under_supervision_mean"] > pre["under_supervision_mean"]
    assert pre["caseload_per_officer_crc"] is None and tr["caseload_per_officer_crc"] > tr["caseload_per_officer_nps"]
    assert tr["vcs_active_share"] < pre["vcs_active_share"]


@pytest.mark.parametrize("switch,metric", [
    ("relationships", "relationship_continuity"),
    ("contact", "iom_contacts_per_case_week"),
    ("interagency", "police_probation_trust"),
])
def test_each_mechanism_switch_restores_its_indicator(tr, switch, metric):
    off = run("tr", **{f"tr.mechanisms.{switch}": False})
    assert off[metric] > tr[metric]
