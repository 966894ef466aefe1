"""Offender: a thin Mesa agent viewing one row of the model's population arrays.

Offenders' state lives in ``model.pop``; views are made on demand (browser, tests,
inspection) with ``Offender.view(model, row)`` and should be removed with
``view.remove()`` when no longer needed, since ``model.agents`` holds strong references.
"""

from __future__ import annotations

import mesa

from agents.states import NEEDS, Agency, State, need_bit


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
    def needs(self) -> dict[str, bool]:
        """Unmet needs by name."""
        unmet = int(self._get("need")) & ~int(self._get("need_met"))
        return {n: bool(unmet & need_bit(k)) for k, n in enumerate(NEEDS)}

    def __repr__(self) -> str:
        return f"Offender(person={self.person_id}, state={self.state.name})"
