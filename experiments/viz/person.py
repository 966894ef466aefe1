"""Follow one person: their row's values recorded week by week, and what changed.

The model keeps no history per person, so the page records it: from the week a person is
chosen, each simulated week appends one ``Week`` read through ``Offender.view(model, row)``.
When the person leaves the system (their row is emptied, or reused by someone else) the path
ends there and the view is removed from the model.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from agents.states import NEEDS, Agency, SentenceKind, State
from experiments.viz.views import Offender

STATE_TEXT = {State.FREE: "at liberty, unsupervised", State.CUSTODY: "in custody", State.COMMUNITY: "community order",
              State.LICENCE: "on licence", State.EMPTY: "left the system"}
SENTENCE_TEXT = {SentenceKind.COMMUNITY: "community order", SentenceKind.SHORT_CUSTODY: "custody under 12 months",
                 SentenceKind.LONG_CUSTODY: "custody of 12 months or more"}
AGENCY_TEXT = {Agency.NONE: "none", Agency.TRUST: "probation trust", Agency.NPS: "NPS", Agency.CRC: "CRC"}


@dataclass(frozen=True)
class Week:
    """One person's values at the start of a week (after the previous week was simulated)."""

    week: int
    state: str
    sentence: str
    agency: str
    organisation: str
    officer: int
    relationship: float
    unmet_needs: str
    iom: bool
    parked: bool
    recalled: bool
    proven_pending: int
    sentenced_this_week: bool


@dataclass
class PersonPath:
    """The weeks recorded for one person, and the events read from them."""

    row: int
    person_id: int
    first_week: int
    weeks: list[Week] = field(default_factory=list)
    events: list[tuple[int, str]] = field(default_factory=list)
    left_week: int | None = None
    view: Offender | None = None

    @classmethod
    def start(cls, model, row: int) -> PersonPath:
        """Follow the person in ``row`` from now on; their current values are the first entry."""
        view = Offender.view(model, row)
        if not view.present:
            view.remove()
            raise LookupError(f"row {row} holds nobody")
        path = cls(row, view.person_id, model.week, view=view)
        path.record(model)
        return path

    @property
    def active(self) -> bool:
        return self.left_week is None

    def record(self, model) -> None:
        """Append the person's values as of now (the start of ``model.week``); note what changed."""
        if not self.active or self.view is None:
            return
        week = model.week
        v = self.view
        if not v.present:
            self.left_week = week
            self.events.append((week, "left the system (follow-up ended with no new conviction)"))
            self.view.remove()
            self.view = None
            return
        org = v.org
        needs = v.needs
        entry = Week(week=week, state=STATE_TEXT[v.state], sentence=SENTENCE_TEXT[v.sentence_kind],
                     agency=AGENCY_TEXT[v.agency], organisation=model.orgs[org].name if org >= 0 else "",
                     officer=v.officer, relationship=round(v.relationship, 4),
                     unmet_needs=", ".join(n for n in NEEDS if needs[n]), iom=v.iom, parked=v.parked,
                     recalled=v.recalled, proven_pending=v.proven_pending,
                     sentenced_this_week=v.week_sentenced == week - 1)
        previous = self.weeks[-1] if self.weeks else None
        self.weeks.append(entry)
        for text in changes(previous, entry):
            self.events.append((week, text))

    def stop(self) -> None:
        if self.view is not None:
            self.view.remove()
            self.view = None

    def csv_text(self) -> str:
        """The recorded weeks as CSV (one row per week)."""
        buf = io.StringIO()
        names = list(Week.__dataclass_fields__)
        writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for w in self.weeks:
            writer.writerow(asdict(w))
        return buf.getvalue()


