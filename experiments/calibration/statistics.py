"""The statistics a calibration or a validation compares with published figures: the model's summary metrics
over the run's window (docs/metrics.md), plus a few that a published figure needs and the summary does not
give, computed here from the run's own tallies with the summary's definitions and window.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from model.recording.metrics import SUMMARY_METRICS, summary

DERIVED = {
    "reoffending_rate_custody": "one-year proven reoffending of everyone released from custody (terms under 12 "
                                "months and longer ones together): the CALIBRATION.md 'all adults released from "
                                "custody' row",
    "releases_short_share": "share of releases from custody that end terms under 12 months",
}
KNOWN_METRICS = (*SUMMARY_METRICS, *DERIVED)


def window(model) -> tuple[int, int]:
    """The summary's window [w0, w1) in weeks, as ``model.metrics.summary`` takes it."""
    p, cal = model.params, model.cal
    w_end = model.recorder.recorded
    w0 = max(0, cal.week_of(dt.date.fromisoformat(p.metrics.window_start)))
    w1 = w_end if not p.metrics.window_end else min(w_end, cal.week_of(dt.date.fromisoformat(p.metrics.window_end)))
    return w0, max(w0, w1)


def derived(model) -> dict[str, float | None]:
    """The DERIVED statistics over the summary's window (cohorts: started in it and closed by the run's end)."""
    w0, w1 = window(model)
    closed_until = min(w1, model.recorder.recorded - 52)
    coh = model.recorder.cohort[w0:max(closed_until, w0)].sum(axis=(0, 2, 3))  # kind -> (people, reoffenders, offences)
    custody = coh[1] + coh[2]  # short and long custody
    s = model.recorder.series
    releases = float(np.nansum(s["releases"][w0:w1]))
    return {"reoffending_rate_custody": float(custody[1] / custody[0]) if custody[0] else None,
            "releases_short_share": float(np.nansum(s["releases_short"][w0:w1]) / releases) if releases else None}


def statistics(model) -> dict[str, Any]:
    """The summary (window metrics and ``_by_year``) with the derived statistics added."""
    out = summary(model)
    out.update(derived(model))
    return out
