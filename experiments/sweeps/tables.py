"""The sweep's tables, assembled from its per-run files in plan order: runs, weekly series and metrics by year.

- ``runs.parquet``: one row per run: ids, seed, design values, status, the summary metrics and the file's own
  (custom) metrics over the analysis window;
- ``series.parquet``: one row per run and week: ids, design values, week, date and the kept series;
- ``by_year.parquet``: a long table, one row per run, metric and calendar year (the ``<key>_by_year`` objects
  of each run's summary, and the custom metrics by year).
``--csv`` writes each as CSV beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import simulate
from experiments.simulate import atomic_write_text
from experiments.sweeps import custom_metrics
from experiments.sweeps.designs import DUMMY
from experiments.sweeps.experiment_file import Experiment
from experiments.sweeps.files import atomic_write_parquet, run_paths

ID_COLUMNS = ["run_id", "scenario", "point", "replication", "seed"]
BY_YEAR = "_by_year"
TABLES = ("runs", "series", "by_year")


def design_columns(exp: Experiment) -> dict[int, dict[str, Any]]:
    """Each design point's values: its parameters, and the dummy's sampled value if the design has one."""
    frame = exp.design.frame(exp.points)
    return {i: row for i, row in enumerate(frame.to_dict("records"))}


class _Windows:
    """Each arm's analysis window (start, end or None), built once per arm from its parameters."""

    def __init__(self, exp: Experiment) -> None:
        self.exp, self.cache = exp, {}

    def __call__(self, scenario: str, point: int) -> tuple[str, str | None]:
        key = (scenario, point)
        if key not in self.cache:
            p = simulate.build_parameters(scenario, {**self.exp.parameters, **self.exp.points[point]},
                                          scale=self.exp.scale, seed=0, start=self.exp.start, end=self.exp.end)
            self.cache[key] = (p.metrics.window_start, p.metrics.window_end or None)
        return self.cache[key]


def _by_year_rows(ids: dict[str, Any], summary: dict[str, Any], metrics: list[str]) -> list[dict[str, Any]]:
    rows = []
    for m in metrics:
        for year, value in (summary.get(m + BY_YEAR) or {}).items():
            rows.append({**ids, "metric": m, "year": int(year), "value": value})
    return rows


def write_tables(exp: Experiment, out: Path, csv: bool = False) -> dict[str, list[dict[str, str]]]:
    """Write runs, series and by-year tables (parquet, and CSV if asked); return each scenario's policy events."""
    rows, series, by_year, events = [], [], [], {}
    values = design_columns(exp)
    metrics = exp.all_metrics()
    windows = _Windows(exp)
    for spec in exp.plan():
        result_path, series_path, error_path = run_paths(out, spec.run_id)
        row: dict[str, Any] = {"run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point,
                               "replication": spec.replication, "seed": spec.seed}
        if spec.draw is not None:
            row.update(draw=spec.draw, particle=spec.particle)
        row.update(values[spec.point])
        ids = dict(row)
        if spec.draw is not None:  # the draw's values, for outcome-against-parameter analyses (runs table only)
            row.update({n: spec.overrides.get(n) for n in exp.posterior.names if n not in row})
        if result_path.is_file():
            record = json.loads(result_path.read_text())
            summary = dict(record["summary"])
            frame = pd.read_parquet(series_path)
            if exp.custom:
                summary.update(custom_metrics.compute(frame, exp.custom, windows(spec.scenario, spec.point)))
                summary.update({k + BY_YEAR: v for k, v in custom_metrics.by_year(frame, exp.custom).items()})
            row["status"] = "ok"
            row.update({m: summary.get(m) for m in metrics})
            by_year += _by_year_rows(ids, summary, metrics)
            frame.insert(0, "week", range(len(frame)))
            for i, (col, value) in enumerate(ids.items()):
                if col != "seed":
                    frame.insert(i, col, value)
            series.append(frame)
            events.setdefault(spec.scenario, [{"date": d, "event": n} for d, n in record["events"]])
        elif error_path.is_file():
            row["status"] = "failed"
            row.update({m: None for m in metrics})
        else:
            continue
        rows.append(row)
    runs = pd.DataFrame(rows)
    for m in metrics:
        if m in runs:
            runs[m] = runs[m].astype("float64")
    id_cols = ID_COLUMNS + design_value_columns(exp)
    series_cols = [c for c in id_cols if c != "seed"] + ["week"]
    tables = {
        "runs": runs,
        "series": pd.concat(series, ignore_index=True) if series else pd.DataFrame(columns=series_cols),
        "by_year": pd.DataFrame(by_year, columns=id_cols + ["metric", "year", "value"]).astype({"value": "float64"}),
    }
    for name, table in tables.items():
        atomic_write_parquet(out / f"{name}.parquet", table)
        if csv:
            atomic_write_text(out / f"{name}.csv", table.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
    return events


def design_value_columns(exp: Experiment) -> list[str]:
    """The columns the tables give each design point (parameters, then the dummy), after a posterior sweep's
    draw and particle."""
    return (["draw", "particle"] if exp.posterior is not None else []) + exp.design.names() + (
        [DUMMY] if exp.design.dummy else [])
