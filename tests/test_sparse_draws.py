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


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.001, 3.0), zeros=st.floats(0.0, 1.0), n=st.integers(0, 3000))
def test_compiled_poisson_equals_numpy_and_leaves_the_same_state(seed, scale, zeros, n):
    from model.sparse_draws import poisson

    g = np.random.default_rng(seed)
    lam = np.where(g.random(n) < zeros, 0.0, np.minimum(g.gamma(0.7, scale, n), 9.99)).astype(np.float32)
    a, b = fresh(seed, 3), fresh(seed, 3)
    rows, counts = poisson(b, lam)
    expected = a.poisson(lam)
    assert np.array_equal(rows, np.flatnonzero(expected)) and np.array_equal(counts, expected[rows])
    assert a.bit_generator.state == b.bit_generator.state


def test_poisson_falls_back_to_numpy_for_large_means():
    from model.sparse_draws import poisson

    lam = np.array([0.5, 12.0, 0.0])
    a, b = fresh(4, 0), fresh(4, 0)
    rows, counts = poisson(b, lam)
    expected = a.poisson(lam)
    assert np.array_equal(rows, np.flatnonzero(expected)) and np.array_equal(counts, expected[rows])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 20_000), data=st.data())
def test_exponential_at_equals_numpy_at_the_rows_read(seed, n, data):
    from model.sparse_draws import exponential_at

    rows = np.array(data.draw(st.lists(st.integers(0, n - 1), max_size=30)), dtype=np.int64)
    a, b = fresh(seed, 2), fresh(seed, 2)
    assert np.array_equal(exponential_at(b, 6.0, rows), a.exponential(6.0, n)[rows])


def test_poisson_with_almost_everyone_offending_grows_its_buffer():
    from model.sparse_draws import poisson

    lam = np.full(5000, 6.0, dtype=np.float32)
    a, b = fresh(8, 0), fresh(8, 0)
    rows, counts = poisson(b, lam)
    expected = a.poisson(lam)
    assert rows.size > 5000 // 8 + 16 and np.array_equal(counts, expected[rows])
