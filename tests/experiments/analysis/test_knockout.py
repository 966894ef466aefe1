"""The knock-out design and its attribution: points, and effects + interactions = total in every replication."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import comparisons as analysis
from experiments.sweeps import experiment_file

TOML = """
description = "knock-out"
scenarios = ["tr"]
replications = 3
scale = "small"
end = "2016-12-31"
[design]
kind = "knockout"
[design.factors]
"tr.mechanisms.relationships" = [false, true]
"tr.mechanisms.contact" = [false, true]
"tr.channels.market" = [false, true]
[report]
key_metrics = ["recalls_per_year"]
"""


@pytest.fixture()
def exp(tmp_path):
    path = tmp_path / "ko.toml"
    path.write_text(TOML)
    return experiment_file.load(path)


def test_knockout_points_are_all_on_all_off_and_each_off_alone(exp):
    on = {"tr.mechanisms.relationships": True, "tr.mechanisms.contact": True, "tr.channels.market": True}
    assert exp.points[0] == on and exp.points[1] == {k: False for k in on}
    assert exp.points[2:] == [{**on, k: False} for k in on]
    assert exp.design.count() == len(exp.points) == 5


def test_effects_and_interactions_add_up_to_the_total_in_every_replication(exp):
    rng = np.random.default_rng(1)
    # made-up outcomes: all off 10, each channel adds a, b, c, and b and c overlap by d
    a, b, c, d = 3.0, 2.0, 5.0, -1.5
    rows = []
    for rep in range(3):
        noise = rng.normal(0, 0.1, 5)
        values = [10 + a + b + c + d, 10.0, 10 + b + c + d, 10 + a + c, 10 + a + b]
        rows += [{"scenario": "tr", "point": i, "replication": rep, "recalls_per_year": v + e}
                 for i, (v, e) in enumerate(zip(values, noise))]
    ok = pd.DataFrame(rows)
    effects = analysis.knockout(exp, ok).set_index("effect")
    total = effects.loc["total", "mean"]
    per_rep_sum = effects.loc[["relationships", "contact", "market", "interactions"], "mean"].sum()
    assert per_rep_sum == pytest.approx(total, abs=1e-12)
    noise_free = analysis.knockout(exp, ok.assign(recalls_per_year=[
        v for rep in range(3) for v in [10 + a + b + c + d, 10.0, 10 + b + c + d, 10 + a + c, 10 + a + b]])).set_index("effect")
    assert noise_free.loc["total", "mean"] == pytest.approx(a + b + c + d)
    assert noise_free.loc["relationships", "mean"] == pytest.approx(a)
    assert noise_free.loc["contact", "mean"] == pytest.approx(b + d)  # knocking contact out loses its overlap too
    assert noise_free.loc["market", "mean"] == pytest.approx(c + d)
    assert noise_free.loc["interactions", "mean"] == pytest.approx(-d)  # the overlap counted twice, given back
    assert noise_free.loc["relationships", "share"] == pytest.approx(a / (a + b + c + d))


def test_a_knockout_factor_takes_two_values(tmp_path):
    from model.parameters import ParameterError

    path = tmp_path / "bad.toml"
    path.write_text(TOML.replace('"tr.channels.market" = [false, true]', '"finance.pbr_share" = [0.0, 0.1, 0.2]'))
    with pytest.raises(ParameterError, match="knock-out design takes two values"):
        experiment_file.load(path)
