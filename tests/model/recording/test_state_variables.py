"""The ODD's state-variable table covers every state variable: each population and staff column, and every
attribute of a built model, its organisations, contracts, ties, PbR tallies and operating models; the generated
documents are current; every parameter has a meaning, a unit where it is a number, and a source."""

from __future__ import annotations

import dataclasses

import mesa
import pytest

from agents.crc import Contract
from experiments import simulate
from experiments.docgen import build as docs_build
from model.parameters import LEAVES, Parameters, walk
from model.probation_model import ProbationModel
from model.recording import state_variables as sv
from model.world.population import COLUMNS, SCHEMA
from model.world.staff import STAFF_COLUMNS, STAFF_SCHEMA
from tests.reliability.test_reliability_bounds import COMPRESSED

MESA_MODEL = set(vars(mesa.Model(rng=1)))


@pytest.fixture(scope="module")
def model():
    """A short small-scale run in which the CRCs are sold (contracts exist) and every reform event has happened."""
    params = simulate.build_parameters("tr", {"run.burn_in_years": 0.25, **COMPRESSED,
                                              "policy.reunification_date": "2011-03-26"},
                                       scale="small", seed=2, end="2011-03-25")
    m = ProbationModel(params)
    m.run()
    return m


def own(obj) -> set[str]:
    return set(vars(obj)) - set(vars(mesa.Agent(obj.model))) if isinstance(obj, mesa.Agent) else set(vars(obj))


def test_every_population_and_staff_column_has_a_unit_and_meaning():
    assert list(COLUMNS) == list(SCHEMA)
    assert list(STAFF_COLUMNS) == list(STAFF_SCHEMA)
    for unit, meaning in [*COLUMNS.values(), *STAFF_COLUMNS.values()]:
        assert unit and len(meaning.split()) >= 2


def test_the_models_own_state_is_described(model):
    state = set(vars(model)) - MESA_MODEL
    described = set(sv.MODEL) | set(sv.COMPONENTS)
    assert state - described == set(), "undescribed: add them to model/recording/state_variables.py"
    assert described - state == set(), "described but gone"


def test_every_organisations_state_is_described(model):
    seen = set()
    for org in model.orgs:
        kind = type(org).__name__
        seen.add(kind)
        assert own(org) == set(sv.ORGANISATIONS[kind]), kind
    assert seen == set(sv.ORGANISATIONS)
    for officer in model.police_officers:
        assert own(officer) == set(sv.POLICE_OFFICER)
    assert {f.name for f in dataclasses.fields(Contract)} == set(sv.CONTRACT)
    assert any(c.contract is not None for c in model.crcs())


def test_ties_pbr_information_and_operating_models_are_described(model):
    assert own(model.ties) == set(sv.TIES)
    assert own(model.pbr) == set(sv.PBR)
    assert own(model.interagency) == set(sv.INTERAGENCY)
    assert own(model.ops) == set(sv.OPERATING_MODEL)
    for _, _, entries in sv.TABLES:
        for name, (kind, _, meaning) in entries.items():
            assert kind and meaning, name


def test_every_parameter_has_a_meaning_a_source_and_a_unit_if_a_number():
    for name, _, f in walk(Parameters()):
        m = f.metadata
        assert m["doc"] and m["source"], name
        if LEAVES[name][0] in (int, float):
            assert m["unit"], name


def test_generated_docs_are_current():
    assert docs_build.stale() == [], "run: python run.py docs"
