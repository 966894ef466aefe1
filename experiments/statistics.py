"""Replication statistics: means with t intervals, paired differences, two-level factorial effects."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) with a Student t interval over the finite values; NaN bounds if n < 2."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def paired_diff(treated: dict[int, float], baseline: dict[int, float]) -> tuple[float, float, float, int]:
    """Mean and interval of treated - baseline over the replications both have (same seeds)."""
    common = sorted(set(treated) & set(baseline))
    return mean_ci([treated[k] - baseline[k] for k in common])


def effect_names(factors: list[str]) -> list[tuple[str, ...]]:
    """Main effects first, then two-way, three-way ... interactions."""
    return [combo for r in range(1, len(factors) + 1) for combo in itertools.combinations(factors, r)]


def factorial_effects(y: dict[tuple[int, ...], float], factors: list[str]) -> dict[tuple[str, ...], float]:
    """Effects of a full two-level factorial from one replication's outcomes keyed by level (0 low, 1 high).

    effect(S) = mean(y where the product of +/-1 codes over S is +1) - mean(where it is -1); a main effect
    is mean(y | factor high) - mean(y | factor low).
    """
    m = len(factors)
    out = {}
    for combo in effect_names(factors):
        idx = [factors.index(f) for f in combo]
        total = sum(math.prod(2 * levels[i] - 1 for i in idx) * value for levels, value in y.items())
        out[combo] = total / 2 ** (m - 1)
    return out
