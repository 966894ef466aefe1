"""Time-series panels of the browser view: what each shows, and its matplotlib figure.

A panel is a list of lines over the whole run period. A line is a recorded series (or one the
page records, see ``viz_run.PAGE_SERIES``), optionally divided by another over the same
rolling window. Quantities with fixed bounds keep fixed axes; others start at zero and end on
a round number. Policy dates are thin grey lines behind the data with a number above the axes
(the page lists the numbers). A baseline run, when chosen, is drawn faded under the current one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from experiments.viz.figures import BlitFigure, view_state

# Colour-blind-safe colours (Okabe-Ito), each at least 3:1 against white (WCAG non-text contrast).
BLUE, VERMILLION, GREEN, PURPLE, BLACK, GREY = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#595959"
IOM = "#7B2CBF"  # as on the network
BASELINE_ALPHA = 0.35
EVENT_APPLIED, EVENT_COMING = "#8c8c8c", "#c8c8c8"


@dataclass(frozen=True)
class Line:
    """One line: a series (per week), its label and colour; ``per``: divide by this series' rolling sum."""

    series: str
    label: str
    colour: str
    per: str | None = None
    window: int | None = None  # weeks, if not the panel's


@dataclass(frozen=True)
class Panel:
    """A time-series panel: title, lines, rolling window (weeks), scale and fixed bounds if any."""

    key: str
    title: str
    lines: tuple[Line, ...]
    window: int = 1
    scale: float = 1.0
    bounds: tuple[float, float] | None = None


PANELS: dict[str, Panel] = {p.key: p for p in (
    Panel("offences", "Offences and proven offences per week", (
        Line("offences", "offences", VERMILLION), Line("proven", "proven", BLACK)), window=4),
    Panel("recalls", "Recalls to custody per week", (
        Line("recalls", "all recalls", BLUE), Line("recalls_short", "short-sentence recalls", VERMILLION)), window=4),
    Panel("caseload", "Caseload per officer", (
        Line("caseload_trust", "trust", BLUE), Line("caseload_nps", "NPS", GREEN),
        Line("caseload_crc", "CRC", VERMILLION))),
    Panel("waiting", "Cases waiting for an officer, and parked cases", (
        Line("unallocated", "unallocated", BLUE), Line("parked", "parked by a CRC", VERMILLION))),
    Panel("population", "People under supervision and in custody", (
        Line("under_supervision", "under supervision", BLUE), Line("in_custody", "in custody", VERMILLION))),
    Panel("iom_cohort", "IOM cohort (people)", (Line("iom_cohort", "in the IOM cohort", IOM),)),
    Panel("iom_contact", "IOM contact hours per IOM case-week", (
        Line("iom_contact_hours", "contact hours per case-week", BLUE, per="iom_case_weeks"),), window=4),
    Panel("continuity", "Relationships and officer continuity (0-1)", (
        Line("relationship", "offender-staff relationship", BLUE),
        Line("officer_continuity", "officer kept over a year (13-week mean)", VERMILLION, window=13)),
        bounds=(0.0, 1.0)),
    Panel("trust", "Inter-agency trust (0-1)", (
        Line("police_probation_trust", "police-probation", BLUE),
        Line("nps_crc_trust", "NPS-CRC", VERMILLION)), bounds=(0.0, 1.0)),
    Panel("information", "Police-probation information flow on IOM cases (1 = pre-reform)", (
        Line("iom_information_flow", "information flow", GREEN),), bounds=(0.0, 1.2)),
    Panel("money", "CRC money per week (GBP thousand)", (
        Line("crc_income_gbp", "income", GREEN), Line("crc_cost_gbp", "cost", VERMILLION),
        Line("pbr_paid_gbp", "PbR paid", BLUE)), window=13, scale=1e-3),
    Panel("net", "CRC net income per week (GBP thousand)", (
        Line("crc_net_gbp", "income less cost", BLACK),), window=13, scale=1e-3),
    Panel("public_cost", "Public cost of probation per week (GBP thousand)", (
        Line("public_cost_gbp", "public cost", BLACK),), window=4, scale=1e-3),
    Panel("officers", "Offender managers in post", (
        Line("officers_trust", "trust", BLUE), Line("officers_nps", "NPS", GREEN),
        Line("officers_crc", "CRC", VERMILLION))),
    Panel("stress", "Staff stress (0-1)", (Line("stress", "mean stress", BLACK),), bounds=(0.0, 1.0)),
)}


def any_series_panel(name: str) -> Panel:
    """A panel for any one series, chosen on the page."""
    return Panel(f"any:{name}", name.replace("_", " "), (Line(name, name, BLUE),))


def policy_marks(model) -> list[tuple[dt.date, str, bool]]:
    """(date, label, applied) per distinct date: events on the same day share one label."""
    by_date: dict[dt.date, list] = {}
    for e in model.events:
        by_date.setdefault(e.date, []).append(e)
    return [(d, " + ".join(e.name for e in evs), all(e.applied for e in evs)) for d, evs in sorted(by_date.items())]


