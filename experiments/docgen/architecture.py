"""docs/architecture.md's generated parts: the week's phases (``model.week.WEEK``), TR's channels
(``model/channels/registry.py``) and policy events, the agents' decisions, and the folders with what each holds."""

from __future__ import annotations

import ast
import inspect

from experiments.infra.paths import ROOT
from model.channels.policy import EVENTS
from model.channels.registry import CHANNELS, ORDER
from model.week import WEEK

FOLDERS = ("model", "model/engine", "model/world", "model/week", "model/channels", "model/recording", "agents",
           "experiments", "experiments/infra", "experiments/cli", "experiments/sweeps", "experiments/analysis",
           "experiments/calibration", "experiments/docgen", "experiments/viz", "experiments/data", "tests")
DECISIONS = (  # (agent, method, when the engine asks)
    ("CommunityRehabilitationCompany", "agents/crc.py", "review_quarter", "each quarter end (finance phase)"),
    ("VoluntaryProvider", "agents/voluntary.py", "review_quarter", "each quarter end (finance phase)"),
    ("NationalProbationService", "agents/nps.py", "accept_recall_requests", "when a CRC pushes recalls (enforcement)"),
    ("PoliceForce", "agents/police.py", "share_information", "every week (information phase) and after every event"),
)


def first_line(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def week_markdown() -> str:
    """A flowchart of the week and a table of its phases, in the order ``WEEK`` runs them."""
    names = [f.__name__ for f in WEEK]
    chart = ["```mermaid", "flowchart LR"]
    chart += [f"    {a}[{a}] --> {b}[{b}]" for a, b in zip(names, names[1:])]
    chart += [f"    {names[-1]} --> record[(weekly record)]", "    events{{policy events}} -.between weeks.-> "
              f"{names[0]}", "```", ""]
    rows = ["| # | phase | module | what it does |", "| --- | --- | --- | --- |"]
    for k, f in enumerate(WEEK, 1):
        rows.append(f"| {k} | `{f.__name__}` | `{f.__module__.replace('.', '/')}.py` | {first_line(f)} |")
    return "\n".join(chart + rows)


def channels_markdown() -> str:
    """Each channel with its switch, class and what runs before it; each policy event with what it needs."""
    rows = ["| channel | switch | class | hooks run after | switching it off removes |", "| --- | --- | --- | --- | --- |"]
    order = {name: k for k, name in enumerate(ORDER)}
    for c in sorted(CHANNELS, key=lambda c: order[c.name]):
        module, cls = c.rule.split(":")
        rows.append(f"| {c.name} | `{c.switch}` | `{module.replace('.', '/')}.py` `{cls}` | "
                    f"{', '.join(c.after) or '-'} | {c.doc} |")
    rows += ["", "| policy event | date parameter | needs channels | needs switch |", "| --- | --- | --- | --- |"]
    for key, e in EVENTS.items():
        rows.append(f"| {key} | `policy.{e.date_field}` | {', '.join(e.needs) or '-'} | "
                    f"{f'`policy.{e.switch}`' if e.switch else '-'} |")
    rows += ["", "| agent | decision | when | module |", "| --- | --- | --- | --- |"]
    for agent, module, method, when in DECISIONS:
        rows.append(f"| {agent} | `{method}` | {when} | `{module}` |")
    return "\n".join(rows)


def tree_markdown() -> str:
    """Each folder, how many modules it holds, and the first line of its package docstring."""
    rows = ["| folder | modules | what it holds |", "| --- | --- | --- |"]
    for folder in FOLDERS:
        path = ROOT / folder
        if not path.is_dir():
            continue
        modules = [p for p in path.glob("*.py") if p.name != "__init__.py"]
        init = path / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text())) if init.is_file() else None
        if doc is None and (path / "README.md").is_file():
            doc = (path / "README.md").read_text().split("\n\n")[1] if "\n\n" in (path / "README.md").read_text() else ""
        doc = " ".join((doc or "").split("\n\n")[0].split())
        rows.append(f"| `{folder}/` | {len(modules)} | {doc} |")
    return "\n".join(rows)
