"""Independent random streams: one per (phase, week), all from one root seed.

A phase's draws in week *w* depend only on (root seed, phase name, w), so adding draws
to one phase, or a policy that changes how many draws a phase makes in an earlier week,
leaves every other phase's randomness, and later weeks, untouched (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """Factory of seeded numpy Generators keyed by phase name and week."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self.root = np.random.SeedSequence(self.seed)

    def get(self, phase: str, week: int = -1) -> np.random.Generator:
        key = (zlib.crc32(phase.encode()), week + 1)
        seq = np.random.SeedSequence(self.root.entropy, spawn_key=key)
        return np.random.Generator(np.random.PCG64(seq))