def changes(before: Week | None, now: Week) -> list[str]:
    """Plain-language events between two consecutive weeks of one person."""
    if before is None:
        where = f"; case held by {now.agency} ({now.organisation})" if now.organisation else ""
        return [f"followed from here: {now.state}; last sentence: {now.sentence}{where}"]
    out = []
    if now.sentenced_this_week:
        out.append(f"sentenced: {now.sentence}")
    if now.state != before.state:
        if before.state == STATE_TEXT[State.CUSTODY] and not now.sentenced_this_week:
            out.append("released on licence" if now.state == STATE_TEXT[State.LICENCE] else "released, unsupervised")
        elif now.state == STATE_TEXT[State.CUSTODY] and now.recalled and not now.sentenced_this_week:
            out.append("recalled to custody")
        elif before.state in (STATE_TEXT[State.LICENCE], STATE_TEXT[State.COMMUNITY]) \
                and now.state == STATE_TEXT[State.FREE]:
            out.append("supervision ended")
        elif not now.sentenced_this_week:
            out.append(f"now {now.state}")
    if now.organisation != before.organisation and now.organisation:
        out.append(f"case held by {now.agency}: {now.organisation}")
    if now.officer != before.officer:
        out.append(f"new officer (post {now.officer})" if now.officer >= 0 else "no officer allocated")
    if now.proven_pending > before.proven_pending:
        n = now.proven_pending - before.proven_pending
        out.append(f"{n} offence{'s' if n > 1 else ''} detected (awaiting court)")
    if now.iom != before.iom:
        out.append("joined the IOM cohort" if now.iom else "left the IOM cohort")
    if now.parked != before.parked:
        out.append("case parked by the CRC" if now.parked else "case no longer parked")
    old, new = set(filter(None, before.unmet_needs.split(", "))), set(filter(None, now.unmet_needs.split(", ")))
    for need in sorted(old - new):
        out.append(f"need met: {need}")
    for need in sorted(new - old):
        out.append(f"new need: {need}")
    return out


# ---- the path as a figure ------------------------------------------------------------------
STATE_COLOURS = {STATE_TEXT[State.CUSTODY]: "#D55E00", STATE_TEXT[State.LICENCE]: "#E69F00",
                 STATE_TEXT[State.COMMUNITY]: "#0072B2", STATE_TEXT[State.FREE]: "#bdbdbd"}


def path_figure(path: PersonPath, model):
    """Where the person was each week (band), their relationship with staff (0-1), unmet needs,
    and marks for officer changes, detected offences and sentences."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = Figure(figsize=(11.2, 3.3), dpi=100)
    ax = fig.add_axes((0.055, 0.16, 0.74, 0.62))
    weeks = path.weeks
    cal = model.cal
    x = mdates.date2num([cal.date_of(w.week) for w in weeks])
    if len(x):
        width = 7.0
        for xi, w in zip(x, weeks):
            ax.axvspan(xi, xi + width, ymin=0.9, ymax=1.0, color=STATE_COLOURS.get(w.state, "#ffffff"), lw=0)
            if w.iom:
                ax.axvspan(xi, xi + width, ymin=0.86, ymax=0.9, color="#7b2cbf", lw=0)
        ax.step(x, [w.relationship for w in weeks], where="post", color="#000000", lw=1.4)
        needs = [len([n for n in w.unmet_needs.split(", ") if n]) / 5 * 0.8 for w in weeks]
        ax.step(x, needs, where="post", color="#009E73", lw=1.2, ls="--")
        for before, now, xi in zip(weeks, weeks[1:], x[1:]):
            if now.officer != before.officer and now.officer >= 0:
                ax.plot([xi], [0.05], marker="|", ms=10, color="#595959", mew=1.5)
            if now.proven_pending > before.proven_pending:
                ax.plot([xi], [0.12], marker="x", ms=7, color="#D55E00", mew=1.6)
            if now.sentenced_this_week:
                ax.plot([xi], [0.19], marker="v", ms=7, color="#000000")
        pad = 7 * 8
        ax.set_xlim(x[0] - 3, max(x[-1] + width, x[0] + pad))
    ax.set_ylim(0, 1.0)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8])
    ax.set_ylabel("relationship (0-1)", fontsize=8)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.25)
    handles = [Patch(color=c, label=k) for k, c in STATE_COLOURS.items()] + [
        Patch(color="#7b2cbf", label="IOM cohort"),
        Line2D([], [], color="#000000", lw=1.4, label="relationship"),
        Line2D([], [], color="#009E73", lw=1.2, ls="--", label="unmet needs (0-5, scaled)"),
        Line2D([], [], ls="", marker="|", ms=9, mew=1.5, color="#595959", label="new officer"),
        Line2D([], [], ls="", marker="x", ms=7, mew=1.6, color="#D55E00", label="offence detected"),
        Line2D([], [], ls="", marker="v", ms=7, color="#000000", label="sentenced")]
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.805, 0.5), fontsize=8, frameon=False)
    status = "left the system" if not path.active else "followed"
    fig.text(0.01, 0.965, f"Person {path.person_id}: {status}, {len(weeks)} weeks recorded", fontsize=10,
             fontweight="bold", va="top")
    return fig


def figure_png(fig) -> bytes:
    """An ordinary matplotlib figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
