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

    def __init__(self, seed: int, epoch: str = "") -> None:
        """``epoch`` names a stretch of simulated time with its own numbers (the steady start's
        "profile" and "settle" weeks), so that its week numbers never reuse the reported weeks' draws."""
        self.seed = int(seed)
        self.root = np.random.SeedSequence(self.seed)
        self._entropy = entropy_words(self.root.entropy)
        self.prefix = (zlib.crc32(epoch.encode()),) if epoch else ()
        root64 = int(self.root.generate_state(1, np.uint64)[0])
        self.root64 = _mix(root64 ^ zlib.crc32(epoch.encode())) if epoch else root64
        self._phase: dict[str, int] = {}

    def get(self, phase: str, week: int = -1) -> np.random.Generator:
        key = (*self.prefix, zlib.crc32(phase.encode()), week + 1)
        seq = np.random.SeedSequence(self._entropy, spawn_key=key)
        return np.random.Generator(np.random.PCG64(seq))

    def key(self, phase: str, week: int = -1, part: int = 0) -> np.uint64:
        """The 64-bit key of a counter-based draw (``model.keyed_draws``) for (phase, week, part): the root's
        64 bits, then the phase, the week and the part, each folded in through SplitMix64's finaliser."""
        h = self._phase.get(phase)
        if h is None:
            h = self._phase[phase] = _mix(self.root64 ^ (zlib.crc32(phase.encode()) << 16))
        return np.uint64(_mix((_mix((h + (week + 2) * GAMMA) & M64) + (part + 1) * GAMMA) & M64))


def entropy_words(entropy: int) -> np.ndarray:
    """The root's entropy as the little-endian 32-bit words numpy's SeedSequence makes of it (so the same
    generators come out), made once rather than at every ``get``."""
    words = []
    while True:
        words.append(entropy & 0xFFFFFFFF)
        entropy >>= 32
        if entropy == 0:
            return np.array(words, dtype=np.uint32)


M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def _mix(z: int) -> int:
    """SplitMix64's finaliser (Stafford's mix 13) on a Python int."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)
