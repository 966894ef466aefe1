"""Counter-based draws: SplitMix64's numbers, uniform and independent, and exact Poisson inversion."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model.engine.keyed_draws import bits, exponential_at, poisson_by_row, random_bits_at, uniforms_at
from model.engine.streams import Streams

MASK = (1 << 64) - 1


def splitmix64(seed: int, i: int) -> int:
    """Reference: the (i + 1)-th output of SplitMix64 started at ``seed`` (Python integers)."""
    z = (seed + (i + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def test_bits_are_splitmix64():
    assert splitmix64(0, 0) == 0xE220A8397B1DCDAF  # SplitMix64's published first output for seed 0
    for key in (0, 1, 0xDEADBEEF, MASK):
        got = random_bits_at(np.uint64(key), np.arange(50, dtype=np.int64))
        assert [int(x) for x in got] == [splitmix64(key, i) for i in range(50)]
    assert int(bits(np.uint64(7), 123)) == splitmix64(7, 123)


def test_uniforms_are_uniform_and_rows_independent():
    u = uniforms_at(Streams(11).key("test"), np.arange(400_000, dtype=np.int64))
    assert u.min() >= 0.0 and u.max() < 1.0
    counts = np.bincount((u * 100).astype(np.int64), minlength=100)
    assert stats.chisquare(counts).pvalue > 1e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01  # neighbouring rows
    v = uniforms_at(Streams(11).key("test", part=1), np.arange(400_000, dtype=np.int64))
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.01  # another part of the same draw


def test_keys_differ_by_seed_phase_week_and_part_and_are_reproducible():
    s = Streams(3)
    keys = {s.key(p, w, k) for p in ("a", "b") for w in (-1, 0, 1) for k in (0, 1)}
    assert len(keys) == 12
    assert Streams(3).key("a", 5, 1) == s.key("a", 5, 1) != Streams(4).key("a", 5, 1)
    assert isinstance(s.key("a"), np.uint64)


def reference_poisson(key: np.uint64, lam: np.ndarray) -> np.ndarray:
    """Inversion at every row with exp computed for all, no shortcut."""
    u = uniforms_at(key, np.arange(lam.size, dtype=np.int64))
    out = np.zeros(lam.size, dtype=np.int64)
    for i, x in enumerate(lam.astype(np.float64)):
        if x == 0.0:
            continue
        p = math.exp(-x)
        cdf, k = p, 0
        while u[i] >= cdf and p > 0.0:
            k += 1
            p *= x / k
            cdf += p
        out[i] = k
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1),
       lam=st.lists(st.one_of(st.just(0.0), st.floats(0.0, 1e-6), st.floats(0.0, 0.5), st.floats(0.0, 40.0)),
                    min_size=1, max_size=300))
def test_poisson_shortcut_equals_full_inversion(seed, lam):
    lam = np.array(lam, dtype=np.float32)
    key = Streams(seed).key("offending", 3)
    rows, counts = poisson_by_row(key, lam)
    full = reference_poisson(key, lam)
    assert np.array_equal(rows, np.flatnonzero(full))
    assert np.array_equal(counts, full[rows])


def test_poisson_counts_have_the_right_law_and_ignore_other_rows():
    key = Streams(5).key("offending", 0)
    lam = np.full(300_000, 0.05, dtype=np.float32)
    rows, counts = poisson_by_row(key, lam)
    total = np.zeros(lam.size, dtype=np.int64)
    total[rows] = counts
    assert abs(total.mean() - 0.05) < 4 * math.sqrt(0.05 / lam.size)
    assert abs(total.var() - 0.05) < 0.003
    observed = np.bincount(total, minlength=3)[:3]
    expected = lam.size * stats.poisson.pmf([0, 1, 2], 0.05)
    assert np.all(np.abs(observed - expected) < 5 * np.sqrt(expected) + 1)
    # a row's count does not depend on any other row's mean (common random numbers row by row)
    other = lam.copy()
    other[1::2] = 0.0
    rows2, counts2 = poisson_by_row(key, other)
    even = rows[rows % 2 == 0]
    assert np.array_equal(rows2, even) and np.array_equal(counts2, counts[rows % 2 == 0])


def test_poisson_rejects_negative_or_nan_means():
    key = np.uint64(1)
    for bad in ([-0.1], [np.nan]):
        try:
            poisson_by_row(key, np.array(bad, dtype=np.float32))
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_exponential_mean():
    x = exponential_at(Streams(2).key("enforcement", 9, 4), 6.0, np.arange(200_000))
    assert x.min() >= 0.0
    assert abs(x.mean() - 6.0) < 4 * 6.0 / math.sqrt(x.size)


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32, 2**63 - 1])
def test_stream_generators_are_numpys_seed_sequence_children(seed):
    """Streams.get seeds from the root's entropy words made once: the very generator SeedSequence(seed's
    entropy, spawn_key) gives."""
    import zlib

    s = Streams(seed, epoch="profile")
    for phase, week in (("sentencing", 3), ("needs", -1), ("offending", 10**6)):
        key = (*s.prefix, zlib.crc32(phase.encode()), week + 1)
        reference = np.random.Generator(np.random.PCG64(np.random.SeedSequence(s.root.entropy, spawn_key=key)))
        assert s.get(phase, week).bit_generator.state == reference.bit_generator.state
