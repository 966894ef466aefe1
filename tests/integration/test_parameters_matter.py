"""Every parameter changes some output: moved within its bounds, it changes the summary, a weekly series or the
network view of a short run - or it is listed in ``model.parameters.STRUCTURAL`` with the reason it changes none.

Each parameter is tried on a small-scale run with a short steady start in which every reform event happens within
weeks (the reform's dates compressed, as tests/reliability/test_reliability_bounds.py does); a parameter that acts only
later (PbR payments, contract years, quarterly reviews) is tried again on a run of two and a half years with
reunification at its end; a parameter that acts only in a setting other than the default's is tried in that setting
(``CONTEXT``, each with its reason). A parameter that changes nothing fails the test: wire it, remove it, or list
it as structural with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import numpy as np
import pytest

from experiments import simulate
from model.parameters import LEAVES, STRUCTURAL, ParameterError, Parameters, walk
from model.probation_model import ProbationModel
from model.recording.metrics import summary
from tests.reliability.test_reliability_bounds import COMPRESSED

SCENARIO = "tr_reunified"
SHORT_START = {"run.burn_in_years": 0.25, "run.settle_weeks": 4}
RUN = {"scale": "small", "seed": 5, "start": "2011-01-01"}
TIERS = (({**COMPRESSED}, "2011-04-08"),  # every event by week 9; two quarterly reviews
         ({**COMPRESSED, "policy.reunification_date": "2013-01-05"}, "2013-06-29"))  # PbR paid, contract years
CONTEXT: dict[str, tuple[dict, str]] = {
    "run.settle_weeks": ({"run.scale": "regional"}, "a run settles only where the profile world's people are copied "
                         "into it, above the small scale"),
    "iom.ogrs_profile_threshold": ({"iom.capacity_per_1000": 500.0}, "places go highest OGRS first, so the profile "
                                   "rule admits anyone only when places outnumber the people at OGRS 75 or more"),
    "relationships.mutual_profit_perception": ({"policy.crc_owner": "mutual"}, "the small scale's CRC was sold to a "
                                               "private owner"),
    "finance.pbr_binary_weight": ({"finance.pbr_target_reduction": 0.5}, "against the published baseline both "
                                  "measures reach their cap of 2, where the weight between them cannot matter"),
    "finance.gain_quarters_to_hire": ({"policy.early_termination": False}, "once early termination is announced (in "
                                      "the compressed reform, weeks after the sale) no CRC restores posts"),
    "policy.termination_announced_date": ({"policy.termination_announced_date": "2012-07-28"}, "CRCs restore posts "
                                          "only in surplus, which comes with the first PbR payments some 18 months "
                                          "after the sale: the announcement's date matters only around then"),
    "supervision.remote_share_max": ({"supervision.remote_share_crc": 0.75}, "the cap binds only once loss "
                                     "responses take a CRC's remote share near it, which from the default share "
                                     "takes longer than the test's runs"),
    "relationships.ceiling_pull": ({"run.burn_in_years": 2.0}, "it acts only on relationships above a sold CRC's "
                                   "ceiling, which a short steady start does not build"),
}


def build(overrides: dict, tier: int) -> Parameters:
    compressed, end = TIERS[tier]
    run = {**RUN, "end": end}
    given = dict(overrides)
    for key in [k for k in given if k.startswith("run.") and k.split(".", 1)[1] in run]:
        run[key.split(".", 1)[1]] = given.pop(key)
    return simulate.build_parameters(SCENARIO, {**SHORT_START, **compressed, **given}, **run)


def outputs(params: Parameters) -> str:
    """A digest of everything a run shows: the summary, every weekly series and the network view."""
    model = ProbationModel(params)
    model.run()
    h = hashlib.sha256(json.dumps(summary(model), sort_keys=True, default=str).encode())
    for name, values in model.recorder.series.items():
        h.update(name.encode() + np.ascontiguousarray(values).tobytes())
    g = model.network()
    h.update(json.dumps(sorted((str(a), str(b), sorted(d.items())) for a, b, d in g.edges(data=True)), default=str)
             .encode())
    h.update(str(g.number_of_nodes()).encode())
    return h.hexdigest()


def moves(name: str, value, f) -> list:
    """Values within the bounds to try: halfway to the upper and to the lower bound (at least one step for an
    integer), the other choices, the other truth value, a date a week, a quarter and a year either side."""
    meta, kind = f.metadata, LEAVES[name][0]
    if meta["choices"]:
        return [c for c in meta["choices"] if c != value]
    if kind is bool:
        return [not value]
    if meta["unit"] == "date":
        day = dt.date.fromisoformat(value) if value else dt.date(2011, 3, 1)
        return [(day + dt.timedelta(days=d)).isoformat() for d in (7, -7, 91, -91, 365, -365)]
    out = []
    for bound in (meta["hi"], meta["lo"]):
        if bound is None or bound == value:
            continue
        step = (bound - value) / 2
        if kind is int:
            step = int(np.sign(step) * max(1, abs(round(step))))
        out.append(value + step)
    return out


_BASES: dict[tuple[str, int], str] = {}


def base(context: dict, tier: int) -> str:
    key = (json.dumps(context, sort_keys=True), tier)
    if key not in _BASES:
        _BASES[key] = outputs(build(context, tier))
    return _BASES[key]


NAMES = [name for name, _, _ in walk(Parameters()) if name not in STRUCTURAL]


@pytest.mark.parametrize("name", NAMES)
def test_parameter_changes_some_output(name):
    context, _ = CONTEXT.get(name, ({}, ""))
    tried = []
    for tier in range(len(TIERS)):
        try:
            before = base(context, tier)
        except ParameterError:
            continue  # the setting needs the longer run
        value, f = next((v, f) for n, v, f in walk(build(context, tier)) if n == name)
        for v in moves(name, value, f):
            try:
                params = build({**context, name: v}, tier)
            except ParameterError:
                continue  # refused by a rule across parameters: try the next value
            if outputs(params) != before:
                return
            tried.append(v)
    pytest.fail(f"{name} changes no output at {tried} (default {value!r}): wire it, remove it, or list it in "
                "model.parameters.STRUCTURAL with the reason")


def test_structural_and_context_lists_name_real_parameters_with_reasons():
    for table in (STRUCTURAL, CONTEXT):
        for name, entry in table.items():
            assert name in LEAVES, name
            reason = entry if isinstance(entry, str) else entry[1]
            assert len(reason.split()) >= 5, name
    assert not set(STRUCTURAL) & set(CONTEXT)
