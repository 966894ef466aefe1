"""Short HTML texts of the browser view: status, provenance, policy events, the Reset hint.

Built on the server (``solara.Markdown`` would fetch KaTeX and Mermaid from a CDN, which fails
offline) and escaped, since scenario descriptions and event names come from files.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from experiments import scenarios
from experiments.viz.controls import Choice
from experiments.viz.series import policy_marks


def day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def status_html(run) -> str:
    """One line: scenario and seed, date and week, regime, the next policy event, or the end."""
    model = run.model
    marks = policy_marks(model)
    upcoming = [m for m in marks if not m[2]]
    if run.finished:
        where = (f"<b>run complete</b>: all {run.n_weeks} weeks simulated, to "
                 f"{day(model.cal.date_of(run.n_weeks - 1))}")
    else:
        where = f"<b>{day(model.date)}</b> (week {model.week} of {run.n_weeks})"
    parts = [f"<b>{escape(run.scenario)}</b>, seed {run.seed}", where, f"regime: {escape(model.regime)}"]
    if not run.finished:
        nxt = f"{day(upcoming[0][0])}: {escape(upcoming[0][1])}" if upcoming else "none left"
        parts.append(f"next policy event: {nxt}")
    last = len(parts) - 1
    return " ".join(f"<span class='pv-part'>{p}{'' if k == last else ' &middot;'}</span>" for k, p in enumerate(parts))


def format_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def provenance_html(run) -> str:
    """Scenario description, seed and every override of the run shown."""
    description = scenarios.load(run.scenario)["description"]
    if run.overrides:
        moved = "; ".join(f"<code>{escape(k)} = {escape(format_value(v))}</code>" for k, v in run.overrides.items())
        overrides = f"overrides: {moved}"
    else:
        overrides = "no overrides (the scenario's own values)"
    return (f"<b>{escape(run.scenario)}</b>: {escape(description)}. Seed {run.seed}, small scale, "
            f"{escape(run.params.run.start)} to {escape(run.params.run.end)}; {overrides}.")


def events_html(model) -> str:
    """The policy dates, numbered as on the time-series panels."""
    marks = policy_marks(model)
    if not marks:
        return "No policy events in this scenario."
    items = [f"<span class='{'applied' if applied else 'coming'}'><b>[{k}]</b> {day(d)}: {escape(label)}</span>"
             for k, (d, label, applied) in enumerate(marks, start=1)]
    return "Policy events (numbered on the panels): " + " &middot; ".join(items)


def reset_hint(pending: Choice, shown: Choice) -> str | None:
    """'Changed ... press Reset' when the controls differ from the run shown, else None."""
    changed = pending.differences(shown)
    if not changed:
        return None
    return f"Changed: {', '.join(changed)}. Press Reset to start a run with them."
