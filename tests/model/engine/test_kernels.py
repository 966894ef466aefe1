"""Compiled helpers equal the numpy expressions they replace (ties included)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 3000), areas=st.integers(1, 8), most=st.integers(0, 400),
       shape=st.sampled_from(["uniform", "coarse", "clustered"]))
def test_first_in_line_serves_each_area_in_queue_order_up_to_its_places(seed, n, areas, most, shape):
    from model.week.needs import first_in_line

    rng = np.random.default_rng(seed)
    u = rng.random(n)
    if shape == "coarse":  # many ties: the earlier row goes first
        u = np.round(u * 20) / 20
    elif shape == "clustered":
        u = np.where(rng.random(n) < 0.9, 0.9 + 0.05 * u, u)
    cpa = rng.integers(0, areas, n).astype(np.int16)
    places = rng.integers(0, most + 1, areas)
    waiting = np.sort(rng.choice(10 * n + 1, size=n, replace=False))
    order = np.lexsort((u, cpa))  # by area, then queue draw; stable, so ties keep row order
    start = np.searchsorted(cpa[order], np.arange(areas))
    expected = waiting[order][np.arange(n) - start[cpa[order]] < places[cpa[order]]]
    assert np.array_equal(first_in_line(waiting, cpa, u, places), expected)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 5000), density=st.sampled_from([0.0, 0.001, 0.02, 0.5, 1.0]))
def test_rows_where_is_flatnonzero(seed, n, density):
    from model.engine.kernels import rows_where

    mask = np.random.default_rng(seed).random(n) < density
    got = rows_where(mask)
    assert got.dtype == np.int64 and np.array_equal(got, np.flatnonzero(mask))
