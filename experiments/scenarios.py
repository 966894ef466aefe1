"""Scenario files (TOML in experiments/scenarios/): a description and parameter overrides."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from model.parameters import ParameterError

SCENARIO_DIR = Path(__file__).parent / "scenarios"


def names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def load(name: str) -> dict[str, Any]:
    """The scenario's description and overrides; ParameterError if it does not exist or is malformed."""
    path = SCENARIO_DIR / f"{name}.toml"
    if not path.is_file():
        close = difflib.get_close_matches(name, names(), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ParameterError(f"unknown scenario {name!r}{hint} (known: {', '.join(names())})")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"scenario {name}: {path} is not valid TOML ({exc})") from None
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise ParameterError(f"scenario {name}: [parameters] must be a table")
    return {"name": name, "description": str(data.get("description", "")), "parameters": params}


def describe_all() -> list[tuple[str, str]]:
    return [(n, load(n)["description"]) for n in names()]
