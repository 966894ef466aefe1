"""Compiled helpers equal the numpy expressions they replace (ties included)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.jit import rows_due, smallest_k_by_group


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 400), groups=st.integers(1, 6), tie_levels=st.integers(1, 50))
def test_smallest_k_by_group_is_a_stable_sort_cut_at_k(seed, n, groups, tie_levels):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, tie_levels, n).astype(np.float64)  # many ties
    group = rng.integers(0, groups, n)
    ks = rng.integers(-1, n // groups + 3, groups)
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(groups + 1))
    expected = [g_rows[np.argsort(keys[g_rows], kind="stable")][: max(k, 0)]
                for g_rows, k in ((order[bounds[g]:bounds[g + 1]], ks[g]) for g in range(groups))]
    got = smallest_k_by_group(keys, order, bounds, ks)
    assert np.array_equal(got, np.concatenate(expected) if expected else got[:0])


def test_rows_due_matches_numpy():
    week = np.array([-1, 0, 5, 6, 3, -7, 5], dtype=np.int32)
    assert np.array_equal(rows_due(week, 5), np.flatnonzero((week >= 0) & (week <= 5)))


def test_numpy_squares_float32_by_multiplying():
    """The hazard kernel squares OGRS/50 itself; numpy's ``x ** 2.0`` must be exactly ``x * x``
    (checked once over every float32 in [0, 2]; here over a sample and the ends)."""
    x = np.random.default_rng(0).random(2_000_000, dtype=np.float32) * np.float32(2.0)
    x = np.concatenate([x, np.float32([0.0, 0.02, 1.98, 2.0, np.nextafter(np.float32(2), np.float32(0))])])
    assert np.array_equal(x ** 2.0, x * x)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 500), groups=st.integers(1, 25))
def test_group_by_small_int_is_a_stable_argsort(seed, n, groups):
    from model.jit import group_by_small_int

    values = np.random.default_rng(seed).integers(0, groups, n).astype(np.int16)
    order, bounds = group_by_small_int(values, groups)
    expected = np.argsort(values, kind="stable")
    assert np.array_equal(order, expected)
    assert np.array_equal(bounds, np.searchsorted(values[expected], np.arange(groups + 1)))


def test_add_counts_equals_numpy_add_at_on_a_view():
    from model.jit import add_counts

    rng = np.random.default_rng(3)
    a = np.zeros((7, 3, 2, 3), dtype=np.int64)
    b = a.copy()
    idx = (rng.integers(0, 7, 500), rng.integers(0, 3, 500), rng.integers(0, 2, 500))
    vals = rng.integers(0, 9, 500)
    np.add.at(b[..., 1], idx, vals)
    np.add.at(b[..., 0], idx, 1)
    add_counts(a[..., 1], idx, vals)
    add_counts(a[..., 0], idx)
    assert np.array_equal(a, b)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 3000), areas=st.integers(1, 8), most=st.integers(0, 400),
       shape=st.sampled_from(["uniform", "coarse", "clustered"]))
def test_first_in_line_is_a_stable_sort_of_area_plus_u_cut_at_places(seed, n, areas, most, shape):
    from model.needs import first_in_line

    rng = np.random.default_rng(seed)
    u = rng.random(n)
    if shape == "coarse":  # many ties, and keys that round up into the next area
        u = np.minimum(np.round(u * 20) / 20, 1 - 2.0**-60)
    elif shape == "clustered":  # not uniform: the front of a queue can hold fewer than its places
        u = np.where(rng.random(n) < 0.9, 0.9 + 0.05 * u, u)
    cpa = rng.integers(0, areas, n).astype(np.int16)
    places = rng.integers(0, most + 1, areas)
    waiting = np.sort(rng.choice(10 * n + 1, size=n, replace=False))
    keys = cpa + u
    order = np.argsort(keys, kind="stable")
    start = np.searchsorted(cpa[order], np.arange(areas))
    expected = waiting[order][np.arange(n) - start[cpa[order]] < places[cpa[order]]]
    assert np.array_equal(first_in_line(waiting, cpa, u, places), expected)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 5000), density=st.sampled_from([0.0, 0.001, 0.02, 0.5, 1.0]))
def test_rows_where_is_flatnonzero(seed, n, density):
    from model.jit import rows_where

    mask = np.random.default_rng(seed).random(n) < density
    got = rows_where(mask)
    assert got.dtype == np.int64 and np.array_equal(got, np.flatnonzero(mask))
