"""Offender: a thin Mesa agent viewing one row of the model's population arrays.

Offenders' state lives in ``model.pop``; views are made on demand (browser, tests,
inspection) with ``Offender.view(model, row)`` and should be removed with
``view.remove()`` when no longer needed, since ``model.agents`` holds strong references.
"""

from __future__ import annotations

import mesa

from agents.states import NEEDS, Agency, SentenceKind, State, need_bit


class Offender(mesa.Agent):
    """One person in the population arrays."""

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row
        self.person_id = int(model.pop.person_id[row])

    @classmethod
    def view(cls, model: mesa.Model, row: int) -> "Offender":
        return cls(model, row)

    def _get(self, name: str):
        pop = self.model.pop
        if pop.person_id[self.row] != self.person_id:
            raise LookupError(f"person {self.person_id} has left the system")
        return getattr(pop, name)[self.row]

    @property
    def state(self) -> State:
        return State(int(self._get("state")))

    @property
    def agency(self) -> Agency:
        return Agency(int(self._get("agency")))

    @property
    def ogrs(self) -> float:
        return float(self._get("ogrs"))

    @property
    def rosh(self) -> int:
        return int(self._get("rosh"))

    @property
    def iom(self) -> bool:
        return bool(self._get("iom"))

    @property
    def relationship(self) -> float:
        return float(self._get("relationship"))

    @property
    def officer(self) -> int:
        return int(self._get("officer"))

    @property
    def sentence_kind(self) -> SentenceKind:
        """Kind of the current (or last) sentence."""
        return SentenceKind(int(self._get("sentence_kind")))

    @property
    def week_sentenced(self) -> int:
        """Week of the last conviction (the start of the conviction-free spell)."""
        return int(self._get("week_conviction_free"))

    @property
    def week_release(self) -> int:
        """Week of release from custody (-1 if not in custody)."""
        return int(self._get("week_release"))

    @property
    def week_end(self) -> int:
        """Week the order or licence ends (-1 if none)."""
        return int(self._get("week_end"))

    @property
    def org(self) -> int:
        """Index in ``model.orgs`` of the supervising organisation (-1 if none)."""
        return int(self._get("org"))

    @property
    def recalled(self) -> bool:
        return bool(self._get("recalled"))

    @property
    def parked(self) -> bool:
        """Contact cut by a CRC as unlikely to pay."""
        return bool(self._get("parked"))

    @property
    def proven_pending(self) -> int:
        """Detected offences awaiting court."""
        return int(self._get("pending"))

    @property
    def present(self) -> bool:
        """Whether this person still holds the row (the slot is reused after they leave)."""
        pop = self.model.pop
        return bool(pop.person_id[self.row] == self.person_id and pop.state[self.row] != State.EMPTY)

    @property
    def needs(self) -> dict[str, bool]:
        """Unmet needs by name."""
        unmet = int(self._get("need")) & ~int(self._get("need_met"))
        return {n: bool(unmet & need_bit(k)) for k, n in enumerate(NEEDS)}

    def __repr__(self) -> str:
        return f"Offender(person={self.person_id}, state={self.state.name})"