def rolling_sum(y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Sums of the finite values over the last ``k`` weeks, and how many there were."""
    filled = np.nan_to_num(y, nan=0.0, posinf=0.0, neginf=0.0)
    have = np.isfinite(y).astype(float)
    c, n = np.cumsum(filled), np.cumsum(have)
    if k > 1:
        c[k:], n[k:] = c[k:] - c[:-k].copy(), n[k:] - n[:-k].copy()
    elif y.size:
        c, n = filled, have
    return c, n


def line_values(source, line: Line, window: int, weeks: int) -> np.ndarray:
    """The line's plotted values for weeks [0, weeks): a rolling mean, or a ratio of rolling sums."""
    window = line.window or window
    y = source.series(line.series)
    if y is None:
        return np.full(weeks, np.nan)
    y = np.asarray(y[:weeks], dtype=float)
    total, count = rolling_sum(y, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        if line.per is None:
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)
        d = source.series(line.per)
        if d is None:
            return np.full(weeks, np.nan)
        d_total, d_count = rolling_sum(np.asarray(d[:weeks], dtype=float), window)
        return np.where((d_count > 0) & (d_total > 0), total / np.where(d_total > 0, d_total, 1.0), np.nan)


def nice_limits(values: np.ndarray) -> tuple[float, float]:
    """Y limits on round numbers covering the values; from zero for non-negative values; (0, 1) if none."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (0.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    if lo >= 0:
        lo = 0.0
    if hi <= lo:
        hi = lo + max(abs(lo) * 0.1, 1.0)
    ticks = MaxNLocator(5).tick_values(lo, hi)
    return float(ticks[0]), float(ticks[-1])


def panel_limits(panel: Panel, arrays: list[np.ndarray]) -> tuple[float, float]:
    if panel.bounds is not None:
        return panel.bounds
    return nice_limits(np.concatenate(arrays) if arrays else np.zeros(0))


def series_figure(run, panel: Panel, baseline=None) -> BlitFigure:
    """One panel for a ``ViewedRun`` (and its baseline run, faded, when given).

    Built once per run, panel and baseline; each call updates the lines and, when they change,
    the y range and the event marks (which redraws the cached background).
    """
    model = run.model
    state = view_state(model)
    key = (panel.key, id(baseline) if baseline is not None else None)
    fig = state.figures.get(key)
    if fig is None:
        for old in [k for k in state.figures if isinstance(k, tuple) and k[0] == panel.key]:
            del state.figures[old]  # the previous baseline's figure
        fig = state.figures[key] = _new_series_figure(run, panel, baseline)
    ax = fig.axes[0]
    w = run.weeks_done
    x = state.x_dates[:w]
    ys = []
    for artist, line in zip(fig._lines, panel.lines):
        y = line_values(run, line, panel.window, w) * panel.scale
        artist.set_data(x, y)
        ys.append(y)
    ys += fig._baseline_values
    fig._empty_note.set_visible(w == 0)
    applied = tuple(m[2] for m in policy_marks(model))
    ylim = panel_limits(panel, ys)
    static = (ylim, applied)
    if static != fig.static_key:
        ax.set_ylim(*ylim)
        for (vline, number), on in zip(fig._event_marks, applied):
            colour = EVENT_APPLIED if on else EVENT_COMING
            vline.set_color(colour)
            vline.set_linestyle("-" if on else (0, (3, 3)))
            number.set_color("#404040" if on else "#909090")
        fig.static_key = static
    return fig


def _new_series_figure(run, panel: Panel, baseline) -> BlitFigure:
    model = run.model
    state = view_state(model)
    fig = BlitFigure(figsize=(5.6, 2.75), dpi=100)
    ax = fig.add_axes((0.085, 0.115, 0.895, 0.64))
    fig._baseline_values = []
    if baseline is not None:
        xb = state.x_dates[:baseline.weeks_done]
        for line in panel.lines:
            yb = line_values(baseline, line, panel.window, baseline.weeks_done) * panel.scale
            ax.plot(xb, yb, lw=2.4, color=line.colour, alpha=BASELINE_ALPHA, solid_capstyle="butt", zorder=1)
            fig._baseline_values.append(yb)
    fig._lines = [fig.add_dynamic(ax.plot([], [], lw=1.4, color=line.colour, label=line.label, zorder=3)[0])
                  for line in panel.lines]
    marks = []
    for k, (d, _label, _applied) in enumerate(policy_marks(model), start=1):
        xv = mdates.date2num(d)
        vline = ax.axvline(xv, lw=0.8, zorder=0.5)
        number = ax.annotate(str(k), (xv, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                             textcoords="offset points", ha="center", va="bottom", fontsize=7, fontweight="bold")
        marks.append((vline, number))
    fig._event_marks = marks
    fig._empty_note = fig.add_dynamic(ax.text(0.5, 0.5, "no weeks simulated yet: press Step or \u25b6",
                                              transform=ax.transAxes, ha="center", va="center", fontsize=9,
                                              color=GREY))
    ax.set_xlim(state.x_dates[0], state.x_dates[-1])
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = list(fig._lines)
    if baseline is not None:
        handles.append(Line2D([], [], lw=2.4, color=GREY, alpha=BASELINE_ALPHA + 0.15,
                              label=f"faded: {baseline.scenario}"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.075, 0.815), ncol=len(handles), fontsize=7.5,
               frameon=False, handlelength=1.6, columnspacing=1.2)  # between the title and the axes
    suffix = f" ({panel.window}-week {'mean' if not any(ln.per for ln in panel.lines) else 'window'})" \
        if panel.window > 1 else ""
    fig.text(0.015, 0.975, f"{panel.title}{suffix}", fontsize=9, va="top", ha="left", fontweight="bold")
    return fig
