"""Plots of a run's main series over the calendar, with policy dates marked; saving a figure in the formats
and resolution asked for (PNG, PDF, SVG), without timestamps so the same figure gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

PANELS = {
    "caseloads": [("caseload_trust", "trust"), ("caseload_nps", "NPS"), ("caseload_crc", "CRC")],
    "supervision": [("under_supervision", "under supervision"), ("in_custody", "in custody"),
                    ("iom_cohort", "IOM cohort"), ("short_custody_on_licence", "short-sentence on licence/PSS")],
    "trust": [("police_probation_trust", "police-probation trust"), ("nps_crc_trust", "NPS-CRC trust"),
              ("relationship", "offender-staff relationship"), ("vcs_active_share", "VCS providers active")],
    "outcomes": [("offences", "offences"), ("proven", "proven offences"), ("recalls", "recalls"),
                 ("breaches", "breaches")],
    "money": [("crc_income_gbp", "CRC income"), ("crc_cost_gbp", "CRC cost"), ("pbr_paid_gbp", "PbR paid")],
}
ROLLING = {"outcomes": 13, "money": 13}
Y_LABELS = {"caseloads": "cases per officer", "supervision": "people", "trust": "index 0-1 (VCS: share)",
            "outcomes": "a week", "money": "GBP a week"}
FORMATS = ("png", "pdf", "svg")
DEFAULT_DPI = 200
NO_STAMP = {"png": {"Software": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
            "svg": {"Date": None, "Creator": None}}


def parse_formats(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """"png,pdf" -> ("png", "pdf"); ValueError naming an unknown format."""
    items = [f.strip().lower() for f in (text.split(",") if isinstance(text, str) else text) if f.strip()]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise ValueError(f"figure format(s) {', '.join(bad) or '(none)'}: choose from {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(items))


def save_figure(fig, folder: Path, stem: str, formats: tuple[str, ...] = ("png",), dpi: int = DEFAULT_DPI) -> list[Path]:
    """Write ``folder/stem.<format>`` for each format and close the figure; the paths written."""
    paths = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        fig.savefig(path, dpi=dpi, metadata=NO_STAMP[fmt])
        paths.append(path)
    plt.close(fig)
    return paths


def mark_events(ax, events: list[tuple[str, str]]) -> None:
    """A dashed line per event date; events on the same date share one label."""
    by_date: dict[str, list[str]] = {}
    for date, name in events:
        if name not in by_date.setdefault(date, []):
            by_date[date].append(name)
    for date, names in sorted(by_date.items()):
        x = pd.Timestamp(date)
        ax.axvline(x, color="grey", lw=0.8, ls="--")
        ax.annotate(" / ".join(names), (x, 1.0), xycoords=("data", "axes fraction"), rotation=90, fontsize=6,
                    va="top", ha="right", color="dimgrey")


def plot_run(frame: pd.DataFrame, events: list[tuple[str, str]], out: Path, title: str = "") -> list[Path]:
    """One PNG per panel; returns the files written."""
    dates = pd.to_datetime(frame["date"])
    paths = []
    for panel, series in PANELS.items():
        fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
        for col, label in series:
            y = frame[col]
            if panel in ROLLING:
                y = y.rolling(ROLLING[panel], min_periods=1).mean()
            ax.plot(dates, y, label=label, lw=1.2)
        mark_events(ax, [(d, n) for d, n in events if dates.iloc[0] <= pd.Timestamp(d) <= dates.iloc[-1]])
        ax.set_xlim(dates.iloc[0], dates.iloc[-1])
        ax.set_title(f"{title}: {panel}" + (" (13-week mean)" if panel in ROLLING else ""), fontsize=9)
        ax.set_ylabel(Y_LABELS[panel], fontsize=8)
        ax.set_xlabel("year", fontsize=8)
        ax.xaxis.set_major_locator(mdates.YearLocator(2))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # beside the data
        ax.grid(alpha=0.3)
        fig.tight_layout()
        paths += save_figure(fig, out, f"plot_{panel}", ("png",), 100)
    return paths
