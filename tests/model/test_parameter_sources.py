"""Every parameter's source resolves to an entry of docs/sources.md or is a reasoned assumption; the copied source
tables are unchanged; the rule itself refuses what it should."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from experiments.docgen import sources as doc_sources
from model.parameters import Parameters, walk

ROOT = Path(__file__).resolve().parents[2]


def test_every_parameter_source_resolves():
    assert doc_sources.problems() == []


def test_the_entries_include_the_five_seeds_and_the_two_tables():
    keys = doc_sources.keys()
    assert {f"seed 00{k}" for k in range(5)} | {"CALIBRATION.md", "DOMAIN.md"} <= set(keys)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("source,ok", [
    ("seed 003, section 2.2: a passage", True),
    ("seeds 001, 003: both say so", True),
    ("CALIBRATION.md, Inputs: a row", True),
    ("OGRS3 (Howard et al. 2009): a feature", True),
    ("DOMAIN.md: a fact; assumption: the size is a judgement call", True),
    ("assumption: a reason of several words; with a semicolon inside it", True),
    ("assumption", False),  # no reason
    ("assumption: as above", False),  # two words are not a reason
    ("seed 007: no such seed", False),
    ("seeds 001, 009: one of them unknown", False),
    ("NAO 2016: not an entry", False),
    ("CALIBRATION.md; an unsourced fragment", False),
])
def test_the_rule(source, ok):
    keys = doc_sources.keys()
    problems = [doc_sources.problem(c, keys) for c in doc_sources.citations(source)]
    assert (not any(problems)) == ok, problems


def test_the_copied_tables_are_unchanged():
    readme = (ROOT / "docs" / "sources" / "README.md").read_text()
    for name in ("CALIBRATION.md", "DOMAIN.md"):
        recorded = re.search(r"\[" + re.escape(name) + r"\]\(" + re.escape(name) + r"\) \|.*\| `([0-9a-f]{64})` \|",
                             readme).group(1)
        assert hashlib.sha256((ROOT / "docs" / "sources" / name).read_bytes()).hexdigest() == recorded


def test_every_seed_cited_anywhere_in_the_tree_has_an_entry():
    keys = set(doc_sources.keys())
    for name, _, f in walk(Parameters()):
        for seed in doc_sources.seeds_named(f.metadata["source"]):
            assert seed in keys, (name, seed)
