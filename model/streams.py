"""Independent random streams: one per (phase, week), all from one root seed.

Draws over a handful of rows (newcomers, offenders, court outcomes) come from a numpy Generator
per (phase, week); draws for every row of the population come from counter-based keys
(``model.keyed_draws``), so that a person's number depends on their row alone.

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

    def key(self, phase: str, week: int = -1, part: int = 0) -> np.uint64:
        """The 64-bit key of a counter-based draw (``model.keyed_draws``) for (phase, week, part);
        independent of every Generator above (a spawn key of a different length)."""
        seq = np.random.SeedSequence(self.root.entropy, spawn_key=(zlib.crc32(phase.encode()), week + 1, part, 1))
        return seq.generate_state(1, np.uint64)[0]
