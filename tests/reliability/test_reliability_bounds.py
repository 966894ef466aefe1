"""Every value inside a parameter's documented bounds runs.

Each parameter alone at its lower and at its upper bound (each choice, both values of a switch), and
random points inside the bounds of several parameters at once (hypothesis), on a small-scale run of
14 weeks through which every reform event passes. The cases come from model.parameters.walk, so a
parameter added later is covered as soon as it has bounds. A value may be refused only by a rule
across parameters (its message names another parameter); otherwise it must run with no exception and
no numerical warning, keep the weekly invariants, and give finite summary numbers.
"""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments import simulate
from model.parameters import LEAVES, ParameterError, Parameters, walk
from model.probation_model import ProbationModel
from model.recording.metrics import summary
from tests.integration.test_invariants import check
from tests.reliability import reliability_log

SCENARIO = "tr_reunified"  # every reform event happens
COMPRESSED = {"metrics.window_start": "2011-01-01", "policy.share_out_date": "2011-01-08",
              "policy.crc_sale_date": "2011-01-22", "policy.ora_date": "2011-01-22",
              "policy.variation_date": "2011-02-05", "policy.termination_announced_date": "2011-02-12",
              "policy.ttg_enhanced_date": "2011-02-19", "policy.reunification_date": "2011-03-05"}
RUN = {"scale": "small", "seed": 5, "start": "2011-01-01", "end": "2011-04-08"}
SHORT_START = {"run.burn_in_years": 1.0, "run.settle_weeks": 4}  # a short steady start (each case may set its own)
OWN = ("run.scale", "run.seed", "run.start", "run.end")  # the run's size and calendar are the test's own
CLASSES = tuple(f"tr.rules.{name}" for name in ("ora", "through_the_gate", "split", "market", "relationships", "contact",
                                                 "interagency"))  # a class: tests/model/channels/test_extending.py


def values_at_bounds(name: str, f) -> list:
    meta, kind = f.metadata, LEAVES[name][0]
    if meta["choices"]:
        return list(meta["choices"])
    if kind is bool:
        return [False, True]
    return [v for v in (meta["lo"], meta["hi"]) if v is not None]


CASES = [(name, value) for name, _, f in walk(Parameters()) if name not in OWN + CLASSES and name not in COMPRESSED
         for value in values_at_bounds(name, f)]


def names_another_parameter(message: str, names: set[str]) -> bool:
    for other in LEAVES:
        if other not in names and (other in message or f" {other.rsplit('.', 1)[1]}" in message):
            return True
    return False


def run_checked(overrides: dict, weekly: bool = False) -> str:
    """'ran', or 'refused by a rule across parameters'; fails the test otherwise."""
    try:
        params = simulate.build_parameters(SCENARIO, {**SHORT_START, **COMPRESSED, **overrides}, **RUN)
    except ParameterError as exc:
        assert names_another_parameter(str(exc), set(overrides)), f"{overrides} refused on its own: {exc}"
        return "refused by a rule across parameters"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a divide-by-zero or invalid-value warning fails the run
        model = ProbationModel(params)
        while model.running:
            model.step()
            if weekly:
                check(model)
        check(model)
        out = summary(model)
    for key, value in out.items():
        if isinstance(value, float):
            assert math.isfinite(value), (key, value, overrides)
    assert all(e.applied for e in model.events)
    return "ran"


def test_every_parameter_but_the_dates_and_the_runs_own_is_taken_to_its_bounds():
    covered = {name for name, _ in CASES}
    for name, _, f in walk(Parameters()):
        if name not in OWN + CLASSES:  # a date has no bounds, but rules across parameters (checked elsewhere)
            assert (name in covered) != (f.metadata["unit"] == "date"), f"{name} has no bounds, choices or switch"
    assert len(covered) > 100


@pytest.mark.parametrize("name,value", CASES, ids=[f"{n}={v}" for n, v in CASES])
def test_each_parameter_runs_at_its_bounds(name, value):
    outcome = run_checked({name: value})
    reliability_log.tried("parameters", "one parameter at a bound", outcome)


def inside_bounds(name: str):
    meta, kind = LEAVES[name][1].metadata, LEAVES[name][0]
    if meta["choices"]:
        return st.sampled_from(meta["choices"])
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(int(meta["lo"]), int(meta["hi"]))
    return st.floats(meta["lo"], meta["hi"], allow_nan=False)


FREE = sorted({name for name, _ in CASES})


@settings(max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_points_inside_the_bounds_run_and_keep_the_invariants(data):
    names = data.draw(st.lists(st.sampled_from(FREE), min_size=1, max_size=8, unique=True))
    overrides = {name: data.draw(inside_bounds(name), label=name) for name in names}
    outcome = run_checked(overrides, weekly=True)
    reliability_log.tried("parameters", "random points inside the bounds (up to 8 at once)", outcome)
