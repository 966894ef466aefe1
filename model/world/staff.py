"""Probation staff posts as arrays (row = post): an officer is a row; their rules are in ``agents/officer.py``."""

from __future__ import annotations

import numpy as np

from model.world.population import Column

POSTS: dict[str, Column] = {  # the staff arrays' columns
    "employer": Column("int16", -1, "organisation", "the trust, NPS division or CRC employing the post (index into "
                                                    "model.orgs)"),
    "cpa": Column("int16", -1, "area", "Contract Package Area of the post"),
    "grade": Column("int8", 0, "Grade", "0 probation services officer (PSO), 1 probation officer (PO)"),
    "iom": Column("bool", False, "flag", "a designated IOM officer"),
    "filled": Column("bool", True, "flag", "someone holds the post this week"),
    "funded": Column("bool", True, "flag", "the post exists (a cut post is unfunded)"),
    "reserved": Column("bool", False, "flag", "built unfunded for enhanced Through the Gate, funded from "
                                              "policy.ttg_enhanced_date"),
    "skill": Column("float32", 0.7, "0-1", "the holder's skill: contact quality before stress; grows toward the employer's "
                                           "training ceiling"),
    "stress": Column("float32", 0.0, "0-1", "the holder's stress, moving toward the level the workload sets"),
    "sick": Column("bool", False, "flag", "the holder is off sick this week"),
    "week_hire": Column("int32", -1, "week", "when a vacancy will be filled (-1: none)"),
    "week_joined": Column("int32", 0, "week", "when the holder joined (state only: no rule reads it)"),
    "caseload": Column("int32", 0, "cases", "cases held"),
    "demand": Column("float32", 0.0, "hours/week", "contact hours the post's cases need this week (after parking)"),
    "supply": Column("float32", 0.0, "hours/week", "contact hours the post can give this week, after court work (0 if not "
                                                   "working)"),
    "leavers": Column("int32", 0, "people", "people who have left the post since the first reported week"),
}
STAFF_SCHEMA: dict[str, tuple[str, float]] = {name: (c.dtype, c.fill) for name, c in POSTS.items()}
STAFF_COLUMNS: dict[str, tuple[str, str]] = {name: (c.unit, c.meaning) for name, c in POSTS.items()}


class Staff:
    """Columns of per-post state."""

    def __init__(self, n: int) -> None:
        self.n = n
        for name, (dtype, fill) in STAFF_SCHEMA.items():
            setattr(self, name, np.full(n, fill, dtype=dtype))

    def working(self) -> np.ndarray:
        """Posts with someone in them, funded, and not off sick."""
        return self.filled & self.funded & ~self.sick
