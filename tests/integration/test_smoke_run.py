"""A whole small run writes every required output with every required key."""

from __future__ import annotations

import json

from experiments.infra import provenance
from run import main

REQUIRED = [
    "reoffending_rate", "reoffending_rate_short_custody", "reoffences_per_reoffender", "recalls_per_year",
    "recall_share_short_custody", "caseload_per_officer_nps", "caseload_per_officer_crc",
    "caseload_per_officer_trust", "crc_net_income_gbp_m", "vcs_active_share", "police_probation_trust",
    "iom_contacts_per_case_week", "relationship_continuity", "offences_total", "transfers_crc_to_nps",
    "breaches_per_year", "accommodation_at_termination", "employment_at_termination", "orders_completed_rate",
    "under_supervision_mean", "staff_turnover_rate",
]


def test_simulate_writes_all_outputs(tmp_path):
    out = tmp_path / "X"
    assert main(["simulate", "--scenario", "tr_reunified", "--scale", "small", "--seed", "1",
                 "--end", "2016-12-31", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    for key in REQUIRED:
        assert key in summary, key
    assert summary["caseload_per_officer_crc"] > 0
    assert summary["caseload_per_officer_trust"] is None  # no trusts in the 2015- window
    assert set(summary["reoffending_rate_by_year"]) == {str(y) for y in range(2011, 2017)}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 1 and manifest["scenario"] == "tr_reunified"
    assert manifest["parameters"]["policy.reunify"] is True
    assert {"python", "mesa", "numpy", "project"} <= set(manifest["versions"])
    assert manifest["model_version"] == manifest["versions"]["project"] == provenance.project_version()
    header = (out / "timeseries.csv").read_text().splitlines()[0].split(",")
    assert header[0] == "date" and "caseload_crc" in header
    assert sorted(p.name for p in out.glob("plot_*.png"))
