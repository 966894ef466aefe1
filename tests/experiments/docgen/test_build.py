"""The generators behind `run.py docs`: blocks replaced in place, the fit taken from validation.md before
calibration.md, the sensitivity table's noise floor, and the command's one-line refusals."""

from __future__ import annotations

import json

import pytest

from experiments.docgen import evidence as doc_evidence
from experiments.docgen import trace as doc_trace
from experiments.docgen.blocks import block, replace_block
from run import main


def test_a_block_is_replaced_in_place_and_nothing_else_changes():
    text = "before\n<!-- x:begin -->\nold\n<!-- x:end -->\nafter\n"
    new = replace_block(text, "x", "new body")
    assert new == "before\n<!-- x:begin -->\nnew body\n<!-- x:end -->\nafter\n"
    assert block(new, "x") == "new body\n"
    assert replace_block(new, "x", "new body") == new
    with pytest.raises(ValueError):
        replace_block(text, "y", "z")


def test_the_fit_comes_from_validation_md_when_it_exists(tmp_path, monkeypatch):
    monkeypatch.setattr(doc_evidence, "DOCS", tmp_path)
    (tmp_path / "calibration.md").write_text("| figure | published | model |\n| --- | --- | --- |\n| a | 1 | 2 |\n")
    fit = doc_evidence.fit_markdown()
    assert "not yet generated" in fit and "| a | 1 | 2 |" in fit
    (tmp_path / "validation.md").write_text("# V\n\n## Pre-reform targets (x)\n\n| t | v |\n|---|---|\n| b | inside |\n\n"
                                           "Missed: none.\n\n## Other\n\n| c | d |\n")
    fit = doc_evidence.fit_markdown()
    assert "| b | inside |" in fit and "Missed: none." in fit and "| a | 1 | 2 |" not in fit and "| c | d |" not in fit
    assert doc_evidence.predictions_markdown().startswith("Not yet generated")  # this validation.md has no predictions


def test_sensitivity_table_marks_only_factors_clearly_above_the_dummy(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "indices.csv").write_text(
        "scenario,metric,parameter,mu_star,mu_star_conf,sigma,above_noise_floor\n"
        "tr,reoffending_rate,dummy,0.010,0.004,0.01,\n"
        "tr,reoffending_rate,a.clear,0.030,0.005,0.02,yes\n"
        "tr,reoffending_rate,b.within,0.012,0.005,0.01,no\n")
    design = {"kind": "morris", "factors": {"a.clear": {}, "b.within": {}}, "samples": 4, "levels": 4}
    (tmp_path / "manifest.json").write_text(json.dumps({
        "experiment_file": "experiments/data/sensitivity.toml", "runs_ok": 12,
        "settings": {"scenarios": ["tr"], "scale": "small", "end": "2021-12-31", "replications": 1, "design": design},
        "sessions": [{"git_commit": "0123456789abcdef"}]}))
    text = doc_trace.sensitivity_markdown(tmp_path)
    row = next(line for line in text.splitlines() if line.startswith("| proven reoffending rate"))
    assert row.split(" | ")[1] == "1.00"  # the dummy's mu*, in percentage points
    assert row.split(" | ")[2] == "`a.clear`"  # 3.0 - 0.5 > 1.0; 1.2 - 0.5 is not
    assert "`a.clear` 3.00 [2.50, 3.50]" in row and "commit 0123456789ab" in text


def test_docs_refuses_a_sensitivity_folder_without_its_table_in_one_line(tmp_path, capsys):
    assert main(["docs", "--sensitivity", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "indices.csv" in err[0]
