"""The browser view's model controls, defined once.

Each control names the parameter it sets; the page draws its widgets from this table and
builds the run's overrides from it. A control shows the chosen scenario's own value until the
user moves it; only values that differ from the scenario's become overrides, so a scenario such
as ``tr_data_sharing`` keeps its setting and the provenance lists exactly what was changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from experiments import scenarios
from experiments.simulate import build_parameters
from model.parameters import Parameters, walk

DEFAULT_SCENARIO = "tr_reunified"
DEFAULT_SEED = 1
SEED_MAX = 2**31 - 1  # the seed box accepts any non-negative 32-bit integer


@dataclass(frozen=True)
class Control:
    """One model control: its keyword, label, widget kind, parameter and slider range."""

    key: str
    label: str
    kind: str  # "int", "float" (sliders) or "bool" (checkbox)
    parameter: str
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0

    def coerce(self, value: Any) -> Any:
        if self.kind == "bool":
            return bool(value)
        if self.kind == "int":
            return int(round(float(value)))
        return round(float(value), 6)


CONTROLS: tuple[Control, ...] = (
    Control("caseload_cap_crc", "CRC caseload cap (cases per officer)", "int", "supervision.caseload_cap_crc", 30, 150, 5),
    Control("pbr_share", "PbR share of CRC income", "float", "finance.pbr_share", 0.0, 0.5, 0.01),
    Control("keep_colocation", "Keep police-probation co-location after the split", "bool", "policy.keep_colocation"),
    Control("data_sharing", "Data sharing mandated in contracts", "bool", "policy.data_sharing_mandated"),
    Control("mech_relationships", "TR acts on relationships", "bool", "tr.mechanisms.relationships"),
    Control("mech_contact", "TR acts on contact", "bool", "tr.mechanisms.contact"),
    Control("mech_interagency", "TR acts on inter-agency working", "bool", "tr.mechanisms.interagency"),
    Control("iom_ogrs_threshold", "IOM OGRS threshold", "int", "iom.ogrs_threshold", 50, 95, 1),
)
BY_KEY = {c.key: c for c in CONTROLS}
PROFILE_THRESHOLD = "iom.ogrs_profile_threshold"  # kept at or below the cohort threshold


@lru_cache(maxsize=32)
def _scenario_flat(scenario: str) -> dict[str, Any]:
    return {name: value for name, value, _ in walk(build_parameters(scenario, {}, scale="small"))}


def scenario_values(scenario: str) -> dict[str, Any]:
    """Each control's value in the scenario (what the control shows until it is moved)."""
    flat = _scenario_flat(scenario)
    return {c.key: c.coerce(flat[c.parameter]) for c in CONTROLS}


def overrides(scenario: str, values: dict[str, Any]) -> dict[str, Any]:
    """Dotted overrides for the controls whose value differs from the scenario's.

    Raises KeyError for a key that is not a control.
    """
    base = scenario_values(scenario)
    out: dict[str, Any] = {}
    for key, value in values.items():
        control = BY_KEY[key]
        value = control.coerce(value)
        if value != base[key]:
            out[control.parameter] = float(value) if control.kind == "float" else value
    threshold = out.get("iom.ogrs_threshold")
    if threshold is not None:
        profile = _scenario_flat(scenario)[PROFILE_THRESHOLD]
        if profile > threshold:
            out[PROFILE_THRESHOLD] = float(threshold)
    return out


@dataclass(frozen=True)
class Choice:
    """What the controls say: scenario, seed and the control values the user moved."""

    scenario: str = DEFAULT_SCENARIO
    seed: int = DEFAULT_SEED
    moved: tuple[tuple[str, Any], ...] = ()

    def values(self) -> dict[str, Any]:
        """Every control's value: the scenario's, unless moved."""
        return {**scenario_values(self.scenario), **dict(self.moved)}

    def with_value(self, key: str, value: Any) -> Choice:
        moved = dict(self.moved)
        moved[key] = BY_KEY[key].coerce(value)
        return Choice(self.scenario, self.seed, tuple(sorted(moved.items())))

    def with_scenario(self, scenario: str) -> Choice:
        """Another scenario; moved controls stay moved only where they still differ from it."""
        if scenario not in scenarios.names():
            raise ValueError(f"unknown scenario {scenario!r}")
        base = scenario_values(scenario)
        moved = tuple((k, v) for k, v in self.moved if base[k] != v)
        return Choice(scenario, self.seed, moved)

    def with_seed(self, seed: int) -> Choice:
        seed = int(seed)
        if not 0 <= seed <= SEED_MAX:
            raise ValueError(f"seed {seed} outside 0-{SEED_MAX}")
        return Choice(self.scenario, seed, self.moved)

    def overrides(self) -> dict[str, Any]:
        return overrides(self.scenario, dict(self.moved))

    def parameters(self, end: str | None = None) -> Parameters:
        """The run's validated parameter tree (always small scale)."""
        return build_parameters(self.scenario, self.overrides(), scale="small", seed=self.seed, end=end)

    def differences(self, other: Choice) -> list[str]:
        """What differs from another choice, for the 'press Reset' hint (labels, in table order)."""
        out = []
        if self.scenario != other.scenario:
            out.append("scenario")
        if self.seed != other.seed:
            out.append("seed")
        mine, theirs = self.overrides(), other.overrides()
        for c in CONTROLS:
            if mine.get(c.parameter) != theirs.get(c.parameter) and self.scenario == other.scenario:
                out.append(c.label)
        return out
