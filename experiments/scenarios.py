"""Scenario files (TOML in experiments/data/scenarios/): a description and parameter overrides."""

from __future__ import annotations

import difflib
import re
import tomllib
from typing import Any

from experiments.infra.files import read_text_file
from experiments.infra.paths import SCENARIOS
from model.parameters import LEAVES, ParameterError, Parameters, set_value

SCENARIO_DIR = SCENARIOS
NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
KEYS = {"description", "parameters"}
PER_RUN = ("run.",)  # scale, seed and dates are chosen for each run (--scale, --seed, --start, --end), not by a world


def names() -> list[str]:
    """Every scenario file's name (files only: a folder called x.toml is not a scenario)."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml") if p.is_file() and NAME.fullmatch(p.stem))


def flatten(table: dict[str, Any], where: str, prefix: str = "") -> dict[str, Any]:
    """Dotted names from a TOML table, whether written quoted ("a.b" = 1) or as nested keys (a.b = 1, [a])."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        inner = flatten(value, where, name + ".") if isinstance(value, dict) and name not in LEAVES else {name: value}
        for dotted, leaf in inner.items():
            if dotted in out:
                raise ParameterError(f"{where}: {dotted!r} is given twice")
            out[dotted] = leaf
    return out


def check_overrides(overrides: dict[str, Any], where: str) -> dict[str, Any]:
    """Each name a parameter and each value of its type and inside its bounds; ParameterError naming ``where``."""
    out = {}
    for name, value in overrides.items():
        if name not in LEAVES:
            close = difflib.get_close_matches(name, list(LEAVES), n=1, cutoff=0.5)
            raise ParameterError(f"{where}: unknown parameter {name!r}" + (f"; did you mean {close[0]}?" if close
                                                                          else "; see docs/parameters.md"))
        scratch = Parameters()
        try:
            set_value(scratch, name, value)
        except ParameterError as exc:
            raise ParameterError(f"{where}: {exc}") from None
        node = scratch
        for part in name.split("."):
            node = getattr(node, part)
        out[name] = node
    return out


def load(name: str) -> dict[str, Any]:
    """The scenario's description and overrides; ParameterError if it does not exist or is malformed."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ParameterError(f"scenario {name!r} is not a scenario name (letters, digits, _ and -; "
                             f"known: {', '.join(names())})")
    path = SCENARIO_DIR / f"{name}.toml"
    if not path.is_file():
        close = difflib.get_close_matches(name, names(), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ParameterError(f"unknown scenario {name!r}{hint} (known: {', '.join(names())})")
    where = f"scenario {name} ({path.name})"
    text = read_text_file(path, f"scenario {name}: file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{where}: not valid TOML ({exc})") from None
    unknown = set(data) - KEYS
    if unknown:
        raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                             f"(allowed: {', '.join(sorted(KEYS))})")
    if not isinstance(data.get("description", ""), str):
        raise ParameterError(f"{where}: description must be text")
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise ParameterError(f"{where}: [parameters] must be a table of dotted names")
    params = check_overrides(flatten(params, where), where)
    per_run = [n for n in params if n.startswith(PER_RUN)]
    if per_run:
        raise ParameterError(f"{where}: {per_run[0]} cannot be set by a scenario; give it with --scale, --seed, "
                             "--start or --end (or in the experiment file) for each run")
    return {"name": name, "description": data.get("description", ""), "parameters": params}


def describe_all() -> list[tuple[str, str]]:
    """(name, description) of every scenario; a file that cannot be used is listed with the reason."""
    out = []
    for n in names():
        try:
            out.append((n, load(n)["description"]))
        except ParameterError as exc:
            out.append((n, f"[cannot be used: {exc}]"))
    return out
