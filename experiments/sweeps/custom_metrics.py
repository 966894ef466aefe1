"""Metrics of the user's own, defined in an experiment file from the weekly series (no model edits).

    [custom_metrics.recalls_per_breach]
    ratio = ["recalls", "breaches"]      # sum of recalls / sum of breaches over the window
    [custom_metrics.crc_caseload_late]
    mean = "caseload_crc"                # mean of the weekly values
    from = "2017-01-01"                  # weeks starting on or after (default: the analysis window)
    to = "2019-12-31"                    # weeks starting on or before
    [custom_metrics.victims_a_year]
    sum = "victims"
    per_year = true                      # the sum divided by the window's length in years
    unit = "victims a year"              # optional: label, unit and scale (a multiplier)

Each is computed for every run over its window (default: ``metrics.window_start`` to ``metrics.window_end``
or the end of the run, as the model's own summary) and over each calendar year (the by-year table).
Empty weeks (a quantity that does not exist yet) are skipped; a zero denominator gives no value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.engine.calendar import WEEKS_PER_YEAR
from model.parameters import ParameterError
from model.recording.metrics import SERIES, SUMMARY_METRICS

OPS = ("ratio", "sum", "mean")
KEYS = set(OPS) | {"from", "to", "per_year", "scale", "label", "unit"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class CustomMetric:
    """One user-defined metric: an operation over one or two weekly series, in a window."""

    name: str
    op: str
    series: tuple[str, ...]
    start: str | None = None
    end: str | None = None
    per_year: bool = False
    scale: float = 1.0
    label: str = ""
    unit: str = ""


def _date(name: str, key: str, value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ParameterError(f"custom_metrics.{name}.{key}: {value!r} is not a date YYYY-MM-DD") from None


def parse(table: Any) -> dict[str, CustomMetric]:
    """The [custom_metrics] table as definitions; ParameterError naming the first problem."""
    if not isinstance(table, dict):
        raise ParameterError("[custom_metrics] must hold one table per metric, e.g. [custom_metrics.my_metric]")
    out = {}
    for name, spec in table.items():
        where = f"custom_metrics.{name}"
        if not NAME.match(name):
            raise ParameterError(f"{where}: a name is lower case letters, digits and _ (starting with a letter)")
        if name in SUMMARY_METRICS:
            raise ParameterError(f"{where}: {name} is already a model metric; choose another name")
        if not isinstance(spec, dict):
            raise ParameterError(f"{where} must be a table with one of {', '.join(OPS)}")
        unknown = set(spec) - KEYS
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                                 f"(allowed: {', '.join(sorted(KEYS))})")
        ops = [op for op in OPS if op in spec]
        if len(ops) != 1:
            raise ParameterError(f"{where}: give exactly one of {', '.join(OPS)}")
        op = ops[0]
        series = spec[op]
        if op == "ratio":
            if not (isinstance(series, list) and len(series) == 2):
                raise ParameterError(f"{where}.ratio: give [numerator, denominator] series names")
        else:
            series = [series]
        for s in series:
            if s not in SERIES:
                raise ParameterError(f"{where}: {s!r} is not a weekly series (see docs/metrics.md, timeseries.csv)")
        per_year = spec.get("per_year", False)
        if not isinstance(per_year, bool) or (per_year and op != "sum"):
            raise ParameterError(f"{where}.per_year: true or false, and only with sum")
        scale = spec.get("scale", 1.0)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale):
            raise ParameterError(f"{where}.scale must be a number, got {scale!r}")
        start = _date(name, "from", spec["from"]) if "from" in spec else None
        end = _date(name, "to", spec["to"]) if "to" in spec else None
        if start and end and end < start:
            raise ParameterError(f"{where}: to {end} is before from {start}")
        for key in ("label", "unit"):
            if not isinstance(spec.get(key, ""), str):
                raise ParameterError(f"{where}.{key} must be text")
        out[name] = CustomMetric(name, op, tuple(series), start, end, per_year, float(scale),
                                 spec.get("label", ""), spec.get("unit", ""))
    return out


def series_needed(defs: dict[str, CustomMetric]) -> list[str]:
    return sorted({s for d in defs.values() for s in d.series})


def _value(frame: pd.DataFrame, d: CustomMetric) -> float | None:
    if frame.empty:
        return None
    cols = [frame[s].to_numpy(dtype=float) for s in d.series]
    if d.op == "mean":
        x = cols[0][np.isfinite(cols[0])]
        v = float(x.mean()) if x.size else None
    elif d.op == "sum":
        v = float(np.nansum(cols[0]))
        if d.per_year:
            v /= len(frame) / WEEKS_PER_YEAR
    else:
        den = float(np.nansum(cols[1]))
        v = float(np.nansum(cols[0])) / den if den > 0 else None
    return None if v is None else v * d.scale


def compute(frame: pd.DataFrame, defs: dict[str, CustomMetric], window: tuple[str, str | None]) -> dict[str, Any]:
    """Window values of every definition for one run's weekly frame (a ``date`` column of ISO dates plus
    series); ``window`` is the run's analysis window (start, end or None), weeks starting before the end."""
    dates = frame["date"].astype(str)
    out = {}
    for name, d in defs.items():
        if d.start or d.end:
            keep = (dates >= (d.start or "")) & (dates <= (d.end or "9999"))
        else:
            keep = (dates >= window[0]) & ((dates < window[1]) if window[1] else True)
        out[name] = _value(frame[keep.to_numpy()], d)
    return out


def by_year(frame: pd.DataFrame, defs: dict[str, CustomMetric]) -> dict[str, dict[str, float | None]]:
    """Each definition over each calendar year of the run (whatever its from/to), as the model's *_by_year."""
    years = frame["date"].astype(str).str[:4]
    out: dict[str, dict[str, float | None]] = {name: {} for name in defs}
    for year in sorted(years.unique()):
        part = frame[(years == year).to_numpy()]
        for name, d in defs.items():
            out[name][year] = _value(part, d)
    return out
