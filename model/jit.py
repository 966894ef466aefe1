"""Compiled row kernels (numba), cached on disk.

Kernels reproduce numpy's arithmetic bit for bit: no fast-math, float32 where numpy keeps float32
(a Python float meeting a float32 array stays float32), and no transcendental functions inside a
kernel (numpy's SIMD exp/pow may differ from libm in the last bit): those are computed by numpy,
often as small lookup tables over the integer weeks they depend on.
"""

from __future__ import annotations

import numba
import numpy as np

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
# Row scans are written branch-free where they can be (``out[m] = i; m += keep``): about twice as fast
# as ``if keep:`` on rows whose states are mixed at random.


@kernel
def rows_due(week: np.ndarray, w: int) -> np.ndarray:
    """Rows whose scheduled week has come: 0 <= week[row] <= w."""
    out = np.empty(week.shape[0], dtype=np.int64)
    m = 0
    for i in range(week.shape[0]):  # branch-free compaction: write, then advance if kept
        out[m] = i
        m += (week[i] >= 0) & (week[i] <= w)
    return out[:m]


def smallest_k_stable(keys: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k smallest keys in the order a stable sort gives (ties: earlier position first),
    without sorting the rest."""
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if k < keys.size:
        threshold = np.partition(keys, k - 1)[k - 1]
        take = keys < threshold
        take[np.flatnonzero(keys == threshold)[: k - int(take.sum())]] = True
        pos = np.flatnonzero(take)
        return pos[np.argsort(keys[pos], kind="stable")]
    return np.argsort(keys, kind="stable")
