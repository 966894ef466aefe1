"""The offender population as a struct of numpy arrays (row = slot, never compacted).

A row holds one person while they are known to the system. When someone leaves (their
follow-up ends with no new conviction) the row's state becomes EMPTY and the slot may be
taken by a later newcomer, who gets a new ``person_id``; rows are never moved or
compacted, so indices held elsewhere (officer caseloads) stay valid.
"""

from __future__ import annotations

import numpy as np

from agents.states import State
from model.jit import kernel

EMPTY = int(State.EMPTY)

# name -> (dtype, fill value)
SCHEMA: dict[str, tuple[str, float]] = {
    "person_id": ("int64", -1),
    "state": ("int8", State.EMPTY),
    "cpa": ("int16", -1),
    "force": ("int16", -1),
    "home_trust": ("int16", -1),
    "female": ("bool", False),
    "minority": ("bool", False),  # from a minority ethnic group
    "age": ("float32", 0.0),
    "offence": ("int8", 0),
    "ogrs": ("int8", 0),  # OGRS3-like score, a whole percentage (0-100)
    "rosh": ("int8", 0),
    "propensity": ("float32", 1.0),  # own offending rate relative to the base (docs/ODD.md, Offending)
    "need": ("uint8", 0),  # bit k: has need k (agents.states.need_bit)
    "need_met": ("uint8", 0),  # bit k: need k met
    "convictions": ("int16", 0),  # convictions so far, the current one included
    "week_first_conviction": ("int32", 0),
    "prior_custody": ("int16", 0),  # custodial terms so far
    "ogrs_offset": ("float32", 0.0),  # the person's own term in the OGRS reassessment (model/sentences.py)
    "sentence_kind": ("int8", 0),
    "sentence_weeks": ("int32", 0),  # length of the current (or last) term or order
    "suspended": ("bool", False),  # the order is a suspended sentence order
    "ora": ("bool", False),  # the custodial term carries ORA supervision (PSS)
    "week_offence": ("int32", 0),  # when the offence now before the court (or last sentenced) was committed
    "week_release": ("int32", -1),
    "week_end": ("int32", -1),  # end of supervision: order, or licence and PSS
    "week_licence_end": ("int32", -1),  # end of the licence (the sentence end): recall only before it
    "week_order_end": ("int32", -1),  # end of a community order running alongside a custodial term
    "week_free": ("int32", -1),
    "week_released": ("int32", -10_000),
    "week_conviction_free": ("int32", 0),
    "recalled": ("bool", False),
    "agency": ("int8", 0),
    "org": ("int16", -1),
    "officer": ("int32", -1),
    "relationship": ("float32", 0.0),
    "iom": ("bool", False),
    "parked": ("bool", False),
    "ttg": ("bool", False),
    "contact": ("float32", 0.0),
    "dose": ("float32", 0.0),
    "quality": ("float32", 0.0),
    "warnings": ("int8", 0),
    "week_breach": ("int32", -1),
    "week_transfer": ("int32", -1),
    "week_court": ("int32", -1),
    "pending": ("int16", 0),
    "cohort_open": ("bool", False),
    "cohort_start": ("int32", 0),
    "cohort_kind": ("int8", 0),
    "cohort_crc": ("bool", False),
    "cohort_org": ("int16", -1),
    "cohort_proven": ("int16", 0),
}


PAST_WEEKS = ("week_first_conviction", "week_offence", "week_free", "week_released", "week_conviction_free",
              "cohort_start")
SCHEDULED_WEEKS = ("week_release", "week_end", "week_licence_end", "week_order_end", "week_breach", "week_transfer",
                   "week_court")


class Population:
    """Columns of per-person state with slot allocation."""

    def __init__(self, capacity: int = 1024) -> None:
        self.capacity = 0
        self.next_person_id = 0
        self.high_water = 0  # rows [0, high_water) have ever been used
        for name, (dtype, fill) in SCHEMA.items():
            setattr(self, name, np.full(0, fill, dtype=dtype))
        self._grow(capacity)

    def _grow(self, capacity: int) -> None:
        old = self.capacity
        for name, (dtype, fill) in SCHEMA.items():
            new = np.full(capacity, fill, dtype=dtype)
            new[:old] = getattr(self, name)
            setattr(self, name, new)
        self.capacity = capacity

    def add(self, n: int) -> np.ndarray:
        """Take ``n`` empty slots (lowest first), give them new person ids; return their rows."""
        if n <= 0:
            return np.empty(0, dtype=np.int64)
        free = _first_empty(self.state[: self.high_water], n)
        extra = n - free.size
        if extra:
            need = self.high_water + extra
            if need > self.capacity:
                self._grow(max(need, int(self.capacity * 1.5)))
            free = np.concatenate([free, np.arange(self.high_water, need)])
            self.high_water = need
        for name, (_, fill) in SCHEMA.items():
            getattr(self, name)[free] = fill
        self.person_id[free] = np.arange(self.next_person_id, self.next_person_id + n)
        self.next_person_id += n
        return free

    def view(self) -> slice:
        """Slice of rows that have ever been used."""
        return slice(0, self.high_water)

    def live(self) -> np.ndarray:
        return self.state[: self.high_water] != State.EMPTY

    def shift_weeks(self, by: int, rows: np.ndarray | slice | None = None) -> None:
        """Move every week-valued column of ``rows`` (all by default) by ``by`` weeks (a new week 0): past
        events all; scheduled ones (week_release, week_end, ...) only where set (>= 0)."""
        rows = self.view() if rows is None else rows
        for name in PAST_WEEKS:
            getattr(self, name)[rows] += by
        for name in SCHEDULED_WEEKS:
            col = getattr(self, name)
            values = col[rows]
            col[rows] = np.where(values >= 0, values + by, values)


@kernel
def _first_empty(state, n):
    """The lowest ``n`` (or fewer) rows whose slot is empty."""
    out = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(state.shape[0]):
        if m == n:
            break
        out[m] = i
        m += state[i] == EMPTY
    return out[:m]
