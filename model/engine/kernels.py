"""Compiled row kernels (numba), cached on disk.

Kernels compute in float64 and store into the population's float32 columns; no fast-math, so the
same inputs give the same bytes on the same versions of numba, numpy and the machine's libm.
"""

from __future__ import annotations

import numba
import numpy as np

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
# Row scans compute a boolean mask in a loop with no stores by index (the compiler vectorises it) and
# let np.flatnonzero compact it: several times faster than collecting rows inside the loop.


def rows_where(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` for a boolean mask over the population: numpy's own when few rows are set,
    else a branch-free compiled compaction (about twice as fast from a few percent set up)."""
    n = int(np.count_nonzero(mask))
    if n * 64 < mask.size:
        return np.flatnonzero(mask)
    return _compact(mask, n)


@kernel
def _compact(mask, n):
    out = np.empty(n + 1, dtype=np.int64)  # every row is written at out[m]; set rows advance m
    m = 0
    for i in range(mask.shape[0]):
        out[m] = i
        m += mask[i]
    return out[:n]


def rows_due(week: np.ndarray, w: int) -> np.ndarray:
    """Rows whose scheduled week has come: 0 <= week[row] <= w."""
    return rows_where(_due_mask(week, w))


@kernel
def _due_mask(week, w):
    out = np.empty(week.shape[0], dtype=np.bool_)
    for i in range(week.shape[0]):
        out[i] = (week[i] >= 0) & (week[i] <= w)
    return out


@kernel
def count_by(index, rows, n):
    """``np.bincount(index[rows], minlength=n)`` without the gathered copy."""
    out = np.zeros(n, dtype=np.int64)
    for j in range(rows.shape[0]):
        out[index[rows[j]]] += 1
    return out


@kernel
def smallest_k_by_group(keys, order, bounds, ks):
    """For each group g (positions ``order[bounds[g]:bounds[g + 1]]``), the ``ks[g]`` positions with the
    smallest keys, in the order a stable sort of the group's keys gives (ties: earlier in the group first);
    groups concatenated. The rest of each group is not sorted."""
    out = np.empty(order.shape[0], dtype=np.int64)
    m = 0
    for g in range(bounds.shape[0] - 1):
        group = order[bounds[g]:bounds[g + 1]]
        k = ks[g]
        if k <= 0 or group.shape[0] == 0:
            continue
        kg = keys[group]
        if k < group.shape[0]:
            threshold = np.partition(kg, k - 1)[k - 1]
            less = 0
            for x in kg:
                less += x < threshold
            ties = k - less
            take = np.empty(k, dtype=np.int64)
            t = 0
            for j in range(group.shape[0]):
                keep = kg[j] < threshold
                if kg[j] == threshold and ties > 0:
                    keep = True
                    ties -= 1
                if keep:
                    take[t] = j
                    t += 1
            chosen = take[np.argsort(kg[take], kind="mergesort")]
        else:
            chosen = np.argsort(kg, kind="mergesort")
        for j in chosen:
            out[m] = group[j]
            m += 1
    return out[:m]


@kernel
def group_by_small_int(values, n_groups):
    """Stable order of positions by a small non-negative integer key (a counting sort), and the
    bounds of each key's run: the same as ``argsort(values, kind="stable")`` and ``searchsorted``."""
    bounds = np.zeros(n_groups + 1, dtype=np.int64)
    for x in values:
        bounds[x + 1] += 1
    for g in range(n_groups):
        bounds[g + 1] += bounds[g]
    fill = bounds[:-1].copy()
    order = np.empty(values.shape[0], dtype=np.int64)
    for j in range(values.shape[0]):
        order[fill[values[j]]] = j
        fill[values[j]] += 1
    return order, bounds


def add_counts(table: np.ndarray, index: tuple, values: np.ndarray | int = 1) -> None:
    """``np.add.at(table, index, values)`` for an integer table (a view is fine), by one bincount."""
    flat = np.ravel_multi_index(index, table.shape)
    if np.ndim(values) == 0:
        counts = np.bincount(flat, minlength=table.size) * int(values)
    else:  # float64 weights add integers exactly below 2**53
        counts = np.bincount(flat, weights=np.asarray(values, dtype=np.float64), minlength=table.size).astype(np.int64)
    table += counts.reshape(table.shape).astype(table.dtype)
