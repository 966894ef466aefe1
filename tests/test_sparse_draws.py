"""Lazy uniforms give exactly numpy's draws at the rows read, and leave the generator as numpy would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.sparse_draws import LazyUniforms, uniform_at


def fresh(seed: int, warm: int) -> np.random.Generator:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(7, 3))))
    rng.random(warm)
    return rng


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), warm=st.integers(0, 50), n=st.integers(1, 5000), count=st.integers(1, 4),
       data=st.data())
def test_lazy_uniforms_equal_full_arrays_and_leave_the_same_state(seed, warm, n, count, data):
    a, b = fresh(seed, warm), fresh(seed, warm)
    full = [a.random(n) for _ in range(count)]
    lazy = LazyUniforms(b, n, count)
    for k in range(count):
        rows = np.array(data.draw(st.lists(st.integers(0, n - 1), max_size=40)), dtype=np.int64)
        assert np.array_equal(lazy.at(k, rows), full[k][rows])
    assert a.bit_generator.state == b.bit_generator.state
    assert np.array_equal(a.exponential(2.0, 5), b.exponential(2.0, 5))


def test_uniform_at_large_stream_and_bad_rows():
    a, b = fresh(1, 0), fresh(1, 0)
    rows = np.array([433_999, 0, 17, 17, 250_000])
    assert np.array_equal(uniform_at(b, 434_000, rows), a.random(434_000)[rows])
    try:
        uniform_at(b, 10, np.array([10]))
    except IndexError:
        pass
    else:
        raise AssertionError("a row past n must be refused")
