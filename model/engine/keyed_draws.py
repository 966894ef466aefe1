"""Counter-based random numbers: a person's draw is a function of (run seed, stream, week, row) alone.

Each (phase, week, purpose) has a 64-bit key from the run's ``SeedSequence`` (``Streams.key``); the
uniform for row ``i`` is SplitMix64's ``i``-th output from that key (Steele, Lea and Flood 2014:
a Weyl sequence through a 64-bit finaliser; passes BigCrush). Nothing is drawn in sequence, so:

- a row's number does not depend on which other rows draw (common random numbers across
  scenarios hold row by row, not only phase by phase);
- a compiled pass computes its numbers inline, vectorised, for just the rows it reads.

All arithmetic is integer or IEEE float64 without fast-math: the same on every machine.
"""

from __future__ import annotations

import numpy as np

from model.engine.kernels import kernel, rows_where

U = np.uint64
GAMMA = U(0x9E3779B97F4A7C15)  # SplitMix64's increment: the golden ratio in 64 bits
M1, M2 = U(0xBF58476D1CE4E5B9), U(0x94D049BB133111EB)  # its finaliser's multipliers (Stafford's mix 13)
TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
SURE_NONE = 2.0**-50  # margin that covers rounding in 1 - lam and libm's exp (each under 2**-52 here)


@kernel
def bits(key, i):
    """64 random bits for counter ``i`` under ``key``."""
    z = key + (U(i) + U(1)) * GAMMA
    z = (z ^ (z >> U(30))) * M1
    z = (z ^ (z >> U(27))) * M2
    return z ^ (z >> U(31))


@kernel
def uniform(key, i):
    """A double in [0, 1) for counter ``i`` under ``key`` (53 random bits)."""
    return np.float64(bits(key, i) >> U(11)) * TO_UNIT


@kernel
def random_bits_at(key, rows):
    """``bits(key, row)`` for each row."""
    out = np.empty(rows.shape[0], dtype=np.uint64)
    for j in range(rows.shape[0]):
        out[j] = bits(key, rows[j])
    return out


def uniforms_at(key: np.uint64, rows: np.ndarray) -> np.ndarray:
    """``uniform(key, row)`` for each row."""
    return (random_bits_at(key, np.asarray(rows, dtype=np.int64)) >> U(11)).astype(np.float64) * TO_UNIT


def exponential_at(key: np.uint64, scale: float, rows: np.ndarray) -> np.ndarray:
    """Exponential draws with mean ``scale`` by inversion, one per row."""
    return -scale * np.log1p(-uniforms_at(key, rows))


@kernel
def _maybe_events(key, lam):
    """Mask of rows whose Poisson count may be non-zero: u >= exp(-lam) is impossible below 1 - lam
    (exp(-x) >= 1 - x), with a margin for rounding; vectorised, no exp."""
    out = np.empty(lam.shape[0], dtype=np.bool_)
    for i in range(lam.shape[0]):
        x = np.float64(lam[i])
        out[i] = (x > 0.0) & (uniform(key, i) >= (1.0 - x) - SURE_NONE)
    return out


@kernel
def _poisson_counts(key, lam, rows):
    """Poisson counts by inversion of the CDF at each candidate row's uniform."""
    counts = np.empty(rows.shape[0], dtype=np.int64)
    for j in range(rows.shape[0]):
        i = rows[j]
        x = np.float64(lam[i])
        u = uniform(key, i)
        p = np.exp(-x)
        cdf = p
        k = 0
        while u >= cdf and p > 0.0:
            k += 1
            p *= x / k
            cdf += p
        counts[j] = k
    return counts


def poisson_by_row(key: np.uint64, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson(lam[i]) for every row i, by inversion at row i's uniform: (rows with a non-zero count,
    their counts). Only rows whose uniform is at least 1 - lam compute exp (about lam of them)."""
    lam = np.asarray(lam)
    if lam.size and not (lam.min() >= 0.0 and np.isfinite(lam.max())):
        raise ValueError("Poisson means must be finite and non-negative")
    maybe = rows_where(_maybe_events(key, lam))
    counts = _poisson_counts(key, lam, maybe)
    some = counts > 0
    return maybe[some], counts[some]
