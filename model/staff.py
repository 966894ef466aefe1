"""Probation staff posts as arrays (row = post), mirrored by ProbationOfficer agents."""

from __future__ import annotations

import numpy as np

STAFF_SCHEMA: dict[str, tuple[str, float]] = {
    "employer": ("int16", -1),  # index into model.orgs
    "cpa": ("int16", -1),
    "grade": ("int8", 0),
    "iom": ("bool", False),
    "filled": ("bool", True),  # someone holds the post this week
    "funded": ("bool", True),  # the post exists (cut posts are unfunded)
    "reserved": ("bool", False),  # built unfunded for a later expansion (enhanced Through the Gate)
    "skill": ("float32", 0.7),
    "stress": ("float32", 0.0),
    "sick": ("bool", False),
    "week_hire": ("int32", -1),  # week a vacancy will be filled
    "week_joined": ("int32", 0),
    "caseload": ("int32", 0),
    "demand": ("float32", 0.0),
    "supply": ("float32", 0.0),
    "leavers": ("int32", 0),  # people who left this post, cumulative
}


class Staff:
    """Columns of per-post state."""

    def __init__(self, n: int) -> None:
        self.n = n
        for name, (dtype, fill) in STAFF_SCHEMA.items():
            setattr(self, name, np.full(n, fill, dtype=dtype))

    def working(self) -> np.ndarray:
        """Posts with someone in them, funded, and not off sick."""
        return self.filled & self.funded & ~self.sick
