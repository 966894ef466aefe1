"""The worked example of docs/extending.md: a researcher's own contact rule, named in a scenario file."""

from __future__ import annotations

import pytest

from experiments import simulate
from model.parameters import ParameterError


def test_a_channel_rule_named_in_a_scenario_replaces_the_models_own():
    end = "2017-12-31"
    own = simulate.run("tr_steady_remote", simulate.build_parameters("tr_steady_remote", seed=3, end=end)).timeseries
    tr = simulate.run("tr", simulate.build_parameters("tr", seed=3, end=end)).timeseries
    after = own["date"] >= "2015-03-01"
    trust_share = simulate.build_parameters("tr").supervision.remote_share_trust
    assert (own.loc[after, "remote_share_crc"] == trust_share).all()
    assert (tr.loc[after, "remote_share_crc"] > trust_share).all()  # the model's own rule moves it
    assert own.loc[after, "parked"].mean() > 0  # the rest of the contact mechanism still acts


@pytest.mark.parametrize("spec,fragment", [
    ("examples.steady_remote_contact", "expected module:Class"),
    ("examples.nowhere:Rule", "cannot load"),
    ("model.channels.market:Market", "not a subclass of model.channels.contact:Contact"),
])
def test_a_rule_that_cannot_be_used_is_refused_before_the_run(spec, fragment):
    with pytest.raises(ParameterError, match="tr.rules.contact") as exc:
        simulate.build_parameters("tr", {"tr.rules.contact": spec})
    assert fragment in str(exc.value)
