"""docs/ODD.md's state-variable tables, generated from the schemas and ``model.state_variables``."""

from __future__ import annotations

from model.recording import state_variables
from model.world.population import COLUMNS, SCHEMA
from model.world.staff import STAFF_COLUMNS, STAFF_SCHEMA

DTYPES = {"int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64", "uint8": "uint8 (bits)",
          "bool": "bool", "float32": "float32"}


def _cell(text: str) -> str:
    return text.replace("|", "/")


def schema_table(schema: dict[str, tuple[str, float]], columns: dict[str, tuple[str, str]]) -> list[str]:
    lines = ["| name | type | unit | meaning |", "| --- | --- | --- | --- |"]
    for name, (dtype, _) in schema.items():
        unit, meaning = columns[name]
        lines.append(f"| `{name}` | {DTYPES.get(dtype, dtype)} | {_cell(unit)} | {_cell(meaning)} |")
    return lines


def entry_table(entries: dict[str, state_variables.Entry]) -> list[str]:
    lines = ["| name | type | unit | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{n}` | {_cell(t)} | {_cell(u)} | {_cell(m)} |" for n, (t, u, m) in entries.items()]
    return lines


def state_variables_markdown() -> str:
    """Every state variable: people, posts, the model, organisations, contracts, ties, PbR, operating models."""
    out = [f"**People** - one row of `model.pop` each (`SCHEMA` and `COLUMNS` in model/world/population.py; "
           f"{len(SCHEMA)} columns). Weeks count from the first reported week (0); earlier weeks are negative.", ""]
    out += schema_table(SCHEMA, COLUMNS)
    out += ["", f"**Offender-management posts** - one row of `model.staff` each (`STAFF_SCHEMA` and `STAFF_COLUMNS` in "
            f"model/world/staff.py; {len(STAFF_SCHEMA)} columns); the officers' rules are in agents/officer.py.", ""]
    out += schema_table(STAFF_SCHEMA, STAFF_COLUMNS)
    for title, where, entries in state_variables.TABLES:
        out += ["", f"**{title}** - {where}.", ""]
        out += entry_table(entries)
    out += ["", "The model's parts that hold the state above: " + "; ".join(
        f"`{k}` {v}" for k, v in state_variables.COMPONENTS.items()) + "."]
    return "\n".join(out) + "\n"
