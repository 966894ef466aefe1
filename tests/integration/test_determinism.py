"""Same scenario + parameters + seed -> byte-identical outputs; another seed differs."""

from __future__ import annotations

from experiments import simulate


def outputs(seed: int) -> tuple[str, str]:
    params = simulate.build_parameters("tr", seed=seed, end="2015-12-31")
    result = simulate.run("tr", params)
    return simulate.summary_json(result), simulate.timeseries_csv(result)


def test_same_seed_byte_identical_other_seed_differs():
    a, b = outputs(7), outputs(7)
    assert a == b
    assert outputs(8)[1] != a[1]
