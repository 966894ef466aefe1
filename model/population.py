"""The offender population as a struct of numpy arrays (row = slot, never compacted).

A row holds one person while they are known to the system. When someone leaves (their
follow-up ends with no new conviction) the row's state becomes EMPTY and the slot may be
taken by a later newcomer, who gets a new ``person_id``; rows are never moved or
compacted, so indices held elsewhere (officer caseloads) stay valid.
"""

from __future__ import annotations

import numpy as np

from model.jit import kernel
from model.states import NEEDS, State

N_NEEDS = len(NEEDS)
EMPTY = int(State.EMPTY)

# name -> (dtype, fill value, width); width > 1 makes a 2-D column.
SCHEMA: dict[str, tuple[str, float, int]] = {
    "person_id": ("int64", -1, 1),
    "state": ("int8", State.EMPTY, 1),
    "cpa": ("int16", -1, 1),
    "force": ("int16", -1, 1),
    "home_trust": ("int16", -1, 1),
    "female": ("bool", False, 1),
    "age": ("float32", 0.0, 1),
    "offence": ("int8", 0, 1),
    "ogrs": ("float32", 0.0, 1),
    "rosh": ("int8", 0, 1),
    "frailty": ("float32", 1.0, 1),
    "need": ("bool", False, N_NEEDS),
    "need_met": ("bool", False, N_NEEDS),
    "sentence_kind": ("int8", 0, 1),
    "ora": ("bool", False, 1),  # sentenced under the Offender Rehabilitation Act
    "week_release": ("int32", -1, 1),
    "week_end": ("int32", -1, 1),
    "week_free": ("int32", -1, 1),
    "week_released": ("int32", -10_000, 1),
    "week_conviction_free": ("int32", 0, 1),
    "recalled": ("bool", False, 1),
    "agency": ("int8", 0, 1),
    "org": ("int16", -1, 1),
    "officer": ("int32", -1, 1),
    "relationship": ("float32", 0.0, 1),
    "iom": ("bool", False, 1),
    "parked": ("bool", False, 1),
    "ttg": ("bool", False, 1),
    "contact": ("float32", 0.0, 1),
    "dose": ("float32", 0.0, 1),
    "quality": ("float32", 0.0, 1),
    "warnings": ("int8", 0, 1),
    "week_breach": ("int32", -1, 1),
    "week_transfer": ("int32", -1, 1),
    "week_court": ("int32", -1, 1),
    "pending": ("int16", 0, 1),
    "cohort_start": ("int32", -1, 1),
    "cohort_kind": ("int8", 0, 1),
    "cohort_crc": ("bool", False, 1),
    "cohort_org": ("int16", -1, 1),
    "cohort_proven": ("int16", 0, 1),
}


class Population:
    """Columns of per-person state with slot allocation."""

    def __init__(self, capacity: int = 1024) -> None:
        self.capacity = 0
        self.next_person_id = 0
        self.high_water = 0  # rows [0, high_water) have ever been used
        for name, (dtype, fill, width) in SCHEMA.items():
            shape = (0,) if width == 1 else (0, width)
            setattr(self, name, np.full(shape, fill, dtype=dtype))
        self._grow(capacity)

    def _grow(self, capacity: int) -> None:
        old = self.capacity
        for name, (dtype, fill, width) in SCHEMA.items():
            shape = (capacity,) if width == 1 else (capacity, width)
            new = np.full(shape, fill, dtype=dtype)
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
        for name, (_, fill, _) in SCHEMA.items():
            getattr(self, name)[free] = fill
        self.person_id[free] = np.arange(self.next_person_id, self.next_person_id + n)
        self.next_person_id += n
        return free

    def view(self) -> slice:
        """Slice of rows that have ever been used."""
        return slice(0, self.high_water)

    def live(self) -> np.ndarray:
        return self.state[: self.high_water] != State.EMPTY


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
